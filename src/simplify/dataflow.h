// Dataflow: a program as a graph of values — the form the simplifier works on.
//
// A Program reuses registers (`update = update + wd`); a Dataflow gives every
// assignment its own node, so that "the same value" is node identity: in
// `interpolate(x, interpolate(x, y, a), b)` both `x` are one node, however
// the registers were named or reassigned in between. Nodes are the six
// inputs (ids 0..5, the InputRegister values), constants (literals and
// pi/e/eps) and op nodes, one per statement. The returned values are three
// node ids: `update` and the two state outputs; a state output equal to its
// own input node (`state_out[0] == kM`) means the program does not assign
// that slot, so it keeps its incoming value.
//
//   absl::StatusOr<Dataflow> df = Dataflow::FromProgram(program);
//   df->ReplaceUses(old_node, new_node);   // e.g. a rewrite to a copy
//   std::string s = df->StatementText(id); // "update = sign(m)"
//
// Passes edit `nodes` in place: a rewritten node keeps its id, position and
// display name; a node no longer used is marked kRemoved by the dead-code
// pass; new constants are appended. Invariant: an op node's arguments have
// smaller ids than the node itself, except constants (which depend on
// nothing), so the op nodes in id order are a valid evaluation order.
//
// Display names: each op node keeps the name of the variable it was assigned
// to (`name`), so a node prints as the statement the user wrote. Several
// nodes may share a name (`g = arcsin(g)`); names are for derivations only.
// The canonical form (canonical_form.h) chooses the final names.
//
// A Dataflow is a value; not thread-safe to mutate.
#ifndef HERO_SIMPLIFY_DATAFLOW_H_
#define HERO_SIMPLIFY_DATAFLOW_H_

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "src/program/analysis.h"
#include "src/program/program.h"

namespace hero {

struct Node {
  enum class Kind : uint8_t { kInput, kConstant, kOp, kRemoved };

  Kind kind = Kind::kRemoved;
  OpCode op = OpCode::kAdd;           // kOp.
  std::array<int, kMaxArity> args{};  // kOp: node ids, the first arity().
  int input = -1;                     // kInput: the InputRegister.
  Arg constant;                       // kConstant: literal or named.
  ValueType type = ValueType::kUndefined;
  std::string name;  // Display name (see above).

  int arity() const { return kind == Kind::kOp ? GetOpInfo(op).arity : 0; }
  bool is_op() const { return kind == Kind::kOp; }
  bool is_input() const { return kind == Kind::kInput; }
  bool is_constant() const { return kind == Kind::kConstant; }
};

class Dataflow {
 public:
  // The graph of a valid program (InvalidArgument if Analyze rejects it).
  // Dead statements become nodes too, so that removing them can be shown.
  static absl::StatusOr<Dataflow> FromProgram(const Program& program);

  std::vector<Node> nodes;
  int update = -1;
  std::array<int, 2> state_out = {kM, kV};
  // For each statement of the source program, its node (for ablation, which
  // names statements of the program it was given).
  std::vector<int> statement_node;

  // Slot k (0 = m, 1 = v) is assigned iff its output is not its own input.
  bool assigned(int k) const { return state_out[k] != kStateSlots[k]; }

  // A new constant node with the literal (or named) value; returns its id.
  int AddConstant(const Arg& value);
  int AddConstant(float value) { return AddConstant(Arg::Literal(value)); }

  // Every argument and output that reads `from` reads `to` instead.
  void ReplaceUses(int from, int to);
  // Swaps the two state slots: every read of m's incoming value reads v's
  // and vice versa, and the outputs are exchanged.
  void SwapStateSlots();

  // Per node: how many arguments of reachable op nodes, and outputs, read it
  // (the update and each assigned slot's output count once; an unassigned
  // slot does not).
  std::vector<int> UseCounts(const std::vector<bool>& reachable) const;
  // Per node: reachable from the returned update and the outputs of the
  // slots in `live_slots` (as analysis.h defines liveness).
  std::vector<bool> Reachable(const std::array<bool, 2>& live_slots) const;
  std::vector<bool> Reachable() const { return Reachable(LiveSlots()); }
  // Cross-step liveness (analysis.h): slot k is live iff its incoming value
  // is read by what reaches the update or another live slot's output.
  std::array<bool, 2> LiveSlots() const;
  // Per node: which inputs it depends on, as a bit mask (1 << InputRegister;
  // an input depends on itself).
  std::vector<uint32_t> InputMasks() const;

  // True iff the graph can be written as a program without copies: the
  // update and each assigned state output are distinct op nodes, and the
  // readers of each slot's incoming value can all be written before the
  // slot's new value overwrites the register (Schedulable). Rewrites that
  // would break this are not applied.
  bool Emittable() const;
  // True iff the reachable op nodes have an order in which every node
  // follows its arguments and, for each slot k with first_write[k] >= 0,
  // every reader of the slot's incoming value (other than first_write[k])
  // precedes first_write[k], the node that first overwrites the register.
  bool Schedulable(const std::array<int, 2>& first_write) const;

  // `name = op(args)` with display names, as in the source program.
  std::string StatementText(int id) const;
  // How node `id` appears as an argument: its name or the literal.
  std::string ArgText(int id) const;
  // The op nodes reachable from the outputs, in id order.
  std::vector<int> LiveOpNodes() const;
};

}  // namespace hero

#endif  // HERO_SIMPLIFY_DATAFLOW_H_
