// The contract a script can build on (docs/cli.md, "Output and exit codes"):
// output never lost, never misplaced; a command line that guides; shell
// completions, man page and install; no SimGrid in the commands that do not
// simulate.
#include <doctest/doctest.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <regex>
#include <thread>

#include "tests/test_util.h"

using namespace telsim;
namespace fs = std::filesystem;

namespace {

using test::has;

/// Runs a shell command line (the telsim binary is $T) with stderr captured;
/// stdout goes where the command line sends it.
test::Run sh(const std::string& command) {
  test::TempDir d;
  std::string script = d.file("cmd.sh"), err = d.file("err");
  test::write_file(script, "T=" + std::string(TELSIM_BIN) + "\n" + command + "\n");
  int status = std::system(("bash " + script + " 2>" + err).c_str());
  test::Run r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.err = test::slurp(err);
  return r;
}

// A quick command with --out that needs no database nor input file.
const std::string kPoolSize = "pool size --visitors-per-hour 200 --visit-minutes 3 --hold-minutes 15";
const std::string kErlangB = test::source("scenarios/erlang-b.toml");

std::vector<std::string> files_in(const std::string& dir) {
  std::vector<std::string> r;
  for (auto& e : fs::directory_iterator(dir)) r.push_back(e.path().filename().string());
  std::sort(r.begin(), r.end());
  return r;
}

}  // namespace

TEST_CASE("a full disk on stdout is exit 1 with a message, for every kind of command") {
  for (std::string cmd : {"sim run " + kErlangB + " --format json --replications 1 --days 0.2", std::string("erlang b 10 12"),
                          "cdr stats " + test::source("tests/fixtures/cdr/asterisk_messy.csv") + " --format json",
                          kPoolSize, std::string("--help"), std::string("erlang b --help")}) {
    CAPTURE(cmd);
    auto r = sh("$T " + cmd + " >/dev/full");
    CHECK(r.exit_code == 1);
    CHECK(has(r.err, "No space left on device"));
    // --out a character device is written in place: the same error.
    if (has(cmd, "sim run") || has(cmd, "pool size")) {
      r = sh("$T " + cmd + " --out /dev/full");
      CHECK(r.exit_code == 1);
      CHECK(has(r.err, "--out /dev/full: cannot write: No space left on device"));
    }
  }
  // A closed stdout is no reader quitting: an error too.
  auto r = sh("$T erlang b 10 12 >&-");
  CHECK(r.exit_code == 1);
  CHECK(has(r.err, "stdout"));
  // With stderr closed too there is no one to tell, but the exit code still
  // says it: 1, as a failure, and 2 for bad input (the message could not be
  // written: it ended in abort, 134).
  CHECK(sh("$T erlang b 10 12 >&- 2>&-").exit_code == 1);
  CHECK(sh("$T erlang b 10 x >&- 2>&-").exit_code == 2);
  CHECK(sh("$T pool list --db /nonexistent/t.db >&- 2>&-").exit_code == 2);
}

TEST_CASE("a reader that quits early is no error: exit 0, nothing on stderr") {
  // The reader (true) is gone before telsim writes: EPIPE, not a SIGPIPE death.
  auto r = sh("set -o pipefail; (sleep 0.3; exec $T erlang b 10 12) | true");
  CHECK(r.exit_code == 0);
  CHECK(r.err.empty());
}

TEST_CASE("--out into a FIFO: the reader gets the bytes and the FIFO stays a FIFO") {
  test::TempDir d;
  std::string fifo = d.file("fifo");
  REQUIRE(mkfifo(fifo.c_str(), 0600) == 0);
  auto r = sh("cat " + fifo + " >" + d.file("got") + " & $T " + kPoolSize + " --format json --out " + fifo + "; wait");
  CHECK(r.exit_code == 0);
  struct stat st;
  REQUIRE(lstat(fifo.c_str(), &st) == 0);
  CHECK(S_ISFIFO(st.st_mode));
  auto direct = test::telsim(kPoolSize + " --format json");
  CHECK(direct.out.size() > 100);
  CHECK(test::slurp(d.file("got")) == direct.out);
  CHECK(files_in(d.path()) == std::vector<std::string>{"fifo", "got"});
}

