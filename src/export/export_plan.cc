#include "src/export/export_plan.h"

#include <map>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "src/export/export_format.h"
#include "src/program/printer.h"

namespace hero {
namespace {

// C++ and Python keywords, the builtins and modules generated code uses,
// and every identifier the generators declare.
const std::set<std::string>& ReservedSet() {
  static const std::set<std::string>* const kReserved =
      new std::set<std::string>{
          // Python keywords and builtins the generated code calls.
          "False", "None", "True", "and", "as", "assert", "async", "await",
          "break", "class", "continue", "def", "del", "elif", "else", "except",
          "finally", "for", "from", "global", "if", "import", "in", "is",
          "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try",
          "while", "with", "yield", "all", "any", "dict", "enumerate", "float",
          "int", "isinstance", "len", "list", "max", "min", "next", "range",
          "sum", "super", "tuple", "type", "zip", "math", "np", "numpy",
          "torch", "Optimizer", "RuntimeError", "TypeError", "ValueError",
          // C++ keywords and names from the standard library.
          "alignas", "alignof", "asm", "auto", "bool", "case", "catch", "char",
          "const", "constexpr", "const_cast", "decltype", "default", "delete",
          "do", "double", "dynamic_cast", "enum", "explicit", "export",
          "extern", "friend", "goto", "inline", "long", "mutable", "namespace",
          "new", "noexcept", "nullptr", "operator", "private", "protected",
          "public", "register", "reinterpret_cast", "short", "signed", "sizeof",
          "static", "static_assert", "static_cast", "struct", "switch",
          "template", "this", "throw", "typedef", "typeid", "typename", "union",
          "unsigned", "using", "virtual", "void", "volatile", "wchar_t", "std",
          "size_t", "int64_t", "uint32_t", "NAN", "INFINITY", "and_eq",
          "bitand", "bitor", "compl", "not_eq", "or_eq", "xor", "xor_eq",
          "char16_t", "char32_t", "thread_local",
          // Identifiers of the generated code.
          "self", "group", "groups", "state", "params", "param", "grads",
          "closure", "loss", "maximize", "foreach", "defaults", "weight_decay",
          "hp", "i", "k", "n", "t", "p", "u", "x", "y", "a", "lr_scale",
          "finite", "bad", "tensors", "tensor", "step", "result", "parts",
          "betas", "error", "value", "first", "m_state", "v_state", "lr_in",
          "groups_", "hp_", "state_", "norms_", "Tensor", "ParamGroup", "State",
          "Hyperparameters", "Step", "StepGroup", "SaveState", "LoadState",
          "NotFinite", "_Tensors", "_map", "_arith", "_f32", "_f64", "_train",
          "_EPS"};
  return *kReserved;
}

// Generated code names its reduction temporaries `reduced_<n>...`.
constexpr absl::string_view kReservedPrefix = "reduced_";

std::string Sanitize(const std::string& name) {
  if (IsLambdaName(name)) return "lam";
  std::string out;
  for (char c : name) {
    out += absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '_' ? c
                                                                          : '_';
  }
  if (out.empty() || absl::ascii_isdigit(static_cast<unsigned char>(out[0]))) {
    out = "v_" + out;
  }
  return out;
}

// Literal roles, in the order their names are tried.
enum class Role { kBeta, kMaxNorm, kExponent, kMomentum, kEps, kOther };

std::string RoleBase(Role role) {
  switch (role) {
    case Role::kBeta:
      return "beta";
    case Role::kMaxNorm:
      return "max_norm";
    case Role::kExponent:
      return "exponent";
    case Role::kMomentum:
      return "momentum";
    case Role::kEps:
      return "eps";
    case Role::kOther:
      break;
  }
  return "c";
}

std::string RoleText(Role role) {
  switch (role) {
    case Role::kBeta:
      return "interpolation weight";
    case Role::kMaxNorm:
      return "clipping threshold";
    case Role::kExponent:
      return "exponent";
    case Role::kMomentum:
      return "state decay";
    case Role::kEps:
      return "eps";
    case Role::kOther:
      break;
  }
  return "constant";
}

Role RoleOf(const Statement& s, int arg) {
  const Arg& a = s.args[arg];
  if (a.named) return a.constant_op == OpCode::kEps ? Role::kEps : Role::kOther;
  switch (s.op) {
    case OpCode::kInterpolate:
      return arg == 2 ? Role::kBeta : Role::kOther;
    case OpCode::kClipByGlobalNorm:
      return arg == 1 ? Role::kMaxNorm : Role::kOther;
    case OpCode::kPower:
      return arg == 1 ? Role::kExponent : Role::kOther;
    case OpCode::kMul: {
      const Arg& other = s.args[1 - arg];
      return other.is_var() && (other.reg == kM || other.reg == kV)
                 ? Role::kMomentum
                 : Role::kOther;
    }
    default:
      return Role::kOther;
  }
}

// pi and e are mathematical constants, not knobs.
bool IsFixedConstant(const Arg& a) {
  return a.named && a.constant_op != OpCode::kEps;
}

}  // namespace

bool IsReserved(const std::string& name) {
  if (absl::StartsWith(name, kReservedPrefix)) return true;
  if (ReservedSet().count(name) > 0) return true;
  // The generators' helper functions, one per op.
  for (int i = 0; i < kNumOps; ++i) {
    const OpCode op = static_cast<OpCode>(i);
    if (name == CppHelperName(op) ||
        name == absl::StrCat("_", GetOpInfo(op).name)) {
      return true;
    }
  }
  return false;
}

bool IsTranscendental(OpCode op) {
  switch (op) {
    case OpCode::kPower:
    case OpCode::kCos:
    case OpCode::kSin:
    case OpCode::kTan:
    case OpCode::kArcsin:
    case OpCode::kArccos:
    case OpCode::kArctan:
    case OpCode::kSinh:
    case OpCode::kCosh:
    case OpCode::kTanh:
    case OpCode::kArcsinh:
    case OpCode::kArccosh:
    case OpCode::kArctanh:
    case OpCode::kExp:
    case OpCode::kExp2:
    case OpCode::kExp10:
    case OpCode::kExpm1:
    case OpCode::kLog:
    case OpCode::kLog10:
    case OpCode::kLog2:
    case OpCode::kLog1p:
    case OpCode::kCbrt:
      return true;
    default:
      return false;
  }
}

absl::StatusOr<ExportPlan> MakeExportPlan(const Program& program,
                                          const PlanOptions& options) {
  absl::StatusOr<Analysis> analysis = Analyze(program);
  if (!analysis.ok()) return analysis.status();
  ExportPlan plan;
  plan.source = PrintProgram(program);

  // Identifiers: inputs by convention, the rest sanitized and made unique.
  std::set<std::string> used;
  std::vector<std::string> ident(program.num_registers());
  const char* const kInputs[kNumInputs] = {"w", "g", "m", "v", "lr", "lam"};
  for (int r = 0; r < kNumInputs; ++r) {
    ident[r] = kInputs[r];
    used.insert(ident[r]);
  }
  auto unique = [&used](std::string name) {
    if (absl::StartsWith(name, kReservedPrefix)) name = "v_" + name;
    while (IsReserved(name) || used.count(name)) name += "_";
    used.insert(name);
    return name;
  };
  for (int r = kNumInputs; r < program.num_registers(); ++r) {
    ident[r] = unique(Sanitize(program.names[r]));
  }

  // Literal roles first (names are numbered within a role).
  struct Literal {
    int statement;  // In plan.statements.
    int arg;
    Role role;
  };
  std::vector<Literal> literals;
  std::map<Role, int> role_count;

  std::vector<int> reg_def(program.num_registers(), -1);
  for (size_t i = 0; i < program.statements.size(); ++i) {
    const Statement& s = program.statements[i];
    if (!analysis->live[i]) {
      plan.dead.push_back(PrintStatement(program, s));
      continue;
    }
    ExportStatement e;
    e.op = s.op;
    e.out = ident[s.out];
    e.type = analysis->types[s.out];
    e.source = PrintStatement(program, s);
    const int index = static_cast<int>(plan.statements.size());
    for (int a = 0; a < s.arity(); ++a) {
      const Arg& arg = s.args[a];
      ExportArg x;
      if (arg.is_var()) {
        x.kind = ExportArg::Kind::kVariable;
        x.name = ident[arg.reg];
        x.type = analysis->types[arg.reg];
        x.def = reg_def[arg.reg];
        if (x.def < 0) {
          x.input = arg.reg;
          plan.reads_input[arg.reg] = true;
        }
      } else {
        x.kind = ExportArg::Kind::kLiteral;
        x.value = arg.value;
        x.type = ValueType::kScalar;
        if (options.named_constants && !IsFixedConstant(arg)) {
          const Role role = RoleOf(s, a);
          literals.push_back({index, a, role});
          ++role_count[role];
        }
      }
      e.args.push_back(x);
    }
    const OpKind kind = GetOpInfo(s.op).kind;
    plan.has_global_reduction |=
        kind == OpKind::kGlobalReduction || kind == OpKind::kGlobalRescale;
    plan.has_norm |= kind == OpKind::kSegmentReduction;
    plan.has_transcendental |= IsTranscendental(s.op);
    plan.statements.push_back(e);
    reg_def[s.out] = index;
  }
  plan.update = reg_def[analysis->update_register];
  for (int k = 0; k < 2; ++k) {
    plan.slot_live[k] = analysis->state_is_live[k];
    plan.slot_out[k] = plan.slot_live[k] ? reg_def[kStateSlots[k]] : -1;
  }

  std::map<Role, int> role_seen;
  for (const Literal& l : literals) {
    ExportStatement& s = plan.statements[l.statement];
    ExportArg& arg = s.args[l.arg];
    const int number = ++role_seen[l.role];
    std::string base = RoleBase(l.role);
    if (l.role == Role::kOther || role_count[l.role] > 1) {
      base = absl::StrCat(base, number);
    }
    arg.kind = ExportArg::Kind::kHyperparameter;
    arg.name = unique(base);
    plan.hyperparameters.push_back(
        {arg.name, arg.value,
         absl::StrCat(RoleText(l.role), " in `", s.source, "`")});
  }
  return plan;
}

}  // namespace hero
