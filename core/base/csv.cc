#include "core/base/csv.h"

#include <cstdint>
#include <cstring>
#include <stdexcept>

#include "core/base/text.h"

namespace telsim {

namespace {
// libcsv strips spaces around unquoted fields by default; the fast path
// keeps them, so the slow path must too or the two would disagree.
int no_space(unsigned char) { return 0; }

// The next '"' in [p, end), or end: eight bytes at a time (quoted CDR
// fields such as caller names and channels run to tens of bytes).
inline const char* next_quote(const char* p, const char* end) {
  constexpr uint64_t kOnes = 0x0101010101010101ull, kHighs = 0x8080808080808080ull;
  constexpr uint64_t kQuotes = kOnes * static_cast<unsigned char>('"');
  while (end - p >= 8) {
    uint64_t w;
    std::memcpy(&w, p, 8);
    uint64_t x = w ^ kQuotes;  // zero bytes where the quotes are
    uint64_t found = (x - kOnes) & ~x & kHighs;
    if (found) return p + (__builtin_ctzll(found) >> 3);
    p += 8;
  }
  while (p < end && *p != '"') ++p;
  return p;
}
}  // namespace

CsvSplitter::CsvSplitter(char delimiter, CsvMode mode) : delim_(delimiter), mode_(mode) {
  init();
  scratch_.reserve(4096);
  spans_.reserve(kMaxFields);
}

void CsvSplitter::init() {
  if (csv_init(&parser_, CSV_STRICT | CSV_STRICT_FINI) != 0) throw std::runtime_error("libcsv: cannot initialise");
  csv_set_delim(&parser_, static_cast<unsigned char>(delim_));
  csv_set_space_func(&parser_, no_space);
}

CsvSplitter::~CsvSplitter() { csv_free(&parser_); }

void CsvSplitter::on_field(void* s, size_t len, void* self) {
  auto* me = static_cast<CsvSplitter*>(self);
  size_t at = me->scratch_.size();
  if (len) me->scratch_.append(static_cast<const char*>(s), len);
  me->spans_.emplace_back(at, len);
}

void CsvSplitter::on_record(int, void* self) { static_cast<CsvSplitter*>(self)->records_++; }

bool CsvSplitter::split_slow(std::string_view line) {
  scratch_.clear();
  spans_.clear();
  records_ = 0;
  count_ = 0;
  size_t n = csv_parse(&parser_, line.data(), line.size(), on_field, on_record, this);
  bool ok = n == line.size() && csv_error(&parser_) == CSV_SUCCESS;
  if (ok) ok = csv_fini(&parser_, on_field, on_record, this) == 0;
  if (!ok) {
    // libcsv keeps its error state; each line is judged on its own, so start
    // the next one from a fresh parser (only broken lines pay for this).
    csv_free(&parser_);
    init();
  }
  // A carriage return or other terminator inside the line would make libcsv
  // see two records: that is not one CSV row either.
  if (!ok || records_ > 1) return mode_ == CsvMode::kRepair && split_repair(line);
  count_ = spans_.size();
  if (line.empty()) count_ = 1;  // an empty line is one empty field, as in the fast path
  for (size_t i = 0; i < count_ && i < kMaxFields; ++i)
    fields_[i] = i < spans_.size() ? std::string_view(scratch_.data() + spans_[i].first, spans_[i].second)
                                   : std::string_view();
  return true;
}

bool CsvSplitter::split_strict(std::string_view line) {
  // One pass, byte by byte: CDR fields are short, so a loop beats a memchr
  // call per field.
  const char* p = line.data();
  const char* end = p + line.size();
  const char d = delim_;
  size_t n = 0;
  // Unescaped fields ("" -> ") are copied here; reserving the whole line up
  // front keeps earlier views valid while later fields are appended.
  bool scratch_used = false;
  for (;;) {
    if (p < end && *p == '"') {
      const char* s = ++p;
      p = next_quote(p, end);
      if (p == end) return split_slow(line);  // unterminated: libcsv judges
      std::string_view field;
      if (p + 1 < end && p[1] == '"') {
        if (!scratch_used) {
          scratch_.clear();
          scratch_.reserve(line.size());
          scratch_used = true;
        }
        size_t at = scratch_.size();
        for (;;) {
          scratch_.append(s, static_cast<size_t>(p - s));
          if (p + 1 < end && p[1] == '"') {  // a doubled quote: one quote of text
            scratch_ += '"';
            s = p += 2;
            p = next_quote(p, end);
            if (p == end) return split_slow(line);
            continue;
          }
          break;
        }
        field = std::string_view(scratch_.data() + at, scratch_.size() - at);
      } else {
        field = std::string_view(s, static_cast<size_t>(p - s));
      }
      if (n < kMaxFields) fields_[n] = field;
      ++n;
      ++p;  // past the closing quote
      if (p == end) break;
      if (*p != d) return split_slow(line);  // text after the closing quote
      ++p;
    } else {
      const char* s = p;
      while (p < end && *p != d) {
        if (*p == '"' || *p == '\r') return split_slow(line);  // stray quote: libcsv judges
        ++p;
      }
      if (n < kMaxFields) fields_[n] = std::string_view(s, static_cast<size_t>(p - s));
      ++n;
      if (p == end) break;
      ++p;  // a trailing delimiter leaves p == end: the loop adds the empty last field
    }
  }
  count_ = n;
  return true;
}

bool CsvSplitter::split_lenient(std::string_view line) {
  // Views into the line for plain fields; quoted ones are unescaped into the
  // scratch buffer, reserved for the whole line so earlier views stay valid.
  scratch_.clear();
  scratch_.reserve(line.size());
  open_quote_ = false;
  const char* p = line.data();
  const char* end = p + line.size();
  size_t n = 0;
  for (;;) {
    std::string_view field;
    if (p < end && *p == '"') {
      size_t at = scratch_.size();
      ++p;
      bool quoted = true;
      while (p < end && (quoted || *p != delim_)) {
        char c = *p++;
        if (quoted && c == '"') {
          if (p < end && *p == '"') {  // a doubled quote: one quote of text
            scratch_ += '"';
            ++p;
          } else {
            quoted = false;  // text up to the next delimiter is kept
          }
          continue;
        }
        scratch_ += c;
      }
      open_quote_ = quoted;
      field = std::string_view(scratch_.data() + at, scratch_.size() - at);
    } else {
      const char* s = p;
      while (p < end && *p != delim_) ++p;
      field = std::string_view(s, static_cast<size_t>(p - s));
    }
    if (n < kMaxFields) fields_[n] = field;
    ++n;
    if (p == end) break;
    ++p;  // past the delimiter; a trailing one adds an empty last field
  }
  count_ = n;
  return true;
}

bool CsvSplitter::split_repair(std::string_view line) {
  // Only lines strict refused come here (rare): clarity over speed.
  scratch_.clear();
  scratch_.reserve(line.size());
  const char* p = line.data();
  const char* end = p + line.size();
  const char d = delim_;
  size_t n = 0;
  for (;;) {
    std::string_view field;
    if (p < end && *p == '"') {
      size_t at = scratch_.size();
      ++p;
      bool closed = false;
      while (p < end) {
        char c = *p;
        if (c == '\r') return false;
        if (c == '"') {
          if (p + 1 == end || p[1] == d) {
            closed = true;
            ++p;
            break;
          }
          if (p[1] == '"') {  // a doubled quote: one quote of text
            scratch_ += '"';
            p += 2;
            continue;
          }
        }
        scratch_ += c;  // any other quote is a character
        ++p;
      }
      if (!closed) return false;
      field = std::string_view(scratch_.data() + at, scratch_.size() - at);
    } else {
      const char* s = p;
      while (p < end && *p != d) {
        if (*p == '\r') return false;
        ++p;
      }
      field = std::string_view(s, static_cast<size_t>(p - s));
    }
    if (n < kMaxFields) fields_[n] = field;
    ++n;
    if (p == end) break;
    ++p;  // past the delimiter; a trailing one adds an empty last field
  }
  count_ = n;
  repaired_ = true;
  return true;
}

CsvHeader::CsvHeader(const CsvSplitter& row, bool trim_names) {
  for (size_t i = 0; i < row.count() && i < CsvSplitter::kMaxFields; ++i)
    names_.emplace_back(trim_names ? trim(row[i]) : row[i]);
}

int CsvHeader::find(std::string_view name) const {
  for (size_t i = 0; i < names_.size(); ++i)
    if (names_[i] == name) return static_cast<int>(i);
  return -1;
}

int CsvHeader::find_containing(std::initializer_list<std::string_view> parts) const {
  for (size_t i = 0; i < names_.size(); ++i)
    for (std::string_view part : parts)
      if (names_[i].find(part) != std::string::npos) return static_cast<int>(i);
  return -1;
}

std::string CsvHeader::list() const {
  std::string out;
  for (size_t i = 0; i < names_.size(); ++i) out += (i ? ", " : "") + names_[i];
  return out;
}

}  // namespace telsim
