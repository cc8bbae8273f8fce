// Population: aging and tournament selection.
#include "src/search/population.h"

#include <random>

#include "gtest/gtest.h"

namespace hero {
namespace {

Member M(int64_t id, double fitness) {
  Member m;
  m.id = id;
  m.fitness = fitness;
  m.score = fitness;
  return m;
}

TEST(PopulationTest, AgingRemovesTheOldest) {
  Population pop(3);
  pop.Fill(M(0, 0.5));
  EXPECT_EQ(pop.members().size(), 3u);
  pop.Add(M(1, 0.1));
  pop.Add(M(2, 0.2));
  EXPECT_EQ(pop.members().front().id, 0);
  pop.Add(M(3, 0.3));
  // The three copies of the warm start are gone; even the best ages out.
  ASSERT_EQ(pop.members().size(), 3u);
  EXPECT_EQ(pop.members()[0].id, 1);
  EXPECT_EQ(pop.members()[1].id, 2);
  EXPECT_EQ(pop.members()[2].id, 3);
  EXPECT_DOUBLE_EQ(pop.MedianFitness(), 0.2);
}

TEST(PopulationTest, TournamentOfOneIsUniform) {
  Population pop(4);
  pop.Fill(M(0, 0));
  for (int i = 1; i <= 4; ++i) pop.Add(M(i, i));
  std::mt19937_64 rng(5);
  int counts[5] = {};
  const int n = 40000;
  for (int i = 0; i < n; ++i) ++counts[pop.Tournament(1, rng).id];
  double chi2 = 0;
  for (int i = 1; i <= 4; ++i) {
    const double expected = n / 4.0;
    chi2 += (counts[i] - expected) * (counts[i] - expected) / expected;
  }
  EXPECT_LT(chi2, 16.27);  // 0.999 quantile, 3 degrees of freedom.
}

TEST(PopulationTest, TournamentOfTwoFavoursTheFit) {
  // With T = 2 over P = 4 distinct fitnesses, member of rank r (1 = worst)
  // wins with probability (2r - 1) / 16.
  Population pop(4);
  pop.Fill(M(0, 0));
  for (int i = 1; i <= 4; ++i) pop.Add(M(i, i));
  std::mt19937_64 rng(9);
  int counts[5] = {};
  const int n = 40000;
  for (int i = 0; i < n; ++i) ++counts[pop.Tournament(2, rng).id];
  double chi2 = 0;
  for (int r = 1; r <= 4; ++r) {
    const double expected = n * (2 * r - 1) / 16.0;
    chi2 += (counts[r] - expected) * (counts[r] - expected) / expected;
  }
  EXPECT_LT(chi2, 16.27);
}

TEST(PopulationTest, TournamentRanksByScoreNotFitness) {
  // A parsimony penalty (search.fitness.size_penalty) makes the fitter but
  // longer member 1 lose to member 2 in every tournament that draws both.
  Population pop(2);
  Member longer = M(1, 0.85);
  longer.score = 0.85 - 0.001 * 12;
  Member shorter = M(2, 0.845);
  shorter.score = 0.845 - 0.001 * 5;
  pop.Fill(longer);
  pop.Add(shorter);
  std::mt19937_64 rng(3);
  int wins_of_longer = 0;
  for (int i = 0; i < 1000; ++i) {
    wins_of_longer += pop.Tournament(2, rng).id == 1;
  }
  // Member 1 wins only when it is drawn twice: probability 1/4.
  EXPECT_GT(wins_of_longer, 180);
  EXPECT_LT(wins_of_longer, 320);
  // TopCut stays on the fitness: confirmation is about measured accuracy.
  EXPECT_DOUBLE_EQ(pop.TopCut(0.5), 0.85);
}

}  // namespace
}  // namespace hero
