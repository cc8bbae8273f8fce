#include "src/proxy/schedule.h"

#include <algorithm>
#include <cmath>

namespace hero {

double LrFactor(int64_t step, int64_t total, double warmup_fraction,
                double final_fraction) {
  const int64_t warmup =
      static_cast<int64_t>(std::llround(warmup_fraction * total));
  if (step < warmup) return static_cast<double>(step + 1) / warmup;
  const double p = static_cast<double>(step - warmup) /
                   static_cast<double>(std::max<int64_t>(1, total - warmup));
  return final_fraction +
         (1.0 - final_fraction) * 0.5 * (1.0 + std::cos(M_PI * p));
}

}  // namespace hero
