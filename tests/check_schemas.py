#!/usr/bin/env python3
"""Runs every telsim command that has a JSON output, with --format json, and
validates what it prints against its JSON Schema in docs/schema/.

Usage: check_schemas.py TELSIM_BINARY SOURCE_DIR
Exit 0 when every output is valid; otherwise each failure on stderr, exit 1.
Also fails when a schema file is missing, or when docs/schema/ holds a
schema that no command here exercises (a schema nobody checks can drift).

Every number of the gated outputs (sim run, compare, sweep, cdr stats) must
pass the check a gate's path gets before the run: each such command runs
again with a gate on each number of its output, and must not exit 2.

Every key an output holds must be declared: an object of a schema that lists
its properties, and says nothing of others, is checked as closed
(additionalProperties false). telsim relies on it: a gate's path is checked
against the schema before a run (tools/gate_paths.cc), so a key the schema
lacks would be refused there.
"""
import json
import os
import subprocess
import sys
import tempfile

import jsonschema

BIN, SRC = sys.argv[1], sys.argv[2]
SCHEMAS = os.path.join(SRC, "docs", "schema")

CALLS = ("time,caller,called,duration,disposition\n"
         "2026-01-03 10:06:00,89161234567,+74951234500,30,ANSWERED\n"
         "2026-01-03 10:07:00,+79161234568,84951234509,0,NO ANSWER\n")
LEASES = "time,pool,session\n2026-01-03 10:00:00,shop,s1\n"


