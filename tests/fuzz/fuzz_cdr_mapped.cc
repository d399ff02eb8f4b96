// libFuzzer target: the mapped CSV reader (--input mapped) with a fixed
// mapping, tests/fixtures/cdr/export.toml (';', day-first dates, SIP codes,
// Moscow time, every column kind mapped).
#include "tests/fuzz/cdr_fuzz.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const telsim::CdrMapping mapping =
      telsim::CdrMapping::load(std::string(TELSIM_SOURCE_DIR) + "/tests/fixtures/cdr/export.toml");
  telsim::fuzz::read_cdr_text(telsim::fuzz::as_text(data, size), telsim::CdrFormat::kMapped, &mapping);
  return 0;
}
