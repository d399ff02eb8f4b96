#include "sim/simulator.h"

#include <fmt/format.h>
#include <poll.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstring>
#include <map>
#include <memory>
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

// Quiet, small stacks: set through argv before the engine exists (later
// set_config calls have no effect on the context factory).
class EngineArgs {
 public:
  EngineArgs() {
    for (auto& a : args_) argv_.push_back(a.data());
    argc_ = static_cast<int>(argv_.size());
  }
  int* argc() { return &argc_; }
  char** argv() { return argv_.data(); }

 private:
  std::vector<std::string> args_ = {"telsim", "--log=root.thres:critical", "--log=xbt_cfg.thres:critical",
                                    "--cfg=contexts/stack-size:256", "--cfg=contexts/guard-size:0"};
  std::vector<char*> argv_;
  int argc_ = 0;
};

// One replication on a SimGrid engine: the platform built from the scenario
// with its failures as state profiles, the callbacks that carry state changes
// to the data plane, the control actors that reroute, and the clock actor.
// It must outlive the engine run (callbacks and actors point into it).
class Replication {
 public:
  Replication(const Scenario& sc, uint64_t seed, int rep, double warmup, double end)
      : sc_(sc), seed_(seed), rep_(rep), warmup_(warmup), end_(end) {}

  void build_platform();
  void start_data_plane(const std::vector<ReplayCall>* replay, bool record_attempts);
  void follow_state_changes();
  void start_clock(volatile double* progress);
  ReplicationResult result() const;

 private:
  void add_interconnects();
  void add_node_components();
  void on_link_change(const sg4::Link& l);
  void on_host_change(const sg4::Host& h);
  // The data plane catches up to the SimGrid clock before any state changes:
  // calls before the change see the old state, calls after it the new one.
  double sync() {
    double now = sg4::Engine::get_clock();
    data_->advance_to(now);
    return now;
  }

  const Scenario& sc_;
  const uint64_t seed_;
  const int rep_;
  const double warmup_, end_;

  sg4::NetZone* zone_ = nullptr;
  std::vector<sg4::Host*> op_host_;
  sg4::Host* control_ = nullptr;  // never fails: control actors live here
  std::vector<sg4::Link*> links_;
  std::map<const sg4::Link*, int> link_index_;
  std::vector<char> link_state_;
  std::map<const sg4::Host*, int> comp_op_;  // node component host -> operator
  std::map<const sg4::Host*, bool> comp_state_;
  std::vector<int> comps_up_;                                // per operator
  std::vector<std::vector<std::vector<Down>>> comp_downs_;  // per operator, per component
  uint64_t incidents_ = 0;
  std::vector<uint64_t> ic_incidents_;
  std::vector<double> ic_down_seconds_;
  std::vector<double> wake_times_;  // every state change, so the clock actor can stop there
  std::unique_ptr<DataPlane> data_;
  std::vector<AttemptRecord> attempts_;
};

// Platform: one host per operator, one link per interconnect, a route
// between the two operators each interconnect joins, one host per node
// component; failures as deterministic state profiles drawn from our own
// streams (set before sealing: SimGrid refuses profiles on sealed resources).
void Replication::build_platform() {
  zone_ = sg4::create_full_zone("telsim");
  for (auto& op : sc_.operators) op_host_.push_back(zone_->create_host(op.name, 1e9));
  control_ = zone_->create_host("telsim.control", 1e9);
  add_interconnects();
  add_node_components();
  zone_->seal();
}

void Replication::add_interconnects() {
  std::map<std::pair<int, int>, bool> routed;
  for (auto& ic : sc_.interconnects) {
    sg4::Link* l = zone_->create_link(ic.name, 1e9);
    auto downs = incident_timeline(ic, seed_, rep_, end_);
    ic_incidents_.push_back(0);
    ic_down_seconds_.push_back(down_time(downs, warmup_, end_));
    for (const Down& d : downs) {
      incidents_ += d.start >= warmup_ ? 1 : 0;
      ic_incidents_.back() += d.start >= warmup_ ? 1 : 0;
      wake_times_.push_back(d.start);
      wake_times_.push_back(d.end);
    }
    if (!downs.empty())
      l->set_state_profile(
          simgrid::kernel::profile::ProfileBuilder::from_string("ic/" + ic.name, profile_text(downs), -1));
    l->seal();
    link_index_[l] = static_cast<int>(links_.size());
    links_.push_back(l);
    int a = sc_.operator_index(ic.a), b = sc_.operator_index(ic.b);
    auto key = std::minmax(a, b);
    if (!routed[key]) {
      zone_->add_route(op_host_[a]->get_netpoint(), op_host_[b]->get_netpoint(), nullptr, nullptr,
                       {sg4::LinkInRoute(l)}, true);
      routed[key] = true;
    }
  }
  link_state_.assign(links_.size(), 1);
}

