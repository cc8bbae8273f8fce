// Fuzz target: the paper-syntax parser plus abstract execution.
//
// Input: program text. The code under test: ParseProgram, then Analyze.
// Oracles for every valid program: printing it and parsing the print gives
// the same print (a fixpoint) and the same structural hash; its proto form
// converts back to the same print; and nothing past the limits in
// src/program/limits.h was accepted.
#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"
#include "src/program/analysis.h"
#include "src/program/limits.h"
#include "src/program/parser.h"
#include "src/program/printer.h"
#include "src/program/program_proto.h"
#include "src/program/structural_hash.h"
#include "tests/fuzz/fuzz_util.h"

namespace hero {
namespace {

void CheckValidProgram(const Program& p, const Analysis& a) {
  FuzzRequire(p.statements.size() <= kMaxStatements, "statement limit passed");
  FuzzRequire(p.num_registers() <= kMaxNames, "name limit passed");
  const std::string printed = PrintProgram(p);
  absl::StatusOr<Program> again = ParseProgram(printed, "printed.py");
  FuzzRequire(again.ok(), "the print of a valid program does not parse",
              again.ok() ? printed : std::string(again.status().message()));
  FuzzRequire(PrintProgram(*again) == printed, "print/parse is no fixpoint",
              printed);
  absl::StatusOr<Analysis> again_analysis = Analyze(*again, "printed.py");
  FuzzRequire(again_analysis.ok(), "the print of a valid program is invalid",
              printed);
  FuzzRequire(StructuralHash(p, a) == StructuralHash(*again, *again_analysis),
              "printing changed the structural hash", printed);
  absl::StatusOr<Program> from_proto = FromProto(ToProto(p), "proto");
  FuzzRequire(from_proto.ok(), "the proto form of a valid program is refused",
              printed);
  FuzzRequire(PrintProgram(*from_proto) == printed,
              "the proto form changed the program", printed);
}

}  // namespace
}  // namespace hero

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace hero;
  const absl::string_view text(reinterpret_cast<const char*>(data), size);
  absl::StatusOr<Program> program = ParseProgram(text, "fuzz.py");
  if (!program.ok()) return 0;
  absl::StatusOr<Analysis> analysis = Analyze(*program, "fuzz.py");
  if (!analysis.ok()) return 0;
  CheckValidProgram(*program, *analysis);
  return 0;
}
