#include "core/base/quote.h"
#include "core/cdr/cdr_freeswitch.h"

namespace telsim {

using namespace cdr_detail;

bool FreeswitchParser::parse(const CsvSplitter& f, Leg* leg, RowStatus* st) {
  size_t n = f.count();
  if (n != 15) {
    st->reason = n < 15 ? SkipReason::kTooFewColumns : SkipReason::kTooManyColumns;
    st->detail = std::to_string(n) + " columns; the default mod_cdr_csv template has 15";
    return false;
  }
  *leg = Leg{};
  if (!time_columns(f, TimeColumns{4, 5, 6, 7, 8}, fmt_, tz_, leg, st)) return false;
  Disposition d;
  if (!c_.outcomes->lookup(f[9], OutcomeMap::Codes::kQ850, &d)) {
    st->reason = SkipReason::kUnknownDisposition;
    st->detail = "hangup cause " + quote_field(f[9]) + " is not in the outcome table";
    return false;
  }
  // The cause says how a call ended, not whether it was answered: a call
  // answered and then cleared normally has an answer stamp.
  bool answered = leg->answer != kNoTime || leg->billsec > 0 || d.outcome == Outcome::kAnswered;
  leg->outcome = answered ? Outcome::kAnswered : d.outcome;
  leg->q850 = static_cast<int16_t>(d.q850);
  settle_answer(leg, answered, st);
  leg->caller = f[1];
  leg->called = f[2];
  leg->id = f[10];
  leg->other_id = f[11];
  leg->seized = answered || !f[11].empty();
  if (!valid_utf8(f[0])) st->warn(Warning::kNonUtf8);
  return true;
}

}  // namespace telsim
