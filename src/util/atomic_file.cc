#include "src/util/atomic_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdint>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace hero {
namespace {

// Distinguishes temporary files of concurrent writers within one process.
std::atomic<uint64_t> temp_file_counter{0};

// Writes all of `data` to `fd`, retrying on EINTR and short writes.
// Returns 0 or the errno of the failing write(2).
int WriteFully(int fd, absl::string_view data) {
  while (!data.empty()) {
    const ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return errno;
    }
    if (n == 0) return EIO;  // No progress on a regular file: give up.
    data.remove_prefix(static_cast<size_t>(n));
  }
  return 0;
}

// close(2) that does not retry on EINTR (on Linux the fd is gone either way).
int CloseFd(int fd) { return ::close(fd) == 0 ? 0 : errno; }

std::string ParentDirectory(const std::string& path) {
  const size_t slash = path.find_last_of('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

// fsyncs directory `dir` so a rename or create inside it is durable.
// Returns 0 or an errno. File systems that cannot sync directories (EINVAL)
// count as success: there is nothing more we could do.
int SyncDirectory(const std::string& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return errno;
  int err = ::fsync(fd) == 0 ? 0 : errno;
  if (err == EINVAL) err = 0;
  ::close(fd);
  return err;
}

// Creates a fresh temporary file next to `path`; sets `*tmp_path`.
// Returns the fd or -1 with errno set.
int CreateTempFile(const std::string& path, std::string* tmp_path) {
  constexpr int kAttempts =
      16;  // Stale files from a dead process with our pid.
  for (int attempt = 0; attempt < kAttempts; ++attempt) {
    *tmp_path = absl::StrCat(path, ".tmp.", ::getpid(), ".",
                             temp_file_counter.fetch_add(1));
    const int fd = ::open(tmp_path->c_str(),
                          O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd >= 0 || errno != EEXIST) return fd;
  }
  return -1;  // errno is EEXIST.
}

}  // namespace

absl::Status WriteFileAtomically(const std::string& path,
                                 absl::string_view contents) {
  std::string tmp;
  const int fd = CreateTempFile(path, &tmp);
  if (fd < 0) {
    return absl::ErrnoToStatus(
        errno, absl::StrCat(path, ": cannot create temporary file ", tmp));
  }
  // Every failure below removes the temporary file; `path` is untouched until
  // rename(2), which replaces it in one step.
  auto fail = [&](int err, absl::string_view what) {
    ::unlink(tmp.c_str());
    return absl::ErrnoToStatus(err, absl::StrCat(path, ": ", what));
  };
  if (int err = WriteFully(fd, contents); err != 0) {
    ::close(fd);
    return fail(err, absl::StrCat("cannot write temporary file ", tmp));
  }
  if (::fsync(fd) != 0) {
    const int err = errno;
    ::close(fd);
    return fail(err, absl::StrCat("cannot sync temporary file ", tmp));
  }
  if (int err = CloseFd(fd); err != 0) {
    return fail(err, absl::StrCat("cannot close temporary file ", tmp));
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    return fail(errno, absl::StrCat("cannot rename ", tmp, " over it"));
  }
  const std::string dir = ParentDirectory(path);
  if (int err = SyncDirectory(dir); err != 0) {
    return absl::ErrnoToStatus(
        err, absl::StrCat(path, ": written, but cannot sync directory ", dir));
  }
  return absl::OkStatus();
}

namespace {

// Reads `path` whole, or fails once more than `max_bytes` bytes arrive
// (max_bytes < 0: no limit).
absl::StatusOr<std::string> ReadUpTo(const std::string& path, int64_t max_bytes,
                                     absl::string_view limit_name) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return absl::ErrnoToStatus(errno, path);
  auto too_large = [&] {
    ::close(fd);
    return absl::OutOfRangeError(absl::StrCat(
        path, ": larger than ", limit_name, " of ", max_bytes, " bytes"));
  };
  std::string contents;
  struct stat st;
  if (::fstat(fd, &st) == 0) {
    if (S_ISDIR(st.st_mode)) {
      ::close(fd);
      return absl::InvalidArgumentError(absl::StrCat(path, ": is a directory"));
    }
    if (S_ISREG(st.st_mode) && st.st_size > 0) {
      if (max_bytes >= 0 && st.st_size > max_bytes) return too_large();
      contents.reserve(static_cast<size_t>(st.st_size));
    }
  }
  char buffer[1 << 16];
  while (true) {
    const ssize_t n = ::read(fd, buffer, sizeof(buffer));
    if (n == 0) break;
    if (n < 0) {
      if (errno == EINTR) continue;
      const int err = errno;
      ::close(fd);
      return absl::ErrnoToStatus(err, path);
    }
    contents.append(buffer, static_cast<size_t>(n));
    if (max_bytes >= 0 && static_cast<int64_t>(contents.size()) > max_bytes) {
      return too_large();
    }
  }
  ::close(fd);
  return contents;
}

}  // namespace

absl::StatusOr<std::string> ReadFile(const std::string& path) {
  return ReadUpTo(path, -1, "");
}

absl::StatusOr<std::string> ReadFile(const std::string& path,
                                     const ReadFileLimit& limit) {
  return ReadUpTo(path, limit.max_bytes, limit.name);
}

absl::StatusOr<AppendOnlyFile> AppendOnlyFile::Open(
    const std::string& path, const AppendOnlyFileOptions& options) {
  const int fd =
      ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0666);
  if (fd < 0) return absl::ErrnoToStatus(errno, path);
  if (options.sync) {
    const std::string dir = ParentDirectory(path);
    if (int err = SyncDirectory(dir); err != 0) {
      ::close(fd);
      return absl::ErrnoToStatus(
          err, absl::StrCat(path, ": cannot sync directory ", dir));
    }
  }
  return AppendOnlyFile(path, fd, options);
}

AppendOnlyFile::AppendOnlyFile(AppendOnlyFile&& other) noexcept
    : path_(std::move(other.path_)),
      fd_(std::exchange(other.fd_, -1)),
      options_(other.options_) {}

AppendOnlyFile& AppendOnlyFile::operator=(AppendOnlyFile&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    path_ = std::move(other.path_);
    fd_ = std::exchange(other.fd_, -1);
    options_ = other.options_;
  }
  return *this;
}

AppendOnlyFile::~AppendOnlyFile() {
  if (fd_ >= 0) ::close(fd_);
}

absl::Status AppendOnlyFile::Append(absl::string_view record) {
  if (fd_ < 0) {
    return absl::FailedPreconditionError(
        absl::StrCat(path_, ": append to a closed file"));
  }
  if (int err = WriteFully(fd_, record); err != 0) {
    return absl::ErrnoToStatus(err, absl::StrCat(path_, ": cannot append"));
  }
  return options_.sync ? Sync() : absl::OkStatus();
}

absl::Status AppendOnlyFile::Sync() {
  if (fd_ < 0) {
    return absl::FailedPreconditionError(
        absl::StrCat(path_, ": sync of a closed file"));
  }
  if (::fdatasync(fd_) != 0) {
    return absl::ErrnoToStatus(errno, absl::StrCat(path_, ": cannot sync"));
  }
  return absl::OkStatus();
}

absl::Status AppendOnlyFile::Close() {
  if (fd_ < 0) return absl::OkStatus();
  const int err = CloseFd(std::exchange(fd_, -1));
  if (err != 0) {
    return absl::ErrnoToStatus(err, absl::StrCat(path_, ": cannot close"));
  }
  return absl::OkStatus();
}

}  // namespace hero
