#pragma once
// A command line that guides: what to say when the words of a command line
// are not telsim's, and the generated shell completions and man page, all
// read from the CLI11 command tree (so they cannot drift from it).
#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "core/base/spelling.h"

namespace telsim::cli {

/// Checks the noun, the verb and the long options of a command line before
/// CLI11 reads it. A word that is no command, or a `--NAME` that is no option
/// of the verb, gets "did you mean" (edit distance), a bare
/// `telsim` or `telsim NOUN` lists the commands with one line each. Returns
/// -1 when the line may go on to CLI11, else the exit code (2), the message
/// having been written to stderr.
int check_command_words(const CLI::App& app, int argc, const char* const* argv);

/// The words nearest a misspelt one (core/base/spelling.h).
using telsim::nearest_words;

/// First line of a command's description, without its example
/// ("Blocking probability of a loss system").
std::string summary_of(const CLI::App& cmd);

/// Completion script for `shell` ("bash" or "zsh") covering every noun, verb
/// and option of `app`.
std::string completion_script(const CLI::App& app, const std::string& shell);

/// telsim(1) in roff: every command with its description and options.
std::string man_page(const CLI::App& app, const std::string& version);

}  // namespace telsim::cli
