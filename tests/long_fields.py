#!/usr/bin/env python3
"""Long fields: no message of telsim echoes a bad field whole.

    python3 tests/long_fields.py TELSIM_BINARY SOURCE_DIR

The promise (core/base/quote.h, docs/cdr.md "Bad rows"): a message quotes at
most a few hundred bytes of a piece of the user's input, then its size, so a
field of a megabyte gives a message of a few hundred bytes, not a megabyte.

This script checks it by a systematic sweep. For each kind of input file
telsim reads it takes a valid example shipped in the source tree (or written
in the docs), and changes one thing at a time: every field, value, key,
table name and header cell becomes a 1,000,000-byte string ('x' * 1e6, and
where it reaches another message a variant that keeps the value's form: the
right value followed by padding, a long run of digits, a time with a long
fraction). Options that take a value get a 100,000-byte one (the kernel
allows 128 KiB per argument). Each case runs telsim once, in a temporary
folder, one after the other.

What is swept, and how it is kept short (about 1,400 runs):
  - CDRs: every field of a row of Asterisk, FreeSWITCH and mapped CSV
    (cdr stats, --strict; the 1 MB value also through --by, cdr replay,
    cdr calibrate and sim run --traffic-from-cdr), every header cell of the
    mapped CSV, whole bad rows;
  - mapping, outcomes, lease, calls, numbering and number-list files: every
    key, value, header cell and field;
  - scenarios: docs/scenario-format.md's example with every table filled in
    (sim run; sim compare for what it reads otherwise), then the funnel
    scenario and its includes; a kind of table met once (an operator, a
    stream ...) is not swept again, its first member stands for the others,
    and one key of each table is renamed (the unknown-key message);
  - JSON read by telsim report (sim run, compare, sweep outputs) and the
    parts read by sim merge: every string, and each key and number name once;
  - options and arguments that take a value, file names included (a file
    name is shown whole, but once: it names the file).
A baseline run of each input unchanged must succeed, or the sweep of that
input would test nothing.

A case fails when
  - telsim dies of a signal, hangs (60 s), or exits with a code other than
    0 or 2 (1 is telsim's own failure, never a bad input's; 3, a failed
    gate, is allowed where the case runs gates);
  - stderr (the diagnostics) holds 4,000 bytes or more;
  - telsim exits non-zero and still writes 4,000 bytes or more on stdout
    (a refused input writes nothing there, docs/cli.md "Exit codes").
stdout of a run that succeeds is not limited: there a long value that was
valid is data being output (a 1 MB stream or trunk name is a row label of
the table, a 1 MB description is in the JSON), not a message.

Every failing case is printed on one line: input kind, key or field, exit
code, stderr size and the first 150 characters of stderr. Exit 1 if any case
fails, 0 otherwise. The sweep is deterministic and removes its folder.
"""

import copy
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import tomllib

BIG = 1_000_000    # a field of an input file
ARG = 100_000      # the value of an option
LIMIT = 4000       # bytes of diagnostics a case may write
TIMEOUT = 60

# With --sanitized: the warning AddressSanitizer prints once per process
# when code on one of SimGrid's actor stacks throws (docs/reliability.md,
# "Sanitizers") is dropped from stderr, with tests/cli/run.py's own pattern.
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "cli"))
from run import ASAN_STACK_WARNING  # noqa: E402


def xs(n=BIG):
    return "x" * n


# --------------------------------------------------------------------------
# Writing TOML and JSON back after a change

class Raw:
    """A literal written as is (a number too long for any integer type)."""

    def __init__(self, text):
        self.text = text


def toml_key(k):
    return json.dumps(k, ensure_ascii=False)


def toml_value(v):
    if isinstance(v, Raw):
        return v.text
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return repr(v)
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False)
    if isinstance(v, list):
        return "[" + ", ".join(toml_value(e) for e in v) + "]"
    if isinstance(v, dict):
        return "{ " + ", ".join(f"{toml_key(k)} = {toml_value(e)}" for k, e in v.items()) + " }"
    raise TypeError(type(v))


def toml_dump(doc):
    lines = []

    def table(d, path):
        if path:
            lines.append("[" + ".".join(toml_key(p) for p in path) + "]")
        for k, v in d.items():
            if not isinstance(v, dict):
                lines.append(f"{toml_key(k)} = {toml_value(v)}")
        for k, v in d.items():
            if isinstance(v, dict):
                table(v, path + (k,))

    table(doc, ())
    return "\n".join(lines) + "\n"


RAW_MARK = "\x01raw\x01"


def json_dump(doc, indent=2):
    raws = []

    def strip(v):
        if isinstance(v, Raw):
            raws.append(v.text)
            return RAW_MARK
        if isinstance(v, dict):
            return {k: strip(e) for k, e in v.items()}
        if isinstance(v, list):
            return [strip(e) for e in v]
        return v

    text = json.dumps(strip(doc), ensure_ascii=False, indent=indent)
    mark = json.dumps(RAW_MARK)
    for r in raws:
        text = text.replace(mark, r, 1)
    return text + ("\n" if indent is not None else "")


# --------------------------------------------------------------------------
# One change at a time to a parsed document (TOML or JSON)

def filler(v, n=BIG):
    """v followed by padding that keeps its form, n bytes in all."""
    if re.fullmatch(r"\d{4}-\d\d-\d\d[ T]\d\d:\d\d(:\d\d)?", v):
        return v + "." + "0" * max(1, n - len(v) - 1)   # a long fraction of a second
    if re.fullmatch(r"[+-]?\d+", v):
        return v + "9" * max(1, n - len(v))             # a long number
    return v + "x" * max(1, n - len(v))


X_LABEL = "'x' * 1e6"


def string_variants(v):
    """(label, new value) for a string value or field."""
    out = [(X_LABEL, xs())]
    if v:
        out.append(("value+pad", filler(v)))
        if re.fullmatch(r"\d{4}-\d\d-\d\d[ T]\d\d:\d\d(:\d\d)?", v):
            out.append(("value+x", v + xs(BIG - len(v))))
    return out


def field_changes(fields, names):
    """Each field of a split row in turn, in each of its long variants:
    (its name, the variant's label, the row's fields with it changed)."""
    for i, name in enumerate(names):
        if i >= len(fields):
            continue
        for label, v in string_variants(fields[i]):
            f = list(fields)
            f[i] = v
            yield name, label, f


def general(path, collections):
    """The path with member names of collections and list indexes generalised,
    so that 11 interconnects alike are swept once, not 11 times."""
    g = []
    for i, c in enumerate(path):
        if isinstance(c, int):
            g.append("[0]" if c == 0 else "[n]")
        elif i > 0 and isinstance(path[i - 1], str) and path[i - 1] in collections:
            g.append("*")
        else:
            g.append(c)
    return tuple(g)


def get(doc, path):
    for p in path:
        doc = doc[p]
    return doc


def with_value(doc, path, value):
    d = copy.deepcopy(doc)
    parent = get(d, path[:-1])
    parent[path[-1]] = value
    return d


def with_key(doc, path, key):
    d = copy.deepcopy(doc)
    parent = get(d, path[:-1])
    items = [(key if k == path[-1] else k, v) for k, v in parent.items()]
    parent.clear()
    parent.update(items)
    return d


def path_text(path):
    s = ""
    for p in path:
        s += f"[{p}]" if isinstance(p, int) else (("." if s else "") + (p if len(p) < 60 else p[:20] + "..."))
    return s


