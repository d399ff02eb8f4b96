#include "tools/sweep_plan.h"

#include <fmt/format.h>
#include <sched.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <thread>

#include "core/base/error.h"
#include "core/base/quote.h"
#include "tools/cli.h"

namespace telsim::sweep {
namespace {

// A range value as people write it: integers without a point, and 15
// significant digits, so that 0.1 + 2 x 0.1 reads 0.3 (not 0.30000000000000004).
std::string number_text(double x) {
  if (x == std::floor(x) && std::abs(x) < 1e15) return fmt::format("{:.0f}", x);
  return fmt::format("{:.15g}", x);
}

constexpr size_t kMaxValues = 100000;

}  // namespace

Vary parse_vary(const std::string& text) {
  Vary v;
  v.text = text;
  const std::string shown = quote_field(text);
  auto eq = text.find('=');
  if (eq == std::string::npos || eq == 0)
    throw InputError(fmt::format("--vary {}: expected KEY=VALUES (a list 100,110,120 or a range 100:130:5)", shown));
  v.key = text.substr(0, eq);
  std::string values = text.substr(eq + 1);
  if (values.find(',') == std::string::npos && std::count(values.begin(), values.end(), ':') == 2) {
    auto c1 = values.find(':'), c2 = values.find(':', c1 + 1);
    double from, to, step;
    std::string a = values.substr(0, c1), b = values.substr(c1 + 1, c2 - c1 - 1), c = values.substr(c2 + 1);
    for (auto [part, x] : {std::pair{&a, &from}, std::pair{&b, &to}, std::pair{&c, &step}})
      if (std::string e = cli::parse_number(*part, false, x); !e.empty())
        throw InputError(fmt::format("--vary {}: a range is FROM:TO:STEP with three numbers ({})", shown, e));
    if (!(step > 0)) throw InputError(fmt::format("--vary {}: the step must be positive", shown));
    if (to < from) throw InputError(fmt::format("--vary {}: the range ends ({}) before it starts ({})", shown, b, a));
    // Computed from the index, not accumulated, so 0.1 steps do not drift;
    // the tolerance keeps TO when rounding puts it a hair beyond.
    double n = std::floor((to - from) / step + 1e-9);
    if (n + 1 > kMaxValues) throw InputError(fmt::format("--vary {}: more than {} values", shown, kMaxValues));
    for (long i = 0; i <= static_cast<long>(n); ++i) v.values.push_back(number_text(from + step * i));
    return v;
  }
  std::stringstream ss(values);
  std::string item;
  while (std::getline(ss, item, ',')) {
    if (item.empty()) throw InputError(fmt::format("--vary {}: an empty value in the list", shown));
    v.values.push_back(item);
  }
  if (v.values.empty() || values.back() == ',')
    throw InputError(fmt::format("--vary {}: an empty value in the list", shown));
  return v;
}

std::vector<Point> points(const std::vector<Vary>& vary, bool zip) {
  std::vector<Point> out;
  if (vary.empty()) return {Point{}};
  if (zip) {
    for (auto& v : vary)
      if (v.values.size() != vary[0].values.size())
        throw InputError(
            fmt::format("--zip: --vary {} has {} values, --vary {} has {}; zipped lists must be "
                        "as long as each other",
                        quote_field(vary[0].text), vary[0].values.size(), quote_field(v.text), v.values.size()));
    for (size_t i = 0; i < vary[0].values.size(); ++i) {
      Point p;
      for (auto& v : vary) p.emplace_back(v.key, v.values[i]);
      out.push_back(p);
    }
    return out;
  }
  size_t total = 1;
  for (auto& v : vary) {
    total *= v.values.size();
    if (total > kMaxValues) throw InputError(fmt::format("--vary: the grid has more than {} points", kMaxValues));
  }
  for (size_t i = 0; i < total; ++i) {
    Point p;
    size_t rest = i, stride = total;
    for (auto& v : vary) {
      stride /= v.values.size();
      p.emplace_back(v.key, v.values[rest / stride]);
      rest %= stride;
    }
    out.push_back(p);
  }
  return out;
}

std::pair<int, int> parse_shard(const std::string& text) {
  auto slash = text.find('/');
  auto bad = [&] { return InputError(fmt::format("--shard {}: expected K/N with 1 <= K <= N", quote_field(text))); };
  if (slash == std::string::npos) throw bad();
  std::string a = text.substr(0, slash), b = text.substr(slash + 1);
  if (a.empty() || b.empty() || a.find_first_not_of("0123456789") != std::string::npos ||
      b.find_first_not_of("0123456789") != std::string::npos || a.size() > 9 || b.size() > 9)
    throw bad();
  int k = std::stoi(a), n = std::stoi(b);
  if (k < 1 || k > n) throw bad();
  return {k, n};
}

std::optional<int> cpus_from_cpu_max(const std::string& text) {
  std::istringstream in(text);
  std::string quota;
  long long period = 0;
  if (!(in >> quota)) return std::nullopt;
  if (quota == "max") return std::nullopt;
  if (!(in >> period) || period <= 0) return std::nullopt;
  if (quota.find_first_not_of("0123456789") != std::string::npos || quota.size() > 18) return std::nullopt;
  long long q = std::stoll(quota);
  if (q <= 0) return std::nullopt;
  return static_cast<int>(std::max(1LL, (q + period - 1) / period));
}

std::optional<int> cpus_from_slurm(const char* value) {
  if (!value || !*value) return std::nullopt;
  std::string s = value;
  if (s.find_first_not_of("0123456789") != std::string::npos || s.size() > 9) return std::nullopt;
  int n = std::stoi(s);
  if (n <= 0) return std::nullopt;
  return n;
}

int smallest_cpus(int affinity, std::optional<int> cgroup, std::optional<int> slurm) {
  int n = std::max(1, affinity);
  if (cgroup) n = std::min(n, *cgroup);
  if (slurm) n = std::min(n, *slurm);
  return std::max(1, n);
}

int available_cpus() {
  int affinity = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof set, &set) == 0) affinity = CPU_COUNT(&set);
  std::optional<int> cgroup;
  std::ifstream f("/sys/fs/cgroup/cpu.max");
  if (f) {
    std::stringstream ss;
    ss << f.rdbuf();
    cgroup = cpus_from_cpu_max(ss.str());
  }
  return smallest_cpus(affinity, cgroup, cpus_from_slurm(std::getenv("SLURM_CPUS_PER_TASK")));
}

}  // namespace telsim::sweep
