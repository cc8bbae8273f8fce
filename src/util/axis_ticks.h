// Tick values and labels for chart axes: "nice" linear ticks at multiples of
// 1, 2 or 5 times a power of ten, and log-scale ticks at powers of ten.
//
// Used by svg_plot; separate so the arithmetic can be tested exactly.
//
//   hero::AxisTicks t = hero::NiceTicks(0.13, 0.87, 5);
//   // t.lo == 0, t.hi == 1, t.values == {0, 0.2, 0.4, 0.6, 0.8, 1},
//   // t.labels == {"0.0", "0.2", "0.4", "0.6", "0.8", "1.0"}
//   hero::AxisTicks l = hero::LogTicks(3e-4, 2e-2);
//   // l.values == {1e-4, 1e-3, 1e-2, 1e-1},
//   // l.labels == {"0.0001", "0.001", "0.01", "0.1"}
//
// Tick values are the doubles nearest to their decimal values (0.6, never
// 0.6000000000000001), and labels of one axis share one number of decimals.
// Thread-safety: pure functions.
#ifndef HERO_UTIL_AXIS_TICKS_H_
#define HERO_UTIL_AXIS_TICKS_H_

#include <string>
#include <vector>

namespace hero {

// The ticks of one axis.
struct AxisTicks {
  double lo = 0;  // The axis range; covers the requested range.
  double hi = 1;
  std::vector<double> values;       // Ascending, within [lo, hi].
  std::vector<std::string> labels;  // One per value, e.g. "0.2", "1e-5".
};

// Linear ticks at multiples of the step m * 10^k (m in {1, 2, 5}), the
// smallest such step no less than (hi - lo) / max_intervals; the range is
// rounded out to multiples of the step, so there are between max_intervals / 2
// and max_intervals + 2 intervals. Labels are fixed-point with the step's
// decimals, or like "1.5e6" for large magnitudes or steps below 1e-5.
// REQUIRES: lo < hi, both finite; max_intervals >= 1.
AxisTicks NiceTicks(double lo, double hi, int max_intervals = 5);

// Log-scale ticks at powers of ten; [lo, hi] is rounded out to whole decades
// (at least one). Beyond 8 decades only every k-th power gets a tick. Labels
// are plain decimals from 0.0001 to 100000, otherwise like "1e-5".
// REQUIRES: 0 < lo <= hi, both finite.
AxisTicks LogTicks(double lo, double hi);

}  // namespace hero

#endif  // HERO_UTIL_AXIS_TICKS_H_