def doc_mutations(doc, collections=(), seen=None, numbers=True, by_name=False, first_key_only=False):
    """Yield (label, path, new document): every key renamed to 1 MB, every
    value replaced by a 1 MB string (and its form-keeping variants), one at a
    time. seen: generalised paths (or names, by_name) already swept, shared
    across documents of one kind. first_key_only: rename only the first key
    of each table (one unknown key per table; in a collection such as
    [operators] that is the first member's name, which others refer to).
    The first number of the document also becomes a million-digit integer
    and a float with a million digits."""
    if seen is None:
        seen = set()
    did_number = [not numbers]

    def once(tag, path):
        g = (tag, path[-1] if by_name and path and isinstance(path[-1], str) else general(path, collections))
        if g in seen:
            return False
        seen.add(g)
        return True

    def walk(node, path):
        if isinstance(node, dict):
            for i, (k, v) in enumerate(node.items()):
                p = path + (k,)
                if (i == 0 or not first_key_only) and once("key", p):
                    yield f"key {path_text(p)} renamed to 'x' * 1e6", p, with_key(doc, p, xs())
                yield from walk(v, p)
            if path and once("table", path):
                yield f"{path_text(path)} = 'x' * 1e6 (a table)", path, with_value(doc, path, xs())
        elif isinstance(node, list):
            if once("list", path):
                yield f"{path_text(path)} = 'x' * 1e6 (an array)", path, with_value(doc, path, xs())
            for i, v in enumerate(node):
                yield from walk(v, path + (i,))
        elif isinstance(node, str):
            if once("str", path):
                for label, v in string_variants(node):
                    yield f"{path_text(path)} = {label}", path, with_value(doc, path, v)
        elif node is None:
            if once("null", path):
                yield f"{path_text(path)} = 'x' * 1e6 (was null)", path, with_value(doc, path, xs())
        else:   # bool, int, float
            if once("num", path):
                yield f"{path_text(path)} = 'x' * 1e6 (was {node!r})", path, with_value(doc, path, xs())
            if not did_number[0] and not isinstance(node, bool):
                did_number[0] = True
                yield f"{path_text(path)} = 1e6 digits", path, with_value(doc, path, Raw("9" * BIG))
                yield f"{path_text(path)} = 0.999... (1e6 digits)", path, with_value(doc, path, Raw("0." + "9" * BIG))

    yield from walk(doc, ())


# --------------------------------------------------------------------------
# CSV lines, split and joined keeping each field's quoting

def split_line(line, delim):
    fields, quoted = [], []
    i, n = 0, len(line)
    while True:
        if i < n and line[i] == '"':
            j, buf = i + 1, []
            while True:
                k = line.index('"', j)
                buf.append(line[j:k])
                if k + 1 < n and line[k + 1] == '"':
                    buf.append('"')
                    j = k + 2
                else:
                    j = k + 1
                    break
            fields.append("".join(buf))
            quoted.append(True)
            i = j
        else:
            k = line.find(delim, i)
            k = n if k < 0 else k
            fields.append(line[i:k])
            quoted.append(False)
            i = k
        if i >= n:
            return fields, quoted
        assert line[i] == delim, line
        i += 1
        if i == n:
            fields.append("")
            quoted.append(False)
            return fields, quoted


def join_line(fields, quoted, delim):
    return delim.join('"' + f.replace('"', '""') + '"' if q else f for f, q in zip(fields, quoted))


# --------------------------------------------------------------------------

class Sweep:
    def __init__(self, telsim, src, tmp):
        self.telsim = os.path.abspath(telsim)
        self.src = os.path.abspath(src)
        self.tmp = tmp
        self.work = os.path.join(tmp, "w")
        os.makedirs(self.work)
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("TELSIM_")}
        self.env.update(TZ="UTC", LC_ALL="C.UTF-8",
                        TELSIM_DB=os.path.join(self.work, "telsim.db"),
                        TELSIM_REGISTRY=os.path.join(self.work, "numbering.reg"))
        self.results = []   # (kind, key, rc, out bytes, err bytes, err head, failed)
        self.verbose = False
        self.sanitized = False
        self.by_kind = {}

    def path(self, *p):
        return os.path.join(self.src, *p)

    def read(self, *p):
        with open(self.path(*p), encoding="utf-8", errors="surrogateescape") as f:
            return f.read()

    def exec(self, args, cwd=None):
        """A setup step: must succeed."""
        p = subprocess.run([self.telsim] + args, cwd=cwd or self.tmp, env=self.env,
                           stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           timeout=TIMEOUT)
        if p.returncode != 0:
            raise SystemExit(f"setup failed: telsim {' '.join(args)}: exit {p.returncode}\n"
                             + p.stderr.decode(errors="replace")[:2000])
        return p

    def case(self, kind, key, args, files=None, db=None, gates=False, cwd=None, baseline=False, echo=0):
        """Write files (name -> text) into the work folder, copy the database
        template db to telsim.db, run telsim with args there. A baseline (the
        input unchanged) must succeed, or the sweep would test nothing. `echo`:
        bytes the message may show whole besides its LIMIT (a file name)."""
        for name, text in (files or {}).items():
            full = os.path.join(cwd or self.work, name)
            os.makedirs(os.path.dirname(full), exist_ok=True)
            with open(full, "wb") as f:
                f.write(text.encode("utf-8") if isinstance(text, str) else text)
        if db:
            shutil.copyfile(db, os.path.join(self.work, "telsim.db"))
        t0 = time.monotonic()
        # Its own process group, so that a hung run is stopped with the
        # simulator processes it started.
        p = subprocess.Popen([self.telsim] + args, cwd=cwd or self.work, env=self.env, stdin=subprocess.DEVNULL,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
        try:
            out, err = p.communicate(timeout=TIMEOUT)
            rc = p.returncode
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, signal.SIGKILL)
            out, err = p.communicate()
            rc = "timeout"
        if self.sanitized:
            err = ASAN_STACK_WARNING.sub(b"", err)
        allowed = (0, 2, 3) if gates else (0, 2)
        failed = (rc not in allowed or len(err) >= LIMIT + echo or (rc != 0 and len(out) >= LIMIT)
                  or (baseline and rc != 0))
        head = err[:600].decode("utf-8", errors="replace").replace("\n", "\\n")[:150]
        self.results.append((kind, key, rc, len(out), len(err), head, failed))
        if self.verbose:
            print(f"{'FAIL' if failed else 'ok  '} {kind} | {key} | exit {rc} | stderr {len(err)} B, "
                  f"stdout {len(out)} B | {head}", flush=True)
        n = self.by_kind.setdefault(kind, [0, 0, 0.0])
        n[0] += 1
        n[1] += failed
        n[2] += time.monotonic() - t0
        return rc


# --------------------------------------------------------------------------
# The inputs

AST_NAMES = ["accountcode", "src", "dst", "dcontext", "clid", "channel", "dstchannel", "lastapp",
             "lastdata", "start", "answer", "end", "duration", "billsec", "disposition", "amaflags",
             "uniqueid", "userfield", "peeraccount", "linkedid", "sequence"]
FS_NAMES = ["caller_id_name", "caller_id_number", "destination_number", "context", "start_stamp",
            "answer_stamp", "end_stamp", "duration", "billsec", "hangup_cause", "uuid", "bleg_uuid",
            "accountcode", "read_codec", "write_codec"]

# docs/cdr.md, "Outcomes and Q.850 causes": the sketch of an outcomes file.
OUTCOMES = """[dispositions]
"FAILED" = { outcome = "failed", q850 = 1 }
"MY_CUSTOM_CAUSE" = { outcome = "no_answer", q850 = 19 }
"sip:480" = { outcome = "no_answer", q850 = 20 }

[ner]
delivered = [16, 17, 18, 19, 20, 21]
"""

# tests/cli/cdr.cli#replay-setup: the lease file of cdr replay.
LEASES = """time,pool,session,source,medium,campaign
2026-10-01 07:04:00,shop,s-2,yandex,cpc,spring
2026-10-01 06:58:00,shop,s-1,google,cpc,spring
"""

# tests/cli/pool.cli#files: the number list of number add --file.
NUMBERS = """# tracking numbers
+74951234500
8 (495) 123-45-01
+74951234502
"""

SCENARIO_COLLECTIONS = {"operators", "interconnects", "routes", "streams", "sources", "pools", "hops",
                        "hours"}


