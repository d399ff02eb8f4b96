#pragma once
// Steady-state availability of repairable components.
#include <vector>

namespace telsim {

/// One component: MTBF / (MTBF + MTTR).
inline double availability(double mtbf, double mttr) { return mtbf / (mtbf + mttr); }

/// All components needed (series): the product of their availabilities.
double availability_series(const std::vector<double>& a);

/// Any one component suffices (parallel, independent repair): 1 - prod(1 - a_i).
double availability_parallel(const std::vector<double>& a);

/// At least `k` of `n` identical independent components up.
double availability_k_of_n(int k, int n, double a);

}  // namespace telsim
