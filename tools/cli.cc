#include "tools/cli.h"

#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "core/base/error.h"

namespace telsim::cli {

CLI::Option* add_format(CLI::App& app, std::string& format) {
  format = "table";
  return app.add_option("--format", format, "Output format")->check(CLI::IsMember({"table", "json", "csv"}));
}

void emit(const std::string& text, const std::string& out_path) {
  if (out_path.empty() || out_path == "-") {
    std::fwrite(text.data(), 1, text.size(), stdout);
    std::fflush(stdout);
    return;
  }
  std::string tmp = out_path + ".tmp." + std::to_string(getpid());
  {
    std::ofstream f(tmp, std::ios::binary);
    if (!f) throw InputError(fmt::format("--out {}: cannot write there", out_path));
    f << text;
    f.close();
    if (!f) {
      std::filesystem::remove(tmp);
      throw std::runtime_error(fmt::format("--out {}: write failed", out_path));
    }
  }
  std::filesystem::rename(tmp, out_path);
}

bool stderr_is_tty() { return isatty(fileno(stderr)) != 0; }

std::string with_option(const std::exception& e) {
  const auto* in = dynamic_cast<const InputError*>(&e);
  switch (in ? in->topic() : Topic::kNone) {
    case Topic::kTimeZone: return fmt::format("--tz {}", e.what());
    case Topic::kRegion: return fmt::format("--region {}", e.what());
    // Only --strict turns strict reading on.
    case Topic::kStrictStop: return fmt::format("{} (--strict stops at the first bad row)", e.what());
    // Only `erlang channels` takes a blocking target.
    case Topic::kBlockingTarget: return "erlang channels: --max-blocking must be in (0, 1)";
    default: return e.what();
  }
}

}  // namespace telsim::cli
