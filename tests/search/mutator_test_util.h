// Shared helpers of the mutator tests: program loading, option shortcuts
// and an independent check of the Program invariants (program.h).
#ifndef HERO_TESTS_SEARCH_MUTATOR_TEST_UTIL_H_
#define HERO_TESTS_SEARCH_MUTATOR_TEST_UTIL_H_

#include <cmath>
#include <set>
#include <string>

#include "gtest/gtest.h"
#include "src/program/analysis.h"
#include "src/program/parser.h"
#include "src/program/program.h"
#include "src/program/program_proto.h"
#include "src/program/structural_hash.h"
#include "src/search/mutator.h"

namespace hero {
namespace testing_util {

inline Program Load(const std::string& name) {
  absl::StatusOr<Program> p = ReadProgramFile("configs/programs/" + name);
  EXPECT_TRUE(p.ok()) << p.status();
  return *p;
}

inline Program Parse(const std::string& body) {
  absl::StatusOr<Program> p = ParseProgram(
      "def train(w, g, m, v, lr, λ):\n" + body + "  return update, m, v\n",
      "t.py");
  EXPECT_TRUE(p.ok()) << p.status();
  return *p;
}

inline uint64_t HashOf(const Program& p) {
  absl::StatusOr<Analysis> a = Analyze(p);
  EXPECT_TRUE(a.ok()) << a.status();
  return a.ok() ? StructuralHash(p, *a) : 0;
}

inline MutatorOptions Weights(double insert, double del, double modify,
                              double change, double wrap = 0) {
  MutatorOptions o;
  o.wrap_weight = wrap;
  o.insert_weight = insert;
  o.delete_weight = del;
  o.modify_arg_weight = modify;
  o.change_op_weight = change;
  return o;
}

// Structural invariants of program.h, checked independently of Analyze.
inline void ExpectWellFormed(const Program& p) {
  std::set<std::string> names(p.names.begin(), p.names.end());
  EXPECT_EQ(names.size(), p.names.size()) << "duplicate names";
  for (int r = 0; r < kNumInputs; ++r) EXPECT_EQ(p.names[r], InputName(r));
  for (const Statement& s : p.statements) {
    EXPECT_FALSE(IsConstantOp(s.op));
    EXPECT_GE(s.out, 0);
    EXPECT_LT(s.out, p.num_registers());
    EXPECT_NE(s.out, kLr);
    EXPECT_NE(s.out, kLam);
    for (int a = 0; a < s.arity(); ++a) {
      const Arg& arg = s.args[a];
      if (arg.is_var()) {
        EXPECT_LT(arg.reg, p.num_registers());
      } else {
        EXPECT_TRUE(std::isfinite(arg.value)) << arg.value;
        EXPECT_LE(std::fabs(arg.value), kMaxConstantMagnitude);
      }
    }
  }
}

}  // namespace testing_util
}  // namespace hero

#endif  // HERO_TESTS_SEARCH_MUTATOR_TEST_UTIL_H_
