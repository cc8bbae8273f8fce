#include "src/optim/adamw.h"

#include <cmath>
#include <utility>

#include "absl/strings/str_cat.h"
#include "src/optim/param_groups.h"

namespace hero {
namespace optim {

absl::StatusOr<std::unique_ptr<AdamW>> AdamW::Create(
    std::vector<ParamGroup> groups, const AdamWOptions& options) {
  for (const auto& [name, beta] :
       {std::pair<const char*, float>{"beta1", options.beta1},
        std::pair<const char*, float>{"beta2", options.beta2}}) {
    // β = 1 would make bias correction divide by zero.
    if (!(beta >= 0.0f && beta < 1.0f)) {
      return absl::InvalidArgumentError(
          absl::StrCat("AdamW: ", name, " must be in [0, 1); got ", beta));
    }
  }
  if (!(options.eps >= 0.0f) || !std::isfinite(options.eps)) {
    return absl::InvalidArgumentError(
        absl::StrCat("AdamW: eps must be finite and >= 0; got ", options.eps));
  }
  if (absl::Status s = ValidateThreading(options.threading); !s.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("AdamW: ", s.message()));
  }
  if (absl::Status s = ValidateParamGroups(groups); !s.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("AdamW: ", s.message()));
  }
  return std::unique_ptr<AdamW>(new AdamW(std::move(groups), options));
}

AdamW::AdamW(std::vector<ParamGroup> groups, const AdamWOptions& options)
    : FusedOptimizer("adamw", std::move(groups), {"m", "v"},
                     options.state_precision, options.threading),
      options_(options) {}

bool AdamW::UpdateRange(const Range& r, float lr, float lam) {
  AdamWCoefficients c;
  c.lr = lr;
  c.lam = lam;
  c.beta1 = options_.beta1;
  c.beta2 = options_.beta2;
  c.eps = options_.eps;
  c.maximize = options_.maximize;
  c.bias_correction = options_.bias_correction;
  if (c.bias_correction) {
    const double t = static_cast<double>(step_count());
    c.bias1 = static_cast<float>(1.0 - std::pow(double{options_.beta1}, t));
    c.bias2_sqrt = static_cast<float>(
        std::sqrt(1.0 - std::pow(double{options_.beta2}, t)));
  }
  const int64_t n = r.end - r.begin;
  if (options_.state_precision == Precision::kFloat32) {
    return AdamWUpdate(r.w + r.begin, r.g + r.begin,
                       state().f32(r.tensor, 0) + r.begin,
                       state().f32(r.tensor, 1) + r.begin, n, c);
  }
  return AdamWUpdate(r.w + r.begin, r.g + r.begin,
                     state().bf16(r.tensor, 0) + r.begin,
                     state().bf16(r.tensor, 1) + r.begin, n, c);
}

}  // namespace optim
}  // namespace hero
