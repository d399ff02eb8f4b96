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
  return r;
}

/// Path of a file in the source tree (scenarios, fixtures).
inline std::string source(const std::string& rel) { return std::string(TELSIM_SOURCE_DIR) + "/" + rel; }

}  // namespace telsim::test
