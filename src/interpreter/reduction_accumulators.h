// ReductionAccumulators: the running sums behind a program's reductions
// during one step, and their results.
//
// A pass accumulates, block by block, the sums of the reductions planned for
// it (CompiledProgram::Pass::reductions) in double; at the end of the pass
// Finish turns them into results: a scalar (global_norm, dot, cosine_sim,
// and the norm inside clip_by_global_norm) or one norm per segment (norm).
// Blocks are added in a fixed order, so results are deterministic.
//
//   ReductionAccumulators sums(program, layout.segments().size());
//   sums.Reset();
//   for (each block of pass p) sums.Accumulate(p, ptr, segment, len);
//   sums.Finish(p, [&](int value, float x) { /* a scalar result */ });
//   float n = sums.segment_norm(value, segment);
//
// Thread-safety: none; one per interpreter.
#ifndef HERO_INTERPRETER_REDUCTION_ACCUMULATORS_H_
#define HERO_INTERPRETER_REDUCTION_ACCUMULATORS_H_

#include <array>
#include <vector>

#include "absl/functional/function_ref.h"
#include "src/interpreter/compiled_program.h"

namespace hero {

class ReductionAccumulators {
 public:
  // `program` must outlive this.
  ReductionAccumulators(const CompiledProgram& program, int num_segments);

  // Zeroes every sum (start of a step).
  void Reset();
  // Adds one block of `len` elements of segment `segment`: ptr[v] points at
  // value v's block in pass `pass` (CompiledProgram value ids).
  void Accumulate(int pass, const float* const* ptr, int segment, int len);
  // Computes the results of the reductions accumulated in `pass`: scalars
  // through set_scalar(value, result), segment norms into segment_norm().
  void Finish(int pass, absl::FunctionRef<void(int value, float x)> set_scalar);
  // For a kSegmentNorm value whose pass has finished: its segment's norm.
  float segment_norm(int value, int segment) const {
    return segment_norms_[value][segment];
  }

 private:
  const CompiledProgram& program_;
  // Per reduction: sum xy, sum xx, sum yy (as the op needs), or for norm one
  // sum of squares per segment.
  std::vector<std::array<double, 3>> sums_;
  std::vector<std::vector<double>> segment_sums_;
  // Per value (kSegmentNorm only): the norm of each segment.
  std::vector<std::vector<float>> segment_norms_;
};

}  // namespace hero

#endif  // HERO_INTERPRETER_REDUCTION_ACCUMULATORS_H_
