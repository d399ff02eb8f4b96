#!/usr/bin/env python3
"""telsim report in a real browser: headless Chromium, network disabled.

Usage: browser_test.py TELSIM_BINARY SOURCE_DIR [--pdf]

Without --pdf: the page of a sim compare JSON (English and Russian), and of
one with a tracking funnel, loads without a console error or a blocked
request, every chart canvas is drawn (non-blank pixels), and every number
shown equals the input JSON's value at the path the page marks it with
(data-path; per 100 of the value at data-of; a network's interval end
past zero or 100% as that bound, data-bound), formatted the page's way.
With --pdf: telsim report --pdf prints the page of a comparison and of a
comparison sweep on A4 pages; each PDF has the expected page count and text
(pdfinfo, pdftotext from poppler-utils).

Exit 0 passed, 1 failed, 77 skipped (Chromium, or for --pdf poppler-utils,
not installed): ctest shows 77 as skipped, never as passed.
"""
import html as htmllib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

BIN, SRC = sys.argv[1], sys.argv[2]
PDF = "--pdf" in sys.argv[3:]

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
if not CHROMIUM:
    print("skipped: Chromium is not installed (Debian package chromium)")
    sys.exit(77)
if PDF and not (shutil.which("pdftotext") and shutil.which("pdfinfo")):
    print("skipped: pdftotext/pdfinfo not installed (Debian package poppler-utils)")
    sys.exit(77)

failures = []


def check(ok, what):
    if not ok:
        failures.append(what)
        print("FAIL:", what)


def run(args, **kw):
    return subprocess.run(args, capture_output=True, text=True, cwd=SRC, **kw)


# ---- numbers as the page writes them (tools/report_text.cc) --------------------
MINUS, THIN, NBSP = "\u2212", "\u202f", "\u00a0"


def decimal(x, decimals, lang):
    s = "%.*f" % (decimals, abs(x))
    zero = s.strip("0.") == ""
    int_part, _, frac = s.partition(".")
    sep = THIN if lang == "ru" else ","
    grouped = ""
    for i, c in enumerate(int_part):
        if i and (len(int_part) - i) % 3 == 0:
            grouped += sep
        grouped += c
    if frac:
        grouped += ("," if lang == "ru" else ".") + frac
    return (MINUS if x < 0 and not zero else "") + grouped


def formatted(x, fmt, lang, currency):
    if fmt == "int":
        return decimal(x, 0, lang)
    if fmt == "absint":
        return decimal(abs(x), 0, lang)
    if fmt == "money":
        return decimal(x, 0, lang) + NBSP + currency
    if fmt == "absmoney":
        return decimal(abs(x), 0, lang) + NBSP + currency
    if fmt == "per100":
        return decimal(100 * x, 1, lang)
    if fmt == "pct1":
        return decimal(100 * x, 1, lang) + (NBSP + "%" if lang == "ru" else "%")
    if fmt == "pct3":
        return decimal(100 * x, 3, lang) + (NBSP + "%" if lang == "ru" else "%")
    if fmt == "dec1":
        return decimal(x, 1, lang)
    if fmt == "auto":  # the fewest decimals (up to 6) that write x exactly
        d = next((d for d in range(6) if abs(x * 10 ** d - round(x * 10 ** d)) < 1e-7), 6)
        return decimal(x, d, lang)
    raise ValueError("unknown format " + fmt)


def at(doc, path):
    for part in path.split("."):
        doc = doc[int(part)] if isinstance(doc, list) else doc[part]
    return doc


# Injected into a copy of the page: errors and blocked requests are recorded
# from the first line on; after load, each canvas's painted pixels.
HOOK = """<script>
window.__errors = [];
window.addEventListener("error", function (e) { __errors.push("error: " + e.message); });
document.addEventListener("securitypolicyviolation", function (e) { __errors.push("blocked: " + e.blockedURI); });
(function () { var ce = console.error; console.error = function () {
  __errors.push("console.error: " + Array.prototype.join.call(arguments, " ")); ce.apply(console, arguments); }; })();
</script>"""
CHECKER = """<script>
window.addEventListener("load", function () { setTimeout(function () {
  var res = { errors: window.__errors, canvases: [] };
  document.querySelectorAll("canvas").forEach(function (c) {
    var d = c.getContext("2d").getImageData(0, 0, c.width, c.height).data, n = 0;
    for (var i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
    res.canvases.push({ id: c.id, painted: n, pixels: c.width * c.height });
  });
  var out = document.createElement("pre"); out.id = "telsim-test-result";
  out.textContent = JSON.stringify(res); document.body.appendChild(out);
}, 0); });
</script>"""