def setup(s):
    """Databases and JSON documents the cases start from."""
    t = s.tmp
    # The pool database of tests/cli/cdr.cli#replay-setup.
    db = os.path.join(t, "replay.db")
    s.exec(["pool", "init", "--db", db])
    s.exec(["number", "add", "--range", "+74951000001", "+74951000004", "--at", "2026-09-01", "--db", db])
    s.exec(["pool", "create", "shop", "--client", "Shop", "--kind", "dynamic", "--hold-minutes", "15",
            "--overflow", "+74951000003", "--at", "2026-09-01", "--db", db])
    s.exec(["pool", "allocate", "shop", "+74951000001", "+74951000002", "--at", "2026-09-01", "--db", db])
    s.exec(["pool", "create", "ads", "--client", "Shop", "--kind", "static", "--at", "2026-09-01", "--db", db])
    s.exec(["pool", "allocate", "ads", "+74951000004", "--source", "billboard", "--medium", "offline",
            "--at", "2026-09-01", "--db", db])
    # The numbers tests/fixtures/calls/*.csv call.
    calls_db = os.path.join(t, "calls.db")
    s.exec(["pool", "init", "--db", calls_db])
    s.exec(["number", "add", "--range", "+74951234500", "+74951234509", "--at", "2026-01-01", "--db", calls_db])
    empty_db = os.path.join(t, "empty.db")
    s.exec(["pool", "init", "--db", empty_db])
    # JSON documents telsim report reads, and the parts sim merge reads.
    erl = s.path("scenarios", "erlang-b.toml")
    short = ["--days", "0.01", "--replications", "2", "--jobs", "1"]
    s.exec(["sim", "run", erl] + short + ["--call-value", "1000", "--currency", "RUB", "--format", "json",
                                         "--out", os.path.join(t, "run.json")])
    s.exec(["sim", "compare", s.path("scenarios", "transit-vs-direct-transit.toml"),
            s.path("scenarios", "transit-vs-direct-direct.toml")] + short
           + ["--format", "json", "--out", os.path.join(t, "compare.json")])
    vary = ["--vary", "interconnects.trunk.channels=100,110"]
    s.exec(["sim", "sweep", erl] + vary + short + ["--format", "json", "--out", os.path.join(t, "sweep.json")])
    for k in (1, 2):
        s.exec(["sim", "sweep", erl] + vary + short + ["--shard", f"{k}/2", "--out", os.path.join(t, f"p{k}.jsonl")])
    shutil.copytree(s.path("scenarios"), os.path.join(s.work, "scn"))
    return db, calls_db, empty_db


def cdr_cases(s, replay_db):
    ast_lines = s.read("tests", "fixtures", "cdr", "asterisk_messy.csv").split("\n")[:3]   # the good rows
    fs_lines = s.read("tests", "fixtures", "cdr", "freeswitch.csv").split("\n")[:5]
    exp_lines = s.read("tests", "fixtures", "cdr", "export.csv").split("\n")[:5]            # header + 4 good rows
    mapping = s.read("tests", "fixtures", "cdr", "export.toml")
    ast = "\n".join(ast_lines) + "\n"
    s.ast = ast
    files_base = {"leases.csv": LEASES, "map.toml": mapping}

    # Asterisk Master.csv: every field of the first row. Every variant through
    # cdr stats (with and without --strict); the 1 MB one also through the
    # other commands that read CDRs.
    def ast_cmds(variant_is_x):
        cmds = [("stats", ["cdr", "stats", "cdr.csv", "--input", "asterisk", "--tz", "Europe/Moscow"]),
                ("stats --strict", ["cdr", "stats", "cdr.csv", "--input", "asterisk", "--strict"])]
        if variant_is_x:
            cmds += [# --by called/prefix normalise the numbers; the groups are data on stdout.
                     ("stats --by", ["cdr", "stats", "cdr.csv", "--input", "asterisk", "--by", "trunk", "--by",
                                     "channel", "--by", "called", "--by", "prefix", "--format", "csv"]),
                     ("replay", ["cdr", "replay", "cdr.csv", "--input", "asterisk", "--tz", "Europe/Moscow",
                                 "--leases", "leases.csv", "--db", "telsim.db"]),
                     # the include written on stdout names streams after the channels: data
                     ("calibrate", ["cdr", "calibrate", "cdr.csv", "--input", "asterisk", "--tz", "Europe/Moscow"]),
                     ("sim run --traffic-from-cdr", ["sim", "run", "example.toml", "--traffic-from-cdr", "cdr.csv",
                                                     "--input", "asterisk", "--replications", "1", "--jobs", "1"])]
        return cmds

    for cname, args in ast_cmds(True):
        s.case("cdr asterisk: " + cname, "baseline", args, files=dict(files_base, **{"cdr.csv": ast}),
               db=replay_db if cname == "replay" else None, baseline=True)
    fields, quoted = split_line(ast_lines[0], ",")
    assert len(fields) == 21, len(fields)
    for name, label, f in field_changes(fields, AST_NAMES):
        text = join_line(f, quoted, ",") + "\n" + "\n".join(ast_lines[1:]) + "\n"
        for cname, args in ast_cmds(label == X_LABEL):
            s.case("cdr asterisk: " + cname, f"{name} = {label}", args,
                   files=dict(files_base, **{"cdr.csv": text}), db=replay_db if cname == "replay" else None)
    rest = "\n".join(ast_lines) + "\n"
    rows = {
        "a 1e6-byte line, no delimiter": xs() + "\n" + rest,
        "a 1e6-byte line opening a quote": '"' + xs() + "\n" + rest,
        "a 22nd column of 1e6 bytes": ast_lines[0] + ',"' + xs() + '"\n' + rest,
        "clid with bare quotes (MySQL export), 1e6 bytes":
            ast_lines[0].replace('"""Ivan"" <89161234567>"', '""' + xs() + '" <89161234567>"') + "\n" + rest,
        "a 1e6-byte field unquoted with a quote inside":
            ast_lines[0].replace('"DOCUMENTATION"', "x" * 500_000 + '"' + "x" * 500_000) + "\n" + rest,
    }
    for key, text in rows.items():
        for cname, args in ast_cmds(False)[:2]:
            s.case("cdr asterisk row: " + cname, key, args, files={"cdr.csv": text})
    f = list(fields)
    f[14] = xs()
    s.case("cdr asterisk: stats (auto format)", "disposition = 'x' * 1e6, format found from the rows",
           ["cdr", "stats", "cdr.csv"], files={"cdr.csv": join_line(f, quoted, ",") + "\n" + rest})

    # FreeSWITCH: every field of the A leg of the first call.
    s.case("cdr freeswitch: stats", "baseline", ["cdr", "stats", "cdr.csv", "--input", "freeswitch", "--strict"],
           files={"cdr.csv": "\n".join(fs_lines) + "\n"}, baseline=True)
    fields, quoted = split_line(fs_lines[1], ",")
    assert len(fields) == 15, len(fields)
    for name, label, f in field_changes(fields, FS_NAMES):
        lines = list(fs_lines)
        lines[1] = join_line(f, quoted, ",")
        cmds = [("stats", ["cdr", "stats", "cdr.csv", "--input", "freeswitch"]),
                ("stats --strict", ["cdr", "stats", "cdr.csv", "--input", "freeswitch", "--strict"]),
                ("stats --by", ["cdr", "stats", "cdr.csv", "--input", "freeswitch", "--by", "called",
                                "--by", "trunk", "--format", "csv"])]
        for cname, args in cmds if label == X_LABEL else cmds[:2]:
            s.case("cdr freeswitch: " + cname, f"{name} = {label}", args, files={"cdr.csv": "\n".join(lines) + "\n"})

    # Mapped CSV (export.csv with export.toml): every header cell, every field.
    mapped_cmds = [("stats", ["cdr", "stats", "cdr.csv", "--mapping", "map.toml"]),
                   ("stats --strict", ["cdr", "stats", "cdr.csv", "--mapping", "map.toml", "--strict"]),
                   ("stats --by", ["cdr", "stats", "cdr.csv", "--mapping", "map.toml", "--by", "trunk", "--by",
                                   "called", "--format", "csv"])]
    for cname, args in mapped_cmds:
        s.case("cdr mapped: " + cname, "baseline", args, files={"cdr.csv": "\n".join(exp_lines) + "\n",
                                                                "map.toml": mapping}, baseline=True)
    header, hq = split_line(exp_lines[0], ";")
    for i, name in enumerate(header):
        for label, v in [(X_LABEL, xs()), ("name+pad", filler(name))]:
            h = list(header)
            h[i] = v
            text = "\n".join([join_line(h, hq, ";")] + exp_lines[1:]) + "\n"
            for cname, args in mapped_cmds[:1]:   # the header is checked before any row
                s.case("cdr mapped header: " + cname, f"header cell {name} = {label}", args,
                       files={"cdr.csv": text, "map.toml": mapping})
    text = "\n".join([exp_lines[0] + ";" + xs()] + [l + ";" for l in exp_lines[1:]]) + "\n"
    s.case("cdr mapped header: stats", "an 11th header cell of 1e6 bytes", mapped_cmds[0][1],
           files={"cdr.csv": text, "map.toml": mapping})
    fields, quoted = split_line(exp_lines[1], ";")
    for name, label, f in field_changes(fields, header):
        lines = list(exp_lines)
        lines[1] = join_line(f, quoted, ";")
        for cname, args in mapped_cmds if label == X_LABEL else mapped_cmds[:2]:
            s.case("cdr mapped: " + cname, f"{name} = {label}", args,
                   files={"cdr.csv": "\n".join(lines) + "\n", "map.toml": mapping})

    # The mapping file: every key, every value, every [columns] value.
    base_csv = "\n".join(exp_lines) + "\n"
    doc = tomllib.loads(mapping)
    extra = [("date_format = '%Q' + 'x' * 1e6", with_value(doc, ("date_format",), "%Q" + xs())),
             ("date_format = '%d.%m.%Y %H:%M:%S' + '%' * 1e6",
              with_value(doc, ("date_format",), "%d.%m.%Y %H:%M:%S" + "%" * BIG)),
             ("time_zone = '+03:00' + '0' * 1e6", with_value(doc, ("time_zone",), "+03:00" + "0" * BIG)),
             ("time_zone = 'Europe/' + 'x' * 1e6", with_value(doc, ("time_zone",), "Europe/" + xs())),
             ("delimiter = ';' * 1e6", with_value(doc, ("delimiter",), ";" * BIG)),
             ("an unknown table of 1e6 bytes", dict(doc, **{xs(): {"a": "b"}}))]
    s.case("mapping file: stats", "baseline, as this script writes it", mapped_cmds[1][1],
           files={"cdr.csv": base_csv, "map.toml": toml_dump(doc)}, baseline=True)
    extra = [(k, None, d) for k, d in extra]
    for key, path, d in list(doc_mutations(doc)) + extra:
        # The mapping is checked before any row is read: --strict (stop at
        # the first bad row) matters only where rows are read with it.
        for cname, args in mapped_cmds[:2] if "date_format" in key else mapped_cmds[:1]:
            s.case("mapping file: " + cname, key, args, files={"cdr.csv": base_csv, "map.toml": toml_dump(d)})

    # The outcomes file (--outcomes): docs/cdr.md's sketch.
    doc = tomllib.loads(OUTCOMES)
    extra = [('key "sip:" + 9 * 1e6', with_key(doc, ("dispositions", "sip:480"), "sip:" + "9" * BIG)),
             ('key "q850:" + 9 * 1e6', with_key(doc, ("dispositions", "sip:480"), "q850:" + "9" * BIG)),
             ('key "sip:" + x * 1e6', with_key(doc, ("dispositions", "sip:480"), "sip:" + xs()))]
    for cname, args in [("cdr stats", ["cdr", "stats", "cdr.csv", "--input", "asterisk", "--strict", "--outcomes",
                                       "out.toml"]),
                        ("cdr stats --mapping", ["cdr", "stats", "exp.csv", "--mapping", "map.toml", "--strict",
                                                 "--outcomes", "out.toml"])]:
        s.case("outcomes file: " + cname, "baseline, as this script writes it", args, baseline=True,
               files={"cdr.csv": ast, "exp.csv": base_csv, "map.toml": mapping, "out.toml": toml_dump(doc)})
    extra = [(k, None, d) for k, d in extra]
    for key, path, d in list(doc_mutations(doc)) + extra:
        cmds = [("cdr stats", ["cdr", "stats", "cdr.csv", "--input", "asterisk", "--outcomes", "out.toml"]),
                # SIP codes ("sip:480") are read by a mapping with codes = "sip"
                ("cdr stats --mapping", ["cdr", "stats", "exp.csv", "--mapping", "map.toml", "--outcomes",
                                         "out.toml"])]
        for cname, args in cmds if "sip:" in key else cmds[:1]:
            s.case("outcomes file: " + cname, key, args,
                   files={"cdr.csv": ast, "exp.csv": base_csv, "map.toml": mapping, "out.toml": toml_dump(d)})

    # The lease file (cdr replay --leases): every header cell, every field.
    lines = LEASES.rstrip("\n").split("\n")
    header, hq = split_line(lines[0], ",")
    replay = ["cdr", "replay", "cdr.csv", "--input", "asterisk", "--tz", "Europe/Moscow", "--leases", "leases.csv",
              "--db", "telsim.db"]
    s.case("leases file: cdr replay", "baseline", replay, db=replay_db, baseline=True,
           files={"cdr.csv": ast, "leases.csv": LEASES})
    for i, name in enumerate(header):
        for label, v in [("'x' * 1e6", xs()), ("name+pad", filler(name))]:
            h = list(header)
            h[i] = v
            s.case("leases file: cdr replay", f"header cell {name} = {label}", replay, db=replay_db,
                   files={"cdr.csv": ast, "leases.csv": "\n".join([join_line(h, hq, ",")] + lines[1:]) + "\n"})
    fields, quoted = split_line(lines[1], ",")
    for name, label, f in field_changes(fields, header):
        s.case("leases file: cdr replay", f"{name} = {label}", replay, db=replay_db,
               files={"cdr.csv": ast, "leases.csv": "\n".join([lines[0], join_line(f, quoted, ","), lines[2]]) + "\n"})


