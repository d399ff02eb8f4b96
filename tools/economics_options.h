#pragma once
// The command-line side of `[economics]` (core/net/economics.h): the options
// of sim run, sim compare and report that price losses, and how they combine
// with the scenarios' own table.
#include <CLI/CLI.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/net/economics.h"
#include "core/net/scenario.h"

namespace telsim::cli {

/// The economics options as given (NaN or empty: not given).
struct EconomicsOptions {
  double call_value = -1, conversion_rate = -1, order_value = -1, cost_per_lead = -1, calls_per_month = -1;
  std::string currency;
  bool wanted = false;  // --economics: monthly figures even without any value

  bool any() const;
};

/// Adds --call-value, --conversion-rate, --order-value, --cost-per-lead,
/// --currency, --calls-per-month and --economics to `cmd`.
void add_economics_options(CLI::App& cmd, EconomicsOptions& o);

/// The economics of a run of `scenarios`: the first scenario's `[economics]`
/// (every other one that has the table must agree), then the options on top
/// (a value option replaces the scenario's value basis). Empty when neither
/// the scenarios nor the options ask for economics. Throws InputError naming
/// the option or the files for what does not fit together.
std::optional<Economics> resolve_economics(const EconomicsOptions& o, const std::vector<const Scenario*>& scenarios);

/// The same for a document already written: `base` is what the document
/// used; the options replace its values.
Economics override_economics(const EconomicsOptions& o, Economics base);

}  // namespace telsim::cli
