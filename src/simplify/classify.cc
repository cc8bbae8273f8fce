#include "src/simplify/classify.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "src/simplify/simplifier.h"

namespace hero {
namespace {

// A value as a sum of coefficient · atom. `symbolic`: a non-constant scalar
// factor (taken as positive, coefficient 1) was met somewhere.
struct LinearForm {
  std::map<int, double> terms;
  bool symbolic = false;
};

// Elementwise maps that keep the sign of their argument (odd or not) and are
// monotone: f(x) has the sign of x, so sign(f(x)) = sign(x).
bool IsSignPreserving(OpCode op) {
  switch (op) {
    case OpCode::kArcsin:
    case OpCode::kArctan:
    case OpCode::kArctanh:
    case OpCode::kTanh:
    case OpCode::kSinh:
    case OpCode::kArcsinh:
    case OpCode::kCube:
    case OpCode::kCbrt:
    case OpCode::kSign:
    case OpCode::kExpm1:
      return true;
    default:
      return false;
  }
}

class Classifier {
 public:
  explicit Classifier(const Dataflow& df) : df_(df), forms_(df.nodes.size()) {}

  Classification Run();

 private:
  const Node& node(int id) const { return df_.nodes[id]; }
  bool IsScalar(int id) const { return node(id).type == ValueType::kScalar; }
  // A factor that cannot flip a sign: a positive constant, a non-constant
  // scalar (assumed positive), or a tensor that is non-negative by its op.
  bool IsPositiveFactor(int id) const;
  const LinearForm& Form(int id);
  // If `id` is, up to positive factors, c·A with c > 0 for a single atom A:
  // A; else -1.
  int PositiveCore(int id);
  bool IsGradientLike(int id);
  // The X of a sign(X) atom (sign(X), X / abs(X), or a sign-preserving map
  // of one), or -1.
  int SignArgument(int atom);
  // Fills the betas if sign(X) is sign momentum; else returns a reason.
  std::optional<std::string> CheckMomentum(int x, Classification& c);