def table_file_cases(s, kind, lines, delim, cmds, row=1, files=None, db=None):
    """Every header cell and every field of one row of a delimited file: the
    1 MB value through every command of cmds, the others through the first."""
    for cname, args in cmds:
        s.case(f"{kind}: {cname}", "baseline", args, files=dict(files or {}, **{"in.csv": "\n".join(lines) + "\n"}),
               db=db, baseline=True)
    header, hq = split_line(lines[0], delim)
    for i, name in enumerate(header):
        for label, v in [(X_LABEL, xs()), ("name+pad", filler(name))]:
            h = list(header)
            h[i] = v
            text = "\n".join([join_line(h, hq, delim)] + lines[1:]) + "\n"
            for cname, args in cmds if label == X_LABEL else cmds[:1]:
                s.case(f"{kind}: {cname}", f"header cell {name.lstrip(chr(0xfeff))} = {label}", args,
                       files=dict(files or {}, **{"in.csv": text}), db=db)
    fields, quoted = split_line(lines[row], delim)
    for name, label, f in field_changes(fields, header):
        ls = list(lines)
        ls[row] = join_line(f, quoted, delim)
        for cname, args in cmds if label == X_LABEL else cmds[:1]:
            s.case(f"{kind}: {cname}", f"{name.lstrip(chr(0xfeff))} = {label}", args,
                   files=dict(files or {}, **{"in.csv": "\n".join(ls) + "\n"}), db=db)


