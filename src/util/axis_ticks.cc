#include "src/util/axis_ticks.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace hero {
namespace {

constexpr double kTolerance = 1e-9;  // Relative slack against rounding.
constexpr int kMaxTicks = 1000;

// 10^k, exact for 0 <= k <= 22 (products of exact powers of ten).
double Pow10(int k) {
  if (k < 0 || k > 22) return std::pow(10.0, k);
  double p = 1;
  for (int i = 0; i < k; ++i) p *= 10;
  return p;
}

// i * m * 10^k, computed so that decimal ticks are the nearest doubles to
// their decimal values: for k < 0 one correctly rounded division.
double TickValue(double i, int m, int k) {
  const double v = k >= 0 ? i * m * Pow10(k) : (i * m) / Pow10(-k);
  return v == 0 ? 0.0 : v;  // No "-0".
}

// "1.5e+06" -> "1.5e6", "2e-07" -> "2e-7".
std::string Scientific(double v, int decimals) {
  std::string s = absl::StrFormat("%.*e", decimals, v);
  const size_t e = s.find('e');
  std::string exponent = s.substr(e + 1);
  const bool negative = exponent[0] == '-';
  exponent.erase(0, exponent.find_first_not_of("+-0"));
  if (exponent.empty()) exponent = "0";
  return absl::StrCat(s.substr(0, e), "e", negative ? "-" : "", exponent);
}

}  // namespace

AxisTicks NiceTicks(double lo, double hi, int max_intervals) {
  max_intervals = std::max(1, max_intervals);
  // The step is m * 10^k with m in {1, 2, 5}: the smallest such step that is
  // at least (hi - lo) / max_intervals.
  const double raw = (hi - lo) / max_intervals;
  int k = static_cast<int>(std::floor(std::log10(raw)));
  const double norm = raw / (k >= 0 ? Pow10(k) : 1 / Pow10(-k));
  int m = 1;
  if (norm <= 1 + kTolerance) {
    m = 1;
  } else if (norm <= 2 + kTolerance) {
    m = 2;
  } else if (norm <= 5 + kTolerance) {
    m = 5;
  } else {
    ++k;
  }
  const double step = TickValue(1, m, k);
  const double first = std::floor(lo / step + kTolerance);
  const double last = std::ceil(hi / step - kTolerance);
  const int count = static_cast<int>(std::min<double>(last - first, kMaxTicks));

  AxisTicks ticks;
  ticks.lo = TickValue(first, m, k);
  ticks.hi = TickValue(first + count, m, k);
  const double max_abs = std::max(std::fabs(ticks.lo), std::fabs(ticks.hi));
  const bool scientific = max_abs >= 1e6 || k < -5;
  const int sci_decimals =
      std::clamp(static_cast<int>(std::floor(std::log10(max_abs))) - k, 0, 15);
  for (int j = 0; j <= count; ++j) {
    const double v = TickValue(first + j, m, k);
    ticks.values.push_back(v);
    if (!scientific) {
      ticks.labels.push_back(absl::StrFormat("%.*f", std::max(0, -k), v));
    } else {
      ticks.labels.push_back(v == 0 ? "0" : Scientific(v, sci_decimals));
    }
  }
  return ticks;
}

AxisTicks LogTicks(double lo, double hi) {
  const int e0 = static_cast<int>(std::floor(std::log10(lo) + kTolerance));
  int e1 = static_cast<int>(std::ceil(std::log10(hi) - kTolerance));
  if (e1 <= e0) e1 = e0 + 1;
  const int stride = (e1 - e0 + 7) / 8;  // At most 9 labelled decades.
  const auto power = [](int e) { return e >= 0 ? Pow10(e) : 1 / Pow10(-e); };
  AxisTicks ticks;
  ticks.lo = power(e0);
  ticks.hi = power(e1);
  for (int e = e0; e <= e1; e += stride) {
    ticks.values.push_back(power(e));
    ticks.labels.push_back(e >= -4 && e <= 5 ? absl::StrFormat("%g", power(e))
                                             : absl::StrCat("1e", e));
  }
  return ticks;
}

}  // namespace hero
