#pragma once
// The CI contract of commands with a JSON output (docs/cli.md, "For CI
// authors"): every document starts with its `schema` and `telsim_version`,
// names its input files with their SHA-256, and carries the results of its
// gates. The `--fail-if` / `--junit` options and what they do live here so
// that every gated command behaves alike.
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tools/gates.h"

namespace telsim::cli {

/// telsim's version, as `telsim --version` prints it after "telsim ".
const char* version();

/// A new document: {"schema": SCHEMA, "telsim_version": ...}.
nlohmann::ordered_json document(const std::string& schema);

/// Appends every key of `body` to `doc`, in order.
void append(nlohmann::ordered_json& doc, const nlohmann::ordered_json& body);

/// `rec` as a document of its own (schema and telsim_version first) when
/// `format` is json; unchanged otherwise (tables and CSV show no header).
nlohmann::ordered_json stamped(const std::string& schema, const nlohmann::ordered_json& rec,
                               const std::string& format);

/// {"path": PATH, "role": ROLE, "sha256": ...}; stdin ("-") has a null digest.
nlohmann::ordered_json input_file(const std::string& path, const std::string& role);

/// `--fail-if` (repeatable) and `--junit FILE`.
struct GateOptions {
  std::vector<std::string> fail_if;
  std::string junit;
};
void add_gate_options(CLI::App& cmd, GateOptions& g);

/// Parses the command line's gates and `extra` ones (a scenario's), evaluates
/// them on `doc`, adds `doc["gates"]`, prints each result on stderr (when
/// there are gates) and writes the JUnit file. Throws InputError for a
/// malformed gate or a path naming nothing, before anything is written.
std::vector<gates::Result> run_gates(const GateOptions& opt, const std::vector<gates::Gate>& extra,
                                     nlohmann::ordered_json& doc, const std::string& suite);

/// After the output is written: throws gates::GatesFailed (exit 3) when a gate failed.
void finish_gates(const std::vector<gates::Result>& results);

}  // namespace telsim::cli
