#include "src/simplify/dead_code.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"

namespace hero {

bool RemoveDeadCode(Dataflow& df, Derivation* derivation) {
  bool changed = false;
  const std::array<bool, 2> live = df.LiveSlots();
  for (int k = 0; k < 2; ++k) {
    if (live[k] || !df.assigned(k)) continue;
    const int out = df.state_out[k];
    const std::string slot(InputName(kStateSlots[k]));
    if (derivation != nullptr) {
      derivation->AddStep(
          {"dead-state",
           absl::StrCat("`", slot,
                        "` is not a state slot: its incoming value is never "
                        "read, so the value returned in it is dropped"),
           {absl::StrCat(df.StatementText(out), "  # returned as ", slot)},
           {}});
    }
    df.state_out[k] = kStateSlots[k];
    changed = true;
  }
  const std::vector<bool> reach = df.Reachable(live);
  std::vector<std::string> removed;
  std::vector<int> dead;
  for (size_t id = 0; id < df.nodes.size(); ++id) {
    const Node& n = df.nodes[id];
    if (reach[id] || n.is_input() || n.kind == Node::Kind::kRemoved) continue;
    // Printed before anything is marked: a statement's constants are nodes.
    if (n.is_op()) removed.push_back(df.StatementText(static_cast<int>(id)));
    dead.push_back(static_cast<int>(id));
  }
  for (int id : dead) df.nodes[id].kind = Node::Kind::kRemoved;
  if (!removed.empty()) {
    changed = true;
    if (derivation != nullptr) {
      derivation->AddStep({"dead-code",
                           "statements whose values reach neither the update "
                           "nor a live state slot are removed",
                           removed,
                           {}});
    }
  }
  return changed;
}

}  // namespace hero
