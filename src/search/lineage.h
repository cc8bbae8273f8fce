// Lineage: how evolution reached a program — the chain of ancestors from the
// warm start to one candidate of a search, read from the run's journal, with
// the statements each mutation changed. What `hero lineage` prints.
//
//   absl::StatusOr<std::vector<JournalRecord>> records =
//       ReadRunJournal("runs/discovery");
//   absl::StatusOr<LineageTarget> target =
//       DefaultLineageTarget("runs/discovery", *records);
//   absl::StatusOr<Lineage> lineage = TraceLineage(*records, target->id);
//   for (const LineageStep& step : lineage->steps) { ... step.diff ... }
//
// The journal (journal.h) holds one record per candidate with its parent's
// id; ids count up, so a parent is always older than its child. A candidate
// answered by the cache is a record like any other. The warm start is id 0.
//
// Errors: a missing run directory or journal is NotFound; a journal that
// cannot be read is DataLoss (journal.h's message, `DIR/journal:LINE: ...`);
// from TraceLineage, an id that is not a candidate of the run is NotFound
// and a parent that is missing or not older than its child DataLoss (these
// messages do not name the file: the caller knows it).
//
// Thread-safety: pure functions.
#ifndef HERO_SEARCH_LINEAGE_H_
#define HERO_SEARCH_LINEAGE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "proto/journal.pb.h"

namespace hero {

// One line of a statement diff: '-' (only in the parent) or '+' (only in
// the child), and the statement as printed (`update = sign(m)`).
struct DiffLine {
  char op = '+';
  std::string statement;

  bool operator==(const DiffLine& o) const {
    return op == o.op && statement == o.statement;
  }
};

// The statements of two programs (paper syntax) compared as sequences: the
// lines not in a longest common subsequence, in program order, each
// removed line before the added lines that replace it. The `def` and
// `return` lines and comments are not statements.
std::vector<DiffLine> DiffStatements(const std::string& parent_program,
                                     const std::string& child_program);

// The statements of a program in paper syntax, without indentation.
std::vector<std::string> StatementLines(const std::string& program);

struct LineageStep {
  JournalRecord record;
  // Against the previous step; empty for the first (the warm start).
  std::vector<DiffLine> diff;
};

struct Lineage {
  // The warm start first, the traced candidate last.
  std::vector<LineageStep> steps;
};

// The candidate records (warm start and children) of RUN_DIR/journal, in
// journal order. A torn last record is dropped as the search does.
absl::StatusOr<std::vector<JournalRecord>> ReadRunJournal(
    const std::string& run_dir);

// The ancestors of candidate `id`, from the warm start to it.
absl::StatusOr<Lineage> TraceLineage(const std::vector<JournalRecord>& records,
                                     int64_t id);

struct LineageTarget {
  int64_t id = 0;
  // Where the id came from, for the reader: "the run's answer, best.py" or
  // "the best fitness in the journal".
  std::string source;
};

// The candidate `hero lineage` traces by default: the run's answer, read
// from the header of RUN_DIR/best.py (`# ... id N ...`; the funnel's best
// when a funnel ran, otherwise the best so far), if that file exists and
// names a candidate of the journal; otherwise the candidate with the best
// fitness in the journal (the first of equals). NotFound if the journal has
// no successful candidate.
absl::StatusOr<LineageTarget> DefaultLineageTarget(
    const std::string& run_dir, const std::vector<JournalRecord>& records);

}  // namespace hero

#endif  // HERO_SEARCH_LINEAGE_H_
