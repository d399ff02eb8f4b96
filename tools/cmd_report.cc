// telsim report: the loss report for sales (docs/report.md).
#include <fcntl.h>
#include <fmt/format.h>
#include <limits.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <tuple>

#include "core/base/error.h"
#include "core/base/file_check.h"
#include "core/base/quote.h"
#include "core/base/sha256.h"
#include "core/net/scenario.h"
#include "tools/cli.h"
#include "tools/economics_options.h"
#include "tools/output.h"
#include "tools/report.h"
// The pictures of the networks: telsim sim graph's DOT, rendered by Graphviz.
#include "core/net/graph.h"
#include "tools/graphviz.h"

namespace {

namespace fs = std::filesystem;
using json = nlohmann::ordered_json;

constexpr const char* kChartJs = "/usr/share/javascript/chart.js/chart.min.js";

struct ReportArgs {
  std::vector<std::string> inputs;
  std::string out, pdf, lang = "en", format = "html", chart_js = kChartJs;
  telsim::cli::EconomicsOptions economics;
  std::vector<std::string> sets, vary;
  bool zip = false;
  int replications = 0, jobs = 0;
  long long seed = -1;
  double days = 0;
};

std::string slurp(const std::string& path, const std::string& what) {
  std::ifstream f(path, std::ios::binary);
  if (!f) throw telsim::InputError(fmt::format("{}: cannot read {}", path, what));
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

bool is_json(const std::string& path) {
  if (path.size() > 5 && path.compare(path.size() - 5, 5, ".json") == 0) return true;
  std::ifstream f(path);
  char c = 0;
  while (f.get(c) && std::isspace(static_cast<unsigned char>(c))) {
  }
  return c == '{';
}

std::string self_dir() {
  char self[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
  if (n <= 0) return ".";
  self[n] = '\0';
  std::string dir = self;
  return dir.substr(0, dir.rfind('/'));
}

// The simulator next to this binary, or in libexec once installed (as `telsim sim` finds it).
std::string simulator() {
  std::string dir = self_dir();
  for (std::string p : {dir + "/telsim-sim", dir + "/" + TELSIM_LIBEXEC_FROM_BIN + "/telsim-sim"})
    if (access(p.c_str(), X_OK) == 0) return p;
  throw std::runtime_error(fmt::format("cannot find the simulator telsim-sim in {} or {}/{}", dir, dir,
                                       TELSIM_LIBEXEC_FROM_BIN));
}

// Runs `argv`, stdout captured (stderr passed through, or to `err_file`);
// returns the exit code.
int run_program(const std::vector<std::string>& argv, std::string* out, const std::string& err_file = "") {
  int fds[2];
  if (pipe(fds) != 0) throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
  pid_t pid = fork();
  if (pid < 0) throw std::runtime_error(std::string("fork: ") + std::strerror(errno));
  if (pid == 0) {
    dup2(fds[1], 1);
    close(fds[0]);
    close(fds[1]);
    if (!err_file.empty()) {
      int e = open(err_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
      if (e >= 0) dup2(e, 2);
    }
    int in = open("/dev/null", O_RDONLY);
    if (in >= 0) dup2(in, 0);
    std::vector<char*> args;
    for (auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execvp(args[0], args.data());
    _exit(127);
  }
  close(fds[1]);
  char buf[65536];
  ssize_t n;
  while ((n = read(fds[0], buf, sizeof buf)) > 0 || (n < 0 && errno == EINTR))
    if (n > 0) out->append(buf, static_cast<size_t>(n));
  close(fds[0]);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}

// Runs the scenarios through `telsim-sim sim compare` (or `sim run` for one;
// `sim sweep` with --vary) and returns its JSON document, priced by the
// simulator (a sweep's every point with that point's scenarios).
json simulate(const ReportArgs& a) {
  bool sweep = !a.vary.empty();
  std::vector<std::string> argv = {simulator(), "sim", sweep ? "sweep" : a.inputs.size() == 1 ? "run" : "compare"};
  for (auto& f : a.inputs) argv.push_back(f);
  argv.insert(argv.end(), {"--format", "json"});
  for (auto& v : a.vary) argv.insert(argv.end(), {"--vary", v});
  if (a.zip) argv.push_back("--zip");
  argv.push_back("--economics");
  for (auto& s : a.sets) argv.insert(argv.end(), {"--set", s});
  if (a.replications > 0) argv.insert(argv.end(), {"--replications", std::to_string(a.replications)});
  if (a.seed >= 0) argv.insert(argv.end(), {"--seed", std::to_string(a.seed)});
  if (a.days != 0) argv.insert(argv.end(), {"--days", fmt::format("{:.17g}", a.days)});
  if (a.jobs > 0) argv.insert(argv.end(), {"--jobs", std::to_string(a.jobs)});
  const auto& e = a.economics;
  auto num = [&](const char* opt, double v) {
    if (v >= 0) argv.insert(argv.end(), {opt, fmt::format("{:.17g}", v)});
  };
  num("--call-value", e.call_value);
  num("--conversion-rate", e.conversion_rate);
  num("--order-value", e.order_value);
  num("--cost-per-lead", e.cost_per_lead);
  num("--calls-per-month", e.calls_per_month);
  if (!e.currency.empty()) argv.insert(argv.end(), {"--currency", e.currency});
  std::string out;
  int code = run_program(argv, &out);
  if (code != 0)
    throw telsim::InputError(fmt::format("the {} of {} stopped (exit {}, see above); nothing written",
                                         sweep ? "sweep" : "simulation",
                                         a.inputs.size() == 1 ? a.inputs[0] : "the scenarios", code));
  return json::parse(out);
}

// The economics options applied to a document already written: every count
// scales with the prospect's calls a month, the money follows the lost leads.
// `at` is where `doc` sits in the input ("points.3." for a sweep's point).
void reprice(json& doc, const ReportArgs& a, const std::string& input, const std::string& at = "") {
  if (!a.economics.any() || !doc.contains("economics") || !doc["economics"].is_object()) return;
  json& e = doc["economics"];
  telsim::Economics base;
  auto opt = [&](const char* k) -> std::optional<double> {
    if (e.contains(k) && e[k].is_number()) return e[k].get<double>();
    return std::nullopt;
  };
  base.call_value = opt("call_value");
  base.conversion_rate = opt("conversion_rate");
  base.order_value = opt("order_value");
  base.cost_per_lead = opt("cost_per_lead");
  base.calls_per_month = opt("calls_per_month");
  base.currency = e.contains("currency") && e["currency"].is_string() ? e["currency"].get<std::string>() : "";
  base.source = e.value("source", "");
  base.volume_from = e.value("calls_per_month_from", "simulated");
  if (!base.calls_per_month) throw telsim::InputError(fmt::format("{}: {}economics.calls_per_month: missing", input, at));
  double old_volume = *base.calls_per_month;
  telsim::Economics now = telsim::cli::override_economics(a.economics, base);
  double f = *now.calls_per_month / old_volume;
  auto scale = [](json& est, double by) {
    if (!est.is_object()) return;
    for (auto& [k, v] : est.items())
      if (v.is_number()) v = v.get<double>() * by;
      else if (v.is_object()) for (auto& [k2, v2] : v.items()) if (v2.is_number()) v2 = v2.get<double>() * by;
  };
  auto money = [&](const json& leads, double months) {
    json m = json{{"mean", nullptr}, {"ci95", nullptr}, {"low", nullptr}, {"high", nullptr}};
    if (auto v = now.value_per_lead()) {
      m = leads;
      scale(m, *v * months);
    }
    return m;
  };
  auto fix = [&](json& n) {
    if (!n.is_object()) return;  // the report names what is malformed (telsim::report::render)
    for (const char* k : {"lost_calls_per_month", "lost_leads_per_month"}) scale(n[k], f);
    if (n.contains("lost_calls_per_month_by_cause"))
      for (auto& [k, v] : n["lost_calls_per_month_by_cause"].items()) scale(v, f);
    if (n.contains("lost_calls_per_month_by_hour"))
      for (auto& v : n["lost_calls_per_month_by_hour"]) scale(v, f);
    n["lost_revenue_per_month"] = money(n["lost_leads_per_month"], 1);
    n["lost_revenue_per_year"] = money(n["lost_leads_per_month"], 12);
  };
  if (e.contains("networks")) {
    for (auto& n : e["networks"]) fix(n);
    for (auto& d : e["differences"]) fix(d);
  } else {
    fix(e);
  }
  auto num = [](const std::optional<double>& x) { return x ? json(*x) : json(nullptr); };
  e["currency"] = now.currency.empty() ? json(nullptr) : json(now.currency);
  e["calls_per_month"] = *now.calls_per_month;
  e["calls_per_month_from"] = now.volume_from;
  e["value_basis"] = now.basis().empty() ? json(nullptr) : json(now.basis());
  e["value_per_lead"] = num(now.value_per_lead());
  e["call_value"] = num(now.call_value);
  e["conversion_rate"] = num(now.conversion_rate);
  e["order_value"] = num(now.order_value);
  e["cost_per_lead"] = num(now.cost_per_lead);
  e["source"] = now.source;
}

std::string find_chromium() {
  const char* path = std::getenv("PATH");
  std::string dirs = path ? path : "/usr/bin:/bin";
  for (const char* name : {"chromium", "chromium-browser"}) {
    size_t start = 0;
    while (start <= dirs.size()) {
      size_t end = dirs.find(':', start);
      std::string dir = dirs.substr(start, end == std::string::npos ? std::string::npos : end - start);
      std::string p = (dir.empty() ? "." : dir) + "/" + name;
      if (access(p.c_str(), X_OK) == 0) return p;
      if (end == std::string::npos) break;
      start = end + 1;
    }
  }
  return "";
}

// Prints `html` to PDF with headless Chromium and returns the PDF's bytes.
std::string print_pdf(const std::string& chromium, const std::string& html) {
  std::error_code tmp_ec;
  fs::path tmp = fs::temp_directory_path(tmp_ec);  // TMPDIR naming no folder: an error, not a throw
  if (tmp_ec) throw std::runtime_error("--pdf: no temporary folder (" + tmp_ec.message() + "); set TMPDIR");
  std::string tmpl = (tmp / "telsim-report-XXXXXX").string();
  if (!mkdtemp(tmpl.data())) throw std::runtime_error(std::string("mkdtemp: ") + std::strerror(errno));
  struct Cleanup {
    std::string dir;
    ~Cleanup() {
      std::error_code ec;
      fs::remove_all(dir, ec);
    }
  } cleanup{tmpl};
  std::string page = tmpl + "/report.html", pdf = tmpl + "/report.pdf", err = tmpl + "/chromium.log";
  {
    std::ofstream f(page, std::ios::binary);
    f << html;
    if (!f) throw std::runtime_error("cannot write " + page);
  }
  std::string out;
  int code = run_program({chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                          "--user-data-dir=" + tmpl + "/profile", "--no-pdf-header-footer",
                          "--print-to-pdf=" + pdf, "file://" + page},
                         &out, err);
  std::error_code ec;
  if (code != 0 || !fs::exists(pdf, ec) || fs::file_size(pdf, ec) == 0) {
    std::string log = slurp(err, "the log");
    throw std::runtime_error(fmt::format("--pdf: Chromium could not print the report (exit {}): {}", code,
                                         log.substr(0, 2000)));
  }
  return slurp(pdf, "the PDF");
}

// A network of the report: its scenario file, the SHA-256 the document
// recorded (a file changed since gets no picture: it would not be the network
// simulated), its letter and the overrides it was simulated with.
struct PictureSource {
  std::string path, sha, label;
  telsim::Overrides overrides;
  /// Every file of the network as the document recorded it (path, SHA-256):
  /// the scenario and its includes, where prices may live.
  std::vector<std::pair<std::string, std::string>> files;
  /// The first file that no longer has its recorded SHA-256 (empty: none).
  std::string changed() const;
};

std::string PictureSource::changed() const {
  for (auto& [p, sha] : files)
    if (!sha.empty() && telsim::sha256_file(p) != sha) return p;
  return "";
}

// `--set` as given (KEY=VALUE, or NETWORK:KEY=VALUE for one network only):
// the overrides that apply to the network lettered `label` named `name`.
telsim::Overrides overrides_for(const std::vector<std::string>& sets, const std::string& label,
                                const std::string& name, size_t index) {
  telsim::Overrides o;
  for (auto& s : sets) {
    auto eq = s.find('=');
    if (eq == std::string::npos || eq == 0) continue;
    std::string key = s.substr(0, eq);
    auto colon = key.find(':');
    if (colon != std::string::npos) {
      std::string target = key.substr(0, colon);
      if (target != label && target != name && target != std::to_string(index + 1)) continue;
      key = key.substr(colon + 1);
    }
    o.emplace_back(key, s.substr(eq + 1));
  }
  return o;
}

std::vector<PictureSource> scenario_files(const json& doc) {
  std::vector<PictureSource> out;
  std::vector<std::string> sets;
  if (doc.contains("inputs") && doc["inputs"].contains("overrides") && doc["inputs"]["overrides"].is_array())
    for (auto& s : doc["inputs"]["overrides"])
      if (s.is_string()) sets.push_back(s.get<std::string>());
  std::vector<std::tuple<std::string, std::string, std::string>> nets;  // path, label, name
  if (doc.contains("networks") && doc["networks"].is_array()) {
    for (auto& n : doc["networks"])
      if (n.contains("scenario") && n["scenario"].is_string())
        nets.emplace_back(n["scenario"].get<std::string>(), n.value("label", ""), n.value("name", ""));
  } else if (doc.contains("scenario") && doc["scenario"].is_string()) {
    nets.emplace_back(doc["scenario"].get<std::string>(), "A", doc.value("name", ""));
  }
  // inputs.files lists each network's scenario file, then its includes.
  json files = json::array();
  if (doc.contains("inputs") && doc["inputs"].is_object() && doc["inputs"].contains("files") &&
      doc["inputs"]["files"].is_array())
    files = doc["inputs"]["files"];
  std::vector<bool> claimed(files.size(), false);
  for (size_t i = 0; i < nets.size(); ++i) {
    auto& [p, label, name] = nets[i];
    PictureSource src{p, "", label, overrides_for(sets, label, name, i), {}};
    for (size_t k = 0; k < files.size(); ++k) {
      const json& f = files[k];
      if (claimed[k] || !f.is_object() || f.value("path", "") != p || f.value("role", "") != "scenario") continue;
      for (size_t j = k; j < files.size(); ++j) {
        const json& g = files[j];
        if (j > k && (!g.is_object() || g.value("role", "") != "include")) break;
        claimed[j] = true;
        std::string sha = g.contains("sha256") && g["sha256"].is_string() ? g["sha256"].get<std::string>() : "";
        src.files.emplace_back(g.value("path", ""), sha);
      }
      src.sha = src.files[0].second;
      break;
    }
    out.push_back(src);
  }
  return out;
}

// The words of the picture in the report's language.
telsim::net::GraphLabels graph_labels(telsim::report::Lang lang) {
  telsim::net::GraphLabels l;
  l.title = false;  // the page prints each network's name and description itself
  if (lang != telsim::report::Lang::kRu) return l;
  l.callers = "Операторы звонящих";
  l.transit = "Транзитные операторы";
  l.destination = "Оператор номеров отслеживания";
  l.ours = "Наш оператор отслеживания";
  l.kind_ours = "оператор отслеживания";
  l.kind_mobile = "мобильный оператор";
  l.kind_fixed = "оператор фиксированной связи";
  l.kind_transit = "транзитный оператор";
  l.kind_small = "небольшой оператор";
  l.route = "Маршрут";
  l.hops = "Стыков на пути";
  l.primary = "Основной путь";
  l.backup = "Резервный путь";
  l.interconnect = "стык";
  l.channels = "кан.";
  l.completion = "доля прохождения";
  l.switching_node = "коммутационный узел";
  l.components = "компонентов";
  l.required = "нужно";
  l.decimal_point = ",";
  l.percent_sign = "\u00a0%";  // "97,5 %" as the page's text writes it
  return l;
}

// SVG pictures of the networks by name; empty where a picture cannot be made
// (Graphviz missing, a scenario changed or gone): the page marks the place.
std::map<std::string, std::string> pictures(const std::vector<PictureSource>& files, telsim::report::Lang lang) {
  std::map<std::string, std::string> out;
  if (files.empty()) return out;
  if (!telsim::graphviz::installed()) {
    telsim::cli::warn(fmt::format("telsim: report: no network pictures: Graphviz's dot is not installed (Debian package "
                       "graphviz)\n"));
    return out;
  }
  const auto labels = graph_labels(lang);
  for (auto& f : files) {
    try {
      if (std::string c = f.changed(); !c.empty()) {
        if (c == f.path) telsim::cli::warn(fmt::format("telsim: report: no picture of {}: the file changed since the run\n", f.path));
        else telsim::cli::warn(fmt::format("telsim: report: no picture of {}: {} changed since the run\n", f.path, c));
        continue;
      }
      telsim::Scenario sc = telsim::load_scenario(f.path, f.overrides);
      std::string svg =
          telsim::graphviz::svg_element(telsim::graphviz::render_svg(telsim::net::network_dot(sc, labels)));
      // Graphviz gives every cluster, node and edge a <title> holding its
      // internal id (cluster_transit, mts->t1), which a browser shows on
      // hover; the page's readers get the tooltips of the picture instead.
      for (size_t at = svg.find("<title>"); at != std::string::npos; at = svg.find("<title>", at)) {
        size_t end = svg.find("</title>", at);
        if (end == std::string::npos) break;
        svg.erase(at, end + 8 - at);
      }
      out[sc.name] = std::move(svg);
    } catch (const std::exception& e) {
      telsim::cli::warn(fmt::format("telsim: report: no picture of {}: {}\n", f.path, e.what()));
    }
  }
  return out;
}

// The prices of a sweep document. `sim sweep` prices every point with the
// point's own scenarios (a varied price honoured): those `economics` are
// used as they are, with the options on top as for a sim compare document.
// A document whose points have no `economics` (written by an older telsim,
// or without [economics] nor options) is priced here: the scenarios'
// [economics] (each file as the sweep read it: it and its includes
// unchanged since, with its --set) with the options on top, put in the
// document's top-level `economics` for telsim::report::render. Without
// either, the figures are calls a month of the simulated traffic, without
// money. Such pricing is the same at every point, so a sweep that varies a
// key of [economics] is refused.
void price_sweep(json& doc, const ReportArgs& a, const std::string& input) {
  bool priced = doc.contains("points") && doc["points"].is_array() && !doc["points"].empty();
  if (priced)
    for (auto& pt : doc["points"]) priced = priced && pt.is_object() && pt.contains("economics");
  if (priced) {
    for (size_t i = 0; i < doc["points"].size(); ++i) reprice(doc["points"][i], a, input, fmt::format("points.{}.", i));
    return;
  }
  if (doc.contains("economics")) {
    reprice(doc, a, input);
    return;
  }
  if (doc.contains("parameters") && doc["parameters"].is_array())
    for (auto& k : doc["parameters"]) {
      if (!k.is_string()) continue;
      std::string key = k.get<std::string>();
      if (auto colon = key.find(':'); colon != std::string::npos) key = key.substr(colon + 1);
      if (key.rfind("economics.", 0) == 0)
        throw telsim::InputError(fmt::format(
            "{}: parameters: the sweep varies {}, but its points carry no economics and the report prices a sweep "
            "without them once for every point; run the sweep with this telsim's sim sweep (it prices each point)",
            input, k.get<std::string>()));
    }
  std::vector<telsim::Scenario> scenarios;
  for (auto& f : scenario_files(doc)) {
    try {
      if (std::string c = f.changed(); !c.empty()) {
        if (c == f.path) telsim::cli::warn(fmt::format("telsim: report: {} changed since the sweep: its [economics] not used\n", f.path));
        else telsim::cli::warn(fmt::format("telsim: report: {} changed since the sweep (its include {}): its [economics] not used\n",
                        f.path, c));
        continue;
      }
      scenarios.push_back(telsim::load_scenario(f.path, f.overrides));
    } catch (const std::exception& e) {
      telsim::cli::warn(fmt::format("telsim: report: {}: its [economics] not used: {}\n", f.path, e.what()));
    }
  }
  std::vector<const telsim::Scenario*> ptrs;
  for (auto& sc : scenarios) ptrs.push_back(&sc);
  telsim::Economics e = telsim::cli::resolve_economics(a.economics, ptrs).value_or(telsim::Economics{});
  auto num = [](const std::optional<double>& x) { return x ? json(*x) : json(nullptr); };
  json j;
  j["currency"] = e.currency.empty() || !e.value_per_lead() ? json(nullptr) : json(e.currency);
  j["calls_per_month"] = num(e.calls_per_month);
  j["calls_per_month_from"] = e.volume_from;
  j["value_basis"] = e.basis().empty() ? json(nullptr) : json(e.basis());
  j["value_per_lead"] = num(e.value_per_lead());
  j["call_value"] = num(e.call_value);
  j["conversion_rate"] = num(e.conversion_rate);
  j["order_value"] = num(e.order_value);
  j["cost_per_lead"] = num(e.cost_per_lead);
  j["source"] = e.source;
  j["days_per_month"] = 30;
  j["months_per_year"] = 12;
  doc["economics"] = j;
}

void run_report(const ReportArgs& a) {
  telsim::cli::check_network_count(a.inputs.size());
  std::string chromium;
  if (!a.pdf.empty()) {
    chromium = find_chromium();
    if (chromium.empty())
      throw telsim::InputError(
          "--pdf: needs Chromium to print the page (Debian package chromium, tools/scripts/setup.sh installs it); "
          "not found on PATH. The HTML report works without it: --out report.html");
  }
  bool markdown = a.format == "md";
  telsim::report::Options o;
  o.lang = a.lang == "ru" ? telsim::report::Lang::kRu : telsim::report::Lang::kEn;
  o.markdown = markdown;
  if (!markdown || !a.pdf.empty()) {
    std::error_code ec;
    telsim::refuse_folder(a.chart_js, "--chart-js", "a Chart.js file");
    if (!fs::exists(a.chart_js, ec))
      throw telsim::InputError(fmt::format("--chart-js {}: no such file: the charts need Chart.js (Debian package "
                                           "libjs-chart.js, tools/scripts/setup.sh installs it)", a.chart_js));
    o.chart_js = slurp(a.chart_js, "Chart.js");
    std::string lower = o.chart_js;
    for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (lower.find("</script") != std::string::npos)
      throw telsim::InputError(fmt::format("--chart-js {}: holds \"</script\" and cannot be inlined", a.chart_js));
  }
  // Where an output goes is checked before the work.
  std::unique_ptr<telsim::out::Target> pdf_target;
  if (!a.pdf.empty()) pdf_target = std::make_unique<telsim::out::Target>(a.pdf, "--pdf");

  json doc;
  std::string input;
  bool json_input = a.inputs.size() == 1 && is_json(a.inputs[0]);
  // A JSON document is checked as it is read: a value of another type than
  // telsim writes (a hand-edited file) is the file's fault, exit 2, not
  // telsim's. A document telsim just made has every value in place.
  auto reading = [&](auto&& f) {
    try {
      return f();
    } catch (const json::exception& e) {
      if (!json_input) throw;
      throw telsim::InputError(
          fmt::format("{}: not the JSON telsim writes: {}", input, telsim::cut_field(e.what(), 400)));
    }
  };
  for (auto& f : a.inputs) {
    std::error_code ec;
    telsim::refuse_folder(f, "", "a JSON document or a scenario file");
    if (!fs::exists(f, ec)) throw telsim::InputError(fmt::format("{}: no such file", f));
    if (a.inputs.size() > 1 && is_json(f))
      throw telsim::InputError(fmt::format("{}: give one JSON document, or scenario files only", f));
  }
  if (json_input) {
    input = a.inputs[0];
    if (!a.sets.empty() || a.replications || a.seed >= 0 || a.days != 0 || !a.vary.empty() || a.zip)
      throw telsim::InputError(fmt::format("{} is a result already: --set, --vary, --zip, --replications, --seed and "
                                           "--days apply to scenario files", input));
    try {
      doc = json::parse(slurp(input, "the JSON document"));
    } catch (const json::exception& e) {
      // A syntax error, or a number too large for a double (out_of_range):
      // both are the file's. nlohmann quotes the token whole: cut it.
      throw telsim::InputError(fmt::format("{}: not valid JSON: {}", input, telsim::cut_field(e.what(), 400)));
    }
    reading([&] {
      if (telsim::report::is_sweep(doc))
        price_sweep(doc, a, input);
      else
        reprice(doc, a, input);
    });
  } else {
    if (a.zip && a.vary.empty()) throw telsim::InputError("--zip: pairs the values of two --vary or more; none given");
    input = a.inputs.size() == 1 ? a.inputs[0] : "the comparison";
    doc = simulate(a);  // priced by the simulator, the options included
  }
  if (!markdown || !a.pdf.empty()) {
    // A document read or just made: it names each network's scenario file and
    // the overrides it was simulated with.
    o.pictures = reading([&] { return pictures(scenario_files(doc), o.lang); });
  }
  std::string page = reading([&] { return telsim::report::render(doc, input, o); });
  std::string pdf;
  if (!a.pdf.empty()) {
    telsim::report::Options html = o;
    html.markdown = false;
    pdf = print_pdf(chromium, markdown ? reading([&] { return telsim::report::render(doc, input, html); }) : page);
  }
  if (!a.pdf.empty() && a.out.empty()) {
    pdf_target->commit(pdf);  // --pdf alone: the PDF is the output
    return;
  }
  telsim::cli::emit(page, a.out);
  if (pdf_target) pdf_target->commit(pdf);
}

}  // namespace

void setup_report(CLI::App& app) {
  auto a = std::make_shared<ReportArgs>();
  app.require_subcommand(0);  // `telsim report INPUT`: no verb
  app.add_option("INPUT", a->inputs,
                 "A sim compare, sim run or sim sweep JSON document, or scenario files to simulate first (two or "
                 "more: compared, the first is the baseline)")
      ->required()
      ->expected(1, CLI::detail::expected_max_vector_size)
      ->type_name("FILE");
  telsim::out::add_out_option(app, a->out, "Write the report to FILE instead of stdout (atomically)");
  app.add_option("--lang", a->lang, "Language of the page: en or ru")->check(CLI::IsMember({"en", "ru"}));
  app.add_option("--format", a->format, "html (one self-contained file, with charts) or md (Markdown, no charts)")
      ->check(CLI::IsMember({"html", "md"}));
  app.add_option("--pdf", a->pdf, "Also print the page to a PDF FILE with headless Chromium (A4)");
  app.add_option("--chart-js", a->chart_js, "Chart.js file to inline (default: Debian's libjs-chart.js)")->group("");
  telsim::cli::add_economics_options(app, a->economics);
  const std::string sim = "Simulation (scenario files only)";
  app.add_option("--set", a->sets, "Override a scenario key, as in sim compare")
      ->type_name("[NETWORK:]KEY=VALUE")->allow_extra_args(false)->group(sim);
  app.add_option("--vary", a->vary, "Run a sweep over KEY's values, as in sim sweep: the report draws the losses "
                 "against them")
      ->type_name("[NETWORK:]KEY=VALUES")->allow_extra_args(false)->group(sim);
  app.add_flag("--zip", a->zip, "Pair the values of several --vary instead of a grid, as in sim sweep")->group(sim);
  app.add_option("--replications", a->replications, "Independent replications")
      ->check(telsim::cli::within(1, 100000, true))->group(sim);
  app.add_option("--seed", a->seed, "Seed of all random streams")->check(telsim::cli::non_negative(true))->group(sim);
  app.add_option("--days", a->days, "Simulated days after warm-up")->check(telsim::cli::positive())->group(sim);
  app.add_option("--jobs", a->jobs, "Parallel processes")->check(telsim::cli::within(1, 1024, true))->group(sim);
  app.callback([a] { run_report(*a); });
}
