#include "src/simplify/interpolation.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "src/simplify/algebraic.h"

namespace hero {
namespace {

struct Term {
  int value;
  double weight;
};

// The interpolation's constant weight, if `id` is an interpolation with one.
bool ConstantWeight(const Dataflow& df, int id, double* a) {
  const Node& n = df.nodes[id];
  if (!n.is_op() || n.op != OpCode::kInterpolate) return false;
  const Node& w = df.nodes[n.args[2]];
  if (!w.is_constant()) return false;
  *a = w.constant.value;
  return true;
}

// Adds weight·value to `terms`, expanding `value` one level if it is an
// interpolation with a constant weight. Returns true iff it expanded.
bool AddTerm(const Dataflow& df, int value, double weight,
             std::vector<Term>& terms) {
  double a = 0;
  const bool expand = ConstantWeight(df, value, &a);
  auto add = [&terms](int v, double w) {
    for (Term& t : terms) {
      if (t.value == v) {
        t.weight += w;
        return;
      }
    }
    terms.push_back({v, w});
  };
  if (!expand) {
    add(value, weight);
    return false;
  }
  const Node& n = df.nodes[value];
  add(n.args[0], weight * (1.0 - a));
  add(n.args[1], weight * a);
  return true;
}

std::string Describe(bool p_expanded, bool q_expanded, bool x_first) {
  if (p_expanded && q_expanded) {
    return "interpolate(interpolate(x, y, a), interpolate(x, y, c), b) → "
           "interpolate(x, y, (1-b)·a + b·c)";
  }
  if (q_expanded) {
    return x_first ? "interpolate(x, interpolate(x, y, a), b) → "
                     "interpolate(x, y, a·b)"
                   : "interpolate(y, interpolate(x, y, a), b) → "
                     "interpolate(x, y, 1 - b·(1-a))";
  }
  return x_first ? "interpolate(interpolate(x, y, a), x, b) → "
                   "interpolate(x, y, a·(1-b))"
                 : "interpolate(interpolate(x, y, a), y, b) → "
                   "interpolate(x, y, a + b·(1-a))";
}

bool TryMerge(Dataflow& df, int id, Derivation* derivation) {
  double b = 0;
  if (!ConstantWeight(df, id, &b)) return false;
  const Node& n = df.nodes[id];
  std::vector<Term> terms;
  const bool p_expanded = AddTerm(df, n.args[0], 1.0 - b, terms);
  const bool q_expanded = AddTerm(df, n.args[1], b, terms);
  if (!(p_expanded || q_expanded) || terms.size() > 2) return false;
  const std::string before = df.StatementText(id);
  Dataflow trial = df;
  std::string after;
  if (terms.size() == 1) {
    if (trial.nodes[terms[0].value].type != n.type) return false;
    if (!ReplaceWithValue(trial, id, terms[0].value)) return false;
    after = absl::StrCat("(`", n.name, "` is `", trial.ArgText(terms[0].value),
                         "`)");
  } else {
    Node merged = n;
    merged.args = {terms[0].value, terms[1].value,
                   trial.AddConstant(static_cast<float>(terms[1].weight))};
    trial.nodes[id] = merged;
    if (!trial.Emittable()) return false;
    after = trial.StatementText(id);
  }
  if (derivation != nullptr) {
    // Which inner argument the outer one repeats: x (first) or y (second).
    const int inner = q_expanded ? n.args[1] : n.args[0];
    const int other = q_expanded ? n.args[0] : n.args[1];
    const bool x_first =
        df.nodes[inner].is_op() && df.nodes[inner].args[0] == other;
    derivation->AddStep({"interpolate-merge",
                         absl::StrCat(Describe(p_expanded, q_expanded, x_first),
                                      "  [exact in real arithmetic]"),
                         {before},
                         {after}});
  }
  df = std::move(trial);
  return true;
}

}  // namespace

bool MergeInterpolations(Dataflow& df, Derivation* derivation) {
  bool changed = false;
  for (int id : df.LiveOpNodes()) {
    if (df.Reachable()[id] && TryMerge(df, id, derivation)) changed = true;
  }
  return changed;
}

}  // namespace hero