TEST_CASE("--out a symbolic link: its target is replaced, the link stays a link") {
  test::TempDir d;
  fs::create_directory(d.file("data"));
  test::write_file(d.file("data/report.json"), "old\n");
  fs::create_symlink("data/report.json", d.file("latest.json"));  // relative, as ln -s makes them
  auto r = test::telsim(kPoolSize + " --format json --out " + d.file("latest.json"));
  CHECK(r.exit_code == 0);
  CHECK(fs::is_symlink(d.file("latest.json")));
  CHECK(fs::read_symlink(d.file("latest.json")) == "data/report.json");
  CHECK(test::slurp(d.file("data/report.json")) == test::telsim(kPoolSize + " --format json").out);
  CHECK(files_in(d.path()) == std::vector<std::string>{"data", "latest.json"});
  CHECK(files_in(d.file("data")) == std::vector<std::string>{"report.json"});
  // A dangling link gets its target created.
  fs::create_symlink("data/new.csv", d.file("new.csv"));
  CHECK(test::telsim(kPoolSize + " --format csv --out " + d.file("new.csv")).exit_code == 0);
  CHECK(fs::is_symlink(d.file("new.csv")));
  CHECK(has(test::slurp(d.file("data/new.csv")), "visitors_per_hour"));
}

TEST_CASE("--out replaces a regular file atomically and keeps its mode; a new file gets the umask's") {
  test::TempDir d;
  std::string f = d.file("out.json");
  test::write_file(f, "old");
  fs::permissions(f, fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read);  // 0640
  ino_t before = fs::status(f).type() == fs::file_type::regular ? [&] {
    struct stat st;
    stat(f.c_str(), &st);
    return st.st_ino;
  }() : 0;
  CHECK(test::telsim(kPoolSize + " --format json --out " + f).exit_code == 0);
  struct stat st;
  REQUIRE(stat(f.c_str(), &st) == 0);
  CHECK((st.st_mode & 07777) == 0640);
  CHECK(st.st_ino != before);  // a new file renamed into place, not the old one rewritten
  CHECK(has(test::slurp(f), "\"numbers\""));
  mode_t mask = umask(022);
  umask(mask);
  std::string g = d.file("new.json");
  CHECK(test::telsim(kPoolSize + " --out " + g).exit_code == 0);
  REQUIRE(stat(g.c_str(), &st) == 0);
  CHECK((st.st_mode & 07777) == (0666 & ~mask));
  // --out /dev/stdout is the descriptor the shell opened, never replaced.
  auto r = sh("$T " + kPoolSize + " --out /dev/stdout >>" + f);
  CHECK(r.exit_code == 0);
  CHECK(fs::is_regular_file(f));
  std::string twice = test::slurp(f);
  CHECK(twice.find("\"numbers\"") != twice.rfind("numbers"));  // appended after the JSON, not replacing it
}

TEST_CASE("--out a folder or in a missing folder is exit 2 before any work, nothing written") {
  test::TempDir d;
  auto r = test::telsim("sim run " + kErlangB + " --days 0.2 --replications 1 --out " + d.path());
  CHECK(r.exit_code == 2);
  CHECK(has(r.err, "--out " + d.path() + ": is a folder"));
  CHECK(r.out.empty());
  CHECK(files_in(d.path()).empty());
  r = test::telsim(kPoolSize + " --out " + d.file("no/such/x.json"));
  CHECK(r.exit_code == 2);
  CHECK(has(r.err, "does not exist"));
  // The pool database is not touched when --out is wrong: the check comes first.
  r = test::telsim("pool init --db " + d.file("t.db") + " --out " + d.path());
  CHECK(r.exit_code == 2);
  CHECK_FALSE(fs::exists(d.file("t.db")));
  // numbering import --registry follows the same rules.
  r = test::telsim("numbering import " + test::source("tests/fixtures/numbering/DEF-9xx.csv") + " --registry " + d.path());
  CHECK(r.exit_code == 2);
  CHECK(has(r.err, "--registry " + d.path() + ": is a folder"));
  r = test::telsim("numbering import " + test::source("tests/fixtures/numbering/DEF-9xx.csv") + " --registry /dev/full");
  CHECK(r.exit_code == 1);
  CHECK(files_in(d.path()).empty());
}

