#include "sim/simulator.h"

#include <fmt/format.h>
#include <poll.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstring>
#include <map>
#include <simgrid/kernel/ProfileBuilder.hpp>
#include <simgrid/s4u.hpp>
#include <stdexcept>
#include <thread>

#include "core/net/timeline.h"

namespace sg4 = simgrid::s4u;

namespace telsim {
namespace {

std::string profile_text(const std::vector<Down>& downs) {
  std::string s;
  for (const Down& d : downs) s += fmt::format("{:.17g} 0\n{:.17g} 1\n", d.start, d.end);
  return s;
}

}  // namespace

ReplicationResult run_replication(const Scenario& sc, uint64_t seed, int rep, const std::vector<ReplayCall>* replay,
                                  volatile double* progress) {
  const double warmup = sc.sim.warmup_days * 86400;
  const double end = warmup + sc.sim.days * 86400;

  // Quiet, small stacks: set through argv before the engine exists (later
  // set_config calls have no effect on the context factory).
  std::vector<std::string> args = {"telsim", "--log=root.thres:critical", "--log=xbt_cfg.thres:critical",
                                   "--cfg=contexts/stack-size:256", "--cfg=contexts/guard-size:0"};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  int argc = static_cast<int>(argv.size());
  sg4::Engine engine(&argc, argv.data());

  // Platform: one host per operator, one link per interconnect, a route
  // between the two operators each interconnect joins.
  auto* zone = sg4::create_full_zone("telsim");
  std::vector<sg4::Host*> op_host;
  for (auto& op : sc.operators) op_host.push_back(zone->create_host(op.name, 1e9));
  sg4::Host* control = zone->create_host("telsim.control", 1e9);  // never fails: control actors live here
  std::vector<sg4::Link*> links;
  uint64_t incidents = 0;
  std::vector<double> wake_times;  // every state change, so the clock actor can stop there
  std::vector<std::vector<std::vector<Down>>> comp_downs(sc.operators.size());
  std::map<std::pair<int, int>, bool> routed;
  for (auto& ic : sc.interconnects) {
    // Failures as deterministic state profiles drawn from our own streams
    // (set before sealing: SimGrid refuses profiles on sealed links).
    sg4::Link* l = zone->create_link(ic.name, 1e9);
    auto downs = incident_timeline(ic, seed, rep, end);
    for (const Down& d : downs) {
      incidents += d.start >= warmup ? 1 : 0;
      wake_times.push_back(d.start);
      wake_times.push_back(d.end);
    }
    if (!downs.empty())
      l->set_state_profile(
          simgrid::kernel::profile::ProfileBuilder::from_string("ic/" + ic.name, profile_text(downs), -1));
    l->seal();
    links.push_back(l);
    int a = sc.operator_index(ic.a), b = sc.operator_index(ic.b);
    auto key = std::minmax(a, b);
    if (!routed[key]) {
      zone->add_route(op_host[a]->get_netpoint(), op_host[b]->get_netpoint(), nullptr, nullptr,
                      {sg4::LinkInRoute(l)}, true);
      routed[key] = true;
    }
  }
  // Node components: one host each, failing by its own timeline.
  struct NodeComp {
    int op;
    sg4::Host* host;
  };
  std::vector<NodeComp> comps;
  std::vector<int> comps_up(sc.operators.size(), 0);
  for (size_t i = 0; i < sc.operators.size(); ++i) {
    const Node& n = sc.operators[i].node;
    for (int k = 0; k < n.components; ++k) {
      std::string name = fmt::format("{}.node.{}", sc.operators[i].name, k);
      sg4::Host* h = zone->create_host(name, 1e9);
      auto downs = component_timeline(n, name, seed, rep, end);
      comp_downs[i].push_back(downs);
      for (const Down& d : downs) {
        wake_times.push_back(d.start);
        wake_times.push_back(d.end);
      }
      if (!downs.empty())
        h->set_state_profile(
            simgrid::kernel::profile::ProfileBuilder::from_string("node/" + name, profile_text(downs), -1));
      h->seal();
      comps.push_back({static_cast<int>(i), h});
      comps_up[i]++;
    }
  }
  zone->seal();

  DataPlane data(sc, seed, static_cast<uint64_t>(rep), warmup, end);
  if (replay) data.set_replay(*replay);
  std::map<const sg4::Link*, int> link_index;
  for (size_t i = 0; i < links.size(); ++i) link_index[links[i]] = static_cast<int>(i);
  std::vector<char> link_state(links.size(), 1);
  std::map<const sg4::Host*, int> comp_op;
  std::map<const sg4::Host*, bool> comp_state;
  for (auto& c : comps) {
    comp_op[c.host] = c.op;
    comp_state[c.host] = true;
  }

  // The data plane catches up to the SimGrid clock before any state changes:
  // calls before the change see the old state, calls after it the new one.
  auto sync = [&] {
    double now = sg4::Engine::get_clock();
    data.advance_to(now);
    return now;
  };

  // Data-plane state follows SimGrid; the control plane reacts after
  // detection + reroute time, each reaction an actor on the control host.
  sg4::Link::on_state_change_cb([&](const sg4::Link& l) {
    auto it = link_index.find(&l);
    if (it == link_index.end()) return;
    int ic = it->second;
    bool up = l.is_on();
    if (link_state[ic] == up) return;
    link_state[ic] = up;
    double now = sync();
    data.set_link_up(ic, up);
    data.commit_state(now);
    if (sc.control.never_detected) return;
    const double apply_at = now + sc.control.delay();
    sg4::Actor::create("reroute/" + sc.interconnects[ic].name, control, [&data, &sync, ic, up, apply_at] {
      sg4::this_actor::sleep_until(apply_at);
      double t = sync();
      data.set_link_believed_up(ic, up);
      data.commit_state(t);
    })->daemonize();
  });
  sg4::Host::on_state_change_cb([&](const sg4::Host& h) {
    auto it = comp_op.find(&h);
    if (it == comp_op.end()) return;
    bool up = h.is_on();
    if (comp_state[&h] == up) return;
    comp_state[&h] = up;
    int op = it->second;
    comps_up[op] += up ? 1 : -1;
    double now = sync();
    data.set_operator_up(op, comps_up[op] >= sc.operators[op].node.required);
    data.commit_state(now);
  });

  // The clock actor advances the data plane an hour at a time (for the
  // progress report) and stops just after every state change. SimGrid applies
  // a profile event at its exact date (our callbacks see that date), but when
  // no activity uses the resource it moves the clock on to the next timer
  // before it runs the actors created by the callback. Stopping the clock
  // 1 us after each change lets the reroute actors start at once; they then
  // sleep until an absolute date, so their reaction is exact.
  for (double t = 3600; t < end; t += 3600) wake_times.push_back(t);
  for (double& t : wake_times) t += 1e-6;
  wake_times.push_back(end);
  std::sort(wake_times.begin(), wake_times.end());
  wake_times.erase(std::unique(wake_times.begin(), wake_times.end()), wake_times.end());
  sg4::Actor::create("clock", control, [&] {
    for (double t : wake_times) {
      if (t > end) break;
      sg4::this_actor::sleep_until(t);
      double now = sync();
      if (progress) *progress = now / end;
    }
    sync();
    data.commit_state(end);
  });
  engine.run_until(end + 1);

  ReplicationResult res;
  res.streams = data.stream_counters();
  res.measured_seconds = end - warmup;
  for (double s : data.stream_reachable_seconds()) res.reachable_share.push_back(s / res.measured_seconds);
  res.peak_concurrent = data.peak_concurrent();
  res.incidents = incidents;
  for (size_t i = 0; i < sc.operators.size(); ++i) {
    double avail = 1;
    if (!comp_downs[i].empty()) {
      auto down = node_down_timeline(comp_downs[i], sc.operators[i].node.required, end);
      avail = 1 - down_time(down, warmup, end) / res.measured_seconds;
    }
    res.node_availability.push_back(avail);
  }
  return res;
}

// ---- replications in forked processes -------------------------------------

namespace {

// Replication results cross the pipe as raw bytes: same machine, same binary.
void write_all(int fd, const void* p, size_t n) {
  const char* c = static_cast<const char*>(p);
  while (n) {
    ssize_t w = ::write(fd, c, n);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) _exit(3);
    c += w;
    n -= static_cast<size_t>(w);
  }
}

std::string encode(const ReplicationResult& r) {
  std::string s;
  auto put = [&](const void* p, size_t n) { s.append(static_cast<const char*>(p), n); };
  uint64_t n = r.streams.size();
  put(&n, sizeof n);
  put(r.streams.data(), n * sizeof(Counters));
  put(r.reachable_share.data(), n * sizeof(double));
  put(&r.measured_seconds, sizeof(double));
  put(&r.peak_concurrent, sizeof(uint64_t));
  put(&r.incidents, sizeof(uint64_t));
  uint64_t m = r.node_availability.size();
  put(&m, sizeof m);
  put(r.node_availability.data(), m * sizeof(double));
  return s;
}

ReplicationResult decode(const std::string& s) {
  ReplicationResult r;
  size_t off = 0;
  auto get = [&](void* p, size_t n) {
    if (off + n > s.size()) throw std::runtime_error("a replication process returned a truncated result");
    std::memcpy(p, s.data() + off, n);
    off += n;
  };
  uint64_t n;
  get(&n, sizeof n);
  r.streams.resize(n);
  r.reachable_share.resize(n);
  get(r.streams.data(), n * sizeof(Counters));
  get(r.reachable_share.data(), n * sizeof(double));
  get(&r.measured_seconds, sizeof(double));
  get(&r.peak_concurrent, sizeof(uint64_t));
  get(&r.incidents, sizeof(uint64_t));
  uint64_t m;
  get(&m, sizeof m);
  r.node_availability.resize(m);
  get(r.node_availability.data(), m * sizeof(double));
  return r;
}

void draw_bar(double done, int reps_done, int reps, double elapsed) {
  const int width = 30;
  int fill = static_cast<int>(done * width);
  std::string bar(fill, '#');
  bar += std::string(width - fill, '.');
  fmt::print(stderr, "\r[{}] {:5.1f}%  {}/{} replications  {:.0f}s", bar, done * 100, reps_done, reps, elapsed);
  std::fflush(stderr);
}

}  // namespace

