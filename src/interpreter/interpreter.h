// Interpreter: runs one optimizer step of a Program on flat float32 buffers.
//
// The training loop hands the interpreter the model's weights w and gradient
// g (one contiguous buffer each, laid out as a ParameterLayout says) and the
// optimizer state m and v (same layout, zero at step 0), plus the scalars lr
// (schedule value times peak learning rate) and λ. One Step computes the
// program's `update`, `m` and `v` with the exact semantics of the op table
// (ops.h) and stores them; with `apply_update` it also performs w ← w − update.
//
//   absl::StatusOr<std::unique_ptr<Interpreter>> interp =
//       Interpreter::Create(program, layout);
//   StepResult r = (*interp)->Step({w, g, m, v, /*update=*/nullptr},
//                                  {lr, lam}, /*apply_update=*/true);
//   if (!r.finite) { /* the candidate diverged: fail its evaluation */ }
//
// How it runs (compiled_program.h has the plan): elementwise statements are
// executed together over cache-sized blocks of the buffers, one kernel call
// per statement (kernels.h), so each input is read once and each output
// written once per pass. Reductions (global_norm, dot, cosine_sim, norm, and
// the norm inside clip_by_global_norm) split the program into stages: a pass
// computes the reductions a later stage needs; elementwise values an earlier
// pass computed are recomputed, not stored, so no full-size temporaries exist.
// Statements whose arguments are all scalars run once per step, not per
// element, through the same kernels (so they round the same). Dead statements
// (analysis.h) are not run. Blocks never straddle a segment boundary, so a
// per-tensor `norm` is constant within a block. Reductions accumulate in
// double, block by block in a fixed order, so a step is deterministic: same
// inputs, same bits. Elementwise results never depend on the block size, the
// layout or the buffers' alignment; reduction results may, in the last bit.
// In the last pass the statements computing the returned m and v write
// straight into the state buffers, and the one computing the update
// subtracts it from w, checking finiteness on the way, where that is safe
// (nothing later reads what they overwrite). While a block computes, the
// next block's inputs are prefetched.
//
// State slots: the returned m (v) is written and checked only if the program
// carries it (Analysis::state_is_live) and assigns it; otherwise the buffer is
// left as it is (its content cannot affect any later step).
//
// Thread-safety: an Interpreter is not thread-safe (it owns scratch space);
// use one per thread. Step never allocates.
#ifndef HERO_INTERPRETER_INTERPRETER_H_
#define HERO_INTERPRETER_INTERPRETER_H_

#include <cstdint>
#include <memory>

#include "absl/status/statusor.h"
#include "src/interpreter/parameter_layout.h"
#include "src/program/program.h"

namespace hero {

// The buffers of one step; each holds layout.size() floats.
struct StepBuffers {
  float* w = nullptr;  // Read; updated in place iff apply_update.
  const float* g = nullptr;
  // State: read, then overwritten with the returned m, v (see "State slots").
  float* m = nullptr;
  float* v = nullptr;
  // Optional output: the returned update. May be null.
  float* update = nullptr;
};

struct StepScalars {
  float lr = 0.0f;
  float lam = 0.0f;
};

struct StepResult {
  // False iff some element of update, m or v (as returned and written) is
  // NaN or ±Inf. The buffers have been written either way.
  bool finite = true;
};

class Interpreter {
 public:
  struct Options {
    // Elements per block; a multiple of 16. Blocks are shorter at segment
    // ends. 512 measured best (of 256 to 4096, tools/bench/
    // interpreter_bench): a block's buffers and its successor's prefetched
    // inputs then stay in L1.
    int block_size = 512;
  };

  // Compiles `program` for buffers laid out as `layout`. Fails
  // (InvalidArgument) if the program does not pass Analyze(), the layout is
  // empty or options.block_size is not a positive multiple of 16.
  static absl::StatusOr<std::unique_ptr<Interpreter>> Create(
      const Program& program, const ParameterLayout& layout, Options options);
  static absl::StatusOr<std::unique_ptr<Interpreter>> Create(
      const Program& program, const ParameterLayout& layout) {
    return Create(program, layout, Options());
  }

  virtual ~Interpreter() = default;
  Interpreter(const Interpreter&) = delete;
  Interpreter& operator=(const Interpreter&) = delete;

  // Runs one step. REQUIRES: the buffers hold layout().size() floats each
  // (any float alignment); w, g, m, v and update do not overlap.
  virtual StepResult Step(const StepBuffers& buffers, StepScalars scalars,
                          bool apply_update) = 0;

  virtual const ParameterLayout& layout() const = 0;
  // Number of passes over the buffers per step (1 + reduction depth).
  virtual int num_passes() const = 0;

 protected:
  Interpreter() = default;
};

}  // namespace hero

#endif  // HERO_INTERPRETER_INTERPRETER_H_