def pool_file_cases(s, calls_db, empty_db):
    imp = [("calls import", ["calls", "import", "in.csv", "--db", "telsim.db"]),
           ("calls import --skip-bad", ["calls", "import", "in.csv", "--skip-bad", "--db", "telsim.db"])]
    for fixture in ("calls.csv", "reordered.csv"):
        lines = s.read("tests", "fixtures", "calls", fixture).rstrip("\n").split("\n")
        table_file_cases(s, f"calls file {fixture}", lines, ",", imp, db=calls_db)

    imp = [("numbering import", ["numbering", "import", "in.csv", "--registry", "out.reg"]),
           ("numbering import --strict", ["numbering", "import", "in.csv", "--registry", "out.reg", "--strict"])]
    abc = s.read("tests", "fixtures", "numbering", "ABC-4xx.csv").rstrip("\n").split("\n")[:4]   # the good rows
    table_file_cases(s, "numbering file ABC-4xx", abc, ";", imp)
    dfx = s.read("tests", "fixtures", "numbering", "DEF-9xx.csv").rstrip("\n").split("\n")
    table_file_cases(s, "numbering file DEF-9xx", dfx, ";", imp)

    # number add --file: every line.
    lines = NUMBERS.rstrip("\n").split("\n")
    s.case("numbers file: number add --file", "baseline",
           ["number", "add", "--file", "in.txt", "--at", "2026-03-01", "--db", "telsim.db"],
           files={"in.txt": NUMBERS}, db=empty_db, baseline=True)
    for i, line in enumerate(lines):
        for label, v in string_variants(line):
            ls = list(lines)
            ls[i] = v
            s.case("numbers file: number add --file", f"line {i + 1} ({line}) = {label}",
                   ["number", "add", "--file", "in.txt", "--at", "2026-03-01", "--db", "telsim.db"],
                   files={"in.txt": "\n".join(ls) + "\n"}, db=empty_db)


def example_plus(s):
    """tests/cli/data/scenario-example.toml with every table of
    docs/scenario-format.md it lacks, filled in from the docs' examples."""
    d = tomllib.loads(s.read("tests", "cli", "data", "scenario-example.toml"))
    out = {"name": "example", "description": "docs/scenario-format.md's example, every table filled in"}
    out.update(d)
    out["hops"] = {"direct": 0.997}
    out["gates"] = {"fail_if": ["overall.completion_ratio.mean < 0.01"]}
    out["uncertain"] = {"hops.direct": [0.99, 0.999], "control.reroute_minutes,interconnects.direct.reroute_minutes": [5, 10]}
    out["economics"] = {"calls_per_month": 100000, "call_value": 1000, "currency": "RUB",
                        "source": "docs/scenario-format.md"}
    out["control"] = {"monitoring": True, "detection_minutes": 2, "reroute_minutes": 7.5,
                      "drop_calls_on_failure": True}
    out["operators"]["pstn"]["registry"] = "МГТС"
    ic = out["interconnects"]["direct"]
    ic["completion"] = "hop:direct"
    ic["incidents"] = {"mean_between_hours": 120, "distribution": "lognormal", "mean_minutes": 30, "sd_minutes": 10}
    ic["outages"] = [{"start_hours": 0.1, "minutes": 1}]
    ic["detection_minutes"] = 5
    ic["reroute_minutes"] = 7.5
    out["routes"]["inbound"]["prefix"] = "+7495"
    st = out["streams"]["callers"]
    st["prefix"] = "+74951"
    st["profile"] = [1] * 24
    st["callee"] = {"answer": 0.8, "busy": 0.1, "no_answer": 0.1, "ring_seconds": 30}
    st["redial"] = {"share": 0.3, "delay_minutes": 5, "max_attempts": 3}
    return out


def scenario_cases(s):
    short = {"days": ["--days", "0.01"], "replications": ["--replications", "1"]}

    def run_args(top, key_path):
        args = ["sim", "run", top, "--jobs", "1"]
        for k, a in short.items():   # a key of [simulation] swept is not overridden
            if not (len(key_path) >= 2 and key_path[0] == "simulation" and key_path[1] == k):
                args += a
        return args

    # The extended example: sim run, and sim compare against itself (economics,
    # uncertain, name and description are read there).
    doc = example_plus(s)
    base = dict(doc, name="baseline")
    ex = toml_dump(doc)
    s.ex_scenario = ex
    s.case("scenario (example): sim run", "baseline", run_args("ex.toml", ()), files={"ex.toml": ex}, baseline=True)
    s.case("scenario (example): sim compare", "baseline",
           ["sim", "compare", "ex.toml", "base.toml", "--days", "0.01", "--replications", "2", "--jobs", "1"],
           files={"ex.toml": ex, "base.toml": toml_dump(base)}, baseline=True)
    # Shared with the funnel's sweep below: a kind of table swept here (an
    # operator, an interconnect, ...) is not swept again there.
    seen = set()
    for key, path, d in doc_mutations(doc, SCENARIO_COLLECTIONS, seen, first_key_only=True):
        text = toml_dump(d)
        s.case("scenario (example): sim run", key, run_args("ex.toml", path), files={"ex.toml": text},
               gates=True)
        # sim compare reads these otherwise than sim run (names, the traffic
        # it checks is the same, economics that must agree, uncertain ranges).
        if path[0] in ("name", "description", "economics", "uncertain", "gates", "streams", "hops"):
            s.case("scenario (example): sim compare", key,
                   ["sim", "compare", "ex.toml", "base.toml", "--days", "0.01", "--replications", "2", "--jobs", "1"],
                   files={"ex.toml": text, "base.toml": toml_dump(base)}, gates=True)
    # The same change in every table: a whole value that is a 1 MB include.
    for key, inc in [("include = 'x' * 1e6", xs()), ("include = ['x' * 1e6]", [xs()]),
                     ("include = ['scn/erlang-b.toml' + 'x' * 1e6]", ["scn/erlang-b.toml" + xs()]),
                     ("include = ['x' * 1e6 + '/erlang-b.toml']", [xs() + "/erlang-b.toml"])]:
        s.case("scenario (example): sim run", key, run_args("ex.toml", ()),
               files={"ex.toml": toml_dump(dict({"include": inc}, **doc))}, gates=True)

    # The funnel scenario and its includes (scenarios/ copied to scn/): each
    # file swept in turn, sim run on the top file.
    top = "scn/tracking-funnel-direct.toml"
    s.case("scenario (funnel + includes): sim run", "baseline", run_args(top, ()), baseline=True)
    for rel in ["tracking-funnel-direct.toml", "transit-vs-direct-direct.toml", "include/client-traffic.toml",
                "include/carrier-hops.toml", "include/tracking-funnel.toml"]:
        original = s.read("scenarios", rel)
        doc = tomllib.loads(original)
        s.case("scenario (funnel + includes): sim run", f"{rel}: baseline, as this script writes it",
               run_args(top, ()), files={"scn/" + rel: toml_dump(doc)}, baseline=True)
        # What the example did not have (sources, pools, forwarding, include),
        # and in every file its first three changes whatever they are.
        done = set()
        first = list(doc_mutations(doc, SCENARIO_COLLECTIONS, set(), first_key_only=True))[:3]
        for key, path, d in first + list(doc_mutations(doc, SCENARIO_COLLECTIONS, seen, first_key_only=True)):
            if key in done:
                continue
            done.add(key)
            s.case("scenario (funnel + includes): sim run", f"{rel}: {key}", run_args(top, path),
                   files={"scn/" + rel: toml_dump(d)}, gates=True)
        with open(os.path.join(s.work, "scn", rel), "w", encoding="utf-8") as f:
            f.write(original)
    # A stream with a 1 MB prefix in one network only: the traffic differs.
    a = tomllib.loads(s.read("scenarios", "transit-vs-direct-transit.toml"))
    for key, patch in [("streams.from-mts.prefix = '+7' + '9' * 1e6 in network A only",
                        {"streams": {"from-mts": {"prefix": "+7" + "9" * BIG}}}),
                       ("streams.from-mts.calls_per_day = 1e6 digits in network A only",
                        {"streams": {"from-mts": {"calls_per_day": Raw("1" + "0" * 20 + "." + "0" * BIG)}}}),
                       ("economics.source = 'x' * 1e6 in network A only",
                        {"economics": {"source": xs()}}),
                       ("economics.currency = 'x' * 1e6 in network A only",
                        {"economics": {"currency": xs()}}),
                       ("a stream named 'x' * 1e6 in network A only",
                        {"streams": {xs(): {"from": "mts", "to": "tracking", "calls_per_day": 10}}}),
                       ("uncertain 'hops.mts-transit' = [0.9, 0.99] in A, [0.95, 0.99] in B",
                        {"uncertain": {"hops.mts-transit": [0.9, 0.99]}})]:
        d = copy.deepcopy(a)
        for table, v in patch.items():
            d.setdefault(table, {}).update(v)
        b = None
        if "uncertain" in patch:
            b = tomllib.loads(s.read("scenarios", "transit-vs-direct-direct.toml"))
            b["uncertain"] = {"hops.mts-transit": [0.95, 0.99]}
        files = {"scn/transit-vs-direct-transit.toml": toml_dump(d)}
        if b:
            files["scn/transit-vs-direct-direct.toml"] = toml_dump(b)
        s.case("scenario (transit vs direct): sim compare", key,
               ["sim", "compare", "scn/transit-vs-direct-transit.toml", "scn/transit-vs-direct-direct.toml",
                "--days", "0.01", "--replications", "2", "--jobs", "1"], files=files)
        for rel in ("transit-vs-direct-transit.toml", "transit-vs-direct-direct.toml"):
            with open(os.path.join(s.work, "scn", rel), "w", encoding="utf-8") as f:
                f.write(s.read("scenarios", rel))