def commands(tmp):
    """(schema name, arguments) in the order they run: later ones use the database."""
    db = ["--db", os.path.join(tmp, "t.db")]
    reg = os.path.join(tmp, "numbering.reg")
    cdr = os.path.join(SRC, "tests", "fixtures", "cdr", "asterisk_messy.csv")
    nums = os.path.join(SRC, "tests", "fixtures", "numbering")
    return [
        ("sim-run", ["sim", "run", "scenarios/erlang-b.toml", "--days", "0.2", "--replications", "1"]),
        ("sim-run", ["sim", "run", "scenarios/erlang-b.toml", "--days", "0.2", "--replications", "10",
                     "--fail-if", "overall.completion_ratio.low < 0.5"]),
        ("sim-run", ["sim", "run", "scenarios/erlang-b.toml", "--days", "0.2", "--replications", "3",
                     "--call-value", "100", "--currency", "EUR"]),
        ("sim-run", ["sim", "run", "scenarios/transit-vs-direct-transit.toml", "--days", "0.2", "--replications", "2",
                     "--detail", "interconnects", "--detail", "nodes", "--series", "day", "--series", "hour-of-day"]),
        ("sim-compare", ["sim", "compare", "scenarios/transit-vs-direct-transit.toml",
                         "scenarios/transit-vs-direct-direct.toml", "--days", "0.5", "--replications", "1"]),
        ("sim-compare", ["sim", "compare", "scenarios/transit-vs-direct-transit.toml",
                         "scenarios/transit-vs-direct-direct.toml", "--days", "0.5", "--replications", "3"]),
        ("sim-compare", ["sim", "compare", "scenarios/transit-vs-direct-transit.toml",
                         "scenarios/transit-vs-direct-direct.toml", "--days", "0.5", "--replications", "2",
                         "--uncertain", "hops.mts-transit,hops.megafon-transit=0.975:0.99",
                         "--uncertain", "hops.transit1-transit2=0.95:0.985"]),
        ("sim-sweep", ["sim", "sweep", "scenarios/erlang-b.toml", "--vary", "interconnects.trunk.channels=100,110",
                       "--days", "0.2", "--replications", "2", "--fail-if", "overall.blocking_ratio.mean > 0.5"]),
        ("sim-sweep", ["sim", "sweep", "scenarios/erlang-b.toml", "--days", "0.2", "--replications", "1"]),
        ("sim-sweep", ["sim", "sweep", "scenarios/transit-vs-direct-transit.toml", "--vary",
                       "economics.order_value=1000,9000", "--days", "0.2", "--replications", "2"]),
        ("sim-sweep", ["sim", "sweep", "scenarios/erlang-b.toml", "--vary", "interconnects.trunk.channels=100,110",
                       "--days", "0.2", "--replications", "2", "--call-value", "500", "--currency", "EUR"]),
        ("sim-sweep-compare", ["sim", "sweep", "scenarios/transit-vs-direct-transit.toml",
                               "scenarios/transit-vs-direct-direct.toml", "--vary", "A:hops.transit2-small=0.97,0.99",
                               "--days", "0.3", "--replications", "2",
                               "--fail-if", "differences.completion_ratio.mean > 0.5"]),
        ("sim-sweep-compare", ["sim", "sweep", "scenarios/transit-vs-direct-transit.toml",
                               "scenarios/transit-vs-direct-direct.toml", "--days", "0.3", "--replications", "1"]),
        ("sim-sweep-compare", ["sim", "sweep", "scenarios/tracking-funnel-transit.toml",
                               "scenarios/tracking-funnel-direct.toml", "--vary", "pools.site.numbers=150,200",
                               "--days", "0.2", "--replications", "2"]),
        ("sim-run", ["sim", "run", "scenarios/tracking-funnel-direct.toml", "--days", "0.5", "--replications", "2"]),
        ("sim-compare", ["sim", "compare", "scenarios/tracking-funnel-transit.toml",
                         "scenarios/tracking-funnel-direct.toml", "--days", "0.5", "--replications", "2"]),
        ("sim-sweep", ["sim", "sweep", "scenarios/tracking-funnel-direct.toml", "--vary", "pools.site.numbers=100,200",
                       "--days", "0.2", "--replications", "2"]),
        ("cdr-stats", ["cdr", "stats", cdr, "--tz", "Europe/Moscow", "--by", "day", "--by", "outcome"]),
        ("erlang-b", ["erlang", "b", "100", "110"]),
        ("erlang-c", ["erlang", "c", "9", "10"]),
        ("erlang-engset", ["erlang", "engset", "20", "5", "0.1"]),
        ("erlang-channels", ["erlang", "channels", "100", "--max-blocking", "0.01"]),
        ("numbering-import", ["numbering", "import", os.path.join(nums, "ABC-4xx.csv"),
                              os.path.join(nums, "DEF-9xx.csv"), "--registry", reg]),
        ("numbering-lookup", ["numbering", "lookup", "89161234567", "+74951500000", "--registry", reg]),
        ("pool-init", ["pool", "init"] + db),
        ("number-add", ["number", "add", "--range", "+74951234500", "+74951234509", "--at", "2026-01-01"] + db),
        ("pool-create", ["pool", "create", "shop", "--client", "Shop", "--overflow", "+74951234509",
                         "--at", "2026-01-02"] + db),
        ("pool-allocated", ["pool", "allocate", "shop", "--count", "3", "--at", "2026-01-02"] + db),
        ("pool-returned", ["pool", "return", "shop", "+74951234502", "--at", "2026-01-02"] + db),
        ("pool-list", ["pool", "list"] + db),
        ("pool-show", ["pool", "show", "shop"] + db),
        ("pool-lease", ["pool", "lease", "shop", "--session", "s1", "--at", "2026-01-03 10:00:00"] + db),
        ("pool-attribute", ["pool", "attribute", "--called", "+74951234500", "--at", "2026-01-03 10:05:00"] + db),
        ("pool-size", ["pool", "size", "--visitors-per-hour", "200", "--visit-minutes", "3",
                       "--hold-minutes", "15"] + db),
        ("pool-check", ["pool", "size", "--pool", "shop"] + db),
        ("calls-import", ["calls", "import", os.path.join(tmp, "calls.csv")] + db),
        ("calls-list", ["calls", "list"] + db),
        ("cdr-replay", ["cdr", "replay", cdr, "--leases", os.path.join(tmp, "leases.csv")] + db),
        ("pool-report", ["pool", "report", "--at", "2026-01-04"] + db),
        ("number-list", ["number", "list"] + db),
        ("number-show", ["number", "show", "+74951234500"] + db),
        ("number-block", ["number", "block", "+74951234507", "--reason", "spam", "--at", "2026-01-03"] + db),
        ("number-retire", ["number", "retire", "+74951234508", "--at", "2026-01-03"] + db),
        ("quarantine-check", ["quarantine", "check", "--at", "2026-06-01"] + db),
        ("quarantine-release", ["quarantine", "release", "--at", "2026-06-01"] + db),
        ("quarantine-settings", ["quarantine", "settings"] + db),
    ]


