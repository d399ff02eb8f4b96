#include "core/base/quote.h"
#include "core/cdr/cdr_asterisk.h"

namespace telsim {

using namespace cdr_detail;

bool AsteriskParser::parse(const CsvSplitter& f, Leg* leg, RowStatus* st) {
  size_t n = f.count();
  if (n != 16 && n != 18 && n != 21) {
    st->reason = n < 16 ? SkipReason::kTooFewColumns : SkipReason::kTooManyColumns;
    st->detail = std::to_string(n) + " columns; Asterisk writes 16, 18 or 21";
    return false;
  }
  *leg = Leg{};
  if (!time_columns(f, TimeColumns{9, 10, 11, 12, 13}, fmt_, tz_, leg, st)) return false;
  Disposition d;
  bool known = false;
  for (auto& x : seen_)
    if (x.text == f[14]) {
      d = x.d;
      known = true;
      break;
    }
  if (!known && c_.outcomes->lookup(f[14], OutcomeMap::Codes::kQ850, &d)) {
    known = true;
    if (seen_.size() < 16) seen_.push_back(Seen{std::string(f[14]), d});
  }
  if (!known) {
    st->reason = SkipReason::kUnknownDisposition;
    st->detail = "disposition " + quote_field(f[14]) + " is not in the outcome table";
    return false;
  }
  leg->outcome = d.outcome;
  leg->q850 = static_cast<int16_t>(d.q850);
  // Master.csv has no cause column; dialplans that keep the cause write it
  // in the userfield (Set(CDR(userfield)=${HANGUPCAUSE})), as telsim's
  // simulated CDRs do. A userfield that is a Q.850 cause (1..127) is taken
  // as the call's cause; the disposition still decides the outcome.
  int64_t cause;
  if (n >= 18 && parse_int(f[17], &cause) && cause >= 1 && cause <= 127) leg->q850 = static_cast<int16_t>(cause);
  settle_answer(leg, d.outcome == Outcome::kAnswered, st);
  leg->caller = f[1];
  leg->called = f[2];
  leg->channel = f[5];
  leg->dstchannel = f[6];
  leg->seized = d.outcome == Outcome::kAnswered || !f[6].empty();
  if (n == 21 && !f[19].empty()) leg->id = f[19];
  else if (n >= 18) leg->id = f[16];
  if (!valid_utf8(f[4])) st->warn(Warning::kNonUtf8);
  return true;
}

}  // namespace telsim