TEST_CASE("numbering import --registry replaces the registry atomically, keeping its mode") {
  test::TempDir d;
  std::string reg = d.file("n.reg");
  test::write_file(reg, "old");
  fs::permissions(reg, fs::perms::owner_read | fs::perms::owner_write);  // 0600
  auto r = test::telsim("numbering import " + test::source("tests/fixtures/numbering/DEF-9xx.csv") + " --registry " + reg);
  CHECK(r.exit_code == 0);
  struct stat st;
  REQUIRE(stat(reg.c_str(), &st) == 0);
  CHECK((st.st_mode & 07777) == 0600);
  CHECK(test::telsim("numbering lookup +79161234567 --registry " + reg).exit_code == 0);
  // A failed import leaves the old registry and no temporary file.
  std::string before = test::slurp(reg);
  r = test::telsim("numbering import " + test::source("tests/fixtures/numbering/ABC-4xx.csv") + " --strict --registry " + reg);
  CHECK(r.exit_code == 2);
  CHECK(test::slurp(reg) == before);
  CHECK(files_in(d.path()) == std::vector<std::string>{"n.reg"});
}

TEST_CASE("a run interrupted by SIGTERM or SIGINT leaves no temporary file") {
  for (int sig : {SIGTERM, SIGINT}) {
    CAPTURE(sig);
    test::TempDir d;
    std::string out = d.file("run.json");
    test::write_file(out, "previous run\n");
    pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      setpgid(0, 0);  // its own group: the test kills the workers too when done
      signal(SIGINT, SIG_DFL);
      signal(SIGTERM, SIG_DFL);
      freopen("/dev/null", "w", stderr);
      std::string scenario = test::source("scenarios/article-operator.toml");
      execl(TELSIM_BIN, "telsim", "sim", "run", scenario.c_str(), "--days", "3000", "--replications", "2", "--jobs", "1",
            "--format", "json", "--out", out.c_str(), static_cast<char*>(nullptr));
      _exit(127);
    }
    // Wait for the temporary file: the run is under way.
    bool started = false;
    for (int i = 0; i < 200 && !started; ++i) {
      for (auto& f : files_in(d.path())) started = started || has(f, ".tmp-");
      if (!started) std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
    CHECK(started);
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    kill(pid, sig);
    int status = 0;
    waitpid(pid, &status, 0);
    kill(-pid, SIGKILL);  // workers, should any outlive their parent
    CHECK(WIFSIGNALED(status));
    CHECK(WTERMSIG(status) == sig);
    CHECK(files_in(d.path()) == std::vector<std::string>{"run.json"});
    CHECK(test::slurp(out) == "previous run\n");
  }
}

TEST_CASE("a mistyped noun or verb gets 'did you mean'; bare telsim and telsim NOUN list the choices") {
  auto r = test::telsim("simm run x.toml");
  CHECK(r.exit_code == 2);
  CHECK(has(r.err, "'simm' is not a telsim command; did you mean 'sim'?"));
  r = test::telsim("erlnag b 10 12");
  CHECK(r.exit_code == 2);
  CHECK(has(r.err, "did you mean 'erlang'?"));
  r = test::telsim("erlang engest 20 5 0.1");
  CHECK(r.exit_code == 2);
  CHECK(has(r.err, "'engest' is not a verb of 'telsim erlang'; did you mean 'engset'?"));
  r = test::telsim("pool alocate shop");
  CHECK(has(r.err, "did you mean 'allocate'?"));
  r = test::telsim("frobnicate");
  CHECK(r.exit_code == 2);
  CHECK(has(r.err, "the choices are:"));

  r = test::telsim("");
  CHECK(r.exit_code == 2);
  CHECK(r.out.empty());
  for (const char* noun : {"sim", "erlang", "pool", "number", "calls", "quarantine", "cdr", "numbering"})
    CHECK(std::regex_search(r.err, std::regex(std::string("\n  ") + noun + " +[A-Z][^\n]+\n")));
  CHECK_FALSE(has(r.err, "completion"));  // hidden
  r = test::telsim("erlang");
  CHECK(r.exit_code == 2);
  CHECK(std::regex_search(r.err, std::regex("\n  engset +Call congestion with finite sources\n")));
  r = test::telsim("sim");  // through telsim-sim
  CHECK(r.exit_code == 2);
  CHECK(std::regex_search(r.err, std::regex("\n  compare +")));
}

