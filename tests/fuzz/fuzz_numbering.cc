// libFuzzer target: the numbering registry import (core/cdr/numbering.h).
// The input is one registry CSV; it is imported leniently (bad rows skipped),
// the written registry is loaded back and looked up, then imported strictly.
#include "core/cdr/numbering.h"
#include "tests/fuzz/fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace telsim;
  std::string csv = fuzz::write("registry.csv", fuzz::as_text(data, size));
  std::string out = fuzz::path("registry.bin");
  std::filesystem::remove(out);
  fuzz::expect_input_errors([&] {
    std::string image;
    Numbering::import({csv}, &image, false, fuzz::devnull());
    fuzz::write("registry.bin", image);
    Numbering n = Numbering::load(out);
    RangeInfo info;
    size_t seen = 0;  // read what a lookup points to
    for (const char* number : {"+74951000000", "+79160000000", "+79031500000", "84951999999", "9999999999", "+7"})
      if (n.lookup(number, &info)) seen += info.op.size() + info.region.size() + n.op_name(info.op_index).size();
    if (seen == SIZE_MAX) std::abort();
  });
  fuzz::expect_input_errors([&] {
    std::string image;
    Numbering::import({csv}, &image, true, fuzz::devnull());
  });
  return 0;
}
