#include "core/cdr/cdr_reader.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cstring>
#include <thread>
#include <unordered_map>

#include "core/cdr/cdr_asterisk.h"
#include "core/cdr/cdr_freeswitch.h"
#include "core/base/csv.h"
#include "core/base/error.h"
#include "core/base/file_check.h"
#include "core/base/hash.h"
#include "core/base/text.h"
#include "core/base/timestamp.h"
#include "core/phone/phone.h"

namespace telsim {

bool parse_cdr_format(const std::string& s, CdrFormat* out) {
  if (s == "auto") *out = CdrFormat::kAuto;
  else if (s == "asterisk") *out = CdrFormat::kAsterisk;
  else if (s == "freeswitch") *out = CdrFormat::kFreeswitch;
  else if (s == "mapped") *out = CdrFormat::kMapped;
  else return false;
  return true;
}

namespace {

// ---------------------------------------------------------------- calls

/// A call still taking legs: its folded legs so far and the ids that join
/// new legs to it.
struct OpenCall {
  CdrCall call;
  std::vector<std::string> keys;
  bool head = false;  // created at the start of a chunk: may continue a call of the previous chunk
  bool open = true;
  bool live = false;  // slot in use (assembler only)
  int64_t last_line = 0;  // line of its last leg (chunk's count; the Stitcher makes it the file's)
};

int rank(Outcome o) {
  switch (o) {
    case Outcome::kAnswered: return 0;
    case Outcome::kBusy: return 1;
    case Outcome::kNoAnswer: return 2;
    case Outcome::kCongestion: return 3;
    case Outcome::kFailed: return 4;
  }
  return 5;
}

// Folds `x` (which comes later in the file) into `c`. Only order-stable
// rules, so that chunked and whole-file reading agree.
void fold(CdrCall& c, const CdrCall& x) {
  if (x.start < c.start) {
    c.start = x.start;
    c.utc_offset = x.utc_offset;
    c.caller = x.caller;
    c.called = x.called;
    c.caller_e164 = x.caller_e164;
    c.called_e164 = x.called_e164;
  }
  if (x.answer != kNoTime && (c.answer == kNoTime || x.answer < c.answer)) c.answer = x.answer;
  c.end = std::max(c.end, x.end);
  c.billsec = std::max(c.billsec, x.billsec);
  if (rank(x.outcome) < rank(c.outcome)) {
    c.outcome = x.outcome;
    c.q850 = x.q850;
  }
  c.seized = c.seized || x.seized;
  c.legs += x.legs;
  if (c.trunk.empty()) c.trunk = x.trunk;
  if (c.channel.empty()) c.channel = x.channel;
  c.duration = c.end - c.start;
}

// Call ids are short: FNV-1a, its high bits folded in because the index
// takes the low bits.
inline uint64_t hash_key(std::string_view k) {
  uint64_t h = fnv1a(k);
  return h ^ (h >> 29);
}

/// Open-addressing index from call ids to slots: no allocation per lookup or
/// insert (std::unordered_map allocates a node per call).
class KeyIndex {
 public:
  // Starts small and doubles as it fills (a power of two throughout): a
  // chunk of a few rows should not clear 16 KiB twice.
  KeyIndex() { t_.assign(kInitial, E{0, kEmpty}); }
  template <class Eq>
  int find(uint64_t h, Eq eq) const {
    size_t m = t_.size() - 1;
    for (size_t i = h & m;; i = (i + 1) & m) {
      const E& e = t_[i];
      if (e.slot == kEmpty) return -1;
      if (e.slot >= 0 && e.h == h && eq(e.slot)) return e.slot;
    }
  }
  void insert(uint64_t h, int slot) {
    if ((used_ + 1) * 10 > t_.size() * 7) rehash(live_ * 3 > t_.size() ? t_.size() * 2 : t_.size());
    size_t m = t_.size() - 1;
    size_t i = h & m;
    while (t_[i].slot >= 0) i = (i + 1) & m;
    if (t_[i].slot == kEmpty) ++used_;
    t_[i] = E{h, slot};
    ++live_;
  }
  void erase(uint64_t h, int slot) {
    size_t m = t_.size() - 1;
    for (size_t i = h & m;; i = (i + 1) & m) {
      E& e = t_[i];
      if (e.slot == kEmpty) return;
      if (e.slot == slot && e.h == h) {
        e.slot = kTomb;
        --live_;
        return;
      }
    }
  }
  void clear() {
    t_.assign(kInitial, E{0, kEmpty});
    used_ = live_ = 0;
  }

 private:
  static constexpr int kEmpty = -1, kTomb = -2;
  static constexpr size_t kInitial = 64;
  struct E {
    uint64_t h;
    int slot;
  };
  void rehash(size_t n) {
    std::vector<E> old;
    old.swap(t_);
    t_.assign(n, E{0, kEmpty});
    used_ = live_ = 0;
    for (auto& e : old)
      if (e.slot >= 0) insert(e.h, e.slot);
  }
  std::vector<E> t_;
  size_t used_ = 0, live_ = 0;
};

/// Groups the legs of one chunk into calls: a leg joins the open call that
/// holds one of its ids if it starts within the window; calls that can take
/// no more legs go to the sink. Calls that may continue across the chunk's
/// edges are handed back by finish() for the Stitcher.
class Assembler {
 public:
  Assembler(const CdrReadOptions& o, const PhoneNormaliser* pn, CallSink* sink, bool hold_head)
      : o_(o), pn_(pn), sink_(sink), hold_head_(hold_head) {}

