#include "src/simplify/common_subexpressions.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <map>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"

namespace hero {
namespace {

// An argument as a value: a node id, or a constant by its bits (named
// constants are literals of their value).
using ArgKey = std::pair<int, int64_t>;  // (0, id) or (1, constant code).

ArgKey KeyOf(const Dataflow& df, int id) {
  const Node& n = df.nodes[id];
  if (!n.is_constant()) return {0, id};
  uint32_t bits = 0;
  std::memcpy(&bits, &n.constant.value, sizeof bits);
  return {1, static_cast<int64_t>(bits)};
}

using NodeKey = std::pair<int, std::vector<ArgKey>>;

NodeKey KeyOfNode(const Dataflow& df, int id) {
  const Node& n = df.nodes[id];
  std::vector<ArgKey> args;
  for (int i = 0; i < n.arity(); ++i) args.push_back(KeyOf(df, n.args[i]));
  if (GetOpInfo(n.op).commutative) std::sort(args.begin(), args.end());
  return {static_cast<int>(n.op), std::move(args)};
}

}  // namespace

bool MergeCommonSubexpressions(Dataflow& df, Derivation* derivation) {
  bool changed = false;
  std::map<NodeKey, int> first;
  for (int id : df.LiveOpNodes()) {
    if (df.nodes[id].kind == Node::Kind::kRemoved) continue;
    NodeKey key = KeyOfNode(df, id);
    auto it = first.find(key);
    if (it == first.end()) {
      first.emplace(std::move(key), id);
      continue;
    }
    Dataflow trial = df;
    trial.ReplaceUses(id, it->second);
    if (!trial.Emittable()) continue;
    if (derivation != nullptr) {
      derivation->AddStep(
          {"common-subexpression",
           absl::StrCat("`", df.nodes[id].name, "` recomputes `",
                        df.StatementText(it->second),
                        "`; its readers read that value"),
           {df.StatementText(id)},
           {}});
    }
    df = std::move(trial);
    df.nodes[id].kind = Node::Kind::kRemoved;
    changed = true;
  }
  return changed;
}

}  // namespace hero
