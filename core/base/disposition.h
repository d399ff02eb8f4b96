#pragma once
// The one list of call outcomes and the words switches write for them
// (Asterisk's dispositions), shared by the CDR readers and the call log.
#include <cstdint>
#include <string>
#include <string_view>

namespace telsim {

/// What happened to a call, as operators count it.
enum class Outcome : uint8_t { kAnswered, kBusy, kNoAnswer, kFailed, kCongestion };
constexpr int kOutcomeCount = 5;
/// "answered", "busy", "no_answer", "failed", "congestion".
const char* to_string(Outcome o);
bool parse_outcome(std::string_view s, Outcome* out);

/// The disposition word of an outcome, as Asterisk writes it and the call
/// log stores it: "ANSWERED", "BUSY", "NO ANSWER", "FAILED", "CONGESTION".
const char* disposition_word(Outcome o);
/// The outcome of a disposition word (exact, upper case); false otherwise.
bool parse_disposition(std::string_view word, Outcome* out);
/// "ANSWERED, NO ANSWER, BUSY, FAILED, CONGESTION": the words, for messages.
const std::string& disposition_words();

}  // namespace telsim
