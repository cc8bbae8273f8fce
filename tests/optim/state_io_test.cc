// Saving and loading optimizer state: exact float32 round trips, resuming
// equals never stopping, and refusals that name what differs.
#include <random>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "src/optim/adamw.h"
#include "src/optim/lion.h"
#include "src/optim/state_store.h"
#include "tests/optim/optim_test_util.h"

namespace hero {
namespace optim {
namespace {

using testing_util::FillNormal;
using testing_util::FirstBitDifference;
using testing_util::TestParams;

std::vector<TestParams::GroupSpec> Specs() {
  return {{{7, 300}, 1.0f, 0.2f}, {{19}, 0.5f, 0.0f}};
}

template <typename Opt, typename Options>
std::unique_ptr<Opt> Make(TestParams& p, const Options& options) {
  absl::StatusOr<std::unique_ptr<Opt>> o = Opt::Create(p.Groups(), options);
  EXPECT_TRUE(o.ok()) << o.status();
  return o.ok() ? *std::move(o) : nullptr;
}

// Trains `a` for 5 steps, saves (through the serialized bytes), trains 5
// more; a fresh optimizer loaded with the saved state and trained on the
// same 5 gradients ends bit for bit where `a` did.
template <typename Opt, typename Options>
void ExpectResumeIsExact(const Options& options) {
  TestParams a(Specs()), b(Specs());
  std::mt19937 rng(21);
  FillNormal(rng, a.w, 1.0f);
  std::unique_ptr<Opt> first = Make<Opt>(a, options);
  std::vector<std::vector<float>> grads;
  for (int step = 0; step < 10; ++step) {
    FillNormal(rng, a.g, 0.1f);
    grads.push_back(a.g);
  }
  for (int step = 0; step < 5; ++step) {
    a.g = grads[step];
    first->Step(1e-3f);
  }
  std::string bytes;
  ASSERT_TRUE(first->SaveState().SerializeToString(&bytes));
  b.w = a.w;
  for (int step = 5; step < 10; ++step) {
    a.g = grads[step];
    first->Step(1e-3f);
  }
  std::unique_ptr<Opt> second = Make<Opt>(b, options);
  OptimizerState loaded;
  ASSERT_TRUE(loaded.ParseFromString(bytes));
  ASSERT_TRUE(second->LoadState(loaded).ok());
  EXPECT_EQ(second->step_count(), 5);
  // The round trip is exact: saving again gives the same bytes.
  std::string again;
  ASSERT_TRUE(second->SaveState().SerializeToString(&again));
  EXPECT_EQ(again, bytes);
  for (int step = 5; step < 10; ++step) {
    b.g = grads[step];
    second->Step(1e-3f);
  }
  EXPECT_EQ(FirstBitDifference(a.w, b.w), -1);
  EXPECT_EQ(first->SaveState().SerializeAsString(),
            second->SaveState().SerializeAsString());
}

TEST(StateIoTest, LionResumesExactly) {
  ExpectResumeIsExact<Lion>(LionOptions());
}

TEST(StateIoTest, Bfloat16LionResumesExactly) {
  LionOptions options;
  options.momentum_precision = Precision::kBfloat16;
  ExpectResumeIsExact<Lion>(options);
}

TEST(StateIoTest, AdamWWithBiasCorrectionResumesExactly) {
  AdamWOptions options;
  options.bias_correction = true;  // Needs the step count restored.
  ExpectResumeIsExact<AdamW>(options);
}

TEST(StateIoTest, SavedStateDescribesTheTensors) {
  TestParams p(Specs());
  std::unique_ptr<AdamW> adamw = Make<AdamW>(p, AdamWOptions());
  adamw->Step(1e-3f);
  const OptimizerState s = adamw->SaveState();
  EXPECT_EQ(s.format_version(), 1u);
  EXPECT_EQ(s.optimizer(), "adamw");
  EXPECT_EQ(s.step(), 1);
  ASSERT_EQ(s.tensors_size(), 3);
  EXPECT_EQ(s.tensors(1).name(), "t1");
  EXPECT_EQ(s.tensors(1).shape_size(), 1);
  EXPECT_EQ(s.tensors(1).shape(0), 300);
  EXPECT_EQ(s.tensors(2).group(), 1);
  ASSERT_EQ(s.tensors(1).slots_size(), 2);
  EXPECT_EQ(s.tensors(1).slots(1).name(), "v");
  EXPECT_EQ(s.tensors(1).slots(1).dtype(), FLOAT32);
  EXPECT_EQ(s.tensors(1).slots(1).data().size(), 300u * 4);
}

TEST(StateIoTest, ResetStateStartsOver) {
  TestParams a(Specs()), b(Specs());
  std::mt19937 rng(22);
  FillNormal(rng, a.w, 1.0f);
  FillNormal(rng, a.g, 0.1f);
  b.w = a.w;
  b.g = a.g;
  std::unique_ptr<Lion> used = Make<Lion>(a, LionOptions());
  used->Step(1e-3f);
  used->ResetState();
  EXPECT_EQ(used->step_count(), 0);
  a.w = b.w;
  std::unique_ptr<Lion> fresh = Make<Lion>(b, LionOptions());
  used->Step(1e-3f);
  fresh->Step(1e-3f);
  EXPECT_EQ(FirstBitDifference(a.w, b.w), -1);
}

class RefusalTest : public ::testing::Test {
 protected:
  void SetUp() override {
    lion_ = Make<Lion>(p_, LionOptions());
    saved_ = lion_->SaveState();
  }
  // Loading `state` fails with `message` and leaves the state as it was.
  void ExpectRefused(const OptimizerState& state, const std::string& message) {
    const std::string before = lion_->SaveState().SerializeAsString();
    const absl::Status s = lion_->LoadState(state);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(s.message(), message);
    EXPECT_EQ(lion_->SaveState().SerializeAsString(), before);
  }

