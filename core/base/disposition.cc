#include "core/base/disposition.h"

namespace telsim {

namespace {
struct Word {
  const char* word;
  Outcome outcome;
};
// In the order people list them (messages), not the enum's.
constexpr Word kWords[] = {{"ANSWERED", Outcome::kAnswered},
                           {"NO ANSWER", Outcome::kNoAnswer},
                           {"BUSY", Outcome::kBusy},
                           {"FAILED", Outcome::kFailed},
                           {"CONGESTION", Outcome::kCongestion}};
}  // namespace

const char* to_string(Outcome o) {
  switch (o) {
    case Outcome::kAnswered: return "answered";
    case Outcome::kBusy: return "busy";
    case Outcome::kNoAnswer: return "no_answer";
    case Outcome::kFailed: return "failed";
    case Outcome::kCongestion: return "congestion";
  }
  return "?";
}

bool parse_outcome(std::string_view s, Outcome* out) {
  for (int i = 0; i < kOutcomeCount; ++i)
    if (s == to_string(static_cast<Outcome>(i))) {
      *out = static_cast<Outcome>(i);
      return true;
    }
  return false;
}

const char* disposition_word(Outcome o) {
  for (const Word& w : kWords)
    if (w.outcome == o) return w.word;
  return "FAILED";
}

bool parse_disposition(std::string_view word, Outcome* out) {
  for (const Word& w : kWords)
    if (word == w.word) {
      *out = w.outcome;
      return true;
    }
  return false;
}

const std::string& disposition_words() {
  static const std::string words = [] {
    std::string s;
    for (const Word& w : kWords) s += (s.empty() ? "" : ", ") + std::string(w.word);
    return s;
  }();
  return words;
}

}  // namespace telsim
