// hero show PROGRAM [--format=python|textproto] [--analyze]
#include <iostream>
#include <string>

#include "absl/strings/str_cat.h"
#include "src/cli/commands.h"
#include "src/cli/exit_codes.h"
#include "src/cli/flags.h"
#include "src/program/analysis.h"
#include "src/program/printer.h"
#include "src/program/program_proto.h"
#include "src/program/structural_hash.h"
#include "src/simplify/classify.h"

namespace hero {
namespace {

std::string AnalysisReport(const Program& p, const Analysis& a) {
  std::string out = "\ntypes:\n";
  for (int r = 0; r < p.num_registers(); ++r) {
    if (a.types[r] == ValueType::kUndefined) continue;
    absl::StrAppend(&out, "  ", p.names[r], ": ", ValueTypeName(a.types[r]),
                    "\n");
  }
  out += "state slots:\n";
  for (int k = 0; k < 2; ++k) {
    const std::string& name = p.names[kStateSlots[k]];
    if (a.state_is_live[k]) {
      absl::StrAppend(&out, "  ", name,
                      ": live (its incoming value is read)\n");
    } else {
      absl::StrAppend(&out, "  ", name,
                      ": not a state slot (its incoming value is never read, "
                      "so nothing carries over between steps)\n");
    }
  }
  const std::vector<int> redundant = a.RedundantStatements();
  absl::StrAppend(&out, "live statements: ", a.num_live(), " of ",
                  p.statements.size(), "\n");
  if (redundant.empty()) {
    out += "redundant statements: none\n";
  } else {
    out +=
        "redundant statements (they do not reach update or a live state "
        "slot):\n";
    for (int i : redundant) {
      const Statement& s = p.statements[i];
      const std::string where = s.pos[0].line > 0
                                    ? absl::StrCat("line ", s.pos[0].line)
                                    : absl::StrCat("statement ", i + 1);
      absl::StrAppend(&out, "  ", where, ": ", PrintStatement(p, s), "\n");
    }
  }
  // The classifier judges the simplified program; a valid program always
  // simplifies, so an error here is a bug and only drops the line.
  if (absl::StatusOr<Classification> c = Classify(p); c.ok()) {
    absl::StrAppend(&out, "class: ", DescribeClassification(*c), "\n");
  }
  absl::StrAppend(&out, "structural_hash: ", HashToHex(StructuralHash(p, a)),
                  "\n");
  return out;
}

}  // namespace

int RunShow(const Args& args) {
  FlagSet flags("show", "PROGRAM",
                "Prints PROGRAM (a .py file in paper syntax or a textproto "
                "ProgramProto) after\nchecking it. With --analyze, also prints "
                "each variable's type, which state\nslots are real, the "
                "redundant statements, the class of the simplified program\n"
                "(sign momentum, Lion form or other) and the structural hash.");
  std::string format = "python";
  bool analyze = false;
  flags.AddString("format", &format, "output form: python or textproto");
  flags.AddBool("analyze", &analyze,
                "also print types, state slots, redundant statements, "
                "class, hash");
  if (std::optional<int> exit = ParseCommandLine(flags, args)) return *exit;
  if (flags.positional().size() != 1) {
    return ReportError(absl::InvalidArgumentError(
        "hero show: expected one PROGRAM file (see `hero show --help`)"));
  }
  ProgramFormat out_format;
  if (format == "python") {
    out_format = ProgramFormat::kPython;
  } else if (format == "textproto") {
    out_format = ProgramFormat::kTextProto;
  } else {
    return ReportError(absl::InvalidArgumentError(
        absl::StrCat("hero show: --format must be python or textproto, not `",
                     format, "`")));
  }
  const std::string& path = flags.positional()[0];
  absl::StatusOr<Program> program = ReadProgramFile(path);
  if (!program.ok()) return ReportError(program.status());
  std::cout << FormatProgram(*program, out_format);
  if (analyze) {
    absl::StatusOr<Analysis> analysis = Analyze(*program, path);
    if (!analysis.ok()) return ReportError(analysis.status());
    std::cout << AnalysisReport(*program, *analysis);
  }
  return kExitOk;
}

}  // namespace hero
