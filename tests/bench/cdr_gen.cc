// cdr_gen: writes a realistic Asterisk Master.csv (21 columns) to stdout, for
// benchmarks. Independent of telsim's code on purpose: the reader must not
// be tested against its own idea of the format.
//   cdr_gen ROWS [SEED]
// Calls to 500 tracking numbers over ~1 day per 35,000 rows with a daily
// profile; 15% are forwarded twice (two legs sharing a linkedid); rows are
// written when a leg ends, as Asterisk does; dispositions ~62% answered.
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <queue>
#include <random>
#include <string>
#include <vector>

namespace {

struct Row {
  long long end;
  long long seq;
  std::string text;
  bool operator>(const Row& o) const { return end != o.end ? end > o.end : seq > o.seq; }
};

std::string stamp(long long t) {
  time_t tt = static_cast<time_t>(t);
  std::tm tm;
  gmtime_r(&tt, &tm);
  char b[32];
  std::strftime(b, sizeof b, "%Y-%m-%d %H:%M:%S", &tm);
  return b;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: cdr_gen ROWS [SEED] > Master.csv\n");
    return 2;
  }
  long long rows = std::atoll(argv[1]);
  std::mt19937_64 rng(argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 1);
  std::uniform_real_distribution<double> u(0, 1);
  const char* names[] = {"Ivan Petrov", "Anna Smirnova", "OOO Romashka", "Sergey", "Maria Ivanova", "Unknown",
                         "Dmitry K.", "Olga"};
  const char* trunks_in[] = {"SIP/mts-in", "SIP/beeline-in", "SIP/megafon-in", "SIP/rt-in"};
  const char* trunks_out[] = {"SIP/client-pbx", "SIP/client-mobile", "SIP/backup-gw"};
  const char* codes[] = {"916", "903", "926", "495", "499", "812", "985", "965"};
  std::vector<std::string> tracking;
  for (int i = 0; i < 500; ++i) tracking.push_back("7495" + std::to_string(1000000 + i * 137));

  std::priority_queue<Row, std::vector<Row>, std::greater<Row>> pending;
  long long t = 1790812800;  // 2026-10-01 00:00:00 (written as local time)
  long long written = 0, seq = 0, uid = 0;
  const double per_day = 35000.0 / 1.15;  // calls per day (1.15 rows per call on average)
  std::string out;
  out.reserve(1 << 20);
  auto flush_until = [&](long long now) {
    while (!pending.empty() && pending.top().end <= now && written < rows) {
      out += pending.top().text;
      pending.pop();
      ++written;
      if (out.size() > (1 << 20) - 4096) {
        std::fwrite(out.data(), 1, out.size(), stdout);
        out.clear();
      }
    }
  };
  while (written < rows) {
    // Daily profile: quiet nights, busy afternoons.
    double hour = static_cast<double>((t / 3600) % 24);
    double shape = 0.2 + 1.6 * std::exp(-((hour - 14) * (hour - 14)) / 18.0);
    double rate = per_day / 86400.0 * shape;  // calls per second
    t += static_cast<long long>(-std::log(1 - u(rng)) / rate) + 0;
    flush_until(t);
    std::string caller;
    double shape_r = u(rng);
    std::string local = codes[rng() % 8] + std::to_string(1000000 + rng() % 9000000);
    if (shape_r < 0.5) caller = "8" + local;
    else if (shape_r < 0.8) caller = "7" + local;
    else if (shape_r < 0.95) caller = "+7" + local;
    else caller = std::to_string(200000 + rng() % 700000);  // short local number
    const std::string& dst = tracking[rng() % tracking.size()];
    std::string linked = std::to_string(t) + "." + std::to_string(uid++);
    const char* in = trunks_in[rng() % 4];
    char chan[64];
    std::snprintf(chan, sizeof chan, "%s-%08llx", in, static_cast<unsigned long long>(rng() & 0xffffffff));
    int legs = u(rng) < 0.15 ? 2 : 1;
    long long leg_start = t;
    for (int leg = 0; leg < legs; ++leg) {
      double d = u(rng);
      const char* disp;
      if (legs == 2 && leg == 0) disp = "NO ANSWER";
      else disp = d < 0.62 ? "ANSWERED" : d < 0.80 ? "NO ANSWER" : d < 0.90 ? "BUSY" : d < 0.96 ? "FAILED" : "CONGESTION";
      std::string disp_s = disp;
      long long ring = 2 + static_cast<long long>(u(rng) * 20);
      long long billsec = 0, duration;
      std::string answer;
      if (disp_s == "ANSWERED") {
        billsec = static_cast<long long>(-std::log(1 - u(rng)) * 150);
        answer = stamp(leg_start + ring);
        duration = ring + billsec;
      } else if (disp_s == "NO ANSWER") {
        duration = 20 + static_cast<long long>(u(rng) * 10);
      } else {
        duration = static_cast<long long>(u(rng) * 3);
      }
      const char* outt = trunks_out[rng() % 3];
      char dchan[64] = "";
      // Half the failed attempts never got an outgoing channel (no seizure).
      if ((disp_s != "FAILED" && disp_s != "CONGESTION") || u(rng) < 0.5)
        std::snprintf(dchan, sizeof dchan, "%s-%08llx", outt, static_cast<unsigned long long>(rng() & 0xffffffff));
      std::string uniq = leg == 0 ? linked : std::to_string(leg_start) + "." + std::to_string(uid++);
      char line[1024];
      std::snprintf(line, sizeof line,
                    "\"\",\"%s\",\"%s\",\"from-trunk\",\"\"\"%s\"\" <%s>\",\"%s\",\"%s\",\"Dial\",\"%s/%s,30,tT\","
                    "\"%s\",%s%s%s,\"%s\",%lld,%lld,\"%s\",\"DOCUMENTATION\",\"%s\",\"\",\"\",\"%s\",%lld\n",
                    caller.c_str(), dst.c_str(), names[rng() % 8], caller.c_str(), chan, dchan, outt, dst.c_str(),
                    stamp(leg_start).c_str(), answer.empty() ? "" : "\"", answer.c_str(),
                    answer.empty() ? "" : "\"", stamp(leg_start + duration).c_str(), duration, billsec, disp,
                    uniq.c_str(), linked.c_str(), seq);
      pending.push(Row{leg_start + duration, seq++, line});
      leg_start += duration;
    }
  }
  flush_until(INT64_MAX);
  std::fwrite(out.data(), 1, out.size(), stdout);
  return 0;
}
