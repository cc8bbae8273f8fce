// Classify: what kind of optimizer a program is — sign momentum, the Lion
// form, or other — decided on the dataflow graph of its simplified form,
// never on its text. The judge of the rediscovery benchmark
// (tools/bench/rediscovery.sh) and of `hero show --analyze` / `hero lineage`.
//
//   absl::StatusOr<Classification> c = Classify(program);
//   if (c.ok() && IsSignMomentum(c->kind)) { ... }
//   std::cout << DescribeClassification(*c);
//   // "lion_form (direction β 0.9, state β 0.99), decoupled weight decay"
//
// The update is read as a sum of terms, each a product of scalar factors and
// one tensor "atom" (through + - negative, products and quotients with
// scalars, and interpolate with a constant weight). Then:
//
//   decoupled weight decay: a term w · (positive scalars) — `update + w * λ`;
//   sign momentum: apart from that term, exactly one term, c · sign(X) with
//     c > 0, where X — up to positive factors (scalars, sqrt, abs, square,
//     exp, norm, ...) — is α·G + β·S with α, β > 0: S the incoming value of
//     a state slot and G gradient-like (g, or g through sign-preserving
//     maps: arcsin, tanh, cube, sign, clip_by_global_norm, positive scaling,
//     ...); and the slot is an exponential average of the same G:
//     S ← α_s·G + β_s·S with α_s > 0 and 0 < β_s < 1. sign(X) may also be
//     written X / abs(X) (the simplifier rewrites most other spellings).
//   Lion form: sign momentum whose direction and state update weigh the
//     past differently. The direction's effective coefficient is
//     β_d = β' / (α + β') with β' = β·α_s / (1 - β_s) (S expressed as a
//     unit-gain average of G, so that heavy-ball and interpolation forms
//     compare), the state's is β_s; the Lion form needs their time constants
//     1 / (1 - β) to differ by a factor of at least kLionTimeConstantRatio
//     (0.9 vs 0.99: 10 vs 100 steps). Signum reads the state it just wrote:
//     β_d = β_s.
//   other: anything else, with the reason (sign of g without momentum,
//     sign of a non-gradient average such as v, a hybrid of a sign term and
//     other gradient terms, ...).
//
// Assumption: a non-constant scalar factor (lr, λ, cbrt(λ), global_norm(g))
// counts as positive; constant factors are checked.
//
// Thread-safety: pure functions.
#ifndef HERO_SIMPLIFY_CLASSIFY_H_
#define HERO_SIMPLIFY_CLASSIFY_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "src/program/program.h"
#include "src/simplify/dataflow.h"

namespace hero {

// Ordered: a Lion-form program is also sign momentum.
enum class OptimizerClass { kOther = 0, kSignMomentum = 1, kLionForm = 2 };

// The factor by which the two time constants of the Lion form must differ.
inline constexpr double kLionTimeConstantRatio = 1.25;

struct Classification {
  OptimizerClass kind = OptimizerClass::kOther;
  bool decoupled_weight_decay = false;
  // The update has a sign-momentum term, alone (kSignMomentum, kLionForm)
  // or beside other gradient terms (a hybrid, kOther).
  bool sign_momentum_term = false;
  // Of that term: the effective coefficients of the direction and of the
  // state update (see above); 0 when there is none.
  double direction_beta = 0;
  double state_beta = 0;
  // Why the program is kOther (one phrase); empty otherwise.
  std::string reason;
};

inline bool IsSignMomentum(OptimizerClass c) {
  return c != OptimizerClass::kOther;
}

// "other", "sign_momentum", "lion_form".
absl::string_view OptimizerClassName(OptimizerClass c);

// Simplifies `program` (the symbolic passes, default options) and
// classifies the result. InvalidArgument if the program is invalid.
absl::StatusOr<Classification> Classify(const Program& program);

// Classifies the graph as it is (no simplification).
Classification ClassifyDataflow(const Dataflow& df);

// One line: the class name, the betas of a sign term, the weight decay and,
// for kOther, the reason.
std::string DescribeClassification(const Classification& c);

}  // namespace hero

#endif  // HERO_SIMPLIFY_CLASSIFY_H_
