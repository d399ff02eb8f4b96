// libFuzzer target: the Asterisk Master.csv row reader (--input asterisk).
#include "tests/fuzz/cdr_fuzz.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  telsim::fuzz::read_cdr_text(telsim::fuzz::as_text(data, size), telsim::CdrFormat::kAsterisk, nullptr);
  return 0;
}
