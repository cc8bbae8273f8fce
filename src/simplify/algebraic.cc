#include "src/simplify/algebraic.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"

namespace hero {
namespace {

// Tries `rule` at `node`; on success updates df and the derivation.
bool TryRule(Dataflow& df, const RewriteRule& rule, int node,
             Derivation* derivation) {
  // Match on df first: most attempts fail, and copying is the cost.
  Bindings bindings;
  bindings.fill(-1);
  if (rule.compute == nullptr &&
      !MatchPattern(df, rule.lhs_pattern, node, bindings)) {
    return false;
  }
  Dataflow trial = df;
  BuiltResult result;
  if (rule.compute != nullptr) {
    std::optional<BuiltResult> r = rule.compute(trial, node);
    if (!r.has_value()) return false;
    result = *std::move(r);
  } else {
    result = BuildResult(trial, rule.rhs_pattern, bindings, node);
  }
  const ValueType type = trial.nodes[node].type;
  const std::string before = df.StatementText(node);
  std::string after;
  if (result.copy_of >= 0) {
    if (trial.nodes[result.copy_of].type != type) return false;
    if (!ReplaceWithValue(trial, node, result.copy_of)) return false;
    after = absl::StrCat("(`", df.nodes[node].name, "` is `",
                         trial.ArgText(result.copy_of), "`)");
  } else {
    if (result.node.type != type) return false;
    trial.nodes[node] = std::move(result.node);
    if (!trial.Emittable()) return false;
    after = trial.StatementText(node);
  }
  if (derivation != nullptr) {
    derivation->AddStep({rule.name,
                         absl::StrCat(rule.lhs, " → ", rule.rhs, "  [",
                                      ExactnessText(rule.exactness), "]"),
                         {before},
                         {after}});
  }
  df = std::move(trial);
  return true;
}

}  // namespace

bool ReplaceWithValue(Dataflow& df, int node, int value) {
  Dataflow trial = df;
  trial.ReplaceUses(node, value);
  if (!trial.Emittable()) return false;
  df = std::move(trial);
  return true;
}

bool ApplyRewrites(Dataflow& df, Exactness loosest, Derivation* derivation) {
  bool changed = false;
  for (const RewriteRule& rule : RewriteRules()) {
    if (rule.exactness > loosest) continue;
    const std::vector<int> nodes = df.LiveOpNodes();
    std::vector<bool> live = df.Reachable();
    for (int node : nodes) {
      if (!live[node] || !df.nodes[node].is_op()) continue;
      if (TryRule(df, rule, node, derivation)) {
        changed = true;
        live = df.Reachable();
      }
    }
  }
  return changed;
}

}  // namespace hero
