// Program: the in-memory form of an optimizer program.
//
// A program is the body of the paper's `train(w, g, m, v, lr, λ)` function:
// straight-line statements `out = op(args...)` over numbered registers, each
// argument a register or an inline float32 constant, ending in
// `return update, m, v`. Registers 0..5 are the inputs w, g, m, v, lr, λ; the
// others are the program's variables, named by `names`. The text form (paper
// syntax) is read by parser.h and written by printer.h; the protobuf form by
// program_proto.h. Whether a program is valid (names defined before use,
// types, the return) is decided by analysis.h, not here.
//
//   Program p;
//   int update = p.AddVariable("update");
//   p.statements.push_back(Statement::Make(OpCode::kSign, update,
//   {Arg::Var(kG)}));
//
// Invariants: (1) every statement has exactly GetOpInfo(op).arity arguments
// and no constant op (pi, e, eps) as its op; (2) every register index in a
// statement is < names.size(); (3) names[0..5] are the input names and names
// are distinct; (4) names.size() <= kMaxNames (limits.h), so register indices
// fit their int16_t.
//
// A Program is a value: cheap to copy (a few hundred bytes for a typical
// program) and safe to share read-only across threads.
#ifndef HERO_PROGRAM_PROGRAM_H_
#define HERO_PROGRAM_PROGRAM_H_

#include <array>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "src/program/ops.h"

namespace hero {

// The fixed input registers.
enum InputRegister : int16_t {
  kW = 0,
  kG = 1,
  kM = 2,
  kV = 3,
  kLr = 4,
  kLam = 5,
  kNumInputs = 6,
};

// The returned state slots, in return order after `update`.
inline constexpr int16_t kStateSlots[] = {kM, kV};

// An argument: a register, an inline literal, or a named constant (pi, e,
// eps), which behaves as a literal of its value but prints by name.
struct Arg {
  static constexpr int16_t kLiteral = -1;

  int16_t reg = kLiteral;             // >= 0 for a register.
  OpCode constant_op = OpCode::kEps;  // Meaningful only for named constants.
  bool named = false;                 // A named constant (pi, e, eps).
  float value = 0.0f;  // The literal's value when reg == kLiteral.

  static Arg Var(int reg) {
    Arg a;
    a.reg = static_cast<int16_t>(reg);
    return a;
  }
  static Arg Literal(float v) {
    Arg a;
    a.value = v;
    return a;
  }
  static Arg Named(OpCode constant);  // REQUIRES: IsConstantOp(constant).

  bool is_var() const { return reg >= 0; }
  bool is_constant() const { return reg < 0; }

  // Exact equality (constants compared bitwise), ignoring nothing.
  bool operator==(const Arg& o) const;
  bool operator!=(const Arg& o) const { return !(*this == o); }
};

// 1-based position in a source file; 0 when the statement was made by code.
struct SourcePos {
  int32_t line = 0;
  int32_t column = 0;
};

struct Statement {
  OpCode op = OpCode::kAdd;
  int16_t out = 0;
  std::array<Arg, kMaxArity> args{};  // The first arity(op) are used.
  // Where each part was written, for error messages: [0] the output name,
  // [1 + i] argument i.
  std::array<SourcePos, 1 + kMaxArity> pos{};

  static Statement Make(OpCode op, int out, std::initializer_list<Arg> args);

  int arity() const { return GetOpInfo(op).arity; }
  // Equal op, output and arguments (positions ignored).
  bool SameAs(const Statement& o) const;
};

struct Program {
  Program();  // Inputs only, no statements.

  std::vector<Statement> statements;
  // names[r] is register r's variable name; the first kNumInputs are
  // w, g, m, v, lr, λ.
  std::vector<std::string> names;
  // Where `return` was written (for error messages).
  SourcePos return_pos;

  int num_registers() const { return static_cast<int>(names.size()); }
  // The register named `name`, or -1. Accepts "lam" for λ.
  int FindVariable(absl::string_view name) const;
  // The register named `name`, added if new. REQUIRES: a new name keeps
  // num_registers() <= kMaxNames (limits.h); readers of untrusted input
  // check that first (NameIndex), and a violation aborts.
  int AddVariable(absl::string_view name);
  // The register holding the returned `update`, or -1 if there is none.
  int update_register() const { return FindVariable("update"); }

  // Same statements and names (positions ignored).
  bool operator==(const Program& o) const;
};

// Input names, indexed by InputRegister. λ is spelled "λ" (UTF-8).
absl::string_view InputName(int reg);
// True for "lam" and "λ".
bool IsLambdaName(absl::string_view name);

}  // namespace hero

#endif  // HERO_PROGRAM_PROGRAM_H_