TEST_CASE("a mistyped option is named, with the nearest options, before anything runs") {
  // With one positional argument CLI11 took the option for a value:
  // "SCENARIO: At Most 1 required but received 2", "SCENARIO is required".
  auto r = test::telsim("sim run scenarios/erlang-b.toml --replication 2");
  CHECK(r.exit_code == 2);
  CHECK(r.out.empty());
  CHECK(r.err == "telsim sim run: '--replication' is not an option of 'telsim sim run'; did you mean '--replications'?\n");
  r = test::telsim("sim run --hlep");
  CHECK(r.exit_code == 2);
  CHECK(has(r.err, "'--hlep' is not an option of 'telsim sim run'; did you mean '--help'?"));
  r = test::telsim("number block +74951234500 --reson=fraud");
  CHECK(r.exit_code == 2);
  CHECK(has(r.err, "'--reson' is not an option of 'telsim number block'; did you mean '--reason'?"));
  r = test::telsim("report x.json --formt md");  // a command without verbs
  CHECK(r.exit_code == 2);
  CHECK(r.err == "telsim report: '--formt' is not an option of 'telsim report'; did you mean '--format'?\n");
  r = test::telsim("erlang b 10 12 --zzzzzzzz");
  CHECK(r.exit_code == 2);
  CHECK(has(r.err, "'--zzzzzzzz' is not an option of 'telsim erlang b'; see 'telsim erlang b --help'"));
  // A value that looks like an option is the option's value, as CLI11 reads it.
  r = test::telsim("number block +74951234500 --reason --fraud");
  CHECK_FALSE(has(r.err, "is not an option"));
  r = test::telsim("number block +74951234500 --reason '--- see ticket'");
  CHECK_FALSE(has(r.err, "is not an option"));
  // Hidden old spellings are accepted, not suggested.
  r = test::telsim("sim run scenarios/erlang-b.toml --numberin x");
  CHECK(r.exit_code == 2);
  CHECK(has(r.err, "'--numberin' is not an option of 'telsim sim run'"));
  CHECK_FALSE(has(r.err, "'--numbering'"));
  // A huge mistyped option is quoted cut.
  r = test::telsim("erlang b 10 12 --" + std::string(5000, 'x'));
  CHECK(r.exit_code == 2);
  CHECK(r.err.size() < 600);
  // Known options in both spellings, and a value after "--" that looks like one.
  r = test::telsim("erlang b --format=json 10 12");
  CHECK(r.exit_code == 0);
  r = test::telsim("erlang b 10 -- --12");
  CHECK(r.exit_code == 2);
  CHECK_FALSE(has(r.err, "is not an option"));
}

