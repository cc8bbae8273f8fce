#include "src/search/lineage.h"

#include <algorithm>
#include <filesystem>
#include <optional>
#include <system_error>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "src/search/journal.h"
#include "src/util/atomic_file.h"

namespace hero {
namespace {

bool IsCandidate(const JournalRecord& r) {
  return r.kind() == JournalRecord::CHILD ||
         r.kind() == JournalRecord::WARM_START;
}

// The id in best.py's first line, `# [note; ]fitness F  id N  ...`.
std::optional<int64_t> IdInBestPy(const std::string& text) {
  const std::string first_line(text.substr(0, text.find('\n')));
  if (!absl::StartsWith(first_line, "#")) return std::nullopt;
  const std::vector<absl::string_view> words =
      absl::StrSplit(first_line, ' ', absl::SkipEmpty());
  for (size_t i = 0; i + 1 < words.size(); ++i) {
    int64_t id;
    if (words[i] == "id" && absl::SimpleAtoi(words[i + 1], &id)) return id;
  }
  return std::nullopt;
}

}  // namespace

std::vector<std::string> StatementLines(const std::string& program) {
  std::vector<std::string> out;
  for (absl::string_view line : absl::StrSplit(program, '\n')) {
    // Comments end a line; a `#` never occurs inside a statement.
    line = line.substr(0, line.find('#'));
    line = absl::StripAsciiWhitespace(line);
    if (line.empty() || absl::StartsWith(line, "def ") ||
        absl::StartsWith(line, "return ") || line == "return") {
      continue;
    }
    out.emplace_back(line);
  }
  return out;
}

std::vector<DiffLine> DiffStatements(const std::string& parent_program,
                                     const std::string& child_program) {
  const std::vector<std::string> a = StatementLines(parent_program);
  const std::vector<std::string> b = StatementLines(child_program);
  const size_t n = a.size(), m = b.size();
  // lcs[i][j]: longest common subsequence of a[i..] and b[j..].
  std::vector<std::vector<int>> lcs(n + 1, std::vector<int>(m + 1, 0));
  for (size_t i = n; i-- > 0;) {
    for (size_t j = m; j-- > 0;) {
      lcs[i][j] = a[i] == b[j] ? lcs[i + 1][j + 1] + 1
                               : std::max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  std::vector<DiffLine> out;
  std::vector<DiffLine> hunk;
  auto flush = [&]() {
    // Within a run of changed lines, removals first.
    std::stable_partition(hunk.begin(), hunk.end(),
                          [](const DiffLine& d) { return d.op == '-'; });
    out.insert(out.end(), hunk.begin(), hunk.end());
    hunk.clear();
  };
  size_t i = 0, j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] == b[j]) {
      flush();
      ++i;
      ++j;
    } else if (j == m || (i < n && lcs[i + 1][j] >= lcs[i][j + 1])) {
      hunk.push_back({'-', a[i++]});
    } else {
      hunk.push_back({'+', b[j++]});
    }
  }
  flush();
  return out;
}

absl::StatusOr<std::vector<JournalRecord>> ReadRunJournal(
    const std::string& run_dir) {
  std::error_code error;
  if (!std::filesystem::is_directory(run_dir, error)) {
    return absl::NotFoundError(
        absl::StrCat(run_dir, ": no such run directory"));
  }
  const std::string path = run_dir + "/journal";
  if (!std::filesystem::exists(path, error)) {
    return absl::NotFoundError(
        absl::StrCat(path,
                     ": no journal (is this a search's output "
                     "directory?)"));
  }
  absl::StatusOr<JournalContents> contents = ReadJournal(path);
  if (!contents.ok()) return contents.status();
  std::vector<JournalRecord> out;
  for (JournalRecord& r : contents->records) {
    if (IsCandidate(r)) out.push_back(std::move(r));
  }
  return out;
}

absl::StatusOr<Lineage> TraceLineage(const std::vector<JournalRecord>& records,
                                     int64_t id) {
  absl::flat_hash_map<int64_t, const JournalRecord*> by_id;
  int64_t max_id = 0;
  for (const JournalRecord& r : records) {
    if (!IsCandidate(r)) continue;
    by_id.emplace(r.id(), &r);
    max_id = std::max(max_id, r.id());
  }
  auto it = by_id.find(id);
  if (it == by_id.end()) {
    return absl::NotFoundError(
        absl::StrCat("id ", id, " is not a candidate of this run (",
                     by_id.size(), " candidates, ids 0..", max_id, ")"));
  }
  std::vector<const JournalRecord*> chain = {it->second};
  while (chain.back()->kind() != JournalRecord::WARM_START) {
    const JournalRecord& child = *chain.back();
    if (child.parent_id() >= child.id()) {
      return absl::DataLossError(absl::StrCat("candidate ", child.id(),
                                              " has parent ", child.parent_id(),
                                              ", which is not older"));
    }
    auto parent = by_id.find(child.parent_id());
    if (parent == by_id.end()) {
      return absl::DataLossError(absl::StrCat("the parent ", child.parent_id(),
                                              " of candidate ", child.id(),
                                              " is not in the journal"));
    }
    chain.push_back(parent->second);
  }
  Lineage lineage;
  for (size_t k = chain.size(); k-- > 0;) {
    LineageStep step;
    step.record = *chain[k];
    if (!lineage.steps.empty()) {
      step.diff = DiffStatements(lineage.steps.back().record.program(),
                                 step.record.program());
    }
    lineage.steps.push_back(std::move(step));
  }
  return lineage;
}

absl::StatusOr<LineageTarget> DefaultLineageTarget(
    const std::string& run_dir, const std::vector<JournalRecord>& records) {
  if (absl::StatusOr<std::string> best = ReadFile(run_dir + "/best.py");
      best.ok()) {
    if (std::optional<int64_t> id = IdInBestPy(*best)) {
      for (const JournalRecord& r : records) {
        if (IsCandidate(r) && r.id() == *id) {
          return LineageTarget{*id, "the run's answer, best.py"};
        }
      }
    }
  }
  const JournalRecord* best = nullptr;
  for (const JournalRecord& r : records) {
    if (!IsCandidate(r) || r.status() != EvalResult::OK) continue;
    if (best == nullptr || r.fitness() > best->fitness() ||
        (r.fitness() == best->fitness() && r.id() < best->id())) {
      best = &r;
    }
  }
  if (best == nullptr) {
    return absl::NotFoundError(
        absl::StrCat(run_dir, "/journal: no successful candidate to trace"));
  }
  return LineageTarget{best->id(), "the best fitness in the journal"};
}

}  // namespace hero
