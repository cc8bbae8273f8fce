// Paper-syntax parser and printer: round trips and located errors.
#include "src/program/parser.h"

#include <fstream>
#include <sstream>
#include <string>

#include "absl/strings/str_split.h"
#include "gtest/gtest.h"
#include "src/program/printer.h"

namespace hero {
namespace {

std::string ReadTestFile(const std::string& path) {
  std::ifstream in(path);
  EXPECT_TRUE(in.good()) << path;
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// The file without its whole-line comments.
std::string WithoutComments(const std::string& text) {
  std::string out;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    if (!line.empty() && line[0] == '#') continue;
    out.append(line.data(), line.size());
    out += '\n';
  }
  out.pop_back();
  return out;
}

class ShippedProgramTest : public ::testing::TestWithParam<std::string> {};

TEST_P(ShippedProgramTest, PrintsBackExactly) {
  const std::string path = "configs/programs/" + GetParam();
  const std::string text = ReadTestFile(path);
  absl::StatusOr<Program> p = ParseProgram(text, path);
  ASSERT_TRUE(p.ok()) << p.status();
  const std::string printed = PrintProgram(*p);
  EXPECT_EQ(printed, WithoutComments(text));
  absl::StatusOr<Program> again = ParseProgram(printed, "printed");
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(*again, *p);
  EXPECT_EQ(PrintProgram(*again), printed);
}

INSTANTIATE_TEST_SUITE_P(All, ShippedProgramTest,
                         ::testing::Values("adamw.py", "evolved.py",
                                           "hero_lion.py", "signum.py",
                                           "sgd_momentum.py"));

TEST(ParserTest, AcceptsShortHeaderLamAndComments) {
  const char* text =
      "# a comment\n"
      "def train(w, g, m, v):   # paper style\n"
      "\n"
      "    wd = w * lam\n"
      "    update = wd * lr  # trailing comment\r\n"
      "    return update, m, v\n";
  absl::StatusOr<Program> p = ParseProgram(text, "t.py");
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(PrintProgram(*p),
            "def train(w, g, m, v, lr, λ):\n"
            "  wd = w * λ\n"
            "  update = wd * lr\n"
            "  return update, m, v\n");
  EXPECT_EQ(p->statements[0].args[1].reg, kLam);
}

TEST(ParserTest, ConstantsAndFunctionForms) {
  const char* text =
      "def train(w, g, m, v, lr, lam):\n"
      "  a = add(g, -2.5)\n"
      "  b = interpolate(a, pi, 1e-8)\n"
      "  c = b - 100\n"
      "  update = max(c, .5)\n"
      "  return update, m, v\n";
  absl::StatusOr<Program> p = ParseProgram(text, "t.py");
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(PrintProgram(*p),
            "def train(w, g, m, v, lr, λ):\n"
            "  a = g + -2.5\n"
            "  b = interpolate(a, pi, 1e-08)\n"
            "  c = b - 100.0\n"
            "  update = max(c, 0.5)\n"
            "  return update, m, v\n");
}

TEST(PrinterTest, FormatConstantIsShortestRoundTrip) {
  EXPECT_EQ(FormatConstant(0.9f), "0.9");
  EXPECT_EQ(FormatConstant(0.999f), "0.999");
  EXPECT_EQ(FormatConstant(1.0f), "1.0");
  EXPECT_EQ(FormatConstant(1.1f), "1.1");
  EXPECT_EQ(FormatConstant(-0.5f), "-0.5");
  EXPECT_EQ(FormatConstant(0.0f), "0.0");
  EXPECT_EQ(FormatConstant(1e-8f), "1e-08");
  EXPECT_EQ(FormatConstant(123456.0f), "123456.0");
  EXPECT_EQ(FormatConstant(0.0001f), "0.0001");
  EXPECT_EQ(FormatConstant(3.4028235e38f), "3.4028235e+38");
  EXPECT_EQ(FormatConstant(0.9f * 1.1f), "0.99");
  for (float f : {0.1f, 1.0f / 3.0f, 2.718281828f, 1e-30f, 7e20f, -123.456f}) {
    EXPECT_EQ(std::strtof(FormatConstant(f).c_str(), nullptr), f) << f;
  }
}

struct ErrorCase {
  const char* name;
  const char* text;
  const char* message;  // The full expected error.
};

class ParseErrorTest : public ::testing::TestWithParam<ErrorCase> {};

TEST_P(ParseErrorTest, ReportsLocation) {
  absl::StatusOr<Program> p = ParseProgram(GetParam().text, "bad.py");
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(std::string(p.status().message()), GetParam().message);
}

INSTANTIATE_TEST_SUITE_P(
    Errors, ParseErrorTest,
    ::testing::Values(
        // One case per line: not reformatted.
        // clang-format off
        ErrorCase{"Empty", "", "bad.py:1:1: expected `def train(w, g, m, v, lr, λ):`, found end of file"},
        ErrorCase{"NotDef", "x = 1\n", "bad.py:1:1: expected `def train(w, g, m, v, lr, λ):`, found `x`"},
        ErrorCase{"WrongName", "def step(w, g, m, v):\n", "bad.py:1:5: expected the function name `train`, found `step`"},
        ErrorCase{"WrongParam", "def train(w, g, m, x):\n", "bad.py:1:20: expected parameter `v` (the parameters are w, g, m, v, lr, λ), found `x`"},
        ErrorCase{"MissingColon", "def train(w, g, m, v)\n", "bad.py:1:22: expected `:`, found end of line"},
        ErrorCase{"NoReturn", "def train(w, g, m, v):\n  update = sign(g)\n", "bad.py:3:1: expected `return update, m, v`, found end of file"},
        ErrorCase{"BadReturn", "def train(w, g, m, v):\n  update = sign(g)\n  return update, v, m\n", "bad.py:3:18: expected `m` (programs end with `return update, m, v`), found `v`"},
        ErrorCase{"AfterReturn", "def train(w, g, m, v):\n  update = sign(g)\n  return update, m, v\n  x = g\n", "bad.py:4:3: unexpected text after `return update, m, v`"},
        ErrorCase{"UnknownFunction", "def train(w, g, m, v):\n  update = signum(g)\n", "bad.py:2:12: unknown function `signum`"},
        ErrorCase{"TooFewArgs", "def train(w, g, m, v):\n  update = interpolate(g, m)\n", "bad.py:2:28: `interpolate` takes 3 arguments, got 2"},
        ErrorCase{"TooManyArgs", "def train(w, g, m, v):\n  update = sign(g, m)\n", "bad.py:2:20: `sign` takes 1 argument, got more"},
        ErrorCase{"Power", "def train(w, g, m, v):\n  update = g ** 2\n", "bad.py:2:14: write power(a, b) instead of `**`"},
        ErrorCase{"TwoOps", "def train(w, g, m, v):\n  update = g + m + v\n", "bad.py:2:18: expected end of statement (one operation per line), found `+`"},
        ErrorCase{"Copy", "def train(w, g, m, v):\n  update = g\n", "bad.py:2:13: expected an operator (`+`, `-`, `*`, `/`) or a call, found end of line"},
        ErrorCase{"UnaryMinus", "def train(w, g, m, v):\n  update = -g * 2\n", "bad.py:2:12: unary minus applies only to numbers; write negative(x)"},
        ErrorCase{"BadNumber", "def train(w, g, m, v):\n  update = g * 1.2.3\n", "bad.py:2:16: malformed number `1.2.3`"},
        ErrorCase{"HugeNumber", "def train(w, g, m, v):\n  update = g * 1e40\n", "bad.py:2:16: number `1e40` is out of float32 range"},
        ErrorCase{"AssignConstant", "def train(w, g, m, v):\n  pi = g * 2\n", "bad.py:2:3: cannot assign to `pi`: it is a constant"},
        ErrorCase{"BadChar", "def train(w, g, m, v):\n  update = g $ 2\n", "bad.py:2:14: unexpected character `$`"},
        ErrorCase{"Indent", "def train(w, g, m, v):\nupdate = sign(g)\n", "bad.py:2:1: expected an indented statement or `return update, m, v`"},
        ErrorCase{"InconsistentIndent", "def train(w, g, m, v):\n  a = sign(g)\n    update = sign(a)\n", "bad.py:3:5: inconsistent indentation (the body is indented by 2)"},
        ErrorCase{"FunctionAsArg", "def train(w, g, m, v):\n  update = g * sqrt\n", "bad.py:2:16: `sqrt` is a function; call it in its own statement"},
        ErrorCase{"LambdaColumn", "def train(w, g, m, v, lr, λ):\n  u = λ $\n", "bad.py:2:9: unexpected character `$`"}),
    // clang-format on
    [](const ::testing::TestParamInfo<ErrorCase>& info) {
      return info.param.name;
    });

}  // namespace
}  // namespace hero