TEST_CASE("usage lines say telsim and the examples in the help name the command they are in") {
  auto r = test::telsim("erlang engset --help");
  CHECK(r.exit_code == 0);
  CHECK(has(r.out, "Usage: telsim erlang engset [OPTIONS] N C BETA"));
  CHECK(has(r.out, "telsim erlang engset 20 5 0.1"));
  CHECK(has(test::telsim("sim run --help").out, "Usage: telsim sim run"));
  // Commands that take several files say so ("FILE ...", not "TEXT x 2").
  std::string help = test::telsim("sim compare --help").out;
  CHECK(has(help, "Usage: telsim sim compare [OPTIONS] SCENARIOS..."));
  CHECK(has(help, "SCENARIOS FILE ... REQUIRED"));
  CHECK(has(test::telsim("sim sweep --help").out, "SCENARIOS..."));
  CHECK(has(test::telsim("report --help").out, "Usage: telsim report [OPTIONS] INPUT..."));
  // Every "telsim A B" in a verb's description is `telsim NOUN VERB` of that verb.
  std::string man = test::telsim("man").out;
  std::regex item(R"(\.B telsim (\S+) (\S+)[^\n]*\n([^.][^\n]*\n)*)");
  int verbs = 0;
  for (auto it = std::sregex_iterator(man.begin(), man.end(), item); it != std::sregex_iterator(); ++it) {
    ++verbs;
    std::string noun = (*it)[1], verb = (*it)[2], text = it->str();
    std::regex example(R"(telsim (\S+) (\S+))");
    for (auto e = std::sregex_iterator(text.begin(), text.end(), example); e != std::sregex_iterator(); ++e) {
      CAPTURE(text);
      CHECK((*e)[1] == noun);
      CHECK((*e)[2] == verb);
    }
  }
  CHECK(verbs > 25);
  // Every example parses as written: run in an empty folder (the files it
  // names are missing, so most stop at exit 2), none may be refused by the
  // parser. The simulator's examples run long; the check above covers them.
  std::regex line(R"((?:: |\n  )telsim ([^\n]+))");
  int examples = 0;
  for (auto it = std::sregex_iterator(man.begin(), man.end(), line); it != std::sregex_iterator(); ++it) {
    std::string ex = std::regex_replace(std::regex_replace((*it)[1].str(), std::regex(R"(\\-)"), "-"),
                                        std::regex(R"(\\&)"), "");
    if (ex.rfind("sim ", 0) == 0) continue;
    ++examples;
    CAPTURE(ex);
    test::TempDir d;
    auto r = test::telsim(ex, "cd " + d.path() + " && TELSIM_DB= TELSIM_REGISTRY=");
    CHECK_FALSE(has(r.err, "Run with --help"));
    CHECK_FALSE(has(r.err, "did you mean"));
    CHECK_FALSE(has(r.err, "is not a"));
  }
  CHECK(examples > 25);
  // The examples that need no files run as written.
  for (const char* ex : {"erlang b 100 110", "erlang c 8 10", "erlang engset 20 5 0.1",
                         "erlang channels 100 --max-blocking 0.01",
                         "pool size --visitors-per-hour 200 --visit-minutes 3 --hold-minutes 15 --max-overflow 0.01"}) {
    CAPTURE(ex);
    CHECK(has(man, std::regex_replace(std::string("telsim ") + ex, std::regex("-"), "\\-")));
    CHECK(test::telsim(ex).exit_code == 0);
  }
}

TEST_CASE("numbers given as options: NaN, infinity, out of range are exit 2 with a short message naming the option") {
  struct Case {
    std::string args, option;
  };
  std::string run = "sim run " + kErlangB + " ";
  for (const Case& c : std::vector<Case>{{run + "--days inf", "--days"},
                                         {run + "--days nan", "--days"},
                                         {run + "--days -1", "--days"},
                                         {run + "--days 0", "--days"},
                                         {run + "--replications 0", "--replications"},
                                         {run + "--replications 2.5", "--replications"},
                                         {run + "--seed -3", "--seed"},
                                         {run + "--jobs 100000", "--jobs"},
                                         {"erlang b nan 10", "A"},
                                         {"erlang b 10 inf", "C"},
                                         {"erlang c 8 0", "C"},
                                         {"erlang channels 10 --max-blocking 2", "--max-blocking"},
                                         {"erlang channels 10 --max-blocking -inf", "--max-blocking"},
                                         {"pool size --visitors-per-hour -5 --visit-minutes 3 --hold-minutes 1",
                                          "--visitors-per-hour"},
                                         {"pool create shop --hold-minutes nan", "--hold-minutes"},
                                         {"calls list --limit -1", "--limit"},
                                         {"quarantine settings --min-days -1", "--min-days"},
                                         {"cdr stats x.csv --threads 0", "--threads"},
                                         {"cdr stats x.csv --window 1e9", "--window"}}) {
    CAPTURE(c.args);
    auto r = test::telsim(c.args);
    CHECK(r.exit_code == 2);
    CHECK(has(r.err, c.option + ": "));
    CHECK_FALSE(std::regex_search(r.err, std::regex("[0-9]{12}")));  // no DBL_MAX and friends
    CHECK(r.err.size() < 200);
  }
}

