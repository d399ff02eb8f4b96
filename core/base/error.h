#pragma once
// Errors that reach the user. Every message says where (file:line, key, row)
// and what is wrong, so a person can act on it.
#include <stdexcept>
#include <string>

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
};

/// Bad input or usage: the command exits with code 2 and writes nothing.
class InputError : public std::runtime_error {
 public:
  explicit InputError(const std::string& what, Topic topic = Topic::kNone)
      : std::runtime_error(what), topic_(topic) {}
  Topic topic() const { return topic_; }

 private:
  Topic topic_;
};

/// Exit codes shared by every command.
/// kExitGateFailed: the command did its work and wrote its output, but a gate
/// (--fail-if, a scenario's [gates]) failed.
enum ExitCode : int { kExitOk = 0, kExitFailure = 1, kExitBadInput = 2, kExitGateFailed = 3 };

}  // namespace telsim
