#include "core/base/quote.h"
#include "core/cdr/cdr_mapped.h"

#include <fmt/format.h>

#include "core/base/error.h"
#include "core/base/toml_reader.h"

namespace telsim {

using namespace cdr_detail;

CdrMapping CdrMapping::load(const std::string& path) {
  toml::table doc = parse_toml_file(path, "mapping file");
  CdrMapping m;
  m.file = path;
  TomlReader r(doc, "", path);
  std::string delim = r.string("delimiter", std::string(","));
  if (delim == "\\t" || delim == "tab") delim = "\t";
  if (delim.size() != 1 || delim == "\"" || delim == "\n")
    r.fail("delimiter", "one character such as \",\" or \";\" (\"tab\" for a tab)");
  m.delimiter = delim[0];
  m.date_format = r.string("date_format", m.date_format);
  try {
    TimeFormat check(m.date_format);
  } catch (const InputError& e) {
    r.fail("date_format", e.what());
  }
  m.time_zone = r.string("time_zone", std::string());
  if (!m.time_zone.empty()) {
    try {
      TimeZone check(m.time_zone);
    } catch (const InputError& e) {
      r.fail("time_zone", e.what());
    }
  }
  m.codes = r.choice("codes", {"q850", "sip"}, std::string("q850")) == "sip" ? OutcomeMap::Codes::kSip
                                                                            : OutcomeMap::Codes::kQ850;
  const toml::table* c = r.table("columns");
  if (!c) r.fail("columns", "missing: the [columns] table names the CSV columns (see docs/cdr.md)");
  TomlReader cr(*c, "columns", path);
  auto opt = [&](const char* k) { return cr.string(k, std::string()); };
  // start, called and disposition are needed by every row: an empty name
  // would leave the column unbound (the optional ones take "" as unmapped).
  auto required = [&](const char* k) {
    std::string name = cr.string(k);
    if (name.empty()) cr.fail(k, "empty: name the CSV column that holds it");
    return name;
  };
  m.start = required("start");
  m.called = required("called");
  m.disposition = required("disposition");
  m.answer = opt("answer");
  m.end = opt("end");
  m.caller = opt("caller");
  m.duration = opt("duration");
  m.billsec = opt("billsec");
  m.call_id = opt("call_id");
  m.leg_id = opt("leg_id");
  m.trunk = opt("trunk");
  m.channel = opt("channel");
  if (m.end.empty() && m.duration.empty()) cr.fail("end", "map `end` or `duration` (or both): a call needs an end");
  cr.finish();
  r.finish();
  return m;
}

MappedColumns MappedColumns::bind(const CdrMapping& m, const CsvSplitter& header, const std::string& where) {
  MappedColumns c;
  c.count = header.count();
  CsvHeader names(header);
  auto find = [&](const std::string& name, const char* key, int* out) {
    if (name.empty()) return;
    if ((*out = names.find(name)) >= 0) return;
    throw InputError(fmt::format("{}: columns.{} = {} (mapping {}): no such column in the header ({})", where, key,
                                 quote_field(name), m.file, cut_list(names.list())));
  };
  find(m.start, "start", &c.start);
  find(m.answer, "answer", &c.answer);
  find(m.end, "end", &c.end);
  find(m.caller, "caller", &c.caller);
  find(m.called, "called", &c.called);
  find(m.duration, "duration", &c.duration);
  find(m.billsec, "billsec", &c.billsec);
  find(m.disposition, "disposition", &c.disposition);
  find(m.call_id, "call_id", &c.call_id);
  find(m.leg_id, "leg_id", &c.leg_id);
  find(m.trunk, "trunk", &c.trunk);
  find(m.channel, "channel", &c.channel);
  return c;
}

bool MappedParser::parse(const CsvSplitter& f, Leg* leg, RowStatus* st) {
  const MappedColumns& c = c_.columns;
  size_t n = f.count();
  if (n != c.count) {
    st->reason = n < c.count ? SkipReason::kTooFewColumns : SkipReason::kTooManyColumns;
    st->detail = fmt::format("{} columns; the header has {}", n, c.count);
    return false;
  }
  *leg = Leg{};
  int32_t unused;
  if (!time_field(f[c.start], "start", true, fmt_, tz_, &leg->start, &leg->utc_offset, st)) return false;
  if (c.answer >= 0 && !time_field(f[c.answer], "answer", false, fmt_, tz_, &leg->answer, &unused, st)) return false;
  if (c.end >= 0 && !time_field(f[c.end], "end", true, fmt_, tz_, &leg->end, &unused, st)) return false;
  if (c.duration >= 0 && !seconds_field(f[c.duration], "duration", &leg->duration, st)) return false;
  if (c.end < 0) leg->end = leg->start + leg->duration;
  if (c.duration < 0) leg->duration = leg->end - leg->start;
  if (!check_order(*leg, st)) return false;
  if (c.billsec >= 0) {
    if (!seconds_field(f[c.billsec], "billsec", &leg->billsec, st)) return false;
    check_billsec(*leg, st);
  } else if (leg->answer != kNoTime) {
    leg->billsec = leg->end > leg->answer ? leg->end - leg->answer : 0;
  }
  Disposition d;
  if (!c_.outcomes->lookup(f[c.disposition], c_.mapping->codes, &d)) {
    st->reason = SkipReason::kUnknownDisposition;
    st->detail = "disposition " + quote_field(f[c.disposition]) + " is not in the outcome table";
    return false;
  }
  bool answered = leg->answer != kNoTime || leg->billsec > 0 || d.outcome == Outcome::kAnswered;
  leg->outcome = answered ? Outcome::kAnswered : d.outcome;
  leg->q850 = static_cast<int16_t>(d.q850);
  settle_answer(leg, answered, st);
  if (c.caller >= 0) leg->caller = f[c.caller];
  leg->called = f[c.called];
  if (c.channel >= 0) leg->channel = f[c.channel];
  if (c.trunk >= 0) leg->dstchannel = f[c.trunk];
  if (c.call_id >= 0) leg->id = f[c.call_id];
  // leg_id is not a grouping key: exports number legs 1, 2, ... within a
  // call, so it would join unrelated calls. It must exist when mapped.
  // Without a trunk column every call counts as seized: the export cannot
  // tell attempts that never got a channel.
  leg->seized = answered || c.trunk < 0 || !f[c.trunk].empty();
  for (size_t i = 0; i < n; ++i)
    if (!valid_utf8(f[i])) {
      st->warn(Warning::kNonUtf8);
      break;
    }
  return true;
}

}  // namespace telsim
