#include "src/util/svg_plot.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/string_view.h"

namespace hero {
namespace {

// Panel geometry, in SVG user units (pixels). The plot area sits inside the
// panel with room for the title above, tick and axis labels left and below,
// and the legend rows under the x label.
constexpr double kPanelWidth = 480;
constexpr double kPlotLeft = 70;
constexpr double kPlotRight = 20;
constexpr double kPlotTop = 40;
constexpr double kPlotHeight = 250;
constexpr double kPlotWidth = kPanelWidth - kPlotLeft - kPlotRight;
constexpr double kLegendTop = kPlotTop + kPlotHeight + 52;
constexpr double kLegendRowHeight = 18;
constexpr double kCharWidth = 6.6;  // Average glyph width at 11px.
constexpr double kTolerance = 1e-9;

// Compact coordinate: two decimals, trailing zeros dropped.
std::string Num(double v) {
  std::string s = absl::StrFormat("%.2f", v);
  s.erase(s.find_last_not_of('0') + 1);
  if (s.back() == '.') s.pop_back();
  return s == "-0" ? "0" : s;
}

// Text for XML content or attributes; drops control characters XML forbids.
std::string Xml(absl::string_view text) {
  std::string out;
  for (const char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        if (static_cast<unsigned char>(c) >= 0x20 || c == '\t' || c == '\n') {
          out.push_back(c);
        }
    }
  }
  return out;
}

// Estimated rendered width: code points times an average glyph width.
double TextWidth(absl::string_view text) {
  int code_points = 0;
  for (const char c : text) code_points += (c & 0xC0) != 0x80;
  return code_points * kCharWidth;
}

const std::vector<std::string>& Palette() {
  // Okabe & Ito (2008), without yellow, which is unreadable on white.
  static const auto* palette =
      new std::vector<std::string>{"#0072B2", "#D55E00", "#009E73", "#CC79A7",
                                   "#E69F00", "#56B4E9", "#000000"};
  return *palette;
}

struct Range {
  double lo = std::numeric_limits<double>::infinity();
  double hi = -std::numeric_limits<double>::infinity();
  void Add(double v) {
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  }
  bool empty() const { return lo > hi; }
};

// Gives a one-value range some width so it can be drawn.
void Widen(Range* r) {
  if (r->lo < r->hi) return;
  const double pad = r->lo != 0 ? std::fabs(r->lo) * 0.1 : 1.0;
  r->lo -= pad;
  r->hi += pad;
}

bool Drawable(const Chart& chart, double x, double y) {
  return std::isfinite(x) && std::isfinite(y) && (!chart.log_x || x > 0);
}

size_t PointCount(const Series& s) { return std::min(s.x.size(), s.y.size()); }

AxisTicks XAxis(const Chart& chart) {
  Range r;
  for (const Series& s : chart.series) {
    for (size_t i = 0; i < PointCount(s); ++i) {
      if (Drawable(chart, s.x[i], s.y[i])) r.Add(s.x[i]);
    }
  }
  if (chart.log_x) return r.empty() ? LogTicks(1, 10) : LogTicks(r.lo, r.hi);
  if (r.empty()) r = Range{0, 1};
  Widen(&r);
  return NiceTicks(r.lo, r.hi, 6);
}

// Keeps the ticks inside [lo, hi] and makes that the axis range.
void Restrict(double lo, double hi, AxisTicks* ticks) {
  const double slack = (hi - lo) * kTolerance;
  AxisTicks kept;
  kept.lo = lo;
  kept.hi = hi;
  for (size_t i = 0; i < ticks->values.size(); ++i) {
    const double v = ticks->values[i];
    if (v < lo - slack || v > hi + slack) continue;
    kept.values.push_back(v);
    kept.labels.push_back(ticks->labels[i]);
  }
  *ticks = std::move(kept);
}

AxisTicks YAxis(const Chart& chart) {
  Range r;
  for (const Series& s : chart.series) {
    for (size_t i = 0; i < PointCount(s); ++i) {
      if (Drawable(chart, s.x[i], s.y[i])) r.Add(s.y[i]);
    }
  }
  for (const ReferenceLine& line : chart.hlines) {
    if (std::isfinite(line.y)) r.Add(line.y);
  }
  bool fix_lo = chart.y_min.has_value() && std::isfinite(*chart.y_min);
  bool fix_hi = chart.y_max.has_value() && std::isfinite(*chart.y_max);
  if (fix_lo && fix_hi && !(*chart.y_min < *chart.y_max))
    fix_lo = fix_hi = false;
  if (fix_lo) r.lo = *chart.y_min;
  if (fix_hi) r.hi = *chart.y_max;
  if (!(r.lo < r.hi)) {  // Empty, one value, or data beyond a fixed end.
    if (fix_lo) {
      r.hi = r.lo + (r.lo != 0 ? std::fabs(r.lo) : 1.0);
    } else if (fix_hi) {
      r.lo = r.hi - (r.hi != 0 ? std::fabs(r.hi) : 1.0);
    } else if (r.empty()) {
      r = Range{0, 1};
    } else {
      Widen(&r);
    }
  }
  AxisTicks ticks = NiceTicks(r.lo, r.hi, 5);
  if (fix_lo || fix_hi) {
    Restrict(fix_lo ? r.lo : ticks.lo, fix_hi ? r.hi : ticks.hi, &ticks);
  }
  return ticks;
}

// Maps data values to pixels along one axis.
struct Scale {
  Scale(const AxisTicks& ticks, bool log, double pixel0, double pixel1)
      : log(log), p0(pixel0), p1(pixel1) {
    d0 = log ? std::log10(ticks.lo) : ticks.lo;
    d1 = log ? std::log10(ticks.hi) : ticks.hi;
  }
  double Map(double v) const {
    const double t = log ? std::log10(v) : v;
    return p0 + (t - d0) / (d1 - d0) * (p1 - p0);
  }
  bool log;
  double p0, p1, d0 = 0, d1 = 1;
};

struct LegendEntry {
  const Series* series;
  std::string color;
  double x;  // Relative to the plot's left edge.
  int row;
};

std::vector<LegendEntry> LayoutLegend(const Chart& chart) {
  std::vector<LegendEntry> entries;
  double x = 0;
  int row = 0;
  for (size_t i = 0; i < chart.series.size(); ++i) {
    const Series& s = chart.series[i];
    if (s.label.empty()) continue;
    const double width = 22 + 5 + TextWidth(s.label) + 20;
    if (x > 0 && x + width > kPlotWidth) {
      ++row;
      x = 0;
    }
    const std::string& color =
        s.color.empty() ? PaletteColor(static_cast<int>(i)) : s.color;
    entries.push_back(LegendEntry{&s, color, x, row});
    x += width;
  }
  return entries;
}

int LegendRows(const Chart& chart) {
  const std::vector<LegendEntry> entries = LayoutLegend(chart);
  return entries.empty() ? 0 : entries.back().row + 1;
}

constexpr absl::string_view kDash = R"( stroke-dasharray="6 4")";

void RenderAxes(const Chart& chart, const AxisTicks& xt, const AxisTicks& yt,
                const Scale& xs, const Scale& ys, std::string* out) {
  const double bottom = kPlotTop + kPlotHeight;
  const double right = kPlotLeft + kPlotWidth;
  for (size_t i = 0; i < xt.values.size(); ++i) {
    const std::string x = Num(xs.Map(xt.values[i]));
    absl::StrAppend(out, "<line x1=\"", x, "\" y1=\"", Num(kPlotTop),
                    "\" x2=\"", x, "\" y2=\"", Num(bottom + 4),
                    "\" stroke=\"#e4e4e4\"/>\n");
    absl::StrAppend(out, "<text x=\"", x, "\" y=\"", Num(bottom + 17),
                    "\" text-anchor=\"middle\">", Xml(xt.labels[i]),
                    "</text>\n");
  }
  for (size_t i = 0; i < yt.values.size(); ++i) {
    const std::string y = Num(ys.Map(yt.values[i]));
    absl::StrAppend(out, "<line x1=\"", Num(kPlotLeft - 4), "\" y1=\"", y,
                    "\" x2=\"", Num(right), "\" y2=\"", y,
                    "\" stroke=\"#e4e4e4\"/>\n");
    absl::StrAppend(out, "<text x=\"", Num(kPlotLeft - 7), "\" y=\"", y,
                    "\" dy=\"4\" text-anchor=\"end\">", Xml(yt.labels[i]),
                    "</text>\n");
  }
  absl::StrAppend(out, "<rect x=\"", Num(kPlotLeft), "\" y=\"", Num(kPlotTop),
                  "\" width=\"", Num(kPlotWidth), "\" height=\"",
                  Num(kPlotHeight), "\" fill=\"none\" stroke=\"#444\"/>\n");
  absl::StrAppend(out, "<text x=\"", Num(kPlotLeft + kPlotWidth / 2), "\" y=\"",
                  Num(bottom + 38), "\" text-anchor=\"middle\">",
                  Xml(chart.x_label), "</text>\n");
  absl::StrAppend(out, "<text transform=\"translate(16,",
                  Num(kPlotTop + kPlotHeight / 2),
                  ") rotate(-90)\" text-anchor=\"middle\">", Xml(chart.y_label),
                  "</text>\n");
}

void RenderReferenceLines(const Chart& chart, const Scale& ys,
                          std::string* out) {
  const double right = kPlotLeft + kPlotWidth;
  for (const ReferenceLine& line : chart.hlines) {
    if (!std::isfinite(line.y)) continue;
    const std::string color =
        Xml(line.color.empty() ? std::string("#555555") : line.color);
    const double y = ys.Map(line.y);
    absl::StrAppend(out, "<line x1=\"", Num(kPlotLeft), "\" y1=\"", Num(y),
                    "\" x2=\"", Num(right), "\" y2=\"", Num(y), "\" stroke=\"",
                    color,
                    "\" stroke-width=\"1.2\" stroke-dasharray=\"4 4\"/>\n");
    if (line.label.empty()) continue;
    // Above the line, or below it when the line hugs the top edge.
    const double text_y = y - kPlotTop < 14 ? y + 13 : y - 5;
    absl::StrAppend(out, "<text x=\"", Num(right - 5), "\" y=\"", Num(text_y),
                    "\" text-anchor=\"end\" font-size=\"10\" fill=\"", color,
                    "\" stroke=\"white\" stroke-width=\"3\" "
                    "paint-order=\"stroke\">",
                    Xml(line.label), "</text>\n");
  }
}

// One polyline per run of drawable points; a run of one point is a dot.
void RenderSeries(const Chart& chart, const Series& s, const std::string& color,
                  const Scale& xs, const Scale& ys, std::string* out) {
  const std::string c = Xml(color);
  std::vector<std::string> run;
  auto flush = [&] {
    if (run.size() == 1) {
      const size_t comma = run[0].find(',');
      absl::StrAppend(out, "<circle cx=\"", run[0].substr(0, comma), "\" cy=\"",
                      run[0].substr(comma + 1), "\" r=\"2.5\" fill=\"", c,
                      "\"/>\n");
    } else if (run.size() > 1) {
      absl::StrAppend(out, "<polyline fill=\"none\" stroke=\"", c,
                      "\" stroke-width=\"1.8\" stroke-linejoin=\"round\"",
                      s.dashed ? kDash : "", " points=\"");
      for (size_t i = 0; i < run.size(); ++i) {
        absl::StrAppend(out, i > 0 ? " " : "", run[i]);
      }
      absl::StrAppend(out, "\"/>\n");
    }
    run.clear();
  };
  for (size_t i = 0; i < PointCount(s); ++i) {
    if (!Drawable(chart, s.x[i], s.y[i])) {
      flush();
      continue;
    }
    run.push_back(absl::StrCat(Num(xs.Map(s.x[i])), ",", Num(ys.Map(s.y[i]))));
  }
  flush();
}

void RenderLegend(const Chart& chart, std::string* out) {
  for (const LegendEntry& e : LayoutLegend(chart)) {
    const double x = kPlotLeft + e.x;
    const double y = kLegendTop + e.row * kLegendRowHeight;
    absl::StrAppend(out, "<line x1=\"", Num(x), "\" y1=\"", Num(y - 4),
                    "\" x2=\"", Num(x + 22), "\" y2=\"", Num(y - 4),
                    "\" stroke=\"", Xml(e.color), "\" stroke-width=\"2.5\"",
                    e.series->dashed ? kDash : "", "/>\n");
    absl::StrAppend(out, "<text x=\"", Num(x + 27), "\" y=\"", Num(y), "\">",
                    Xml(e.series->label), "</text>\n");
  }
}

void RenderPanel(const Chart& chart, int index, double x0, double y0,
                 std::string* out) {
  const AxisTicks xt = XAxis(chart);
  const AxisTicks yt = YAxis(chart);
  const Scale xs(xt, chart.log_x, kPlotLeft, kPlotLeft + kPlotWidth);
  const Scale ys(yt, false, kPlotTop + kPlotHeight, kPlotTop);
  const std::string clip = absl::StrCat("hero-clip-", index);

  absl::StrAppend(out, "<g transform=\"translate(", Num(x0), ",", Num(y0),
                  ")\">\n");
  absl::StrAppend(out, "<defs><clipPath id=\"", clip, "\"><rect x=\"",
                  Num(kPlotLeft), "\" y=\"", Num(kPlotTop), "\" width=\"",
                  Num(kPlotWidth), "\" height=\"", Num(kPlotHeight),
                  "\"/></clipPath></defs>\n");
  absl::StrAppend(out, "<text x=\"", Num(kPlotLeft + kPlotWidth / 2),
                  "\" y=\"24\" text-anchor=\"middle\" font-size=\"14\" "
                  "font-weight=\"bold\">",
                  Xml(chart.title), "</text>\n");
  RenderAxes(chart, xt, yt, xs, ys, out);

  absl::StrAppend(out, "<g clip-path=\"url(#", clip, ")\">\n");
  RenderReferenceLines(chart, ys, out);
  bool any_point = false;
  for (size_t i = 0; i < chart.series.size(); ++i) {
    const Series& s = chart.series[i];
    for (size_t k = 0; k < PointCount(s) && !any_point; ++k) {
      any_point = Drawable(chart, s.x[k], s.y[k]);
    }
    const std::string& color =
        s.color.empty() ? PaletteColor(static_cast<int>(i)) : s.color;
    RenderSeries(chart, s, color, xs, ys, out);
  }
  absl::StrAppend(out, "</g>\n");
  if (!any_point) {
    absl::StrAppend(out, "<text x=\"", Num(kPlotLeft + kPlotWidth / 2),
                    "\" y=\"", Num(kPlotTop + kPlotHeight / 2),
                    "\" text-anchor=\"middle\" fill=\"#888\">no data</text>\n");
  }
  RenderLegend(chart, out);
  absl::StrAppend(out, "</g>\n");
}

}  // namespace

