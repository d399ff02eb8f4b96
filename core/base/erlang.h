#pragma once
// Teletraffic formulas. Offered load in erlangs, channels as counts.

namespace telsim {

/// Erlang B: blocking probability of a loss system with Poisson arrivals,
/// offered load `a` erlangs on `c` channels. Stable recursion, any c.
double erlang_b(double a, int c);

/// Erlang C: probability that an arriving call waits in an M/M/c queue.
/// Returns 1 when a >= c (the queue is unstable).
double erlang_c(double a, int c);

/// Engset: call congestion (the share of attempts blocked) with `n` sources,
/// `c` channels and `beta` the offered traffic per idle source (erlangs).
double engset(int n, int c, double beta);

/// Smallest channel count whose Erlang B blocking is at most `max_blocking`.
int erlang_b_channels(double a, double max_blocking);

}  // namespace telsim