def json_cases(s):
    """telsim report INPUT.json (run, compare, sweep) and sim merge PARTS."""
    seen = set()
    for name in ("run.json", "compare.json", "sweep.json"):
        with open(os.path.join(s.tmp, name), encoding="utf-8") as f:
            doc = json.load(f)
        # The page is written to a file: stdout stays empty.
        args = ["report", "in.json", "--format", "md", "--out", "report.md"]
        s.case("report JSON input", f"{name}: baseline", args, files={"in.json": json_dump(doc)}, baseline=True)
        # Keys and numbers swept once per name across the three documents
        # (offered, mean, ci95 ... are read by one code), strings per path.
        for key, path, d in doc_mutations(doc, {"streams", "destinations", "node_availability"}, seen, by_name=True):
            s.case("report JSON input", f"{name}: {key}", args, files={"in.json": json_dump(d)})
    with open(os.path.join(s.tmp, "p1.jsonl"), encoding="utf-8") as f:
        lines = [json.loads(l) for l in f if l.strip()]
    with open(os.path.join(s.tmp, "p2.jsonl"), encoding="utf-8") as f:
        p2 = f.read()
    args = ["sim", "merge", "p1.jsonl", "p2.jsonl"]
    s.case("merge part file", "baseline", args, files={"p1.jsonl": "".join(json_dump(l, None) + "\n" for l in lines),
                                                     "p2.jsonl": p2}, baseline=True)
    seen = set()
    for i in (0, 1):
        for key, path, d in doc_mutations(lines[i], (), seen, by_name=True):
            ls = list(lines)
            ls[i] = d
            s.case("merge part file", f"line {i + 1}: {key}", args,
                   files={"p1.jsonl": "".join(json_dump(l, None) + "\n" for l in ls), "p2.jsonl": p2})


