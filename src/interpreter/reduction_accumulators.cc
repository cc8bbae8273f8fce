#include "src/interpreter/reduction_accumulators.h"

#include <algorithm>
#include <cmath>

#include "src/interpreter/block_reductions.h"

namespace hero {

ReductionAccumulators::ReductionAccumulators(const CompiledProgram& program,
                                             int num_segments)
    : program_(program),
      sums_(program.reductions.size()),
      segment_sums_(program.reductions.size()),
      segment_norms_(program.num_values()) {
  for (size_t r = 0; r < program.reductions.size(); ++r) {
    if (program.reductions[r].op == OpCode::kNorm) {
      segment_sums_[r].resize(num_segments);
      segment_norms_[program.reductions[r].out].resize(num_segments);
    }
  }
}

void ReductionAccumulators::Reset() {
  for (std::array<double, 3>& s : sums_) s = {0.0, 0.0, 0.0};
  for (std::vector<double>& s : segment_sums_) {
    std::fill(s.begin(), s.end(), 0.0);
  }
}

void ReductionAccumulators::Accumulate(int pass, const float* const* ptr,
                                       int segment, int len) {
  for (int r : program_.passes[pass].reductions) {
    const CompiledProgram::Reduction& red = program_.reductions[r];
    const float* x = ptr[red.args[0]];
    std::array<double, 3>& s = sums_[r];
    switch (red.op) {
      case OpCode::kNorm:
        segment_sums_[r][segment] += SumOfSquares(x, len);
        break;
      case OpCode::kGlobalNorm:
        s[1] += SumOfSquares(x, len);
        break;
      case OpCode::kDot:
        s[0] += DotProduct(x, ptr[red.args[1]], len);
        break;
      case OpCode::kCosineSim: {
        const float* y = ptr[red.args[1]];
        s[0] += DotProduct(x, y, len);
        s[1] += SumOfSquares(x, len);
        s[2] += SumOfSquares(y, len);
        break;
      }
      default:
        break;
    }
  }
}

void ReductionAccumulators::Finish(
    int pass, absl::FunctionRef<void(int value, float x)> set_scalar) {
  for (int r : program_.passes[pass].reductions) {
    const CompiledProgram::Reduction& red = program_.reductions[r];
    const std::array<double, 3>& s = sums_[r];
    switch (red.op) {
      case OpCode::kNorm: {
        std::vector<float>& norms = segment_norms_[red.out];
        for (size_t i = 0; i < norms.size(); ++i) {
          norms[i] = static_cast<float>(std::sqrt(segment_sums_[r][i]));
        }
        break;
      }
      case OpCode::kGlobalNorm:
        set_scalar(red.out, static_cast<float>(std::sqrt(s[1])));
        break;
      case OpCode::kDot:
        set_scalar(red.out, static_cast<float>(s[0]));
        break;
      case OpCode::kCosineSim:
        // dot / (|x| |y| + 1e-8), in double, rounded once.
        set_scalar(red.out,
                   static_cast<float>(
                       s[0] / (std::sqrt(s[1]) * std::sqrt(s[2]) + 1e-8)));
        break;
      default:
        break;
    }
  }
}

}  // namespace hero
