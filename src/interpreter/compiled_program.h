// CompiledProgram: a Program lowered for block-wise execution.
//
// The interpreter does not run the register program directly. CompileProgram
// keeps only live statements (analysis.h), renames every assignment to a new
// value (SSA: `update = update + wd` reads one value and defines another),
// and sorts the values into what runs where:
//
//   - scalar instructions (all arguments scalars) run once per step, before
//     the pass of their stage;
//   - tensor instructions (elementwise, at least one tensor argument) run per
//     block, in every pass that needs them: a later pass recomputes them from
//     the inputs rather than storing full-size temporaries;
//   - reductions accumulate over a whole pass and yield a scalar (global_norm,
//     dot, cosine_sim) or one value per segment (norm) for later passes.
//     clip_by_global_norm(x, c) is lowered to n = global_norm(x),
//     f = min(1, c / n) (with the op table's division), x * f.
//
// A value's stage is the first pass in which it is available: inputs and
// literals 0, an elementwise result the maximum of its arguments' stages, a
// reduction's result one more than its arguments'. Pass p runs the tensor
// instructions needed by the reductions accumulated in it and, in the last
// pass, those needed by the returned update, m and v.
//
//   absl::StatusOr<CompiledProgram> c = CompileProgram(program);
//   // c->passes.size() == 2 for the paper's evolved program.
//
// Invariants: (1) values[0..5] are the inputs w, g, m, v, lr, λ (value id ==
// register); (2) instructions and reductions only read values defined before
// them (lower ids); (3) every value a pass reads is a tensor input, a value
// computed earlier in that pass, a segment norm or a scalar of stage <= the
// pass; (4) a pass's slot assignment never gives two values that are live at
// the same time in a block the same slot, except that an instruction's output
// may take the slot of an argument it reads for the last time (kernels allow
// out == argument).
//
// A CompiledProgram is a plain value; the interpreter owns one.
#ifndef HERO_INTERPRETER_COMPILED_PROGRAM_H_
#define HERO_INTERPRETER_COMPILED_PROGRAM_H_

#include <array>
#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "src/program/ops.h"
#include "src/program/program.h"

namespace hero {

struct CompiledProgram {
  enum class ValueKind : uint8_t {
    kTensorInput,  // w, g, m or v as passed to the step.
    kScalarInput,  // lr or λ.
    kLiteral,      // A constant argument; `literal` holds it.
    kScalar,       // Computed once per step (instruction or reduction).
    kTensor,       // Computed per block by a tensor instruction.
    kSegmentNorm,  // norm(x): one value per segment, broadcast over it.
  };

  struct Value {
    ValueKind kind = ValueKind::kTensor;
    int stage = 0;  // The first pass in which the value is available.
    float literal = 0.0f;
  };

  // values[out] = op(values[args[0]], ...); args beyond the op's arity are -1.
  struct Instruction {
    OpCode op = OpCode::kAdd;
    int out = -1;
    std::array<int, kMaxArity> args = {-1, -1, -1};
  };

  // values[out] is computed from values[args] accumulated over pass `pass`.
  // op is kNorm, kGlobalNorm (also for clip_by_global_norm), kDot or
  // kCosineSim; args[1] is -1 for the one-argument ops.
  struct Reduction {
    OpCode op = OpCode::kGlobalNorm;
    int out = -1;
    std::array<int, 2> args = {-1, -1};
    int pass = 0;
  };

  struct Pass {
    // Tensor instructions, in dependency order.
    std::vector<Instruction> instructions;
    // Indices into `reductions` of those accumulated in this pass.
    std::vector<int> reductions;
    // Per value: the block buffer ("slot") holding it during this pass, or
    // -1 if the pass does not compute it.
    std::vector<int> slot;
    int num_slots = 0;
    // Which of the inputs w, g, m, v (by register) the pass reads.
    std::array<bool, 4> reads_input = {false, false, false, false};
    // Segment-norm values read by tensor instructions, reductions or outputs.
    std::vector<int> broadcast_norms;
  };

  std::vector<Value> values;
  // scalar_instructions[p] runs once per step, before pass p.
  std::vector<std::vector<Instruction>> scalar_instructions;
  std::vector<Reduction> reductions;
  std::vector<Pass> passes;
  // The values returned as update, m and v. state_out[k] is -1 when the
  // program does not carry that slot (Analysis::state_is_live) or returns it
  // unchanged: the buffer is then neither written nor checked.
  int update = -1;
  std::array<int, 2> state_out = {-1, -1};

  int num_values() const { return static_cast<int>(values.size()); }
  bool is_scalar(int value) const;
};

// Compiles `program`. Fails with Analyze()'s InvalidArgument if the program is
// invalid.
absl::StatusOr<CompiledProgram> CompileProgram(const Program& program);

}  // namespace hero

#endif  // HERO_INTERPRETER_COMPILED_PROGRAM_H_