  const Dataflow& df_;
  std::vector<std::optional<LinearForm>> forms_;
};

bool Classifier::IsPositiveFactor(int id) const {
  const Node& n = node(id);
  if (n.is_constant()) return n.constant.value > 0;
  if (n.type == ValueType::kScalar) return true;
  if (!n.is_op()) return false;
  switch (n.op) {
    case OpCode::kSqrt:
    case OpCode::kAbs:
    case OpCode::kSquare:
    case OpCode::kExp:
    case OpCode::kExp2:
    case OpCode::kExp10:
    case OpCode::kCosh:
    case OpCode::kNorm:
      return true;
    default:
      return false;
  }
}

const LinearForm& Classifier::Form(int id) {
  if (forms_[id].has_value()) return *forms_[id];
  LinearForm f;
  const Node& n = node(id);
  auto add = [&f](const LinearForm& part, double scale) {
    for (const auto& [atom, c] : part.terms) f.terms[atom] += scale * c;
    f.symbolic = f.symbolic || part.symbolic;
  };
  // `scalar` as a factor: its value if constant, else 1 (marked symbolic).
  auto factor = [&](int scalar, bool divide) -> std::optional<double> {
    const Node& s = node(scalar);
    if (!s.is_constant()) {
      f.symbolic = true;
      return 1.0;
    }
    const double v = s.constant.value;
    if (!divide) return v;
    if (v == 0) return std::nullopt;
    return 1.0 / v;
  };
  bool atom = true;
  if (n.is_op() && n.type == ValueType::kTensor) {
    const int a = n.args[0], b = n.args[1];
    switch (n.op) {
      case OpCode::kAdd:
        add(Form(a), 1);
        add(Form(b), 1);
        atom = false;
        break;
      case OpCode::kSub:
        add(Form(a), 1);
        add(Form(b), -1);
        atom = false;
        break;
      case OpCode::kNegative:
        add(Form(a), -1);
        atom = false;
        break;
      case OpCode::kMul:
        if (IsScalar(a) != IsScalar(b)) {
          const int scalar = IsScalar(a) ? a : b;
          const int tensor = IsScalar(a) ? b : a;
          if (std::optional<double> s = factor(scalar, false)) {
            add(Form(tensor), *s);
            atom = false;
          }
        }
        break;
      case OpCode::kDiv:
        if (IsScalar(b) && !IsScalar(a)) {
          if (std::optional<double> s = factor(b, true)) {
            add(Form(a), *s);
            atom = false;
          }
        }
        break;
      case OpCode::kInterpolate: {
        const int c = n.args[2];
        if (node(c).is_constant() && IsScalar(a) == IsScalar(b) &&
            !IsScalar(a)) {
          const double w = node(c).constant.value;
          add(Form(a), 1 - w);
          add(Form(b), w);
          atom = false;
        }
        break;
      }
      default:
        break;
    }
  }
  if (atom) f.terms[id] = 1;
  for (auto it = f.terms.begin(); it != f.terms.end();) {
    it = it->second == 0 ? f.terms.erase(it) : std::next(it);
  }
  forms_[id] = std::move(f);
  return *forms_[id];
}

int Classifier::PositiveCore(int id) {
  const LinearForm& f = Form(id);
  if (f.terms.size() != 1 || f.terms.begin()->second <= 0) return -1;
  const int atom = f.terms.begin()->first;
  const Node& n = node(atom);
  if (n.is_op() && (n.op == OpCode::kMul || n.op == OpCode::kDiv)) {
    const int a = n.args[0], b = n.args[1];
    if (IsPositiveFactor(b)) return PositiveCore(a);
    if (n.op == OpCode::kMul && IsPositiveFactor(a)) return PositiveCore(b);
  }
  return atom;
}

bool Classifier::IsGradientLike(int id) {
  const int core = PositiveCore(id);
  if (core < 0) return false;
  if (core == kG) return true;
  const Node& n = node(core);
  if (!n.is_op()) return false;
  if (IsSignPreserving(n.op) || n.op == OpCode::kClipByGlobalNorm) {
    return IsGradientLike(n.args[0]);
  }
  return false;
}

int Classifier::SignArgument(int atom) {
  const Node& n = node(atom);
  if (!n.is_op()) return -1;
  if (n.op == OpCode::kSign) return n.args[0];
  if (n.op == OpCode::kDiv) {
    const Node& d = node(n.args[1]);
    if (d.is_op() && d.op == OpCode::kAbs && d.args[0] == n.args[0]) {
      return n.args[0];
    }
    return -1;
  }
  if (IsSignPreserving(n.op)) {
    const int core = PositiveCore(n.args[0]);
    return core < 0 ? -1 : SignArgument(core);
  }
  return -1;
}

std::optional<std::string> Classifier::CheckMomentum(int x, Classification& c) {
  // Positive factors of X do not change its sign.
  while (true) {
    const Node& n = node(x);
    if (!n.is_op() || (n.op != OpCode::kMul && n.op != OpCode::kDiv)) break;
    if (IsPositiveFactor(n.args[1]) && !IsScalar(n.args[0])) {
      x = n.args[0];
    } else if (n.op == OpCode::kMul && IsPositiveFactor(n.args[0]) &&
               !IsScalar(n.args[1])) {
      x = n.args[1];
    } else {
      break;
    }
  }
  const LinearForm& f = Form(x);
  if (f.symbolic) return "the sign's argument has non-constant coefficients";
  int slot = -1, grad = -1;
  double alpha = 0, beta = 0;
  for (const auto& [atom, coef] : f.terms) {
    if (atom == kM || atom == kV) {
      if (slot >= 0) return "the sign reads both state slots";
      slot = atom == kM ? 0 : 1;
      beta = coef;
    } else if (grad < 0 && IsGradientLike(atom)) {
      grad = atom;
      alpha = coef;
    } else {
      return "the sign's argument is not a combination of the gradient and a "
             "state";
    }
  }
  if (slot < 0) return "the sign reads no state (no momentum)";
  if (grad < 0) return "the sign's argument does not contain the gradient";
  if (alpha <= 0 || beta <= 0) {
    return "the sign's argument weighs the gradient or the state negatively";
  }
  if (!df_.assigned(slot)) return "the state the sign reads is never updated";
  const LinearForm& s = Form(df_.state_out[slot]);
  const int state_node = kStateSlots[slot];
  if (s.symbolic || s.terms.size() != 2 || s.terms.count(grad) == 0 ||
      s.terms.count(state_node) == 0) {
    return "the state is not an average of the gradient the sign reads";
  }
  const double alpha_s = s.terms.at(grad), beta_s = s.terms.at(state_node);
  if (alpha_s <= 0 || beta_s <= 0 || beta_s >= 1) {
    return absl::StrFormat(
        "the state is not an exponential average (coefficients %g, %g)",
        alpha_s, beta_s);
  }
  // S = α_s / (1 - β_s) · e for a unit-gain average e of G.
  const double beta_prime = beta * alpha_s / (1 - beta_s);
  c.direction_beta = beta_prime / (alpha + beta_prime);
  c.state_beta = beta_s;
  return std::nullopt;
}

Classification Classifier::Run() {
  Classification c;
  const LinearForm& update = Form(df_.update);
  std::vector<std::pair<int, double>> others;
  for (const auto& [atom, coef] : update.terms) {
    if (atom == kW && coef > 0) {
      c.decoupled_weight_decay = true;
    } else {
      others.emplace_back(atom, coef);
    }
  }
  std::string first_reason;
  int sign_terms = 0;
  for (const auto& [atom, coef] : others) {
    const int x = SignArgument(atom);
    if (x < 0) continue;
    if (coef <= 0) {
      if (first_reason.empty()) first_reason = "the sign term is subtracted";
      continue;
    }
    Classification trial;
    std::optional<std::string> why = CheckMomentum(x, trial);
    if (why.has_value()) {
      if (first_reason.empty()) first_reason = *why;
      continue;
    }
    ++sign_terms;
    c.sign_momentum_term = true;
    c.direction_beta = trial.direction_beta;
    c.state_beta = trial.state_beta;
  }
  if (others.size() == 1 && sign_terms == 1) {
    const double td = 1 / (1 - c.direction_beta);
    const double ts = 1 / (1 - c.state_beta);
    c.kind = std::max(td, ts) >= kLionTimeConstantRatio * std::min(td, ts)
                 ? OptimizerClass::kLionForm
                 : OptimizerClass::kSignMomentum;
    return c;
  }
  if (sign_terms > 0) {
    c.reason = absl::StrCat("a sign-momentum term beside ", others.size() - 1,
                            " other term", others.size() == 2 ? "" : "s");
  } else if (!first_reason.empty()) {
    c.reason = first_reason;
  } else {
    c.reason = "no sign in the update direction";
  }
  return c;
}

}  // namespace

absl::string_view OptimizerClassName(OptimizerClass c) {
  switch (c) {
    case OptimizerClass::kOther:
      return "other";
    case OptimizerClass::kSignMomentum:
      return "sign_momentum";
    case OptimizerClass::kLionForm:
      return "lion_form";
  }
  return "";
}

Classification ClassifyDataflow(const Dataflow& df) {
  return Classifier(df).Run();
}

absl::StatusOr<Classification> Classify(const Program& program) {
  absl::StatusOr<SimplifyResult> simplified = Simplify(program);
  if (!simplified.ok()) return simplified.status();
  absl::StatusOr<Dataflow> df = Dataflow::FromProgram(simplified->program);
  if (!df.ok()) return df.status();
  return ClassifyDataflow(*df);
}

std::string DescribeClassification(const Classification& c) {
  std::string out(OptimizerClassName(c.kind));
  if (c.sign_momentum_term) {
    absl::StrAppendFormat(&out, " (%sdirection β %.4g, state β %.4g)",
                          c.kind == OptimizerClass::kOther ? "sign term: " : "",
                          c.direction_beta, c.state_beta);
  }
  out += c.decoupled_weight_decay ? ", decoupled weight decay"
                                  : ", no weight decay";
  if (!c.reason.empty()) absl::StrAppend(&out, ": ", c.reason);
  return out;
}

}  // namespace hero