const std::string& PaletteColor(int i) {
  const std::vector<std::string>& palette = Palette();
  const int n = static_cast<int>(palette.size());
  return palette[((i % n) + n) % n];
}

std::string RenderSvg(const std::vector<Chart>& panels, int columns) {
  const int n = static_cast<int>(panels.size());
  columns = std::clamp(columns, 1, std::max(1, n));
  const int rows = n == 0 ? 0 : (n + columns - 1) / columns;
  int legend_rows = 0;
  for (const Chart& chart : panels) {
    legend_rows = std::max(legend_rows, LegendRows(chart));
  }
  const double panel_height =
      kLegendTop + std::max(0, legend_rows - 1) * kLegendRowHeight + 16;
  const double width = n == 0 ? kPanelWidth : columns * kPanelWidth;
  const double height = n == 0 ? 40 : rows * panel_height;

  std::string out = absl::StrCat(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"", Num(width),
      "\" height=\"", Num(height), "\" viewBox=\"0 0 ", Num(width), " ",
      Num(height),
      "\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"11\" "
      "fill=\"#222\">\n");
  absl::StrAppend(&out, "<rect width=\"", Num(width), "\" height=\"",
                  Num(height), "\" fill=\"white\"/>\n");
  for (int i = 0; i < n; ++i) {
    RenderPanel(panels[i], i, (i % columns) * kPanelWidth,
                (i / columns) * panel_height, &out);
  }
  absl::StrAppend(&out, "</svg>\n");
  return out;
}

}  // namespace hero
