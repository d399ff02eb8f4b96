#include "sim/cdr_writer.h"

#include <fmt/format.h>

#include <cmath>

#include "core/base/clock.h"
#include "core/base/hash.h"
#include "sim/forwarding_cdr.h"

namespace telsim {

int simulated_q850(const AttemptRecord& a) {
  switch (a.outcome) {
    case kBlocked: return 34;
    case kJunction: return 41;
    case kOutage: return 38;
    case kNode: return 27;
    default: break;
  }
  if (a.callee == 1) return 17;
  if (a.callee == 2) return 19;
  return a.dropped ? 38 : 16;
}

namespace {

const char* disposition(const AttemptRecord& a) {
  switch (a.outcome) {
    case kBlocked: return "CONGESTION";
    case kJunction:
    case kOutage:
    case kNode: return "FAILED";
    default: break;
  }
  return a.callee == 0 ? "ANSWERED" : a.callee == 1 ? "BUSY" : "NO ANSWER";
}

// `digits` decimal digits drawn from `h` (deterministic, platform-independent).
std::string digits_of(uint64_t h, size_t digits) {
  std::string s(digits, '0');
  for (size_t i = digits; i-- > 0;) {
    s[i] = static_cast<char>('0' + h % 10);
    h /= 10;
  }
  return s;
}

// The called number's leading digits: the stream's prefix (its digits, with
// the country code 7 put in front when missing), else a Moscow number.
std::string called_head(const Stream& s) {
  std::string d;
  for (char c : s.prefix)
    if (c >= '0' && c <= '9') d += c;
  if (d.empty()) return "7495";
  if (d[0] != '7') d = "7" + d;
  return d.size() > 11 ? d.substr(0, 11) : d;
}

}  // namespace

std::string pool_number(int pool, int32_t number) {
  const int64_t n = number < 0 ? 99999 : number % 99999;
  return "+7495" + digits_of(static_cast<uint64_t>(10 + pool % 90), 2) + digits_of(static_cast<uint64_t>(n), 5);
}

std::string cdr_csv(const Scenario& sc, const std::vector<AttemptRecord>& attempts, int64_t epoch,
                    const std::vector<FunnelCallRecord>* funnel_calls, const std::vector<LegAttempt>* legs) {
  size_t next_funnel = 0;  // funnel calls are in attempt order
  Forwarding::Result forwarded;
  // First interconnect of each flat path (routes in order, paths in order),
  // as DataPlane numbers them.
  std::vector<int> path_first;
  std::vector<size_t> route_first;
  for (const Route& r : sc.routes) {
    route_first.push_back(path_first.size());
    for (auto& p : r.paths) path_first.push_back(p.empty() ? -1 : p.front());
  }
  std::vector<uint64_t> stream_hash;
  std::vector<std::string> heads;
  for (const Stream& s : sc.streams) {
    stream_hash.push_back(fnv1a(s.name));
    heads.push_back(called_head(s));
  }
  std::string out;
  out.reserve(attempts.size() * 320);
  uint64_t seq = 0;
  for (size_t ai = 0; ai < attempts.size(); ++ai) {
    const AttemptRecord& a = attempts[ai];
    ++seq;
    const Stream& st = sc.streams[a.stream];
    const uint64_t who = fnv1a_word(a.caller, stream_hash[a.stream]);
    // Callers: mobile numbers +79XXXXXXXXX; each calls one number of the
    // client's (one of 100 per stream), and calls it again when redialling;
    // a visitor of a traffic source calls the pool number they were shown.
    const std::string src = "+79" + digits_of(fnv1a_word(1, who), 9);
    const std::string& head = heads[a.stream];
    const FunnelCallRecord* fc = nullptr;
    if (funnel_calls && next_funnel < funnel_calls->size() && (*funnel_calls)[next_funnel].attempt == ai)
      fc = &(*funnel_calls)[next_funnel++];
    const std::string dst = fc && fc->pool >= 0 ? pool_number(fc->pool, fc->number)
                                                : "+" + head + digits_of(fnv1a_word(2, who) % 100, 11 - head.size());
    // The trunk the call went out on: the first interconnect of the path
    // that carried or lost it; a blocked call seized none (the first path's
    // first interconnect is what the switch dialled).
    const int route = st.route;
    const int dialled = a.path != UINT32_MAX ? path_first[a.path] : path_first[route_first[route]];
    const std::string trunk = dialled >= 0 ? sc.interconnects[dialled].name : "none";
    const std::string channel = fmt::format("SIP/{}-{:08x}", st.from, seq);
    const std::string dstchannel = a.outcome == kBlocked ? "" : fmt::format("SIP/{}-{:08x}", trunk, seq);
    const int64_t start = epoch + static_cast<int64_t>(std::floor(a.time));
    const int64_t end = epoch + static_cast<int64_t>(std::floor(a.time + a.held));
    const bool answered = a.outcome < 0 && a.callee == 0;
    const std::string uniqueid = fmt::format("{}.{}", start, seq);
    fmt::format_to(std::back_inserter(out),
                   "\"{acct}\",\"{src}\",\"{dst}\",\"telsim\",\"\"\"{src}\"\" <{src}>\",\"{ch}\",\"{dch}\",\"Dial\","
                   "\"SIP/{trunk}/{dst},60\",\"{start}\",{answer},\"{end}\",{dur},{bill},\"{disp}\",\"DOCUMENTATION\","
                   "\"{uid}\",\"{cause}\",\"\",\"{uid}\",{seq}\n",
                   fmt::arg("acct", st.name), fmt::arg("src", src), fmt::arg("dst", dst), fmt::arg("ch", channel),
                   fmt::arg("dch", dstchannel), fmt::arg("trunk", trunk), fmt::arg("start", format_time(start)),
                   fmt::arg("answer", answered ? "\"" + format_time(start) + "\"" : std::string()),
                   fmt::arg("end", format_time(end)), fmt::arg("dur", end - start),
                   fmt::arg("bill", answered ? end - start : 0), fmt::arg("disp", disposition(a)),
                   fmt::arg("uid", uniqueid), fmt::arg("cause", simulated_q850(a)), fmt::arg("seq", seq));
    if (fc && fc->legs && legs) {
      forwarded.legs.assign(legs->begin() + fc->first_leg, legs->begin() + fc->first_leg + fc->legs);
      forwarded.answer_s = fc->answer_s;
      out += forwarding_cdr_rows({uniqueid, st.name, src, dst, channel}, forwarded, epoch, &seq);
    }
  }
  return out;
}

}  // namespace telsim
