#pragma once
// Summary statistics across independent replications.
#include <cstddef>
#include <vector>

namespace telsim {

/// Two-sided 97.5% quantile of Student's t with `df` degrees of freedom.
double student_t975(std::size_t df);

/// Mean and the half-width of its 95% confidence interval (Student t).
/// `ci95` is 0 for fewer than two samples.
struct Summary {
  std::size_t n = 0;
  double mean = 0;
  double sd = 0;
  double ci95 = 0;
};
Summary summarize(const std::vector<double>& xs);

}  // namespace telsim
