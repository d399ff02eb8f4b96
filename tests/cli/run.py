#!/usr/bin/env python3
"""Runs the executable examples of tests/cli/*.cli and checks the docs against them.

  tests/cli/run.py --telsim build/telsim            check everything (what ctest runs)
  tests/cli/run.py --telsim build/telsim --update   rewrite the expected outputs from the
                                                   binary, then the docs from the examples
  ... FILE.cli ...                                 only these example files (docs unchecked)

The format of a .cli file and of the marks in the docs is described in tests/cli/README.md.
Exit 0: everything matches; 1: something differs (a unified diff says what); 2: a file is
malformed (a message says where).
"""

import argparse
import concurrent.futures
import difflib
import os
import re
import shutil
import subprocess
import sys
import tempfile

CASE_HEADER = "== "
COMMAND = "$ "
CONTINUATION = "> "
STDERR = "! "
NO_EOL_OUT = "[stdout: no newline at end]"
NO_EOL_ERR = "[stderr: no newline at end]"
COMMAND_TIMEOUT = 300  # seconds; a hang fails the case instead of the whole suite
DOC_MARK_RE = re.compile(r"^<!--\s*(cli|file|not-run):\s*(.*?)\s*-->\s*$")
FENCE_RE = re.compile(r"^ {0,3}(```+|~~~+)")


class Malformed(Exception):
    """A .cli file or a doc that the runner cannot read: the message says where."""


# ---------------------------------------------------------------------------
# .cli files


class Command:
    def __init__(self, line, text, expected):
        self.line = line  # 1-based line of the "$ " line
        self.text = text  # the shell text, continuation lines joined by newlines
        self.source = []  # the command lines as written ("$ ..." and "> ...")
        self.expected = expected  # the expected block as written (lines, no newlines)


class Case:
    def __init__(self, name, line):
        self.name = name
        self.line = line
        self.comments = []  # "#" lines before the first command
        self.commands = []

    def transcript(self):
        """The case as the docs quote it: command lines and their outputs."""
        lines = []
        for i, c in enumerate(self.commands):
            lines += ([""] if i else []) + c.source + c.expected
        return "\n".join(lines) + "\n"


class CliFile:
    def __init__(self, path):
        self.path = path
        self.preamble = []
        self.cases = []

    def case(self, name):
        for c in self.cases:
            if c.name == name:
                return c
        return None


