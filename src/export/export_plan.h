// ExportPlan: what every code generator needs to know about a program — its
// live statements in order, with identifiers that are safe in C++ and
// Python, each value's type, the numeric literals as named
// hyperparameters, and the state slots it carries.
//
//   absl::StatusOr<ExportPlan> plan = MakeExportPlan(program, options);
//   for (const ExportStatement& s : plan->statements) ...
//
// Identifiers: program variables keep their names (λ is `lam`), unless a
// name is a keyword of C++ or Python or a name the generated code uses
// (Reserved()); such a name, or a clash after that, gets `_` appended.
//
// Hyperparameters (with PlanOptions::named_constants): every numeric
// literal of a live statement becomes a hyperparameter whose default is the
// literal, named for its role where it has one — the weight of an
// interpolation is `beta` (`beta1`, `beta2`, ... in order when there are
// several, as in Adam and Lion), the threshold of clip_by_global_norm
// `max_norm`, the exponent of power `exponent`, a factor of the state
// (`m * 0.9`) `momentum`, the named constant eps `eps` — else `c1`, `c2`,
// ...; several of one role are numbered. pi and e stay constants.
//
// Thread-safety: a plan is a plain value.
#ifndef HERO_EXPORT_EXPORT_PLAN_H_
#define HERO_EXPORT_EXPORT_PLAN_H_

#include <array>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "src/program/analysis.h"
#include "src/program/ops.h"
#include "src/program/program.h"

namespace hero {

struct PlanOptions {
  // Literals become hyperparameters (else they stay inline).
  bool named_constants = true;
};

struct Hyperparameter {
  std::string name;
  float value = 0.0f;
  // What it is, for documentation: "interpolation weight in `m =
  // interpolate(g, m, 0.99)`".
  std::string role;
};

struct ExportArg {
  enum class Kind { kVariable, kHyperparameter, kLiteral };
  Kind kind = Kind::kVariable;
  // The identifier (variable or hyperparameter); empty for a literal.
  std::string name;
  // The literal's value (also a hyperparameter's default).
  float value = 0.0f;
  ValueType type = ValueType::kScalar;
  // For a variable: the index in ExportPlan::statements of the statement
  // that defined the value read, or -1 for an input (w, g, m, v, lr, λ).
  int def = -1;
  // For an input: its register (kW ... kLam).
  int input = -1;
};

struct ExportStatement {
  OpCode op = OpCode::kAdd;
  std::string out;  // The identifier assigned.
  ValueType type = ValueType::kTensor;
  std::vector<ExportArg> args;
  // The statement as written in the program (paper syntax).
  std::string source;
};

struct ExportPlan {
  // Live statements, in program order.
  std::vector<ExportStatement> statements;
  // Dead statements (paper syntax), which do not affect the result.
  std::vector<std::string> dead;
  std::vector<Hyperparameter> hyperparameters;
  // Per slot m, v: the program carries it (its incoming value is read).
  std::array<bool, 2> slot_live = {false, false};
  // Per slot: index in `statements` of the statement computing the
  // returned value, or -1 if it is returned unchanged (or dead).
  std::array<int, 2> slot_out = {-1, -1};
  // Index in `statements` of the statement computing `update`.
  int update = -1;
  // Per input register w, g, m, v, lr, λ: read by a live statement.
  std::array<bool, kNumInputs> reads_input = {};
  // Uses global_norm, dot, cosine_sim or clip_by_global_norm / norm.
  bool has_global_reduction = false;
  bool has_norm = false;
  // Some live op is not correctly rounded in float32 (exp, log, sin, ...).
  bool has_transcendental = false;
  // The program, as PrintProgram writes it.
  std::string source;
};

absl::StatusOr<ExportPlan> MakeExportPlan(const Program& program,
                                          const PlanOptions& options);

// Identifiers no program variable may take in generated code.
bool IsReserved(const std::string& name);

// True for ops whose float32 result is not exactly specified by IEEE 754
// (their exports compute in float64 and round once): the trigonometric,
// hyperbolic, exponential and logarithmic functions, cbrt and power.
bool IsTranscendental(OpCode op);

}  // namespace hero

#endif  // HERO_EXPORT_EXPORT_PLAN_H_
