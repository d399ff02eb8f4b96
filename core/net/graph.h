#pragma once
// A picture of a network: its operators, interconnects and the paths calls
// take, as Graphviz DOT text. No Graphviz library is needed to make it;
// tools/graphviz.h renders it to SVG with Graphviz's `dot` program.
#include <string>

#include "core/net/scenario.h"

namespace telsim::net {

/// The words of the picture, so that a report can draw it in another
/// language. Every field is plain text (the drawing escapes it); the
/// defaults are English.
struct GraphLabels {
  // Groups of operators (Graphviz clusters).
  std::string callers = "Callers' carriers";
  std::string transit = "Transit carriers";
  std::string destination = "Operator of the tracking numbers";
  std::string ours = "Our tracking operator";
  // The kind of each operator, under its name.
  std::string kind_ours = "tracking operator";
  std::string kind_mobile = "mobile carrier";
  std::string kind_fixed = "fixed operator";
  std::string kind_transit = "transit carrier";
  std::string kind_small = "small operator";
  // The legend of routes and the tooltips.
  std::string route = "Route";
  std::string hops = "Interconnects crossed";
  std::string primary = "Primary path";
  std::string backup = "Backup path";
  std::string interconnect = "interconnect";
  std::string channels = "ch";  // after an interconnect's number of channels
  std::string completion = "completion";
  std::string switching_node = "switching node";
  std::string components = "components";
  std::string required = "required";
  std::string decimal_point = ".";  // "," for Russian
  std::string percent_sign = "%";   // "\u00a0%" (a no-break space first) for Russian, as the report writes it
  /// Draw the scenario's name and description above the picture (a report
  /// that prints them itself turns this off).
  bool title = true;
};

/// The network of `s` as a Graphviz digraph, laid out left to right:
///  - operators are nodes named by their operator names, grouped in clusters:
///    callers' carriers, transit carriers, and the operator the routes lead
///    to (ours, or the operator of the tracking numbers); the tooltip of
///    each says its kind and its switching node;
///  - every route's paths are drawn along the interconnects they cross, in
///    the direction calls go, in the route's colour: the primary path bold,
///    the first backup dashed, further backups dotted. Routes that cross an
///    interconnect the same way and with the same kind of path share one
///    edge of parallel lines, one per route's colour; the interconnect's
///    name, channels and completion (when not 1) label its first edge. An
///    interconnect no path crosses is a grey undirected edge;
///  - a legend (with the name and description above it, unless
///    `labels.title` is false) lists each route with its colour, the
///    interconnects its primary path crosses and the operators of each path.
/// Every text from the scenario (names, description) is escaped for DOT
/// quoted strings and for Graphviz HTML-like labels, so a name holding
/// quotes, backslashes, newlines or `<script>` is shown as text. The same
/// scenario and labels give the same bytes.
std::string network_dot(const Scenario& s, const GraphLabels& labels = {});

/// `text` as a DOT quoted string (quotes included): backslashes and quotes
/// escaped, line breaks as \n, other control characters and invalid UTF-8
/// replaced by '?'.
std::string dot_quoted(const std::string& text);

/// `text` for a Graphviz HTML-like label: & < > " escaped as entities, line
/// breaks as <BR/>, other control characters and invalid UTF-8 replaced by '?'.
std::string dot_html(const std::string& text);

}  // namespace telsim::net
