// telsim numbering import|lookup: the Russian numbering plan registry.
#include <fmt/format.h>

#include <cstdlib>
#include <nlohmann/json.hpp>

#include "core/base/file_check.h"
#include "core/base/quote.h"
#include "core/base/error.h"
#include "core/cdr/numbering.h"
#include "core/phone/phone.h"
#include "core/base/table.h"
#include "tools/cli.h"
#include "tools/output.h"
#include "tools/contract.h"

namespace {

struct NumberingArgs {
  std::vector<std::string> files, numbers;
  std::string registry, region = "RU", format;
  bool strict = false;
};

std::string default_registry() {
  const char* env = std::getenv("TELSIM_REGISTRY");
  return env && *env ? env : "numbering.reg";
}

void run_import(const NumberingArgs& a) {
  // The registry's folder is checked (and its temporary file made) before the
  // CSVs are read, and the file is replaced by the rules of every --out.
  for (auto& f : a.files) telsim::refuse_folder(f, "", "a registry CSV file");
  telsim::out::Target registry(a.registry, "--registry");
  std::string image;
  telsim::RegistryImport r = telsim::Numbering::import(a.files, &image, a.strict, stderr);
  registry.commit(image);
  nlohmann::ordered_json j{{"registry", a.registry}, {"rows", r.rows},          {"ranges", r.ranges},
                           {"skipped", r.skipped},   {"overlaps", r.overlaps}, {"operators", r.operators},
                           {"regions", r.regions}};
  if (a.format == "json") {
    telsim::cli::emit(telsim::cli::stamped("telsim.numbering-import/1", j, "json").dump(2) + "\n");
    return;
  }
  telsim::Table t({"registry", "rows", "ranges", "skipped", "overlaps", "operators", "regions"});
  t.add({a.registry, std::to_string(r.rows), std::to_string(r.ranges), std::to_string(r.skipped),
         std::to_string(r.overlaps), std::to_string(r.operators), std::to_string(r.regions)});
  telsim::cli::emit(a.format == "csv" ? t.csv() : t.text());
}

void run_lookup(const NumberingArgs& a) {
  telsim::refuse_folder(a.registry, "--registry", "a numbering registry file");
  telsim::Numbering reg = telsim::Numbering::load(a.registry);
  telsim::PhoneNormaliser pn(a.region);
  nlohmann::ordered_json arr = nlohmann::ordered_json::array();
  telsim::Table t({"number", "e164", "operator", "region", "kind", "code"});
  for (auto& raw : a.numbers) {
    telsim::PhoneNumber n = pn.normalise(raw);
    if (n.kind == telsim::PhoneNumber::Kind::kInvalid)
      throw telsim::InputError(fmt::format("{}: not a phone number", telsim::quote_field(raw)));
    telsim::RangeInfo info;
    bool found = n.ok() && reg.lookup(n.text, &info);
    nlohmann::ordered_json j{{"number", raw}, {"e164", n.ok() ? n.text : ""}};
    if (found) {
      j["operator"] = std::string(info.op);
      j["region"] = std::string(info.region);
      j["kind"] = telsim::to_string(info.kind);
      j["code"] = info.code;
      t.add({raw, n.text, std::string(info.op), std::string(info.region), telsim::to_string(info.kind),
             std::to_string(info.code)});
    } else {
      j["operator"] = nullptr;
      j["region"] = nullptr;
      j["kind"] = nullptr;
      j["code"] = nullptr;
      t.add({raw, n.ok() ? n.text : "(local)", "(not in registry)", "", "", ""});
    }
    arr.push_back(j);
  }
  if (a.format == "json") {
    nlohmann::ordered_json doc = telsim::cli::document("telsim.numbering-lookup/1");
    doc["results"] = arr;
    telsim::cli::emit(doc.dump(2) + "\n");
  }
  else telsim::cli::emit(a.format == "csv" ? t.csv() : t.text());
}

}  // namespace

void setup_numbering(CLI::App& app) {
  auto a = std::make_shared<NumberingArgs>();
  a->registry = default_registry();
  auto* imp = app.add_subcommand(
      "import",
      "Import the regulator's registry CSVs (ABC-3xx, ABC-4xx, ABC-8xx, DEF-9xx) into a compact lookup file:\n"
      "  telsim numbering import ABC-3xx.csv ABC-4xx.csv ABC-8xx.csv DEF-9xx.csv --registry numbering.reg");
  imp->add_option("FILE", a->files, "Registry CSV files (UTF-8, ';' separated)")->required();
  imp->add_option("--registry", a->registry, "Lookup file to write (default $TELSIM_REGISTRY or numbering.reg)");
  imp->add_flag("--strict", a->strict, "Refuse the import at the first bad row (exit 2)");
  telsim::cli::add_format(*imp, a->format);
  imp->callback([a] { run_import(*a); });

  auto* look = app.add_subcommand("lookup",
                                  "Operator, region and kind (mobile/fixed) of numbers:\n"
                                  "  telsim numbering lookup 89161234567 +74951234567 --registry numbering.reg");
  look->add_option("NUMBER", a->numbers, "Numbers in any usual shape (8..., 7..., +7..., 810...)")->required();
  look->add_option("--registry", a->registry, "Lookup file (default $TELSIM_REGISTRY or numbering.reg)");
  look->add_option("--region", a->region, "Region for numbers without a country code (default RU)");
  telsim::cli::add_format(*look, a->format);
  look->callback([a] { run_lookup(*a); });
}
