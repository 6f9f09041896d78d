#include "output.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <vector>

#include "reuselens/error.h"

namespace reuselens::cli {

namespace {

struct Pending {
  std::string path;  // "" = standard output
  std::string text;
};

std::vector<Pending>& pending() {
  static std::vector<Pending> queue;
  return queue;
}

[[noreturn]] void io_error(const std::string& path, const std::string& what) {
  throw_error(ErrorCode::kIo, path + ": " + what);
}

std::string errno_text() { return std::strerror(errno); }

// What writing `path` means.
struct Target {
  bool write_through = false;  // not a regular file: open and write, never replace
  std::string file;            // the regular file replaced (a link's target resolved)
  bool exists = false;
  mode_t mode = 0;
};

std::string directory_of(const std::string& file) {
  const size_t slash = file.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : file.substr(0, slash);
}

Target resolve(const std::string& path) {
  if (path.empty()) io_error("''", "an empty output path");
  Target t;
  struct stat link_info {};
  const bool present = lstat(path.c_str(), &link_info) == 0;
  struct stat info {};
  if (present && stat(path.c_str(), &info) != 0) {
    io_error(path, "a symbolic link to nothing (" + errno_text() + ")");
  }
  if (present && S_ISDIR(info.st_mode)) io_error(path, "is a directory");
  if (present && !S_ISREG(info.st_mode)) {
    t.write_through = true;
    return t;
  }
  t.exists = present;
  t.mode = present ? info.st_mode & 07777 : 0;
  t.file = path;
  if (present && S_ISLNK(link_info.st_mode)) {
    char real[PATH_MAX];
    if (!realpath(path.c_str(), real))
      io_error(path, "cannot resolve the link (" + errno_text() + ")");
    t.file = real;
  }
  return t;
}

mode_t new_file_mode() {
  const mode_t mask = umask(0);
  umask(mask);
  return 0666 & ~mask;
}

void write_all(int fd, const std::string& text, const std::string& path) {
  size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) io_error(path, "write failed (" + errno_text() + ")");
    done += static_cast<size_t>(n);
  }
}

void write_through(const std::string& path, const std::string& text) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) io_error(path, "cannot open for writing (" + errno_text() + ")");
  try {
    write_all(fd, text, path);
  } catch (...) {
    ::close(fd);
    throw;
  }
  if (::close(fd) != 0) io_error(path, "write failed (" + errno_text() + ")");
}

void replace_atomically(const Target& t, const std::string& path, const std::string& text) {
  std::string name = t.file;
  const size_t slash = name.rfind('/');
  name.insert(slash == std::string::npos ? 0 : slash + 1, ".");
  std::vector<char> temp(name.begin(), name.end());
  const char suffix[] = ".XXXXXX";
  temp.insert(temp.end(), suffix, suffix + sizeof suffix);
  const int fd = mkstemp(temp.data());
  if (fd < 0) io_error(path, "cannot create a file beside it (" + errno_text() + ")");
  const std::string temp_path(temp.data());
  try {
    if (fchmod(fd, t.exists ? t.mode : new_file_mode()) != 0) {
      io_error(path, "cannot set the file's mode (" + errno_text() + ")");
    }
    write_all(fd, text, path);
    if (::close(fd) != 0) io_error(path, "write failed (" + errno_text() + ")");
  } catch (...) {
    ::close(fd);
    ::unlink(temp_path.c_str());
    throw;
  }
  if (std::rename(temp_path.c_str(), t.file.c_str()) != 0) {
    const std::string why = errno_text();
    ::unlink(temp_path.c_str());
    io_error(path, "cannot move the finished file into place (" + why + ")");
  }
}

void write_file(const std::string& path, const std::string& text) {
  const Target t = resolve(path);
  if (t.write_through) {
    write_through(path, text);
  } else {
    replace_atomically(t, path, text);
  }
}

}  // namespace

void check_output_path(const std::string& path) {
  const Target t = resolve(path);
  if (t.write_through) {
    if (access(path.c_str(), W_OK) != 0) io_error(path, "cannot be written (" + errno_text() + ")");
    return;
  }
  const std::string dir = directory_of(t.file);
  struct stat info {};
  if (stat(dir.c_str(), &info) != 0 || !S_ISDIR(info.st_mode)) {
    io_error(path, "its directory " + dir + " does not exist");
  }
  if (access(dir.c_str(), W_OK) != 0) {
    io_error(path, "its directory " + dir + " cannot be written (" + errno_text() + ")");
  }
}

const CLI::Validator& writable_path() {
  static const CLI::Validator check(
      [](std::string& path) -> std::string {
        check_output_path(path);  // an Error: its own category and exit code
        return "";
      },
      "PATH");
  return check;
}

void queue_output(const std::string& path, const std::string& text) {
  for (Pending& p : pending()) {
    if (p.path == path) {
      p.text += text;
      return;
    }
  }
  pending().push_back({path, text});
}

void commit_outputs() {
  std::vector<Pending> queue = std::move(pending());
  pending().clear();
  for (const Pending& p : queue) {
    if (!p.path.empty()) write_file(p.path, p.text);
  }
  for (const Pending& p : queue) {
    if (!p.path.empty()) continue;
    std::cout << p.text;
    std::cout.flush();
    if (!std::cout) throw_error(ErrorCode::kIo, "cannot write to standard output");
  }
}

void discard_outputs() { pending().clear(); }

}  // namespace reuselens::cli