TEST_CASE("the commands that do not simulate do not load SimGrid, nor libphonenumber until a number is read") {
  auto r = test::telsim("erlang b 10 12", "LD_DEBUG=libs");
  CHECK(r.exit_code == 0);
  CHECK(has(r.err, "libsqlite3"));  // LD_DEBUG works here: it lists what is loaded
  CHECK_FALSE(has(r.err, "libsimgrid"));
  CHECK_FALSE(has(r.err, "libphonenumber"));  // loaded on first use (core/phone/module)
  r = test::telsim("sim run " + kErlangB + " --days 0.2 --replications 1", "LD_DEBUG=libs");
  CHECK(r.exit_code == 0);
  CHECK(has(r.err, "libsimgrid"));
}

TEST_CASE("bash completion completes nouns, verbs and options") {
  std::string script = std::string(TELSIM_BUILD_DIR) + "/share/telsim.bash";
  auto complete = [&](const std::string& words, int cword) {
    test::TempDir d;
    sh("source " + script + "; COMP_WORDS=(" + words + "); COMP_CWORD=" + std::to_string(cword) +
       "; _telsim; echo \"${COMPREPLY[*]}\" >" + d.file("got"));
    return test::slurp(d.file("got"));
  };
  CHECK(complete("telsim po", 1) == "pool\n");
  CHECK(complete("telsim erlang en", 2) == "engset\n");
  CHECK(complete("telsim sim run x.toml --repl", 4) == "--replications\n");
  CHECK(complete("telsim cdr stats --fo", 3) == "--format\n");
  CHECK(complete("telsim cdr stats --fa", 3) == "--fail-if\n");
  std::string zsh = test::slurp(std::string(TELSIM_BUILD_DIR) + "/share/_telsim");
  CHECK(has(zsh, "#compdef telsim"));
  CHECK(has(zsh, "'--traffic-from-cdr:"));
}

TEST_CASE("cmake --install puts telsim, telsim-sim, completions and the man page in place, and they work") {
  test::TempDir d;
  auto r = sh(std::string(TELSIM_CMAKE) + " --install " + TELSIM_BUILD_DIR + " --prefix " + d.path() + " >/dev/null");
  REQUIRE(r.exit_code == 0);
  for (const char* f : {"bin/telsim", "libexec/telsim-sim", "lib/telsim/telsim_phonenumber.so", "share/bash-completion/completions/telsim",
                        "share/zsh/site-functions/_telsim", "share/man/man1/telsim.1"}) {
    CAPTURE(f);
    CHECK(fs::exists(d.file(f)));
  }
  // The installed telsim finds its simulator in libexec.
  test::TempDir out;
  r = sh(d.file("bin/telsim") + " sim run " + kErlangB + " --days 0.2 --replications 1 >" + out.file("o"));
  CHECK(r.exit_code == 0);
  CHECK(has(test::slurp(out.file("o")), "completion"));
  CHECK(has(test::slurp(d.file("share/man/man1/telsim.1")), ".SH EXIT STATUS"));
  // ... and its phone number module in lib/telsim.
  r = sh(d.file("bin/telsim") + " numbering lookup 89161234567 --registry /nonexistent 2>&1 | grep -q 'cannot open'");
  CHECK(r.exit_code == 0);
  test::TempDir db;
  r = sh(d.file("bin/telsim") + " pool init --db " + db.file("t.db") + " >/dev/null && " + d.file("bin/telsim") +
         " number add +74951234500 --db " + db.file("t.db") + " >/dev/null");
  CHECK(r.exit_code == 0);
  CHECK(r.err.empty());
}
