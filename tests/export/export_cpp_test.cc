// The C++ exports (hero export --to=cpp, compiled into this test) against
// hero: every shipped program, the random programs and the per-op sweeps
// (export_parity.h has the checks). Built twice: as export_cpp_test, with
// the project's flags, and as export_cpp_contraction_test, over the shipped
// programs compiled with -ffp-contract=fast, which shows that the header's
// own pragma keeps the compiler from fusing a multiply and an add.
#include <iostream>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tests/export/cpp_runner.h"
#include "tests/export/export_parity.h"

namespace hero {
namespace export_test {
namespace {

TEST(ExportCppTest, EveryProgramMatchesHero) {
  std::vector<ProgramEntry> programs;
  for (const ProgramEntry& p :
       ReadProgramList("tests/export/programs_list.txt")) {
    if (CppRunners().count(p.name)) programs.push_back(p);
  }
  int random = 0;
  for (const ProgramEntry& p : programs) random += p.name[0] == 'p';
#ifdef HERO_CONTRACTION_TEST
  EXPECT_EQ(programs.size(), 5u);
#else
  EXPECT_EQ(programs.size(), CppRunners().size());
  EXPECT_GE(random, 200);
#endif
  ParityReport report("cpp");
  for (const Job& job : MakeJobs(programs, /*foreach_too=*/false)) {
    report.Check(job, CppRunners().at(job.program.name)(job));
  }
  std::cout << report.Summary() << "\n";
  EXPECT_TRUE(report.failures().empty()) << report.Summary();
}

}  // namespace
}  // namespace export_test
}  // namespace hero