def option_cases(s, replay_db):
    X = "x" * ARG
    D = "9" * ARG
    sim = ["sim", "run", "scn/erlang-b.toml", "--days", "0.01", "--replications", "1", "--jobs", "1"]
    cmp = ["sim", "compare", "scn/transit-vs-direct-transit.toml", "scn/transit-vs-direct-direct.toml", "--days",
           "0.01", "--replications", "2", "--jobs", "1"]
    swp = ["sim", "sweep", "scn/erlang-b.toml", "--days", "0.01", "--replications", "1", "--jobs", "1"]
    swc = ["sim", "sweep", "scn/transit-vs-direct-transit.toml", "scn/transit-vs-direct-direct.toml", "--days",
           "0.01", "--replications", "1", "--jobs", "1"]
    stats = ["cdr", "stats", "cdr.csv", "--input", "asterisk"]
    cal = ["cdr", "calibrate", "cdr.csv", "--input", "asterisk"]
    rep = ["report", "compare.json", "--format", "md", "--out", "r.md"]
    cases = [
        # --set
        ("--set", "'x' * 1e5", sim + ["--set", X]),
        ("--set", "KEY='x' * 1e5", sim + ["--set", "interconnects.trunk.channels=" + X]),
        ("--set", "KEY=9 * 1e5", sim + ["--set", "interconnects.trunk.channels=" + D]),
        ("--set", "KEY=0.9... (1e5 digits)", sim + ["--set", "interconnects.trunk.completion=0." + D]),
        ("--set", "'x' * 1e5=1", sim + ["--set", X + "=1"]),
        ("--set", "interconnects.'x' * 1e5.channels=1", sim + ["--set", "interconnects." + X + ".channels=1"]),
        ("--set", "interconnects.trunk.'x' * 1e5=1", sim + ["--set", "interconnects.trunk." + X + "=1"]),
        ("--set", "holding.distribution='lognormal' + x", sim + ["--set", "streams.callers.holding.distribution=lognormal" + X]),
        ("--set", "completion=\"hop:\" + x", sim + ["--set", 'interconnects.trunk.completion="hop:' + X + '"']),
        ("--set", "KEY=[\"x\" * 1e5]", sim + ["--set", 'routes.inbound.paths=[["' + X + '"]]']),
        ("--set", "KEY={ 'x' * 1e5 = 1 }", sim + ["--set", "interconnects.spare={ " + X + " = 1 }"]),
        ("--set", "KEY=1\\n'x' * 1e5 = 2", sim + ["--set", "interconnects.trunk.channels=1\n" + X + " = 2"]),
        ("--set", "'x' * 1e5:KEY=1 (network)", cmp + ["--set", X + ":interconnects.t1-t2.channels=1"]),
        ("--set (sim graph)", "KEY='x' * 1e5", ["sim", "graph", "scn/erlang-b.toml", "--set", "interconnects.trunk.channels=" + X]),
        ("--set (report)", "'x' * 1e5", ["report", "scn/erlang-b.toml", "--days", "0.01", "--replications", "1",
                                         "--jobs", "1", "--format", "md", "--set", X]),
        # --fail-if
        ("--fail-if", "'x' * 1e5", sim + ["--fail-if", X]),
        ("--fail-if", "PATH < 9 * 1e5", sim + ["--fail-if", "overall.completion_ratio.mean < " + D]),
        ("--fail-if", "PATH < 0.9... (1e5 digits)", sim + ["--fail-if", "overall.completion_ratio.mean < 0." + D]),
        ("--fail-if", "PATH < 'x' * 1e5", sim + ["--fail-if", "overall.completion_ratio.mean < " + X]),
        ("--fail-if", "overall.'x' * 1e5 < 1", sim + ["--fail-if", "overall." + X + " < 1"]),
        ("--fail-if", "streams.'x' * 1e5.offered.mean < 1", sim + ["--fail-if", "streams." + X + ".offered.mean < 1"]),
        ("--fail-if", "PATH <<<... (1e5) 1", sim + ["--fail-if", "overall.completion_ratio.mean " + "<" * ARG + " 1"]),
        ("--fail-if", "PATH < 1 + 'x' * 1e5", sim + ["--fail-if", "overall.completion_ratio.mean < 1 " + X]),
        ("--fail-if (compare)", "differences.9*1e5.completed.low < 0", cmp + ["--fail-if", "differences." + D + ".completed.low < 0"]),
        ("--fail-if (compare)", "networks.'x' * 1e5 < 0", cmp + ["--fail-if", "networks." + X + " < 0"]),
        ("--fail-if (cdr stats)", "'x' * 1e5", stats + ["--fail-if", X]),
        ("--fail-if (cdr stats)", "groups.9*1e5.asr < 1", stats + ["--by", "trunk", "--fail-if", "groups." + D + ".asr < 1"]),
        ("--fail-if (cdr stats)", "overall.asr < 9*1e5", stats + ["--fail-if", "overall.asr < " + D]),
        ("--fail-if (sim merge)", "overall.'x' * 1e5 < 1", ["sim", "merge", "p1.jsonl", "p2.jsonl", "--fail-if", "overall." + X + " < 1"]),
        # --vary
        ("--vary", "'x' * 1e5", swp + ["--vary", X]),
        ("--vary", "KEY='x' * 1e5", swp + ["--vary", "interconnects.trunk.channels=" + X]),
        ("--vary", "KEY=100:9*1e5", swp + ["--vary", "interconnects.trunk.channels=100:" + D]),
        ("--vary", "KEY=100:130:0.0...1 (1e5 digits)", swp + ["--vary", "interconnects.trunk.channels=100:130:0." + "0" * ARG + "1"]),
        # x first: a list whose last value is bad is refused only after every
        # point before it was set up (5 s for 50,000 points), not a message matter
        ("--vary", "KEY=x,1,1,... (1e5 bytes)", swp + ["--vary", "interconnects.trunk.channels=x" + ",1" * (ARG // 2)]),
        ("--vary", "interconnects.'x' * 1e5.channels=1,2", swp + ["--vary", "interconnects." + X + ".channels=1,2"]),
        ("--vary", "'x' * 1e5:KEY=1,2 (network)", swc + ["--vary", X + ":hops.transit2-small=0.98,0.99"]),
        ("--vary (report)", "'x' * 1e5", ["report", "scn/erlang-b.toml", "--days", "0.01", "--replications", "1",
                                          "--jobs", "1", "--format", "md", "--vary", X]),
        # --uncertain
        ("--uncertain", "'x' * 1e5", cmp + ["--uncertain", X]),
        ("--uncertain", "KEY='x' * 1e5", cmp + ["--uncertain", "hops.mts-transit=" + X]),
        ("--uncertain", "KEY=0.9:9*1e5", cmp + ["--uncertain", "hops.mts-transit=0.9:" + D]),
        ("--uncertain", "hops.'x' * 1e5=0.9:0.99", cmp + ["--uncertain", "hops." + X + "=0.9:0.99"]),
        # CDR reading options
        ("--date-format", "'x' * 1e5", stats + ["--date-format", X]),
        ("--date-format", "'%Y-%m-%d %H:%M:%S' + 'x' * 1e5", stats + ["--date-format", "%Y-%m-%d %H:%M:%S" + X]),
        ("--date-format", "'%Q' + 'x' * 1e5", stats + ["--date-format", "%Q" + X]),
        ("--date-format (sim run)", "'x' * 1e5", sim + ["--traffic-from-cdr", "cdr.csv", "--date-format", X]),
        ("--tz", "'x' * 1e5", stats + ["--tz", X]),
        ("--tz", "'Europe/' + 'x' * 1e5", stats + ["--tz", "Europe/" + X]),
        ("--tz", "'+03:00' + '0' * 1e5", stats + ["--tz", "+03:00" + "0" * ARG]),
        ("--tz", "'+' + 9 * 1e5", stats + ["--tz", "+" + D]),
        ("--tz (sim run)", "'x' * 1e5", sim + ["--traffic-from-cdr", "cdr.csv", "--tz", X]),
        ("--region", "'x' * 1e5", stats + ["--by", "called", "--region", X]),
        ("--region (calls import)", "'x' * 1e5", ["calls", "import", "calls.csv", "--region", X]),
        ("--by", "'x' * 1e5", stats + ["--by", X]),
        ("--input", "'x' * 1e5", ["cdr", "stats", "cdr.csv", "--input", X]),
        ("--threads", "'x' * 1e5", stats + ["--threads", X]),
        ("--window", "9 * 1e5", stats + ["--window", D]),
        ("--prefix-digits", "'x' * 1e5", stats + ["--prefix-digits", X]),
        # cdr calibrate
        ("--operator (calibrate)", "'x' * 1e5", cal + ["--operator", X]),
        ("--operator (calibrate)", "NAME=x*1e5", cal + ["--registry", "numbering.reg", "--operator", "МГТС=" + X]),
        ("--origin (calibrate)", "'x' * 1e5", cal + ["--origin", X]),
        ("--days (calibrate)", "'x' * 1e5", cal + ["--days", X]),
        ("--redial-window (calibrate)", "9 * 1e5", cal + ["--redial-window", D]),
        # sim run options
        ("--days", "'x' * 1e5", sim + ["--days", X]),
        ("--days", "1 + '0' * 1e5", sim + ["--days", "1" + "0" * ARG]),
        ("--days", "0.0...1 (1e5 digits)", sim + ["--days", "0." + "0" * ARG + "1"]),
        ("--replications", "9 * 1e5", sim + ["--replications", D]),
        ("--seed", "9 * 1e5", sim + ["--seed", D]),
        ("--seed", "'x' * 1e5", sim + ["--seed", X]),
        ("--jobs", "'x' * 1e5", sim + ["--jobs", X]),
        ("--format", "'x' * 1e5", sim + ["--format", X]),
        ("--detail", "'x' * 1e5", sim + ["--detail", X]),
        ("--series", "'x' * 1e5", sim + ["--series", X]),
        ("--cdr-epoch", "'x' * 1e5", sim + ["--cdr-out", "o.csv", "--cdr-epoch", X]),
        ("--cdr-epoch", "'2026-01-01 00:00:00' + 'x' * 1e5", sim + ["--cdr-out", "o.csv", "--cdr-epoch", "2026-01-01 00:00:00" + X]),
        ("--cdr-epoch", "'@' + 9 * 1e5", sim + ["--cdr-out", "o.csv", "--cdr-epoch", "@" + D]),
        ("--cdr-replication", "'x' * 1e5", sim + ["--cdr-out", "o.csv", "--cdr-replication", X]),
        ("--call-value", "'x' * 1e5", sim + ["--call-value", X]),
        ("--call-value", "9 * 1e5", sim + ["--call-value", D]),
        ("--currency", "'x' * 1e5", sim + ["--call-value", "1000", "--currency", X]),
        ("--currency", "'RUB' + 'x' * 1e5", sim + ["--call-value", "1000", "--currency", "RUB" + X]),
        ("--currency (compare)", "'x' * 1e5", cmp + ["--call-value", "1000", "--currency", X]),
        ("--currency (report)", "'x' * 1e5", rep + ["--call-value", "1000", "--currency", X]),
        ("--calls-per-month", "'x' * 1e5", sim + ["--calls-per-month", X]),
        ("--conversion-rate", "0.5 + '0' * 1e5 + 'x'", sim + ["--conversion-rate", "0.5" + "0" * ARG + "x", "--order-value", "1"]),
        ("--shard", "'x' * 1e5", swp + ["--vary", "interconnects.trunk.channels=100,110", "--shard", X, "--out", "part.jsonl"]),
        ("--shard", "'1/' + 9 * 1e5", swp + ["--vary", "interconnects.trunk.channels=100,110", "--shard", "1/" + D, "--out", "part.jsonl"]),
        ("--shard", "9 * 1e5 + '/2'", swp + ["--vary", "interconnects.trunk.channels=100,110", "--shard", D + "/2", "--out", "part.jsonl"]),
        ("--lang (report)", "'x' * 1e5", rep + ["--lang", X]),
        ("--format (report)", "'x' * 1e5", ["report", "compare.json", "--format", X]),
        ("--format (sim graph)", "'x' * 1e5", ["sim", "graph", "scn/erlang-b.toml", "--format", X]),
        # numbers and names of the pool tools
        ("number add NUMBER", "'x' * 1e5", ["number", "add", X, "--at", "2026-09-01"]),
        ("number add NUMBER", "'+7495' + 1 * 1e5", ["number", "add", "+7495" + "1" * ARG, "--at", "2026-09-01"]),
        ("number add --range", "'x' * 1e5", ["number", "add", "--range", X, "+74951000009", "--at", "2026-09-01"]),
        ("number add --at", "'x' * 1e5", ["number", "add", "+74951000005", "--at", X]),
        ("number add --at", "'2026-09-01 00:00:00' + 'x' * 1e5", ["number", "add", "+74951000005", "--at", "2026-09-01 00:00:00" + X]),
        ("number add --at", "'@' + 9 * 1e5", ["number", "add", "+74951000005", "--at", "@" + D]),
        ("number show NUMBER", "'x' * 1e5", ["number", "show", X]),
        ("number show NUMBER", "'+7495' + 1 * 1e5", ["number", "show", "+7495" + "1" * ARG]),
        ("number block NUMBER", "'x' * 1e5", ["number", "block", X]),
        ("number retire NUMBER", "'x' * 1e5", ["number", "retire", X]),
        ("number list --state", "'x' * 1e5", ["number", "list", "--state", X]),
        ("number list --pool", "'x' * 1e5", ["number", "list", "--pool", X]),
        ("pool create --overflow", "'x' * 1e5", ["pool", "create", "p", "--client", "C", "--overflow", X, "--at", "2026-09-01"]),
        ("pool create --hold-minutes", "'x' * 1e5", ["pool", "create", "p", "--client", "C", "--hold-minutes", X]),
        # valid: the name is data of the output
        ("pool create NAME", "'x' * 1e5", ["pool", "create", X, "--client", "C", "--kind", "static", "--at", "2026-09-01"]),
        ("pool allocate NAME", "'x' * 1e5", ["pool", "allocate", X, "--count", "1"]),
        ("pool allocate NUMBER", "'x' * 1e5", ["pool", "allocate", "shop", X, "--at", "2026-09-01"]),
        ("pool lease NAME", "'x' * 1e5", ["pool", "lease", X, "--session", "s", "--at", "2026-10-01 07:00:00"]),
        ("pool lease --at", "'x' * 1e5", ["pool", "lease", "shop", "--session", "s", "--at", X]),
        ("pool attribute --called", "'x' * 1e5", ["pool", "attribute", "--called", X]),
        ("pool attribute --called", "'+7495' + 1 * 1e5", ["pool", "attribute", "--called", "+7495" + "1" * ARG]),
        ("pool show NAME", "'x' * 1e5", ["pool", "show", X]),
        ("pool report --pool", "'x' * 1e5", ["pool", "report", "--pool", X]),
        ("pool report --from", "'x' * 1e5", ["pool", "report", "--from", X]),
        ("pool return NUMBER", "'x' * 1e5", ["pool", "return", "shop", X]),
        ("pool size --pool", "'x' * 1e5", ["pool", "size", "--pool", X]),
        ("pool size --visitors-per-hour", "'x' * 1e5", ["pool", "size", "--visitors-per-hour", X, "--visit-minutes", "3", "--hold-minutes", "15"]),
        ("calls list --number", "'x' * 1e5", ["calls", "list", "--number", X]),
        ("calls list --from", "'x' * 1e5", ["calls", "list", "--from", X]),
        ("quarantine check --at", "'x' * 1e5", ["quarantine", "check", "--at", X]),
        ("quarantine settings --min-days", "'x' * 1e5", ["quarantine", "settings", "--min-days", X]),
        ("numbering lookup NUMBER", "'x' * 1e5", ["numbering", "lookup", X, "--registry", "numbering.reg"]),
        ("numbering lookup NUMBER", "'+7' + 9 * 1e5", ["numbering", "lookup", "+7" + D, "--registry", "numbering.reg"]),
        ("numbering lookup --region", "'x' * 1e5", ["numbering", "lookup", "89161234567", "--region", X, "--registry", "numbering.reg"]),
        ("erlang b A", "'x' * 1e5", ["erlang", "b", X, "110"]),
        ("erlang b C", "9 * 1e5", ["erlang", "b", "100", D]),
        ("erlang channels --max-blocking", "'x' * 1e5", ["erlang", "channels", "100", "--max-blocking", X]),
        # the command line itself
        ("command line", "noun 'x' * 1e5", [X]),
        ("command line", "verb 'x' * 1e5", ["sim", X]),
        ("command line", "option '--' + 'x' * 1e5", sim + ["--" + X]),
        ("command line", "option '--replication' + 's' * 1e5", sim + ["--replication" + "s" * ARG, "2"]),
        ("command line", "extra positional 'x' * 1e5", ["erlang", "b", "100", "110", X]),
        # file names (a path is the user's input too)
        ("file name", "cdr stats 'x' * 1e5", ["cdr", "stats", X]),
        ("file name", "cdr stats 'x/' * 5e4", ["cdr", "stats", "x/" * (ARG // 2)]),
        ("file name", "sim run 'x' * 1e5", ["sim", "run", X]),
        ("file name", "--mapping 'x' * 1e5", ["cdr", "stats", "cdr.csv", "--mapping", X]),
        ("file name", "--outcomes 'x' * 1e5", stats + ["--outcomes", X]),
        ("file name", "--registry 'x' * 1e5", stats + ["--by", "operator", "--registry", X]),
        ("file name", "--leases 'x' * 1e5", ["cdr", "replay", "cdr.csv", "--input", "asterisk", "--leases", X]),
        ("file name", "--traffic-from-cdr 'x' * 1e5", sim + ["--traffic-from-cdr", X]),
        ("file name", "--out 'x' * 1e5", sim + ["--out", X]),
        ("file name", "--out 'x' * 1e5 + '/r.txt'", sim + ["--out", X + "/r.txt"]),
        ("file name", "--junit 'x' * 1e5", sim + ["--junit", X + "/j.xml"]),
        ("file name", "--db 'x' * 1e5", ["number", "list", "--db", X]),
        ("file name", "calls import 'x' * 1e5", ["calls", "import", X]),
        ("file name", "numbering import 'x' * 1e5", ["numbering", "import", X, "--registry", "r.reg"]),
        ("file name", "number add --file 'x' * 1e5", ["number", "add", "--file", X]),
        ("file name", "report 'x' * 1e5", ["report", X, "--format", "md"]),
        ("file name", "sim merge 'x' * 1e5", ["sim", "merge", X]),
        ("file name", "include 'x' * 1e5 of a scenario", ["sim", "run", "inc.toml", "--days", "0.01"]),
    ]
    shutil.copyfile(os.path.join(s.tmp, "compare.json"), os.path.join(s.work, "compare.json"))
    for k in (1, 2):
        shutil.copyfile(os.path.join(s.tmp, f"p{k}.jsonl"), os.path.join(s.work, f"p{k}.jsonl"))
    shutil.copyfile(s.path("tests", "fixtures", "calls", "calls.csv"), os.path.join(s.work, "calls.csv"))
    s.exec(["numbering", "import", s.path("tests", "fixtures", "numbering", "ABC-4xx.csv"), "--registry",
            os.path.join(s.work, "numbering.reg")])
    files = {"cdr.csv": s.ast, "inc.toml": f'include = ["{X}"]\n'}
    for option, key, args in cases:
        gates = "--fail-if" in args
        # A file name is shown whole, once: it names the file (and one that
        # exists is at most 4 KiB, the kernel's PATH_MAX). Any more is a defect.
        echo = ARG + 16 if option == "file name" else 0
        s.case("option " + option, key, args, files=files, db=replay_db, gates=gates, echo=echo)


def main():
    args = [a for a in sys.argv[1:] if a not in ("-v", "--sanitized")]
    if len(args) != 2:
        print(__doc__.split("\n\n")[1] + "    (-v: print every case; --sanitized: drop ASan's SimGrid stack warning)",
              file=sys.stderr)
        return 2
    started = time.monotonic()
    tmp = tempfile.mkdtemp(prefix="telsim-long-fields-")
    try:
        s = Sweep(args[0], args[1], tmp)
        s.verbose = "-v" in sys.argv[1:]
        s.sanitized = "--sanitized" in sys.argv[1:]
        replay_db, calls_db, empty_db = setup(s)
        scenario_cases(s)   # first: it writes example.toml for the CDR cases
        with open(os.path.join(s.work, "example.toml"), "w", encoding="utf-8") as f:
            f.write(s.ex_scenario)
        cdr_cases(s, replay_db)
        pool_file_cases(s, calls_db, empty_db)
        json_cases(s)
        option_cases(s, replay_db)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    failed = [r for r in s.results if r[6]]
    for kind, key, rc, out, err, head, _ in failed:
        print(f"FAIL {kind} | {key} | exit {rc} | stderr {err} B, stdout {out} B | {head}")
    print()
    for kind, (n, f, t) in s.by_kind.items():
        print(f"{kind}: {n} cases" + (f", {f} failing" if f else "") + f" ({t:.1f} s)")
    codes = {}
    for r in s.results:
        codes[r[2]] = codes.get(r[2], 0) + 1
    print(f"\n{len(s.results)} cases, {len(failed)} failing; exit codes: "
          + ", ".join(f"{c}: {n}" for c, n in sorted(codes.items(), key=lambda x: str(x[0]))))
    print(f"runtime {time.monotonic() - started:.1f} s")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
