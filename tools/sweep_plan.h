#pragma once
// The plan of a parameter study (`telsim sim sweep`): the values each
// `--vary` takes, the points they make (a full grid, or paired with --zip),
// which work units a shard runs, and how many CPUs this process may use.
// Pure functions: no simulator, no files (but available_cpus).
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace telsim::sweep {

/// One `--vary [NETWORK:]KEY=VALUES`: VALUES a list (`100,110,120`) or a
/// range FROM:TO:STEP (`100:130:5`, TO included when the steps reach it).
struct Vary {
  std::string text;  // as written
  std::string key;   // [NETWORK:]KEY, as in --set
  std::vector<std::string> values;
};

/// Parses one --vary; throws InputError naming it when malformed (no '=',
/// an empty value, a range with a step that is not positive or too many values).
Vary parse_vary(const std::string& text);

/// A point: one value per varied key, in the order of the --vary options.
using Point = std::vector<std::pair<std::string, std::string>>;

/// Every point: the full grid (the last --vary changes fastest), or with
/// `zip` the i-th values together (all lists must have the same length, else
/// InputError). No --vary: one point with no parameters.
std::vector<Point> points(const std::vector<Vary>& vary, bool zip);

/// `--shard K/N` (1 <= K <= N): throws InputError when malformed.
std::pair<int, int> parse_shard(const std::string& text);

/// Whether work unit `unit` (0-based, point-major) belongs to shard k of n:
/// unit mod n == k - 1, so shards differ by at most one unit.
inline bool in_shard(size_t unit, int k, int n) { return static_cast<int>(unit % static_cast<size_t>(n)) == k - 1; }

/// CPUs allowed by a cgroup v2 `cpu.max` file's text ("max 100000" or
/// "QUOTA PERIOD"): quota / period rounded up, at least 1; empty when
/// unlimited or unreadable.
std::optional<int> cpus_from_cpu_max(const std::string& text);

/// SLURM_CPUS_PER_TASK's value as a count; empty when unset or not a positive integer.
std::optional<int> cpus_from_slurm(const char* value);

/// The smallest of the limits that are known (affinity is always known).
int smallest_cpus(int affinity, std::optional<int> cgroup, std::optional<int> slurm);

/// The CPUs this process may use: its affinity mask, the cgroup v2 quota
/// (/sys/fs/cgroup/cpu.max) and SLURM_CPUS_PER_TASK, the smallest.
int available_cpus();

}  // namespace telsim::sweep