def chromium(tmp, args):
    profile = tempfile.mkdtemp(dir=tmp)
    base = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
            "--user-data-dir=" + profile,
            # The network is off: every request would go to a closed port.
            "--proxy-server=http://127.0.0.1:9", "--proxy-bypass-list=<-loopback>",
            "--disable-background-networking", "--disable-component-update"]
    return subprocess.run(base + args, capture_output=True, text=True, timeout=120)


def browser_checks(tmp, doc, page, lang, want_ids=None, musts=None):
    # A sweep's points carry their own prices: the first point's currency.
    econ = doc["economics"] if "economics" in doc else doc["points"][0]["economics"]
    currency = econ["currency"]
    with open(page, encoding="utf-8") as f:
        html = f.read()
    check(not re.search(r"(src|href)\s*=\s*[\"']?(https?:)?//", html), lang + ": no external source or link")
    test_page = os.path.join(tmp, "test-" + lang + ".html")
    head = html.index("<meta charset=\"utf-8\">") + len("<meta charset=\"utf-8\">")
    body_end = html.rindex("</body>")
    with open(test_page, "w", encoding="utf-8") as f:
        f.write(html[:head] + HOOK + html[head:body_end] + CHECKER + html[body_end:])
    r = chromium(tmp, ["--virtual-time-budget=10000", "--dump-dom", "file://" + test_page])
    check(r.returncode == 0, lang + ": chromium --dump-dom exit %d: %s" % (r.returncode, r.stderr[-500:]))
    dom = r.stdout
    m = re.search(r'<pre id="telsim-test-result">(.*?)</pre>', dom, re.S)
    check(m is not None, lang + ": the page ran its scripts to the end")
    if not m:
        return
    res = json.loads(htmllib.unescape(m.group(1)))
    check(res["errors"] == [], lang + ": no console error or blocked request: %s" % res["errors"])
    ids = [c["id"] for c in res["canvases"]]
    funnel = "funnel" in doc["networks"][0]
    if want_ids is None:
        want_ids = ["chart-causes", "chart-money", "chart-unreachable", "chart-hours"] + (["chart-funnel"] if funnel else [])
    check(ids == want_ids, lang + ": the charts %s: %s" % (want_ids, ids))
    for c in res["canvases"]:
        # Axes and labels alone paint a few per cent; bars and lines more.
        check(c["painted"] > c["pixels"] * 0.03, lang + ": chart %s is drawn (%d of %d pixels)" % (c["id"], c["painted"], c["pixels"]))
    # Every span of class num must match, so that a mark this test cannot read fails.
    mark = r'<span class="num" data-path="([^"]*)" data-format="([^"]*)"(?: data-of="([^"]*)")?(?: data-bound="([^"]*)")?>([^<]*)</span>'
    check(len(re.findall(r'<span class="num"', dom)) == len(re.findall(mark, dom)),
          lang + ": every marked number has the expected attributes")
    nums = re.findall(mark, dom)
    check(len(nums) >= 40, lang + ": the page marks its numbers (%d found)" % len(nums))
    paths = set()
    for path, fmt, of, bound, shown in nums:
        path = htmllib.unescape(path)
        paths.add(path)
        if fmt in ("of100", "absof100"):
            x = 100 * at(doc, path) / at(doc, htmllib.unescape(of))
            want = decimal(abs(x) if fmt == "absof100" else x, 1, lang)
        else:
            x = at(doc, path)
            if bound:
                # An interval end past what the figure can be (below zero, a
                # share above 1), shown as the bound: only a network's own figure.
                b = float(bound)
                check(b in (0, 1) and (x < b if b == 0 else x > b), "%s: %s = %r cut at %s" % (lang, path, x, bound))
                check(not re.match(r"(points\.\d+\.)?(economics\.)?differences\.", path),
                      "%s: a difference is not cut: %s" % (lang, path))
                x = b
            want = formatted(x, fmt, lang, currency)
        check(htmllib.unescape(shown) == want, "%s: %s shows %r, the JSON says %r" % (lang, path, shown, want))
        # A network's count, money or minutes is never shown below zero.
        if re.match(r"(points\.\d+\.)?(economics\.)?networks\.", path):
            check(not htmllib.unescape(shown).startswith(MINUS), "%s: %s shows %r" % (lang, path, shown))
    if musts is None:
        musts = ["economics.networks.0.lost_calls_per_month.mean", "economics.networks.1.lost_calls_per_month.mean",
                 "economics.differences.0.lost_revenue_per_month.mean", "economics.calls_per_month",
                 "networks.0.overall.availability.mean", "differences.0.unavailable_minutes_per_month.mean"]
    for must in musts:
        check(must in paths, lang + ": the page shows " + must)
    if funnel:
        for must in ["networks.0.funnel.overall.answered_attributed.mean",
                     "networks.1.funnel.overall.lost_in_network.total.mean",
                     "differences.0.funnel.overall.answered_attributed.mean"]:
            check(must in paths, lang + ": the page shows " + must)


