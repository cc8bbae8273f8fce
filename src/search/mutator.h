// Mutator: the search's variation operator — one random edit of a program.
//
// The paper's three mutations (insert, delete, modify an argument) plus
// change-op and wrap, chosen at random with configurable weights:
//
//   - insert: a random statement at a random position. Its op is drawn
//     uniformly from the op table (the constants pi/e/eps are not ops of a
//     statement); each argument is a variable defined at that point (inputs
//     and outputs of earlier statements) of an acceptable type or, where a
//     scalar is acceptable, with probability `constant_probability` a fresh
//     constant ~ N(0, 1). The output is an existing variable of the result's
//     type (never lr or λ) or, with probability `fresh_output_probability`, a
//     fresh variable `t1`, `t2`, ... A fresh output alone would be dead code
//     (and so structurally the parent), so one later argument slot that holds
//     a value of the same type is rewired to read it (if there is none, the
//     child is dead code and is rejected below). A parent with
//     max_statements statements gets no insert, unless it has dead
//     statements: then one of them, at random, is dropped to make room.
//   - delete: a random live statement. Names no statement uses any more are
//     dropped, so registers do not pile up over a long lineage.
//   - modify argument: a random argument of a random live statement. A
//     variable becomes another variable of the same type defined before the
//     statement or, where a scalar is acceptable, with probability
//     `modify_to_constant_probability` a constant ~ N(0, 1); a constant is
//     multiplied by 2^N(0,1) (a zero constant is redrawn ~ N(0, 1)), its
//     magnitude clamped to kMaxConstantMagnitude.
//   - change op: a live statement's op becomes another op of the same
//     signature (arity, argument types and result rule; see SameSignatureOps).
//   - wrap: after a random live statement defining x, a new statement
//     `x = f(x)` with f a unary function (the 28 of sign's signature): the
//     moves the paper's program made — `update = sign(update)` is one wrap
//     of AdamW's `update = m / v_sqrt` — become likely. Not applicable at
//     max_statements statements.
//
// `op_weights` (empty = all 1) makes the op of an insert, a change-op and a
// wrap a weighted draw over the ops that fit, instead of a uniform one: e.g.
// fewer transcendental functions, which mostly break training. With it
// empty and wrap_weight 0, the mutator draws exactly as it did before those
// options existed (same seed, same children).
//
// Delete, modify and change-op act on live statements only (analysis.h):
// an edit of a dead statement never changes the structural hash, so it would
// always be rejected below.
//
// A proposal is accepted iff the child passes Analyze(), reads lr if
// `require_lr` is set, and its structural hash differs from the parent's;
// otherwise a fresh mutation of the *parent* is proposed (the kind is drawn
// again), at most 1 + max_retries proposals in all. Each proposal draws its
// kind from the weights of the kinds applicable to the parent (insert needs
// fewer than max_statements statements or a dead one, change-op a live
// statement whose op has a same-signature alternative), so for a parent where
// all four apply, proposals follow the weights exactly; accepted mutations do
// not, since acceptance rates differ per kind.
//
//   Mutator mutator(MutatorOptions{});
//   std::mt19937_64 rng(seed);  // reproducible; absl::BitGen is not
//   absl::StatusOr<Mutation> m = mutator.Mutate(parent, rng);
//   if (m.ok()) { /* m->child, m->hash, m->description */ }
//
// Reproducibility: all randomness comes from the absl::BitGenRef passed in.
// With a seeded std::mt19937_64 (not absl::BitGen, whose seeding and
// output differ from run to run) the same parent gives the same children.
//
// Invariants of every accepted child: it passes Analyze() (so no statement
// writes lr or λ, arities match, every register index is in range, every
// constant is finite) and its StructuralHash differs from the parent's.
//
// Thread-safety: a Mutator is not thread-safe (it keeps counters and scratch
// space); use one per thread.
#ifndef HERO_SEARCH_MUTATOR_H_
#define HERO_SEARCH_MUTATOR_H_

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/random/bit_gen_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "src/program/analysis.h"
#include "src/program/ops.h"
#include "src/program/program.h"

