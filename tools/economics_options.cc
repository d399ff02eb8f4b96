#include "tools/economics_options.h"

#include <fmt/format.h>

#include "core/base/error.h"
#include "core/base/quote.h"
#include "tools/cli.h"

namespace telsim::cli {

bool EconomicsOptions::any() const {
  return wanted || call_value >= 0 || conversion_rate >= 0 || order_value >= 0 || cost_per_lead >= 0 ||
         calls_per_month >= 0 || !currency.empty();
}

void add_economics_options(CLI::App& cmd, EconomicsOptions& o) {
  const std::string g = "Economics (money per month; docs/scenario-format.md [economics])";
  auto* value = cmd.add_option("--call-value", o.call_value, "Money a call that gets through brings (a lead's value)")
                    ->check(non_negative())->group(g);
  auto* rate = cmd.add_option("--conversion-rate", o.conversion_rate, "Share of leads that buy (0 to 1); with --order-value")
                   ->check(within(0, 1))->group(g);
  auto* order = cmd.add_option("--order-value", o.order_value, "Average order value; with --conversion-rate")
                    ->check(non_negative())->group(g);
  auto* cpl = cmd.add_option("--cost-per-lead", o.cost_per_lead, "Marketing spend per lead (what a lost lead wastes)")
                  ->check(non_negative())->group(g);
  rate->needs(order);
  order->needs(rate);
  value->excludes(rate)->excludes(cpl);
  cpl->excludes(rate);
  cmd.add_option("--currency", o.currency, "Currency of the amounts: RUB, EUR, ...")->group(g);
  cmd.add_option("--calls-per-month", o.calls_per_month,
                 "The prospect's calls a month (callers); default: the scenario's, else the simulated traffic")
      ->check(positive())->group(g);
  cmd.add_flag("--economics", o.wanted, "Add the economics figures even without a value of a lead")->group(g);
}

namespace {

// The keys of [economics] on which `a` and `b` differ, each with both values.
std::vector<std::string> differences(const Economics& a, const Economics& b) {
  std::vector<std::string> out;
  auto text = [](const std::optional<double>& v) { return v ? fmt::format("{:g}", *v) : std::string("not set"); };
  auto number = [&](const char* key, const std::optional<double>& x, const std::optional<double>& y) {
    if (x != y) out.push_back(fmt::format("{} ({} against {})", key, text(x), text(y)));
  };
  number("call_value", a.call_value, b.call_value);
  number("conversion_rate", a.conversion_rate, b.conversion_rate);
  number("order_value", a.order_value, b.order_value);
  number("cost_per_lead", a.cost_per_lead, b.cost_per_lead);
  number("calls_per_month", a.calls_per_month, b.calls_per_month);
  if (a.currency != b.currency)
    out.push_back(fmt::format("currency ({} against {})", quote_field(a.currency), quote_field(b.currency)));
  return out;
}

}  // namespace

Economics override_economics(const EconomicsOptions& o, Economics e) {
  e.given = true;
  if (o.call_value >= 0 || o.conversion_rate >= 0 || o.cost_per_lead >= 0) {
    e.call_value.reset();
    e.conversion_rate.reset();
    e.order_value.reset();
    e.cost_per_lead.reset();
    if (o.call_value >= 0) e.call_value = o.call_value;
    if (o.conversion_rate >= 0) {
      e.conversion_rate = o.conversion_rate;
      e.order_value = o.order_value;
    }
    if (o.cost_per_lead >= 0) e.cost_per_lead = o.cost_per_lead;
    e.source = "command line";
  }
  if (!o.currency.empty()) {
    if (o.currency.size() > 8)
      throw InputError(fmt::format("--currency {}: expected a currency code of 1 to 8 characters (RUB, EUR)",
                                   quote_field(o.currency)));
    e.currency = o.currency;
  }
  if (o.calls_per_month >= 0) {
    if (o.calls_per_month > 1e12) throw InputError("--calls-per-month: at most 10^12 calls a month");
    e.calls_per_month = o.calls_per_month;
    e.volume_from = "option";
  }
  if (e.value_per_lead() && e.currency.empty()) {
    const char* opt = o.call_value >= 0 ? "--call-value" : o.conversion_rate >= 0 ? "--conversion-rate" : "--cost-per-lead";
    throw InputError(fmt::format("{}: an amount needs its currency: add --currency (RUB, EUR, ...)", opt));
  }
  return e;
}

std::optional<Economics> resolve_economics(const EconomicsOptions& o, const std::vector<const Scenario*>& scenarios) {
  const Scenario* first = nullptr;
  for (auto* sc : scenarios) {
    if (!sc->economics.given) continue;
    if (!first) first = sc;
    else if (auto keys = differences(first->economics, sc->economics); !keys.empty())
      throw InputError(fmt::format("{} and {} price calls differently in [economics]: {}; give the same table to "
                                   "both (a shared include) or set the values with --call-value, --currency, ...",
                                   first->file, sc->file, cli::join_list(keys)));
  }
  if (!first && !o.any()) return std::nullopt;
  Economics e = first ? first->economics : Economics{};
  if (!o.any()) return e;
  return override_economics(o, e);
}

}  // namespace telsim::cli
