#include "src/simplify/canonical_naming.h"

#include <climits>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "src/program/analysis.h"
#include "src/program/printer.h"

namespace hero {
namespace {

class Namer {
 public:
  Namer(const Dataflow& df, const Schedule& schedule)
      : df_(df),
        schedule_(schedule),
        uses_(df.UseCounts(df.Reachable())),
        masks_(df.InputMasks()),
        name_of_(df.nodes.size()),
        last_use_(df.nodes.size(), -1) {}

  absl::StatusOr<Program> Run();

 private:
  // True iff writing `name` at position i loses no value still needed.
  bool Free(const std::string& name, int i) const {
    auto it = holder_.find(name);
    return it == holder_.end() || last_use_[it->second] <= i;
  }
  std::string RoleName(int id) const;
  std::string Unique(const std::string& base);
  std::string Choose(int id, int i);

  const Dataflow& df_;
  const Schedule& schedule_;
  const std::vector<int> uses_;
  const std::vector<uint32_t> masks_;
  std::vector<std::string> name_of_;
  std::vector<int> last_use_;
  std::map<std::string, int> holder_;  // Variable → node it holds now.
  std::set<std::string> used_;
  int next_temp_ = 1;
};

std::string Namer::RoleName(int id) const {
  const Node& n = df_.nodes[id];
  if (n.op == OpCode::kMul && ((n.args[0] == kW && n.args[1] == kLam) ||
                               (n.args[0] == kLam && n.args[1] == kW))) {
    return "wd";
  }
  if (n.arity() != 1 || df_.nodes[n.args[0]].is_constant()) return "";
  // λ is not an identifier character; its ASCII spelling is.
  const std::string x = n.args[0] == kLam ? "lam" : name_of_[n.args[0]];
  switch (n.op) {
    case OpCode::kSquare:  // g2, m2 (the paper's names); t1_sq.
      return absl::ascii_isdigit(x.back()) ? x + "_sq" : x + "2";
    case OpCode::kSqrt:
      return x + "_sqrt";
    default:
      return absl::StrCat(x, "_", GetOpInfo(n.op).name);
  }
}

std::string Namer::Unique(const std::string& base) {
  if (base.empty()) {
    while (used_.count(absl::StrCat("t", next_temp_))) ++next_temp_;
    return absl::StrCat("t", next_temp_++);
  }
  if (!used_.count(base)) return base;
  for (int k = 2;; ++k) {
    const std::string name = absl::StrCat(base, "_", k);
    if (!used_.count(name)) return name;
  }
}

std::string Namer::Choose(int id, int i) {
  const std::string& chain = schedule_.chain[id];
  if (!chain.empty() && Free(chain, i)) return chain;
  const Node& n = df_.nodes[id];
  const int a0 = n.args[0];
  const bool reads_g =
      a0 == kG || (df_.nodes[a0].is_op() && name_of_[a0] == "g");
  if (chain.empty() && reads_g && uses_[a0] == 1 && masks_[id] == (1u << kG) &&
      n.type == ValueType::kTensor && Free("g", i)) {
    return "g";
  }
  return Unique(RoleName(id));
}

absl::StatusOr<Program> Namer::Run() {
  const std::vector<int>& order = schedule_.order;
  for (int r = 0; r < kNumInputs; ++r) {
    name_of_[r] = std::string(InputName(r));
    holder_[name_of_[r]] = r;
    used_.insert(name_of_[r]);
  }
  used_.insert("update");
  used_.insert("lam");
  for (int i = 0; i < static_cast<int>(order.size()); ++i) {
    const Node& n = df_.nodes[order[i]];
    for (int a = 0; a < n.arity(); ++a) last_use_[n.args[a]] = i;
  }
  last_use_[df_.update] = INT_MAX;
  for (int k = 0; k < 2; ++k) last_use_[df_.state_out[k]] = INT_MAX;

  Program p;
  for (int i = 0; i < static_cast<int>(order.size()); ++i) {
    const int id = order[i];
    const Node& n = df_.nodes[id];
    const std::string name = Choose(id, i);
    Statement s;
    s.op = n.op;
    for (int a = 0; a < n.arity(); ++a) {
      const Node& arg = df_.nodes[n.args[a]];
      if (arg.is_constant()) {
        s.args[a] = arg.constant;
        continue;
      }
      const int reg = p.FindVariable(name_of_[n.args[a]]);
      if (name_of_[n.args[a]].empty() || reg < 0) {
        return absl::InternalError(absl::StrCat(
            "canonical order writes `", df_.StatementText(id),
            "` before its argument `", df_.StatementText(n.args[a]), "`"));
      }
      s.args[a] = Arg::Var(reg);
    }
    s.out = static_cast<int16_t>(p.AddVariable(name));
    p.statements.push_back(s);
    name_of_[id] = name;
    holder_[name] = id;
    used_.insert(name);
  }
  // The outputs must be where `return update, m, v` reads them.
  const bool ok = name_of_[df_.update] == "update" &&
                  (!df_.assigned(0) || name_of_[df_.state_out[0]] == "m") &&
                  (!df_.assigned(1) || name_of_[df_.state_out[1]] == "v");
  absl::StatusOr<Dataflow> back = Dataflow::FromProgram(p);
  if (!ok || !back.ok()) {
    return absl::InternalError(
        absl::StrCat("canonical naming failed: ",
                     back.ok() ? "outputs misplaced" : back.status().message(),
                     "\n", PrintProgram(p)));
  }
  const std::vector<uint64_t> want = ValueHashes(df_);
  const std::vector<uint64_t> got = ValueHashes(*back);
  bool same = want[df_.update] == got[back->update];
  for (int k = 0; k < 2; ++k) {
    same &= df_.assigned(k) == back->assigned(k) &&
            want[df_.state_out[k]] == got[back->state_out[k]];
  }
  if (!same) {
    return absl::InternalError(absl::StrCat(
        "canonical naming changed the program's values:\n", PrintProgram(p)));
  }
  return p;
}

}  // namespace

absl::StatusOr<Program> WriteProgram(const Dataflow& df,
                                     const Schedule& schedule) {
  return Namer(df, schedule).Run();
}

}  // namespace hero
