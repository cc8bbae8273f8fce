#include "src/program/analysis.h"

#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace hero {
namespace {

class Checker {
 public:
  Checker(const Program& p, absl::string_view file) : p_(p), file_(file) {}

  absl::StatusOr<Analysis> Run();

 private:
  absl::Status Error(int statement, int part, absl::string_view message) const {
    const SourcePos pos =
        statement < 0 ? p_.return_pos : p_.statements[statement].pos[part];
    if (pos.line > 0) {
      return absl::InvalidArgumentError(
          absl::StrCat(file_.empty() ? "<program>" : file_, ":", pos.line, ":",
                       pos.column, ": ", message));
    }
    const std::string where =
        statement < 0 ? "return" : absl::StrCat("statement ", statement + 1);
    return absl::InvalidArgumentError(absl::StrCat(
        file_.empty() ? "" : absl::StrCat(file_, ": "), where, ": ", message));
  }
  absl::Status CheckStatement(int index, std::vector<ValueType>& types) const;

  const Program& p_;
  absl::string_view file_;
};

absl::Status Checker::CheckStatement(int index,
                                     std::vector<ValueType>& types) const {
  const Statement& s = p_.statements[index];
  const OpInfo& info = GetOpInfo(s.op);
  bool any_tensor = false;
  for (int i = 0; i < info.arity; ++i) {
    const Arg& a = s.args[i];
    ValueType t = ValueType::kScalar;
    if (a.is_var()) {
      t = types[a.reg];
      if (t == ValueType::kUndefined) {
        return Error(index, 1 + i,
                     absl::StrCat("undefined name `", p_.names[a.reg], "`"));
      }
    }
    const ArgType want = info.arg_types[i];
    if ((want == ArgType::kTensor && t != ValueType::kTensor) ||
        (want == ArgType::kScalar && t != ValueType::kScalar)) {
      const std::string what =
          a.is_var()
              ? absl::StrCat("`", p_.names[a.reg], "` is a ", ValueTypeName(t))
              : "a constant is a scalar";
      return Error(
          index, 1 + i,
          absl::StrCat("argument ", i + 1, " of `", info.name, "` must be a ",
                       want == ArgType::kTensor ? "tensor" : "scalar", "; ",
                       what));
    }
    any_tensor |= t == ValueType::kTensor;
  }
  if (s.out == kLr || s.out == kLam) {
    return Error(index, 0,
                 absl::StrCat("cannot assign to the input scalar `",
                              p_.names[s.out], "`"));
  }
  ValueType result = ValueType::kScalar;
  switch (info.result) {
    case ResultType::kBroadcast:
      result = any_tensor ? ValueType::kTensor : ValueType::kScalar;
      break;
    case ResultType::kTensor:
      result = ValueType::kTensor;
      break;
    case ResultType::kScalar:
      result = ValueType::kScalar;
      break;
  }
  const ValueType before = types[s.out];
  if (before != ValueType::kUndefined && before != result) {
    return Error(
        index, 0,
        absl::StrCat("`", p_.names[s.out], "` is a ", ValueTypeName(before),
                     "; cannot assign a ", ValueTypeName(result),
                     " to it (a variable keeps one type)"));
  }
  types[s.out] = result;
  return absl::OkStatus();
}

// Backward liveness for one set of live-at-exit registers. Returns which
// input registers are read; fills `live`.
std::vector<bool> Liveness(const Program& p, const std::vector<int>& roots,
                           std::vector<bool>& live) {
  std::vector<bool> needed(p.num_registers(), false);
  for (int r : roots) needed[r] = true;
  live.assign(p.statements.size(), false);
  for (int i = static_cast<int>(p.statements.size()) - 1; i >= 0; --i) {
    const Statement& s = p.statements[i];
    if (!needed[s.out]) continue;
    live[i] = true;
    needed[s.out] = false;
    for (int a = 0; a < s.arity(); ++a) {
      if (s.args[a].is_var()) needed[s.args[a].reg] = true;
    }
  }
  return needed;
}

absl::StatusOr<Analysis> Checker::Run() {
  Analysis a;
  std::vector<ValueType>& types = a.types;
  types.assign(p_.num_registers(), ValueType::kUndefined);
  for (int r : {kW, kG, kM, kV}) types[r] = ValueType::kTensor;
  for (int r : {kLr, kLam}) types[r] = ValueType::kScalar;
  for (int i = 0; i < static_cast<int>(p_.statements.size()); ++i) {
    if (absl::Status s = CheckStatement(i, types); !s.ok()) return s;
  }
  a.update_register = p_.update_register();
  if (a.update_register < 0 ||
      types[a.update_register] == ValueType::kUndefined) {
    return Error(-1, 0, "`update` is never assigned");
  }
  if (types[a.update_register] != ValueType::kTensor) {
    return Error(-1, 0, "`update` must be a tensor; it is a scalar");
  }

  // Cross-step liveness: grow the set of live state slots to a fixed point.
  bool state[2] = {false, false};
  while (true) {
    std::vector<int> roots = {a.update_register};
    for (int k = 0; k < 2; ++k) {
      if (state[k]) roots.push_back(kStateSlots[k]);
    }
    const std::vector<bool> read = Liveness(p_, roots, a.live);
    // A live slot whose value passes through unchanged is also "read".
    bool grew = false;
    for (int k = 0; k < 2; ++k) {
      if (!state[k] && read[kStateSlots[k]]) {
        state[k] = true;
        grew = true;
      }
    }
    if (!grew) break;
  }
  a.state_is_live[0] = state[0];
  a.state_is_live[1] = state[1];
  return a;
}

}  // namespace

absl::string_view ValueTypeName(ValueType t) {
  switch (t) {
    case ValueType::kTensor:
      return "tensor";
    case ValueType::kScalar:
      return "scalar";
    case ValueType::kUndefined:
      break;
  }
  return "undefined";
}

int Analysis::num_live() const {
  int n = 0;
  for (bool b : live) n += b;
  return n;
}

std::vector<int> Analysis::RedundantStatements() const {
  std::vector<int> out;
  for (int i = 0; i < static_cast<int>(live.size()); ++i) {
    if (!live[i]) out.push_back(i);
  }
  return out;
}

absl::StatusOr<Analysis> Analyze(const Program& program,
                                 absl::string_view file) {
  return Checker(program, file).Run();
}

bool ReadsLive(const Program& program, const Analysis& analysis, int reg) {
  for (size_t i = 0; i < program.statements.size(); ++i) {
    if (!analysis.live[i]) continue;
    const Statement& s = program.statements[i];
    const int arity = GetOpInfo(s.op).arity;
    for (int k = 0; k < arity; ++k) {
      if (s.args[k].reg == reg) return true;
    }
  }
  return false;
}

}  // namespace hero
