// telsim: one command, `telsim NOUN VERB [options]`. This file only holds the
// table of nouns and the mapping of errors to exit codes (0 ok, 2 bad input or
// usage, 1 anything else).
//
// It is built twice: as `telsim`, without the simulator, so that the nouns
// that do not simulate start without loading SimGrid; and as `telsim-sim`
// (TELSIM_WITH_SIM), the whole command tree, which `telsim` execs with the
// same arguments for `telsim sim ...` (and for the generated completion
// scripts and man page, which describe the whole tree).
#include <fmt/format.h>
#include <limits.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <sstream>
#include <string>

#include "core/base/error.h"
#include "tools/cli.h"
#include "tools/guide.h"
#include "tools/output.h"
#include "tools/gates.h"

namespace {

using telsim::cli::warn;  // diagnostics that never throw (`2>&-`)

constexpr const char* kVersion = "telsim 0.1.0";

#ifndef TELSIM_WITH_SIM
// `telsim sim` runs telsim-sim (see main()), but for `sim graph`, which
// draws a network without simulating it.
void setup_sim_elsewhere(CLI::App& sim) { setup_sim_graph(sim); }
#define setup_sim setup_sim_elsewhere
#endif

const telsim::cli::Noun kNouns[] = {
    {"sim", "Simulate call losses in a network (run, compare, sweep, merge, graph)", setup_sim},
    {"erlang", "Erlang B, Erlang C, Engset and trunk dimensioning", setup_erlang},
    {"pool", "Clients' pools of tracking numbers: init, create, allocate, lease, attribute, size, report", setup_pool},
    {"number", "The operator's tracking numbers: add, list, show, block, retire", setup_number},
    {"calls", "The log of every call to the operator's numbers: import, list", setup_calls},
    {"quarantine", "Numbers given back: check, release, settings of the dirty-number rule", setup_quarantine},
    {"cdr", "Switch CDRs (Asterisk, FreeSWITCH, mapped CSV): stats, replay, calibrate", setup_cdr},
    {"numbering", "Russian numbering plan registry: import, lookup", setup_numbering},
    {"report", "A loss report for sales, in HTML, Markdown or PDF: telsim report A.toml B.toml --out report.html",
     setup_report},
};

#ifndef TELSIM_WITH_SIM
// telsim-sim lies next to telsim in the build tree, in libexec once installed.
[[noreturn]] void exec_simulator(char** argv) {
  char self[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
  std::string dir = ".";
  if (n > 0) {
    self[n] = '\0';
    dir = self;
    dir = dir.substr(0, dir.rfind('/'));
  }
  int err = ENOENT;
  for (std::string path : {dir + "/telsim-sim", dir + "/" + TELSIM_LIBEXEC_FROM_BIN + "/telsim-sim"}) {
    execv(path.c_str(), argv);
    if (errno != ENOENT) err = errno;
  }
  warn(fmt::format("telsim: cannot start the simulator (telsim-sim, in {} or {}/{}): {}\n", dir, dir,
             TELSIM_LIBEXEC_FROM_BIN, std::strerror(err)));
  std::exit(telsim::kExitFailure);
}
#endif

// Help and version texts go through the output module like any other output.
int print_help(CLI::App& app, const CLI::Error& e) {
  std::ostringstream out, err;
  int code = app.exit(e, out, err);
  std::fputs(err.str().c_str(), stderr);
  try {
    telsim::out::emit(out.str());
  } catch (const telsim::out::ReaderGone&) {
  } catch (const std::exception& x) {
    warn(fmt::format("telsim: error: {}\n", x.what()));
    return telsim::kExitFailure;
  }
  return code;
}

int run(CLI::App& app, int argc, char** argv) {
  // CLI11's own messages ("--format: X not in {...}") quote a value whole:
  // past a few hundred bytes its middle is cut, as telsim's own messages do.
  app.failure_message([](const CLI::App* a, const CLI::Error& e) {
    std::string s = CLI::FailureMessage::simple(a, e);
    constexpr size_t kKeep = 300;
    if (s.size() <= 3 * kKeep) return s;
    // Cut between UTF-8 characters, never inside one.
    auto inside = [&](size_t i) { return (static_cast<unsigned char>(s[i]) & 0xC0) == 0x80; };
    size_t head = kKeep, tail = s.size() - kKeep;
    while (head > 0 && inside(head)) --head;
    while (tail < s.size() && inside(tail)) ++tail;
    return fmt::format("{}... ({} bytes cut) ...{}", s.substr(0, head), tail - head, s.substr(tail));
  });
  try {
    if (int code = telsim::cli::check_command_words(app, argc, argv); code >= 0) return code;
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return print_help(app, e);
  } catch (const CLI::CallForAllHelp& e) {
    return print_help(app, e);
  } catch (const CLI::Success& e) {
    return print_help(app, e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return telsim::kExitBadInput;
  } catch (const telsim::out::ReaderGone&) {
    return telsim::kExitOk;  // `telsim ... | head -1`: the reader has all it wants
  } catch (const telsim::gates::GatesFailed&) {
    return telsim::kExitGateFailed;  // the output is written, each gate's result is on stderr
  } catch (const telsim::InputError& e) {
    warn(fmt::format("telsim: {}\n", telsim::cli::with_option(e)));
    return telsim::kExitBadInput;
  } catch (const std::exception& e) {
    warn(fmt::format("telsim: error: {}\n", e.what()));
    return telsim::kExitFailure;
  }
  return telsim::kExitOk;
}

}  // namespace

int main(int argc, char** argv) {
  telsim::out::install();
#ifndef TELSIM_WITH_SIM
  bool sim_graph = argc > 2 && !std::strcmp(argv[1], "sim") && !std::strcmp(argv[2], "graph");
  if (argc > 1 && !sim_graph &&
      (!std::strcmp(argv[1], "sim") || !std::strcmp(argv[1], "completion") || !std::strcmp(argv[1], "man")))
    exec_simulator(argv);
#endif
  CLI::App app{"telsim: telephone network loss simulator and call-tracking toolkit", "telsim"};
  app.set_version_flag("--version", kVersion);
  app.require_subcommand(1);
  for (const auto& noun : kNouns) {
    CLI::App* sub = app.add_subcommand(noun.name, noun.help);
    sub->require_subcommand(1);
    noun.setup(*sub);
  }
  // Hidden: the build generates the shell completions and the man page from
  // the command tree itself.
  std::string shell, generated;
  CLI::App* completion = app.add_subcommand("completion", "Print the completion script for bash or zsh")->group("");
  completion->add_option("SHELL", shell, "bash or zsh")->required()->check(CLI::IsMember({"bash", "zsh"}));
  telsim::out::add_out_option(*completion, generated, "Write the script to FILE instead of stdout");
  completion->callback([&] { telsim::out::emit(telsim::cli::completion_script(app, shell), generated); });
  CLI::App* man = app.add_subcommand("man", "Print the telsim(1) man page (roff)")->group("");
  telsim::out::add_out_option(*man, generated, "Write the page to FILE instead of stdout");
  man->callback([&] { telsim::out::emit(telsim::cli::man_page(app, kVersion), generated); });

  int code = run(app, argc, argv);
  telsim::out::release_reserved();
  try {
    telsim::out::finish_stdout();
  } catch (const telsim::out::ReaderGone&) {
  } catch (const std::exception& e) {
    warn(fmt::format("telsim: error: {}\n", e.what()));
    if (code == telsim::kExitOk) code = telsim::kExitFailure;
  }
  return code;
}
