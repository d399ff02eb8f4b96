#include "core/net/graph.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>
#include <vector>

#include "core/base/text.h"

namespace telsim::net {
namespace {

// The lines of `text` (split at \n, \r\n and \r), each made printable UTF-8:
// Graphviz refuses invalid UTF-8, and a control character has no business
// in a label.
std::vector<std::string> printable_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::string line;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '\r' || c == '\n') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      lines.push_back(telsim::printable_utf8(line));
      line.clear();
    } else {
      line += c;
    }
  }
  lines.push_back(telsim::printable_utf8(line));
  return lines;
}

// Colours of routes, told apart also by people with the common colour
// blindnesses (Okabe and Ito's palette, without its yellow, which is too
// pale on white, plus darker tones when a scenario has more routes).
constexpr const char* kRouteColours[] = {"#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00",
                                         "#56B4E9", "#000000", "#8C564B", "#7F3C8D", "#17BECF"};

std::string colour_of(size_t route) { return kRouteColours[route % (sizeof kRouteColours / sizeof *kRouteColours)]; }

// 0.985 -> "98.5%" (in Russian "98,5 %"): at most two decimals, trailing zeros dropped.
std::string percent(double p, const std::string& decimal_point, const std::string& sign) {
  std::string s = fmt::format("{:.2f}", p * 100);
  while (s.back() == '0') s.pop_back();
  if (s.back() == '.') s.pop_back();
  auto dot = s.find('.');
  if (dot != std::string::npos) s.replace(dot, 1, decimal_point);
  return s + sign;
}

std::string number(double x, const std::string& decimal_point) {
  std::string s = fmt::format("{:g}", x);
  auto dot = s.find('.');
  if (dot != std::string::npos) s.replace(dot, 1, decimal_point);
  return s;
}

const std::string& kind_word(const std::string& kind, const GraphLabels& l) {
  if (kind == "ours") return l.kind_ours;
  if (kind == "mobile") return l.kind_mobile;
  if (kind == "fixed") return l.kind_fixed;
  if (kind == "transit") return l.kind_transit;
  if (kind == "small") return l.kind_small;
  return kind;
}

// The operators a path's calls cross, from the route's `from` to its `to`
// (the scenario checked that its interconnects chain).
struct Walk {
  std::vector<int> operators;
};

Walk walk(const Scenario& s, const Route& r, const std::vector<int>& path) {
  Walk w;
  int at = s.operator_index(r.from);
  w.operators.push_back(at);
  for (int ic : path) {
    const Interconnect& x = s.interconnects[ic];
    int a = s.operator_index(x.a), b = s.operator_index(x.b);
    at = at == a ? b : a;
    w.operators.push_back(at);
  }
  return w;
}

std::string chain(const Scenario& s, const Walk& w, const char* arrow) {
  std::string out;
  for (size_t i = 0; i < w.operators.size(); ++i) out += (i ? arrow : "") + s.operators[w.operators[i]].name;
  return out;
}

// `text` in lines of at most about `width` characters, broken at spaces
// (a longer word stays whole), its own line breaks kept.
std::vector<std::string> wrapped(const std::string& text, size_t width) {
  std::vector<std::string> out;
  for (const std::string& line : printable_lines(text)) {
    std::string cur;
    size_t cur_chars = 0;
    size_t start = 0;
    while (start <= line.size()) {
      size_t end = line.find(' ', start);
      if (end == std::string::npos) end = line.size();
      std::string word = line.substr(start, end - start);
      size_t chars = 0;
      for (unsigned char c : word) chars += (c & 0xC0) != 0x80;  // UTF-8 characters, not bytes
      if (cur_chars > 0 && cur_chars + 1 + chars > width) {
        out.push_back(cur);
        cur.clear();
        cur_chars = 0;
      }
      if (cur_chars > 0 || !cur.empty()) {
        cur += ' ';
        ++cur_chars;
      }
      cur += word;
      cur_chars += chars;
      start = end + 1;
    }
    out.push_back(cur);
  }
  return out;
}

std::string path_style(size_t k) { return k == 0 ? "bold" : k == 1 ? "dashed" : "dotted"; }

}  // namespace

std::string dot_quoted(const std::string& text) {
  std::string out = "\"";
  bool first = true;
  for (const std::string& line : printable_lines(text)) {
    if (!first) out += "\\n";
    first = false;
    for (char c : line) {
      if (c == '\\' || c == '"') out += '\\';
      out += c;
    }
  }
  return out + "\"";
}

std::string dot_html(const std::string& text) {
  std::string out;
  bool first = true;
  for (const std::string& line : printable_lines(text)) {
    if (!first) out += "<BR/>";
    first = false;
    for (char c : line) {
      switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        default: out += c;
      }
    }
  }
  return out;
}

