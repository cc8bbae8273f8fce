#include "src/optim/param_groups.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace hero {
namespace optim {
namespace {

std::string Describe(const ParamTensor& t, int group) {
  return absl::StrCat("tensor `", t.name, "` (group ", group, ")");
}

}  // namespace

std::string ShapeString(const std::vector<int64_t>& shape) {
  return absl::StrCat("[", absl::StrJoin(shape, ", "), "]");
}

absl::Status ValidateParamGroups(std::vector<ParamGroup>& groups) {
  std::set<std::string> names;
  // Weights ranges, to find overlaps: (begin, end, description).
  std::vector<std::pair<const float*, const float*>> ranges;
  std::vector<std::string> owners;
  int count = 0;
  for (int k = 0; k < static_cast<int>(groups.size()); ++k) {
    ParamGroup& group = groups[k];
    if (!std::isfinite(group.lr_scale) || !std::isfinite(group.weight_decay)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "group ", k, ": lr_scale (", group.lr_scale, ") and weight_decay (",
          group.weight_decay, ") must be finite"));
    }
    for (ParamTensor& t : group.tensors) {
      ++count;
      if (t.name.empty()) {
        return absl::InvalidArgumentError(
            absl::StrCat("group ", k, ": tensor ", count - 1, " has no name"));
      }
      if (!names.insert(t.name).second) {
        return absl::InvalidArgumentError(
            absl::StrCat(Describe(t, k), ": the name is used twice"));
      }
      if (t.weights.empty()) {
        return absl::InvalidArgumentError(
            absl::StrCat(Describe(t, k), ": no elements"));
      }
      if (t.grads.size() != t.weights.size()) {
        return absl::InvalidArgumentError(
            absl::StrCat(Describe(t, k), ": weights have ", t.weights.size(),
                         " elements, grads ", t.grads.size()));
      }
      if (t.shape.empty()) t.shape = {static_cast<int64_t>(t.weights.size())};
      int64_t product = 1;
      for (int64_t d : t.shape) {
        if (d <= 0) {
          return absl::InvalidArgumentError(
              absl::StrCat(Describe(t, k), ": shape ", ShapeString(t.shape),
                           " has a dimension <= 0"));
        }
        product *= d;
      }
      if (product != static_cast<int64_t>(t.weights.size())) {
        return absl::InvalidArgumentError(absl::StrCat(
            Describe(t, k), ": shape ", ShapeString(t.shape), " has ", product,
            " elements, weights ", t.weights.size()));
      }
      ranges.emplace_back(t.weights.data(),
                          t.weights.data() + t.weights.size());
      owners.push_back(Describe(t, k));
    }
  }
  if (count == 0) {
    return absl::InvalidArgumentError("no parameter tensors");
  }
  std::vector<int> order(ranges.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = static_cast<int>(i);
  // std::less gives a total order on pointers into different arrays.
  std::sort(order.begin(), order.end(), [&](int a, int b) {
    return std::less<const float*>()(ranges[a].first, ranges[b].first);
  });
  for (size_t i = 1; i < order.size(); ++i) {
    if (std::less<const float*>()(ranges[order[i]].first,
                                  ranges[order[i - 1]].second)) {
      return absl::InvalidArgumentError(
          absl::StrCat(owners[order[i - 1]], " and ", owners[order[i]],
                       ": their weights overlap"));
    }
  }
  return absl::OkStatus();
}

std::vector<TensorRef> FlatTensors(const std::vector<ParamGroup>& groups) {
  std::vector<TensorRef> refs;
  for (int k = 0; k < static_cast<int>(groups.size()); ++k) {
    for (int i = 0; i < static_cast<int>(groups[k].tensors.size()); ++i) {
      refs.push_back({k, i});
    }
  }
  return refs;
}

}  // namespace optim
}  // namespace hero
