#pragma once
// The one way telsim writes its results: to stdout, or to the file of an
// option such as --out (or `numbering import --registry`). The rules
// (docs/cli.md, "Output and exit codes"):
//  - a write error (full disk, closed descriptor) is an error: exit 1;
//  - a reader that quit early (EPIPE, `| head -1`) is not: telsim stops
//    writing and exits 0 without a message;
//  - a new path or a regular file is replaced atomically: a temporary file in
//    the same folder, fsync, then rename, keeping the mode of the file it
//    replaces; a symbolic link gets its target written and stays a link;
//  - a FIFO, a character device, /dev/stdout or /dev/fd/N are written in
//    place, never replaced;
//  - a folder is bad input (exit 2), found before any work is done;
//  - no temporary file is left behind, also on SIGINT, SIGTERM or SIGHUP.
#include <CLI/CLI.hpp>
#include <exception>
#include <memory>
#include <string>
#include <string_view>

namespace telsim::out {

/// Thrown when the reader of stdout (or of a FIFO given as --out) has gone
/// (EPIPE). main() ends quietly with exit 0: the reader asked for no more.
struct ReaderGone : std::exception {
  const char* what() const noexcept override { return "the reader of the output has gone"; }
};

/// One destination of output, checked when made: a regular or new file gets
/// its temporary file at once (so a folder that cannot be written to is found
/// before a long run, and a signal then removes it); the bytes go there when
/// commit() is called. Destroyed without commit(), it removes the temporary
/// file and leaves the old file as it was.
class Target {
 public:
  /// `path` "" or "-" is stdout. `option` names the option in messages
  /// ("--out"). Throws InputError for a folder, a missing folder or one that
  /// cannot be written to.
  Target(const std::string& path, const std::string& option = "--out");
  ~Target();
  Target(const Target&) = delete;
  Target& operator=(const Target&) = delete;

  /// Writes `bytes` and puts the file in place. Throws std::runtime_error on a
  /// write error (exit 1), ReaderGone when a pipe's reader has gone.
  void commit(std::string_view bytes);

  /// The option that named this output ("--out", "--junit").
  const std::string& option() const { return option_; }

 private:
  enum class Kind { kFd, kInPlace, kAtomic };
  Kind kind_ = Kind::kFd;
  int fd_ = 1;            // kFd: the descriptor written to
  std::string path_;      // as given, for messages
  std::string option_;
  std::string target_;    // kInPlace, kAtomic: the file finally written (links resolved)
  std::string tmp_;       // kAtomic: the temporary file, until renamed
  int tmp_fd_ = -1;
  unsigned mode_ = 0;     // kAtomic: mode given to the file
  long long uid_ = -1, gid_ = -1;  // kAtomic: owner of the file replaced
  int slot_ = -1;         // index in the signal handler's table
  long owner_ = 0;        // pid that made the temporary file: a forked child never removes it
};

/// Installs the handlers that remove temporary files on SIGINT, SIGTERM and
/// SIGHUP (then die of the signal, as without them), and ignores SIGPIPE so
/// that a reader quitting shows as EPIPE. main() calls it first.
void install();

/// Adds `--out FILE` (or another option `name` that writes a file, such as
/// "--junit") to `cmd`, bound to `path`. The path is checked and its
/// temporary file made while the command line is read, before the command
/// runs; emit() with the same path then commits it.
CLI::Option* add_out_option(CLI::App& cmd, std::string& path, const std::string& help,
                            const std::string& name = "--out");

/// Writes `text` to stdout ("" or "-") or to `path` by the rules above.
void emit(std::string_view text, const std::string& path = "", const std::string& option = "--out");

/// Drops every Target made by add_out_option() and not committed (their
/// temporary files go). main() calls it when the command has ended.
void release_reserved();

/// Flushes what went to stdout through stdio (help texts). Throws like
/// commit() on an error.
void finish_stdout();

}  // namespace telsim::out
