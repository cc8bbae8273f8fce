// The export parity harness: jobs (a program on a case), hero's reference
// results, and the checks an export's results must pass — shared by the
// C++ test (exports compiled into it) and the Python test (exports run by
// /usr/bin/python3).
//
//   std::vector<Job> jobs =
//   MakeJobs(ReadProgramList("tests/export/programs_list.txt")); for (const
//   Job& job : jobs) report.Check(job, RunSomehow(job));
//   EXPECT_TRUE(report.failures().empty()) << report.Summary();
//
// The checks (README "Exactness of exports"):
//   - programs of IEEE-exact ops (and reductions): 10 steps from the same
//     start, every weight equal to hero's bit for bit (NaN equal to NaN);
//   - programs with a transcendental op: every step started from hero's
//     weights and state (lockstep, so that an ulp of difference does not
//     compound), NaN/Inf in the same places, finite weights within
//     kTranscendentalUlps units in the last place of the step's largest
//     term (max |w|, |update|, |w - update|: where w - update cancels, the
//     ops' few ulps of the update are many ulps of the result);
//   - the per-op sweeps: NaN/Inf in the same places and at most the op's
//     stated bound in ulps (OpUlpBound).
#ifndef HERO_TESTS_EXPORT_EXPORT_PARITY_H_
#define HERO_TESTS_EXPORT_EXPORT_PARITY_H_

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "tests/export/parity_cases.h"

namespace hero {
namespace export_test {

struct ProgramEntry {
  std::string name;        // "hero_lion", "p017", "op_exp"
  std::string class_name;  // "HeroLion"
  std::string path;        // The .py file (runfiles-relative).
};

// Reads the `name Class path` lines of tests/export/programs.txt.
std::vector<ProgramEntry> ReadProgramList(const std::string& path);

enum class ProgramKind { kExact, kTranscendental, kOp };

struct Job {
  ProgramEntry program;
  ProgramKind kind = ProgramKind::kExact;
  std::string op;  // For kOp: the op's name.
  ParityCase data;
  bool lockstep = false;
  bool foreach = false;  // PyTorch: run + - * as _foreach kernels.
  std::array<bool, 2> live = {false, false};  // Slots m, v carried.
  Trace reference;
};

struct JobResult {
  std::string error;                  // Non-empty if the export failed to run.
  std::vector<std::vector<float>> w;  // After each step.
};

// Every program on every case (kOp programs on their sweeps), with hero's
// reference results. With `foreach_too`, the exact programs' jobs on the
// "normal" and "mixed" cases come again with foreach set.
std::vector<Job> MakeJobs(const std::vector<ProgramEntry>& programs,
                          bool foreach_too);

// The stated bound, in ulps, of an export of `op` against hero (all three
// targets); see the table in export_parity.cc.
int OpUlpBound(const std::string& op);

// Finite weights of a transcendental program, in lockstep, are within this
// many ulps (of the step's largest term) of hero's. Measured maximum: 6.
inline constexpr int kTranscendentalUlps = 16;

class ParityReport {
 public:
  explicit ParityReport(std::string target) : target_(std::move(target)) {}

  void Check(const Job& job, const JobResult& result);

  const std::vector<std::string>& failures() const { return failures_; }
  // Jobs checked per kind, the per-op maxima, the first failures.
  std::string Summary() const;

 private:
  void Fail(const Job& job, const std::string& what);

  std::string target_;
  std::vector<std::string> failures_;
  std::map<std::string, int64_t> op_max_ulps_;
  double transcendental_max_ulps_ = 0;
  std::array<int, 3> checked_ = {0, 0, 0};
};

// Distance in units in the last place between two finite floats (0 for +0
// and -0).
int64_t UlpDistance(float a, float b);

}  // namespace export_test
}  // namespace hero

#endif  // HERO_TESTS_EXPORT_EXPORT_PARITY_H_