namespace hero {

enum class MutationKind : uint8_t {
  kInsert,
  kDelete,
  kModifyArg,
  kChangeOp,
  kWrap
};
inline constexpr int kNumMutationKinds = 5;

// "insert", "delete", "modify_arg", "change_op", "wrap".
absl::string_view MutationKindName(MutationKind kind);

// Constants made or perturbed by the mutator stay within ±this.
inline constexpr float kMaxConstantMagnitude = 1e30f;

struct MutatorOptions {
  // Relative weights of the four kinds (>= 0, not all zero).
  double insert_weight = 1;
  double delete_weight = 1;
  double modify_arg_weight = 1;
  double change_op_weight = 1;
  double wrap_weight = 0;
  // Relative weight of each op (indexed by OpCode) in the op draws of
  // insert, change-op and wrap; empty = uniform. Otherwise kNumOps
  // entries, >= 0, with a positive one among the ops of each draw that can
  // happen (a draw whose ops all weigh 0 fails, counted as invalid).
  std::vector<double> op_weights;
  // Modify: a constant is multiplied by 2^N(0, constant_log2_sigma).
  double constant_log2_sigma = 1;
  // Insert never grows a program past this many statements (>= 1); see
  // insert.
  int max_statements = 30;
  // Rejected proposals retried before Mutate gives up (>= 0).
  int max_retries = 100;
  // Insert: chance that an argument slot accepting a scalar gets a constant.
  double constant_probability = 0.25;
  // Insert: chance that the output is a fresh variable, not an existing one.
  double fresh_output_probability = 0.5;
  // A child whose live statements do not read lr (ReadsLive in analysis.h:
  // its step ignores the learning rate, so no schedule or lr tuning reaches
  // it) is rejected, counted as invalid. Off by default.
  bool require_lr = false;
  // Modify: chance that a variable in a slot accepting a scalar becomes a
  // constant.
  double modify_to_constant_probability = 0.1;
};

// OK iff the options are in range; the message names every bad field.
absl::Status ValidateMutatorOptions(const MutatorOptions& options);

// Ops with the same arity, argument types and result rule as `op`,
// including `op` itself, in OpCode order (e.g. sin: the 28 unary functions;
// norm: only norm). Empty for the constants pi, e, eps.
const std::vector<OpCode>& SameSignatureOps(OpCode op);

struct Mutation {
  Program child;
  Analysis analysis;  // Analyze(child).
  uint64_t hash = 0;  // StructuralHash(child, analysis).
  MutationKind kind = MutationKind::kInsert;
  // 0-based index of the statement inserted, modified or changed (in the
  // child) or deleted (in the parent).
  int statement = 0;
  // E.g. "insert 3: t2 = arcsin(g)", "delete 4: v_sqrt = sqrt(v)",
  // "modify_arg 2, arg 3: v = interpolate(g2, v, 0.8123) (was 0.999)",
  // "change_op 5: update = m * v_sqrt (was /)". Statement numbers are 1-based.
  std::string description;
  // Proposals rejected before this one: invalid (Analyze failed, or the edit
  // could not be made) and same structural hash as the parent.
  int rejected_invalid = 0;
  int rejected_same_hash = 0;
};

// Counters over the life of a Mutator.
struct MutatorStats {
  struct PerKind {
    int64_t proposed = 0;
    int64_t invalid = 0;
    int64_t same_hash = 0;
    int64_t accepted = 0;
  };
  std::array<PerKind, kNumMutationKinds> kinds{};
  int64_t calls = 0;     // Mutate calls.
  int64_t failures = 0;  // Calls that ran out of retries.

  const PerKind& of(MutationKind k) const { return kinds[static_cast<int>(k)]; }
  // One line per kind plus a total, for logs.
  std::string ToString() const;
};

class Mutator {
 public:
  // REQUIRES: ValidateMutatorOptions(options).ok() (checked).
  explicit Mutator(const MutatorOptions& options);

  Mutator(const Mutator&) = delete;
  Mutator& operator=(const Mutator&) = delete;

  // A mutated child of `parent`. InvalidArgument if the parent does not pass
  // Analyze(); ResourceExhausted if every proposal was rejected (counted in
  // stats().failures) or no mutation kind applies.
  absl::StatusOr<Mutation> Mutate(const Program& parent, absl::BitGenRef gen);
  // The same, with the parent's analysis and structural hash already known.
  // REQUIRES: they are Analyze(parent) and StructuralHash(parent, analysis).
  absl::StatusOr<Mutation> Mutate(const Program& parent,
                                  const Analysis& parent_analysis,
                                  uint64_t parent_hash, absl::BitGenRef gen);

  const MutatorStats& stats() const { return stats_; }
  void ResetStats() { stats_ = MutatorStats(); }
  const MutatorOptions& options() const { return options_; }

 private:
  // What a proposal did, for the description.
  struct Site {
    MutationKind kind = MutationKind::kInsert;
    int statement = 0;  // As in Mutation::statement.
    int arg = 0;        // ModifyArg: the argument changed.
    int wired = -1;     // Insert: the later statement rewired, or -1.
    int dropped = -1;   // Insert: the dead parent statement dropped, or -1.
    Arg old_arg;        // ModifyArg: the argument before.
    OpCode old_op = OpCode::kAdd;  // ChangeOp: the op before.
  };

  // Each returns false if the edit cannot be made (counted as invalid).
  bool Insert(const Program& parent, const Analysis& analysis,
              absl::BitGenRef gen, Program& child, Site& site);
  // Insert into `base`: `parent`, or `parent` less one dead statement.
  // `analysis` is the parent's (register types do not change).
  bool InsertInto(const Program& base, const Analysis& analysis,
                  absl::BitGenRef gen, Program& child, Site& site);
  bool Delete(const Program& parent, absl::BitGenRef gen, Program& child,
              Site& site);
  bool ModifyArg(const Program& parent, const Analysis& analysis,
                 absl::BitGenRef gen, Program& child, Site& site);
  bool ChangeOp(const Program& parent, absl::BitGenRef gen, Program& child,
                Site& site);
  bool Wrap(const Program& parent, const Analysis& analysis,
            absl::BitGenRef gen, Program& child, Site& site);
  // One of `ops` other than `skip` (-1: none) by op_weights (REQUIRES: not
  // empty); false if none has weight.
  bool DrawWeightedOp(const std::vector<OpCode>& ops, int skip,
                      absl::BitGenRef gen, OpCode* op) const;

  // Fills defined_ with the distinct registers defined before statement
  // `position` (inputs and earlier outputs) whose type is `type`
  // (kUndefined: any type).
  void CollectDefined(const Program& p, const Analysis& analysis, int position,
                      ValueType type);
  Arg RandomConstant(absl::BitGenRef gen) const;
  std::string Describe(const Program& parent, const Mutation& m,
                       const Site& site) const;

  MutatorOptions options_;
  MutatorStats stats_;
  // Scratch, reused across calls to avoid allocation.
  std::vector<int16_t> defined_;
  std::vector<uint8_t> seen_;
  std::vector<int> live_;        // The parent's live statements,
  std::vector<int> dead_;        // its dead ones,
  std::vector<int> changeable_;  // and live ones with a same-signature op.
  Program room_;                 // Insert: the parent less a dead statement.
};

}  // namespace hero

#endif  // HERO_SEARCH_MUTATOR_H_
