// libFuzzer target: `--set KEY=VALUE` overrides (core/net/scenario.h),
// applied to a fixed valid scenario, scenarios/article-operator.toml. The
// input is one override per line, split at the first '=' as the command
// line splits them (tools/cmd_sim.cc refuses a --set without one).
#include "core/net/scenario.h"
#include "tests/fuzz/fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace telsim;
  static const std::string scenario = std::string(TELSIM_SOURCE_DIR) + "/scenarios/article-operator.toml";
  std::string_view text = fuzz::as_text(data, size);
  Overrides sets;
  while (!text.empty()) {
    size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    size_t eq = line.find('=');
    if (eq == std::string_view::npos || eq == 0) continue;
    sets.emplace_back(std::string(line.substr(0, eq)), std::string(line.substr(eq + 1)));
  }
  fuzz::expect_input_errors([&] { load_scenario(scenario, sets); });
  return 0;
}
