#pragma once
// The forwarding legs of one call as a real switch logs them: one Asterisk
// Master.csv row per attempt of sim/forwarding (failed ones included), all
// sharing the call's linkedid, in the 21 columns sim/cdr_writer writes. A
// pure function: the data plane's CDR writer calls it for each forwarded call
// and appends the rows after the call's own. docs/cdr.md, "Forwarding legs",
// lists what each column holds.
#include <cstdint>
#include <string>

#include "sim/forwarding.h"

namespace telsim {

/// What the legs' rows take from the call they belong to (its own row).
struct ForwardedCall {
  std::string linkedid;     // the call's linkedid: every leg's row carries it
  std::string accountcode;  // as the call's row (the stream's name)
  std::string src, dst;     // the caller and the tracking number dialled
  std::string channel;      // the inbound channel the legs are dialled from
};

/// The Q.850 cause of a leg (written in the userfield): 16 answered, 17 busy,
/// 19 no answer (ring timeout, or the caller hung up while it rang),
/// 26 cancelled (another line answered first), 21 out of hours (rejected).
int forwarding_q850(LegOutcome o);

/// One Master.csv row per leg of `r`, in leg order, each ending with a
/// newline. Times are UTC from `epoch` (unix seconds of simulated time 0),
/// seconds truncated as in sim/cdr_writer; `*sequence` is the file's row
/// counter: each row takes the next number (uniqueid START.SEQ, sequence
/// column SEQ). Same inputs, same bytes.
std::string forwarding_cdr_rows(const ForwardedCall& call, const Forwarding::Result& r, int64_t epoch,
                                uint64_t* sequence);

}  // namespace telsim