def parse_cli(path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    if text and not text.endswith("\n"):
        text += "\n"
    lines = text.split("\n")[:-1]
    cli = CliFile(path)
    # Split into the preamble and the cases' bodies.
    bodies = []
    for i, line in enumerate(lines, 1):
        if line.startswith(CASE_HEADER):
            name = line[len(CASE_HEADER):].strip()
            if not name:
                raise Malformed(f"{path}:{i}: a case needs a name after '=='")
            if any(c.name == name for c in cli.cases):
                raise Malformed(f"{path}:{i}: case '{name}' is defined twice")
            cli.cases.append(Case(name, i))
            bodies.append([])
        elif cli.cases:
            bodies[-1].append((i, line))
        else:
            cli.preamble.append(line)
    for case, body in zip(cli.cases, bodies):
        # One blank line separates cases; it belongs to no output.
        if case is not cli.cases[-1] and body and body[-1][1] == "":
            body.pop()
        k = 0
        while k < len(body) and not body[k][1].startswith(COMMAND):
            n, line = body[k]
            if line.strip() and not line.startswith("#"):
                raise Malformed(f"{path}:{n}: expected a '# comment' or a '$ command' before output")
            case.comments.append(line)
            k += 1
        if k == len(body):
            raise Malformed(f"{path}:{case.line}: case '{case.name}' has no command")
        while k < len(body):
            n, line = body[k]
            cmd = Command(n, line[len(COMMAND):], [])
            cmd.source.append(line)
            k += 1
            # Continuations: "> " lines, or the line after one ending in a backslash.
            while k < len(body) and (body[k][1].startswith(CONTINUATION) or cmd.source[-1].endswith("\\")):
                cont = body[k][1]
                cmd.source.append(cont)
                cmd.text += "\n" + (cont[len(CONTINUATION):] if cont.startswith(CONTINUATION) else cont)
                k += 1
            while k < len(body) and not body[k][1].startswith(COMMAND):
                cmd.expected.append(body[k][1])
                k += 1
            # One blank line separates a command's output from the next command.
            if k < len(body) and cmd.expected and cmd.expected[-1] == "":
                cmd.expected.pop()
            case.commands.append(cmd)
    return cli


def render(stdout, stderr, code):
    """The expected block of a command's result: stdout verbatim, '! ' stderr, [exit N]."""
    lines = []
    if stdout:
        lines += stdout.split("\n")
        if stdout.endswith("\n"):
            lines.pop()
        else:
            lines.append(NO_EOL_OUT)
    if stderr:
        err = stderr.split("\n")
        if stderr.endswith("\n"):
            err.pop()
        lines += [STDERR + l if l else "!" for l in err]
        if not stderr.endswith("\n"):
            lines.append(NO_EOL_ERR)
    if code != 0:
        lines.append(f"[exit {code}]")
    return lines


def representable(lines):
    """Whether a rendered block reads back as itself (no line that looks like syntax)."""
    for i, l in enumerate(lines):
        if l.startswith(COMMAND) or l.startswith(CASE_HEADER):
            return False
        if i == 0 and l.startswith(CONTINUATION):
            return False
    return True


def write_cli(cli):
    """Writes the file back in its canonical layout, if that changes it."""
    out = list(cli.preamble)
    for i, case in enumerate(cli.cases):
        if i > 0:
            out.append("")
        out.append(CASE_HEADER + case.name)
        out += case.comments
        out += case.transcript().split("\n")[:-1]
    text = "\n".join(out) + "\n"
    with open(cli.path, encoding="utf-8") as f:
        if f.read() == text:
            return
    with open(cli.path, "w", encoding="utf-8") as f:
        f.write(text)


# The warning AddressSanitizer prints once per process when code on one of
# SimGrid's actor stacks throws (docs/reliability.md, "Sanitizers"): dropped
# from stderr with --sanitized, exactly as tests/test_util.h drops it.
ASAN_STACK_WARNING = re.compile(
    rb"^==[0-9]+==WARNING: ASan is ignoring requested __asan_handle_no_return: [^\n]*\n"
    rb"False positive error reports may follow\n"
    rb"For details see https://github.com/google/sanitizers/issues/189\n", re.M)
drop_asan_stack_warning = False


def run_command(text, cwd, env):
    """Runs one command line; returns (stdout, stderr, exit code) as bytes, bytes, int.

    The command gets its own process group, so a timeout also ends what it started
    (telsim's replication workers), not only bash."""
    p = subprocess.Popen(["bash", "-o", "pipefail", "-c", text], cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    try:
        out, err = p.communicate(timeout=COMMAND_TIMEOUT)
        if drop_asan_stack_warning:
            err = ASAN_STACK_WARNING.sub(b"", err)
        return out, err, p.returncode
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, 9)
        p.communicate()
        return b"", f"run.py: timed out after {COMMAND_TIMEOUT} s\n".encode(), 124


def run_file(cli, telsim, source, update):
    """Runs every command of one file in order, in a fresh directory.

    Returns (messages, refused): a diff per command whose result differs (with update:
    what was updated), and how many results update could not write."""
    messages = []
    refused = 0
    tmp = tempfile.mkdtemp(prefix="telsim-cli-")
    try:
        work = os.path.join(tmp, "work")
        bindir = os.path.join(tmp, "bin")
        os.makedirs(os.path.join(work, "tests"))
        os.makedirs(bindir)
        # `telsim` on PATH is the binary under test, called by that name (usage lines say it).
        os.symlink(os.path.abspath(telsim), os.path.join(bindir, "telsim"))
        # Paths in examples read as from the top of the source tree, and nothing is written there.
        os.symlink(os.path.join(source, "scenarios"), os.path.join(work, "scenarios"))
        for sub in ("fixtures", "cli"):
            os.symlink(os.path.join(source, "tests", sub), os.path.join(work, "tests", sub))
        env = {k: v for k, v in os.environ.items() if not k.startswith("TELSIM_")}
        env.update(PATH=bindir + os.pathsep + env.get("PATH", "/usr/bin:/bin"), TELSIM_DB="telsim.db",
                   SRC=source, TZ="UTC", LC_ALL="C.UTF-8", LANG="C.UTF-8", COLUMNS="80")
        env.pop("TERM", None)
        real_work = os.path.realpath(work)
        for case in cli.cases:
            for cmd in case.commands:
                out, err, code = run_command(cmd.text, work, env)
                out = out.decode("utf-8", "backslashreplace")
                err = err.decode("utf-8", "backslashreplace")
                for real, shown in ((real_work, "$PWD"), (work, "$PWD"), (source, "$SRC")):
                    out = out.replace(real, shown)
                    err = err.replace(real, shown)
                actual = render(out, err, code)
                if actual == cmd.expected:
                    continue
                where = f"{os.path.relpath(cli.path, source)}:{cmd.line}"
                if update:
                    if not representable(actual):
                        messages.append(f"{where}: the output has a line that reads as syntax "
                                        f"('$ ', '== ' or a leading '> '); not updated")
                        refused += 1
                        continue
                    cmd.expected = actual
                    messages.append(f"{where}: updated ({case.name})")
                else:
                    diff = difflib.unified_diff([l + "\n" for l in cmd.expected], [l + "\n" for l in actual],
                                                f"{where} expected", f"{where} actual", lineterm="\n")
                    messages.append(f"{where}: case '{case.name}': $ {cmd.text}\n" + "".join(diff))
        if update:
            write_cli(cli)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return messages, refused


# ---------------------------------------------------------------------------
# docs


def doc_blocks(path):
    """Yields (lines, mark, start, end) for every fenced code block of a Markdown file:
    the file's lines, the match of the mark on the line above the opening fence (None
    when there is none), and the 0-based lines of the opening and the closing fence."""
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    i = 0
    marks_used = set()
    while i < len(lines):
        m = FENCE_RE.match(lines[i])
        if m:
            fence = m.group(1)
            start = i
            j = i + 1
            closing = re.compile(r" {0,3}" + re.escape(fence[0]) + "{%d,}\\s*" % len(fence))
            while j < len(lines) and not closing.fullmatch(lines[j]):
                j += 1
            if j == len(lines):
                raise Malformed(f"{path}:{start + 1}: code block never closed")
            mark = DOC_MARK_RE.match(lines[start - 1]) if start > 0 else None
            if mark:
                marks_used.add(start - 1)
            yield lines, mark, start, j
            i = j + 1
            continue
        i += 1
    for n, line in enumerate(lines):
        if DOC_MARK_RE.match(line) and n not in marks_used:
            raise Malformed(f"{path}:{n + 1}: a mark must sit on the line right above a code block")


def check_docs(docs, clis, source, update):
    """Every code block of the docs is an example quoted from tests/cli (cli:), a file of the
    tree (file:), or says why it is not run (not-run:). Returns messages of what differs;
    with update, rewrites the quoted blocks instead."""
    messages = []
    for path in docs:
        rel = os.path.relpath(path, source)
        blocks = list(doc_blocks(path))
        lines = blocks[0][0] if blocks else None
        file_messages, edits = [], []
        for _, mark, start, end in blocks:
            body = "\n".join(lines[start + 1:end]) + "\n" if end > start + 1 else ""
            where = f"{rel}:{start + 1}"
            if mark is None:
                file_messages.append(f"{where}: code block without a mark; put <!-- cli: tests/cli/FILE.cli#CASE -->, "
                                     f"<!-- file: PATH --> or <!-- not-run: why --> on the line above it")
                continue
            kind, arg = mark.group(1), mark.group(2)
            if kind == "not-run":
                if not arg:
                    file_messages.append(f"{where}: not-run needs a reason: <!-- not-run: why -->")
                continue
            if kind == "cli":
                file_part, _, case_name = arg.partition("#")
                cli = clis.get(os.path.normpath(os.path.join(source, file_part)))
                case = cli.case(case_name) if cli else None
                if case is None:
                    file_messages.append(f"{where}: no case '{case_name}' in example file {file_part}")
                    continue
                want = case.transcript()
            else:
                target = os.path.join(source, arg)
                if not os.path.isfile(target):
                    file_messages.append(f"{where}: no file {arg}")
                    continue
                with open(target, encoding="utf-8") as f:
                    want = f.read()
            if body == want:
                continue
            if update:
                edits.append((start, end, want))
                file_messages.append(f"{where}: updated from {arg}")
            else:
                diff = difflib.unified_diff(body.splitlines(True), want.splitlines(True), f"{where} (the doc)",
                                            f"{arg} (the example)")
                file_messages.append(f"{where}: differs from {arg}\n" + "".join(diff))
        # Rewrite from the last block up, so earlier blocks keep their line numbers.
        for start, end, want in reversed(edits):
            lines[start + 1:end] = want.rstrip("\n").split("\n")
        if edits:
            with open(path, "w", encoding="utf-8") as f:
                f.write("\n".join(lines))
        messages += file_messages
    return messages


# ---------------------------------------------------------------------------
# coverage: every verb of the binary has an example


def subcommands(telsim, args):
    p = subprocess.run([telsim] + args + ["--help"], capture_output=True, text=True, stdin=subprocess.DEVNULL)
    names, inside = [], False
    for line in p.stdout.splitlines():
        if line.strip().startswith("Subcommands:") or line.strip() == "SUBCOMMANDS:":
            inside = True
        elif inside and re.match(r"^  \S", line):
            names.append(line.split()[0])
        elif inside and line.startswith("   "):
            pass  # a description continued on the next line
        elif inside and line.strip():
            inside = False
    return names


def check_coverage(telsim, clis):
    shown = set()
    for cli in clis.values():
        for case in cli.cases:
            for cmd in case.commands:
                for m in re.finditer(r"\btelsim\s+([a-z][a-z-]*)\s+([a-z][a-z-]*)", cmd.text):
                    shown.add((m.group(1), m.group(2)))
    nouns = subcommands(telsim, [])
    if not nouns:
        return ["telsim --help lists no subcommands: cannot check that every verb has an example"]
    missing = [f"telsim {n} {v}" for n in nouns for v in subcommands(telsim, [n]) if (n, v) not in shown]
    return [f"no example in tests/cli runs `{m}`: add one" for m in missing]


# ---------------------------------------------------------------------------


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--telsim", default=os.path.join(here, "..", "..", "build", "telsim"), help="binary under test")
    ap.add_argument("--source", default=os.path.join(here, "..", ".."), help="top of the source tree")
    ap.add_argument("--update", action="store_true", help="rewrite expected outputs and doc examples")
    ap.add_argument("--jobs", type=int, default=2, help="example files run at once (default 2)")
    ap.add_argument("--sanitized", action="store_true",
                    help="the binary is an AddressSanitizer build: drop its SimGrid stack warning from stderr")
    ap.add_argument("files", nargs="*", help="only these .cli files (the docs are then not checked)")
    a = ap.parse_args()
    global drop_asan_stack_warning
    drop_asan_stack_warning = a.sanitized
    source = os.path.realpath(a.source)
    if not os.access(a.telsim, os.X_OK):
        print(f"run.py: no telsim binary at {a.telsim}: build it, or give --telsim", file=sys.stderr)
        return 2
    cli_dir = os.path.join(source, "tests", "cli")
    all_paths = sorted(os.path.join(cli_dir, f) for f in os.listdir(cli_dir) if f.endswith(".cli"))
    try:
        clis = {os.path.normpath(p): parse_cli(p) for p in all_paths}
        chosen = []
        for f in a.files:
            key = os.path.normpath(os.path.realpath(f if os.path.exists(f) else os.path.join(cli_dir, f)))
            if key not in clis:
                raise Malformed(f"no example file {f} in {cli_dir}")
            chosen.append(clis[key])
        chosen = chosen or list(clis.values())
    except Malformed as e:
        print(f"run.py: {e}", file=sys.stderr)
        return 2

    failures = 0
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, a.jobs)) as pool:
        jobs = [(cli, pool.submit(run_file, cli, a.telsim, source, a.update)) for cli in chosen]
        for cli, job in jobs:
            messages, refused = job.result()
            for m in messages:
                print(m)
            failures += refused if a.update else len(messages)
    if not a.files:
        docs = [os.path.join(source, "README.md")]
        docs_dir = os.path.join(source, "docs")
        for root, _, files in sorted(os.walk(docs_dir)):
            docs += sorted(os.path.join(root, f) for f in files if f.endswith(".md"))
        try:
            messages = check_docs(docs, clis, source, a.update)
        except Malformed as e:
            print(f"run.py: {e}", file=sys.stderr)
            return 2
        for m in messages:
            print(m)
        if not a.update:
            failures += len(messages)
        for m in check_coverage(a.telsim, clis):
            print(m)
            failures += 1
    ncmd = sum(len(c.commands) for cli in chosen for c in cli.cases)
    if failures:
        print(f"run.py: {failures} difference(s) in {len(chosen)} example files ({ncmd} commands); "
              f"if the change is meant, run tests/cli/run.py --update and review git diff")
        return 1
    print(f"run.py: {len(chosen)} example files, {ncmd} commands" + ("" if a.files else ", docs and coverage")
          + (": updated where they differed" if a.update else ": all match"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
