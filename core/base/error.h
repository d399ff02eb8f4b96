#pragma once
// Errors that reach the user. Every message says where (file:line, key, row)
// and what is wrong, so a person can act on it.
#include <stdexcept>
#include <string>

namespace telsim {

/// Bad input or usage: the command exits with code 2 and writes nothing.
class InputError : public std::runtime_error {
 public:
  explicit InputError(const std::string& what) : std::runtime_error(what) {}
};

/// Exit codes shared by every command.
/// kExitGateFailed: the command did its work and wrote its output, but a gate
/// (--fail-if, a scenario's [gates]) failed.
enum ExitCode : int { kExitOk = 0, kExitFailure = 1, kExitBadInput = 2, kExitGateFailed = 3 };

}  // namespace telsim
