// GenerateCpp: a standalone C++17 header. The class runs the program
// element by element in fused loops, one pass per reduction level
// (export_passes.h); see exporter.h for the contract.
#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "src/export/cpp_helpers.h"
#include "src/export/export_format.h"
#include "src/export/export_passes.h"
#include "src/export/generators.h"

namespace hero {
namespace {

const char* const kSlotNames[2] = {"m", "v"};

std::string ArgText(const ExportArg& a) {
  return a.kind == ExportArg::Kind::kLiteral ? CppFloat(a.value) : a.name;
}

// Writes the body of StepGroup.
class StepWriter {
 public:
  StepWriter(const ExportPlan& plan, std::string* out)
      : plan_(plan), out_(*out) {
    for (size_t s = 0; s < plan.statements.size(); ++s) {
      if (plan.statements[s].op == OpCode::kNorm) {
        norm_index_[static_cast<int>(s)] = num_norms_++;
      }
    }
  }

  void Write() {
    for (const Hyperparameter& h : plan_.hyperparameters) {
      absl::StrAppend(&out_, "    const float ", h.name, " = hp_.", h.name,
                      ";\n");
    }
    // Parameters this program has no use for (no warning under -Wextra).
    std::vector<std::string> unused;
    if (!plan_.slot_live[0] && !plan_.slot_live[1]) unused.push_back("first");
    if (!plan_.reads_input[kLr]) unused.push_back("lr");
    if (!plan_.reads_input[kLam]) unused.push_back("lam");
    for (const std::string& u : unused) {
      absl::StrAppend(&out_, "    (void)", u, ";\n");
    }
    absl::StrAppend(&out_, "    uint32_t bad = 0;\n");
    const std::vector<ExportPass> passes = PlanPasses(plan_);
    for (size_t p = 0; p < passes.size(); ++p) {
      WritePass(passes[p], static_cast<int>(p), p + 1 == passes.size(),
                static_cast<int>(passes.size()));
    }
    absl::StrAppend(&out_, "    return bad == 0;\n");
  }

 private:
  std::string Reduced(int s) const { return absl::StrCat("reduced_", s); }

  // The expression a statement assigns; `s` is read from an earlier pass if
  // it is a reduction.
  std::string Expression(int s) const {
    const ExportStatement& st = plan_.statements[s];
    const OpInfo& info = GetOpInfo(st.op);
    std::vector<std::string> args;
    for (const ExportArg& a : st.args) args.push_back(ArgText(a));
    switch (st.op) {
      case OpCode::kAdd:
      case OpCode::kSub:
      case OpCode::kMul:
        return absl::StrCat(args[0], " ", info.infix, " ", args[1]);
      case OpCode::kNorm:
        return absl::StrCat("norms_[", norm_index_.at(s), "][k]");
      case OpCode::kGlobalNorm:
      case OpCode::kDot:
      case OpCode::kCosineSim:
        return Reduced(s);
      case OpCode::kClipByGlobalNorm:
        // x * min(1, c / (||x|| + 1e-8)), as hero lowers it.
        return absl::StrCat(args[0], " * Min(1.0f, Divide(", args[1], ", ",
                            Reduced(s), "))");
      default:
        return absl::StrCat(CppHelperName(st.op), "(",
                            absl::StrJoin(args, ", "), ")");
    }
  }

  void Assign(const std::string& name, const std::string& expr,
              const std::string& comment) {
    const bool declare = declared_.insert(name).second;
    absl::StrAppend(&out_, "        ", declare ? "float " : "", name, " = ",
                    expr, ";", comment, "\n");
  }

  void Accumulate(int s) {
    const ExportStatement& st = plan_.statements[s];
    const std::string r = Reduced(s);
    const std::string x = ArgText(st.args[0]);
    switch (st.op) {
      case OpCode::kNorm:
      case OpCode::kGlobalNorm:
      case OpCode::kClipByGlobalNorm:
        absl::StrAppend(&out_, "        ", r, "_sum += Square64(", x, ");\n");
        break;
      case OpCode::kDot:
        absl::StrAppend(&out_, "        ", r, "_sum += Product64(", x, ", ",
                        ArgText(st.args[1]), ");\n");
        break;
      case OpCode::kCosineSim: {
        const std::string y = ArgText(st.args[1]);
        absl::StrAppend(&out_, "        ", r, "_xy += Product64(", x, ", ", y,
                        ");\n        ", r, "_xx += Square64(", x,
                        ");\n        ", r, "_yy += Square64(", y, ");\n");
        break;
      }
      default:
        break;
    }
  }