  void add(const Leg& leg, int64_t line) {
    if (first_) {
      first_ = false;
      first_time_ = leg.end;
    }
    clock_ = std::max(clock_, leg.end);
    line_ = line;
    if (leg.id.empty() && leg.other_id.empty()) {  // a lone row is a whole call
      make_call(leg, line, &lone_);
      sink_->add(lone_);
      ++emitted;
      return;
    }
    // A call may continue one of the previous chunk when it starts near the
    // chunk's start: within a window of time (a file in time order) or
    // within reach_rows rows (any order, see sweep()).
    bool in_head = hold_head_ && (clock_ <= first_time_ + o_.window || line <= o_.reach_rows);
    int s1 = find(leg.id, leg), s2 = find(leg.other_id, leg);
    if (s1 < 0 && s2 < 0) {
      int s = alloc();
      OpenCall& n = slots_[s];
      make_call(leg, line, &n.call);
      n.live = true;
      n.open = true;
      n.head = in_head;
      n.call.id.assign(leg.id.empty() ? leg.other_id : leg.id);
      sweep_end_[s] = in_head ? INT64_MAX : n.call.end;
      sweep_line_[s] = line;
      n.last_line = line;
      add_key(s, leg.id);
      add_key(s, leg.other_id);
    } else {
      int s = s1 >= 0 ? s1 : s2;
      if (s1 >= 0 && s2 >= 0 && s1 != s2) {
        // The row links two calls we hold apart (a B leg logged before its A
        // leg): they are one call. Fold the later one into the earlier one.
        int a = slots_[s1].call.line <= slots_[s2].call.line ? s1 : s2, b = a == s1 ? s2 : s1;
        fold(slots_[a].call, slots_[b].call);
        slots_[a].head = slots_[a].head || slots_[b].head;
        std::vector<std::string> moved = std::move(slots_[b].keys);
        for (auto& k : moved) index_.erase(hash_key(k), b);
        release(b);
        for (auto& k : moved) add_key(a, k);
        s = a;
      }
      make_call(leg, line, &tmp_);
      fold(slots_[s].call, tmp_);
      sweep_end_[s] = slots_[s].head ? INT64_MAX : slots_[s].call.end;
      sweep_line_[s] = line;
      slots_[s].last_line = line;
      add_key(s, leg.id);
      add_key(s, leg.other_id);
    }
    if (++since_sweep_ >= 4096) sweep();
  }

  /// Hands back what could continue across chunk boundaries.
  void finish(std::vector<OpenCall>* head, std::vector<OpenCall>* tail, bool* all_head, UnixTime* clock) {
    *clock = clock_;
    *all_head = hold_head_ && (first_ || clock_ <= first_time_ + o_.window || line_ <= o_.reach_rows);
    std::vector<OpenCall> open;
    for (auto& s : slots_)
      if (s.live) open.push_back(std::move(s));
    std::sort(open.begin(), open.end(), [](const OpenCall& a, const OpenCall& b) { return a.call.line < b.call.line; });
    for (auto& oc : held_) head->push_back(std::move(oc));
    for (auto& oc : open) {
      oc.open = true;
      if (oc.head) head->push_back(std::move(oc));
      else tail->push_back(std::move(oc));
    }
    std::sort(head->begin(), head->end(), [](const OpenCall& a, const OpenCall& b) { return a.call.line < b.call.line; });
    slots_.clear();
    sweep_end_.clear();
    sweep_line_.clear();
    free_.clear();
    index_.clear();
    held_.clear();
  }

  int64_t emitted = 0;

 private:
  void make_call(const Leg& leg, int64_t line, CdrCall* c) {
    c->start = leg.start;
    c->answer = leg.answer;
    c->end = leg.end;
    c->utc_offset = leg.utc_offset;
    c->duration = leg.end - leg.start;
    c->billsec = leg.billsec;
    c->outcome = leg.outcome;
    c->q850 = leg.q850;
    c->seized = leg.seized;
    c->legs = 1;
    c->line = line;
    // Strings nobody asked for are not copied: at millions of rows the
    // copies cost more than the parsing.
    if (o_.keep_numbers) {
      number(leg.caller, &c->caller, &c->caller_e164);
      number(leg.called, &c->called, &c->called_e164);
    } else {
      c->caller.clear();
      c->called.clear();
      c->caller_e164 = c->called_e164 = false;
    }
    if (o_.keep_channels) {
      c->trunk.assign(channel_peer(leg.dstchannel));
      c->channel.assign(channel_peer(leg.channel));
    } else {
      c->trunk.clear();
      c->channel.clear();
    }
  }

  void number(std::string_view raw, std::string* out, bool* e164) {
    *e164 = false;
    if (pn_) {
      PhoneNumber n = pn_->normalise(raw);
      if (n.kind != PhoneNumber::Kind::kInvalid) {
        *e164 = n.kind == PhoneNumber::Kind::kE164;
        *out = std::move(n.text);
        return;
      }
    }
    out->assign(raw.data(), raw.size());
  }

  int lookup(std::string_view key) const {
    return index_.find(hash_key(key), [&](int s) {
      for (auto& k : slots_[s].keys)
        if (k == key) return true;
      return false;
    });
  }

