#pragma once
// What every `telsim NOUN VERB` command shares: output formats, writing
// results (to stdout or atomically to --out), and the command table.
#include <CLI/CLI.hpp>
#include <string>
#include <vector>

namespace telsim::cli {

/// One noun of the command line: `telsim NOUN ...`. Its setup function adds
/// the verbs as subcommands of `noun`.
struct Noun {
  const char* name;
  const char* help;
  void (*setup)(CLI::App& noun);
};

/// Adds `--format table|json|csv` (default table) bound to `format`.
CLI::Option* add_format(CLI::App& app, std::string& format);

/// Writes `text` to stdout, or to `out_path` by the rules of tools/output.h
/// (atomic replacement, FIFOs and devices in place, write errors exit 1).
void emit(const std::string& text, const std::string& out_path = "");

/// `text` read as a finite number into *x: "" when it is one, else what is
/// wrong with it ("'abc' is not a number", "must be a finite number, not
/// 'inf'"). `integer` also refuses fractions. strtod's reading: leading
/// spaces are allowed, nothing may follow the number, and a number too close
/// to 0 to hold (1e-400) is refused rather than read as 0. Every number a
/// command reads from its own options goes through here (the checks below,
/// `--vary` ranges, `--uncertain` ranges), so they agree on what one is.
std::string parse_number(const std::string& text, bool integer, double* x);

/// Checks of numbers given as options or arguments, in place of CLI11's
/// PositiveNumber, NonNegativeNumber and Range: NaN and infinity are refused,
/// the message is short and names the value ("--days: must be a positive
/// number, not 'inf'"), never a 300-digit bound. `integer` also refuses
/// fractions. The help shows the same type tags as CLI11's checks did.
CLI::Validator positive(bool integer = false);
CLI::Validator non_negative(bool integer = false);
/// lo <= x <= hi.
CLI::Validator within(double lo, double hi, bool integer = false);

/// Words as a sentence lists them: "a", "a and b", "a, b and c" (`last` is
/// the word before the last one, with its spaces: " and ", " or ").
std::string join_list(const std::vector<std::string>& words, const std::string& last = " and ");

/// Networks are lettered A to Z in every output: refuses more than 26 input
/// files where each is a network (`sim compare`, `sim sweep`, `report`).
void check_network_count(size_t files);

/// Writes a diagnostic (a warning, an error message) to stderr. Never
/// throws: with stderr closed or full (`2>&-`) there is no one to tell, and
/// a warning printed after a change was committed must not turn the command
/// into a failure (fmt::print throws there; from main's catch handlers that
/// ended in abort).
void warn(const std::string& text) noexcept;

/// True when stderr is a terminal (progress bars are drawn only then).
bool stderr_is_tty();

/// The text of an error for the user of a command. core/ words its errors in
/// domain terms and tags their topic; here the options that every command
/// names alike are added ("--tz X: ...", "--region X: ..."). Commands whose
/// options differ word their own topics first (see cmd_cdr.cc).
std::string with_option(const std::exception& e);

}  // namespace telsim::cli

// Nouns, one file each (tools/cmd_NOUN.cc).
void setup_sim(CLI::App& app);
void setup_erlang(CLI::App& app);
void setup_pool(CLI::App& app);
void setup_number(CLI::App& app);
void setup_calls(CLI::App& app);
void setup_quarantine(CLI::App& app);
void setup_cdr(CLI::App& app);
void setup_numbering(CLI::App& app);
// `sim graph` (tools/cmd_sim_graph.cc): added to `sim` by both binaries, as
// it needs no simulator.
void setup_sim_graph(CLI::App& sim);
void setup_report(CLI::App& app);
