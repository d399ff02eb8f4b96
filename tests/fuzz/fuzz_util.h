#pragma once
// Shared by the libFuzzer targets of tests/fuzz (docs/reliability.md): one
// temp dir per process, removed at exit; inputs written to files there,
// because the entry points under test read files as a user's would be read.
// Bad input must end in InputError; anything else is a finding.
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

#include "core/base/error.h"

namespace telsim::fuzz {

/// The process's scratch folder: created on first use, removed at exit, so a
/// run of millions of executions leaves no files behind. In /dev/shm when
/// there is one: SQLite's fsyncs on a disk would set the pace otherwise.
inline const std::string& scratch() {
  static const std::string dir = [] {
    std::error_code ec;
    std::filesystem::path base =
        std::filesystem::is_directory("/dev/shm", ec) ? "/dev/shm" : std::filesystem::temp_directory_path();
    std::string tmpl = (base / "telsim-fuzz-XXXXXX").string();
    if (!mkdtemp(tmpl.data())) std::abort();
    static std::string removed_at_exit = tmpl;
    std::atexit([] {
      std::error_code ec;
      std::filesystem::remove_all(removed_at_exit, ec);
    });
    return tmpl;
  }();
  return dir;
}

inline std::string path(const std::string& name) { return scratch() + "/" + name; }

/// Writes `bytes` to `name` in the scratch folder (replacing it) and returns its path.
inline std::string write(const std::string& name, std::string_view bytes) {
  std::string p = path(name);
  std::ofstream f(p, std::ios::binary | std::ios::trunc);
  f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!f) std::abort();
  return p;
}

inline std::string slurp(const std::string& p) {
  std::ifstream f(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
}

/// Where diagnostics go: nowhere (they are formatted, then dropped).
inline std::FILE* devnull() {
  static std::FILE* f = std::fopen("/dev/null", "w");
  return f;
}

/// Runs `f`; InputError is the expected answer to bad input. Any other
/// exception escapes and libFuzzer reports it as a crash.
template <class F>
void expect_input_errors(F&& f) {
  try {
    f();
  } catch (const InputError&) {
  }
}

inline std::string_view as_text(const uint8_t* data, size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

}  // namespace telsim::fuzz
