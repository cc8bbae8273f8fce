// Lineage: statement diffs, the chain of ancestors read from a journal, the
// default target, and every error a user can meet.
#include "src/search/lineage.h"

#include <cstdlib>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "src/util/atomic_file.h"
#include "tests/search/small_run.h"

namespace hero {
namespace {

using testing_util::AdamWWith;
using testing_util::WriteSmallRun;

std::string TempDir(const std::string& name) {
  return std::string(std::getenv("TEST_TMPDIR")) + "/" + name;
}

TEST(StatementLinesTest, SkipsHeaderReturnCommentsAndIndentation) {
  EXPECT_EQ(StatementLines("# a comment\ndef train(w, g, m, v, lr, λ):\n"
                           "  m = interpolate(g, m, 0.9)  # momentum\n"
                           "\n  update = sign(m)\n  return update, m, v\n"),
            (std::vector<std::string>{"m = interpolate(g, m, 0.9)",
                                      "update = sign(m)"}));
}

TEST(DiffStatementsTest, InsertDeleteAndReplace) {
  const std::string adamw = AdamWWith("0.9", "");
  EXPECT_EQ(DiffStatements(adamw, adamw), std::vector<DiffLine>{});
  EXPECT_EQ(
      DiffStatements(adamw, AdamWWith("0.9", "  update = sign(update)\n")),
      (std::vector<DiffLine>{{'+', "update = sign(update)"}}));
  EXPECT_EQ(
      DiffStatements(AdamWWith("0.9", "  update = sign(update)\n"), adamw),
      (std::vector<DiffLine>{{'-', "update = sign(update)"}}));
  EXPECT_EQ(DiffStatements(adamw, AdamWWith("0.7", "")),
            (std::vector<DiffLine>{{'-', "m = interpolate(g, m, 0.9)"},
                                   {'+', "m = interpolate(g, m, 0.7)"}}));
  // Two separate changes keep program order; each removal comes before the
  // additions that replace it.
  EXPECT_EQ(DiffStatements("  a = sign(g)\n  b = abs(a)\n  c = a * b\n"
                           "  update = c + g\n",
                           "  a = sign(g)\n  b = cube(a)\n  b2 = exp(b)\n"
                           "  c = a * b\n  update = c - g\n"),
            (std::vector<DiffLine>{{'-', "b = abs(a)"},
                                   {'+', "b = cube(a)"},
                                   {'+', "b2 = exp(b)"},
                                   {'-', "update = c + g"},
                                   {'+', "update = c - g"}}));
}

TEST(LineageTest, ChainFromTheWarmStartWithDiffs) {
  const std::string dir = WriteSmallRun(TempDir("chain"), true);
  absl::StatusOr<std::vector<JournalRecord>> records = ReadRunJournal(dir);
  ASSERT_TRUE(records.ok()) << records.status();
  EXPECT_EQ(records->size(), 6u);  // The header is not a candidate.
  absl::StatusOr<Lineage> lineage = TraceLineage(*records, 4);
  ASSERT_TRUE(lineage.ok()) << lineage.status();
  std::vector<int64_t> ids;
  for (const LineageStep& s : lineage->steps) ids.push_back(s.record.id());
  EXPECT_EQ(ids, (std::vector<int64_t>{0, 1, 3, 4}));
  EXPECT_TRUE(lineage->steps[0].diff.empty());
  EXPECT_EQ(lineage->steps[2].diff,
            (std::vector<DiffLine>{{'+', "update = sign(update)"}}));
  EXPECT_EQ(lineage->steps[3].diff,
            (std::vector<DiffLine>{{'-', "m = interpolate(g, m, 0.7)"},
                                   {'+', "m = interpolate(g, m, 0.8)"}}));
  // The warm start's own lineage is itself.
  lineage = TraceLineage(*records, 0);
  ASSERT_TRUE(lineage.ok());
  EXPECT_EQ(lineage->steps.size(), 1u);
}

TEST(LineageTest, DefaultTargetIsBestPyElseTheBestFitness) {
  std::string dir = WriteSmallRun(TempDir("with_best"), true);
  absl::StatusOr<std::vector<JournalRecord>> records = ReadRunJournal(dir);
  ASSERT_TRUE(records.ok());
  absl::StatusOr<LineageTarget> t = DefaultLineageTarget(dir, *records);
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_EQ(t->id, 3);
  EXPECT_EQ(t->source, "the run's answer, best.py");

  dir = WriteSmallRun(TempDir("without_best"), false);
  t = DefaultLineageTarget(dir, *records);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->id, 4);
  EXPECT_EQ(t->source, "the best fitness in the journal");

  // A best.py naming a candidate the journal does not have is ignored.
  ASSERT_TRUE(WriteFileAtomically(dir + "/best.py",
                                  "# fitness 0.9  id 77  structural_hash x\n")
                  .ok());
  t = DefaultLineageTarget(dir, *records);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->id, 4);
}

TEST(LineageTest, Errors) {
  absl::StatusOr<std::vector<JournalRecord>> r =
      ReadRunJournal(TempDir("missing"));
  EXPECT_EQ(r.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(r.status().message(),
            TempDir("missing") + ": no such run directory");

  const std::string empty = TempDir("empty");
  std::filesystem::create_directories(empty);
  r = ReadRunJournal(empty);
  EXPECT_EQ(r.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(r.status().message(),
            empty +
                "/journal: no journal (is this a search's output "
                "directory?)");

  const std::string dir = WriteSmallRun(TempDir("errors"), false);
  r = ReadRunJournal(dir);
  ASSERT_TRUE(r.ok());
  absl::StatusOr<Lineage> lineage = TraceLineage(*r, 42);
  EXPECT_EQ(lineage.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(lineage.status().message(),
            "id 42 is not a candidate of this run (6 candidates, ids 0..5)");

  // A child whose parent is not in the journal.
  std::vector<JournalRecord> records = *r;
  records.erase(records.begin() + 1);  // id 1, the parent of 3.
  lineage = TraceLineage(records, 4);
  EXPECT_EQ(lineage.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_EQ(lineage.status().message(),
            "the parent 1 of candidate 3 is not in the journal");
  // A parent that is not older than its child.
  records = *r;
  records[1].set_parent_id(3);
  lineage = TraceLineage(records, 1);
  EXPECT_EQ(lineage.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_EQ(lineage.status().message(),
            "candidate 1 has parent 3, which is not older");
  // No successful candidate at all.
  records = {r->at(2)};  // The failed child.
  EXPECT_EQ(DefaultLineageTarget(empty, records).status().code(),
            absl::StatusCode::kNotFound);

  // A damaged record before the last is DataLoss from the journal reader.
  absl::StatusOr<std::string> text = ReadFile(dir + "/journal");
  ASSERT_TRUE(text.ok());
  std::string damaged = *text;
  damaged[damaged.find("kind: CHILD") + 6] = 'X';
  ASSERT_TRUE(WriteFileAtomically(dir + "/journal", damaged).ok());
  r = ReadRunJournal(dir);
  EXPECT_EQ(r.status().code(), absl::StatusCode::kDataLoss);
}

}  // namespace
}  // namespace hero
