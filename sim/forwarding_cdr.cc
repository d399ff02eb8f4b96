#include "sim/forwarding_cdr.h"

#include <fmt/format.h>

#include <cmath>
#include <iterator>

#include "core/base/clock.h"

namespace telsim {

int forwarding_q850(LegOutcome o) {
  switch (o) {
    case LegOutcome::kAnswered: return 16;
    case LegOutcome::kBusy: return 17;
    case LegOutcome::kNoAnswer: return 19;
    case LegOutcome::kCancelled: return 26;
    case LegOutcome::kOutOfHours: return 21;
  }
  return 16;
}

namespace {

const char* disposition(LegOutcome o) {
  switch (o) {
    case LegOutcome::kAnswered: return "ANSWERED";
    case LegOutcome::kBusy: return "BUSY";
    default: return "NO ANSWER";
  }
}

// The leg's destination: a client line (line1, line2, ...), the fallback, or
// the office as a whole (nothing dialled: out of hours).
std::string target_name(int target) {
  if (target == LegAttempt::kFallback) return "fallback";
  if (target == LegAttempt::kOffice) return "office";
  return fmt::format("line{}", target + 1);
}

}  // namespace

std::string forwarding_cdr_rows(const ForwardedCall& call, const Forwarding::Result& r, int64_t epoch,
                                uint64_t* sequence) {
  std::string out;
  for (const LegAttempt& leg : r.legs) {
    const uint64_t seq = ++*sequence;
    const int64_t start = epoch + static_cast<int64_t>(std::floor(leg.start));
    const int64_t end = epoch + static_cast<int64_t>(std::floor(leg.end));
    const bool answered = leg.outcome == LegOutcome::kAnswered;
    const int64_t answer = answered ? epoch + static_cast<int64_t>(std::floor(r.answer_s)) : 0;
    const std::string target = target_name(leg.target);
    const bool dialled = leg.target != LegAttempt::kOffice;
    const std::string dstchannel = dialled ? fmt::format("SIP/{}-{:08x}", target, seq) : "";
    const std::string lastapp = dialled ? "Dial" : "Hangup";
    const std::string lastdata = dialled ? "SIP/" + target : "21";
    const std::string uniqueid = fmt::format("{}.{}", start, seq);
    fmt::format_to(std::back_inserter(out),
                   "\"{acct}\",\"{src}\",\"{dst}\",\"telsim-forward\",\"\"\"{src}\"\" <{src}>\",\"{ch}\",\"{dch}\","
                   "\"{app}\",\"{data}\",\"{start}\",{answer},\"{end}\",{dur},{bill},\"{disp}\",\"DOCUMENTATION\","
                   "\"{uid}\",\"{cause}\",\"\",\"{link}\",{seq}\n",
                   fmt::arg("acct", call.accountcode), fmt::arg("src", call.src), fmt::arg("dst", call.dst),
                   fmt::arg("ch", call.channel), fmt::arg("dch", dstchannel), fmt::arg("app", lastapp),
                   fmt::arg("data", lastdata), fmt::arg("start", format_time(start)),
                   fmt::arg("answer", answered ? "\"" + format_time(answer) + "\"" : std::string()),
                   fmt::arg("end", format_time(end)), fmt::arg("dur", end - start),
                   fmt::arg("bill", answered ? end - answer : 0), fmt::arg("disp", disposition(leg.outcome)),
                   fmt::arg("uid", uniqueid), fmt::arg("cause", forwarding_q850(leg.outcome)),
                   fmt::arg("link", call.linkedid), fmt::arg("seq", seq));
  }
  return out;
}

}  // namespace telsim
