#include "src/interpreter/interpreter.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "src/interpreter/aligned_arena.h"
#include "src/interpreter/block_prefetcher.h"
#include "src/interpreter/block_reductions.h"
#include "src/interpreter/compiled_program.h"
#include "src/interpreter/kernels.h"
#include "src/interpreter/reduction_accumulators.h"

namespace hero {
namespace {

using Kind = CompiledProgram::ValueKind;
using Instruction = CompiledProgram::Instruction;

// p[i] = x for i in [0, n). REQUIRES: n % kKernelWidth == 0.
void Fill(float* __restrict p, int n, float x) {
  for (int i = 0; i < n; i += kKernelWidth) {
#pragma GCC unroll 16
    for (int j = 0; j < kKernelWidth; ++j) p[i + j] = x;
  }
}

// The outputs of a step, and the instructions that may compute them straight
// into their destination, checking finiteness on the way (in full blocks of
// the last pass; see Output below).
enum Output { kNone = -1, kUpdateOut = 0, kMOut = 1, kVOut = 2 };

// A tensor instruction ready to run: its kernels and the indices of its
// output and arguments in the pass's pointer table.
struct BlockInstruction {
  Kernel kernel;
  int out;
  int args[kMaxArity];
  // If not kNone, the output this instruction computes in fused form.
  Output fused = kNone;
  CheckedKernel store_checked = nullptr;
  CheckedKernel subtract_checked = nullptr;
};

class BlockInterpreter final : public Interpreter {
 public:
  BlockInterpreter(CompiledProgram program, ParameterLayout layout,
                   int block_size);

  StepResult Step(const StepBuffers& buffers, StepScalars scalars,
                  bool apply_update) override;
  const ParameterLayout& layout() const override { return layout_; }
  int num_passes() const override { return last_pass_ + 1; }

 private:
  static size_t ArenaFloats(const CompiledProgram& program, int block_size);
  void BuildPass(int p, float* slots);
  // The index in the last pass of the instruction computing `value`, if it
  // has fused kernels and no later instruction reads `input` (a register, or
  // -1) or, unless `reread_ok`, `value` itself; else -1.
  int FusibleInstruction(int value, int input, bool reread_ok) const;
  void RunScalarInstructions(int stage);
  void RunBlock(int pass, int segment, int64_t offset, int len, bool& finite);
  // The fused form of an output instruction; returns finiteness.
  bool RunFused(const BlockInstruction& b, int64_t offset, int n);
  // The outputs that were not computed in fused form.
  bool WriteOutputs(int64_t offset, int len, bool full);
  void SetScalar(int value, float x) { Fill(scalar_[value], kKernelWidth, x); }