  // The open call holding `key`, if `leg` may join it.
  int find(std::string_view key, const Leg& leg) {
    if (key.empty()) return -1;
    int s = lookup(key);
    if (s < 0) return -1;
    // Too far apart: that call is over. The second test only matters in a
    // file out of time order (a leg ending a window before the call began is
    // another switch's call with the same id).
    if (slots_[s].call.end + o_.window < leg.start || leg.end + o_.window < slots_[s].call.start) {
      close(s);
      return -1;
    }
    return s;
  }

  void add_key(int s, std::string_view key) {
    if (key.empty() || lookup(key) >= 0) return;  // already this slot's (find() closed any other)
    index_.insert(hash_key(key), s);
    // Ids are often longer than the small-string buffer: reuse old strings.
    std::string k;
    if (!spare_.empty()) {
      k = std::move(spare_.back());
      spare_.pop_back();
    }
    k.assign(key.data(), key.size());
    slots_[s].keys.push_back(std::move(k));
  }

  int alloc() {
    if (!free_.empty()) {
      int s = free_.back();
      free_.pop_back();
      return s;
    }
    slots_.emplace_back();
    sweep_end_.push_back(INT64_MAX);
    sweep_line_.push_back(0);
    return static_cast<int>(slots_.size()) - 1;
  }

  void release(int s) {
    OpenCall& oc = slots_[s];
    oc.live = false;
    for (auto& k : oc.keys)
      if (spare_.size() < 4096) spare_.push_back(std::move(k));
    oc.keys.clear();  // keeps capacity: the slot is reused by the next call
    sweep_end_[s] = INT64_MAX;
    free_.push_back(s);
  }

  void close(int s) {
    OpenCall& oc = slots_[s];
    for (auto& k : oc.keys) index_.erase(hash_key(k), s);
    oc.open = false;
    if (oc.head) {
      held_.push_back(oc);
    } else {
      oc.call.duration = oc.call.end - oc.call.start;
      sink_->add(oc.call);
      ++emitted;
    }
    release(s);
  }

  // A call is over when its last leg is both two windows behind the newest
  // end seen and more than reach_rows rows back. Time alone would close the
  // calls of a second switch's rows appended after the first's (their times
  // start again from the beginning) before their other legs arrive, and
  // only in the chunk that saw the later times: results would depend on
  // the thread count. Rows alone would split the long calls of a file in
  // time order. A leg beyond both starts a call of its own.
  void sweep() {
    since_sweep_ = 0;
    // Dense arrays keep this scan in cache (slots are ~300 bytes).
    UnixTime limit = clock_ - 2 * o_.window;
    int64_t line_limit = line_ - o_.reach_rows;
    for (size_t s = 0; s < sweep_end_.size(); ++s)
      if (sweep_end_[s] < limit && sweep_line_[s] < line_limit) close(static_cast<int>(s));
  }

  const CdrReadOptions& o_;
  const PhoneNormaliser* pn_;
  CallSink* sink_;
  bool hold_head_;
  bool first_ = true;
  UnixTime first_time_ = 0, clock_ = INT64_MIN;
  int64_t line_ = 0;  // line of the newest row
  int since_sweep_ = 0;
  std::vector<OpenCall> slots_, held_;
  std::vector<int> free_;
  std::vector<std::string> spare_;   // key strings of released slots
  std::vector<UnixTime> sweep_end_;  // per slot: end of a sweepable call, INT64_MAX otherwise
  std::vector<int64_t> sweep_line_;  // per slot: line of its last leg
  KeyIndex index_;
  CdrCall lone_, tmp_;
};

/// Cross-chunk merge, on the main thread, in chunk order: joins the calls
/// left open at the end of one chunk with those at the start of the next,
/// so that chunked and whole-file reading give the same calls.
class Stitcher {
 public:
  Stitcher(const CdrReadOptions& o, CallSink* sink) : o_(o), sink_(sink) {}

  /// The first chunk's open calls; `clock` the latest end it saw.
  void start(std::vector<OpenCall>&& tail, UnixTime clock) {
    carry_ = std::move(tail);
    clock_ = clock;
  }

  /// The next chunk, whose lines start at file line `base` + 1.
  void next(std::vector<OpenCall>&& head, std::vector<OpenCall>&& tail, bool all_head, int64_t base, UnixTime clock) {
    for (auto& t : tail) t.last_line += base;
    std::unordered_map<std::string, size_t> by_key;
    for (size_t i = 0; i < carry_.size(); ++i)
      for (auto& k : carry_[i].keys) by_key.emplace(k, i);
    std::vector<bool> continues(carry_.size(), false);
    std::vector<OpenCall> next;
    for (auto& h : head) {
      size_t found = SIZE_MAX;
      for (auto& k : h.keys) {
        auto it = by_key.find(k);
        // As whole-file reading would: the call must still be open (its last
        // leg within reach_rows rows, or within two windows of the latest
        // end before this chunk) and the leg within a window of its end.
        if (it == by_key.end()) continue;
        const OpenCall& c = carry_[it->second];
        bool open = c.call.end >= clock_ - 2 * o_.window || base + h.call.line - c.last_line <= o_.reach_rows;
        if (open && h.call.start <= c.call.end + o_.window && h.call.end + o_.window >= c.call.start) {
          found = it->second;
          break;
        }
      }
      if (found == SIZE_MAX) {
        if (h.open) next.push_back(std::move(h));
        else emit(h);
        continue;
      }
      OpenCall& c = carry_[found];
      fold(c.call, h.call);
      c.last_line = std::max(c.last_line, base + h.last_line);
      for (auto& k : h.keys)
        if (std::find(c.keys.begin(), c.keys.end(), k) == c.keys.end()) {
          c.keys.push_back(k);
          by_key.emplace(k, found);
        }
      if (h.open) continues[found] = true;
    }
    std::vector<OpenCall> carried;
    for (size_t i = 0; i < carry_.size(); ++i) {
      if (continues[i] || all_head) carried.push_back(std::move(carry_[i]));
      else emit(carry_[i]);
    }
    for (auto& n : next) {
      n.last_line += base;
      carried.push_back(std::move(n));
    }
    for (auto& t : tail) carried.push_back(std::move(t));
    carry_ = std::move(carried);
    clock_ = std::max(clock_, clock);
  }

