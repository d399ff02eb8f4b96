// libFuzzer target: the scenario loader (core/net/scenario.h) with includes.
// The input is a scenario file, main.toml, in a folder that also holds
// include/client-traffic.toml (the shipped include, so the shipped scenarios
// that include it load as seeds). An input with a line "#@include" is cut
// there: what follows replaces the include file's text, so both files are fuzzed.
#include "core/net/scenario.h"
#include "tests/fuzz/fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace telsim;
  static const std::string shipped =
      fuzz::slurp(std::string(TELSIM_SOURCE_DIR) + "/scenarios/include/client-traffic.toml");
  static const bool made = std::filesystem::create_directories(fuzz::path("include"));
  (void)made;
  std::string_view text = fuzz::as_text(data, size);
  std::string_view include = shipped;
  constexpr std::string_view kCut = "#@include\n";
  if (size_t at = text.find(kCut); at != std::string_view::npos) {
    include = text.substr(at + kCut.size());
    text = text.substr(0, at);
  }
  fuzz::write("include/client-traffic.toml", include);
  std::string main = fuzz::write("main.toml", text);
  fuzz::expect_input_errors([&] { load_scenario(main); });
  return 0;
}
