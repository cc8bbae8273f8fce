#include "src/simplify/dataflow.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "src/program/printer.h"

namespace hero {

absl::StatusOr<Dataflow> Dataflow::FromProgram(const Program& program) {
  absl::StatusOr<Analysis> analysis = Analyze(program);
  if (!analysis.ok()) return analysis.status();
  Dataflow df;
  for (int r = 0; r < kNumInputs; ++r) {
    Node n;
    n.kind = Node::Kind::kInput;
    n.input = r;
    n.type = (r == kLr || r == kLam) ? ValueType::kScalar : ValueType::kTensor;
    n.name = std::string(InputName(r));
    df.nodes.push_back(std::move(n));
  }
  // reg_node[r]: the node holding register r's current value.
  std::vector<int> reg_node(program.num_registers(), -1);
  for (int r = 0; r < kNumInputs; ++r) reg_node[r] = r;
  for (const Statement& s : program.statements) {
    Node n;
    n.kind = Node::Kind::kOp;
    n.op = s.op;
    for (int i = 0; i < s.arity(); ++i) {
      n.args[i] = s.args[i].is_var() ? reg_node[s.args[i].reg]
                                     : df.AddConstant(s.args[i]);
    }
    n.type = analysis->types[s.out];
    n.name = program.names[s.out];
    df.statement_node.push_back(static_cast<int>(df.nodes.size()));
    reg_node[s.out] = static_cast<int>(df.nodes.size());
    df.nodes.push_back(std::move(n));
  }
  df.update = reg_node[analysis->update_register];
  df.state_out = {reg_node[kM], reg_node[kV]};
  return df;
}

int Dataflow::AddConstant(const Arg& value) {
  Node n;
  n.kind = Node::Kind::kConstant;
  n.constant = value;
  n.type = ValueType::kScalar;
  nodes.push_back(std::move(n));
  return static_cast<int>(nodes.size()) - 1;
}

void Dataflow::ReplaceUses(int from, int to) {
  for (Node& n : nodes) {
    for (int i = 0; i < n.arity(); ++i) {
      if (n.args[i] == from) n.args[i] = to;
    }
  }
  if (update == from) update = to;
  for (int& out : state_out) {
    if (out == from) out = to;
  }
}

void Dataflow::SwapStateSlots() {
  auto swap_id = [](int id) { return id == kM ? kV : id == kV ? kM : id; };
  for (Node& n : nodes) {
    for (int i = 0; i < n.arity(); ++i) n.args[i] = swap_id(n.args[i]);
  }
  update = swap_id(update);
  std::swap(state_out[0], state_out[1]);
  for (int& out : state_out) out = swap_id(out);
}

std::array<bool, 2> Dataflow::LiveSlots() const {
  std::array<bool, 2> live = {false, false};
  while (true) {
    const std::vector<bool> reach = Reachable(live);
    bool grew = false;
    for (int k = 0; k < 2; ++k) {
      if (!live[k] && reach[kStateSlots[k]]) {
        live[k] = true;
        grew = true;
      }
    }
    if (!grew) return live;
  }
}

std::vector<bool> Dataflow::Reachable(
    const std::array<bool, 2>& live_slots) const {
  std::vector<bool> reach(nodes.size(), false);
  std::vector<int> stack = {update};
  for (int k = 0; k < 2; ++k) {
    if (live_slots[k]) stack.push_back(state_out[k]);
  }
  while (!stack.empty()) {
    const int id = stack.back();
    stack.pop_back();
    if (reach[id]) continue;
    reach[id] = true;
    for (int i = 0; i < nodes[id].arity(); ++i)
      stack.push_back(nodes[id].args[i]);
  }
  return reach;
}

std::vector<int> Dataflow::UseCounts(const std::vector<bool>& reachable) const {
  std::vector<int> uses(nodes.size(), 0);
  for (size_t id = 0; id < nodes.size(); ++id) {
    if (!reachable[id]) continue;
    for (int i = 0; i < nodes[id].arity(); ++i) ++uses[nodes[id].args[i]];
  }
  ++uses[update];
  for (int k = 0; k < 2; ++k) {
    if (assigned(k)) ++uses[state_out[k]];
  }
  return uses;
}

std::vector<uint32_t> Dataflow::InputMasks() const {
  // Arguments precede their readers except constants, which have mask 0.
  std::vector<uint32_t> mask(nodes.size(), 0);
  for (size_t id = 0; id < nodes.size(); ++id) {
    const Node& n = nodes[id];
    if (n.is_input()) mask[id] = 1u << n.input;
    for (int i = 0; i < n.arity(); ++i) mask[id] |= mask[n.args[i]];
  }
  return mask;
}

bool Dataflow::Emittable() const {
  if (!nodes[update].is_op()) return false;
  std::array<int, 2> first_write = {-1, -1};
  for (int k = 0; k < 2; ++k) {
    if (!assigned(k)) continue;
    const int out = state_out[k];
    if (!nodes[out].is_op() || out == update) return false;
    if (assigned(1 - k) && state_out[1 - k] == out) return false;
    first_write[k] = out;
  }
  return Schedulable(first_write);
}

bool Dataflow::Schedulable(const std::array<int, 2>& first_write) const {
  const std::vector<bool> reach = Reachable();
  // preds[id]: nodes that must be written before id.
  std::vector<std::vector<int>> preds(nodes.size());
  for (size_t id = 0; id < nodes.size(); ++id) {
    if (!reach[id]) continue;
    const Node& n = nodes[id];
    for (int i = 0; i < n.arity(); ++i) {
      preds[id].push_back(n.args[i]);
      for (int k = 0; k < 2; ++k) {
        if (n.args[i] == kStateSlots[k] && first_write[k] >= 0 &&
            first_write[k] != static_cast<int>(id)) {
          preds[first_write[k]].push_back(static_cast<int>(id));
        }
      }
    }
  }
  // Cycle check by iterative depth-first search (0 new, 1 open, 2 done).
  std::vector<int> state(nodes.size(), 0);
  for (size_t root = 0; root < nodes.size(); ++root) {
    if (state[root] != 0) continue;
    std::vector<std::pair<int, size_t>> stack = {{static_cast<int>(root), 0}};
    state[root] = 1;
    while (!stack.empty()) {
      auto& [id, next] = stack.back();
      if (next < preds[id].size()) {
        const int p = preds[id][next++];
        if (state[p] == 1) return false;
        if (state[p] == 0) {
          state[p] = 1;
          stack.push_back({p, 0});
        }
      } else {
        state[id] = 2;
        stack.pop_back();
      }
    }
  }
  return true;
}

std::string Dataflow::ArgText(int id) const {
  const Node& n = nodes[id];
  if (!n.is_constant()) return n.name;
  if (n.constant.named) return GetOpInfo(n.constant.constant_op).name;
  return FormatConstant(n.constant.value);
}

std::string Dataflow::StatementText(int id) const {
  const Node& n = nodes[id];
  const OpInfo& info = GetOpInfo(n.op);
  if (info.infix != nullptr) {
    return absl::StrCat(n.name, " = ", ArgText(n.args[0]), " ", info.infix, " ",
                        ArgText(n.args[1]));
  }
  std::string out = absl::StrCat(n.name, " = ", info.name, "(");
  for (int i = 0; i < n.arity(); ++i) {
    if (i > 0) out += ", ";
    out += ArgText(n.args[i]);
  }
  return out + ")";
}

std::vector<int> Dataflow::LiveOpNodes() const {
  const std::vector<bool> reach = Reachable();
  std::vector<int> out;
  for (size_t id = 0; id < nodes.size(); ++id) {
    if (reach[id] && nodes[id].is_op()) out.push_back(static_cast<int>(id));
  }
  return out;
}

}  // namespace hero