  void finish() {
    std::sort(carry_.begin(), carry_.end(), [](const OpenCall& a, const OpenCall& b) { return a.call.line < b.call.line; });
    for (auto& c : carry_) emit(c);
    carry_.clear();
  }

  int64_t emitted = 0;

 private:
  void emit(OpenCall& c) {
    c.call.duration = c.call.end - c.call.start;
    sink_->add(c.call);
    ++emitted;
  }
  const CdrReadOptions& o_;
  CallSink* sink_;
  std::vector<OpenCall> carry_;
  UnixTime clock_ = INT64_MIN;  // latest end of the chunks merged so far
};

// ---------------------------------------------------------------- rows

/// Everything one chunk produced: counts, diagnostics kept until they can
/// be printed in file order (in memory while they are few, in a temporary
/// file beyond kDiagInMemory bytes, so memory stays bounded), and the calls
/// open at its edges.
struct ChunkResult {
  int64_t lines = 0, rows = 0, emitted = 0;
  std::array<int64_t, kSkipReasonCount> skipped_by{};
  std::array<int64_t, kWarningCount> warnings{};
  // "rel_line \t kind \t message" lines, kind S or W<n>: in diag_mem, or
  // all of them in diag once they outgrew it.
  std::string diag_mem;
  std::FILE* diag = nullptr;
  static constexpr size_t kDiagInMemory = 1 << 20;
  bool failed = false;        // strict mode stopped here
  int64_t fail_line = 0;
  std::string fail_msg;
  std::vector<OpenCall> head, tail;
  bool all_head = false;
  UnixTime clock = INT64_MIN;  // latest end seen
  ~ChunkResult() {
    if (diag) std::fclose(diag);
  }
};

/// What every chunk of one file shares (read-only while threads run).
struct FileContext {
  std::string path;
  CdrFormat format = CdrFormat::kAsterisk;
  MappedColumns columns;
  const CdrReadOptions* opts = nullptr;
  const OutcomeMap* outcomes = nullptr;
  const TimeZone* tz = nullptr;
  const PhoneNormaliser* pn = nullptr;
  char delimiter = ',';
};

std::unique_ptr<RowParser> make_parser(const FileContext& f) {
  switch (f.format) {
    case CdrFormat::kFreeswitch:
      return std::make_unique<FreeswitchParser>(FreeswitchConfig{f.tz, f.outcomes, f.opts->date_format});
    case CdrFormat::kMapped:
      return std::make_unique<MappedParser>(
          MappedConfig{f.opts->mapping, f.columns, f.tz, f.outcomes, f.opts->date_format});
    default: return std::make_unique<AsteriskParser>(AsteriskConfig{f.tz, f.outcomes, f.opts->date_format});
  }
}

/// One thread's reader of one chunk: lines to rows to legs to calls, with
/// bad rows counted and their diagnostics kept. line() says when strict mode
/// must stop.
class Worker {
 public:
  Worker(const FileContext& f, CallSink* sink, bool hold_head, ChunkResult* r)
      : f_(f), split_(f.delimiter, CsvMode::kRepair), parser_(make_parser(f)), asm_(*f.opts, f.pn, sink, hold_head), r_(r) {}

  /// False when strict mode says stop.
  bool line(std::string_view l, int64_t no) {
    if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
    if (l.empty()) return true;  // a blank line is not a row
    ++r_->rows;
    if (!split_.split(l)) return skip(no, SkipReason::kBrokenQuoting, "a double quote is unbalanced or misplaced");
    // Database exports write NULL for a missing value: it is empty, not a
    // trunk or a caller named NULL.
    split_.blank_fields_equal_to("NULL");
    st_.warnings = 0;
    if (split_.repaired()) st_.warn(Warning::kQuotingRepaired);
    if (!parser_->parse(split_, &leg_, &st_)) {
      // A repaired reading that still does not fit the format was not a
      // repair: the row's quoting is broken.
      if (split_.repaired() && (st_.reason == SkipReason::kTooFewColumns || st_.reason == SkipReason::kTooManyColumns))
        return skip(no, SkipReason::kBrokenQuoting, "a double quote is unbalanced or misplaced");
      return skip(no, st_.reason, st_.detail);
    }
    if (st_.warnings) {
      for (int w = 0; w < kWarningCount; ++w)
        if (st_.warnings & (1u << w)) warn(no, static_cast<Warning>(w));
    }
    asm_.add(leg_, no);
    return true;
  }

  void done() {
    asm_.finish(&r_->head, &r_->tail, &r_->all_head, &r_->clock);
    r_->emitted = asm_.emitted;
  }