std::vector<ReplicationResult> run_replications(const Scenario& sc, const RunOptions& opt) {
  const int reps = sc.sim.replications;
  int jobs = opt.jobs > 0 ? opt.jobs : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  jobs = std::min(jobs, reps);
  std::fflush(stdout);
  std::fflush(stderr);

  // Each child writes its progress into shared memory; the parent draws it.
  auto* progress = static_cast<volatile double*>(
      mmap(nullptr, sizeof(double) * reps, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0));
  if (progress == MAP_FAILED) throw std::runtime_error("mmap failed");
  for (int i = 0; i < reps; ++i) progress[i] = 0;

  struct Child {
    pid_t pid;
    int fd;
    int rep;
    std::string data;
  };
  std::vector<ReplicationResult> results(reps);
  std::vector<Child> running;
  int next = 0, done = 0;
  auto start = std::chrono::steady_clock::now();
  bool bar_shown = false;

  auto launch = [&](int rep) {
    int fds[2];
    if (pipe(fds) != 0) throw std::runtime_error("pipe failed");
    pid_t pid = fork();
    if (pid < 0) throw std::runtime_error("fork failed");
    if (pid == 0) {
      ::close(fds[0]);
      try {
        ReplicationResult r = run_replication(sc, sc.sim.seed, rep, opt.replay, &progress[rep]);
        std::string bytes = encode(r);
        write_all(fds[1], bytes.data(), bytes.size());
        ::close(fds[1]);
        _exit(0);
      } catch (const std::exception& e) {
        fmt::print(stderr, "telsim: replication {}: {}\n", rep, e.what());
        _exit(1);
      }
    }
    ::close(fds[1]);
    running.push_back({pid, fds[0], rep, {}});
  };

  while (done < reps) {
    while (static_cast<int>(running.size()) < jobs && next < reps) launch(next++);
    std::vector<pollfd> pfds;
    for (auto& c : running) pfds.push_back({c.fd, POLLIN, 0});
    int pr = ::poll(pfds.data(), pfds.size(), 200);
    if (pr < 0 && errno != EINTR) throw std::runtime_error("poll failed");
    for (size_t i = 0; i < pfds.size(); ++i) {
      if (!(pfds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      Child& c = running[i];
      char buf[65536];
      ssize_t n = ::read(c.fd, buf, sizeof buf);
      if (n > 0) {
        c.data.append(buf, static_cast<size_t>(n));
        continue;
      }
      if (n < 0 && errno == EINTR) continue;
      ::close(c.fd);
      int status = 0;
      waitpid(c.pid, &status, 0);
      if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        for (auto& other : running)  // do not leave the other replications running
          if (other.fd >= 0 && other.pid != c.pid) {
            kill(other.pid, SIGKILL);
            waitpid(other.pid, nullptr, 0);
          }
        throw std::runtime_error(fmt::format("replication {} failed (process status {})", c.rep, status));
      }
      results[c.rep] = decode(c.data);
      c.fd = -1;
      ++done;
    }
    running.erase(std::remove_if(running.begin(), running.end(), [](const Child& c) { return c.fd < 0; }),
                  running.end());
    double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (opt.progress_bar && elapsed > 1.0) {
      double sum = 0;
      for (int i = 0; i < reps; ++i) sum += std::min(1.0, static_cast<double>(progress[i]));
      draw_bar(sum / reps, done, reps, elapsed);
      bar_shown = true;
    }
  }
  if (bar_shown) fmt::print(stderr, "\r\033[K");
  munmap(const_cast<double*>(progress), sizeof(double) * reps);
  return results;
}

}  // namespace telsim
