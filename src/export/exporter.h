// ExportProgram: source code of a standalone optimizer from a program —
// what `hero export` writes — for C++, PyTorch or NumPy.
//
//   ExportOptions options;
//   options.target = ExportTarget::kPyTorch;
//   options.name = "HeroLion";
//   options.command = "hero export hero_lion.py --to=pytorch";
//   absl::StatusOr<std::string> code = ExportProgram(program, options);
//
// Every target computes what the interpreter computes (ops.h), in float32,
// one statement per line, with the program and the command in a header
// comment and no dependency on hero:
//   - kCpp: a C++17 header (the standard library only) with a class shaped
//     like src/optim's optimizers: parameter groups, Step(lr), state;
//   - kPyTorch: a torch.optim.Optimizer subclass (param groups, defaults
//     lr / weight_decay (= λ) / maximize / foreach and the hyperparameters,
//     lazily created state, closure, state_dict round trip);
//   - kNumPy: a function step(params, grads, state, lr, lam).
// IEEE-exact ops (+ - * /, sqrt, abs, sign, min, max, square, cube,
// reciprocal, negative, interpolate) round as in hero, bit for bit;
// transcendental ops (IsTranscendental) are computed in float64 and rounded
// once to float32; reductions accumulate in float64 over all tensors of one
// call (one parameter group) and round once, as hero's do.
//
// Thread-safety: pure function.
#ifndef HERO_EXPORT_EXPORTER_H_
#define HERO_EXPORT_EXPORTER_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "src/program/program.h"

namespace hero {

enum class ExportTarget { kCpp, kPyTorch, kNumPy };

// "cpp", "pytorch" or "numpy"; InvalidArgument otherwise.
absl::StatusOr<ExportTarget> ParseExportTarget(absl::string_view name);

struct ExportOptions {
  ExportTarget target = ExportTarget::kPyTorch;
  // The class name (C++, PyTorch; the NumPy module's docstring uses it). An
  // ASCII identifier.
  std::string name = "HeroOptimizer";
  // The command that made the export, recorded in the header comment.
  std::string command;
  // Numeric literals become named hyperparameters (export_plan.h); else they
  // stay inline.
  bool named_constants = true;
};

// InvalidArgument if the program is invalid (Analyze's message) or the name
// is not an identifier.
absl::StatusOr<std::string> ExportProgram(const Program& program,
                                          const ExportOptions& options);

}  // namespace hero

#endif  // HERO_EXPORT_EXPORTER_H_