void Replication::add_node_components() {
  comp_downs_.resize(sc_.operators.size());
  comps_up_.assign(sc_.operators.size(), 0);
  for (size_t i = 0; i < sc_.operators.size(); ++i) {
    const Node& n = sc_.operators[i].node;
    for (int k = 0; k < n.components; ++k) {
      std::string name = fmt::format("{}.node.{}", sc_.operators[i].name, k);
      sg4::Host* h = zone_->create_host(name, 1e9);
      auto downs = component_timeline(n, name, seed_, rep_, end_);
      comp_downs_[i].push_back(downs);
      for (const Down& d : downs) {
        wake_times_.push_back(d.start);
        wake_times_.push_back(d.end);
      }
      if (!downs.empty())
        h->set_state_profile(
            simgrid::kernel::profile::ProfileBuilder::from_string("node/" + name, profile_text(downs), -1));
      h->seal();
      comp_op_[h] = static_cast<int>(i);
      comp_state_[h] = true;
      comps_up_[i]++;
    }
  }
}

void Replication::start_data_plane(const std::vector<ReplayCall>* replay, bool record_attempts) {
  data_ = std::make_unique<DataPlane>(sc_, seed_, static_cast<uint64_t>(rep_), warmup_, end_);
  if (record_attempts) data_->record_attempts(&attempts_);
  if (replay) data_->set_replay(*replay);
}

// Data-plane state follows SimGrid; the control plane reacts after
// detection + reroute time, each reaction an actor on the control host.
void Replication::follow_state_changes() {
  sg4::Link::on_state_change_cb([this](const sg4::Link& l) { on_link_change(l); });
  sg4::Host::on_state_change_cb([this](const sg4::Host& h) { on_host_change(h); });
}

void Replication::on_link_change(const sg4::Link& l) {
  auto it = link_index_.find(&l);
  if (it == link_index_.end()) return;
  int ic = it->second;
  bool up = l.is_on();
  if (link_state_[ic] == up) return;
  link_state_[ic] = up;
  double now = sync();
  data_->set_link_up(ic, up);
  data_->commit_state(now);
  const Interconnect& x = sc_.interconnects[ic];
  if (x.never_detected) return;
  const double apply_at = now + x.delay();
  sg4::Actor::create("reroute/" + sc_.interconnects[ic].name, control_, [this, ic, up, apply_at] {
    sg4::this_actor::sleep_until(apply_at);
    double t = sync();
    data_->set_link_believed_up(ic, up);
    data_->commit_state(t);
  })->daemonize();
}

void Replication::on_host_change(const sg4::Host& h) {
  auto it = comp_op_.find(&h);
  if (it == comp_op_.end()) return;
  bool up = h.is_on();
  if (comp_state_[&h] == up) return;
  comp_state_[&h] = up;
  int op = it->second;
  comps_up_[op] += up ? 1 : -1;
  double now = sync();
  data_->set_operator_up(op, comps_up_[op] >= sc_.operators[op].node.required);
  data_->commit_state(now);
}

// The clock actor advances the data plane an hour at a time (for the
// progress report) and stops just after every state change. SimGrid applies
// a profile event at its exact date (our callbacks see that date), but when
// no activity uses the resource it moves the clock on to the next timer
// before it runs the actors created by the callback. Stopping the clock
// 1 us after each change lets the reroute actors start at once; they then
// sleep until an absolute date, so their reaction is exact.
void Replication::start_clock(volatile double* progress) {
  for (double t = 3600; t < end_; t += 3600) wake_times_.push_back(t);
  for (double& t : wake_times_) t += 1e-6;
  wake_times_.push_back(end_);
  std::sort(wake_times_.begin(), wake_times_.end());
  wake_times_.erase(std::unique(wake_times_.begin(), wake_times_.end()), wake_times_.end());
  sg4::Actor::create("clock", control_, [this, progress] {
    for (double t : wake_times_) {
      if (t > end_) break;
      sg4::this_actor::sleep_until(t);
      double now = sync();
      if (progress) *progress = now / end_;
    }
    sync();
    data_->commit_state(end_);
  });
}

ReplicationResult Replication::result() const {
  ReplicationResult res;
  res.streams = data_->stream_counters();
  res.measured_seconds = end_ - warmup_;
  for (double s : data_->stream_reachable_seconds()) res.reachable_share.push_back(s / res.measured_seconds);
  res.peak_concurrent = data_->peak_concurrent();
  res.incidents = incidents_;
  res.interconnects = data_->trunk_counters();
  res.interconnect_incidents = ic_incidents_;
  res.interconnect_down_seconds = ic_down_seconds_;
  res.nodes = data_->node_counters();
  res.hour_of_day = data_->hour_of_day_counters();
  res.days = data_->day_counters();
  res.attempts = attempts_;
  res.funnel = data_->funnel_counters();
  res.funnel_calls = data_->funnel_calls();
  res.legs = data_->legs();
  for (size_t i = 0; i < sc_.operators.size(); ++i) {
    double avail = 1;
    if (!comp_downs_[i].empty()) {
      auto down = node_down_timeline(comp_downs_[i], sc_.operators[i].node.required, end_);
      avail = 1 - down_time(down, warmup_, end_) / res.measured_seconds;
    }
    res.node_availability.push_back(avail);
  }
  return res;
}

}  // namespace

