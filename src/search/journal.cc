#include "src/search/journal.h"

#include <unistd.h>
#include <zlib.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <fstream>
#include <sstream>

#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "google/protobuf/text_format.h"

namespace hero {
namespace {

uint32_t Crc(absl::string_view bytes) {
  return static_cast<uint32_t>(
      crc32(0L, reinterpret_cast<const Bytef*>(bytes.data()),
            static_cast<uInt>(bytes.size())));
}

// Parses one line (without its newline); returns an error message or "".
std::string ParseLine(absl::string_view line, JournalRecord* record) {
  if (line.size() < 10 || line[8] != ' ') return "malformed record";
  uint32_t crc = 0;
  if (!absl::SimpleHexAtoi(line.substr(0, 8), &crc)) return "malformed CRC";
  const absl::string_view body = line.substr(9);
  if (Crc(body) != crc) return "CRC mismatch";
  google::protobuf::TextFormat::Parser parser;
  if (!parser.ParseFromString(std::string(body), record)) {
    return "unparseable record";
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
  if (!body.empty()) body.pop_back();
  return absl::StrFormat("%08x %s\n", Crc(body), body);
}

absl::StatusOr<JournalContents> ReadJournal(const std::string& path) {
  JournalContents contents;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    if (::access(path.c_str(), F_OK) != 0 && errno == ENOENT) return contents;
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": ", std::strerror(errno)));
  }
  std::stringstream buffer;
  buffer << in.rdbuf();
  const std::string data = buffer.str();
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
