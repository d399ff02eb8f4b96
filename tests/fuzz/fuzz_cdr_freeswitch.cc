// libFuzzer target: the FreeSWITCH cdr_csv row reader (--input freeswitch).
#include "tests/fuzz/cdr_fuzz.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  telsim::fuzz::read_cdr_text(telsim::fuzz::as_text(data, size), telsim::CdrFormat::kFreeswitch, nullptr);
  return 0;
}
