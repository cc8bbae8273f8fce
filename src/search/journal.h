// The search journal: an append-only file of JournalRecords, one per line,
// each protected by a CRC-32 (format in proto/journal.proto).
//
//   absl::StatusOr<JournalContents> old = ReadJournal(dir + "/journal");
//   absl::StatusOr<JournalWriter> out =
//       JournalWriter::Open(dir + "/journal", old->valid_bytes);
//   absl::Status s = out->Append(record);
//
// Recovery: a process killed mid-write (even with kill -9) can leave a torn
// last line. ReadJournal drops such a last line (incomplete, bad CRC, or not
// parseable) and says so in `warning`; JournalWriter::Open then truncates the
// file to the good prefix before appending. Any other bad line is DataLoss
// (`journal:LINE: ...`) and nothing is modified.
//
// Validation: beyond the CRC, every record must hold what the replay relies
// on — ids in [0, 2^53] (parent ids from -1), a finite fitness, finite
// non-negative times, and hashes of exactly 16 lowercase hex digits (or
// empty) — else DataLoss naming the line and the field. A record that
// passes its CRC but not these checks is never taken for a torn write.
//
// Thread-safety: not thread-safe; the search loop owns the writer.
#ifndef HERO_SEARCH_JOURNAL_H_
#define HERO_SEARCH_JOURNAL_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "proto/journal.pb.h"
#include "src/util/atomic_file.h"

namespace hero {

struct JournalContents {
  std::vector<JournalRecord> records;
  // Bytes of `path` holding complete, valid records.
  int64_t valid_bytes = 0;
  // Non-empty iff a torn last record was dropped.
  std::string warning;
};

// The line (with its trailing newline) for `record`.
std::string EncodeJournalLine(const JournalRecord& record);

// Reads a journal; a missing file reads as empty.
absl::StatusOr<JournalContents> ReadJournal(const std::string& path);

// ReadJournal on the journal's bytes; `path` is used only in messages.
absl::StatusOr<JournalContents> ParseJournal(absl::string_view data,
                                             const std::string& path);

// The value of a journal hash field (structural_hash, fingerprint): exactly
// 16 lowercase hex digits, else nullopt. Parsed with abseil's checked parser:
// no sign, prefix, spaces or partial values.
std::optional<uint64_t> ParseHex16(absl::string_view hex);

class JournalWriter {
 public:
  // Opens `path` for appending after truncating it to `valid_bytes` (pass
  // ReadJournal's valid_bytes, or 0 for a new journal).
  static absl::StatusOr<JournalWriter> Open(const std::string& path,
                                            int64_t valid_bytes);

  // Writes one record; it reaches the kernel before this returns.
  absl::Status Append(const JournalRecord& record);

 private:
  explicit JournalWriter(AppendOnlyFile file) : file_(std::move(file)) {}
  AppendOnlyFile file_;
};

}  // namespace hero

#endif  // HERO_SEARCH_JOURNAL_H_
