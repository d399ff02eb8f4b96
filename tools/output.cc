#include "tools/output.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <limits.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <map>
#include <stdexcept>

#include "core/base/error.h"

namespace telsim::out {

namespace {

// ---- temporary files the signal handlers remove ----------------------------
// Fixed storage: the handler may only touch memory that is never reallocated.
constexpr int kSlots = 8;
char g_tmp[kSlots][PATH_MAX];
volatile sig_atomic_t g_used[kSlots];
// Forked simulator workers inherit the handlers: only the process that made
// a temporary file removes it.
pid_t g_owner = 0;
mode_t g_umask = 022;

extern "C" void on_fatal_signal(int sig) {
  if (getpid() == g_owner)
    for (int i = 0; i < kSlots; ++i)
      if (g_used[i]) unlink(g_tmp[i]);
  signal(sig, SIG_DFL);
  raise(sig);
}

int register_tmp(const std::string& path) {
  if (path.size() >= PATH_MAX) return -1;
  for (int i = 0; i < kSlots; ++i)
    if (!g_used[i]) {
      std::memcpy(g_tmp[i], path.c_str(), path.size() + 1);
      g_used[i] = 1;
      return i;
    }
  return -1;
}

void unregister_tmp(int slot) {
  if (slot >= 0) g_used[slot] = 0;
}

std::string errno_text(int e) { return std::strerror(e); }

// Writes all of `bytes` to `fd`; returns 0 or the errno of the failure.
int write_all(int fd, std::string_view bytes) {
  const char* p = bytes.data();
  size_t left = bytes.size();
  while (left > 0) {
    ssize_t w = ::write(fd, p, left);
    if (w < 0) {
      if (errno == EINTR) continue;
      return errno;
    }
    p += w;
    left -= static_cast<size_t>(w);
  }
  return 0;
}

// /dev/stdout, /dev/stderr, /dev/fd/N, /proc/self/fd/N: the descriptor N the
// shell opened (a pipe, a terminal, a file opened with >>), written in place.
int descriptor_path(const std::string& p) {
  if (p == "/dev/stdout") return 1;
  if (p == "/dev/stderr") return 2;
  for (const char* prefix : {"/dev/fd/", "/proc/self/fd/"}) {
    size_t n = std::strlen(prefix);
    if (p.compare(0, n, prefix) == 0 && p.size() > n && p.find_first_not_of("0123456789", n) == std::string::npos &&
        p.size() - n < 9)
      return std::stoi(p.substr(n));
  }
  return -1;
}

std::string dir_of(const std::string& p) {
  size_t s = p.rfind('/');
  if (s == std::string::npos) return ".";
  if (s == 0) return "/";
  return p.substr(0, s);
}

std::string base_of(const std::string& p) {
  size_t s = p.rfind('/');
  return s == std::string::npos ? p : p.substr(s + 1);
}

// Follows symbolic links to the file finally named (which may not exist yet:
// a dangling link gets its target created).
std::string resolve_links(const std::string& option, const std::string& path) {
  std::string p = path;
  for (int hops = 0; hops < 40; ++hops) {
    struct stat st;
    if (lstat(p.c_str(), &st) != 0 || !S_ISLNK(st.st_mode)) return p;
    std::string buf(PATH_MAX, '\0');
    ssize_t n = readlink(p.c_str(), buf.data(), buf.size());
    if (n < 0) throw InputError(fmt::format("{} {}: cannot read the link: {}", option, path, errno_text(errno)));
    buf.resize(static_cast<size_t>(n));
    p = (!buf.empty() && buf[0] == '/') ? buf : dir_of(p) + "/" + buf;
  }
  throw InputError(fmt::format("{} {}: too many levels of symbolic links", option, path));
}

[[noreturn]] void write_failed(const std::string& option, const std::string& path, int e) {
  if (e == EPIPE) throw ReaderGone();
  if (option.empty()) throw std::runtime_error(fmt::format("cannot write to stdout: {}", errno_text(e)));
  throw std::runtime_error(fmt::format("{} {}: cannot write: {}", option, path, errno_text(e)));
}

std::map<std::string, std::unique_ptr<Target>>& reserved() {
  static std::map<std::string, std::unique_ptr<Target>> r;
  return r;
}

}  // namespace

Target::Target(const std::string& path, const std::string& option) : path_(path), option_(option) {
  if (path.empty() || path == "-") return;  // stdout
  if (int fd = descriptor_path(path); fd >= 0) {
    fd_ = fd;
    return;
  }
  target_ = resolve_links(option, path);
  struct stat st;
  if (stat(target_.c_str(), &st) == 0) {
    if (S_ISDIR(st.st_mode)) throw InputError(fmt::format("{} {}: is a folder", option, path));
    if (!S_ISREG(st.st_mode)) {  // FIFO, device, socket: written in place when committed
      kind_ = Kind::kInPlace;
      return;
    }
    mode_ = st.st_mode & 07777;
    uid_ = st.st_uid;
    gid_ = st.st_gid;
  } else if (errno == ENOENT) {
    mode_ = 0666 & ~g_umask;
  } else {
    throw InputError(fmt::format("{} {}: {}", option, path, errno_text(errno)));
  }
  kind_ = Kind::kAtomic;
  std::string dir = dir_of(target_);
  struct stat dst;
  if (stat(dir.c_str(), &dst) != 0 || !S_ISDIR(dst.st_mode))
    throw InputError(fmt::format("{} {}: folder {} does not exist", option, path, dir));
  std::string tmpl = dir + "/." + base_of(target_) + ".tmp-XXXXXX";
  // Blocked signals while the name is made and registered: a signal between
  // the two would leave the file behind.
  sigset_t all, old;
  sigfillset(&all);
  sigprocmask(SIG_BLOCK, &all, &old);
  tmp_fd_ = mkostemp(tmpl.data(), O_CLOEXEC);
  int e = errno;
  if (tmp_fd_ >= 0) {
    tmp_ = tmpl;
    owner_ = getpid();
    slot_ = register_tmp(tmp_);
  }
  sigprocmask(SIG_SETMASK, &old, nullptr);
  if (tmp_fd_ < 0) throw InputError(fmt::format("{} {}: cannot write in folder {}: {}", option, path, dir, errno_text(e)));
}

Target::~Target() {
  if (tmp_fd_ >= 0) close(tmp_fd_);
  if (!tmp_.empty() && getpid() == owner_) unlink(tmp_.c_str());
  unregister_tmp(slot_);
}

void Target::commit(std::string_view bytes) {
  switch (kind_) {
    case Kind::kFd: {
      if (fd_ == 1 || fd_ == 2) std::fflush(fd_ == 1 ? stdout : stderr);
      if (int e = write_all(fd_, bytes)) write_failed(fd_ == 1 && path_.empty() ? "" : option_, path_, e);
      return;
    }
    case Kind::kInPlace: {
      int fd = open(target_.c_str(), O_WRONLY | O_CLOEXEC | O_NOCTTY);
      if (fd < 0) write_failed(option_, path_, errno);
      int e = write_all(fd, bytes);
      if (close(fd) != 0 && !e && errno != EINTR) e = errno;
      if (e) write_failed(option_, path_, e);
      return;
    }
    case Kind::kAtomic: {
      int e = write_all(tmp_fd_, bytes);
      if (!e && fsync(tmp_fd_) != 0) e = errno;
      if (!e && uid_ >= 0 && geteuid() == 0 && fchown(tmp_fd_, static_cast<uid_t>(uid_), static_cast<gid_t>(gid_)) != 0)
        e = errno;
      if (!e && fchmod(tmp_fd_, mode_) != 0) e = errno;
      int fd = tmp_fd_;
      tmp_fd_ = -1;
      if (close(fd) != 0 && !e) e = errno;
      if (!e && rename(tmp_.c_str(), target_.c_str()) != 0) e = errno;
      if (e) write_failed(option_, path_, e);  // the destructor removes the temporary file
      unregister_tmp(slot_);
      slot_ = -1;
      tmp_.clear();
      // The rename is durable once the folder is on disk too.
      int dfd = open(dir_of(target_).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
      if (dfd >= 0) {
        fsync(dfd);
        close(dfd);
      }
      return;
    }
  }
}

void install() {
  g_owner = getpid();
  g_umask = umask(022);
  umask(g_umask);
  struct sigaction sa {};
  sa.sa_handler = on_fatal_signal;
  sigemptyset(&sa.sa_mask);
  for (int sig : {SIGINT, SIGTERM, SIGHUP}) {
    struct sigaction old {};
    sigaction(sig, nullptr, &old);
    if (old.sa_handler == SIG_IGN) continue;  // e.g. nohup: keep ignoring
    sigaction(sig, &sa, nullptr);
  }
  signal(SIGPIPE, SIG_IGN);
}

CLI::Option* add_out_option(CLI::App& cmd, std::string& path, const std::string& help, const std::string& name) {
  return cmd.add_option(name, path, help)->each([name](const std::string& p) {
    auto& r = reserved();
    auto it = r.find(p);
    // Two outputs in one file: the second would silently replace the first.
    if (it != r.end() && it->second->option() != name)
      throw InputError(
          fmt::format("{} {}: also given to {}; each output needs a file of its own", name, p, it->second->option()));
    if (it == r.end()) r.emplace(p, std::make_unique<Target>(p, name));
  });
}

void emit(std::string_view text, const std::string& path, const std::string& option) {
  auto& r = reserved();
  auto it = r.find(path);
  if (it != r.end()) {
    std::unique_ptr<Target> t = std::move(it->second);
    r.erase(it);
    t->commit(text);
    return;
  }
  Target t(path, option);
  t.commit(text);
}

void release_reserved() { reserved().clear(); }

void finish_stdout() {
  errno = 0;
  if (std::fflush(stdout) != 0 || std::ferror(stdout)) write_failed("", "", errno ? errno : EIO);
}

}  // namespace telsim::out
