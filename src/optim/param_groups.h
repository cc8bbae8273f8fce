// Checks on the parameter groups an optimizer is built over, and the flat
// numbering of their tensors that the optimizers and their saved state use.
//
//   absl::Status s = ValidateParamGroups(groups);  // fills empty shapes
//   if (!s.ok()) return s;  // e.g. "tensor `fc.bias` (group 0): weights
//                           //  have 10 elements, grads 12"
//
// Tensors are numbered 0, 1, ... over all groups: group 0's in order, then
// group 1's, and so on (TensorRef gives the group and index of each).
// Thread-safety: pure functions.
#ifndef HERO_OPTIM_PARAM_GROUPS_H_
#define HERO_OPTIM_PARAM_GROUPS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "src/optim/optimizer.h"

namespace hero {
namespace optim {

// InvalidArgument naming the tensor (or group) unless the optimizer.h
// invariants hold: at least one tensor in all; names non-empty and unique;
// at least one element; weights and grads of equal size; a shape's product
// equal to the size (an empty shape becomes {size}); no two tensors' weights
// overlap; lr_scale and weight_decay finite.
absl::Status ValidateParamGroups(std::vector<ParamGroup>& groups);

struct TensorRef {
  int group = 0;
  int index = 0;  // Within the group.
};

// All tensors of all groups, in flat order.
std::vector<TensorRef> FlatTensors(const std::vector<ParamGroup>& groups);

// "[784, 256]".
std::string ShapeString(const std::vector<int64_t>& shape);

}  // namespace optim
}  // namespace hero

#endif  // HERO_OPTIM_PARAM_GROUPS_H_
