#pragma once
// The CDR targets' common body: the input is a CDR file of one format, read
// through the public reader (core/cdr/cdr_reader.h) as a plain file (the
// chunked path), then strictly (stops at the first bad row). One input in
// eight (by size, so the choice is the same on every run of an input) is also
// read gzip-compressed, the streaming path stdin takes: that path zero-fills
// a 4 MiB buffer per file, which would otherwise cost 90% of the time.
#include <zlib.h>

#include "core/cdr/cdr_reader.h"
#include "tests/fuzz/fuzz_util.h"

namespace telsim::fuzz {

inline void read_cdr_text(std::string_view text, CdrFormat format, const CdrMapping* mapping) {
  std::vector<std::string> files{write("cdr.csv", text)};
  if (text.size() % 8 == 0) {
    files.push_back(path("cdr.csv.gz"));
    gzFile g = gzopen(files.back().c_str(), "wb1");
    if (!g || gzwrite(g, text.data(), static_cast<unsigned>(text.size())) != static_cast<int>(text.size()) ||
        gzclose(g) != Z_OK)
      std::abort();
  }

  CdrReadOptions o;
  o.format = format;
  o.mapping = mapping;
  o.diagnostics = devnull();
  o.threads = 1;
  // Touch what a call carries, so a dangling view or an unset field is read.
  size_t seen = 0;
  auto on_call = [&](const CdrCall& c) {
    seen += c.caller.size() + c.called.size() + c.trunk.size() + c.channel.size() + c.id.size() +
            static_cast<size_t>(c.legs) + (c.answer == kNoTime ? 0 : 1);
    seen += printable_utf8(c.caller).size();
  };
  for (const std::string& file : files) {
    expect_input_errors([&] {
      CdrSummary s = for_each_call({file}, o, on_call);
      if (s.rows < s.skipped) std::abort();  // every row is kept or skipped once
    });
  }
  o.strict = true;
  expect_input_errors([&] { for_each_call({files[0]}, o, on_call); });
  if (seen == SIZE_MAX) std::abort();
}

}  // namespace telsim::fuzz
