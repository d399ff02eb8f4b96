// The picture of a network (core/net/graph.h) and `telsim sim graph`.
// Rendering to SVG needs Graphviz: tests/graphviz_test.cc, skipped without it.
#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include "core/base/error.h"
#include "core/net/graph.h"
#include "core/net/scenario.h"
#include "test_util.h"

using namespace telsim;

namespace {

/// One drawn line of paths: an interconnect crossed from `from` to `to` by
/// the paths of one kind (style) of the routes of `colours`.
struct PathEdge {
  std::string from, to, style;
  std::vector<std::string> colours;
};

std::vector<PathEdge> path_edges(const std::string& dot) {
  static const std::regex kEdge(R"re(^  "([^"]*)" -> "([^"]*)" \[color="(#[0-9A-F]{6}(:#[0-9A-F]{6})*)", style=(\w+), .*)re");
  std::vector<PathEdge> out;
  std::istringstream in(dot);
  std::string line;
  std::smatch m;
  while (std::getline(in, line))
    if (std::regex_match(line, m, kEdge)) {
      PathEdge e{m[1], m[2], m[5], {}};
      std::string colours = m[3];
      for (size_t at = 0; at < colours.size(); at += 8) e.colours.push_back(colours.substr(at, 7));
      out.push_back(e);
    }
  return out;
}

/// Route name -> its colour, read from the legend.
std::map<std::string, std::string> legend(const std::string& dot) {
  static const std::regex kRow(R"re(<TD BGCOLOR="(#[0-9A-F]{6})" WIDTH="18"> </TD><TD ALIGN="LEFT">([^<]*)</TD>)re");
  std::map<std::string, std::string> out;
  for (std::sregex_iterator i(dot.begin(), dot.end(), kRow), e; i != e; ++i) out[(*i)[2]] = (*i)[1];
  return out;
}

// The hops drawn for the paths of `route` in `style`, as "a>b".
std::set<std::string> hops_of(const std::string& dot, const std::string& route, const std::string& style) {
  std::string colour = legend(dot).at(route);
  std::set<std::string> out;
  for (auto& e : path_edges(dot))
    if (e.style == style && std::count(e.colours.begin(), e.colours.end(), colour)) out.insert(e.from + ">" + e.to);
  return out;
}

// The operators inside cluster `id`, in order.
std::vector<std::string> cluster_members(const std::string& dot, const std::string& id) {
  std::vector<std::string> out;
  auto at = dot.find("subgraph " + id + " {");
  if (at == std::string::npos) return out;
  auto end = dot.find("\n  }\n", at);
  std::istringstream in(dot.substr(at, end - at));
  std::string line;
  std::smatch m;
  static const std::regex kNode(R"re(^    "([^"]*)" \[label=<.*)re");
  while (std::getline(in, line))
    if (std::regex_match(line, m, kNode)) out.push_back(m[1]);
  return out;
}

Scenario shipped(const std::string& name, const Overrides& o = {}) {
  return load_scenario(test::source("scenarios/" + name), o);
}

}  // namespace

TEST_CASE("graph: calls of the transit network cross three interconnects, those of the direct network one") {
  std::string transit = net::network_dot(shipped("transit-vs-direct-transit.toml"));
  std::string direct = net::network_dot(shipped("transit-vs-direct-direct.toml"));
  using Hops = std::set<std::string>;
  // Network A: every mobile carrier's calls go through transit-1 and
  // transit-2 (primary) or transit-1 and transit-3 (backup).
  for (std::string carrier : {"mts", "megafon", "beeline", "t2"}) {
    CAPTURE(carrier);
    CHECK(hops_of(transit, carrier, "bold") == Hops{carrier + ">transit-1", "transit-1>transit-2", "transit-2>tracking"});
    CHECK(hops_of(transit, carrier, "dashed") == Hops{carrier + ">transit-1", "transit-1>transit-3", "transit-3>tracking"});
  }
  CHECK(hops_of(transit, "rtk", "bold") == Hops{"rtk>transit-2", "transit-2>tracking"});
  CHECK(hops_of(transit, "rtk", "dashed").empty());
  // Network B: one interconnect, straight to the tracking operator; transit-1 is the backup.
  for (std::string carrier : {"mts", "megafon", "beeline", "t2", "rtk"}) {
    CAPTURE(carrier);
    CHECK(hops_of(direct, carrier, "bold") == Hops{carrier + ">tracking"});
    CHECK(hops_of(direct, carrier, "dashed") == Hops{carrier + ">transit-1", "transit-1>tracking"});
  }
  // The legend says so in figures: interconnects crossed by the primary path.
  CHECK(transit.find("<TD ALIGN=\"LEFT\">mts</TD><TD>3</TD>") != std::string::npos);
  CHECK(direct.find("<TD ALIGN=\"LEFT\">mts</TD><TD>1</TD>") != std::string::npos);
  // Shared trunks are one band of the routes' colours: all five primaries on t2-small.
  auto edges = path_edges(transit);
  auto band = std::find_if(edges.begin(), edges.end(),
                           [](auto& e) { return e.from == "transit-2" && e.to == "tracking" && e.style == "bold"; });
  REQUIRE(band != edges.end());
  CHECK(band->colours.size() == 5);
}

TEST_CASE("graph: each route has its own colour") {
  auto colours = legend(net::network_dot(shipped("transit-vs-direct-transit.toml")));
  CHECK(colours.size() == 5);
  std::set<std::string> distinct;
  for (auto& [route, c] : colours) distinct.insert(c);
  CHECK(distinct.size() == 5);
}

TEST_CASE("graph: operators grouped by role, interconnects labelled with channels and completion") {
  Scenario sc = shipped("transit-vs-direct-transit.toml");
  std::string dot = net::network_dot(sc);
  CHECK(cluster_members(dot, "cluster_callers") == std::vector<std::string>{"beeline", "megafon", "mts", "rtk", "t2"});
  CHECK(cluster_members(dot, "cluster_transit") == std::vector<std::string>{"transit-1", "transit-2", "transit-3"});
  CHECK(cluster_members(dot, "cluster_destination") == std::vector<std::string>{"tracking"});
  CHECK(dot.find("label=\"Operator of the tracking numbers\"") != std::string::npos);
  // Network B's destination is ours.
  std::string direct = net::network_dot(shipped("transit-vs-direct-direct.toml"));
  CHECK(direct.find("label=\"Our tracking operator\"") != std::string::npos);
  CHECK(cluster_members(direct, "cluster_destination") == std::vector<std::string>{"tracking"});

  // Each interconnect is labelled once, on the primary paths' line where
  // they cross it, in the direction calls go.
  for (auto& x : sc.interconnects) {
    CAPTURE(x.name);
    auto at = dot.find("label=\"" + x.name + "\\n");
    REQUIRE(at != std::string::npos);
    CHECK(dot.find("label=\"" + x.name + "\\n", at + 1) == std::string::npos);
  }
  std::string t1t2 = dot.substr(dot.rfind('\n', dot.find("label=\"t1-t2\\n")) + 1);
  t1t2 = t1t2.substr(0, t1t2.find('\n'));
  CHECK(t1t2.rfind("  \"transit-1\" -> \"transit-2\" [", 0) == 0);
  CHECK(t1t2.find("style=bold") != std::string::npos);
  CHECK(t1t2.find("label=\"t1-t2\\n120 ch, 95%\"") != std::string::npos);
  CHECK(t1t2.find("tooltip=\"interconnect t1-t2: 120 ch, completion 95%; Primary path: beeline, megafon, mts, t2\"") !=
        std::string::npos);
  // --set reaches the picture; a completion of 1 is not shown.
  std::string changed = net::network_dot(shipped("transit-vs-direct-transit.toml",
                                                 {{"interconnects.t1-t2.channels", "90"}, {"hops.transit1-transit2", "1"}}));
  CHECK(changed.find("label=\"t1-t2\\n90 ch\"") != std::string::npos);
  // The tooltip of an operator with a switching node describes it.
  CHECK(dot.find("tooltip=\"tracking: small operator; switching node: components 1, required 1, MTBF 1500 h, MTTR 3 h\"") !=
        std::string::npos);
}

TEST_CASE("graph: the words come from the labels (a report in Russian)") {
  net::GraphLabels ru;
  ru.transit = "Транзитные операторы";
  ru.primary = "Основной путь";
  ru.channels = "кан.";
  ru.decimal_point = ",";
  ru.percent_sign = "\u00a0%";
  ru.title = false;
  std::string dot = net::network_dot(shipped("transit-vs-direct-transit.toml"), ru);
  CHECK(dot.find("label=\"Транзитные операторы\"") != std::string::npos);
  CHECK(dot.find("<B>Основной путь ━━━</B>") != std::string::npos);
  CHECK(dot.find("label=\"mts-t1\\n400 кан., 98,5\u00a0%\"") != std::string::npos);
  CHECK(dot.find("<B>transit</B>: Small operator behind a transit chain") == std::string::npos);  // no title
  CHECK(net::network_dot(shipped("transit-vs-direct-transit.toml"))
            .find("<B>transit</B>: Small operator behind a transit chain") != std::string::npos);
}

TEST_CASE("graph: text from the scenario is escaped for DOT and for HTML-like labels") {
  CHECK(net::dot_quoted("plain") == "\"plain\"");
  CHECK(net::dot_quoted("a\"b\\c") == "\"a\\\"b\\\\c\"");
  CHECK(net::dot_quoted("one\ntwo\r\nthree\rfour") == "\"one\\ntwo\\nthree\\nfour\"");
  CHECK(net::dot_quoted(std::string("tab\there\x01")) == "\"tab?here?\"");
  CHECK(net::dot_quoted("bad \xff utf8") == "\"bad ? utf8\"");
  CHECK(net::dot_html("<script>alert(\"x\")</script> & co") ==
        "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co");
  CHECK(net::dot_html("one\ntwo") == "one<BR/>two");

  test::TempDir dir;
  std::string f = dir.file("evil.toml");
  test::write_file(f, R"(name = "evil"
description = "first line\nsecond <script>alert(1)</script> \\ \"quoted\""
[operators."a\"b<script>x</script>\\"]
kind = "mobile"
[operators.ours]
kind = "ours"
[interconnects."i\"<b>"]
between = ["a\"b<script>x</script>\\", "ours"]
channels = 10
[routes."r<i>\""]
from = "a\"b<script>x</script>\\"
to = "ours"
paths = [["i\"<b>"]]
[streams.s]
from = "a\"b<script>x</script>\\"
to = "ours"
calls_per_day = 10
)");
  Scenario sc = load_scenario(f);
  REQUIRE(sc.operators[0].name == "a\"b<script>x</script>\\");
  std::string dot = net::network_dot(sc);
  const std::string id = "\"a\\\"b<script>x</script>\\\\\"";  // as a DOT quoted string
  CHECK(dot.find("  " + id + " [label=<<B>a&quot;b&lt;script&gt;x&lt;/script&gt;\\</B>") != std::string::npos);
  CHECK(dot.find("  " + id + " -> \"ours\" [color=") != std::string::npos);
  CHECK(dot.find("label=\"i\\\"<b>\\n10 ch\"") != std::string::npos);
  // The description's line break is a line break of the label, not of the file.
  CHECK(dot.find("first line<BR ALIGN=\"LEFT\"/>second &lt;script&gt;alert(1)&lt;/script&gt; \\ &quot;quoted&quot;") !=
        std::string::npos);
  CHECK(dot.find("tooltip=\"evil: first line\\nsecond <script>alert(1)</script> \\\\ \\\"quoted\\\"\"") !=
        std::string::npos);
  // In HTML-like labels (between label=< and >; at the end of the line) no
  // tag but Graphviz's own.
  std::istringstream in(dot);
  std::string line;
  static const std::regex kTag("<(/?)([A-Za-z]+)");
  while (std::getline(in, line)) {
    CAPTURE(line);
    // Every line is a statement of ours: no line break from the scenario.
    CHECK((line.rfind("digraph ", 0) == 0 || line.rfind("  ", 0) == 0 || line == "}"));
    auto at = line.find("label=<");
    if (at == std::string::npos) continue;
    // The HTML-like label: from its < to the > that balances it.
    size_t end = at + 6;
    for (int depth = 0; end < line.size(); ++end) {
      depth += line[end] == '<' ? 1 : line[end] == '>' ? -1 : 0;
      if (depth == 0) break;
    }
    REQUIRE(end < line.size());
    std::string html = line.substr(at + 7, end - at - 7);
    for (std::sregex_iterator i(html.begin(), html.end(), kTag), e; i != e; ++i) {
      static const std::set<std::string> kOurs = {"TABLE", "TR", "TD", "B", "BR", "FONT"};
      CHECK(kOurs.count((*i)[2]) == 1);
    }
  }
}

TEST_CASE("graph: the same network gives the same bytes, however its file is laid out") {
  test::TempDir dir;
  const std::string ops = "[operators.a]\nkind = \"fixed\"\n[operators.t]\nkind = \"transit\"\n[operators.o]\nkind = \"ours\"\n";
  const std::string ics =
      "[interconnects.at]\nbetween = [\"a\", \"t\"]\nchannels = 5\ncompletion = 0.99\n"
      "[interconnects.to]\nbetween = [\"o\", \"t\"]\nchannels = 5\n"
      "[interconnects.ao]\nbetween = [\"a\", \"o\"]\nchannels = 7\n"
      "[interconnects.spare]\nbetween = [\"a\", \"t\"]\nchannels = 3\n";
  const std::string rest =
      "[routes.in]\nfrom = \"a\"\nto = \"o\"\npaths = [[\"ao\"], [\"at\", \"to\"]]\n"
      "[streams.s]\nfrom = \"a\"\nto = \"o\"\ncalls_per_day = 100\n";
  test::write_file(dir.file("one.toml"), "name = \"n\"\n" + ops + ics + rest);
  test::write_file(dir.file("two.toml"), "name = \"n\"\n" + rest + ics + ops);
  std::string one = net::network_dot(load_scenario(dir.file("one.toml")));
  CHECK(one == net::network_dot(load_scenario(dir.file("one.toml"))));
  CHECK(one == net::network_dot(load_scenario(dir.file("two.toml"))));
  // The backup path crosses t although "to" is written as [o, t].
  CHECK(hops_of(one, "in", "dashed") == std::set<std::string>{"a>t", "t>o"});
  CHECK(hops_of(one, "in", "bold") == std::set<std::string>{"a>o"});
  CHECK(one.find("  \"t\" -> \"o\" [color=") != std::string::npos);
  // An interconnect no route uses is a grey line.
  CHECK(one.find("  \"a\" -> \"t\" [dir=none, color=\"#A0A0A0\", label=\"spare\\n3 ch\"") != std::string::npos);
}

TEST_CASE("sim graph: the command prints the DOT of the scenario, with --set, in telsim itself") {
  const std::string path = test::source("scenarios/transit-vs-direct-transit.toml");
  auto r = test::telsim("sim graph " + path);
  CHECK(r.exit_code == 0);
  CHECK(r.err == "");
  CHECK(r.out == net::network_dot(load_scenario(path)));
  auto set = test::telsim("sim graph " + path + " --format dot --set interconnects.t1-t2.channels=90 --set transit:hops.transit1-transit2=0.5");
  CHECK(set.exit_code == 0);
  CHECK(set.out == net::network_dot(load_scenario(path, {{"interconnects.t1-t2.channels", "90"},
                                                         {"hops.transit1-transit2", "0.5"}})));
  auto other = test::telsim("sim graph " + path + " --set direct:hops.transit1-transit2=0.5");
  CHECK(other.exit_code == 2);
  CHECK(other.err ==
        "telsim: --set 'direct:hops.transit1-transit2=0.5': no network 'direct' (networks: A or transit)\n");

  // No simulator is started: a lone copy of telsim, without telsim-sim beside it, draws.
  test::TempDir dir;
  std::string lone = dir.file("telsim");
  std::filesystem::copy_file(TELSIM_BIN, lone);
  std::filesystem::permissions(lone, std::filesystem::perms::owner_exec, std::filesystem::perm_options::add);
  int status = std::system((lone + " sim graph " + path + " >" + dir.file("out") + " 2>&1").c_str());
  CHECK(WEXITSTATUS(status) == 0);
  CHECK(test::slurp(dir.file("out")) == r.out);
  // ... while sim run needs it (the same copy fails to start the simulator).
  status = std::system((lone + " sim run " + path + " >/dev/null 2>&1").c_str());
  CHECK(WEXITSTATUS(status) == 1);
}

TEST_CASE("sim graph: a bad scenario is refused like in sim run, exit 2, nothing written") {
  test::TempDir dir;
  test::write_file(dir.file("bad.toml"), "[operators.a]\nkind = \"fixed\"\n[operators.b]\nkind = \"ours\"\n"
                                         "[interconnects.a-b]\nbetween = [\"a\", \"c\"]\nchannels = 10\n");
  auto r = test::telsim("sim graph " + dir.file("bad.toml") + " --out " + dir.file("g.dot"));
  CHECK(r.exit_code == 2);
  CHECK(r.out == "");
  CHECK(r.err.find("bad.toml:6: interconnects.a-b.between") != std::string::npos);
  CHECK(!std::filesystem::exists(dir.file("g.dot")));
  auto fmt = test::telsim("sim graph " + test::source("scenarios/erlang-b.toml") + " --format png");
  CHECK(fmt.exit_code == 2);
  CHECK(fmt.err.find("--format: png not in {dot,svg}") != std::string::npos);
}

TEST_CASE("sim graph: --format svg without Graphviz says which package, exit 2, --out untouched") {
  test::TempDir dir;
  test::write_file(dir.file("old.svg"), "old");
  const std::string scenario = test::source("scenarios/erlang-b.toml");
  for (std::string out : {dir.file("new.svg"), dir.file("old.svg")}) {
    auto r = test::telsim("sim graph " + scenario + " --format svg --out " + out, "PATH=" + dir.path());
    CHECK(r.exit_code == 2);
    CHECK(r.out == "");
    CHECK(r.err ==
          "telsim: an SVG needs Graphviz's dot program, which is not installed (Debian package graphviz: apt-get "
          "install graphviz); --format dot writes the DOT text without it\n");
  }
  CHECK(!std::filesystem::exists(dir.file("new.svg")));
  CHECK(test::slurp(dir.file("old.svg")) == "old");
  CHECK(std::distance(std::filesystem::directory_iterator(dir.path()), {}) == 1);  // no temporary file left
}
