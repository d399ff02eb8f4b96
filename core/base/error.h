#pragma once
// Errors that reach the user. Every message says where (file:line, key, row)
// and what is wrong, so a person can act on it.
#include <stdexcept>
#include <string>
#include <utility>

namespace telsim {

/// What a message is about when the command line may have an option for it.
/// Messages raised in core/ speak the domain only; tools/ knows the command
/// at hand and adds its option (tools/cli.h: with_option).
enum class Topic {
  kNone,
  kTimeZone,       // "NAME: unknown time zone ..."
  kRegion,         // "CODE: not a region ..."
  kBlockingTarget, // a blocking probability outside (0, 1)
  kStrictStop,     // strict reading stopped at a bad row
  kCdrFormat,      // the format of a CDR file could not be told
  kMapping,        // the mapped format without a mapping
  kGroupBy,        // too many or unusable group keys
  kRegistry,       // grouping by operator without a numbering registry
  kOverride,       // "KEY: ..." a scenario override (KEY=VALUE) that does not apply
  kEmptyOverride,  // an override without a key
  kNumberState,    // "STATE: not a number state ..."
  kHoldTime,       // a pool's hold time that is not positive
  kOverflowNumber, // an overflow number for a static pool
  kFixedChannel,   // a fixed channel given to a dynamic pool's numbers
  kWhichNumbers,   // neither numbers nor a count to allocate
  kCount,          // "COUNT: only N numbers are available ..."
  kSession,        // an empty session id
  kMinDays,        // "N: must be 0 or more" (quarantine days)
  kMaxCalls,       // "N: must be 1 or more" (calls in the window)
  kWindowDays,     // "N: must be 1 or more" (window days)
  kReportPeriod,   // a report period that ends before it starts
  kSkipBad,        // an all-or-nothing import refused for bad rows
  kNoDatabase,     // subject(): the database path that holds no database
  kOldSchema,      // subject(): the database path with an older schema
  kOverflowTarget, // a pool's overflow target outside (0, 1)
  kDateFormat,     // "date format: ..." a bad date format pattern
};

/// Bad input or usage: the command exits with code 2 and writes nothing.
class InputError : public std::runtime_error {
 public:
  explicit InputError(const std::string& what, Topic topic = Topic::kNone, std::string subject = "")
      : std::runtime_error(what), topic_(topic), subject_(std::move(subject)) {}
  Topic topic() const { return topic_; }
  /// What the message is about when tools/ needs it to word its hint (a path).
  const std::string& subject() const { return subject_; }

 private:
  Topic topic_;
  std::string subject_;
};

/// Exit codes shared by every command.
/// kExitGateFailed: the command did its work and wrote its output, but a gate
/// (--fail-if, a scenario's [gates]) failed.
enum ExitCode : int { kExitOk = 0, kExitFailure = 1, kExitBadInput = 2, kExitGateFailed = 3 };

}  // namespace telsim