ReplicationResult run_replication(const Scenario& sc, uint64_t seed, int rep, const std::vector<ReplayCall>* replay,
                                  volatile double* progress, bool record_attempts) {
  const double warmup = sc.sim.warmup_days * 86400;
  const double end = warmup + sc.sim.days * 86400;
  EngineArgs args;
  sg4::Engine engine(args.argc(), args.argv());
  Replication r(sc, seed, rep, warmup, end);
  r.build_platform();
  r.start_data_plane(replay, record_attempts);
  r.follow_state_changes();
  r.start_clock(progress);
  engine.run_until(end + 1);
  return r.result();
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

}  // namespace

std::string encode_result(const ReplicationResult& r) {
  std::string s;
  auto put = [&](const void* p, size_t n) {
    if (n) s.append(static_cast<const char*>(p), n);  // an empty vector's data() may be null
  };
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
  put(r.nodes.data(), m * sizeof(NodeCounters));
  uint64_t k = r.interconnects.size();
  put(&k, sizeof k);
  put(r.interconnects.data(), k * sizeof(TrunkCounters));
  put(r.interconnect_incidents.data(), k * sizeof(uint64_t));
  put(r.interconnect_down_seconds.data(), k * sizeof(double));
  for (const auto* series : {&r.hour_of_day, &r.days}) {
    uint64_t p = series->size();
    put(&p, sizeof p);
    put(series->data(), p * sizeof(PeriodCounters));
  }
  uint64_t a = r.attempts.size();
  put(&a, sizeof a);
  put(r.attempts.data(), a * sizeof(AttemptRecord));
  uint64_t f = r.funnel.size();
  put(&f, sizeof f);
  put(r.funnel.data(), f * sizeof(FunnelCounters));
  uint64_t fc = r.funnel_calls.size(), l = r.legs.size();
  put(&fc, sizeof fc);
  put(r.funnel_calls.data(), fc * sizeof(FunnelCallRecord));
  put(&l, sizeof l);
  put(r.legs.data(), l * sizeof(LegAttempt));
  return s;
}