def closed(schema):
    """`schema` with every object that lists its properties, and says nothing
    of others, closed to others. A definition used in an allOf stays open:
    the schema composing it adds keys of its own (cdr stats' labels) and says
    itself what else it allows (unevaluatedProperties)."""
    composed = set()

    def find(n):
        if isinstance(n, dict):
            for part in n.get("allOf", []):
                if "$ref" in part:
                    composed.add(part["$ref"].split("/")[-1])
            for v in n.values():
                find(v)
        elif isinstance(n, list):
            for v in n:
                find(v)

    def close(n, name=None):
        if isinstance(n, dict):
            n = {k: close(v, k if n is schema.get("$defs") else None) for k, v in n.items()}
            if ("properties" in n and "additionalProperties" not in n and "allOf" not in n
                    and name not in composed):
                n["additionalProperties"] = False
            return n
        if isinstance(n, list):
            return [close(v) for v in n]
        return n

    find(schema)
    return close(schema)


GATED = ("sim-run", "sim-compare", "sim-sweep", "sim-sweep-compare", "cdr-stats")


def number_paths(j, prefix=()):
    """Every path a gate can write to a number (or null) of `j`: dotted keys,
    array elements by index, and a name straight into a one-element array
    (tools/gates.cc reads `differences.completed.mean` so)."""
    if isinstance(j, dict):
        for k, v in j.items():
            yield from number_paths(v, prefix + (k,))
    elif isinstance(j, list):
        for i, v in enumerate(j):
            yield from number_paths(v, prefix + (str(i),))
        if len(j) == 1:
            for p in number_paths(j[0]):
                if not p[0].isdigit():
                    yield prefix + p
    elif j is None or (isinstance(j, (int, float)) and not isinstance(j, bool)):
        yield prefix


def gate_every_number(name, args, doc):
    """Runs the command again with a gate on every number of its output (on
    the first point's, for a sweep: gates read each point). Each must pass
    the check before the run (tools/gate_paths.cc), made against the schema
    and the options: a valid gate refused there is the worst a CI job can
    meet. Returns a failure message, or None."""
    gated = doc["points"][0] if name.startswith("sim-sweep") else doc
    paths = sorted({".".join(p) for p in number_paths(gated)
                    if p and p[0] not in ("gates", "parameters") and all("." not in s and " " not in s for s in p)})
    gates = []
    for p in paths:
        gates += ["--fail-if", p + " > 1e300"]
    r = subprocess.run([BIN] + args + ["--format", "json"] + gates, cwd=SRC, capture_output=True, text=True)
    if r.returncode not in (0, 3):  # 3: a gate on a null fails, as it should; 2 would be a refusal
        return f"telsim {' '.join(args)} with a gate on each of its {len(paths)} numbers: exit {r.returncode}: " + \
            r.stderr.strip()[-600:]
    return None


def main():
    failures = []
    used = set()
    with tempfile.TemporaryDirectory(prefix="telsim-schema-") as tmp:
        with open(os.path.join(tmp, "calls.csv"), "w") as f:
            f.write(CALLS)
        with open(os.path.join(tmp, "leases.csv"), "w") as f:
            f.write(LEASES)
        for name, args in commands(tmp):
            used.add(name)
            cmd = [BIN] + args + ["--format", "json"]
            r = subprocess.run(cmd, cwd=SRC, capture_output=True, text=True)
            shown = "telsim " + " ".join(args)
            if r.returncode not in (0, 3):
                failures.append(f"{shown}: exit {r.returncode}: {r.stderr.strip()}")
                continue
            path = os.path.join(SCHEMAS, name + ".schema.json")
            if not os.path.exists(path):
                failures.append(f"{shown}: no schema {path}")
                continue
            with open(path) as f:
                schema = json.load(f)
            try:
                doc = json.loads(r.stdout)
            except ValueError as e:
                failures.append(f"{shown}: not JSON: {e}")
                continue
            try:
                jsonschema.validators.validator_for(schema).check_schema(schema)
                jsonschema.validate(doc, schema)
                jsonschema.validate(doc, closed(schema))
            except (jsonschema.ValidationError, jsonschema.SchemaError) as e:
                failures.append(f"{shown}: not valid against {name}.schema.json: {str(e)[:600]}")
            if name in GATED:
                failure = gate_every_number(name, args, doc)
                if failure:
                    failures.append(failure)
    for f in sorted(os.listdir(SCHEMAS)):
        if f.endswith(".schema.json") and f[: -len(".schema.json")] not in used:
            failures.append(f"docs/schema/{f}: no command checks it")
    for f in failures:
        print(f, file=sys.stderr)
    print(f"{len(used)} schemas, {len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
