// Simplify: the paper's "Step 3: Simplify", the symbolic part — a raw
// discovered program in, a short canonical program and its derivation out.
//
// The passes (numbered as in the design), applied in this order, round after
// round, until none changes anything:
//   1. dead code, including dead state across steps (dead_code.h);
//   4. common subexpressions (common_subexpressions.h);
//   2. algebraic rewrites from the rule table (algebraic.h,
//      rewrite_rules.h), including constant folding and copy propagation;
//   3. interpolation algebra (interpolation.h);
// then, once, the rest of pass 4, the canonical form (canonical_form.h): the
// live state slot in `m`, canonical statement order and names, so equal
// programs print identically. Ablation (pass 5, ablation.h) needs an
// evaluator and runs separately.
//
//   absl::StatusOr<SimplifyResult> r = Simplify(program);
//   std::cout << PrintProgram(r->program);
//   std::cerr << r->derivation.ToText();
//
// Guarantees (tested over 1,000 random programs in
// tests/simplify/simplify_property_test.cc): the result passes Analyze();
// it computes the same update and live state as the input — bit for bit
// with `loosest = kExact`, and otherwise within the rules' stated exactness
// (rewrite_rules.h); Simplify(result) prints identically (idempotence).
//
// Thread-safety: Simplify is a pure function.
#ifndef HERO_SIMPLIFY_SIMPLIFIER_H_
#define HERO_SIMPLIFY_SIMPLIFIER_H_

#include <array>

#include "absl/status/statusor.h"
#include "src/program/program.h"
#include "src/simplify/dataflow.h"
#include "src/simplify/derivation.h"
#include "src/simplify/rewrite_rules.h"

namespace hero {

struct SimplifyOptions {
  // The loosest rules applied: kExact keeps the result bit-identical.
  Exactness loosest = Exactness::kNearZero;
  // Interpolation merges are Exactness::kRounding.
  bool merge_interpolations = true;
};

struct SimplifyResult {
  Program program;
  Derivation derivation;
  // Where the input's state slot k (0 = m, 1 = v) is kept in the result:
  // 0 (m), 1 (v), or -1 if it carries nothing there (dead, in the input or
  // once simplified).
  std::array<int, 2> slot_of = {-1, -1};
};

// InvalidArgument if `program` does not pass Analyze().
absl::StatusOr<SimplifyResult> Simplify(const Program& program,
                                        const SimplifyOptions& options = {});

// The symbolic passes on a graph, until none applies. `derivation` may be
// null.
void SimplifyDataflow(Dataflow& df, const SimplifyOptions& options,
                      Derivation* derivation);

}  // namespace hero

#endif  // HERO_SIMPLIFY_SIMPLIFIER_H_
