#include "src/search/population.h"

#include <algorithm>
#include <functional>
#include <vector>

#include "absl/random/distributions.h"

namespace hero {

void Population::Fill(const Member& m) { members_.assign(capacity_, m); }

void Population::Add(Member m) {
  members_.push_back(std::move(m));
  while (static_cast<int>(members_.size()) > capacity_) members_.pop_front();
}

const Member& Population::Tournament(int t, absl::BitGenRef gen) const {
  const Member* best = nullptr;
  for (int i = 0; i < t; ++i) {
    const Member& m = members_[absl::Uniform<size_t>(gen, 0, members_.size())];
    if (best == nullptr || m.score > best->score) best = &m;
  }
  return *best;
}

double Population::MedianFitness() const {
  if (members_.empty()) return 0;
  std::vector<double> f;
  f.reserve(members_.size());
  for (const Member& m : members_) f.push_back(m.fitness);
  const size_t mid = f.size() / 2;
  std::nth_element(f.begin(), f.begin() + mid, f.end());
  if (f.size() % 2 == 1) return f[mid];
  const double upper = f[mid];
  const double lower = *std::max_element(f.begin(), f.begin() + mid);
  return (lower + upper) / 2;
}

double Population::TopCut(double fraction) const {
  std::vector<double> f;
  f.reserve(members_.size());
  for (const Member& m : members_) f.push_back(m.fitness);
  const size_t k = std::clamp<size_t>(
      static_cast<size_t>(fraction * static_cast<double>(f.size())), 1,
      f.size());
  std::nth_element(f.begin(), f.begin() + (k - 1), f.end(),
                   std::greater<double>());
  return f[k - 1];
}

double Population::RedundantFraction() const {
  int64_t all = 0, live = 0;
  for (const Member& m : members_) {
    all += static_cast<int64_t>(m.program->statements.size());
    live += m.analysis->num_live();
  }
  return all == 0 ? 0.0 : static_cast<double>(all - live) / all;
}

}  // namespace hero
