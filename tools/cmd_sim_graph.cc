// telsim sim graph: a picture of a scenario's network. A verb of `sim` in a
// file of its own because it simulates nothing: `telsim` runs it itself,
// without starting telsim-sim and SimGrid (tools/main.cc), and telsim-sim
// adds it to its `sim` too (completions and man page describe the whole tree).
#include <fmt/format.h>

#include "core/base/error.h"
#include "core/base/quote.h"
#include "core/net/graph.h"
#include "core/net/scenario.h"
#include "tools/cli.h"
#include "tools/graphviz.h"
#include "tools/output.h"

namespace {

struct GraphArgs {
  std::string scenario, format = "dot", out;
  std::vector<std::string> sets;
};

// `--set KEY=VALUE` as in `sim run`: one network, so NETWORK: may only name
// this one (its name, A or 1).
telsim::Overrides overrides(const GraphArgs& a) {
  telsim::Overrides o;
  std::vector<std::string> targets;
  for (auto& s : a.sets) {
    auto eq = s.find('=');
    if (eq == std::string::npos || eq == 0)
      throw telsim::InputError(
          fmt::format("--set {}: expected KEY=VALUE or NETWORK:KEY=VALUE", telsim::quote_field(s)));
    std::string key = s.substr(0, eq);
    auto colon = key.find(':');
    if (colon != std::string::npos) {
      targets.push_back(s);
      key = key.substr(colon + 1);
    }
    o.emplace_back(key, s.substr(eq + 1));
  }
  if (!targets.empty()) {
    // The name is the scenario's own, known only once it is read.
    telsim::Scenario plain = telsim::load_scenario(a.scenario);
    for (auto& s : targets) {
      std::string target = s.substr(0, s.find(':'));
      if (target != plain.name && target != "A" && target != "1")
        throw telsim::InputError(fmt::format("--set {}: no network {} (networks: A or {})", telsim::quote_field(s),
                                             telsim::quote_field(target), plain.name));
    }
  }
  return o;
}

}  // namespace

void setup_sim_graph(CLI::App& sim) {
  auto a = std::make_shared<GraphArgs>();
  auto* cmd = sim.add_subcommand(
      "graph", "Draw a network: operators, interconnects and the paths calls take: telsim sim graph "
               "scenarios/transit-vs-direct-transit.toml --format svg --out transit.svg");
  cmd->add_option("SCENARIO", a->scenario, "Scenario file (TOML)")->required();
  cmd->add_option("--format", a->format,
                  "dot: Graphviz DOT text (default, needs nothing); svg: rendered by Graphviz's dot program "
                  "(Debian package graphviz)")
      ->check(CLI::IsMember({"dot", "svg"}));
  cmd->add_option("--set", a->sets, "Override a scenario key by its dotted path, as in sim run: "
                                    "--set interconnects.t1-t2.channels=60")
      ->type_name("KEY=VALUE")
      ->allow_extra_args(false);  // one value per --set: never swallow SCENARIO
  telsim::out::add_out_option(*cmd, a->out, "Write the picture to FILE instead of stdout (atomically)");
  cmd->callback([a] {
    telsim::Scenario sc = telsim::load_scenario(a->scenario, overrides(*a));
    std::string text = telsim::net::network_dot(sc);
    if (a->format == "svg") text = telsim::graphviz::render_svg(text);
    telsim::cli::emit(text, a->out);
  });
}
