#include "core/base/table.h"

#include <algorithm>
#include <cctype>

namespace telsim {
namespace {
// A cell that is a number, a percentage or "value ±ci": right-aligned.
bool numeric(const std::string& s) {
  if (s.empty()) return false;
  char c = s[0];
  if (!(std::isdigit(static_cast<unsigned char>(c)) || ((c == '-' || c == '+' || c == '.') && s.size() > 1)))
    return false;
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char b = static_cast<unsigned char>(s[i]);
    if (std::isdigit(b) || b == '.' || b == '-' || b == '+' || b == '%' || b == ' ' || b == ',' || b == 'e') continue;
    if (b == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0xB1) {  // "±" in UTF-8
      ++i;
      continue;
    }
    return false;
  }
  return true;
}

// Columns a cell takes on a terminal: UTF-8 code points, not bytes.
size_t width(const std::string& s) {
  size_t w = 0;
  for (unsigned char b : s) w += (b & 0xC0) != 0x80;
  return w;
}
}  // namespace

std::string Table::text() const {
  std::vector<size_t> w(header_.size(), 0);
  auto widen = [&](const std::vector<std::string>& r) {
    for (size_t i = 0; i < r.size() && i < w.size(); ++i) w[i] = std::max(w[i], width(r[i]));
  };
  widen(header_);
  for (auto& r : rows_) widen(r);
  std::string out;
  auto line = [&](const std::vector<std::string>& r, bool head) {
    std::string l;
    for (size_t i = 0; i < w.size(); ++i) {
      const std::string cell = i < r.size() ? r[i] : "";
      std::string pad(w[i] - width(cell), ' ');
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
