#pragma once
// The progress bar of `sim run` and `sim compare` on stderr. The simulator
// only reports how far it is (RunOptions::on_progress); drawing, the terminal
// check and the escape codes are the command line's business.
#include <functional>

#include "sim/simulator.h"

namespace telsim::cli {

/// A one-line progress bar for one run_replications call: drawn only when
/// stderr is a terminal and the run has lasted more than a second (short runs
/// stay quiet), redrawn in place, and erased when the object goes, so that
/// what follows on stderr starts on a clean line.
class ProgressBar {
 public:
  ProgressBar();
  ~ProgressBar();
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;

  /// The callback to put into RunOptions::on_progress.
  std::function<void(const RunProgress&)> reporter() {
    return [this](const RunProgress& p) { show(p); };
  }
  void show(const RunProgress& p);

 private:
  bool enabled_;
  bool shown_ = false;
};

}  // namespace telsim::cli