 private:
  bool skip(int64_t no, SkipReason why, const std::string& detail) {
    r_->skipped_by[static_cast<int>(why)]++;
    std::string msg = fmt::format("skipped ({}): {}", to_string(why), printable_utf8(detail));
    if (f_.opts->strict) {
      r_->failed = true;
      r_->fail_line = no;
      r_->fail_msg = msg;
      return false;
    }
    write(no, "S", msg);
    return true;
  }

  void warn(int64_t no, Warning w) {
    int i = static_cast<int>(w);
    // Only the first few per kind are kept per chunk: the run prints at most
    // that many anyway, and the counts hold the rest.
    // (one more than shown, so the printer knows to say "further ...").
    if (r_->warnings[i]++ > f_.opts->warnings_shown) return;
    static const char* kText[] = {"text is not valid UTF-8 (kept as bytes, row counted)",
                                  "answered without an answer time: taken as end - billsec",
                                  "answer time on a row that was not answered: ignored",
                                  "billsec is greater than duration (kept as written)",
                                  "a double quote inside a quoted field, read as a character"};
    write(no, fmt::format("W{}", i), fmt::format("warning ({}): {}", to_string(w), kText[i]));
  }

  void write(int64_t no, const std::string& kind, const std::string& msg) {
    if (!r_->diag) {
      fmt::format_to(std::back_inserter(r_->diag_mem), "{}\t{}\t{}\n", no, kind.c_str(), msg.c_str());
      if (r_->diag_mem.size() <= ChunkResult::kDiagInMemory) return;
      // Too many to keep in memory: all of them go to a temporary file.
      r_->diag = std::tmpfile();
      if (!r_->diag) throw std::runtime_error("cannot create a temporary file for diagnostics");
      std::fwrite(r_->diag_mem.data(), 1, r_->diag_mem.size(), r_->diag);
      std::string().swap(r_->diag_mem);
      return;
    }
    std::fprintf(r_->diag, "%lld\t%s\t%s\n", static_cast<long long>(no), kind.c_str(), msg.c_str());
  }

  const FileContext& f_;
  CsvSplitter split_;
  std::unique_ptr<RowParser> parser_;
  Assembler asm_;
  ChunkResult* r_;
  Leg leg_;
  RowStatus st_;
};

// ---------------------------------------------------------------- input

/// A plain file read by offset (each thread its own range, in pieces, so
/// memory stays constant whatever the file size) or a stream (stdin, pipes,
/// gzip) read in order.
class Input {
 public:
  explicit Input(const std::string& path) : path_(path) {
    if (path == "-") {
      open_stream(dup(0));
      return;
    }
    refuse_folder(path, "", "a CDR file");
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) throw InputError(fmt::format("{}: cannot open: {}", path, std::strerror(errno)));
    struct stat st;
    if (fstat(fd, &st) != 0 || S_ISDIR(st.st_mode)) {
      ::close(fd);
      throw InputError(fmt::format("{}: not a readable file", path));
    }
    unsigned char magic[2] = {0, 0};
    bool gz = S_ISREG(st.st_mode) && st.st_size >= 2 && pread(fd, magic, 2, 0) == 2 && magic[0] == 0x1f &&
              magic[1] == 0x8b;
    if (S_ISREG(st.st_mode) && !gz) {
      fd_ = fd;
      size_ = static_cast<int64_t>(st.st_size);
      posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
      return;
    }
    open_stream(fd, S_ISREG(st.st_mode) ? static_cast<int64_t>(st.st_size) : -1);
  }
  ~Input() {
    if (fd_ >= 0) ::close(fd_);
    if (gz_) gzclose(gz_);
  }
  bool seekable() const { return fd_ >= 0; }
  int64_t size() const { return size_; }

  /// Seekable: reads up to `n` bytes at `off` (fewer only at the end).
  size_t pread_at(char* into, size_t n, int64_t off) const {
    size_t got = 0;
    while (got < n) {
      ssize_t r = ::pread(fd_, into + got, n - got, off + static_cast<int64_t>(got));
      if (r < 0 && errno == EINTR) continue;
      if (r < 0) throw InputError(fmt::format("{}: cannot read: {}", path_, std::strerror(errno)));
      if (r == 0) break;
      got += static_cast<size_t>(r);
    }
    return got;
  }

  /// Stream mode: appends up to `n` bytes to `buf`; 0 at the end. The first
  /// reads ask for less (4 KiB, doubling up to `n`): growing the string
  /// zero-fills what it asks for, and 4 MiB cleared for a file of a few rows
  /// (stdin, a small .gz) costs more than reading it.
  size_t read(std::string& buf, size_t n) {
    n = std::min(n, piece_);
    piece_ = std::min(piece_ * 2, size_t{1} << 30);
    size_t at = buf.size();
    buf.resize(at + n);
    int got = gzread(gz_, buf.data() + at, static_cast<unsigned>(n));
    if (got < 0) {
      int err;
      const char* m = gzerror(gz_, &err);
      throw InputError(fmt::format("{}: cannot read: {}", path_, m ? m : "gzip error"));
    }
    buf.resize(at + static_cast<size_t>(got));
    return static_cast<size_t>(got);
  }