  const CompiledProgram program_;
  const ParameterLayout layout_;
  const int block_size_;
  const int last_pass_;
  AlignedArena arena_;
  // Per value: kKernelWidth copies of a scalar's value for this step.
  std::vector<float*> scalar_;
  // Per segment-norm value: a block of copies of the current segment's norm.
  std::vector<float*> norm_block_;
  // Per input register w, g, m, v: where a short block is padded.
  float* staging_[4] = {};
  // Per pass: instructions and the pointer table they index (one entry per
  // value, plus a null entry for unused arguments).
  std::vector<std::vector<BlockInstruction>> instructions_;
  std::vector<std::vector<const float*>> pointers_;
  // Per Output: whether an instruction computes it in fused form; for the
  // update, whether that may subtract it from w directly.
  std::array<bool, 3> fused_ = {false, false, false};
  bool fused_subtract_ok_ = false;
  // Per state slot m, v computed in fused form: its slot, used in short
  // blocks (full blocks compute it straight into the state buffer).
  std::array<float*, 2> state_slot_ = {nullptr, nullptr};
  ReductionAccumulators reductions_;
  // Per segment-norm value: the segment whose norm its block holds (-1: none
  // yet this pass).
  std::vector<int> norm_block_segment_;
  BlockPrefetcher prefetcher_;
  // The current step's arguments.
  StepBuffers buffers_;
  bool apply_update_ = false;
  // Where the current full block's fused update went, if not into w.
  const float* stored_update_ = nullptr;
};

size_t BlockInterpreter::ArenaFloats(const CompiledProgram& program,
                                     int block_size) {
  size_t blocks = 4;  // Staging, then the largest pass's slots.
  for (const CompiledProgram::Pass& pass : program.passes) {
    blocks = std::max<size_t>(blocks, 4 + pass.num_slots);
  }
  for (const CompiledProgram::Value& v : program.values) {
    blocks += v.kind == Kind::kSegmentNorm;
  }
  return program.num_values() * kKernelWidth + blocks * block_size;
}

BlockInterpreter::BlockInterpreter(CompiledProgram program,
                                   ParameterLayout layout, int block_size)
    : program_(std::move(program)),
      layout_(std::move(layout)),
      block_size_(block_size),
      last_pass_(static_cast<int>(program_.passes.size()) - 1),
      arena_(ArenaFloats(program_, block_size)),
      reductions_(program_, static_cast<int>(layout_.segments().size())) {
  const int n = program_.num_values();
  float* next = arena_.data();
  auto take = [&next](size_t floats) {
    float* p = next;
    next += floats;
    return p;
  };
  scalar_.resize(n);
  for (int v = 0; v < n; ++v) scalar_[v] = take(kKernelWidth);
  norm_block_.assign(n, nullptr);
  for (int v = 0; v < n; ++v) {
    if (program_.values[v].kind == Kind::kSegmentNorm) {
      norm_block_[v] = take(block_size_);
    }
  }
  norm_block_segment_.assign(n, -1);
  for (float*& s : staging_) s = take(block_size_);
  for (int v = 0; v < n; ++v) {
    if (program_.values[v].kind == Kind::kLiteral) {
      SetScalar(v, program_.values[v].literal);
    }
  }
  instructions_.resize(program_.passes.size());
  pointers_.resize(program_.passes.size());
  for (int p = 0; p <= last_pass_; ++p) BuildPass(p, next);
}

int BlockInterpreter::FusibleInstruction(int value, int input,
                                         bool reread_ok) const {
  if (value < 0 || program_.values[value].kind != Kind::kTensor) return -1;
  const std::vector<Instruction>& instrs =
      program_.passes[last_pass_].instructions;
  int found = -1;
  for (int i = 0; i < static_cast<int>(instrs.size()); ++i) {
    if (found >= 0) {
      for (int a : instrs[i].args) {
        if (a >= 0 && (a == input || (!reread_ok && a == value))) return -1;
      }
    }
    if (instrs[i].out == value) {
      if (GetCheckedKernel(instrs[i].op, 0, OutputMode::kStore) == nullptr) {
        return -1;
      }
      found = i;
    }
  }
  return found;
}

void BlockInterpreter::BuildPass(int p, float* slots) {
  const CompiledProgram::Pass& pass = program_.passes[p];
  const int n = program_.num_values();
  std::vector<const float*>& ptr = pointers_[p];
  ptr.assign(n + 1, nullptr);
  for (int v = 0; v < n; ++v) {
    if (program_.is_scalar(v)) ptr[v] = scalar_[v];
    if (pass.slot[v] >= 0) {
      ptr[v] = slots + static_cast<size_t>(pass.slot[v]) * block_size_;
    }
  }
  for (int v : pass.broadcast_norms) ptr[v] = norm_block_[v];

  // Outputs computed in fused form (the returned m may be computed from the
  // incoming m, but nothing after it may read the incoming m).
  int fused_at[3] = {-1, -1, -1};
  if (p == last_pass_) {
    fused_at[kUpdateOut] = FusibleInstruction(program_.update, -1, false);
    fused_subtract_ok_ = FusibleInstruction(program_.update, kW, false) >= 0;
    for (int k = 0; k < 2; ++k) {
      const int v = program_.state_out[k];
      fused_at[kMOut + k] = FusibleInstruction(v, kStateSlots[k], true);
      if (fused_at[kMOut + k] >= 0) {
        state_slot_[k] = const_cast<float*>(ptr[v]);
      }
    }
    for (int k = 0; k < 3; ++k) fused_[k] = fused_at[k] >= 0;
  }
  for (int i = 0; i < static_cast<int>(pass.instructions.size()); ++i) {
    const Instruction& instr = pass.instructions[i];
    BlockInstruction b;
    b.out = instr.out;
    BroadcastMask mask = 0;
    for (int k = 0; k < kMaxArity; ++k) {
      const int a = instr.args[k];
      b.args[k] = a >= 0 ? a : n;
      if (a >= 0 && program_.is_scalar(a)) mask |= 1 << k;
    }
    // A tensor instruction has a tensor argument, so the kernel exists.
    b.kernel = GetKernel(instr.op, mask);
    for (int k = 0; k < 3; ++k) {
      if (fused_at[k] != i) continue;
      b.fused = static_cast<Output>(k);
      b.store_checked = GetCheckedKernel(instr.op, mask, OutputMode::kStore);
      b.subtract_checked =
          GetCheckedKernel(instr.op, mask, OutputMode::kSubtract);
    }
    instructions_[p].push_back(b);
  }
}

void BlockInterpreter::RunScalarInstructions(int stage) {
  for (const Instruction& instr : program_.scalar_instructions[stage]) {
    const float* args[kMaxArity] = {};
    for (int k = 0; k < kMaxArity; ++k) {
      if (instr.args[k] >= 0) args[k] = scalar_[instr.args[k]];
    }
    GetKernel(instr.op)(scalar_[instr.out], args[0], args[1], args[2],
                        kKernelWidth);
  }
}

bool BlockInterpreter::RunFused(const BlockInstruction& b, int64_t offset,
                                int n) {
  const float* const* ptr = pointers_[last_pass_].data();
  const float* x = ptr[b.args[0]];
  const float* y = ptr[b.args[1]];
  const float* z = ptr[b.args[2]];
  if (b.fused != kUpdateOut) {  // m or v, into the state buffer.
    return b.store_checked(const_cast<float*>(ptr[b.out]), x, y, z, n);
  }
  if (apply_update_ && buffers_.update == nullptr && fused_subtract_ok_) {
    stored_update_ = nullptr;
    return b.subtract_checked(buffers_.w + offset, x, y, z, n);
  }
  float* dst = buffers_.update != nullptr ? buffers_.update + offset
                                          : const_cast<float*>(ptr[b.out]);
  stored_update_ = dst;
  return b.store_checked(dst, x, y, z, n);
}

bool BlockInterpreter::WriteOutputs(int64_t offset, int len, bool full) {
  // All of the block's inputs have been read: the outputs may overwrite them.
  const float* const* ptr = pointers_[last_pass_].data();
  bool finite = true;
  if (full && fused_[kUpdateOut]) {
    // Checked already; applied already unless it was stored.
    if (apply_update_ && stored_update_ != nullptr) {
      SubtractAllFinite(buffers_.w + offset, stored_update_, len);
    }
  } else {
    const float* update = ptr[program_.update];
    if (apply_update_) {
      finite &= SubtractAllFinite(buffers_.w + offset, update, len);
      if (buffers_.update != nullptr) {
        std::memcpy(buffers_.update + offset, update, len * sizeof(float));
      }
    } else if (buffers_.update != nullptr) {
      finite &= CopyAllFinite(buffers_.update + offset, update, len);
    } else {
      finite &= AllFinite(update, len);
    }
  }
  float* const state[2] = {buffers_.m, buffers_.v};
  for (int k = 0; k < 2; ++k) {
    const int v = program_.state_out[k];
    if (v < 0 || (full && fused_[kMOut + k])) continue;
    finite &= CopyAllFinite(state[k] + offset, ptr[v], len);
  }
  return finite;
}

void BlockInterpreter::RunBlock(int pass, int segment, int64_t offset, int len,
                                bool& finite) {
  const CompiledProgram::Pass& plan = program_.passes[pass];
  const float** ptr = pointers_[pass].data();
  const int n = (len + kKernelWidth - 1) / kKernelWidth * kKernelWidth;
  const bool full = len == n;
  const bool last = pass == last_pass_;
  const float* const inputs[4] = {buffers_.w, buffers_.g, buffers_.m,
                                  buffers_.v};
  const int64_t next = offset + len;
  prefetcher_.Start(std::min<int64_t>(block_size_, layout_.size() - next));
  for (int r = 0; r < 4; ++r) {
    if (!plan.reads_input[r]) continue;
    if (next < layout_.size()) prefetcher_.Add(inputs[r] + next);
    if (full) {
      ptr[r] = inputs[r] + offset;
    } else {
      std::memcpy(staging_[r], inputs[r] + offset, len * sizeof(float));
      std::fill(staging_[r] + len, staging_[r] + n, 0.0f);
      ptr[r] = staging_[r];
    }
  }
  for (int v : plan.broadcast_norms) {
    if (norm_block_segment_[v] == segment) continue;
    Fill(norm_block_[v], block_size_, reductions_.segment_norm(v, segment));
    norm_block_segment_[v] = segment;
  }
  if (last) {
    // Fused state values live in the state buffers in full blocks.
    float* const state[2] = {buffers_.m, buffers_.v};
    for (int k = 0; k < 2; ++k) {
      if (!fused_[kMOut + k]) continue;
      ptr[program_.state_out[k]] = full ? state[k] + offset : state_slot_[k];
    }
  }
  const std::vector<BlockInstruction>& instructions = instructions_[pass];
  const int64_t quota =
      prefetcher_.lines() / (static_cast<int64_t>(instructions.size()) + 1) + 1;
  for (const BlockInstruction& b : instructions) {
    prefetcher_.Issue(quota);
    if (b.fused != kNone && full) {
      finite &= RunFused(b, offset, n);
    } else {
      b.kernel(const_cast<float*>(ptr[b.out]), ptr[b.args[0]], ptr[b.args[1]],
               ptr[b.args[2]], n);
    }
  }
  prefetcher_.Issue(prefetcher_.lines());
  reductions_.Accumulate(pass, ptr, segment, len);
  if (last) finite &= WriteOutputs(offset, len, full);
}

StepResult BlockInterpreter::Step(const StepBuffers& buffers,
                                  StepScalars scalars, bool apply_update) {
  buffers_ = buffers;
  apply_update_ = apply_update;
  SetScalar(kLr, scalars.lr);
  SetScalar(kLam, scalars.lam);
  reductions_.Reset();
  bool finite = true;
  const std::vector<Segment>& segments = layout_.segments();
  for (int p = 0; p <= last_pass_; ++p) {
    RunScalarInstructions(p);
    for (int v : program_.passes[p].broadcast_norms) {
      norm_block_segment_[v] = -1;
    }
    for (int s = 0; s < static_cast<int>(segments.size()); ++s) {
      const int64_t end = segments[s].offset + segments[s].size;
      for (int64_t off = segments[s].offset; off < end; off += block_size_) {
        const int len =
            static_cast<int>(std::min<int64_t>(block_size_, end - off));
        RunBlock(p, s, off, len, finite);
      }
    }
    reductions_.Finish(p, [this](int v, float x) { SetScalar(v, x); });
  }
  StepResult result;
  result.finite = finite;
  return result;
}

}  // namespace

absl::StatusOr<std::unique_ptr<Interpreter>> Interpreter::Create(
    const Program& program, const ParameterLayout& layout, Options options) {
  if (layout.size() <= 0) {
    return absl::InvalidArgumentError("the parameter layout is empty");
  }
  if (options.block_size <= 0 || options.block_size % kKernelWidth != 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("block_size must be a positive multiple of ", kKernelWidth,
                     "; got ", options.block_size));
  }
  absl::StatusOr<CompiledProgram> compiled = CompileProgram(program);
  if (!compiled.ok()) return compiled.status();
  return std::unique_ptr<Interpreter>(
      new BlockInterpreter(*std::move(compiled), layout, options.block_size));
}

}  // namespace hero
