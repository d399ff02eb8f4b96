#include "core/table.h"

#include <algorithm>
#include <cctype>

namespace telsim {
namespace {
bool numeric(const std::string& s) {
  if (s.empty()) return false;
  char c = s[0];
  return std::isdigit(static_cast<unsigned char>(c)) || ((c == '-' || c == '+' || c == '.') && s.size() > 1);
}
}  // namespace

std::string Table::text() const {
  std::vector<size_t> w(header_.size(), 0);
  auto widen = [&](const std::vector<std::string>& r) {
    for (size_t i = 0; i < r.size() && i < w.size(); ++i) w[i] = std::max(w[i], r[i].size());
  };
  widen(header_);
  for (auto& r : rows_) widen(r);
  std::string out;
  auto line = [&](const std::vector<std::string>& r, bool head) {
    std::string l;
    for (size_t i = 0; i < w.size(); ++i) {
      const std::string cell = i < r.size() ? r[i] : "";
      std::string pad(w[i] - cell.size(), ' ');
      if (i) l += "  ";
      if (!head && i > 0 && numeric(cell)) l += pad + cell;
      else l += cell + pad;
    }
    while (!l.empty() && l.back() == ' ') l.pop_back();
    out += l + "\n";
  };
  line(header_, true);
  size_t total = 0;
  for (size_t x : w) total += x;
  out += std::string(total + 2 * (w.empty() ? 0 : w.size() - 1), '-') + "\n";
  for (auto& r : rows_) line(r, false);
  return out;
}

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string q = "\"";
  for (char c : s) {
    if (c == '"') q += '"';
    q += c;
  }
  return q + "\"";
}

std::string Table::csv() const {
  std::string out;
  auto line = [&](const std::vector<std::string>& r) {
    for (size_t i = 0; i < r.size(); ++i) {
      if (i) out += ',';
      out += csv_field(r[i]);
    }
    out += "\n";
  };
  line(header_);
  for (auto& r : rows_) line(r);
  return out;
}

}  // namespace telsim
