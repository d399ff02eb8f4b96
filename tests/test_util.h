#pragma once
// Helpers for tests that run the real `telsim` binary as a user would.
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace telsim::test {

struct Run {
  int exit_code = -1;
  std::string out, err;
};

/// A fresh empty directory under the system temp dir, removed at scope exit.
class TempDir {
 public:
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "telsim-test-XXXXXX").string();
    char* p = mkdtemp(tmpl.data());
    path_ = p ? p : "";
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  std::string path() const { return path_; }
  std::string file(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

inline std::string slurp(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

inline void write_file(const std::string& path, const std::string& text) {
  std::ofstream f(path, std::ios::binary);
  f << text;
}

#if defined(__SANITIZE_ADDRESS__)
#define TELSIM_TEST_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TELSIM_TEST_ASAN 1
#endif
#endif

/// `err` without the warning AddressSanitizer prints, once per process, when
/// code on one of SimGrid's actor stacks (its own context switching, which
/// ASan cannot see) throws: "==PID==WARNING: ASan is ignoring requested
/// __asan_handle_no_return: ..." and its two following lines. Only those
/// exact lines go; a real report still fails the run (it aborts, exit != 0).
inline std::string without_asan_stack_warning(std::string err) {
  static const std::string kHead = "WARNING: ASan is ignoring requested __asan_handle_no_return: ";
  static const std::string kTail =
      "False positive error reports may follow\nFor details see https://github.com/google/sanitizers/issues/189\n";
  size_t at = 0;
  while ((at = err.find(kHead, at)) != std::string::npos) {
    size_t start = err.rfind('\n', at);
    start = start == std::string::npos ? 0 : start + 1;
    size_t eol = err.find('\n', at);
    bool pid = at >= start + 4 && err.compare(start, 2, "==") == 0 && err.compare(at - 2, 2, "==") == 0;
    if (!pid || eol == std::string::npos || err.compare(eol + 1, kTail.size(), kTail) != 0) {
      at += kHead.size();
      continue;
    }
    err.erase(start, eol + 1 + kTail.size() - start);
    at = start;
  }
  return err;
}

/// Runs `telsim ARGS` (ARGS is shell syntax) with stdin from /dev/null and
/// captures stdout, stderr and the exit code.
inline Run telsim(const std::string& args, const std::string& env = "") {
  static int counter = 0;
  TempDir dir;
  std::string out = dir.file("out"), err = dir.file("err");
  std::string cmd = env + (env.empty() ? "" : " ") + std::string(TELSIM_BIN) + " " + args + " </dev/null >" + out +
                    " 2>" + err;
  ++counter;
  int status = std::system(cmd.c_str());
  Run r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = slurp(out);
  r.err = slurp(err);
#ifdef TELSIM_TEST_ASAN
  r.err = without_asan_stack_warning(r.err);
#endif
  return r;
}

/// Path of a file in the source tree (scenarios, fixtures).
inline std::string source(const std::string& rel) { return std::string(TELSIM_SOURCE_DIR) + "/" + rel; }

/// Whether `s` contains `part` (a message, an output).
inline bool has(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

}  // namespace telsim::test