def embedded(page):
    """The document the page embeds (telsim-data's input)."""
    with open(page, encoding="utf-8") as f:
        html = f.read()
    m = re.search(r'<script type="application/json" id="telsim-data">(.*?)</script>', html, re.S)
    return json.loads(m.group(1))["input"]


def sweep_doc(tmp):
    """Runs sim sweep on the shipped comparison over its last transit
    hand-over; returns the JSON file's path and its document."""
    path = os.path.join(tmp, "sweep.json")
    r = run([BIN, "sim", "sweep", "scenarios/transit-vs-direct-transit.toml", "scenarios/transit-vs-direct-direct.toml",
             "--vary", "A:hops.transit2-small=0.975:0.99:0.005", "--days", "1", "--replications", "3",
             "--format", "json", "--out", path])
    check(r.returncode == 0, "sim sweep: " + r.stderr)
    with open(path, encoding="utf-8") as f:
        return path, json.load(f)


def pdf_checks(tmp, src, name, lang, words, pages_range):
    """telsim report SRC --pdf: A4 pages, their number in pages_range, the
    words in its text and no metric key; returns the text, spaces folded."""
    pdf = os.path.join(tmp, name)
    r = run([BIN, "report", src, "--lang", lang, "--pdf", pdf])
    check(r.returncode == 0, "report --pdf (%s, %s): %s" % (name, lang, r.stderr))
    if r.returncode != 0:
        return ""
    info = subprocess.run(["pdfinfo", pdf], capture_output=True, text=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    size = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info)
    # A4 is 595 x 842 points.
    check(size and abs(float(size.group(1)) - 595) < 2 and abs(float(size.group(2)) - 842) < 2,
          "%s: A4 pages: %s" % (name, size.group(0) if size else info))
    check(pages in pages_range, "%s: %s pages, got %d" % (name, pages_range, pages))
    text = subprocess.run(["pdftotext", "-layout", pdf, "-"], capture_output=True, text=True).stdout
    flat = re.sub(r"\s+", " ", text)
    for w in words:
        check(w in flat, "%s: the PDF says %r" % (name, w))
    check(not re.search(r"\b[a-z]+_[a-z_]+\b", flat), name + ": no snake_case in the PDF")
    return flat


def sweep_checks(tmp):
    """A comparison sweep's page: its three line charts drawn, every number
    equal to the page's data, and that data the sweep's JSON as it is (sim
    sweep prices every point). A document without the points' economics (an
    older telsim): the data is the sweep's with each point's month figures
    scaled from its averages."""
    sweep_json, sweep = sweep_doc(tmp)
    check(all("economics" in pt for pt in sweep["points"]), "sim sweep prices every point")
    last = len(sweep["points"]) - 1
    musts = ["points.0.economics.networks.0.lost_calls_per_month.mean",
             "points.%d.economics.networks.1.lost_calls_per_month.mean" % last,
             "points.%d.economics.differences.0.lost_revenue_per_month.mean" % last,
             "points.0.economics.calls_per_month", "points.0.replications"]
    charts = ["chart-sweep-calls", "chart-sweep-money", "chart-sweep-difference"]
    for lang in ["en", "ru"]:
        page = os.path.join(tmp, "sweep-" + lang + ".html")
        r = run([BIN, "report", sweep_json, "--lang", lang, "--out", page])
        check(r.returncode == 0, "report (sweep) --lang %s: %s" % (lang, r.stderr))
        data = embedded(page)
        check(json.loads(json.dumps(data)) == sweep, lang + ": the page embeds the sweep's JSON as it is")
        browser_checks(tmp, data, page, lang, want_ids=charts, musts=musts)

    old_json = os.path.join(tmp, "sweep-old.json")
    old = json.loads(json.dumps(sweep))
    for pt in old["points"]:
        pt.pop("economics")
    with open(old_json, "w", encoding="utf-8") as f:
        json.dump(old, f)
    lang = "en"
    page = os.path.join(tmp, "sweep-old.html")
    r = run([BIN, "report", old_json, "--lang", lang, "--out", page])
    check(r.returncode == 0, "report (sweep without economics): " + r.stderr)
    data = embedded(page)
    # The page's data is the sweep's document, each point given its month figures.
    stripped = json.loads(json.dumps(data))
    stripped.pop("economics")
    for pt in stripped["points"]:
        pt.pop("economics")
    check(stripped == old, "the page embeds the sweep's JSON")
    volume = data["economics"]["calls_per_month"]
    value = data["economics"]["value_per_lead"]
    check(volume == 180000 and value == 2000, "the scenarios' prices (%s, %s)" % (volume, value))
    for i, pt in enumerate(old["points"]):
        e = data["points"][i]["economics"]
        base = pt["networks"][0]["overall"]["callers"]["offered"]["mean"]
        for n, net in enumerate(pt["networks"]):
            k = volume / net["overall"]["callers"]["offered"]["mean"]
            got = e["networks"][n]["lost_calls_per_month"]["mean"]
            check(abs(got - net["overall"]["lost"]["mean"] * k) < 1e-6 * max(1, got),
                  "point %d network %d: lost calls a month %s" % (i, n, got))
            got = e["networks"][n]["lost_revenue_per_month"]["mean"]
            check(abs(got - net["overall"]["callers"]["lost"]["mean"] * k * value) < 1e-6 * max(1, abs(got)),
                  "point %d network %d: money a month %s" % (i, n, got))
        got = e["differences"][0]["lost_calls_per_month"]["mean"]
        want = pt["differences"][0]["lost"]["mean"] * volume / base
        check(abs(got - want) < 1e-6 * max(1, abs(got)), "point %d: difference %s" % (i, got))
    browser_checks(tmp, data, page, lang, want_ids=charts, musts=musts)


