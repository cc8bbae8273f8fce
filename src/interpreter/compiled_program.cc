#include "src/interpreter/compiled_program.h"

#include <algorithm>
#include <climits>
#include <cstring>
#include <utility>

#include "src/program/analysis.h"

namespace hero {
namespace {

using Kind = CompiledProgram::ValueKind;
using Instruction = CompiledProgram::Instruction;
using Reduction = CompiledProgram::Reduction;
using Pass = CompiledProgram::Pass;

class Compiler {
 public:
  Compiler(const Program& program, const Analysis& analysis)
      : program_(program), analysis_(analysis) {}

  CompiledProgram Run();

 private:
  int NewValue(Kind kind, int stage);
  int LiteralValue(float v);
  int ArgValue(const Arg& a);
  int Stage(int value) const { return c_.values[value].stage; }
  // Lowers one live statement; returns the value it assigns.
  int Lower(const Statement& s);
  int Elementwise(OpCode op, std::array<int, kMaxArity> args);
  int AddReduction(OpCode op, int a, int b, Kind out_kind);
  void PlanPass(int p);
  void AssignSlots(const std::vector<bool>& pinned, Pass& pass);

  const Program& program_;
  const Analysis& analysis_;
  CompiledProgram c_;
  std::vector<int> reg_value_;  // Per register: its current value.
  std::vector<std::pair<uint32_t, int>> literals_;  // Bits -> value.
  // All tensor instructions in definition order, and for each value the
  // index of the one defining it (or -1).
  std::vector<Instruction> tensor_instructions_;
  std::vector<int> producer_;
  std::vector<Instruction> scalar_instructions_;
};

int Compiler::NewValue(Kind kind, int stage) {
  CompiledProgram::Value v;
  v.kind = kind;
  v.stage = stage;
  c_.values.push_back(v);
  producer_.push_back(-1);
  return c_.num_values() - 1;
}

int Compiler::LiteralValue(float v) {
  uint32_t bits;
  std::memcpy(&bits, &v, sizeof bits);
  for (const auto& [b, value] : literals_) {
    if (b == bits) return value;
  }
  const int value = NewValue(Kind::kLiteral, 0);
  c_.values[value].literal = v;
  literals_.emplace_back(bits, value);
  return value;
}

int Compiler::ArgValue(const Arg& a) {
  return a.is_var() ? reg_value_[a.reg] : LiteralValue(a.value);
}

int Compiler::Elementwise(OpCode op, std::array<int, kMaxArity> args) {
  const int arity = GetOpInfo(op).arity;
  bool any_tensor = false;
  int stage = 0;
  for (int i = 0; i < arity; ++i) {
    any_tensor |= !c_.is_scalar(args[i]);
    stage = std::max(stage, Stage(args[i]));
  }
  for (int i = arity; i < kMaxArity; ++i) args[i] = -1;
  const int out = NewValue(any_tensor ? Kind::kTensor : Kind::kScalar, stage);
  Instruction instr;
  instr.op = op;
  instr.out = out;
  instr.args = args;
  if (any_tensor) {
    producer_[out] = static_cast<int>(tensor_instructions_.size());
    tensor_instructions_.push_back(instr);
  } else {
    scalar_instructions_.push_back(instr);
  }
  return out;
}

int Compiler::AddReduction(OpCode op, int a, int b, Kind out_kind) {
  Reduction r;
  r.op = op;
  r.args = {a, b};
  r.pass = std::max(Stage(a), b >= 0 ? Stage(b) : 0);
  r.out = NewValue(out_kind, r.pass + 1);
  c_.reductions.push_back(r);
  return r.out;
}

int Compiler::Lower(const Statement& s) {
  const OpInfo& info = GetOpInfo(s.op);
  std::array<int, kMaxArity> a = {-1, -1, -1};
  for (int i = 0; i < info.arity; ++i) a[i] = ArgValue(s.args[i]);
  switch (info.kind) {
    case OpKind::kElementwise:
      return Elementwise(s.op, a);
    case OpKind::kSegmentReduction:
      return AddReduction(OpCode::kNorm, a[0], -1, Kind::kSegmentNorm);
    case OpKind::kGlobalReduction:
      return AddReduction(s.op, a[0], a[1], Kind::kScalar);
    case OpKind::kGlobalRescale: {
      // x * min(1, c / (||x|| + 1e-8)), the division being the op table's.
      const int norm =
          AddReduction(OpCode::kGlobalNorm, a[0], -1, Kind::kScalar);
      const int ratio = Elementwise(OpCode::kDiv, {a[1], norm, -1});
      const int factor =
          Elementwise(OpCode::kMin, {LiteralValue(1.0f), ratio, -1});
      return Elementwise(OpCode::kMul, {a[0], factor, -1});
    }
    case OpKind::kConstant:
      break;  // Program invariant (1): never a statement's op.
  }
  return -1;
}

void Compiler::AssignSlots(const std::vector<bool>& pinned, Pass& pass) {
  const int n = c_.num_values();
  std::vector<int> last_use(n, -1);
  for (int i = 0; i < static_cast<int>(pass.instructions.size()); ++i) {
    for (int a : pass.instructions[i].args) {
      if (a >= 0) last_use[a] = i;
    }
  }
  pass.slot.assign(n, -1);
  std::vector<int> free_slots;
  for (int i = 0; i < static_cast<int>(pass.instructions.size()); ++i) {
    const Instruction& instr = pass.instructions[i];
    // Free the arguments read for the last time first: a kernel may write
    // the array it reads.
    for (int k = 0; k < kMaxArity; ++k) {
      const int a = instr.args[k];
      if (a < 0 || pass.slot[a] < 0 || pinned[a] || last_use[a] != i) {
        continue;
      }
      if (std::find(instr.args.begin(), instr.args.begin() + k, a) !=
          instr.args.begin() + k) {
        continue;  // Already freed (x * x).
      }
      free_slots.push_back(pass.slot[a]);
    }
    if (free_slots.empty()) {
      pass.slot[instr.out] = pass.num_slots++;
    } else {
      pass.slot[instr.out] = free_slots.back();
      free_slots.pop_back();
    }
  }
}

void Compiler::PlanPass(int p) {
  Pass& pass = c_.passes[p];
  const int n = c_.num_values();
  std::vector<bool> needed(n, false);
  std::vector<bool> pinned(n, false);  // Read after the last instruction.
  auto add_root = [&](int v) {
    if (v >= 0) needed[v] = pinned[v] = true;
  };
  for (int r = 0; r < static_cast<int>(c_.reductions.size()); ++r) {
    if (c_.reductions[r].pass != p) continue;
    pass.reductions.push_back(r);
    for (int a : c_.reductions[r].args) add_root(a);
  }
  if (p + 1 == static_cast<int>(c_.passes.size())) {
    add_root(c_.update);
    for (int v : c_.state_out) add_root(v);
  }
  // Arguments have lower ids than results, so one downward sweep closes the
  // set over tensor instructions.
  for (int v = n - 1; v >= 0; --v) {
    if (!needed[v] || producer_[v] < 0) continue;
    for (int a : tensor_instructions_[producer_[v]].args) {
      if (a >= 0) needed[a] = true;
    }
  }
  for (int v = 0; v < n; ++v) {
    if (!needed[v]) continue;
    switch (c_.values[v].kind) {
      case Kind::kTensorInput:
        pass.reads_input[v] = true;
        break;
      case Kind::kTensor:
        pass.instructions.push_back(tensor_instructions_[producer_[v]]);
        break;
      case Kind::kSegmentNorm:
        pass.broadcast_norms.push_back(v);
        break;
      case Kind::kScalarInput:
      case Kind::kLiteral:
      case Kind::kScalar:
        break;  // Read from its per-step value; nothing to plan.
    }
  }
  AssignSlots(pinned, pass);
}

CompiledProgram Compiler::Run() {
  reg_value_.assign(program_.num_registers(), -1);
  for (int r = 0; r < kNumInputs; ++r) {
    reg_value_[r] =
        NewValue(r < kLr ? Kind::kTensorInput : Kind::kScalarInput, 0);
  }
  for (size_t i = 0; i < program_.statements.size(); ++i) {
    if (!analysis_.live[i]) continue;
    const Statement& s = program_.statements[i];
    reg_value_[s.out] = Lower(s);
  }
  c_.update = reg_value_[analysis_.update_register];
  int last_stage = Stage(c_.update);
  for (int k = 0; k < 2; ++k) {
    const int reg = kStateSlots[k];
    if (analysis_.state_is_live[k] && reg_value_[reg] != reg) {
      c_.state_out[k] = reg_value_[reg];
      last_stage = std::max(last_stage, Stage(c_.state_out[k]));
    }
  }
  const int num_passes = last_stage + 1;
  c_.passes.resize(num_passes);
  c_.scalar_instructions.resize(num_passes);
  for (const Instruction& instr : scalar_instructions_) {
    // Every live scalar feeds an output, so its stage is at most the last.
    c_.scalar_instructions[std::min(Stage(instr.out), num_passes - 1)]
        .push_back(instr);
  }
  for (int p = 0; p < num_passes; ++p) PlanPass(p);
  return std::move(c_);
}

}  // namespace

bool CompiledProgram::is_scalar(int value) const {
  const ValueKind k = values[value].kind;
  return k == ValueKind::kScalarInput || k == ValueKind::kLiteral ||
         k == ValueKind::kScalar;
}

absl::StatusOr<CompiledProgram> CompileProgram(const Program& program) {
  absl::StatusOr<Analysis> analysis = Analyze(program);
  if (!analysis.ok()) return analysis.status();
  return Compiler(program, *analysis).Run();
}

}  // namespace hero
