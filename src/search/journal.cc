#include "src/search/journal.h"

#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "google/protobuf/io/tokenizer.h"
#include "google/protobuf/text_format.h"

namespace hero {
namespace {

uint32_t Crc(absl::string_view bytes) {
  return static_cast<uint32_t>(
      crc32(0L, reinterpret_cast<const Bytef*>(bytes.data()),
            static_cast<uInt>(bytes.size())));
}

// Keeps the first error of protobuf's text parser.
class FirstError : public google::protobuf::io::ErrorCollector {
 public:
  void AddError(int line, int column, const std::string& text) override {
    if (message.empty()) {
      this->column = column;
      message = text;
    }
  }
  int column = 0;
  std::string message;
};

bool IsLowerHex(absl::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
  });
}

// Parses one line (without its newline); returns an error message or "".
std::string ParseLine(absl::string_view line, JournalRecord* record) {
  if (line.size() < 10 || line[8] != ' ') return "malformed record";
  uint32_t crc = 0;
  // SimpleHexAtoi alone would accept a sign, "0x" or spaces.
  if (!IsLowerHex(line.substr(0, 8)) ||
      !absl::SimpleHexAtoi(line.substr(0, 8), &crc)) {
    return "malformed CRC";
  }
  const absl::string_view body = line.substr(9);
  if (Crc(body) != crc) return "CRC mismatch";
  google::protobuf::TextFormat::Parser parser;
  FirstError error;  // Instead of protobuf's log on stderr.
  parser.RecordErrorsTo(&error);
  if (!parser.ParseFromString(std::string(body), record)) {
    return absl::StrCat("unparseable record (column ", error.column + 1, ": ",
                        error.message, ")");
  }
  return "";
}

// Ids stay exactly representable as doubles (summary.json) and leave room
// for the replay's `id + 1`.
constexpr int64_t kMaxId = int64_t{1} << 53;

// What the replay relies on beyond the CRC; returns an error message or "".
std::string CheckRecord(const JournalRecord& r) {
  if (r.id() < 0 || r.id() > kMaxId) {
    return absl::StrCat("id ", r.id(), " is not in [0, 2^53]");
  }
  if (r.parent_id() < -1 || r.parent_id() > kMaxId) {
    return absl::StrCat("parent_id ", r.parent_id(), " is not in [-1, 2^53]");
  }
  for (const auto& [name, hex] : {std::pair<const char*, const std::string*>{
                                      "structural_hash", &r.structural_hash()},
                                  {"fingerprint", &r.fingerprint()}}) {
    if (!hex->empty() && !ParseHex16(*hex).has_value()) {
      return absl::StrCat(name, " `", absl::CHexEscape(hex->substr(0, 40)),
                          "` is not 16 hex digits");
    }
  }
  if (!std::isfinite(r.fitness())) {
    return absl::StrCat("fitness ", r.fitness(), " is not finite");
  }
  if (!std::isfinite(r.unconfirmed_fitness())) {
    return absl::StrCat("unconfirmed_fitness ", r.unconfirmed_fitness(),
                        " is not finite");
  }
  for (double f : r.lr_fitness()) {
    if (!std::isfinite(f)) {
      return absl::StrCat("lr_fitness ", f, " is not finite");
    }
  }
  if (!(r.peak_lr() >= 0 && r.peak_lr() <= 1e3)) {
    return absl::StrCat("peak_lr ", r.peak_lr(), " is not in [0, 1000]");
  }
  for (const auto& [name, seconds] :
       {std::pair<const char*, double>{"eval_seconds", r.eval_seconds()},
        {"elapsed_seconds", r.elapsed_seconds()}}) {
    if (!(seconds >= 0 && seconds <= 1e15)) {
      return absl::StrCat(name, " ", seconds, " is not in [0, 1e15]");
    }
  }
  return "";
}

void AppendString(absl::string_view name, const std::string& value,
                  std::string* out) {
  if (value.empty()) return;
  absl::StrAppend(out, name, ": \"", absl::CEscape(value), "\" ");
}

void AppendInt(absl::string_view name, int64_t value, std::string* out) {
  if (value == 0) return;
  absl::StrAppend(out, name, ": ", value, " ");
}

// Also zero (for repeated and optional fields).
void AppendAnyDouble(absl::string_view name, double value, std::string* out) {
  char buf[32];
  const std::to_chars_result r = std::to_chars(buf, buf + sizeof buf, value);
  absl::StrAppend(out, name, ": ", absl::string_view(buf, r.ptr - buf), " ");
}

void AppendDouble(absl::string_view name, double value, std::string* out) {
  if (value == 0) return;
  char buf[32];
  const std::to_chars_result r = std::to_chars(buf, buf + sizeof buf, value);
  absl::StrAppend(out, name, ": ", absl::string_view(buf, r.ptr - buf), " ");
}

}  // namespace

