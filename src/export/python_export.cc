#include "src/export/python_export.h"

#include <map>
#include <set>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "src/export/export_format.h"

namespace hero {
namespace {

// The element-wise form of each op helper, per flavor: a Python expression
// in the helper's own arguments x (y, a), applied part by part by _map.
// Transcendental ops go through float64 and round once.
struct Elementwise {
  const char* torch;
  const char* numpy;
  const char* doc;
};

// A float64 function f of x, rounded to float32, in each flavor.
#define HERO_F64(torch_f, numpy_f, doc)                   \
  {                                                       \
    "torch." torch_f "(x.double()).float()",              \
        "np." numpy_f "(_f64(x)).astype(np.float32)", doc \
  }
#define HERO_F64_ABS(torch_f, numpy_f, doc)                       \
  {                                                               \
    "torch." torch_f "(x.double().abs()).float()",                \
        "np." numpy_f "(np.abs(_f64(x))).astype(np.float32)", doc \
  }

const std::map<OpCode, Elementwise>& ElementwiseTable() {
  static const auto* const kTable = new std::map<OpCode, Elementwise>{
      {OpCode::kDiv,
       {"x / (y + 1e-8)", "x / (y + _EPS)", "hero's division: x / (y + 1e-8)"}},
      {OpCode::kMax,
       {"torch.where(torch.isnan(y), y, torch.where(x < y, y, x))",
        "np.where(np.isnan(y), y, np.where(x < y, y, x))",
        "max(x, y): NaN if either is NaN; x if they are equal (as +0, -0)"}},
      {OpCode::kMin,
       {"torch.where(torch.isnan(y), y, torch.where(y < x, y, x))",
        "np.where(np.isnan(y), y, np.where(y < x, y, x))",
        "min(x, y): NaN if either is NaN; x if they are equal (as +0, -0)"}},
      {OpCode::kPower,
       {"torch.pow(x.double(), y.double()).float()",
        "np.power(_f64(x), _f64(y)).astype(np.float32)", "x ** y"}},
      {OpCode::kInterpolate,
       {"(1 - a) * x + a * y", "(_ONE - a) * x + a * y",
        "(1 - a) * x + a * y, with 1 - a rounded to float32 first"}},
      {OpCode::kAbs, {"torch.abs(x)", "np.abs(x)", "|x|"}},
      {OpCode::kSqrt,
       {"torch.sqrt(torch.abs(x))", "np.sqrt(np.abs(x))", "sqrt(|x|)"}},
      {OpCode::kSquare, {"x * x", "x * x", "x * x"}},
      {OpCode::kCube, {"x * x * x", "x * x * x", "(x * x) * x"}},
      {OpCode::kSign,
       {"torch.where(torch.isnan(x), x, torch.sign(x))", "np.sign(x)",
        "-1, +0 or 1; NaN for NaN"}},
      {OpCode::kReciprocal,
       {"torch.reciprocal(x + 1e-8)", "_ONE / (x + _EPS)", "1 / (x + 1e-8)"}},
      {OpCode::kNegative, {"-x", "-x", "-x"}},
      {OpCode::kCos, HERO_F64("cos", "cos", "cos(x)")},
      {OpCode::kSin, HERO_F64("sin", "sin", "sin(x)")},
      {OpCode::kTan, HERO_F64("tan", "tan", "tan(x)")},
      {OpCode::kArcsin, HERO_F64("asin", "arcsin", "arcsin(x)")},
      {OpCode::kArccos, HERO_F64("acos", "arccos", "arccos(x)")},
      {OpCode::kArctan, HERO_F64("atan", "arctan", "arctan(x)")},
      {OpCode::kSinh, HERO_F64("sinh", "sinh", "sinh(x)")},
      {OpCode::kCosh, HERO_F64("cosh", "cosh", "cosh(x)")},
      {OpCode::kTanh, HERO_F64("tanh", "tanh", "tanh(x)")},
      {OpCode::kArcsinh, HERO_F64("asinh", "arcsinh", "arcsinh(x)")},
      {OpCode::kArccosh, HERO_F64("acosh", "arccosh", "arccosh(x)")},
      {OpCode::kArctanh, HERO_F64("atanh", "arctanh", "arctanh(x)")},
      {OpCode::kExp, HERO_F64("exp", "exp", "e ** x")},
      {OpCode::kExp2, HERO_F64("exp2", "exp2", "2 ** x")},
      {OpCode::kExp10,
       {"torch.pow(10.0, x.double()).float()",
        "np.power(10.0, _f64(x)).astype(np.float32)", "10 ** x"}},
      {OpCode::kExpm1, HERO_F64("expm1", "expm1", "e ** x - 1")},
      {OpCode::kLog, HERO_F64_ABS("log", "log", "log|x|")},
      {OpCode::kLog10, HERO_F64_ABS("log10", "log10", "log10|x|")},
      {OpCode::kLog2, HERO_F64_ABS("log2", "log2", "log2|x|")},
      {OpCode::kCbrt,
       {"torch.copysign(torch.pow(x.double().abs(), 1.0 / 3), "
        "x.double()).float()",
        "np.cbrt(_f64(x)).astype(np.float32)", "the real cube root"}},
  };
  return *kTable;
}

#undef HERO_F64
#undef HERO_F64_ABS

// Helpers written out in full (reductions, log1p), per flavor.
std::string Special(OpCode op, PythonFlavor f) {
  const bool t = f == PythonFlavor::kPyTorch;
  switch (op) {
    // In PyTorch, where every temporary is a fresh allocation (and page
    // faults), these two reuse their own temporaries in place.
    case OpCode::kInterpolate:
      if (!t) return "";
      return "def _interpolate(x, y, a):\n"
             "    \"\"\"(1 - a) * x + a * y, with 1 - a rounded to float32 "
             "first.\"\"\"\n\n"
             "    def f(x, y, a):\n"
             "        out = (1 - a) * x\n"
             "        other = a * y\n"
             "        if torch.broadcast_shapes(out.shape, other.shape) == "
             "out.shape:\n"
             "            return out.add_(other)\n"
             "        return out + other\n\n"
             "    return _map(f, x, y, a)\n";
    case OpCode::kSign:
      if (!t) return "";
      return "def _sign(x):\n"
             "    \"\"\"-1, +0 or 1; NaN for NaN.\"\"\"\n"
             "    return _map(lambda x: "
             "torch.sign(x).masked_fill_(torch.isnan(x), "
             "float(\"nan\")), x)\n";
    case OpCode::kLog1p:
      return t ? "def _log1p(x):\n"
                 "    \"\"\"log|1 + x| (in float64).\"\"\"\n\n"
                 "    def f(x):\n"
                 "        d = x.double()\n"
                 "        return torch.where(d < -1, torch.log(torch.abs(1 + "
                 "d)), torch.log1p(d)).float()\n\n"
                 "    return _map(f, x)\n"
               : "def _log1p(x):\n"
                 "    \"\"\"log|1 + x| (in float64).\"\"\"\n\n"
                 "    def f(x):\n"
                 "        d = _f64(x)\n"
                 "        return np.where(d < -1, np.log(np.abs(1 + d)), "
                 "np.log1p(d)).astype(np.float32)\n\n"
                 "    return _map(f, x)\n";
    case OpCode::kGlobalNorm:
      return absl::StrCat(
          "def _global_norm(x):\n"
          "    \"\"\"The L2 norm of all parts together (float64 sums, rounded "
          "once).\"\"\"\n    return ",
          t ? "torch.sqrt(sum(torch.sum(torch.square(p.double())) for p in "
              "x.parts)).float()\n"
            : "np.float32(np.sqrt(sum(np.sum(np.square(_f64(p))) for p in "
              "x.parts)))\n");
    case OpCode::kNorm:
      return absl::StrCat(
          "def _norm(x):\n"
          "    \"\"\"Each part's L2 norm, broadcast over that part.\"\"\"\n"
          "    return _Tensors([",
          t ? "torch.sqrt(torch.sum(torch.square(p.double()))).float()"
            : "np.float32(np.sqrt(np.sum(np.square(_f64(p)))))",
          " for p in x.parts])\n");
    case OpCode::kDot:
      return absl::StrCat(
          "def _dot(x, y):\n"
          "    \"\"\"sum(x * y) over all parts (float64, rounded once).\"\"\"\n"
          "    return ",
          t ? "sum(torch.sum(a.double() * b.double()) for a, b in "
              "zip(x.parts, y.parts)).float()\n"
            : "np.float32(sum(np.sum(_f64(a) * _f64(b)) for a, b in "
              "zip(x.parts, y.parts)))\n");
    case OpCode::kCosineSim: {
      const std::string sq = t ? "torch.sum(torch.square(p.double()))"
                               : "np.sum(np.square(_f64(p)))";
      return absl::StrCat(
          "def _cosine_sim(x, y):\n"
          "    \"\"\"dot(x, y) / (|x| |y| + 1e-8) over all parts (float64, "
          "rounded once).\"\"\"\n"
          "    xy = ",
          t ? "sum(torch.sum(a.double() * b.double()) for a, b in "
              "zip(x.parts, y.parts))\n"
            : "sum(np.sum(_f64(a) * _f64(b)) for a, b in zip(x.parts, "
              "y.parts))\n",
          "    xx = sum(", sq, " for p in x.parts)\n", "    yy = sum(", sq,
          " for p in y.parts)\n",
          t ? "    return (xy / (torch.sqrt(xx) * torch.sqrt(yy) + "
              "1e-8)).float()\n"
            : "    return np.float32(xy / (np.sqrt(xx) * np.sqrt(yy) + "
              "1e-8))\n");
    }
    case OpCode::kClipByGlobalNorm:
      return "def _clip_by_global_norm(x, c):\n"
             "    \"\"\"x * min(1, c / (global_norm(x) + 1e-8)).\"\"\"\n"
             "    return x * _min(_f32(1.0), _divide(c, _global_norm(x)))\n";
    default:
      return "";
  }
}

std::string Prelude(PythonFlavor f) {
  const bool t = f == PythonFlavor::kPyTorch;
  std::string out;
  if (t) {
    absl::StrAppend(&out,
                    "def _f32(x):\n"
                    "    \"\"\"x as a 0-d float32 tensor (hero's scalars are "
                    "float32).\"\"\"\n"
                    "    return torch.tensor(x, dtype=torch.float32)\n\n\n");
  } else {
    absl::StrAppend(&out,
                    "_f32 = np.float32  # hero's scalars are float32.\n"
                    "_ONE = np.float32(1.0)\n_EPS = np.float32(1e-8)\n\n\n"
                    "def _f64(a):\n"
                    "    return np.asarray(a, dtype=np.float64)\n\n\n");
  }
  absl::StrAppend(
      &out,
      "class _Tensors:\n"
      "    \"\"\"A tensor of the program: one float32 array per parameter "
      "(from norm:\n    one 0-d value per parameter). + - * act part by part; "
      "the program's\n    scalars (0-d float32) broadcast.\"\"\"\n\n",
      t ? "    __slots__ = (\"parts\", \"foreach\")\n\n"
          "    def __init__(self, parts, foreach=False):\n"
          "        self.parts = list(parts)\n"
          "        self.foreach = foreach  # + - * as torch._foreach_* "
          "kernels.\n\n"
        : "    __slots__ = (\"parts\",)\n"
          "    __array_ufunc__ = None  # NumPy scalars defer to the reflected "
          "operators.\n\n"
          "    def __init__(self, parts):\n"
          "        self.parts = list(parts)\n\n",
      "    def __add__(self, y):\n        return _arith(\"add\", self, y)\n\n"
      "    def __radd__(self, x):\n        return _arith(\"add\", x, self)\n\n"
      "    def __sub__(self, y):\n        return _arith(\"subtract\", self, "
      "y)\n\n"
      "    def __rsub__(self, x):\n        return _arith(\"subtract\", x, "
      "self)\n\n"
      "    def __mul__(self, y):\n        return _arith(\"multiply\", self, "
      "y)\n\n"
      "    def __rmul__(self, x):\n        return _arith(\"multiply\", x, "
      "self)\n\n\n"
      "def _map(fn, *args):\n"
      "    \"\"\"fn part by part over the tensor arguments (scalars "
      "broadcast), "
      "or once\n    over scalars.\"\"\"\n"
      "    first = next((a for a in args if isinstance(a, _Tensors)), None)\n"
      "    if first is None:\n        return fn(*args)\n"
      "    parts = [fn(*(a.parts[i] if isinstance(a, _Tensors) else a for a "
      "in args))\n             for i in range(len(first.parts))]\n",
      t ? "    return _Tensors(parts, first.foreach)\n\n\n"
        : "    return _Tensors(parts)\n\n\n",
      "def _arith(op, x, y):\n"
      "    \"\"\"x + y, x - y or x * y, rounded to float32.\"\"\"\n",
      t ? "    if isinstance(x, _Tensors) and x.foreach:\n"
          "        kernel = getattr(torch, \"_foreach_\" + {\"add\": \"add\", "
          "\"subtract\": \"sub\", \"multiply\": \"mul\"}[op])\n"
          "        if isinstance(y, _Tensors) and y.foreach:\n"
          "            return _Tensors(kernel(x.parts, y.parts), True)\n"
          "        if not isinstance(y, _Tensors):\n"
          "            return _Tensors(kernel(x.parts, y.item()), True)\n"
          "    return _map(getattr(torch, op), x, y)\n"
        : "    return _map(getattr(np, op), x, y)\n");
  return out;
}

std::string ArgText(const ExportArg& a) {
  return a.kind == ExportArg::Kind::kLiteral
             ? absl::StrCat("_f32(", PythonFloat(a.value), ")")
             : a.name;
}

}  // namespace

std::string HyperparameterArgs(const ExportPlan& plan) {
  std::vector<std::string> names;
  for (const Hyperparameter& h : plan.hyperparameters) names.push_back(h.name);
  return absl::StrJoin(names, ", ");
}

std::string PythonTrainFunction(const ExportPlan& plan) {
  std::string args = "w, g, m, v, lr, lam";
  if (!plan.hyperparameters.empty()) {
    absl::StrAppend(&args, ", ", HyperparameterArgs(plan));
  }
  std::string out =
      absl::StrCat("def _train(", args, "):\n",
                   "    \"\"\"The program, one line per statement.\"\"\"\n");
  for (const ExportStatement& s : plan.statements) {
    const OpInfo& info = GetOpInfo(s.op);
    std::vector<std::string> a;
    for (const ExportArg& x : s.args) a.push_back(ArgText(x));
    std::string expr;
    if (s.op == OpCode::kAdd || s.op == OpCode::kSub || s.op == OpCode::kMul) {
      expr = absl::StrCat(a[0], " ", info.infix, " ", a[1]);
    } else {
      expr = absl::StrCat("_", info.name, "(", absl::StrJoin(a, ", "), ")");
    }
    absl::StrAppend(&out, "    ", s.out, " = ", expr, "\n");
  }
  absl::StrAppend(&out, "    return update, m, v\n");
  return out;
}

std::string PythonHelpers(const ExportPlan& plan, PythonFlavor flavor) {
  std::set<OpCode> ops;
  for (const ExportStatement& s : plan.statements) {
    ops.insert(s.op);
    if (s.op == OpCode::kClipByGlobalNorm) {
      ops.insert(OpCode::kGlobalNorm);
      ops.insert(OpCode::kMin);
      ops.insert(OpCode::kDiv);
    }
  }
  std::string out = Prelude(flavor);
  for (OpCode op : ops) {
    const std::string special = Special(op, flavor);
    if (!special.empty()) {
      absl::StrAppend(&out, "\n\n", special);
      continue;
    }
    auto it = ElementwiseTable().find(op);
    if (it == ElementwiseTable().end()) continue;  // + - *: operators.
    const int arity = GetOpInfo(op).arity;
    const char* params = arity == 1 ? "x" : arity == 2 ? "x, y" : "x, y, a";
    absl::StrAppend(
        &out, "\n\ndef _", GetOpInfo(op).name, "(", params, "):\n    \"\"\"",
        it->second.doc, ".\"\"\"\n", "    return _map(lambda ", params, ": ",
        flavor == PythonFlavor::kPyTorch ? it->second.torch : it->second.numpy,
        ", ", params, ")\n");
  }
  return out;
}

}  // namespace hero
