#pragma once
// A table of strings rendered as aligned text or RFC 4180 CSV. Shared by every
// command that prints rows.
#include <string>
#include <vector>

namespace telsim {

class Table {
 public:
  explicit Table(std::vector<std::string> header) : header_(std::move(header)) {}
  void add(std::vector<std::string> row) { rows_.push_back(std::move(row)); }
  /// Columns aligned with spaces; numbers (cells starting with a digit, sign
  /// or dot) right-aligned.
  std::string text() const;
  std::string csv() const;
  bool empty() const { return rows_.empty(); }

 private:
  std::vector<std::string> header_;
  std::vector<std::vector<std::string>> rows_;
};

/// CSV-quote one field when it needs it.
std::string csv_field(const std::string& s);

}  // namespace telsim
