// run_replications seen from outside, as a CI runner sees it: its worker
// processes must not outlive telsim, however telsim ends.
#include <dirent.h>
#include <doctest/doctest.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "tests/test_util.h"

namespace {

// Processes of group `pgid` that still run (zombies are dead already: their
// parent, or init for orphans, has only to reap them).
std::vector<pid_t> running_in_group(pid_t pgid) {
  std::vector<pid_t> out;
  DIR* proc = opendir("/proc");
  if (!proc) return out;
  while (dirent* e = readdir(proc)) {
    char* end = nullptr;
    long pid = std::strtol(e->d_name, &end, 10);
    if (pid <= 0 || *end) continue;
    std::ifstream f(std::string("/proc/") + e->d_name + "/stat");
    std::string stat;
    if (!std::getline(f, stat)) continue;
    // pid (comm) state ppid pgrp ...; comm may hold spaces and parentheses.
    size_t close = stat.rfind(')');
    if (close == std::string::npos) continue;
    char state = 0;
    long ppid = 0, pgrp = 0;
    if (std::sscanf(stat.c_str() + close + 1, " %c %ld %ld", &state, &ppid, &pgrp) != 3) continue;
    if (pgrp == pgid && state != 'Z' && state != 'X') out.push_back(static_cast<pid_t>(pid));
  }
  closedir(proc);
  return out;
}

// Waits up to `seconds` for `done` to hold.
template <typename Pred>
bool wait_for(double seconds, Pred done) {
  auto until = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  while (!done()) {
    if (std::chrono::steady_clock::now() > until) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return true;
}

}  // namespace

TEST_CASE("telsim killed with SIGKILL takes its replication workers with it") {
  const std::string scenario = telsim::test::source("scenarios/erlang-b.toml");
  // Many long replications: each worker would run for many seconds on its own.
  pid_t telsim = fork();
  REQUIRE(telsim >= 0);
  if (telsim == 0) {
    setpgid(0, 0);  // its own process group, which its workers inherit
    int null = open("/dev/null", O_RDWR);
    dup2(null, 0);
    dup2(null, 1);
    dup2(null, 2);
    execl(TELSIM_BIN, "telsim", "sim", "run", scenario.c_str(), "--replications", "50", "--days", "3000", "--jobs",
          "2", static_cast<char*>(nullptr));
    _exit(127);
  }
  setpgid(telsim, telsim);  // from both sides, whichever runs first
  const bool started = wait_for(20, [&] { return running_in_group(telsim).size() >= 3; });  // telsim + 2 workers
  std::vector<pid_t> before = running_in_group(telsim);

  kill(telsim, SIGKILL);
  int status = 0;
  waitpid(telsim, &status, 0);
  const bool gone = wait_for(2, [&] { return running_in_group(telsim).empty(); });
  std::vector<pid_t> left = running_in_group(telsim);
  kill(-telsim, SIGKILL);  // never leave workers behind, even when the check fails

  INFO("processes of the group before the kill: ", before.size(), ", 2 s after it: ", left.size());
  REQUIRE(started);
  CHECK(WIFSIGNALED(status));
  CHECK(gone);
}