ReplicationResult decode_result(const std::string& s) {
  ReplicationResult r;
  size_t off = 0;
  auto get = [&](void* p, size_t n) {
    if (off + n > s.size()) throw std::runtime_error("a replication process returned a truncated result");
    if (n) std::memcpy(p, s.data() + off, n);  // an empty vector's data() may be null
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
  r.nodes.resize(m);
  get(r.nodes.data(), m * sizeof(NodeCounters));
  uint64_t k;
  get(&k, sizeof k);
  r.interconnects.resize(k);
  r.interconnect_incidents.resize(k);
  r.interconnect_down_seconds.resize(k);
  get(r.interconnects.data(), k * sizeof(TrunkCounters));
  get(r.interconnect_incidents.data(), k * sizeof(uint64_t));
  get(r.interconnect_down_seconds.data(), k * sizeof(double));
  for (auto* series : {&r.hour_of_day, &r.days}) {
    uint64_t p;
    get(&p, sizeof p);
    series->resize(p);
    get(series->data(), p * sizeof(PeriodCounters));
  }
  uint64_t a;
  get(&a, sizeof a);
  r.attempts.resize(a);
  get(r.attempts.data(), a * sizeof(AttemptRecord));
  uint64_t f;
  get(&f, sizeof f);
  r.funnel.resize(f);
  get(r.funnel.data(), f * sizeof(FunnelCounters));
  uint64_t fc, l;
  get(&fc, sizeof fc);
  r.funnel_calls.resize(fc);
  get(r.funnel_calls.data(), fc * sizeof(FunnelCallRecord));
  get(&l, sizeof l);
  r.legs.resize(l);
  get(r.legs.data(), l * sizeof(LegAttempt));
  if (off != s.size()) throw std::runtime_error("a replication result has trailing bytes");
  return r;
}

namespace {

// Each worker writes its replication's progress into shared memory, one
// double per replication; the parent reads them all.
class SharedProgress {
 public:
  explicit SharedProgress(int reps) : reps_(reps) {
    void* p = mmap(nullptr, bytes(), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) throw std::runtime_error("mmap failed");
    slots_ = static_cast<volatile double*>(p);
    for (int i = 0; i < reps_; ++i) slots_[i] = 0;
  }
  ~SharedProgress() { munmap(const_cast<double*>(slots_), bytes()); }
  SharedProgress(const SharedProgress&) = delete;
  SharedProgress& operator=(const SharedProgress&) = delete;

  volatile double* slot(int rep) { return &slots_[rep]; }
  /// The share of all replications' simulated time done (0..1).
  double done() const {
    double sum = 0;
    for (int i = 0; i < reps_; ++i) sum += std::min(1.0, static_cast<double>(slots_[i]));
    return sum / reps_;
  }

 private:
  size_t bytes() const { return sizeof(double) * reps_; }
  int reps_;
  volatile double* slots_ = nullptr;
};

struct Worker {
  pid_t pid;
  int fd;  // read end of its result pipe; -1 once collected
  int rep;
  size_t slot;  // index of its unit
  std::string data;
};

// Forks a worker process that runs replication `rep` and writes the encoded
// result to a pipe.
Worker start_worker(const Scenario& sc, const RunOptions& opt, int rep, size_t slot, volatile double* progress) {
  int fds[2];
  if (pipe(fds) != 0) throw std::runtime_error("pipe failed");
  const pid_t parent = getpid();
  pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    // A worker dies with telsim, even when telsim is killed (SIGKILL
    // included), instead of running its replication to the end for nobody.
    // The parent may have died between fork and prctl: then we are already
    // an orphan and no signal will come.
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(1);
    ::close(fds[0]);
    try {
      ReplicationResult r = run_replication(sc, sc.sim.seed, rep, opt.replay, progress, rep == opt.record_attempts);
      std::string bytes = encode_result(r);
      write_all(fds[1], bytes.data(), bytes.size());
      ::close(fds[1]);
      _exit(0);
    } catch (const std::exception& e) {
      fmt::print(stderr, "telsim: replication {}: {}\n", rep, e.what());
      _exit(1);
    }
  }
  ::close(fds[1]);
  return {pid, fds[0], rep, slot, {}};
}

// Reads what worker `w` has written; when it is done, reaps it and returns
// true. A worker that failed kills the others and throws.
bool collect(Worker& w, std::vector<Worker>& running, std::vector<ReplicationResult>& results) {
  char buf[65536];
  ssize_t n = ::read(w.fd, buf, sizeof buf);
  if (n > 0) {
    w.data.append(buf, static_cast<size_t>(n));
    return false;
  }
  if (n < 0 && errno == EINTR) return false;
  ::close(w.fd);
  int status = 0;
  waitpid(w.pid, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    for (auto& other : running)  // do not leave the other replications running
      if (other.fd >= 0 && other.pid != w.pid) {
        kill(other.pid, SIGKILL);
        waitpid(other.pid, nullptr, 0);
      }
    throw std::runtime_error(fmt::format("replication {} failed (process status {})", w.rep, status));
  }
  results[w.slot] = decode_result(w.data);
  w.fd = -1;
  return true;
}

}  // namespace

std::vector<ReplicationResult> run_replications(const Scenario& sc, const RunOptions& opt) {
  std::vector<Unit> units;
  for (int i = 0; i < sc.sim.replications; ++i) units.push_back({&sc, i});
  return run_units(units, opt);
}

std::vector<ReplicationResult> run_units(const std::vector<Unit>& units, const RunOptions& opt) {
  const int reps = static_cast<int>(units.size());
  if (reps == 0) return {};
  int jobs = opt.jobs > 0 ? opt.jobs : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  jobs = std::min(jobs, reps);
  std::fflush(stdout);  // or the workers would write our buffered output again
  std::fflush(stderr);

  SharedProgress progress(reps);
  std::vector<ReplicationResult> results(reps);
  std::vector<Worker> running;
  int next = 0, done = 0;
  const auto start = std::chrono::steady_clock::now();
  while (done < reps) {
    while (static_cast<int>(running.size()) < jobs && next < reps) {
      running.push_back(start_worker(*units[next].sc, opt, units[next].rep, next, progress.slot(next)));
      ++next;
    }
    std::vector<pollfd> pfds;
    for (auto& w : running) pfds.push_back({w.fd, POLLIN, 0});
    int pr = ::poll(pfds.data(), pfds.size(), 200);
    if (pr < 0 && errno != EINTR) throw std::runtime_error("poll failed");
    for (size_t i = 0; i < pfds.size(); ++i)
      if ((pfds[i].revents & (POLLIN | POLLHUP | POLLERR)) && collect(running[i], running, results)) ++done;
    running.erase(std::remove_if(running.begin(), running.end(), [](const Worker& w) { return w.fd < 0; }),
                  running.end());
    if (opt.on_progress) {
      double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      opt.on_progress({progress.done(), done, reps, elapsed});
    }
  }
  return results;
}

}  // namespace telsim
