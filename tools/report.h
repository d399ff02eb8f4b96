#pragma once
// `telsim report`: a page for sales people from a `sim compare` or `sim run`
// JSON document that holds `economics` (docs/report.md). One self-contained
// HTML file (no request to the network when opened: Chart.js and the data
// are inlined), or the same content as Markdown. Same document and options,
// same bytes: nothing depends on the time or the machine.
#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "tools/report_text.h"

namespace telsim::report {

struct Options {
  Lang lang = Lang::kEn;
  bool markdown = false;
  /// The text of Chart.js (HTML only), inlined as it is.
  std::string chart_js;
  /// Pictures of the networks by network name: SVG documents (telsim sim
  /// graph); a network without one gets a marked place.
  std::map<std::string, std::string> pictures;
};

/// The page for `doc`. Throws InputError naming `input` when `doc` is not a
/// sim compare or sim run document with an `economics` object, or a sim
/// sweep document whose top-level `economics` holds the prices (each point's
/// month figures are then worked out from its averages, docs/report.md).
std::string render(const nlohmann::ordered_json& doc, const std::string& input, const Options& options);

/// True for the JSON of `telsim sim sweep` (one network or a comparison).
bool is_sweep(const nlohmann::ordered_json& doc);

/// `s` with & < > " ' as HTML entities.
std::string escape_html(const std::string& s);

}  // namespace telsim::report
