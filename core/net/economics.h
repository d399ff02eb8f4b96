#pragma once
// What a lost call costs the prospect: the `[economics]` table of a scenario
// (docs/scenario-format.md). core/ only reads and checks the values; the
// simulator turns losses into money (sim/economics.h).
#include <optional>
#include <string>

namespace telsim {

class TomlReader;

/// The prospect's money and volume: what one lead (a caller who reaches the
/// business) is worth, in which currency, and how many calls a month the
/// prospect receives.
///
/// What it promises once read: `given` is false and every value empty when
/// the scenario has no `[economics]`; otherwise exactly one value basis is
/// set (`call_value`, or `conversion_rate` with `order_value`, or
/// `cost_per_lead`), every amount is finite and non-negative, the rate is a
/// probability, and `currency` is 1 to 8 characters.
struct Economics {
  bool given = false;
  std::optional<double> call_value;       // money one answered lead brings
  std::optional<double> conversion_rate;  // share of leads that buy ...
  std::optional<double> order_value;      // ... an order of this value
  std::optional<double> cost_per_lead;    // marketing spend per lead (what a lost lead wastes)
  std::optional<double> calls_per_month;  // the prospect's callers a month; empty: the simulated traffic
  std::string currency;                   // "RUB", "EUR", ...; empty: no money at all
  std::string source;                     // where the figures come from, in words
  /// Where `calls_per_month` comes from: "scenario", "option" (the command
  /// line), or "simulated" when it is empty (the simulated callers of 30 days).
  std::string volume_from = "simulated";

  /// Money one lost lead costs: call_value, conversion_rate x order_value or
  /// cost_per_lead; empty when no basis is set.
  std::optional<double> value_per_lead() const;
  /// "call_value", "conversion" or "cost_per_lead"; "" when none.
  std::string basis() const;
};

/// Reads `[economics]` from the scenario's top-level table (no table: an
/// Economics with `given` false). Throws InputError naming file, line and key
/// for an unknown key, a wrong type, a value out of range or an incomplete
/// or ambiguous value basis.
Economics read_economics(TomlReader& top);

}  // namespace telsim
