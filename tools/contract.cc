#include "tools/contract.h"

#include <fmt/format.h>

#include <cstdio>

#include "core/base/sha256.h"
#include "tools/cli.h"
#include "tools/output.h"

#ifndef TELSIM_VERSION
#define TELSIM_VERSION "unknown"
#endif

namespace telsim::cli {

const char* version() { return TELSIM_VERSION; }

nlohmann::ordered_json document(const std::string& schema) {
  nlohmann::ordered_json j;
  j["schema"] = schema;
  j["telsim_version"] = version();
  return j;
}

void append(nlohmann::ordered_json& doc, const nlohmann::ordered_json& body) {
  for (auto& [k, v] : body.items()) doc[k] = v;
}

nlohmann::ordered_json stamped(const std::string& schema, const nlohmann::ordered_json& rec,
                               const std::string& format) {
  if (format != "json") return rec;
  nlohmann::ordered_json doc = document(schema);
  append(doc, rec);
  return doc;
}

nlohmann::ordered_json input_file(const std::string& path, const std::string& role) {
  nlohmann::ordered_json j;
  j["path"] = path;
  j["role"] = role;
  j["sha256"] = path == "-" ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(sha256_file(path));
  return j;
}

void add_gate_options(CLI::App& cmd, GateOptions& g) {
  cmd.add_option("--fail-if", g.fail_if,
                 "Gate: exit 3 when this holds on the JSON output, 'PATH OP NUMBER' with OP one of < <= > >= == != "
                 "(repeatable): --fail-if 'overall.completion_ratio.low < 0.95'")
      ->type_name("'PATH OP NUMBER'")
      ->allow_extra_args(false);
  out::add_out_option(cmd, g.junit, "Write the gates' results as JUnit XML to FILE (one test case per gate)", "--junit")
      ->type_name("FILE");
}

std::vector<gates::Result> run_gates(const GateOptions& opt, const std::vector<gates::Gate>& extra,
                                     nlohmann::ordered_json& doc, const std::string& suite) {
  std::vector<gates::Gate> all = extra;
  for (auto& t : opt.fail_if) all.push_back(gates::parse(t, "--fail-if"));
  auto results = gates::evaluate(all, doc);
  doc["gates"] = gates::to_json(results);
  if (!results.empty()) {
    std::string text = gates::to_text(results);
    std::fwrite(text.data(), 1, text.size(), stderr);
  }
  if (!opt.junit.empty()) emit(gates::to_junit(results, suite), opt.junit);
  return results;
}

void finish_gates(const std::vector<gates::Result>& results) {
  if (gates::any_failed(results)) throw gates::GatesFailed();
}

}  // namespace telsim::cli