  // Declarations before the pass (global sums) or the tensor (norms).
  void DeclareSums(const std::vector<int>& accumulates, bool norms,
                   const char* indent) {
    for (int s : accumulates) {
      const OpCode op = plan_.statements[s].op;
      if ((op == OpCode::kNorm) != norms) continue;
      const std::string r = Reduced(s);
      if (op == OpCode::kCosineSim) {
        absl::StrAppend(&out_, indent, "double ", r, "_xy = 0.0, ", r,
                        "_xx = 0.0, ", r, "_yy = 0.0;\n");
      } else {
        absl::StrAppend(&out_, indent, "double ", r, "_sum = 0.0;  // ",
                        plan_.statements[s].source, "\n");
      }
    }
  }

  void FinishSums(const std::vector<int>& accumulates, bool norms) {
    for (int s : accumulates) {
      const OpCode op = plan_.statements[s].op;
      if ((op == OpCode::kNorm) != norms) continue;
      const std::string r = Reduced(s);
      switch (op) {
        case OpCode::kNorm:
          absl::StrAppend(&out_, "      norms_[", norm_index_.at(s),
                          "][k] = static_cast<float>(std::sqrt(", r,
                          "_sum));\n");
          break;
        case OpCode::kGlobalNorm:
        case OpCode::kClipByGlobalNorm:
          absl::StrAppend(&out_, "    const float ", r,
                          " = static_cast<float>(std::sqrt(", r, "_sum));\n");
          break;
        case OpCode::kDot:
          absl::StrAppend(&out_, "    const float ", r,
                          " = static_cast<float>(", r, "_sum);\n");
          break;
        case OpCode::kCosineSim:
          // dot / (|x| |y| + 1e-8) in double, rounded once.
          absl::StrAppend(&out_, "    const double ", r, "_norms = std::sqrt(",
                          r, "_xx) * std::sqrt(", r, "_yy);\n    const float ",
                          r, " = static_cast<float>(", r, "_xy / (", r,
                          "_norms + 1e-8));\n");
          break;
        default:
          break;
      }
    }
  }

  void WritePass(const ExportPass& pass, int p, bool last, int num_passes) {
    declared_.clear();
    if (num_passes > 1) {
      absl::StrAppend(&out_, "    // Pass ", p + 1, " of ", num_passes, ": ",
                      last ? "the update and the state.\n"
                           : "reductions for the passes after it.\n");
    }
    DeclareSums(pass.accumulates, /*norms=*/false, "    ");
    absl::StrAppend(&out_,
                    "    for (size_t k = 0; k < group.tensors.size(); ++k) {\n"
                    "      const Tensor& tensor = group.tensors[k];\n");
    for (int slot = 0; slot < 2; ++slot) {
      const bool read = pass.reads_input[kStateSlots[slot]];
      const bool write = last && plan_.slot_out[slot] >= 0;
      if (!read && !write) continue;
      absl::StrAppend(&out_, "      ", write ? "" : "const ", "float* ",
                      kSlotNames[slot], "_state = state_.", kSlotNames[slot],
                      "[first + k].data();\n");
    }
    DeclareSums(pass.accumulates, /*norms=*/true, "      ");
    absl::StrAppend(&out_,
                    "      for (size_t i = 0; i < tensor.size; ++i) {\n");
    const char* const kLoads[4] = {"tensor.weights[i]", "tensor.grads[i]",
                                   "m_state[i]", "v_state[i]"};
    for (int r = 0; r < 4; ++r) {
      if (!pass.reads_input[r]) continue;
      Assign(std::string(InputName(r)), kLoads[r], "");
    }
    for (int s : pass.statements) {
      const ExportStatement& st = plan_.statements[s];
      if (std::find(pass.accumulates.begin(), pass.accumulates.end(), s) !=
          pass.accumulates.end()) {
        Accumulate(s);
        continue;
      }
      const bool from_earlier_pass = IsReduction(st.op);
      Assign(st.out, Expression(s),
             from_earlier_pass ? absl::StrCat("  // ", st.source) : "");
    }
    if (last) WriteOutputs();
    absl::StrAppend(&out_, "      }\n");
    FinishSums(pass.accumulates, /*norms=*/true);
    absl::StrAppend(&out_, "    }\n");
    FinishSums(pass.accumulates, /*norms=*/false);
  }

