// hero export PROGRAM --to=cpp|pytorch|numpy [--name=NAME] [-o OUT]
//                     [--inline_constants]
//
// Writes the source code of a standalone optimizer that computes what the
// program computes (src/export/exporter.h), to stdout or atomically to OUT.
#include <iostream>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "src/cli/commands.h"
#include "src/cli/exit_codes.h"
#include "src/cli/flags.h"
#include "src/export/export_format.h"
#include "src/export/exporter.h"
#include "src/program/program_proto.h"
#include "src/util/atomic_file.h"

namespace hero {
namespace {

// The command line as it would be typed again (arguments with shell
// metacharacters single-quoted).
std::string CommandLine(const Args& args) {
  std::string out = "hero export";
  for (const std::string& a : args) {
    const bool plain =
        !a.empty() && a.find_first_not_of(
                          "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWX"
                          "YZ0123456789_-.,/=+:@%") == std::string::npos;
    absl::StrAppend(&out, " ", plain ? a : absl::StrCat("'", a, "'"));
  }
  return out;
}

}  // namespace

int RunExport(const Args& args) {
  FlagSet flags(
      "export", "PROGRAM",
      "Writes the source code of a standalone optimizer that runs PROGRAM, "
      "with no\ndependency on hero:\n"
      "  cpp      a C++17 header: a class with parameter groups, Step(lr) "
      "and state,\n           shaped like hero's native optimizers "
      "(src/optim)\n"
      "  pytorch  a torch.optim.Optimizer subclass (param groups, lr, "
      "weight_decay = λ,\n           maximize, foreach, state_dict)\n"
      "  numpy    a function step(params, grads, state, lr, lam) on float32 "
      "arrays\n"
      "The code computes in float32 exactly as hero does (IEEE operations "
      "bit for bit;\ntranscendental functions in float64, rounded once). "
      "Numeric literals become\nnamed hyperparameters with the literal as "
      "default (beta1, beta2, ... for\ninterpolation weights). optax/JAX is "
      "not offered: it cannot be installed and\ntested here.");
  std::string to, name, out_path;
  bool inline_constants = false;
  flags.AddString("to", &to, "the target: cpp, pytorch or numpy (required)");
  flags.AddString("name", &name,
                  "the class name (default: from PROGRAM's file name, "
                  "hero_lion.py → HeroLion)");
  flags.AddString("output", &out_path,
                  "write the code to this file (atomically) instead of stdout");
  flags.AddAlias('o', "output");
  flags.AddBool("inline_constants", &inline_constants,
                "keep numeric literals inline instead of making them "
                "hyperparameters");
  if (std::optional<int> exit = ParseCommandLine(flags, args)) return *exit;
  if (flags.positional().size() != 1) {
    return ReportError(absl::InvalidArgumentError(
        "hero export: expected one PROGRAM (see `hero export --help`)"));
  }
  if (to.empty()) {
    return ReportError(absl::InvalidArgumentError(
        "hero export: --to is required (cpp, pytorch or numpy)"));
  }
  absl::StatusOr<ExportTarget> target = ParseExportTarget(to);
  if (!target.ok()) {
    return ReportError(absl::InvalidArgumentError(
        absl::StrCat("hero export: --to: ", target.status().message())));
  }
  const std::string& path = flags.positional()[0];
  if (name.empty()) name = ClassNameFromPath(path);
  if (!IsIdentifier(name)) {
    return ReportError(absl::InvalidArgumentError(absl::StrCat(
        "hero export: --name: `", name,
        "` is not an identifier (letters, digits and _, not starting with a "
        "digit)")));
  }
  absl::StatusOr<Program> program = ReadProgramFile(path);
  if (!program.ok()) return ReportError(program.status());
  ExportOptions options;
  options.target = *target;
  options.name = name;
  options.command = CommandLine(args);
  options.named_constants = !inline_constants;
  absl::StatusOr<std::string> code = ExportProgram(*program, options);
  if (!code.ok()) return ReportError(code.status());
  if (!out_path.empty()) {
    if (absl::Status s = WriteFileAtomically(out_path, *code); !s.ok()) {
      return ReportError(s);
    }
  } else {
    std::cout << *code;
  }
  return kExitOk;
}

}  // namespace hero