std::string network_dot(const Scenario& s, const GraphLabels& l) {
  const std::string& dp = l.decimal_point;
  auto q = [](const std::string& t) { return dot_quoted(t); };
  std::string out;
  out += fmt::format("digraph {} {{\n", q(s.name));
  out += "  graph [rankdir=LR, fontname=\"Helvetica\", nodesep=0.4, ranksep=1.1, newrank=true";
  out += fmt::format(", tooltip={}];\n", q(s.description.empty() ? s.name : s.name + ": " + s.description));
  out += "  node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\", fontsize=13, penwidth=1.2];\n";
  out += "  edge [fontname=\"Helvetica\", fontsize=10, fontcolor=\"#505050\", arrowsize=0.7];\n";

  // Operators, by role: where the routes lead, transit carriers, the rest
  // (the callers' carriers and any other operator).
  std::set<std::string> destinations;
  for (const Route& r : s.routes) destinations.insert(r.to);
  enum Group { kCallers, kTransit, kDestination };
  auto group_of = [&](const Operator& op) {
    if (destinations.count(op.name) || op.kind == "ours") return kDestination;
    if (op.kind == "transit") return kTransit;
    return kCallers;
  };
  bool all_ours = true;
  for (const Operator& op : s.operators)
    if (group_of(op) == kDestination && op.kind != "ours") all_ours = false;
  struct Cluster {
    Group group;
    const char* id;
    std::string label, fill;
  };
  const Cluster clusters[] = {
      {kCallers, "cluster_callers", l.callers, "#EEF3F8"},
      {kTransit, "cluster_transit", l.transit, "#FBEFE3"},
      {kDestination, "cluster_destination", all_ours ? l.ours : l.destination, "#E7F4EC"},
  };
  const char* node_fill[] = {"#D6E4F0", "#F8D9B8", "#BFE3CC"};
  for (const Cluster& c : clusters) {
    std::string nodes;
    for (const Operator& op : s.operators) {
      if (group_of(op) != c.group) continue;
      std::string tip = op.name + ": " + kind_word(op.kind, l);
      if (op.node.components > 0)
        tip += fmt::format("; {}: {} {}, {} {}, MTBF {} h, MTTR {} h", l.switching_node, l.components,
                           op.node.components, l.required, op.node.required, number(op.node.mtbf_hours, dp),
                           number(op.node.mttr_hours, dp));
      nodes += fmt::format(
          "    {} [label=<<B>{}</B><BR/><FONT POINT-SIZE=\"10\">{}</FONT>>, fillcolor=\"{}\"{}, tooltip={}];\n",
          q(op.name), dot_html(op.name), dot_html(kind_word(op.kind, l)), node_fill[c.group],
          op.kind == "ours" ? ", penwidth=2.5" : "", q(tip));
    }
    if (nodes.empty()) continue;
    out += fmt::format("  subgraph {} {{\n    label={}; style=\"rounded,filled\"; color=\"#B0B0B0\"; fillcolor=\"{}\";\n",
                       c.id, q(c.label), c.fill);
    // Callers in one column on the left, the destination on the right: the
    // picture reads in the direction calls go.
    out += c.group == kTransit ? "    fontsize=12;\n" : "    fontsize=12; rank=same;\n";
    out += nodes + "  }\n";
  }

  // The paths, bundled: for each interconnect, one edge per way it is
  // crossed and per kind of path (primary, first backup, further backups),
  // with one parallel line in each colour of the routes whose paths cross it
  // so. Five routes through one trunk make one band of five lines, not five
  // curves across the picture.
  std::vector<Walk> walks;  // every route's paths, in order
  struct Bundle {
    int tail, head;
    size_t kind;  // 0 primary, 1 first backup, 2 further backups
    std::vector<size_t> routes;
  };
  std::vector<std::vector<Bundle>> bundles(s.interconnects.size());
  for (size_t ri = 0; ri < s.routes.size(); ++ri) {
    const Route& r = s.routes[ri];
    for (size_t k = 0; k < r.paths.size(); ++k) {
      walks.push_back(walk(s, r, r.paths[k]));
      for (size_t h = 0; h < r.paths[k].size(); ++h) {
        int tail = walks.back().operators[h], head = walks.back().operators[h + 1];
        auto& list = bundles[r.paths[k][h]];
        size_t kind = std::min<size_t>(k, 2);
        Bundle* b = nullptr;
        for (auto& x : list)
          if (x.tail == tail && x.head == head && x.kind == kind) b = &x;
        if (!b) b = &list.emplace_back(Bundle{tail, head, kind, {}});
        if (b->routes.empty() || b->routes.back() != ri) b->routes.push_back(ri);
      }
    }
  }

  out += "  // Interconnects (trunk groups) with the paths that cross them: primary\n"
         "  // bold, first backup dashed, further backups dotted; one colour per route.\n";
  for (size_t i = 0; i < s.interconnects.size(); ++i) {
    const Interconnect& x = s.interconnects[i];
    std::string figures = fmt::format("{} {}", x.channels, l.channels);
    if (x.completion != 1.0) figures += ", " + percent(x.completion, dp, l.percent_sign);
    std::string tip = fmt::format("{} {}: {} {}", l.interconnect, x.name, x.channels, l.channels);
    if (x.completion != 1.0) tip += fmt::format(", {} {}", l.completion, percent(x.completion, dp, l.percent_sign));
    std::string label = fmt::format("label={}, ", q(x.name + "\n" + figures));
    if (bundles[i].empty()) {  // no route uses it: a grey line
      out += fmt::format("  {} -> {} [dir=none, color=\"#A0A0A0\", {}tooltip={}];\n", q(x.a), q(x.b), label, q(tip));
      continue;
    }
    std::stable_sort(bundles[i].begin(), bundles[i].end(), [](const Bundle& a, const Bundle& b) { return a.kind < b.kind; });
    for (const Bundle& b : bundles[i]) {
      std::string colours, names;
      for (size_t ri : b.routes) {
        colours += (colours.empty() ? "" : ":") + colour_of(ri);
        names += (names.empty() ? "" : ", ") + s.routes[ri].name;
      }
      const std::string& kind = b.kind == 0 ? l.primary : l.backup;
      out += fmt::format("  {} -> {} [color=\"{}\", style={}, penwidth={}, {}tooltip={}];\n", q(s.operators[b.tail].name),
                         q(s.operators[b.head].name), colours, path_style(b.kind), b.kind == 0 ? "2.5" : "1.5", label,
                         q(fmt::format("{}; {}: {}", tip, kind, names)));
      label.clear();  // the interconnect's label once, on its first line
    }
  }

  // The legend (and the title) as the graph's label: one row per route.
  size_t most_paths = 0;
  for (const Route& r : s.routes) most_paths = std::max(most_paths, r.paths.size());
  // The title sits above the legend, the description wrapped, so that a
  // long one does not stretch the legend's columns (Graphviz widens a
  // table's columns to the widest cell above them).
  std::string title;
  if (l.title) {
    title = "<B>" + dot_html(s.name) + "</B>";
    if (!s.description.empty()) {
      title += ": ";
      bool first = true;
      for (const std::string& line : wrapped(s.description, 72)) {
        if (!first) title += "<BR ALIGN=\"LEFT\"/>";
        first = false;
        title += dot_html(line);
      }
    }
    title = fmt::format("<TR><TD ALIGN=\"LEFT\" BALIGN=\"LEFT\"><FONT POINT-SIZE=\"14\">{}</FONT></TD></TR>", title);
  }
  std::string table = "<TABLE BORDER=\"0\" CELLBORDER=\"1\" CELLSPACING=\"0\" CELLPADDING=\"4\" COLOR=\"#C0C0C0\">";
  table += fmt::format("<TR><TD COLSPAN=\"2\"><B>{}</B></TD><TD><B>{}</B></TD><TD ALIGN=\"LEFT\"><B>{} ━━━</B></TD>",
                       dot_html(l.route), dot_html(l.hops), dot_html(l.primary));
  for (size_t k = 1; k < most_paths; ++k)
    table += fmt::format("<TD ALIGN=\"LEFT\"><B>{}{} {}</B></TD>", dot_html(l.backup), k >= 2 ? " " + std::to_string(k) : "",
                         k == 1 ? "– – –" : "· · ·");
  table += "</TR>";
  size_t w = 0;
  for (size_t ri = 0; ri < s.routes.size(); ++ri) {
    const Route& r = s.routes[ri];
    table += fmt::format("<TR><TD BGCOLOR=\"{}\" WIDTH=\"18\"> </TD><TD ALIGN=\"LEFT\">{}</TD><TD>{}</TD>", colour_of(ri),
                         dot_html(r.name), r.paths.empty() ? 0 : r.paths[0].size());
    for (size_t k = 0; k < most_paths; ++k) {
      if (k < r.paths.size())
        table += fmt::format("<TD ALIGN=\"LEFT\"><FONT COLOR=\"{}\">{}</FONT></TD>", colour_of(ri),
                             dot_html(chain(s, walks[w + k], " → ")));
      else
        table += "<TD> </TD>";
    }
    w += r.paths.size();
    table += "</TR>";
  }
  table += "</TABLE>";
  out += fmt::format("  label=<<TABLE BORDER=\"0\" CELLPADDING=\"0\" CELLSPACING=\"6\">{}<TR><TD ALIGN=\"LEFT\">{}</TD></TR></TABLE>>;\n"
                     "  labelloc=b; labeljust=l;\n",
                     title, table);
  out += "}\n";
  return out;
}

}  // namespace telsim::net
