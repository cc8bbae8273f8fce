#include "src/optim/lion.h"

#include <cmath>
#include <utility>

#include "absl/strings/str_cat.h"
#include "src/optim/param_groups.h"

namespace hero {
namespace optim {

absl::StatusOr<std::unique_ptr<Lion>> Lion::Create(
    std::vector<ParamGroup> groups, const LionOptions& options) {
  for (const auto& [name, beta] :
       {std::pair<const char*, float>{"beta1", options.beta1},
        std::pair<const char*, float>{"beta2", options.beta2}}) {
    if (!(beta >= 0.0f && beta <= 1.0f)) {
      return absl::InvalidArgumentError(
          absl::StrCat("Lion: ", name, " must be in [0, 1]; got ", beta));
    }
  }
  if (absl::Status s = ValidateThreading(options.threading); !s.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("Lion: ", s.message()));
  }
  if (absl::Status s = ValidateParamGroups(groups); !s.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("Lion: ", s.message()));
  }
  return std::unique_ptr<Lion>(new Lion(std::move(groups), options));
}

Lion::Lion(std::vector<ParamGroup> groups, const LionOptions& options)
    : FusedOptimizer("lion", std::move(groups), {"m"},
                     options.momentum_precision, options.threading),
      options_(options) {}

bool Lion::UpdateRange(const Range& r, float lr, float lam) {
  LionCoefficients c;
  c.lr = lr;
  c.lam = lam;
  c.beta1 = options_.beta1;
  c.beta2 = options_.beta2;
  c.maximize = options_.maximize;
  const int64_t n = r.end - r.begin;
  if (options_.momentum_precision == Precision::kFloat32) {
    return LionUpdate(r.w + r.begin, r.g + r.begin,
                      state().f32(r.tensor, 0) + r.begin, n, c);
  }
  return LionUpdate(r.w + r.begin, r.g + r.begin,
                    state().bf16(r.tensor, 0) + r.begin, n, c);
}

}  // namespace optim
}  // namespace hero
