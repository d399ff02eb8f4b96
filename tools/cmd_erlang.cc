// telsim erlang b|c|engset|channels: the teletraffic formulas from core.
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "core/base/erlang.h"
#include "core/base/table.h"
#include "tools/cli.h"
#include "tools/contract.h"

namespace {

struct ErlangArgs {
  double a = 0, beta = 0, max_blocking = 0.01;
  int c = 0, n = 0;
  std::string format;
};

void print(const std::string& format, const char* schema, const std::string& what, nlohmann::ordered_json inputs, const std::string& key,
           double value, bool integer) {
  if (format == "json") {
    inputs[key] = integer ? nlohmann::ordered_json(static_cast<long long>(value)) : nlohmann::ordered_json(value);
    telsim::cli::emit(telsim::cli::stamped(schema, inputs, "json").dump(2) + "\n");
    return;
  }
  std::string v = integer ? fmt::format("{:.0f}", value) : fmt::format("{:.6g}", value);
  if (format == "csv") {
    std::string h, r;
    for (auto& [k, x] : inputs.items()) {
      h += k + ",";
      r += x.dump() + ",";
    }
    telsim::cli::emit(h + key + "\n" + r + v + "\n");
    return;
  }
  telsim::cli::emit(fmt::format("{} = {}\n", what, v));
}

}  // namespace

void setup_erlang(CLI::App& app) {
  auto args = std::make_shared<ErlangArgs>();

  auto* b = app.add_subcommand("b", "Blocking probability of a loss system: telsim erlang b 100 110");
  b->add_option("A", args->a, "Offered load, erlangs")->required()->check(telsim::cli::non_negative());
  b->add_option("C", args->c, "Channels")->required()->check(telsim::cli::non_negative(true));
  telsim::cli::add_format(*b, args->format);
  b->callback([args] {
    print(args->format, "telsim.erlang-b/1", fmt::format("B({:g}, {})", args->a, args->c), {{"load", args->a}, {"channels", args->c}},
          "blocking", telsim::erlang_b(args->a, args->c), false);
  });

  auto* c = app.add_subcommand("c", "Probability of waiting in an M/M/c queue: telsim erlang c 8 10");
  c->add_option("A", args->a, "Offered load, erlangs")->required()->check(telsim::cli::non_negative());
  c->add_option("C", args->c, "Servers")->required()->check(telsim::cli::positive(true));
  telsim::cli::add_format(*c, args->format);
  c->callback([args] {
    print(args->format, "telsim.erlang-c/1", fmt::format("C({:g}, {})", args->a, args->c), {{"load", args->a}, {"servers", args->c}},
          "wait_probability", telsim::erlang_c(args->a, args->c), false);
  });

  auto* e = app.add_subcommand("engset", "Call congestion with finite sources: telsim erlang engset 20 5 0.1");
  e->add_option("N", args->n, "Sources")->required()->check(telsim::cli::positive(true));
  e->add_option("C", args->c, "Channels")->required()->check(telsim::cli::non_negative(true));
  e->add_option("BETA", args->beta, "Offered traffic per idle source, erlangs")->required()->check(telsim::cli::non_negative());
  telsim::cli::add_format(*e, args->format);
  e->callback([args] {
    print(args->format, "telsim.erlang-engset/1", fmt::format("Engset(N={}, C={}, beta={:g})", args->n, args->c, args->beta),
          {{"sources", args->n}, {"channels", args->c}, {"beta", args->beta}}, "blocking",
          telsim::engset(args->n, args->c, args->beta), false);
  });

  auto* ch = app.add_subcommand("channels", "Channels needed for a blocking target: telsim erlang channels 100 --max-blocking 0.01");
  ch->add_option("A", args->a, "Offered load, erlangs")->required()->check(telsim::cli::non_negative());
  ch->add_option("--max-blocking", args->max_blocking, "Highest acceptable blocking probability (0..1)")
      ->check(telsim::cli::within(0, 1));
  telsim::cli::add_format(*ch, args->format);
  ch->callback([args] {
    int n = telsim::erlang_b_channels(args->a, args->max_blocking);
    print(args->format, "telsim.erlang-channels/1", fmt::format("channels for A={:g} at blocking <= {:g}", args->a, args->max_blocking),
          {{"load", args->a}, {"max_blocking", args->max_blocking}}, "channels", n, true);
  });
}
