// A small search output directory written by tests: a journal with a header,
// the warm start (AdamW) and five children — a lineage 0 → 1 → 3 → 4 on
// which the sign enters at id 3, a failed child 2 and a cached child 5 —
// and optionally a best.py naming id 3 (as a funnel's answer would; the best
// search fitness is id 4's).
#ifndef HERO_TESTS_SEARCH_SMALL_RUN_H_
#define HERO_TESTS_SEARCH_SMALL_RUN_H_

#include <filesystem>
#include <string>

#include "gtest/gtest.h"
#include "proto/journal.pb.h"
#include "src/search/journal.h"
#include "src/util/atomic_file.h"

namespace hero {
namespace testing_util {

inline std::string AdamWWith(const std::string& beta1,
                             const std::string& after_division) {
  return "def train(w, g, m, v, lr, λ):\n"
         "  g2 = square(g)\n"
         "  m = interpolate(g, m, " +
         beta1 +
         ")\n"
         "  v = interpolate(g2, v, 0.999)\n"
         "  v_sqrt = sqrt(v)\n"
         "  update = m / v_sqrt\n" +
         after_division +
         "  wd = w * λ\n"
         "  update = update + wd\n"
         "  update = update * lr\n"
         "  return update, m, v\n";
}

inline JournalRecord Candidate(int64_t id, int64_t parent,
                               const std::string& mutation,
                               const std::string& program, double fitness,
                               double elapsed, const std::string& hash) {
  JournalRecord r;
  r.set_kind(id == 0 ? JournalRecord::WARM_START : JournalRecord::CHILD);
  r.set_id(id);
  r.set_parent_id(parent);
  r.set_mutation(mutation);
  r.set_program(program);
  r.set_structural_hash(hash);
  r.set_fitness(fitness);
  r.set_status(EvalResult::OK);
  r.set_eval_seconds(0.5);
  r.set_elapsed_seconds(elapsed);
  return r;
}

// Writes the run into `dir` (created) and returns `dir`.
inline std::string WriteSmallRun(const std::string& dir, bool with_best_py) {
  std::filesystem::create_directories(dir);
  JournalRecord header;
  header.set_kind(JournalRecord::HEADER);
  header.set_config("task { name: \"small\" }\n");
  JournalRecord failed =
      Candidate(2, 0, "delete 3: v = interpolate(g2, v, 0.999)",
                "def train(w, g, m, v, lr, λ):\n  update = g / w\n"
                "  return update, m, v\n",
                0, 3.25, "0000000000000002");
  failed.set_status(EvalResult::FAILED);
  failed.set_failure_reason("step 3: training loss nan");
  JournalRecord cached = Candidate(
      5, 4, "modify_arg 2, arg 3: m = interpolate(g, m, 0.8) (was 0.7)",
      AdamWWith("0.8", "  update = sign(update)\n"), 0.86, 9.5,
      "0000000000000004");
  cached.set_cache_hit("structural");
  cached.set_eval_seconds(0);
  std::string journal;
  for (const JournalRecord& r :
       {header,
        Candidate(0, 0, "", AdamWWith("0.9", ""), 0.8502, 1.5,
                  "0000000000000000"),
        Candidate(1, 0,
                  "modify_arg 2, arg 3: m = interpolate(g, m, 0.7) (was 0.9)",
                  AdamWWith("0.7", ""), 0.851, 3.0, "0000000000000001"),
        failed,
        Candidate(3, 1, "insert 6: update = sign(update)",
                  AdamWWith("0.7", "  update = sign(update)\n"), 0.86, 5.0,
                  "0000000000000003"),
        Candidate(4, 3,
                  "modify_arg 2, arg 3: m = interpolate(g, m, 0.8) (was 0.7)",
                  AdamWWith("0.8", "  update = sign(update)\n"), 0.865, 8.25,
                  "0000000000000004"),
        cached}) {
    journal += EncodeJournalLine(r);
  }
  EXPECT_TRUE(WriteFileAtomically(dir + "/journal", journal).ok());
  if (with_best_py) {
    EXPECT_TRUE(
        WriteFileAtomically(dir + "/best.py",
                            "# the funnel's best; search fitness 0.8600  id 3  "
                            "structural_hash 0000000000000003\n" +
                                AdamWWith("0.7", "  update = sign(update)\n"))
            .ok());
  }
  return dir;
}

}  // namespace testing_util
}  // namespace hero

#endif  // HERO_TESTS_SEARCH_SMALL_RUN_H_
