#include "core/base/quote.h"
#include "core/cdr/numbering.h"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <numeric>
#include <unordered_map>

#include "core/base/csv.h"
#include "core/base/error.h"
#include "core/base/text.h"

namespace telsim {

const char* to_string(RangeInfo::Kind k) { return k == RangeInfo::Kind::kMobile ? "mobile" : "fixed"; }

namespace {

constexpr char kMagic[8] = {'T', 'S', 'N', 'U', 'M', 'R', 'G', '1'};

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// The value of a string of digits (all_digits() checked, at most 19 digits).
uint64_t digits_value(std::string_view s) {
  uint64_t v = 0;
  for (char c : s) v = v * 10 + static_cast<uint64_t>(c - '0');
  return v;
}

struct Range {
  uint64_t first, last;
  uint32_t op, region;
  std::string where;
};

}  // namespace

RegistryImport Numbering::import(const std::vector<std::string>& csvs, std::string* image, bool strict,
                                 std::FILE* diag) {
  RegistryImport rep;
  std::vector<Range> ranges;
  std::vector<std::string> strings;
  std::unordered_map<std::string, uint32_t> ids;
  auto intern = [&](const std::string& s) {
    auto it = ids.find(s);
    if (it != ids.end()) return it->second;
    uint32_t id = static_cast<uint32_t>(strings.size());
    strings.push_back(s);
    ids.emplace(s, id);
    return id;
  };
  std::vector<uint32_t> op_ids, region_ids;
  auto bad = [&](const std::string& where, const std::string& why) {
    if (strict) throw InputError(fmt::format("{}: {}", where, why), Topic::kStrictStop);
    rep.skipped++;
    if (diag) std::fprintf(diag, "%s: skipped: %s\n", where.c_str(), printable_utf8(why).c_str());
  };
  for (const auto& path : csvs) {
    std::ifstream f(path, std::ios::binary);
    if (!f) throw InputError(fmt::format("{}: cannot open", path));
    // The registry is not RFC 4180: operator names hold bare quotes
    // (ООО "Т2 Мобайл") in unquoted fields, which the lenient mode keeps as text.
    CsvSplitter csv(';', CsvMode::kLenient);
    // Column positions; editions differ (some add an INN column).
    int c_code = 0, c_from = 1, c_to = 2, c_cap = 3, c_op = 4, c_region = 5;
    size_t need = 6;
    std::string line;
    int64_t no = 0;
    while (std::getline(f, line)) {
      ++no;
      if (no == 1) line.assign(strip_bom(line));
      if (trim(line).empty()) continue;
      csv.split(line);
      std::vector<std::string_view> v;
      for (size_t i = 0; i < csv.count() && i < CsvSplitter::kMaxFields; ++i) v.push_back(trim(csv[i]));
      std::string where = fmt::format("{}:{}", path, no);
      if (no == 1 && !v.empty() && !all_digits(v[0])) {  // the header row
        CsvHeader h(csv, true);
        c_code = h.find_containing({"DEF", "АВС", "ABC"});
        c_from = h.find("От");
        c_to = h.find("До");
        c_cap = h.find_containing({"мкость"});
        c_op = h.find_containing({"Оператор"});
        c_region = h.find_containing({"Регион"});
        if (c_code < 0 || c_from < 0 || c_to < 0 || c_op < 0 || c_region < 0)
          throw InputError(fmt::format(
              "{}: header {} lacks a column of \"АВС/ DEF;От;До;Емкость;Оператор;Регион\"", where, quote_field(printable_utf8(line))));
        need = static_cast<size_t>(std::max({c_code, c_from, c_to, c_cap, c_op, c_region})) + 1;
        continue;
      }
      rep.rows++;
      if (!valid_utf8(line)) {
        bad(where, "not UTF-8 (the registry is published in UTF-8; re-encode the file)");
        continue;
      }
      if (v.size() < need) {
        bad(where, fmt::format("{} columns, expected {}", v.size(), need));
        continue;
      }
      std::string_view code = v[c_code], from = v[c_from], to = v[c_to];
      if (!all_digits(code) || code.size() != 3) {
        bad(where, fmt::format("code {} is not a 3-digit ABC/DEF code", quote_field(code)));
        continue;
      }
      if (!all_digits(from) || from.size() > 7 || !all_digits(to) || to.size() > 7) {
        bad(where, fmt::format("range {}..{} is not two 7-digit numbers", quote_field(from), quote_field(to)));
        continue;
      }
      uint64_t base = digits_value(code) * 10000000ull;
      uint64_t a = base + digits_value(from), b = base + digits_value(to);
      if (a > b) {
        bad(where, fmt::format("range starts after it ends ({} > {})", from, to));
        continue;
      }
      // A capacity too long for 64 bits differs from any range size (and
      // must not be converted unchecked).
      uint64_t cap = 0;
      if (c_cap >= 0 && all_digits(v[c_cap]) &&
          (std::from_chars(v[c_cap].data(), v[c_cap].data() + v[c_cap].size(), cap).ec != std::errc() ||
           cap != b - a + 1) &&
          diag)
        std::fprintf(diag, "%s: warning: capacity %s differs from the range size %llu (range kept)\n", where.c_str(),
                     cut_field(v[c_cap]).c_str(), static_cast<unsigned long long>(b - a + 1));
      if (v[c_op].empty()) {
        bad(where, "operator is empty");
        continue;
      }
      ranges.push_back(Range{a, b, intern(std::string(v[c_op])), intern(std::string(v[c_region])), where});
    }
  }
  std::stable_sort(ranges.begin(), ranges.end(), [](const Range& x, const Range& y) { return x.first < y.first; });
  std::vector<Range> kept;
  for (auto& r : ranges) {
    if (!kept.empty() && r.first <= kept.back().last) {
      rep.overlaps++;
      std::string why = fmt::format("range {}..{} overlaps the range of {} (dropped)", r.first, r.last, kept.back().where);
      if (strict) throw InputError(r.where + ": " + why);
      if (diag) std::fprintf(diag, "%s: skipped: %s\n", r.where.c_str(), why.c_str());
      continue;
    }
    kept.push_back(std::move(r));
  }
  if (kept.empty()) throw InputError("no usable ranges in the registry files: nothing written");
  rep.ranges = static_cast<int64_t>(kept.size());
  {
    std::vector<bool> is_op(strings.size()), is_region(strings.size());
    for (auto& r : kept) {
      is_op[r.op] = true;
      is_region[r.region] = true;
    }
    rep.operators = std::count(is_op.begin(), is_op.end(), true);
    rep.regions = std::count(is_region.begin(), is_region.end(), true);
  }

  std::string o;
  o.reserve(8 + 8 + kept.size() * 24);
  auto u32 = [&](uint32_t x) { o.append(reinterpret_cast<const char*>(&x), 4); };
  auto u64 = [&](uint64_t x) { o.append(reinterpret_cast<const char*>(&x), 8); };
  o.append(kMagic, 8);
  u32(static_cast<uint32_t>(kept.size()));
  u32(static_cast<uint32_t>(strings.size()));
  for (auto& r : kept) {
    u64(r.first);
    u64(r.last);
    u32(r.op);
    u32(r.region);
  }
  for (auto& s : strings) {
    u32(static_cast<uint32_t>(s.size()));
    o.append(s);
  }
  *image = std::move(o);
  return rep;
}

Numbering Numbering::load(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) throw InputError(fmt::format("{}: cannot open the numbering registry (make it with `telsim numbering import`)", path));
  std::string data((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  auto damaged = [&](const char* what) {
    return InputError(fmt::format("{}: not a telsim numbering registry ({}); re-run `telsim numbering import`", path, what));
  };
  if (data.size() < 16 || std::memcmp(data.data(), kMagic, 8) != 0) throw damaged("bad magic");
  uint32_t nr, ns;
  std::memcpy(&nr, data.data() + 8, 4);
  std::memcpy(&ns, data.data() + 12, 4);
  size_t p = 16;
  if (data.size() < p + static_cast<size_t>(nr) * 24) throw damaged("truncated ranges");
  Numbering n;
  n.first_.resize(nr);
  n.last_.resize(nr);
  n.op_.resize(nr);
  n.region_.resize(nr);
  for (uint32_t i = 0; i < nr; ++i, p += 24) {
    std::memcpy(&n.first_[i], data.data() + p, 8);
    std::memcpy(&n.last_[i], data.data() + p + 8, 8);
    std::memcpy(&n.op_[i], data.data() + p + 16, 4);
    std::memcpy(&n.region_[i], data.data() + p + 20, 4);
  }
  n.strings_.reserve(ns);
  for (uint32_t i = 0; i < ns; ++i) {
    uint32_t len;
    if (data.size() < p + 4) throw damaged("truncated strings");
    std::memcpy(&len, data.data() + p, 4);
    p += 4;
    if (data.size() < p + len) throw damaged("truncated strings");
    n.strings_.emplace_back(data.data() + p, len);
    p += len;
  }
  for (uint32_t i = 0; i < nr; ++i) {
    if (n.op_[i] >= ns || n.region_[i] >= ns || n.first_[i] > n.last_[i] || (i && n.first_[i] <= n.last_[i - 1]))
      throw damaged("inconsistent ranges");
  }
  return n;
}

bool Numbering::lookup(std::string_view s, RangeInfo* out) const {
  if (!s.empty() && s[0] == '+') {
    if (s.size() != 12 || s[1] != '7') return false;
    s.remove_prefix(2);
  } else if (s.size() == 11 && (s[0] == '7' || s[0] == '8')) {
    s.remove_prefix(1);
  }
  if (s.size() != 10) return false;
  uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + static_cast<uint64_t>(c - '0');
  }
  auto it = std::upper_bound(first_.begin(), first_.end(), v);
  if (it == first_.begin()) return false;
  size_t i = static_cast<size_t>(it - first_.begin()) - 1;
  if (v > last_[i]) return false;
  out->op = strings_[op_[i]];
  out->region = strings_[region_[i]];
  out->op_index = op_[i];
  out->code = static_cast<int>(v / 10000000ull);
  out->kind = out->code / 100 == 9 ? RangeInfo::Kind::kMobile : RangeInfo::Kind::kFixed;
  return true;
}

}  // namespace telsim
