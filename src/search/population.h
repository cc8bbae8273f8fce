// Population: regularized evolution's population — the last P candidates
// to complete, oldest first, and tournament selection over them.
//
//   Population pop(/*capacity=*/1000);
//   pop.Fill(warm_start);                      // P copies
//   const Member& parent = pop.Tournament(2, rng);
//   pop.Add(child);                            // the oldest leaves (aging)
//
// Invariants: size() == capacity() once filled; members are in the order
// they were added (members().front() is the oldest).
// Thread-safety: not thread-safe.
#ifndef HERO_SEARCH_POPULATION_H_
#define HERO_SEARCH_POPULATION_H_

#include <cstdint>
#include <deque>
#include <memory>

#include "absl/random/bit_gen_ref.h"
#include "src/program/analysis.h"
#include "src/program/program.h"

namespace hero {

struct Member {
  int64_t id = 0;
  double fitness = 0;
  // What selection ranks by: the fitness, less the parsimony penalty
  // (SelectionScore in fitness_plan.h); equal to fitness without one.
  double score = 0;
  std::shared_ptr<const Program> program;
  std::shared_ptr<const Analysis> analysis;
  uint64_t hash = 0;
};

class Population {
 public:
  explicit Population(int capacity) : capacity_(capacity) {}

  // Replaces every member by `capacity()` copies of `m`.
  void Fill(const Member& m);
  // Adds `m` as the newest member; removes the oldest when over capacity.
  void Add(Member m);

  // The member with the highest score of `t` drawn uniformly with
  // replacement (ties: the first drawn). REQUIRES: !empty().
  const Member& Tournament(int t, absl::BitGenRef gen) const;

  double MedianFitness() const;
  // The fitness (not the score) of the k-th fittest member, k = max(1,
  // floor(fraction * size())): a fitness strictly above it would rank in the
  // top `fraction`. REQUIRES: !empty().
  double TopCut(double fraction) const;
  // Fraction of statements that are redundant (not live), over all members.
  double RedundantFraction() const;

  const std::deque<Member>& members() const { return members_; }
  int capacity() const { return capacity_; }
  bool empty() const { return members_.empty(); }

 private:
  int capacity_;
  std::deque<Member> members_;
};

}  // namespace hero

#endif  // HERO_SEARCH_POPULATION_H_
