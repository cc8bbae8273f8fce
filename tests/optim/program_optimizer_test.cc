// ProgramOptimizer: the interpreter behind the Optimizer interface — its
// results, per group, are the interpreter's bit for bit; tensors need not be
// contiguous; only live slots are kept; state is tied to the program.
#include "src/optim/program_optimizer.h"

#include <random>
#include <vector>

#include "gtest/gtest.h"
#include "src/optim/lion.h"
#include "src/program/parser.h"
#include "tests/optim/optim_test_util.h"

namespace hero {
namespace optim {
namespace {

using testing_util::FillNormal;
using testing_util::FillSpecial;
using testing_util::FirstBitDifference;
using testing_util::InterpretedReference;
using testing_util::Shipped;
using testing_util::TestParams;

std::vector<TestParams::GroupSpec> TwoGroups() {
  return {{{17, 1, 256, 1000}, 1.0f, 0.5f}, {{33, 5}, 0.25f, 0.1f}};
}

std::unique_ptr<ProgramOptimizer> Make(const Program& program,
                                       std::vector<ParamGroup> groups) {
  absl::StatusOr<std::unique_ptr<ProgramOptimizer>> o =
      ProgramOptimizer::Create(program, std::move(groups));
  EXPECT_TRUE(o.ok()) << o.status();
  return o.ok() ? *std::move(o) : nullptr;
}

Program Parse(const std::string& body) {
  absl::StatusOr<Program> p = ParseProgram(
      "def train(w, g, m, v, lr, λ):\n" + body + "  return update, m, v\n",
      "test.py");
  EXPECT_TRUE(p.ok()) << p.status();
  return *p;
}

// Every shipped program, including the evolved one whose
// clip_by_global_norm reduces over each group's tensors.
TEST(ProgramOptimizerTest, EqualsTheInterpreterPerGroup) {
  for (const char* name :
       {"adamw", "evolved", "hero_lion", "sgd_momentum", "signum"}) {
    SCOPED_TRACE(name);
    const Program program = Shipped(name);
    TestParams p(TwoGroups());
    std::mt19937 rng(31);
    FillNormal(rng, p.w, 1.0f);
    InterpretedReference reference(program, p);
    std::unique_ptr<ProgramOptimizer> opt = Make(program, p.Groups());
    ASSERT_NE(opt, nullptr);
    for (int step = 0; step < 20; ++step) {
      FillSpecial(rng, p.g, 0.1f, /*with_nan=*/false);
      EXPECT_EQ(opt->Step(1e-3f).finite, reference.Step(1e-3f));
      ASSERT_EQ(FirstBitDifference(p.w, reference.w()), -1) << "step " << step;
    }
    EXPECT_EQ(opt->step_count(), 20);
  }
}

TEST(ProgramOptimizerTest, ScatteredTensorsGiveTheSameBits) {
  const Program program = Shipped("evolved");
  TestParams flat({{{40, 3, 77}, 1.0f, 0.2f}});
  std::mt19937 rng(32);
  FillNormal(rng, flat.w, 1.0f);
  // The same tensors, each in its own buffers.
  std::vector<std::vector<float>> w(3), g(3);
  std::vector<ParamGroup> groups = flat.Groups();
  ParamGroup scattered = groups[0];
  for (int t = 0; t < 3; ++t) {
    w[t].assign(groups[0].tensors[t].weights.begin(),
                groups[0].tensors[t].weights.end());
    g[t].resize(w[t].size());
    scattered.tensors[t].weights = absl::MakeSpan(w[t]);
    scattered.tensors[t].grads = absl::MakeConstSpan(g[t]);
  }
  std::unique_ptr<ProgramOptimizer> a = Make(program, groups);
  std::unique_ptr<ProgramOptimizer> b = Make(program, {scattered});
  for (int step = 0; step < 10; ++step) {
    FillNormal(rng, flat.g, 0.1f);
    int64_t off = 0;
    for (int t = 0; t < 3; ++t) {
      std::copy(flat.g.begin() + off, flat.g.begin() + off + g[t].size(),
                g[t].begin());
      off += g[t].size();
    }
    a->Step(1e-3f);
    b->Step(1e-3f);
    std::vector<float> joined;
    for (int t = 0; t < 3; ++t)
      joined.insert(joined.end(), w[t].begin(), w[t].end());
    ASSERT_EQ(FirstBitDifference(flat.w, joined), -1) << "step " << step;
  }
}

TEST(ProgramOptimizerTest, KeepsOnlyLiveSlots) {
  TestParams p(TwoGroups());
  EXPECT_EQ(Make(Shipped("hero_lion"), p.Groups())->slot_names(),
            (std::vector<std::string>{"m"}));
  EXPECT_EQ(Make(Shipped("adamw"), p.Groups())->slot_names(),
            (std::vector<std::string>{"m", "v"}));
  // evolved.py overwrites m before reading it: only v carries state.
  EXPECT_EQ(Make(Shipped("evolved"), p.Groups())->slot_names(),
            (std::vector<std::string>{"v"}));
  // No state at all: plain SGD.
  std::unique_ptr<ProgramOptimizer> sgd =
      Make(Parse("  update = g * lr\n"), p.Groups());
  EXPECT_TRUE(sgd->slot_names().empty());
  p.g.assign(p.g.size(), 1.0f);
  p.w.assign(p.w.size(), 0.0f);
  EXPECT_TRUE(sgd->Step(0.5f).finite);
  EXPECT_EQ(p.w[0], -0.5f);                 // Group 0: lr 0.5.
  EXPECT_EQ(p.w[p.w.size() - 1], -0.125f);  // Group 1: lr_scale 0.25.
  EXPECT_EQ(sgd->SaveState().tensors(0).slots_size(), 0);
}

TEST(ProgramOptimizerTest, StateIsTiedToTheProgram) {
  TestParams p(TwoGroups());
  std::unique_ptr<ProgramOptimizer> a = Make(Shipped("hero_lion"), p.Groups());
  // The same dataflow under other names and with dead code: same name.
  std::unique_ptr<ProgramOptimizer> b =
      Make(Parse("  c = interpolate(g, m, 0.9)\n"
                 "  unused = exp(g)\n"
                 "  c = sign(c)\n"
                 "  m = interpolate(g, m, 0.99)\n"
                 "  decay = w * λ\n"
                 "  update = c + decay\n"
                 "  update = update * lr\n"),
           p.Groups());
  EXPECT_EQ(a->name(), b->name());
  EXPECT_EQ(a->name().substr(0, 8), "program:");
  EXPECT_EQ(a->name().size(), 8u + 16u);
  a->Step(1e-3f);
  EXPECT_TRUE(b->LoadState(a->SaveState()).ok());
  EXPECT_EQ(b->step_count(), 1);
  // Native Lion computes the same values but is another optimizer.
  std::unique_ptr<Lion> lion = *Lion::Create(p.Groups());
  EXPECT_EQ(lion->LoadState(a->SaveState()).message(),
            absl::StrCat("optimizer state: written by optimizer `", a->name(),
                         "`, loading into `lion`"));
}

TEST(ProgramOptimizerTest, RejectsInvalidProgramsWithTheirPosition) {
  TestParams p(TwoGroups());
  absl::StatusOr<Program> bad = ParseProgram(
      "def train(w, g, m, v, lr, λ):\n"
      "  update = sign(q)\n"
      "  return update, m, v\n",
      "bad.py");
  ASSERT_TRUE(bad.ok());
  absl::StatusOr<std::unique_ptr<ProgramOptimizer>> o =
      ProgramOptimizer::Create(*bad, p.Groups());
  EXPECT_EQ(o.status().code(), absl::StatusCode::kInvalidArgument);
  // The position is kept; the file name is not part of a Program.
  EXPECT_EQ(o.status().message().substr(0, 15), "<program>:2:17:");
}

}  // namespace
}  // namespace optim
}  // namespace hero
