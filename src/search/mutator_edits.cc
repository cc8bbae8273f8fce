// The four edits of a parent (insert, delete, modify, change op), apart from
// the accept/retry loop in mutator.cc.
#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "absl/random/distributions.h"
#include "absl/strings/str_cat.h"
#include "src/search/mutator.h"

namespace hero {
namespace {

bool SameSignature(const OpInfo& a, const OpInfo& b) {
  if (a.arity != b.arity || a.result != b.result) return false;
  for (int i = 0; i < a.arity; ++i) {
    if (a.arg_types[i] != b.arg_types[i]) return false;
  }
  return true;
}

// The ops a statement may have: every op but the constants.
const std::vector<OpCode>& InsertableOps() {
  static const std::vector<OpCode>* const ops = [] {
    auto* v = new std::vector<OpCode>;
    for (int i = 0; i < kNumOps; ++i) {
      const OpCode op = static_cast<OpCode>(i);
      if (!IsConstantOp(op)) v->push_back(op);
    }
    return v;
  }();
  return *ops;
}

bool AcceptsScalar(ArgType t) { return t != ArgType::kTensor; }

// Drops registers (other than the inputs) that no statement reads or writes,
// renumbering the rest in order.
void RemoveUnusedRegisters(Program& p) {
  const int n = p.num_registers();
  std::vector<int16_t> remap(n, -1);
  for (int r = 0; r < kNumInputs; ++r) remap[r] = 0;
  for (const Statement& s : p.statements) {
    remap[s.out] = 0;
    for (int a = 0; a < s.arity(); ++a) {
      if (s.args[a].is_var()) remap[s.args[a].reg] = 0;
    }
  }
  int16_t next = 0;
  for (int r = 0; r < n; ++r) {
    if (remap[r] < 0) continue;
    if (next != r) p.names[next] = std::move(p.names[r]);
    remap[r] = next++;
  }
  if (next == n) return;
  p.names.resize(next);
  for (Statement& s : p.statements) {
    s.out = remap[s.out];
    for (int a = 0; a < s.arity(); ++a) {
      if (s.args[a].is_var()) s.args[a].reg = remap[s.args[a].reg];
    }
  }
}

// "t1", "t2", ...: the first not already a name in `p`.
std::string FreshName(const Program& p) {
  for (int k = 1;; ++k) {
    std::string name = absl::StrCat("t", k);
    if (p.FindVariable(name) < 0) return name;
  }
}

}  // namespace

const std::vector<OpCode>& SameSignatureOps(OpCode op) {
  static const std::vector<std::vector<OpCode>>* const table = [] {
    auto* t = new std::vector<std::vector<OpCode>>(kNumOps);
    for (OpCode a : InsertableOps()) {
      for (OpCode b : InsertableOps()) {
        if (SameSignature(GetOpInfo(a), GetOpInfo(b))) {
          (*t)[static_cast<int>(a)].push_back(b);
        }
      }
    }
    return t;
  }();
  return (*table)[static_cast<int>(op)];
}

void Mutator::CollectDefined(const Program& p, const Analysis& analysis,
                             int position, ValueType type) {
  defined_.clear();
  seen_.assign(p.num_registers(), 0);
  auto add = [&](int r) {
    if (seen_[r]) return;
    seen_[r] = 1;
    if (type == ValueType::kUndefined || analysis.types[r] == type) {
      defined_.push_back(static_cast<int16_t>(r));
    }
  };
  for (int r = 0; r < kNumInputs; ++r) add(r);
  for (int i = 0; i < position; ++i) add(p.statements[i].out);
}

Arg Mutator::RandomConstant(absl::BitGenRef gen) const {
  return Arg::Literal(static_cast<float>(absl::Gaussian<double>(gen, 0, 1)));
}

bool Mutator::DrawWeightedOp(const std::vector<OpCode>& ops, int skip,
                             absl::BitGenRef gen, OpCode* op) const {
  double total = 0;
  for (OpCode o : ops) {
    if (static_cast<int>(o) != skip) {
      total += options_.op_weights[static_cast<int>(o)];
    }
  }
  if (total <= 0) return false;
  const double u = absl::Uniform<double>(gen, 0, total);
  double acc = 0;
  for (OpCode o : ops) {
    const double w = static_cast<int>(o) == skip
                         ? 0
                         : options_.op_weights[static_cast<int>(o)];
    if (w <= 0) continue;
    acc += w;
    *op = o;
    if (u < acc) break;  // Else (rounding) the last one with weight.
  }
  return true;
}

bool Mutator::Insert(const Program& parent, const Analysis& analysis,
                     absl::BitGenRef gen, Program& child, Site& site) {
  if (static_cast<int>(parent.statements.size()) < options_.max_statements) {
    return InsertInto(parent, analysis, gen, child, site);
  }
  // Full: a dead statement makes room (it is not part of the function).
  if (dead_.empty()) return false;
  site.dropped = dead_[absl::Uniform<size_t>(gen, 0, dead_.size())];
  room_ = parent;
  room_.statements.erase(room_.statements.begin() + site.dropped);
  if (!InsertInto(room_, analysis, gen, child, site)) return false;
  RemoveUnusedRegisters(child);
  return true;
}

bool Mutator::InsertInto(const Program& base, const Analysis& analysis,
                         absl::BitGenRef gen, Program& child, Site& site) {
  const int n = static_cast<int>(base.statements.size());
  const int pos = absl::Uniform<int>(gen, 0, n + 1);
  const std::vector<OpCode>& ops = InsertableOps();
  Statement s;
  if (options_.op_weights.empty()) {
    s.op = ops[absl::Uniform<size_t>(gen, 0, ops.size())];
  } else if (!DrawWeightedOp(ops, -1, gen, &s.op)) {
    return false;
  }
  const OpInfo& info = GetOpInfo(s.op);
  bool any_tensor = false;
  for (int a = 0; a < info.arity; ++a) {
    const ArgType want = info.arg_types[a];
    if (AcceptsScalar(want) &&
        absl::Bernoulli(gen, options_.constant_probability)) {
      s.args[a] = RandomConstant(gen);
      continue;
    }
    CollectDefined(base, analysis, pos,
                   want == ArgType::kTensor   ? ValueType::kTensor
                   : want == ArgType::kScalar ? ValueType::kScalar
                                              : ValueType::kUndefined);
    // Never empty: the inputs hold both types.
    const int r = defined_[absl::Uniform<size_t>(gen, 0, defined_.size())];
    s.args[a] = Arg::Var(r);
    any_tensor |= analysis.types[r] == ValueType::kTensor;
  }
  const ValueType result =
      info.result == ResultType::kTensor ||
              (info.result == ResultType::kBroadcast && any_tensor)
          ? ValueType::kTensor
          : ValueType::kScalar;

  // Existing variables of the result's type that may be written.
  defined_.clear();
  for (int r = 0; r < base.num_registers(); ++r) {
    if (r != kLr && r != kLam && analysis.types[r] == result) {
      defined_.push_back(static_cast<int16_t>(r));
    }
  }
  const bool fresh = defined_.empty() ||
                     absl::Bernoulli(gen, options_.fresh_output_probability);
  child = base;
  site.statement = pos;
  if (!fresh) {
    s.out = defined_[absl::Uniform<size_t>(gen, 0, defined_.size())];
    child.statements.insert(child.statements.begin() + pos, s);
    return true;
  }
  const int out = child.AddVariable(FreshName(child));
  s.out = static_cast<int16_t>(out);
  child.statements.insert(child.statements.begin() + pos, s);
  // Rewire one later argument holding a value of the same type to read the
  // fresh variable, so that the insertion is not dead on arrival.
  int num_slots = 0;
  for (int pass = 0; pass < 2; ++pass) {
    const int pick = pass == 1 ? absl::Uniform<int>(gen, 0, num_slots) : -1;
    int slot = 0;
    for (int j = pos + 1; j < static_cast<int>(child.statements.size()); ++j) {
      Statement& t = child.statements[j];
      const OpInfo& ti = GetOpInfo(t.op);
      for (int a = 0; a < ti.arity; ++a) {
        const Arg& arg = t.args[a];
        const bool fits = arg.is_var() ? analysis.types[arg.reg] == result
                                       : result == ValueType::kScalar &&
                                             AcceptsScalar(ti.arg_types[a]);
        if (!fits) continue;
        if (slot++ == pick) {
          t.args[a] = Arg::Var(out);
          site.wired = j;
          return true;
        }
      }
    }
    num_slots = slot;
    if (num_slots == 0) break;
  }
  // No slot: dead code, which the caller rejects as same-hash.
  return true;
}

bool Mutator::Delete(const Program& parent, absl::BitGenRef gen, Program& child,
                     Site& site) {
  if (live_.empty()) return false;
  site.statement = live_[absl::Uniform<size_t>(gen, 0, live_.size())];
  child = parent;
  child.statements.erase(child.statements.begin() + site.statement);
  RemoveUnusedRegisters(child);
  return true;
}

bool Mutator::ModifyArg(const Program& parent, const Analysis& analysis,
                        absl::BitGenRef gen, Program& child, Site& site) {
  if (live_.empty()) return false;
  const int i = live_[absl::Uniform<size_t>(gen, 0, live_.size())];
  const Statement& s = parent.statements[i];
  const OpInfo& info = GetOpInfo(s.op);
  const int a = absl::Uniform<int>(gen, 0, info.arity);
  const Arg& old = s.args[a];
  site.statement = i;
  site.arg = a;
  site.old_arg = old;
  Arg replacement;
  if (old.is_constant()) {
    double v = old.value;
    v = v == 0 ? absl::Gaussian<double>(gen, 0, 1)
               : v * std::exp2(absl::Gaussian<double>(
                         gen, 0, options_.constant_log2_sigma));
    if (!(std::fabs(v) <= kMaxConstantMagnitude)) {
      v = std::copysign(kMaxConstantMagnitude, v);  // Also catches NaN/Inf.
    }
    replacement = Arg::Literal(static_cast<float>(v));
  } else if (AcceptsScalar(info.arg_types[a]) &&
             absl::Bernoulli(gen, options_.modify_to_constant_probability)) {
    replacement = RandomConstant(gen);
  } else {
    CollectDefined(parent, analysis, i, analysis.types[old.reg]);
    for (size_t k = 0; k < defined_.size(); ++k) {
      if (defined_[k] == old.reg) {
        defined_.erase(defined_.begin() + k);
        break;
      }
    }
    if (defined_.empty()) return false;
    replacement =
        Arg::Var(defined_[absl::Uniform<size_t>(gen, 0, defined_.size())]);
  }
  child = parent;
  child.statements[i].args[a] = replacement;
  return true;
}

bool Mutator::ChangeOp(const Program& parent, absl::BitGenRef gen,
                       Program& child, Site& site) {
  if (changeable_.empty()) return false;
  const int i = changeable_[absl::Uniform<size_t>(gen, 0, changeable_.size())];
  const OpCode old = parent.statements[i].op;
  const std::vector<OpCode>& ops = SameSignatureOps(old);
  OpCode op;
  if (options_.op_weights.empty()) {
    // Uniform over the alternatives: draw from all but one position and map
    // the current op's position to the last one.
    size_t k = absl::Uniform<size_t>(gen, 0, ops.size() - 1);
    if (ops[k] == old) k = ops.size() - 1;
    op = ops[k];
  } else if (!DrawWeightedOp(ops, static_cast<int>(old), gen, &op)) {
    return false;
  }
  site.statement = i;
  site.old_op = old;
  child = parent;
  child.statements[i].op = op;
  return true;
}

bool Mutator::Wrap(const Program& parent, const Analysis& analysis,
                   absl::BitGenRef gen, Program& child, Site& site) {
  if (live_.empty()) return false;
  const int i = live_[absl::Uniform<size_t>(gen, 0, live_.size())];
  // The unary functions: each maps a tensor to a tensor and a scalar to a
  // scalar, so `x = f(x)` keeps x's type.
  const std::vector<OpCode>& ops = SameSignatureOps(OpCode::kSign);
  Statement s;
  if (options_.op_weights.empty()) {
    s.op = ops[absl::Uniform<size_t>(gen, 0, ops.size())];
  } else if (!DrawWeightedOp(ops, -1, gen, &s.op)) {
    return false;
  }
  s.out = parent.statements[i].out;
  s.args[0] = Arg::Var(s.out);
  (void)analysis;
  child = parent;
  child.statements.insert(child.statements.begin() + i + 1, s);
  site.statement = i + 1;
  return true;
}

}  // namespace hero
