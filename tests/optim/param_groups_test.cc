// ValidateParamGroups: every invariant of optimizer.h is checked, with a
// message that names the tensor.
#include "src/optim/param_groups.h"

#include <limits>
#include <vector>

#include "gtest/gtest.h"

namespace hero {
namespace optim {
namespace {

class ParamGroupsTest : public ::testing::Test {
 protected:
  ParamTensor Tensor(const char* name, int64_t offset, int64_t n) {
    ParamTensor t;
    t.name = name;
    t.weights = absl::MakeSpan(w_.data() + offset, n);
    t.grads = absl::MakeConstSpan(g_.data() + offset, n);
    return t;
  }
  std::string Error(std::vector<ParamGroup> groups) {
    return std::string(ValidateParamGroups(groups).message());
  }

  std::vector<float> w_ = std::vector<float>(100), g_ = std::vector<float>(100);
};

TEST_F(ParamGroupsTest, AcceptsAndFillsShapes) {
  std::vector<ParamGroup> groups(2);
  groups[0].tensors = {Tensor("a", 0, 12), Tensor("b", 12, 3)};
  groups[0].tensors[0].shape = {3, 4};
  groups[1].tensors = {Tensor("c", 50, 50)};
  ASSERT_TRUE(ValidateParamGroups(groups).ok());
  EXPECT_EQ(groups[0].tensors[0].shape, (std::vector<int64_t>{3, 4}));
  EXPECT_EQ(groups[0].tensors[1].shape, (std::vector<int64_t>{3}));
  const std::vector<TensorRef> flat = FlatTensors(groups);
  ASSERT_EQ(flat.size(), 3u);
  EXPECT_EQ(flat[2].group, 1);
  EXPECT_EQ(flat[2].index, 0);
}

TEST_F(ParamGroupsTest, RejectsWithNames) {
  std::vector<ParamGroup> groups(1);
  EXPECT_EQ(Error(groups), "no parameter tensors");

  groups[0].tensors = {Tensor("a", 0, 10), Tensor("a", 10, 10)};
  EXPECT_EQ(Error(groups), "tensor `a` (group 0): the name is used twice");

  groups[0].tensors = {Tensor("", 0, 10)};
  EXPECT_EQ(Error(groups), "group 0: tensor 0 has no name");

  groups[0].tensors = {Tensor("a", 0, 0)};
  EXPECT_EQ(Error(groups), "tensor `a` (group 0): no elements");

  groups[0].tensors = {Tensor("a", 0, 10)};
  groups[0].tensors[0].grads = absl::MakeConstSpan(g_.data(), 12);
  EXPECT_EQ(Error(groups),
            "tensor `a` (group 0): weights have 10 elements, grads 12");

  groups[0].tensors = {Tensor("a", 0, 10)};
  groups[0].tensors[0].shape = {3, 3};
  EXPECT_EQ(Error(groups),
            "tensor `a` (group 0): shape [3, 3] has 9 elements, weights 10");

  groups[0].tensors = {Tensor("a", 0, 10), Tensor("b", 5, 10)};
  EXPECT_EQ(Error(groups),
            "tensor `a` (group 0) and tensor `b` (group 0): their weights "
            "overlap");

  groups[0].tensors = {Tensor("a", 0, 10)};
  groups[0].weight_decay = std::numeric_limits<float>::quiet_NaN();
  EXPECT_EQ(Error(groups),
            "group 0: lr_scale (1) and weight_decay (nan) must be finite");
}

}  // namespace
}  // namespace optim
}  // namespace hero
