#include "core/net/timeline.h"

#include <algorithm>

namespace telsim {

std::vector<Down> normalise(std::vector<Down> v, double horizon) {
  std::sort(v.begin(), v.end(), [](const Down& a, const Down& b) { return a.start < b.start; });
  std::vector<Down> out;
  for (const Down& d : v) {
    if (d.start >= horizon || d.end <= d.start) continue;
    Down c{d.start, std::min(d.end, horizon)};
    if (!out.empty() && c.start <= out.back().end) out.back().end = std::max(out.back().end, c.end);
    else out.push_back(c);
  }
  return out;
}

std::vector<Down> incident_timeline(const Interconnect& ic, uint64_t seed, uint64_t rep, double horizon) {
  std::vector<Down> v;
  for (const Outage& o : ic.incidents.schedule) v.push_back({o.start, o.start + o.duration});
  if (ic.incidents.mean_between_hours > 0) {
    Rng rng(seed, rep, "incidents/" + ic.name);
    const double mean_gap = ic.incidents.mean_between_hours * 3600;
    double t = rng.exponential(mean_gap);
    while (t < horizon) {
      double d = ic.incidents.duration.sample(rng);
      v.push_back({t, t + d});
      t += rng.exponential(mean_gap);
    }
  }
  return normalise(std::move(v), horizon);
}

std::vector<Down> component_timeline(const Node& node, const std::string& name, uint64_t seed, uint64_t rep,
                                     double horizon) {
  std::vector<Down> v;
  Rng rng(seed, rep, "node/" + name);
  double t = 0;
  while (true) {
    t += rng.exponential(node.mtbf_hours * 3600);
    if (t >= horizon) break;
    double r = rng.exponential(node.mttr_hours * 3600);
    v.push_back({t, t + r});
    t += r;
  }
  return normalise(std::move(v), horizon);
}

std::vector<Down> node_down_timeline(const std::vector<std::vector<Down>>& components, int required, double horizon) {
  // Sweep over all edges, counting components down.
  std::vector<std::pair<double, int>> edges;
  for (auto& c : components)
    for (auto& d : c) {
      edges.push_back({d.start, +1});
      edges.push_back({d.end, -1});
    }
  std::sort(edges.begin(), edges.end());
  const int n = static_cast<int>(components.size());
  int down = 0;
  std::vector<Down> out;
  double since = 0;
  for (auto& [t, delta] : edges) {
    bool was_down = n - down < required;
    down += delta;
    bool is_down = n - down < required;
    if (!was_down && is_down) since = t;
    if (was_down && !is_down) out.push_back({since, t});
  }
  if (n - down < required) out.push_back({since, horizon});
  return normalise(std::move(out), horizon);
}

double down_time(const std::vector<Down>& v, double from, double to) {
  double total = 0;
  for (const Down& d : v) {
    double a = std::max(d.start, from), b = std::min(d.end, to);
    if (b > a) total += b - a;
  }
  return total;
}

}  // namespace telsim
