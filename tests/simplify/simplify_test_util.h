// Helpers shared by the simplifier tests: programs from text, the dataflow
// of a body, simplification to text, and running programs side by side.
#ifndef HERO_TESTS_SIMPLIFY_SIMPLIFY_TEST_UTIL_H_
#define HERO_TESTS_SIMPLIFY_SIMPLIFY_TEST_UTIL_H_

#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "src/program/parser.h"
#include "src/program/printer.h"
#include "src/program/program.h"
#include "src/program/program_proto.h"
#include "src/simplify/dataflow.h"
#include "src/simplify/simplifier.h"

namespace hero {
namespace testing_util {

inline constexpr char kHeader[] = "def train(w, g, m, v, lr, λ):\n";

// A program from the indented body lines (without header and return).
inline Program Body(const std::string& body) {
  absl::StatusOr<Program> p =
      ParseProgram(kHeader + body + "  return update, m, v\n", "test.py");
  EXPECT_TRUE(p.ok()) << p.status();
  return p.ok() ? *std::move(p) : Program();
}

inline Dataflow Graph(const std::string& body) {
  absl::StatusOr<Dataflow> df = Dataflow::FromProgram(Body(body));
  EXPECT_TRUE(df.ok()) << df.status();
  return df.ok() ? *std::move(df) : Dataflow();
}

// A full program text from body lines.
inline std::string Text(const std::string& body) {
  return kHeader + body + "  return update, m, v\n";
}

inline Program Shipped(const std::string& name) {
  absl::StatusOr<Program> p = ReadProgramFile("configs/programs/" + name);
  EXPECT_TRUE(p.ok()) << p.status();
  return p.ok() ? *std::move(p) : Program();
}

// The simplified program, printed.
inline std::string Simplified(const Program& p,
                              const SimplifyOptions& options = {}) {
  absl::StatusOr<SimplifyResult> r = Simplify(p, options);
  EXPECT_TRUE(r.ok()) << r.status();
  return r.ok() ? PrintProgram(r->program) : "";
}

// The op nodes reachable in `df`, printed as statements in id order.
inline std::vector<std::string> Statements(const Dataflow& df) {
  std::vector<std::string> out;
  for (int id : df.LiveOpNodes()) out.push_back(df.StatementText(id));
  return out;
}

}  // namespace testing_util
}  // namespace hero

#endif  // HERO_TESTS_SIMPLIFY_SIMPLIFY_TEST_UTIL_H_