  TestParams p_{Specs()};
  std::unique_ptr<Lion> lion_;
  OptimizerState saved_;
};

TEST_F(RefusalTest, OtherOptimizer) {
  TestParams q(Specs());
  std::unique_ptr<AdamW> adamw = Make<AdamW>(q, AdamWOptions());
  ExpectRefused(adamw->SaveState(),
                "optimizer state: written by optimizer `adamw`, loading into "
                "`lion`");
}

TEST_F(RefusalTest, OtherVersion) {
  saved_.set_format_version(2);
  ExpectRefused(
      saved_, "optimizer state: format version 2; this build reads version 1");
}

TEST_F(RefusalTest, TensorCount) {
  saved_.mutable_tensors()->RemoveLast();
  ExpectRefused(saved_, "optimizer state: 2 tensors; the optimizer has 3");
}

TEST_F(RefusalTest, TensorName) {
  saved_.mutable_tensors(1)->set_name("fc.weight");
  ExpectRefused(saved_,
                "optimizer state: tensor 1 is `fc.weight`; the optimizer's is "
                "`t1`");
}

TEST_F(RefusalTest, Shape) {
  saved_.mutable_tensors(1)->clear_shape();
  saved_.mutable_tensors(1)->add_shape(10);
  saved_.mutable_tensors(1)->add_shape(30);
  ExpectRefused(saved_,
                "optimizer state: tensor `t1`: shape [10, 30]; the optimizer's "
                "is [300]");
}

TEST_F(RefusalTest, Dtype) {
  TestParams q(Specs());
  LionOptions options;
  options.momentum_precision = Precision::kBfloat16;
  std::unique_ptr<Lion> bf16 = Make<Lion>(q, options);
  ExpectRefused(bf16->SaveState(),
                "optimizer state: tensor `t0`: slot `m` is BFLOAT16; the "
                "optimizer keeps FLOAT32");
}

TEST_F(RefusalTest, TruncatedData) {
  saved_.mutable_tensors(0)->mutable_slots(0)->mutable_data()->resize(5);
  ExpectRefused(saved_,
                "optimizer state: tensor `t0`: slot `m` has 5 bytes; expected "
                "28");
}

TEST_F(RefusalTest, SlotNames) {
  saved_.mutable_tensors(2)->mutable_slots(0)->set_name("exp_avg");
  ExpectRefused(saved_,
                "optimizer state: tensor `t2`: slot 0 is `exp_avg`; the "
                "optimizer's is `m`");
}

}  // namespace
}  // namespace optim
}  // namespace hero
