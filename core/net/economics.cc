#include "core/net/economics.h"

#include <fmt/format.h>

#include "core/base/quote.h"
#include "core/base/toml_reader.h"

namespace telsim {

std::optional<double> Economics::value_per_lead() const {
  if (call_value) return *call_value;
  if (conversion_rate && order_value) return *conversion_rate * *order_value;
  if (cost_per_lead) return *cost_per_lead;
  return std::nullopt;
}

std::string Economics::basis() const {
  if (call_value) return "call_value";
  if (conversion_rate && order_value) return "conversion";
  if (cost_per_lead) return "cost_per_lead";
  return "";
}

Economics read_economics(TomlReader& top) {
  Economics e;
  const toml::table* t = top.table("economics");
  if (!t) return e;
  TomlReader r(*t, "economics", top.file());
  e.given = true;
  auto amount = [&](const char* key) -> std::optional<double> {
    if (!r.has(key)) return std::nullopt;
    return r.non_negative(key);
  };
  e.call_value = amount("call_value");
  if (r.has("conversion_rate")) e.conversion_rate = r.probability("conversion_rate");
  e.order_value = amount("order_value");
  e.cost_per_lead = amount("cost_per_lead");
  if (r.has("calls_per_month")) {
    e.calls_per_month = r.positive("calls_per_month");
    e.volume_from = "scenario";
    if (*e.calls_per_month > 1e12) r.fail("calls_per_month", "at most 10^12 calls a month");
  }
  e.currency = r.string("currency", "");
  if (r.has("currency") && (e.currency.empty() || e.currency.size() > 8))
    r.fail("currency",
           fmt::format("expected a currency code of 1 to 8 characters (RUB, EUR), got {}", quote_field(e.currency)));
  e.source = r.string("source", "");
  if (e.conversion_rate.has_value() != e.order_value.has_value())
    r.fail(e.conversion_rate ? "conversion_rate" : "order_value",
           "conversion_rate and order_value go together (value of a lead = conversion_rate x order_value)");
  int bases = int(e.call_value.has_value()) + int(e.conversion_rate.has_value()) + int(e.cost_per_lead.has_value());
  if (bases > 1)
    r.fail(e.call_value ? "call_value" : "conversion_rate",
           "give one value of a lead: call_value, conversion_rate with order_value, or cost_per_lead");
  if (bases == 1 && e.currency.empty())
    r.fail(e.call_value ? "call_value" : e.conversion_rate ? "conversion_rate" : "cost_per_lead",
           "an amount needs its currency (currency = \"RUB\")");
  r.finish();
  return e;
}

}  // namespace telsim