def compare_json(tmp, name, pair, days, replications):
    """Runs sim compare on scenarios/PAIR-transit.toml and PAIR-direct.toml;
    returns the JSON file's path and its document."""
    path = os.path.join(tmp, name)
    r = run([BIN, "sim", "compare", "scenarios/%s-transit.toml" % pair, "scenarios/%s-direct.toml" % pair,
             "--days", str(days), "--replications", str(replications), "--format", "json", "--out", path])
    check(r.returncode == 0, "sim compare (%s): %s" % (pair, r.stderr))
    with open(path, encoding="utf-8") as f:
        return path, json.load(f)


def main():
    tmp = tempfile.mkdtemp(prefix="telsim-report-test-")
    try:
        cmp_json, doc = compare_json(tmp, "cmp.json", "transit-vs-direct", 2, 3)
        if not PDF:
            for lang in ["en", "ru"]:
                page = os.path.join(tmp, "report-" + lang + ".html")
                r = run([BIN, "report", cmp_json, "--lang", lang, "--out", page])
                check(r.returncode == 0, "report --lang %s: %s" % (lang, r.stderr))
                browser_checks(tmp, doc, page, lang)
                # Two days of three runs: the direct network's rare outage losses
                # make the low end of its interval negative, shown cut at zero.
                with open(page, encoding="utf-8") as f:
                    check('data-bound="0"' in f.read(), lang + ": an interval cut at zero")
            # With a tracking funnel: one more chart, numbers per 100 callers.
            funnel_json, fdoc = compare_json(tmp, "funnel.json", "tracking-funnel", 1, 2)
            check("funnel" in fdoc["networks"][0], "the funnel scenarios give a funnel")
            for lang in ["en", "ru"]:
                page = os.path.join(tmp, "funnel-" + lang + ".html")
                r = run([BIN, "report", funnel_json, "--lang", lang, "--out", page])
                check(r.returncode == 0, "report (funnel) --lang %s: %s" % (lang, r.stderr))
                browser_checks(tmp, fdoc, page, lang)
            sweep_checks(tmp)
        else:
            for lang, words in [("en", ["Calls your telephone network loses", "Assumptions",
                                        "How these figures were made", "transit", "direct"]),
                                ("ru", ["Сколько звонков теряет телефонная сеть", "Исходные данные",
                                        "Как получены эти цифры"])]:
                # A handout of about five sheets (headline and networks, two
                # pairs of charts, the figures, assumptions and method).
                flat = pdf_checks(tmp, cmp_json, "report-%s.pdf" % lang, lang, words, range(4, 7))
                big = formatted(doc["economics"]["networks"][0]["lost_calls_per_month"]["mean"], "int", lang, "")
                check(big.replace(THIN, " ") in flat.replace(THIN, " "), "%s: the PDF shows %s lost calls" % (lang, big))
            # A sweep's page: its curves, the table of points; its big numbers first -> last.
            sweep_json, sweep = sweep_doc(tmp)
            first, last = sweep["points"][0]["economics"], sweep["points"][-1]["economics"]
            for lang, words in [("en", ["How the losses change with the varied value", "At each value", "Assumptions",
                                        "How these figures were made"]),
                                ("ru", ["Исходные данные", "Как получены эти цифры"])]:
                flat = pdf_checks(tmp, sweep_json, "sweep-%s.pdf" % lang, lang, words, range(3, 8))
                ends = [formatted(e["networks"][0]["lost_calls_per_month"]["mean"], "int", lang, "") for e in (first, last)]
                big = (ends[0] + " → " + ends[1]).replace(THIN, " ")
                check(big in flat.replace(THIN, " "), "%s: the sweep PDF shows %s" % (lang, big))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    if failures:
        print("%d failure(s)" % len(failures))
        return 1
    print("passed")
    return 0


sys.exit(main())
