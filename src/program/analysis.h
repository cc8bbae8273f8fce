// Analyze: abstract execution of a program — types, validity and liveness.
//
// Runs the program over types instead of values: w, g, m, v are tensors, lr
// and λ scalars, literals scalars; each op's result type follows the op table.
// A program is valid iff every argument is defined before it is read and has
// a type the op accepts, no statement writes lr or λ, every variable keeps one
// type, and `update` is assigned a tensor. Invalid programs are rejected with
// InvalidArgument `file:line:col: message` (or `statement N: message` for
// programs made in code, which carry no positions). Nothing is run.
//
// Liveness is computed across steps: a state slot (m, v) is *real* iff its
// incoming value is read, directly or through other statements, by something
// that reaches the returned update — or the returned value of another real
// slot. A slot whose incoming value is overwritten before it is read (as `m`
// in the paper's evolved program) carries nothing from one step to the next,
// so the statements that only compute it are dead.
//
//   absl::StatusOr<Analysis> a = Analyze(program, "evolved.py");
//   if (a.ok() && !a->state_is_live[0]) { /* m is not a state slot */ }
#ifndef HERO_PROGRAM_ANALYSIS_H_
#define HERO_PROGRAM_ANALYSIS_H_

#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "src/program/program.h"

namespace hero {

enum class ValueType : uint8_t { kUndefined, kTensor, kScalar };

absl::string_view ValueTypeName(
    ValueType t);  // "tensor", "scalar", "undefined"

struct Analysis {
  // Per register: its type (kUndefined for a name that is never assigned and
  // never read, e.g. after mutation removed its statement).
  std::vector<ValueType> types;
  // Per statement: contributes to the returned update or a live state slot.
  std::vector<bool> live;
  // [0] for m, [1] for v: the incoming value is read by live statements.
  bool state_is_live[2] = {false, false};
  // The register holding `update`.
  int update_register = -1;

  int num_live() const;
  // Indices of statements that are not live.
  std::vector<int> RedundantStatements() const;
};

absl::StatusOr<Analysis> Analyze(const Program& program,
                                 absl::string_view file = "");

// True iff a live statement of `program` reads register `reg` (one of its
// arguments is that register). ReadsLive(p, a, kLr) is false for a step
// that ignores the learning rate, so no schedule or tuning reaches it. A
// syntactic test: `update = m + lr * 0` reads lr.
// REQUIRES: `analysis` is Analyze(program)'s.
bool ReadsLive(const Program& program, const Analysis& analysis, int reg);

}  // namespace hero

#endif  // HERO_PROGRAM_ANALYSIS_H_