// The record in single-line text format, written field by field (the
// reflection-based TextFormat::Printer costs a quarter of the search engine's
// time per candidate). Like the printer, it omits fields at their default
// values; the journal test checks that TextFormat parses it back exactly.
std::string EncodeJournalLine(const JournalRecord& r) {
  std::string body;
  body.reserve(256 + r.program().size() + r.config().size());
  if (r.kind() != JournalRecord::KIND_UNSPECIFIED) {
    absl::StrAppend(&body, "kind: ", JournalRecord::Kind_Name(r.kind()), " ");
  }
  AppendInt("id", r.id(), &body);
  AppendInt("parent_id", r.parent_id(), &body);
  AppendString("mutation", r.mutation(), &body);
  AppendString("program", r.program(), &body);
  AppendString("structural_hash", r.structural_hash(), &body);
  AppendString("fingerprint", r.fingerprint(), &body);
  AppendString("cache_hit", r.cache_hit(), &body);
  AppendDouble("fitness", r.fitness(), &body);
  if (r.status() != EvalResult::STATUS_UNSPECIFIED) {
    absl::StrAppend(&body, "status: ", EvalResult::Status_Name(r.status()),
                    " ");
  }
  AppendString("failure_reason", r.failure_reason(), &body);
  AppendDouble("eval_seconds", r.eval_seconds(), &body);
  AppendDouble("elapsed_seconds", r.elapsed_seconds(), &body);
  AppendString("config", r.config(), &body);
  AppendInt("live_statements", r.live_statements(), &body);
  AppendInt("statements", r.statements(), &body);
  AppendString("worker", r.worker(), &body);
  AppendInt("attempts", r.attempts(), &body);
  AppendDouble("peak_lr", r.peak_lr(), &body);
  for (uint64_t seed : r.seeds()) absl::StrAppend(&body, "seeds: ", seed, " ");
  if (r.has_unconfirmed_fitness()) {
    AppendAnyDouble("unconfirmed_fitness", r.unconfirmed_fitness(), &body);
  }
  for (double f : r.lr_fitness()) AppendAnyDouble("lr_fitness", f, &body);
  if (!body.empty()) body.pop_back();
  return absl::StrFormat("%08x %s\n", Crc(body), body);
}

std::optional<uint64_t> ParseHex16(absl::string_view hex) {
  uint64_t value = 0;
  if (hex.size() != 16 || !IsLowerHex(hex) ||
      !absl::SimpleHexAtoi(hex, &value)) {
    return std::nullopt;
  }
  return value;
}

absl::StatusOr<JournalContents> ReadJournal(const std::string& path) {
  absl::StatusOr<std::string> data = ReadFile(path);
  if (!data.ok()) {
    if (absl::IsNotFound(data.status())) return JournalContents();
    return absl::InvalidArgumentError(data.status().message());
  }
  return ParseJournal(*data, path);
}

absl::StatusOr<JournalContents> ParseJournal(absl::string_view data,
                                             const std::string& path) {
  JournalContents contents;
  size_t pos = 0;
  int line_no = 0;
  while (pos < data.size()) {
    ++line_no;
    const size_t end = data.find('\n', pos);
    const bool complete = end != std::string::npos;
    const absl::string_view line(data.data() + pos,
                                 (complete ? end : data.size()) - pos);
    JournalRecord record;
    const std::string error =
        complete ? ParseLine(line, &record) : "incomplete last record";
    if (!error.empty()) {
      const bool last = !complete || end + 1 == data.size();
      if (!last) {
        return absl::DataLossError(absl::StrCat(
            path, ":", line_no, ": ", error,
            " (the journal is corrupt before its end; not resuming)"));
      }
      contents.warning = absl::StrCat(path, ":", line_no, ": ", error,
                                      ": dropped a torn last record");
      break;
    }
    if (const std::string bad = CheckRecord(record); !bad.empty()) {
      return absl::DataLossError(
          absl::StrCat(path, ":", line_no, ": ", bad, " (not resuming)"));
    }
    contents.records.push_back(std::move(record));
    pos = end + 1;
    contents.valid_bytes = static_cast<int64_t>(pos);
  }
  return contents;
}

absl::StatusOr<JournalWriter> JournalWriter::Open(const std::string& path,
                                                  int64_t valid_bytes) {
  if (::truncate(path.c_str(), valid_bytes) != 0 && errno != ENOENT) {
    return absl::InternalError(
        absl::StrCat(path, ": cannot truncate: ", std::strerror(errno)));
  }
  absl::StatusOr<AppendOnlyFile> file = AppendOnlyFile::Open(path);
  if (!file.ok()) return file.status();
  return JournalWriter(*std::move(file));
}

absl::Status JournalWriter::Append(const JournalRecord& record) {
  return file_.Append(EncodeJournalLine(record));
}

}  // namespace hero
