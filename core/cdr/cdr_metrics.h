#pragma once
// Network quality figures from calls (definitions in docs/cdr.md): ASR, NER,
// ABR, ACD, SDR, PDD and outcome counts, overall and per group. Counts are
// integers summed per thread and merged, so results never depend on how the
// input was split.
#include <array>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/base/hash.h"
#include "core/cdr/cdr_outcome.h"
#include "core/cdr/cdr_reader.h"
#include "core/cdr/numbering.h"

namespace telsim {

enum class GroupBy { kHour, kDay, kOperator, kPrefix, kTrunk, kChannel, kCalled, kOutcome };
/// "hour", "day", "operator", "prefix", "trunk", "channel", "called", "outcome".
bool parse_group_by(const std::string& s, GroupBy* out);
const char* to_string(GroupBy g);

/// Sums over a set of calls.
struct CallCounts {
  int64_t calls = 0, seized = 0, delivered = 0, short_calls = 0, billsec = 0, pdd_sum = 0, pdd_calls = 0;
  std::array<int64_t, kOutcomeCount> outcome{};
  int64_t answered() const { return outcome[0]; }
  void merge(const CallCounts& o);
};

/// The ratios, computed from counts; nullopt where the denominator is zero.
struct CallMetrics {
  std::optional<double> asr, ner, abr, acd, sdr, pdd;
};
CallMetrics metrics(const CallCounts& c);

struct MetricsOptions {
  std::vector<GroupBy> by;           // composite group key, in this order (at most 4)
  int prefix_digits = 4;             // destination prefix: digits of the E.164 number without '+'
  int short_call_seconds = 6;        // SDR: answered calls shorter than this
  const Numbering* numbering = nullptr;  // needed for GroupBy::kOperator
  const OutcomeMap* outcomes = nullptr;  // NER's delivered causes (nullptr: defaults)
};

/// Counts calls; one per reading thread.
class MetricsSink : public CallSink {
 public:
  explicit MetricsSink(const MetricsOptions& o);
  void add(const CdrCall& call) override;

 private:
  friend struct MetricsReport;
  struct Key {
    std::array<int64_t, 4> v{};
    bool operator==(const Key& o) const { return v == o.v; }
  };
  struct KeyHash {
    size_t operator()(const Key& k) const {
      uint64_t h = kFnvOffset;
      for (int64_t x : k.v) h = fnv1a_word(static_cast<uint64_t>(x), h);
      return h;
    }
  };
  int64_t intern(std::string_view s);
  std::string label(size_t dim, int64_t code) const;

  const MetricsOptions& o_;
  OutcomeMap defaults_;
  const OutcomeMap* outcomes_;
  CallCounts overall_;
  std::unordered_map<Key, CallCounts, KeyHash> groups_;
  std::unordered_map<std::string, int64_t> ids_;
  std::vector<std::string> names_;
  std::string buf_;
};

/// Merged results, groups sorted by their labels.
struct MetricsReport {
  std::vector<GroupBy> by;
  CallCounts overall;
  std::map<std::vector<std::string>, CallCounts> groups;
  static MetricsReport merge(const MetricsOptions& o, const std::vector<const MetricsSink*>& sinks);
};

}  // namespace telsim
