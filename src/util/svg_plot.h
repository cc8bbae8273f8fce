// Line charts as standalone SVG files, for training curves and search
// progress that a person opens in a browser.
//
// RenderSvg() lays out one or more panels in a grid and returns the whole SVG
// document. Each panel has a title, axes with "nice" 1-2-5 tick values and a
// light grid, axis labels, one polyline per series, dashed horizontal
// reference lines with their label, and a legend with colour swatches below
// the plot. Series without a colour take the Okabe-Ito palette, which stays
// distinguishable with the common colour-vision deficiencies; the i-th series
// of every panel gets the same colour.
//
//   hero::Chart loss{"Training loss", "step", "loss"};
//   loss.series.push_back({"AdamW", steps, adamw_loss});
//   hero::Chart acc{"Validation accuracy", "step", "accuracy"};
//   acc.series.push_back({"AdamW", steps, adamw_acc});
//   acc.hlines.push_back({0.85, "warm start fitness"});
//   std::string svg = hero::RenderSvg({loss, acc}, /*columns=*/2);
//
// Edge cases: non-finite points (and x <= 0 on a log axis) are skipped and
// break the line; an isolated point is drawn as a dot; an empty panel shows
// "no data"; all-equal values get a small range around them.
// Output is deterministic: the same input gives the same bytes.
// Thread-safety: pure functions.
#ifndef HERO_UTIL_SVG_PLOT_H_
#define HERO_UTIL_SVG_PLOT_H_

#include <optional>
#include <string>
#include <vector>

#include "src/util/axis_ticks.h"  // IWYU pragma: export

namespace hero {

struct Series {
  std::string label;  // Legend text; an empty label is left out of the legend.
  // The points are (x[i], y[i]) for i < min(x.size(), y.size()).
  std::vector<double> x;
  std::vector<double> y;
  std::string color;  // Any SVG colour ("#0072B2"); empty: palette colour.
  bool dashed = false;
};

// A horizontal line across the panel at `y`, dashed, labelled at its right
// end (e.g. "warm start fitness").
struct ReferenceLine {
  double y = 0;
  std::string label;
  std::string color;  // Empty: dark grey.
};

struct Chart {
  std::string title;
  std::string x_label;
  std::string y_label;
  std::vector<Series> series;
  std::vector<ReferenceLine> hlines;
  bool log_x = false;  // Base-10 log x axis; points with x <= 0 are skipped.
  // Fixed y range ends; unset ends follow the data (and the reference lines),
  // rounded out to a tick. Ignored unless y_min < y_max when both are set.
  std::optional<double> y_min;
  std::optional<double> y_max;
};

// Renders `panels` into one SVG document, `columns` panels per row (clamped
// to [1, panels.size()]). No panels give a small empty document.
std::string RenderSvg(const std::vector<Chart>& panels, int columns);

// The default colour of the i-th series (i >= 0), cycling over the palette.
const std::string& PaletteColor(int i);

}  // namespace hero

#endif  // HERO_UTIL_SVG_PLOT_H_
