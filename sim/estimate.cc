#include "sim/estimate.h"

#include <fmt/format.h>

namespace telsim {

nlohmann::ordered_json estimate_json(const Summary& s, double scale) {
  nlohmann::ordered_json j;
  j["mean"] = s.mean * scale;
  if (estimated(s)) {
    j["ci95"] = s.ci95 * scale;
    j["low"] = (s.mean - s.ci95) * scale;
    j["high"] = (s.mean + s.ci95) * scale;
  } else {
    j["ci95"] = nullptr;
    j["low"] = nullptr;
    j["high"] = nullptr;
  }
  return j;
}

std::string csv_num(double x) { return fmt::format("{:.10g}", x); }
std::string csv_ci(const Summary& s) { return estimated(s) ? csv_num(s.ci95) : ""; }

}  // namespace telsim
