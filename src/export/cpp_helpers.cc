#include "src/export/cpp_helpers.h"

#include <algorithm>
#include <set>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "src/export/export_format.h"

namespace hero {
namespace {

// The body of a float64 function applied to d (a double), rounded once.
std::string Float64(const std::string& expr) {
  return absl::StrCat("const double d = x; return static_cast<float>(", expr,
                      ");");
}

// The body of op's helper, or "" for the ops written inline (+ - *, the
// reductions).
std::string Body(OpCode op) {
  switch (op) {
    case OpCode::kDiv:  // hero's division.
      return "return x / (y + 1e-8f);";
    case OpCode::kMax:  // NaN if either is NaN; equal arguments: x.
      return "const float m = x < y ? y : x; return y != y ? y : m;";
    case OpCode::kMin:
      return "const float m = y < x ? y : x; return y != y ? y : m;";
    case OpCode::kPower:
      return "return static_cast<float>(std::pow(static_cast<double>(x), "
             "static_cast<double>(y)));";
    case OpCode::kInterpolate:
      // (1 - a) rounded to float32 first; two statements, so that no
      // compiler fuses the multiply and the add.
      return "const float from_x = (1.0f - a) * x; const float from_y = a * "
             "y; return from_x + from_y;";
    case OpCode::kAbs:
      return "return std::fabs(x);";
    case OpCode::kSqrt:
      return "return std::sqrt(std::fabs(x));";
    case OpCode::kSquare:
      return "return x * x;";
    case OpCode::kCube:
      return "const float x2 = x * x; return x2 * x;";
    case OpCode::kSign:  // +0 for ±0, NaN for NaN.
      return "return x > 0.0f ? 1.0f : x < 0.0f ? -1.0f : x != x ? x : 0.0f;";
    case OpCode::kReciprocal:
      return "return 1.0f / (x + 1e-8f);";
    case OpCode::kNegative:
      return "return -x;";
    case OpCode::kCos:
      return Float64("std::cos(d)");
    case OpCode::kSin:
      return Float64("std::sin(d)");
    case OpCode::kTan:
      return Float64("std::tan(d)");
    case OpCode::kArcsin:
      return Float64("std::asin(d)");
    case OpCode::kArccos:
      return Float64("std::acos(d)");
    case OpCode::kArctan:
      return Float64("std::atan(d)");
    case OpCode::kSinh:
      return Float64("std::sinh(d)");
    case OpCode::kCosh:
      return Float64("std::cosh(d)");
    case OpCode::kTanh:
      return Float64("std::tanh(d)");
    case OpCode::kArcsinh:
      return Float64("std::asinh(d)");
    case OpCode::kArccosh:
      return Float64("std::acosh(d)");
    case OpCode::kArctanh:
      return Float64("std::atanh(d)");
    case OpCode::kExp:
      return Float64("std::exp(d)");
    case OpCode::kExp2:
      return Float64("std::exp2(d)");
    case OpCode::kExp10:
      return Float64("std::pow(10.0, d)");
    case OpCode::kExpm1:
      return Float64("std::expm1(d)");
    case OpCode::kLog:  // log, log2, log10 act on |x|.
      return Float64("std::log(std::fabs(d))");
    case OpCode::kLog10:
      return Float64("std::log10(std::fabs(d))");
    case OpCode::kLog2:
      return Float64("std::log2(std::fabs(d))");
    case OpCode::kLog1p:  // log|1 + x|.
      return Float64("d < -1.0 ? std::log(-(1.0 + d)) : std::log1p(d)");
    case OpCode::kCbrt:
      return Float64("std::cbrt(d)");
    default:
      return "";
  }
}

}  // namespace

void AppendCppHelpers(const ExportPlan& plan, std::string* out) {
  std::set<OpCode> ops;
  bool reductions = false;
  for (const ExportStatement& s : plan.statements) {
    ops.insert(s.op);
    if (s.op == OpCode::kClipByGlobalNorm) {
      ops.insert(OpCode::kMin);
      ops.insert(OpCode::kDiv);
    }
    const OpKind kind = GetOpInfo(s.op).kind;
    reductions |= kind == OpKind::kSegmentReduction ||
                  kind == OpKind::kGlobalReduction ||
                  kind == OpKind::kGlobalRescale;
  }
  absl::StrAppend(out, "  // The ops, as hero defines them.\n");
  for (OpCode op : ops) {
    const std::string body = Body(op);
    if (body.empty()) continue;
    const int arity = GetOpInfo(op).arity;
    const char* params = arity == 1   ? "float x"
                         : arity == 2 ? "float x, float y"
                                      : "float x, float y, float a";
    // One-statement bodies on the signature's line, longer ones below it.
    const size_t statements = std::count(body.begin(), body.end(), ';');
    if (statements == 1) {
      absl::StrAppend(out, "  static float ", CppHelperName(op), "(", params,
                      ") { ", body, " }\n");
      continue;
    }
    absl::StrAppend(out, "  static float ", CppHelperName(op), "(", params,
                    ") {\n");
    for (absl::string_view line :
         absl::StrSplit(body, "; ", absl::SkipEmpty())) {
      absl::StrAppend(out, "    ", line, absl::EndsWith(line, ";") ? "" : ";",
                      "\n");
    }
    absl::StrAppend(out, "  }\n");
  }
  if (reductions) {
    absl::StrAppend(
        out,
        "  // Reductions accumulate float64 products, as hero's do.\n"
        "  static double Square64(float x) { const double d = x; return d * "
        "d; }\n"
        "  static double Product64(float x, float y) {\n"
        "    return static_cast<double>(x) * static_cast<double>(y);\n  }\n");
  }
  absl::StrAppend(out,
                  "  static uint32_t NotFinite(float x) {\n"
                  "    uint32_t bits;\n"
                  "    std::memcpy(&bits, &x, sizeof bits);\n"
                  "    return (bits & 0x7f800000u) == 0x7f800000u ? 1u : 0u;\n"
                  "  }\n");
}

}  // namespace hero
