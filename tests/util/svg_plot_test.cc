#include "src/util/svg_plot.h"

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"
#include "gtest/gtest.h"

namespace hero {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

// A small well-formedness check: tags balance, attribute quotes pair up, and
// text holds no raw '<' and only the five predefined entities. Returns "" or
// the first problem.
std::string XmlProblem(absl::string_view xml) {
  std::vector<std::string> open;
  size_t i = 0;
  while (i < xml.size()) {
    if (xml[i] == '&') {
      bool known = false;
      for (absl::string_view e :
           {"&amp;", "&lt;", "&gt;", "&quot;", "&apos;"}) {
        known = known || absl::StartsWith(xml.substr(i), e);
      }
      if (!known) return absl::StrCat("bad entity at ", i);
      ++i;
      continue;
    }
    if (xml[i] != '<') {
      if (xml[i] == '>') return absl::StrCat("stray '>' at ", i);
      ++i;
      continue;
    }
    size_t end = i + 1;
    bool in_quotes = false;
    while (end < xml.size() && (in_quotes || xml[end] != '>')) {
      if (xml[end] == '"') in_quotes = !in_quotes;
      if (xml[end] == '<') return absl::StrCat("'<' inside a tag at ", end);
      ++end;
    }
    if (end == xml.size()) return absl::StrCat("unterminated tag at ", i);
    absl::string_view tag = xml.substr(i + 1, end - i - 1);
    const bool closing = absl::ConsumePrefix(&tag, "/");
    const bool self_closing = absl::ConsumeSuffix(&tag, "/");
    const std::string name(tag.substr(0, tag.find_first_of(" \n\t")));
    if (name.empty()) return absl::StrCat("empty tag name at ", i);
    if (closing) {
      if (open.empty() || open.back() != name) {
        return absl::StrCat("</", name, "> does not close <",
                            open.empty() ? "" : open.back(), ">");
      }
      open.pop_back();
    } else if (!self_closing) {
      open.push_back(name);
    }
    i = end + 1;
  }
  return open.empty() ? "" : absl::StrCat("<", open.back(), "> not closed");
}

int Count(absl::string_view text, absl::string_view needle) {
  int n = 0;
  for (size_t at = text.find(needle); at != absl::string_view::npos;
       at = text.find(needle, at + 1)) {
    ++n;
  }
  return n;
}

Chart TwoSeriesChart() {
  Chart chart;
  chart.title = "Loss <train> & \"val\"";
  chart.x_label = "step";
  chart.y_label = "cross-entropy";
  chart.series.push_back(Series{"AdamW", {0, 100, 200}, {2.3, 1.1, 0.6}});
  chart.series.push_back(
      Series{"Lion's", {0, 100, 200}, {2.3, 0.9, 0.5}, "#123456", true});
  chart.hlines.push_back(ReferenceLine{0.7, "warm start fitness"});
  return chart;
}

TEST(XmlProblemTest, CatchesMalformedDocuments) {
  EXPECT_EQ(XmlProblem("<a><b/></a>"), "");
  EXPECT_NE(XmlProblem("<a><b></a>"), "");
  EXPECT_NE(XmlProblem("<a>x & y</a>"), "");
  EXPECT_NE(XmlProblem("<a t=\"<\"/>"), "");
  EXPECT_NE(XmlProblem("<a>"), "");
}

TEST(RenderSvgTest, WellFormedWithEscapedTextAndLegend) {
  const std::string svg = RenderSvg({TwoSeriesChart()}, 1);
  EXPECT_TRUE(
      absl::StartsWith(svg, "<svg xmlns=\"http://www.w3.org/2000/svg\""));
  EXPECT_TRUE(absl::EndsWith(svg, "</svg>\n"));
  EXPECT_EQ(XmlProblem(svg), "");
  EXPECT_TRUE(absl::StrContains(
      svg, ">Loss &lt;train&gt; &amp; &quot;val&quot;</text>"));
  EXPECT_TRUE(absl::StrContains(svg, ">step</text>"));
  EXPECT_TRUE(absl::StrContains(svg, ">cross-entropy</text>"));
  EXPECT_TRUE(absl::StrContains(svg, ">AdamW</text>"));
  EXPECT_TRUE(absl::StrContains(svg, ">Lion&apos;s</text>"));
  EXPECT_TRUE(absl::StrContains(svg, ">warm start fitness</text>"));
  // Default palette colour for series 0, the given colour for series 1
  // (line and legend swatch), dashes for the dashed series and the hline.
  EXPECT_EQ(Count(svg, "stroke=\"" + PaletteColor(0) + "\""), 2);
  EXPECT_EQ(Count(svg, "stroke=\"#123456\""), 2);
  EXPECT_EQ(Count(svg, "stroke-dasharray=\"6 4\""), 2);
  EXPECT_EQ(Count(svg, "stroke-dasharray=\"4 4\""), 1);
  // y data 0.5 .. 2.3: ticks 0.5 .. 2.5 by 0.5.
  EXPECT_TRUE(absl::StrContains(svg, ">0.5</text>"));
  EXPECT_TRUE(absl::StrContains(svg, ">2.5</text>"));
  EXPECT_FALSE(absl::StrContains(svg, ">0.0</text>"));
  EXPECT_EQ(Count(svg, "<polyline"), 2);
}

TEST(RenderSvgTest, Deterministic) {
  const std::vector<Chart> panels = {TwoSeriesChart(), TwoSeriesChart()};
  EXPECT_EQ(RenderSvg(panels, 2), RenderSvg(panels, 2));
}

TEST(RenderSvgTest, NonFinitePointsBreakTheLine) {
  Chart chart;
  chart.title = "gaps";
  chart.series.push_back(Series{
      "s", {0, 1, 2, 3, 4, 5, 6, 7}, {1, 2, kNaN, 3, kInf, 4, 5, -kInf}});
  const std::string svg = RenderSvg({chart}, 1);
  EXPECT_EQ(XmlProblem(svg), "");
  // Runs: {0,1} line, {3} dot, {5,6} line.
  EXPECT_EQ(Count(svg, "<polyline"), 2);
  EXPECT_EQ(Count(svg, "<circle"), 1);
  EXPECT_FALSE(absl::StrContains(svg, "nan"));
  EXPECT_FALSE(absl::StrContains(svg, "inf"));
}

TEST(RenderSvgTest, SinglePointAndEqualValues) {
  Chart chart;
  chart.series.push_back(Series{"one", {3}, {0.5}});
  chart.series.push_back(Series{"flat", {0, 1, 2}, {0.5, 0.5, 0.5}});
  const std::string svg = RenderSvg({chart}, 1);
  EXPECT_EQ(XmlProblem(svg), "");
  EXPECT_EQ(Count(svg, "<circle"), 1);
  EXPECT_EQ(Count(svg, "<polyline"), 1);
  // All y equal to 0.5: the axis widens to 0.44 .. 0.56 by 0.02.
  EXPECT_TRUE(absl::StrContains(svg, ">0.44</text>"));
  EXPECT_TRUE(absl::StrContains(svg, ">0.50</text>"));
  EXPECT_TRUE(absl::StrContains(svg, ">0.56</text>"));
  EXPECT_FALSE(absl::StrContains(svg, "nan"));
}

TEST(RenderSvgTest, EmptyInputs) {
  Chart empty;
  empty.title = "nothing yet";
  empty.series.push_back(Series{"no points", {}, {}});
  empty.series.push_back(Series{"all bad", {kNaN}, {1}});
  const std::string svg = RenderSvg({empty}, 3);
  EXPECT_EQ(XmlProblem(svg), "");
  EXPECT_TRUE(absl::StrContains(svg, ">no data</text>"));
  EXPECT_TRUE(absl::StrContains(svg, "width=\"480\""));
  EXPECT_EQ(Count(svg, "<polyline"), 0);

  const std::string none = RenderSvg({}, 2);
  EXPECT_EQ(XmlProblem(none), "");
  EXPECT_TRUE(absl::StartsWith(none, "<svg"));
}

TEST(RenderSvgTest, GridOfPanels) {
  const std::vector<Chart> panels(3, TwoSeriesChart());
  const std::string svg = RenderSvg(panels, 2);
  EXPECT_EQ(XmlProblem(svg), "");
  EXPECT_TRUE(absl::StrContains(svg,
                                "<svg xmlns=\"http://www.w3.org/2000/svg\" "
                                "width=\"960\""));
  EXPECT_EQ(Count(svg, "<clipPath id=\"hero-clip-"), 3);
  EXPECT_TRUE(absl::StrContains(svg, "translate(480,0)"));
  EXPECT_EQ(Count(svg, "translate(0,"), 2);  // Panels 0 and 2.
}

TEST(RenderSvgTest, LogXSkipsNonPositiveAndFixedYRange) {
  Chart chart;
  chart.log_x = true;
  chart.y_min = 0;
  chart.y_max = 1;
  chart.series.push_back(
      Series{"lr sweep", {-1, 0, 3e-4, 1e-3, 2e-2}, {0.1, 0.2, 0.7, 0.8, 1.5}});
  const std::string svg = RenderSvg({chart}, 1);
  EXPECT_EQ(XmlProblem(svg), "");
  EXPECT_EQ(Count(svg, "<polyline"), 1);
  for (const char* label :
       {">0.0001<", ">0.001<", ">0.01<", ">0.1<", ">0.0<", ">0.2<", ">1.0<"}) {
    EXPECT_TRUE(absl::StrContains(svg, label)) << label;
  }
  EXPECT_FALSE(absl::StrContains(svg, ">1.2<"));  // Beyond the fixed y_max.
}

TEST(RenderSvgTest, ControlCharactersAreDropped) {
  Chart chart;
  chart.title = std::string("a\x01") + "b\x1f";
  const std::string svg = RenderSvg({chart}, 1);
  EXPECT_TRUE(absl::StrContains(svg, ">ab</text>"));
}

}  // namespace
}  // namespace hero
