#include "core/cdr/cdr_outcome.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/base/error.h"
#include "core/base/toml_reader.h"

namespace telsim {

namespace {
using O = Outcome;
struct Entry {
  const char* key;
  Outcome outcome;
  int q850;
};
// Asterisk dispositions. Master.csv has no cause column, so FAILED gets a
// network cause (41, temporary failure): a failed dial is most often a
// trunk or route problem. Override it when your switch means otherwise.
// The words are core/base/disposition.h's.
const std::pair<Outcome, int> kAsterisk[] = {
    {O::kAnswered, 16}, {O::kBusy, 17}, {O::kNoAnswer, 19}, {O::kFailed, 41}, {O::kCongestion, 34},
};
// FreeSWITCH hangup causes (Q.850 names, plus its own 4xx/5xx/6xx ones).
const Entry kFreeswitch[] = {
    {"UNALLOCATED_NUMBER", O::kFailed, 1},
    {"NO_ROUTE_TRANSIT_NET", O::kFailed, 2},
    {"NO_ROUTE_DESTINATION", O::kFailed, 3},
    {"NORMAL_CLEARING", O::kNoAnswer, 16},  // unanswered and cleared: the caller gave up
    {"USER_BUSY", O::kBusy, 17},
    {"NO_USER_RESPONSE", O::kNoAnswer, 18},
    {"NO_ANSWER", O::kNoAnswer, 19},
    {"SUBSCRIBER_ABSENT", O::kFailed, 20},
    {"CALL_REJECTED", O::kBusy, 21},
    {"NUMBER_CHANGED", O::kFailed, 22},
    {"REDIRECTION_TO_NEW_DESTINATION", O::kFailed, 23},
    {"EXCHANGE_ROUTING_ERROR", O::kFailed, 25},
    {"DESTINATION_OUT_OF_ORDER", O::kFailed, 27},
    {"INVALID_NUMBER_FORMAT", O::kFailed, 28},
    {"FACILITY_REJECTED", O::kFailed, 29},
    {"NORMAL_UNSPECIFIED", O::kFailed, 31},
    {"NORMAL_CIRCUIT_CONGESTION", O::kCongestion, 34},
    {"NETWORK_OUT_OF_ORDER", O::kFailed, 38},
    {"NORMAL_TEMPORARY_FAILURE", O::kFailed, 41},
    {"SWITCH_CONGESTION", O::kCongestion, 42},
    {"REQUESTED_CHAN_UNAVAIL", O::kCongestion, 44},
    {"OUTGOING_CALL_BARRED", O::kFailed, 52},
    {"INCOMING_CALL_BARRED", O::kFailed, 54},
    {"BEARERCAPABILITY_NOTAUTH", O::kFailed, 57},
    {"BEARERCAPABILITY_NOTAVAIL", O::kFailed, 58},
    {"SERVICE_UNAVAILABLE", O::kFailed, 63},
    {"BEARERCAPABILITY_NOTIMPL", O::kFailed, 65},
    {"FACILITY_NOT_IMPLEMENTED", O::kFailed, 69},
    {"SERVICE_NOT_IMPLEMENTED", O::kFailed, 79},
    {"INCOMPATIBLE_DESTINATION", O::kFailed, 88},
    {"MANDATORY_IE_MISSING", O::kFailed, 96},
    {"RECOVERY_ON_TIMER_EXPIRE", O::kFailed, 102},
    {"PROTOCOL_ERROR", O::kFailed, 111},
    {"INTERWORKING", O::kFailed, 127},
    {"ORIGINATOR_CANCEL", O::kNoAnswer, 16},  // the caller hung up while it rang
    {"LOSE_RACE", O::kNoAnswer, 26},          // another forked leg answered
    {"ALLOTTED_TIMEOUT", O::kFailed, 102},
    {"MEDIA_TIMEOUT", O::kFailed, 41},
    {"PROGRESS_TIMEOUT", O::kFailed, 102},
    {"GATEWAY_DOWN", O::kFailed, 38},
    {"MANAGER_REQUEST", O::kFailed, 16},
    {"SYSTEM_SHUTDOWN", O::kFailed, 41},
};
// SIP final responses (the common SBC default mapping).
const Entry kSip[] = {
    {"sip:200", O::kAnswered, 16},  {"sip:403", O::kFailed, 21},   {"sip:404", O::kFailed, 1},
    {"sip:408", O::kNoAnswer, 18},  {"sip:410", O::kFailed, 22},   {"sip:480", O::kNoAnswer, 19},
    {"sip:484", O::kFailed, 28},    {"sip:486", O::kBusy, 17},     {"sip:487", O::kNoAnswer, 16},
    {"sip:488", O::kFailed, 88},    {"sip:500", O::kFailed, 41},   {"sip:502", O::kFailed, 27},
    {"sip:503", O::kCongestion, 34}, {"sip:504", O::kFailed, 102}, {"sip:600", O::kBusy, 17},
    {"sip:603", O::kBusy, 21},
};

Outcome q850_outcome(int c) {
  switch (c) {
    case 16: return O::kNoAnswer;  // answered rows are recognised by their answer time
    case 17: case 21: return O::kBusy;
    case 18: case 19: return O::kNoAnswer;
    case 34: case 42: case 44: return O::kCongestion;
    default: return O::kFailed;
  }
}

std::string upper(std::string_view s) {
  std::string u(s);
  for (char& c : u)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  return u;
}

// Keys are stored upper-cased, except the sip:/q850: prefixes.
std::string norm_key(std::string_view s) {
  if (s.substr(0, 4) == "sip:" || s.substr(0, 4) == "SIP:") return "sip:" + std::string(s.substr(4));
  if (s.substr(0, 5) == "q850:" || s.substr(0, 5) == "Q850:") return "q850:" + std::string(s.substr(5));
  return upper(s);
}
}  // namespace

OutcomeMap::OutcomeMap() {
  for (auto& [o, q850] : kAsterisk) set(disposition_word(o), o, q850);
  for (auto& e : kFreeswitch) set(e.key, e.outcome, e.q850);
  for (auto& e : kSip) set(e.key, e.outcome, e.q850);
  for (int c = 1; c <= 127; ++c) set(fmt::format("q850:{}", c), q850_outcome(c), c);
  for (int c : {16, 17, 18, 19, 21}) delivered_[c] = true;
}

bool OutcomeMap::lookup(std::string_view text, Codes codes, Disposition* out) const {
  // One buffer per thread: no allocation per row once it has grown.
  thread_local std::string key;
  key.clear();
  bool numeric = !text.empty() && text.size() <= 4;
  for (char c : text)
    if (c < '0' || c > '9') numeric = false;
  if (numeric) {
    key = codes == Codes::kSip ? "sip:" : "q850:";
    key.append(text.data(), text.size());
  } else {
    for (char c : text) key += (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
  }
  auto it = table_.find(key);
  if (it == table_.end()) return false;
  *out = it->second;
  return true;
}

void OutcomeMap::load(const std::string& path) {
  toml::table doc = parse_toml_file(path, "outcomes file");
  TomlReader top(doc, "", path);
  if (const toml::table* d = top.table("dispositions")) {
    TomlReader r(*d, "dispositions", path);
    for (auto& [k, v] : *d) {
      std::string key(k.str());
      const toml::table* e = r.table(key);
      if (!e) r.fail(key, "expected a table such as { outcome = \"failed\", q850 = 41 }");
      TomlReader er(*e, "dispositions." + key, path);
      std::string o = er.choice("outcome", {"answered", "busy", "no_answer", "failed", "congestion"});
      int64_t q = er.integer("q850", 0);
      if (q < 0 || q > 1023) er.fail("q850", "a cause between 0 and 1023");
      er.finish();
      Outcome oc;
      parse_outcome(o, &oc);
      set(norm_key(key), oc, static_cast<int>(q));
    }
  }
  if (const toml::table* n = top.table("ner")) {
    TomlReader r(*n, "ner", path);
    if (r.has("delivered")) {
      std::fill(std::begin(delivered_), std::end(delivered_), false);
      for (double c : r.numbers("delivered")) {
        if (c < 0 || c > 1023 || c != static_cast<int>(c)) r.fail("delivered", "causes are integers 0..1023");
        delivered_[static_cast<int>(c)] = true;
      }
    }
    r.finish();
  }
  top.finish();
}

}  // namespace telsim
