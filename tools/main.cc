// telsim: one binary, `telsim NOUN VERB [options]`. This file only holds the
// table of nouns and the mapping of errors to exit codes (0 ok, 2 bad input or
// usage, 1 anything else).
#include <fmt/format.h>

#include <cstdio>

#include "core/base/error.h"
#include "tools/cli.h"

namespace {

const telsim::cli::Noun kNouns[] = {
    {"sim", "Simulate call losses in a network (run, compare)", setup_sim},
    {"erlang", "Erlang B, Erlang C, Engset and trunk dimensioning", setup_erlang},
    {"pool", "Clients' pools of tracking numbers: init, create, allocate, lease, attribute, size, report", setup_pool},
    {"number", "The operator's tracking numbers: add, list, show, block, retire", setup_number},
    {"calls", "The log of every call to the operator's numbers: import, list", setup_calls},
    {"quarantine", "Numbers given back: check, release, settings of the dirty-number rule", setup_quarantine},
    {"cdr", "Switch CDRs (Asterisk, FreeSWITCH, mapped CSV): stats, replay", setup_cdr},
    {"numbering", "Russian numbering plan registry: import, lookup", setup_numbering},
};

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"telsim: telephone network loss simulator and call-tracking toolkit"};
  app.set_version_flag("--version", "telsim 0.1.0");
  app.require_subcommand(1);
  for (const auto& noun : kNouns) {
    CLI::App* sub = app.add_subcommand(noun.name, noun.help);
    sub->require_subcommand(1);
    noun.setup(*sub);
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::Success& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return telsim::kExitBadInput;
  } catch (const telsim::InputError& e) {
    fmt::print(stderr, "telsim: {}\n", telsim::cli::with_option(e));
    return telsim::kExitBadInput;
  } catch (const std::exception& e) {
    fmt::print(stderr, "telsim: error: {}\n", e.what());
    return telsim::kExitFailure;
  }
  return telsim::kExitOk;
}
