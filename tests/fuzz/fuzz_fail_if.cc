// libFuzzer target: the --fail-if gate parser and the JSON path lookup
// (tools/gates.h), as `--fail-if EXPR` and a scenario's `[gates] fail_if`
// reach them. The input is gate expressions, one per line; a line `#@json`
// cuts the input, and what follows is a JSON document to gate as well. Every
// gate that parses is evaluated on a fixed real output
// (tests/fixtures/cdr/asterisk_messy.stats.json: objects, arrays of one and
// of many elements, nulls) and on the input's document when it is valid
// JSON; the results are then formatted as the commands print them (JSON,
// text, JUnit). A malformed gate and a path naming nothing must be an
// InputError; anything else escaping is a finding.
#include <nlohmann/json.hpp>

#include "tests/fuzz/fuzz_util.h"
#include "tools/gates.h"

namespace {

using json = nlohmann::ordered_json;

void gate_on(const std::vector<telsim::gates::Gate>& gates, const json& doc) {
  if (gates.empty()) return;
  telsim::fuzz::expect_input_errors([&] {
    auto results = telsim::gates::evaluate(gates, doc);
    if (results.size() != gates.size()) std::abort();
    size_t failed = 0;
    for (auto& r : results) failed += r.failed ? 1 : 0;
    if (telsim::gates::any_failed(results) != (failed > 0)) std::abort();
    // Formatted as the commands print them: JSON, stderr lines, JUnit.
    size_t seen = telsim::gates::to_json(results).dump().size() + telsim::gates::to_text(results).size() +
                  telsim::gates::to_junit(results, "telsim fuzz").size();
    if (seen == 0) std::abort();
  });
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace telsim;
  static const json fixed =
      json::parse(fuzz::slurp(std::string(TELSIM_SOURCE_DIR) + "/tests/fixtures/cdr/asterisk_messy.stats.json"));
  std::string_view text = fuzz::as_text(data, size);
  std::string_view doc_text;
  if (size_t cut = text.find("#@json\n"); cut != std::string_view::npos && (cut == 0 || text[cut - 1] == '\n')) {
    doc_text = text.substr(cut + 7);
    text = text.substr(0, cut);
  }
  std::vector<gates::Gate> parsed;
  while (!text.empty()) {
    size_t nl = text.find('\n');
    std::string line(text.substr(0, nl));
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    // Each gate alone (its own message), then all that parse together.
    fuzz::expect_input_errors([&] {
      gates::Gate g = gates::parse(line, "--fail-if");
      // A misspelt path is compared with every path of the document (edit
      // distance, length x length): with the coverage instrumentation a
      // 4 KB path costs 0.1 s an input and the fuzzer crawls. Real paths are
      // tens of bytes; longer ones are parsed, not evaluated.
      // Likewise at most 8 gates an input are evaluated (each costs a pass
      // over the document); a real list is a few.
      if (g.path.size() <= 256 && parsed.size() < 8) parsed.push_back(g);
    });
  }
  gate_on(parsed, fixed);
  for (auto& g : parsed) gate_on({g}, fixed);
  if (!doc_text.empty()) {
    json doc = json::parse(doc_text.begin(), doc_text.end(), nullptr, /*allow_exceptions=*/false);
    if (!doc.is_discarded())
      for (auto& g : parsed) gate_on({g}, doc);
  }
  return 0;
}