  void WriteOutputs() {
    const std::string update = plan_.statements[plan_.update].out;
    absl::StrAppend(&out_, "        tensor.weights[i] -= ", update, ";\n");
    std::string check = absl::StrCat("NotFinite(", update, ")");
    for (int slot = 0; slot < 2; ++slot) {
      if (plan_.slot_out[slot] < 0) continue;
      const std::string value = plan_.statements[plan_.slot_out[slot]].out;
      absl::StrAppend(&out_, "        ", kSlotNames[slot],
                      "_state[i] = ", value, ";\n");
      absl::StrAppend(&check, " | NotFinite(", value, ")");
    }
    absl::StrAppend(&out_, "        bad |= ", check, ";\n");
  }

  const ExportPlan& plan_;
  std::string& out_;
  std::map<int, int> norm_index_;
  int num_norms_ = 0;
  std::set<std::string> declared_;
};

std::string HeaderComment(const ExportPlan& plan, const ExportOptions& o) {
  std::string text = ProvenanceText(
      plan, o, "a standalone C++17 header (the standard library only)");
  const std::string& n = o.name;
  absl::StrAppend(
      &text,
      "\nThe class is shaped like hero's native optimizers "
      "(src/optim/optimizer.h):\nparameter groups of float32 tensors "
      "(weights updated in place, gradients\nread; both owned by the "
      "caller), each group with its own lr scale and\nweight decay λ; "
      "Step(lr) with the schedule's learning rate; the state,\nsaved and "
      "loaded. One Step runs the program once per group:\n"
      "  w ← w − update(w, g, m, v; lr · lr_scale, λ)\n\n",
      "  std::vector<float> w(n), g(n);\n  ", n, "::ParamGroup group;\n",
      "  group.weight_decay = 1.0f;  // λ\n",
      "  group.tensors.push_back({w.data(), g.data(), w.size()});\n  ", n,
      " optimizer({group});\n", "  // ... write the gradient into g, then:\n",
      "  bool finite = optimizer.Step(3e-4f);\n\n",
      SemanticsText(plan, "parameter group"),
      "No fused multiply-add: the header turns contraction off for GCC "
      "(whatever\nits flags) and writes no a * b + c expression, which is "
      "all Clang's default\n(-ffp-contract=on) would fuse; Clang's "
      "-ffp-contract=fast disregards pragmas\nand changes the last bits "
      "(use on, off or fast-honor-pragmas).\n"
      "Thread-safety: one call at a time. Step does not allocate.\n");
  return Commented(text, "// ");
}

}  // namespace

std::string GenerateCpp(const ExportPlan& plan, const ExportOptions& o) {
  const std::string& n = o.name;
  const std::string guard =
      absl::StrCat("HERO_EXPORT_", absl::AsciiStrToUpper(n), "_H_");
  std::string out = HeaderComment(plan, o);
  absl::StrAppend(&out, "#ifndef ", guard, "\n#define ", guard, "\n\n",
                  "#include <algorithm>\n#include <cmath>\n#include "
                  "<cstddef>\n#include <cstdint>\n"
                  "#include <cstring>\n#include <limits>\n#include <string>\n"
                  "#include <utility>\n#include <vector>\n\n",
                  "#if defined(__GNUC__) && !defined(__clang__)\n"
                  "#pragma GCC push_options\n"
                  "#pragma GCC optimize(\"fp-contract=off\")\n#endif\n\n");
  absl::StrAppend(&out, "class ", n, " {\n public:\n");
  absl::StrAppend(&out,
                  "  // The program's numeric literals, named; the defaults "
                  "are the literals.\n  struct Hyperparameters {\n");
  for (const Hyperparameter& h : plan.hyperparameters) {
    absl::StrAppend(&out, "    float ", h.name, " = ", CppFloat(h.value),
                    ";  // ", h.role, "\n");
  }
  absl::StrAppend(&out, "  };\n\n");
  absl::StrAppend(
      &out,
      "  // One parameter tensor: `size` weights, updated in place, and their\n"
      "  // gradient, read by Step. Owned by the caller, who keeps them alive\n"
      "  // and in place.\n"
      "  struct Tensor {\n    float* weights = nullptr;\n"
      "    const float* grads = nullptr;\n    size_t size = 0;\n  };\n\n"
      "  struct ParamGroup {\n    std::vector<Tensor> tensors;\n"
      "    float lr_scale = 1.0f;      // The group's lr is Step's lr times "
      "this.\n"
      "    float weight_decay = 0.0f;  // λ\n  };\n\n"
      "  // The state the program carries (m, v: one vector per tensor, all\n"
      "  // groups' tensors in order; empty for a slot it does not carry).\n"
      "  struct State {\n    int64_t step = 0;\n"
      "    std::vector<std::vector<float>> m, v;\n  };\n\n");
  int num_norms = 0;
  for (const ExportStatement& st : plan.statements) {
    num_norms += st.op == OpCode::kNorm;
  }
  absl::StrAppend(&out, "  explicit ", n,
                  "(std::vector<ParamGroup> groups)\n      : ", n,
                  "(std::move(groups), Hyperparameters()) {}\n  ", n,
                  "(std::vector<ParamGroup> groups, Hyperparameters hp)\n"
                  "      : groups_(std::move(groups)), hp_(hp) {\n");
  std::string per_tensor;
  for (int slot = 0; slot < 2; ++slot) {
    if (!plan.slot_live[slot]) continue;
    absl::StrAppend(&per_tensor, "        state_.", kSlotNames[slot],
                    ".emplace_back(t.size, 0.0f);\n");
  }
  if (!per_tensor.empty()) {
    absl::StrAppend(&out, "    for (const ParamGroup& group : groups_) {\n",
                    "      for (const Tensor& t : group.tensors) {\n",
                    per_tensor, "      }\n    }\n");
  }
  if (num_norms > 0) {
    absl::StrAppend(&out,
                    "    size_t most = 0;  // The most tensors in a group.\n"
                    "    for (const ParamGroup& group : groups_) {\n"
                    "      most = std::max(most, group.tensors.size());\n"
                    "    }\n    norms_.assign(",
                    num_norms, ", std::vector<float>(most));\n");
  }
  absl::StrAppend(
      &out, "  }\n\n",
      "  // One step with learning rate `lr` (the schedule's value times the "
      "peak\n  // learning rate). Returns false if some update or state value "
      "is NaN or\n  // ±Inf; everything has been written either way.\n"
      "  bool Step(float lr) {\n    bool finite = true;\n"
      "    size_t first = 0;  // The group's first tensor, in all groups' "
      "order.\n"
      "    for (const ParamGroup& group : groups_) {\n"
      "      finite &= StepGroup(group, first, lr * group.lr_scale, "
      "group.weight_decay);\n"
      "      first += group.tensors.size();\n    }\n"
      "    ++state_.step;\n    return finite;\n  }\n\n",
      "  const State& SaveState() const { return state_; }\n\n",
      "  // Replaces the state. Returns \"\" or, leaving the state as it was, "
      "why\n  // it refused (a slot's tensor count or a tensor's size "
      "differs).\n",
      "  std::string LoadState(const State& state) {\n"
      "    const std::vector<std::vector<float>>* mine[2] = {&state_.m, "
      "&state_.v};\n"
      "    const std::vector<std::vector<float>>* theirs[2] = {&state.m, "
      "&state.v};\n"
      "    for (int s = 0; s < 2; ++s) {\n"
      "      const char* name = s == 0 ? \"m\" : \"v\";\n"
      "      if (mine[s]->size() != theirs[s]->size()) {\n"
      "        return std::string(\"slot \") + name + \": \" + "
      "std::to_string(theirs[s]->size()) +\n"
      "               \" tensors; the optimizer has \" + "
      "std::to_string(mine[s]->size());\n      }\n"
      "      for (size_t t = 0; t < mine[s]->size(); ++t) {\n"
      "        if ((*mine[s])[t].size() != (*theirs[s])[t].size()) {\n"
      "          return std::string(\"slot \") + name + \", tensor \" + "
      "std::to_string(t) + \": \" +\n"
      "                 std::to_string((*theirs[s])[t].size()) +\n"
      "                 \" elements; the optimizer's has \" +\n"
      "                 std::to_string((*mine[s])[t].size());\n"
      "        }\n      }\n    }\n    state_ = state;\n    return \"\";\n  "
      "}\n\n",
      "  const Hyperparameters& hyperparameters() const { return hp_; }\n\n"
      " private:\n",
      "  // The program, element by element, with this group's lr and λ.\n"
      "  bool StepGroup(const ParamGroup& group, size_t first, float lr, "
      "float lam) {\n");
  StepWriter(plan, &out).Write();
  absl::StrAppend(&out, "  }\n\n");
  AppendCppHelpers(plan, &out);
  absl::StrAppend(&out, "\n  std::vector<ParamGroup> groups_;\n",
                  "  Hyperparameters hp_;\n  State state_;\n");
  if (num_norms > 0) {
    absl::StrAppend(&out,
                    "  // Per norm statement: the norm of each tensor of the "
                    "group.\n  std::vector<std::vector<float>> norms_;\n");
  }
  absl::StrAppend(&out,
                  "};\n\n#if defined(__GNUC__) && !defined(__clang__)\n"
                  "#pragma GCC pop_options\n#endif\n\n#endif  // ",
                  guard, "\n");
  return out;
}

}  // namespace hero