 private:
  // `size`: the compressed file's size, or -1 when unknown (stdin, a pipe).
  void open_stream(int fd, int64_t size = -1) {
    // zlib reads plain data through unchanged, so one path serves gzip,
    // stdin and pipes.
    gz_ = fd >= 0 ? gzdopen(fd, "rb") : nullptr;
    if (!gz_) throw InputError(fmt::format("{}: cannot read", path_));
    // 1 MiB reads (zlib then keeps 3 MiB); a smaller .gz gets buffers of
    // its size (8 KiB at least, zlib's default), not 3 MiB to fill and free.
    constexpr int64_t kBuffer = 1 << 20;
    gzbuffer(gz_, static_cast<unsigned>(size < 0 ? kBuffer : std::clamp<int64_t>(size, 8 << 10, kBuffer)));
  }
  std::string path_;
  int fd_ = -1;
  int64_t size_ = 0;
  gzFile gz_ = nullptr;
  size_t piece_ = 4 << 10;   // stream mode: the most the next read() asks for
};

// Runs a worker over the lines of the byte range [b, e) of a plain file,
// read in pieces into one reused buffer.
void run_range(const Input& in, int64_t b, int64_t e, Worker& w, ChunkResult* r) {
  constexpr size_t kPiece = 2 << 20;
  // A range smaller than a piece gets a buffer of its size: a small file
  // then costs no 2 MiB allocation (which is most of reading one).
  size_t cap = static_cast<size_t>(std::min<int64_t>(kPiece, e - b));
  std::unique_ptr<char[]> buf(new char[cap]);
  size_t have = 0;
  int64_t off = b, no = 0;
  for (;;) {
    // A line longer than the buffer: grow. (Not when what is left of the
    // range fits in the room there is.)
    if (cap - have < kPiece / 2 && static_cast<int64_t>(cap - have) < e - off) {
      std::unique_ptr<char[]> bigger(new char[cap * 2]);
      std::memcpy(bigger.get(), buf.get(), have);
      buf.swap(bigger);
      cap *= 2;
    }
    size_t want = static_cast<size_t>(std::min<int64_t>(static_cast<int64_t>(cap - have), e - off));
    size_t got = want ? in.pread_at(buf.get() + have, want, off) : 0;
    off += static_cast<int64_t>(got);
    have += got;
    bool last = off >= e || got < want;
    const char* p = buf.get();
    const char* end = p + have;
    bool stop = false;
    while (p < end) {
      const char* nl = static_cast<const char*>(std::memchr(p, '\n', static_cast<size_t>(end - p)));
      if (!nl && !last) break;
      const char* le = nl ? nl : end;
      if (!w.line(std::string_view(p, static_cast<size_t>(le - p)), ++no)) {
        stop = true;
        break;
      }
      p = nl ? nl + 1 : end;
    }
    if (stop || last) break;
    have = static_cast<size_t>(end - p);
    std::memmove(buf.get(), p, have);
  }
  r->lines = no;
}

// The format of a file from its first lines (auto), or as asked.
CdrFormat detect(const std::string& path, std::string_view text, const CdrReadOptions& o) {
  if (o.format != CdrFormat::kAuto) return o.format;
  if (o.mapping) return CdrFormat::kMapped;
  CsvSplitter s(',', CsvMode::kRepair);
  size_t p = 0;
  for (int i = 0; i < 20 && p < text.size(); ++i) {
    size_t nl = text.find('\n', p);
    std::string_view l = text.substr(p, nl == std::string_view::npos ? std::string_view::npos : nl - p);
    p = nl == std::string_view::npos ? text.size() : nl + 1;
    if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
    if (l.empty() || !s.split(l)) continue;
    if (s.count() == 15) return CdrFormat::kFreeswitch;
    if (s.count() == 16 || s.count() == 18 || s.count() == 21) return CdrFormat::kAsterisk;
  }
  throw InputError(fmt::format("{}: cannot tell the CDR format from its first rows (Asterisk has 16, 18 or 21 "
                               "columns, FreeSWITCH 15)",
                               path),
                   Topic::kCdrFormat);
}

struct Printer {
  const CdrReadOptions& o;
  std::array<int64_t, kWarningCount> shown{};
  std::array<bool, kWarningCount> said_more{};

  void chunk(const std::string& path, ChunkResult& r, int64_t base) {
    if (!o.diagnostics || (!r.diag && r.diag_mem.empty())) return;
    std::FILE* in = r.diag;
    if (in) {
      std::rewind(in);
    } else {
      in = fmemopen(r.diag_mem.data(), r.diag_mem.size(), "r");
      if (!in) throw std::runtime_error("cannot read the diagnostics kept in memory");
    }
    char* buf = nullptr;
    size_t cap = 0;
    ssize_t n;
    while ((n = getline(&buf, &cap, in)) > 0) {
      std::string_view l(buf, static_cast<size_t>(n));
      size_t t1 = l.find('\t'), t2 = l.find('\t', t1 + 1);
      long long rel = std::atoll(std::string(l.substr(0, t1)).c_str());
      std::string_view kind = l.substr(t1 + 1, t2 - t1 - 1);
      std::string_view msg = l.substr(t2 + 1);
      if (kind[0] == 'W') {
        int w = kind[1] - '0';
        if (shown[w] >= o.warnings_shown) {
          if (!said_more[w])
            std::fprintf(o.diagnostics, "%s: further %s warnings are counted, not shown\n", path.c_str(),
                         to_string(static_cast<Warning>(w)));
          said_more[w] = true;
          continue;
        }
        shown[w]++;
      }
      std::fprintf(o.diagnostics, "%s:%lld: %.*s", path.c_str(), base + rel, static_cast<int>(msg.size()), msg.data());
    }
    std::free(buf);
    if (in != r.diag) std::fclose(in);
  }
};

void add_counts(CdrSummary& s, const ChunkResult& r) {
  s.rows += r.rows;
  for (int i = 0; i < kSkipReasonCount; ++i) {
    s.skipped_by[i] += r.skipped_by[i];
    s.skipped += r.skipped_by[i];
  }
  for (int i = 0; i < kWarningCount; ++i) s.warnings[i] += r.warnings[i];
  s.calls += r.emitted;
}

[[noreturn]] void fail_strict(const std::string& path, const ChunkResult& r, int64_t base) {
  throw InputError(fmt::format("{}:{}: {}", path, base + r.fail_line, r.fail_msg), Topic::kStrictStop);
}

// The columns of a mapped file, from its first line.
MappedColumns bind_header(const std::string& path, std::string_view line, const FileContext& f) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  CsvSplitter hs(f.delimiter);
  if (!hs.split(strip_bom(line))) throw InputError(fmt::format("{}:1: the header row has broken quoting", path));
  return MappedColumns::bind(*f.opts->mapping, hs, path + ":1");
}

