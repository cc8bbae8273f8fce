// Crash-safe file I/O: atomic whole-file replacement, whole-file reads and an
// append-only record file.
//
// WriteFileAtomically() is for files that must always be either the old or
// the new version (checkpoints, run summaries, best-program files): a reader,
// or a restart after `kill -9` or a power cut, never sees a half-written file.
// AppendOnlyFile is for logs that grow (the search journal): every Append()
// hands the whole record to the kernel with write(2) before returning, so it
// survives the death of the process; with `sync = true` it is also on disk
// (fdatasync) and survives a power cut.
//
//   absl::Status s = hero::WriteFileAtomically("/runs/a/best.py", text);
//   absl::StatusOr<std::string> text = hero::ReadFile("/runs/a/best.py");
//   absl::StatusOr<std::string> small =
//       hero::ReadFile("cfg.textproto", {1 << 20, "the config size limit"});
//
//   absl::StatusOr<hero::AppendOnlyFile> journal =
//       hero::AppendOnlyFile::Open("/runs/a/journal.jsonl");
//   if (!journal.ok()) return journal.status();
//   absl::Status appended = journal->Append(record + "\n");
//
// Errors are absl::Status values whose message names the path and the system
// error, e.g. "/runs/a/best.py: No such file or directory".
// Thread-safety: the free functions are thread-safe (concurrent writers of the
// same path each publish a complete file; the last rename wins). An
// AppendOnlyFile is not: callers serialize calls on one object.
#ifndef HERO_UTIL_ATOMIC_FILE_H_
#define HERO_UTIL_ATOMIC_FILE_H_

#include <cstdint>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace hero {

// Replaces the file at `path` with `contents`, atomically.
//
// Writes a temporary file `<path>.tmp.<pid>.<n>` in the same directory,
// fsyncs it, renames it over `path` and fsyncs the directory. On any failure
// the temporary file is removed and an existing file at `path` is untouched.
// A new file gets mode 0666 minus the umask.
absl::Status WriteFileAtomically(const std::string& path,
                                 absl::string_view contents);

// Returns the whole content of the file at `path`. A missing file gives
// NotFound "<path>: No such file or directory"; other failures (a directory,
// no permission) likewise name the path and the system error.
absl::StatusOr<std::string> ReadFile(const std::string& path);

struct ReadFileLimit {
  // The most bytes the file may hold.
  int64_t max_bytes = 0;
  // How error messages name the limit ("the program size limit").
  absl::string_view name = "the size limit";
};

// ReadFile that refuses a file larger than `limit.max_bytes` with OutOfRange
// "<path>: larger than <name> of <max_bytes> bytes", without reading more
// than max_bytes + 1 bytes (so /dev/zero or a huge file cannot exhaust
// memory). A directory is InvalidArgument "<path>: is a directory".
absl::StatusOr<std::string> ReadFile(const std::string& path,
                                     const ReadFileLimit& limit);

struct AppendOnlyFileOptions {
  // fdatasync after every Append(): the record survives a power cut, not just
  // the death of the process. Costs a disk flush per record.
  bool sync = false;
};

// A file opened for appending records; creates the file if it is missing and
// never truncates it.
//
// Invariants: (1) a successful Append() has handed every byte of the record to
// the kernel; (2) records are written in call order, each with one or more
// write(2) calls and nothing interleaved from this object. If Append() fails
// part-way, a prefix of that record may be in the file: readers of a journal
// should tolerate a torn last record.
class AppendOnlyFile {
 public:
  // Opens (creating if needed) `path` for appending. With `options.sync`, the
  // parent directory is also synced so a newly created file survives a crash.
  static absl::StatusOr<AppendOnlyFile> Open(
      const std::string& path,
      const AppendOnlyFileOptions& options = AppendOnlyFileOptions());

  AppendOnlyFile(const AppendOnlyFile&) = delete;
  AppendOnlyFile& operator=(const AppendOnlyFile&) = delete;
  AppendOnlyFile(AppendOnlyFile&& other) noexcept;
  AppendOnlyFile& operator=(AppendOnlyFile&& other) noexcept;
  // Closes the file if still open; errors are ignored (call Close() to see
  // them).
  ~AppendOnlyFile();

  // Appends `record` in full (write(2) loop), then fdatasyncs if the file was
  // opened with `sync`. REQUIRES: is_open(), else FailedPrecondition.
  absl::Status Append(absl::string_view record);

  // Flushes appended data to the disk (fdatasync), whatever the options.
  absl::Status Sync();

  // Closes the file. Later calls other than Close() return FailedPrecondition;
  // a second Close() is a no-op returning OK.
  absl::Status Close();

  bool is_open() const { return fd_ >= 0; }
  const std::string& path() const { return path_; }

 private:
  AppendOnlyFile(std::string path, int fd, AppendOnlyFileOptions options)
      : path_(std::move(path)), fd_(fd), options_(options) {}

  std::string path_;
  int fd_ = -1;
  AppendOnlyFileOptions options_;
};

}  // namespace hero

#endif  // HERO_UTIL_ATOMIC_FILE_H_
