// libFuzzer target: the CDR mapping file (TOML, docs/cdr.md). A mapping that
// loads is then used to read tests/fixtures/cdr/export.csv, so fuzzed column
// names, delimiters, date formats, zones and code tables reach the reader.
#include "tests/fuzz/cdr_fuzz.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace telsim;
  static const std::string csv =
      fuzz::write("export.csv", fuzz::slurp(std::string(TELSIM_SOURCE_DIR) + "/tests/fixtures/cdr/export.csv"));
  std::string file = fuzz::write("mapping.toml", fuzz::as_text(data, size));
  fuzz::expect_input_errors([&] {
    CdrMapping m = CdrMapping::load(file);
    CdrReadOptions o;
    o.format = CdrFormat::kMapped;
    o.mapping = &m;
    o.diagnostics = fuzz::devnull();
    for_each_call({csv}, o, [](const CdrCall&) {});
  });
  return 0;
}