// The first line of a plain file (without its newline); `*next` gets the
// offset of the line after it.
std::string first_line(const Input& in, int64_t* next) {
  std::string h;
  size_t nl;
  int64_t off = 0;
  char piece[65536];
  while ((nl = h.find('\n')) == std::string::npos && off < in.size()) {
    size_t got = in.pread_at(piece, sizeof piece, off);
    if (!got) break;
    h.append(piece, got);
    off += static_cast<int64_t>(got);
  }
  *next = nl == std::string::npos ? in.size() : static_cast<int64_t>(nl) + 1;
  if (nl != std::string::npos) h.resize(nl);
  return h;
}

// Where the chunks of [begin, size) start and end: `k` pieces of about
// equal size, each cut at the start of a line.
std::vector<int64_t> chunk_cuts(const Input& in, int64_t begin, int k) {
  int64_t size = in.size(), span = size - begin;
  std::vector<int64_t> cut{begin};
  for (int i = 1; i < k; ++i) {
    int64_t p = std::max(cut.back(), begin + span * i / k);
    char piece[65536];
    int64_t at = size;
    while (p < size) {
      size_t got = in.pread_at(piece, sizeof piece, p);
      if (!got) break;
      const char* nl = static_cast<const char*>(std::memchr(piece, '\n', got));
      if (nl) {
        at = p + (nl - piece) + 1;
        break;
      }
      p += static_cast<int64_t>(got);
    }
    cut.push_back(at);
  }
  cut.push_back(size);
  return cut;
}

// Reads chunk i of `cut` in thread i (the calling thread takes the last);
// the first exception of any thread is rethrown once all have stopped.
std::vector<ChunkResult> read_chunks(const Input& in, const FileContext& f, const std::vector<int64_t>& cut,
                                     const std::vector<CallSink*>& sinks) {
  int k = static_cast<int>(cut.size()) - 1;
  std::vector<ChunkResult> res(k);
  std::vector<std::thread> threads;
  std::vector<std::exception_ptr> errors(k);
  for (int i = 0; i < k; ++i) {
    auto job = [&, i] {
      try {
        Worker w(f, sinks[i], i > 0, &res[i]);
        run_range(in, cut[i], cut[i + 1], w, &res[i]);
        w.done();
      } catch (...) {
        errors[i] = std::current_exception();
      }
    };
    if (i == k - 1) job();
    else threads.emplace_back(job);
  }
  for (auto& t : threads) t.join();
  for (auto& er : errors)
    if (er) std::rethrow_exception(er);
  return res;
}

// Reports the chunks' diagnostics in file order (stopping at a strict
// failure), joins the calls that span chunk boundaries and adds the counts.
// Each chunk counted its lines from zero; the first counts from `first_line`.
void merge_chunks(const std::string& path, const CdrReadOptions& o, CallSink* sink, std::vector<ChunkResult>& res,
                  int64_t first_line, Printer& printer, CdrSummary& sum) {
  size_t k = res.size();
  std::vector<int64_t> base(k);
  int64_t at = first_line;
  for (size_t i = 0; i < k; ++i) {
    base[i] = at;
    at += res[i].lines;
  }
  for (size_t i = 0; i < k; ++i) {
    printer.chunk(path, res[i], base[i]);
    if (res[i].failed) fail_strict(path, res[i], base[i]);
  }
  Stitcher st(o, sink);
  for (auto& t : res[0].tail) t.last_line += base[0] - first_line;
  st.start(std::move(res[0].tail), res[0].clock);
  for (size_t i = 1; i < k; ++i)
    st.next(std::move(res[i].head), std::move(res[i].tail), res[i].all_head, base[i] - first_line, res[i].clock);
  st.finish();
  for (auto& r : res) add_counts(sum, r);
  sum.calls += st.emitted;
}

