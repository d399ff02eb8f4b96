#include "tools/progress.h"

#include <fmt/format.h>

#include <cstdio>
#include <string>

#include "tools/cli.h"

namespace telsim::cli {

ProgressBar::ProgressBar() : enabled_(stderr_is_tty()) {}

ProgressBar::~ProgressBar() {
  if (shown_) fmt::print(stderr, "\r\033[K");  // back to the start of the line, erase it
}

void ProgressBar::show(const RunProgress& p) {
  if (!enabled_ || p.elapsed_seconds <= 1.0) return;
  const int width = 30;
  int fill = static_cast<int>(p.done * width);
  std::string bar(fill, '#');
  bar += std::string(width - fill, '.');
  // Time left: the elapsed time scaled by what remains, once there is something to scale.
  std::string left = p.done > 0.01 ? fmt::format("  ~{:.0f}s left", p.elapsed_seconds * (1 - p.done) / p.done) : "";
  fmt::print(stderr, "\r[{}] {:5.1f}%  {}/{} replications  {:.0f}s{}\033[K", bar, p.done * 100, p.replications_done,
             p.replications, p.elapsed_seconds, left);
  std::fflush(stderr);
  shown_ = true;
}

}  // namespace telsim::cli