// A plain file: cut into one chunk per thread, read in parallel.
void read_seekable(const Input& in, FileContext& f, const std::vector<CallSink*>& sinks, Printer& printer,
                   CdrSummary& sum) {
  const CdrReadOptions& o = *f.opts;
  int64_t size = in.size();
  if (size == 0) return;
  std::string head(static_cast<size_t>(std::min<int64_t>(size, 1 << 16)), '\0');
  head.resize(in.pread_at(head.data(), head.size(), 0));
  f.format = detect(f.path, head, o);
  int64_t begin = 0, first = 0;
  if (f.format == CdrFormat::kMapped) {
    f.columns = bind_header(f.path, first_line(in, &begin), f);
    first = 1;
  }
  // Small files are not worth a thread.
  int k = std::max(1, std::min<int>(o.threads, static_cast<int>(sinks.size())));
  if (size - begin < (1 << 20)) k = 1;
  std::vector<ChunkResult> res = read_chunks(in, f, chunk_cuts(in, begin, k), sinks);
  merge_chunks(f.path, o, sinks[0], res, first, printer, sum);
}

// A stream (stdin, a pipe, gzip): one thread, pieces of 4 MiB, a partial
// last line carried over to the next piece.
void read_stream(Input& in, FileContext& f, CallSink* sink, Printer& printer, CdrSummary& sum) {
  std::string buf;
  constexpr size_t kPiece = 4 << 20;
  size_t got = in.read(buf, kPiece);
  while (got > 0 && buf.size() < (1 << 16) && (got = in.read(buf, kPiece)) > 0) {
  }
  if (buf.empty()) return;
  f.format = detect(f.path, std::string_view(buf).substr(0, 1 << 16), *f.opts);
  std::vector<ChunkResult> res(1);
  int64_t no = 0;
  size_t pos = 0;
  if (f.format == CdrFormat::kMapped) {
    size_t nl;
    while ((nl = buf.find('\n')) == std::string::npos && in.read(buf, kPiece) > 0) {
    }
    f.columns = bind_header(f.path, std::string_view(buf).substr(0, nl == std::string::npos ? buf.size() : nl), f);
    pos = nl == std::string::npos ? buf.size() : nl + 1;
    no = 1;
  }
  Worker w(f, sink, false, &res[0]);
  bool eof = false, stop = false;
  while (!stop) {
    // Whole lines in [pos, last newline]; the rest waits for more bytes.
    size_t last = buf.rfind('\n');
    size_t upto = eof ? buf.size() : (last == std::string::npos || last < pos ? pos : last + 1);
    while (pos < upto) {
      size_t nl = buf.find('\n', pos);
      size_t le = (nl == std::string::npos || nl >= upto) ? upto : nl;
      if (!w.line(std::string_view(buf).substr(pos, le - pos), ++no)) {
        stop = true;
        break;
      }
      pos = le < upto ? le + 1 : upto;
    }
    if (stop || eof) break;
    buf.erase(0, pos);
    pos = 0;
    if (in.read(buf, kPiece) == 0) eof = true;
  }
  w.done();
  // Lines were numbered from the start of the file: no offset.
  merge_chunks(f.path, *f.opts, sink, res, 0, printer, sum);
}

void read_one(const std::string& path, const CdrReadOptions& o, const OutcomeMap& outcomes, const TimeZone& tz,
              const PhoneNormaliser* pn, const std::vector<CallSink*>& sinks, Printer& printer, CdrSummary& sum) {
  Input in(path);
  FileContext f;
  f.path = path;
  f.opts = &o;
  f.outcomes = &outcomes;
  f.tz = &tz;
  f.pn = pn;
  f.delimiter = o.mapping ? o.mapping->delimiter : ',';
  if (in.seekable()) read_seekable(in, f, sinks, printer, sum);
  else read_stream(in, f, sinks[0], printer, sum);
}

}  // namespace

CdrSummary read_cdr(const std::vector<std::string>& files, const CdrReadOptions& o,
                    const std::vector<CallSink*>& sinks) {
  if (sinks.empty()) throw std::invalid_argument("read_cdr: no sink");
  if (o.format == CdrFormat::kMapped && !o.mapping)
    throw InputError("the mapped format needs a mapping (the columns of the CSV)", Topic::kMapping);
  if (!o.date_format.empty()) {
    try {
      TimeFormat check(o.date_format);
    } catch (const InputError& e) {
      throw InputError(fmt::format("date format: {}", e.what()), Topic::kDateFormat);
    }
  }
  // The default table is the same for every read, and read-only: built once.
  static const OutcomeMap kDefault;
  const OutcomeMap& outcomes = o.outcomes ? *o.outcomes : kDefault;
  std::string zone = !o.tz.empty() ? o.tz : (o.mapping && !o.mapping->time_zone.empty() ? o.mapping->time_zone : "UTC");
  TimeZone tz(zone);
  std::unique_ptr<PhoneNormaliser> pn;
  if (o.normalise) pn = std::make_unique<PhoneNormaliser>(o.region);
  CdrSummary sum;
  Printer printer{o, {}, {}};
  for (auto& path : files) read_one(path, o, outcomes, tz, pn.get(), sinks, printer, sum);
  return sum;
}

CdrSummary for_each_call(const std::vector<std::string>& files, const CdrReadOptions& opts,
                         const std::function<void(const CdrCall&)>& on_call) {
  struct Fn : CallSink {
    const std::function<void(const CdrCall&)>& f;
    explicit Fn(const std::function<void(const CdrCall&)>& fn) : f(fn) {}
    void add(const CdrCall& c) override { f(c); }
  } sink(on_call);
  CdrReadOptions o = opts;
  o.threads = 1;
  return read_cdr(files, o, {&sink});
}

}  // namespace telsim
