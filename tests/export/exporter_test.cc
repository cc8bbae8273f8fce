// ExportProgram and its plan: the exact files for the shipped Hero-Lion
// (tests/export/golden/, which the README's examples come from), the names
// of hyperparameters and variables, literals, and errors. Whether the
// exported code computes what hero computes is export_cpp_test's and
// export_python_test's business.
#include "src/export/exporter.h"

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <set>
#include <sstream>
#include <string>

#include "gtest/gtest.h"
#include "src/export/export_format.h"
#include "src/export/export_plan.h"
#include "src/program/parser.h"
#include "src/program/printer.h"
#include "src/program/program_proto.h"

namespace hero {
namespace {

std::string Read(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

Program Load(const std::string& name) {
  absl::StatusOr<Program> p =
      ReadProgramFile("configs/programs/" + name + ".py");
  EXPECT_TRUE(p.ok()) << p.status();
  return *p;
}

Program Parse(const std::string& body) {
  absl::StatusOr<Program> p = ParseProgram(
      "def train(w, g, m, v, lr, λ):\n" + body + "  return update, m, v\n",
      "t.py");
  EXPECT_TRUE(p.ok()) << p.status();
  return *p;
}

std::string Export(const std::string& program, ExportTarget target,
                   const std::string& to, const std::string& name) {
  ExportOptions options;
  options.target = target;
  options.name = name;
  options.command =
      "hero export configs/programs/" + program + ".py --to=" + to;
  absl::StatusOr<std::string> code = ExportProgram(Load(program), options);
  EXPECT_TRUE(code.ok()) << code.status();
  return code.ok() ? *code : "";
}

// The golden files are what `hero export configs/programs/<p>.py --to=<t>`
// prints; regenerate them with that command after a deliberate change.
TEST(ExporterTest, GoldenFiles) {
  EXPECT_EQ(Export("hero_lion", ExportTarget::kCpp, "cpp", "HeroLion"),
            Read("tests/export/golden/hero_lion_cpp.h"));
  EXPECT_EQ(Export("hero_lion", ExportTarget::kPyTorch, "pytorch", "HeroLion"),
            Read("tests/export/golden/hero_lion_pytorch.py"));
  EXPECT_EQ(Export("hero_lion", ExportTarget::kNumPy, "numpy", "HeroLion"),
            Read("tests/export/golden/hero_lion_numpy.py"));
  EXPECT_EQ(Export("evolved", ExportTarget::kCpp, "cpp", "Evolved"),
            Read("tests/export/golden/evolved_cpp.h"));
}

std::string HyperparameterNames(const Program& p) {
  absl::StatusOr<ExportPlan> plan = MakeExportPlan(p, PlanOptions());
  EXPECT_TRUE(plan.ok()) << plan.status();
  std::string out;
  for (const Hyperparameter& h : plan->hyperparameters) {
    out += (out.empty() ? "" : " ") + h.name + "=" + FormatConstant(h.value);
  }
  return out;
}

TEST(ExporterTest, LiteralsAreNamedForTheirRoles) {
  EXPECT_EQ(HyperparameterNames(Load("hero_lion")), "beta1=0.9 beta2=0.99");
  EXPECT_EQ(HyperparameterNames(Load("adamw")), "beta1=0.9 beta2=0.999");
  EXPECT_EQ(HyperparameterNames(Load("sgd_momentum")), "momentum=0.9");
  EXPECT_EQ(HyperparameterNames(Load("signum")), "beta=0.9");
  EXPECT_EQ(HyperparameterNames(Load("evolved")),
            "max_norm=1.0 beta1=0.9 beta2=1.1");
  EXPECT_EQ(HyperparameterNames(Parse("  t = power(g, 3.0)\n"
                                      "  t = t + eps\n"
                                      "  t = t * pi\n"
                                      "  update = t * -2.5\n")),
            "exponent=3.0 eps=1e-08 c1=-2.5");
}

TEST(ExporterTest, InlineConstantsStayLiterals) {
  ExportOptions options;
  options.named_constants = false;
  absl::StatusOr<std::string> code = ExportProgram(Load("hero_lion"), options);
  ASSERT_TRUE(code.ok());
  EXPECT_NE(code->find("update = _interpolate(g, m, _f32(0.9))"),
            std::string::npos);
  EXPECT_EQ(code->find("beta1"), std::string::npos);
}

TEST(ExporterTest, ReservedNamesAreRenamed) {
  absl::StatusOr<ExportPlan> plan =
      MakeExportPlan(Parse("  lambda = sign(g)\n  reduced_1 = lambda * 2.0\n"
                           "  update = reduced_1 * lr\n"),
                     PlanOptions());
  ASSERT_TRUE(plan.ok());
  EXPECT_EQ(plan->statements[0].out, "lambda_");
  EXPECT_EQ(plan->statements[1].out, "v_reduced_1");
  EXPECT_EQ(plan->statements[2].args[0].name, "v_reduced_1");
}

TEST(ExporterTest, PlanKnowsStateAndDeadCode) {
  absl::StatusOr<ExportPlan> plan =
      MakeExportPlan(Load("evolved"), PlanOptions());
  ASSERT_TRUE(plan.ok());
  // m is overwritten before it is read: only v is state.
  EXPECT_FALSE(plan->slot_live[0]);
  EXPECT_TRUE(plan->slot_live[1]);
  EXPECT_TRUE(plan->has_global_reduction);
  EXPECT_TRUE(plan->has_transcendental);
  absl::StatusOr<ExportPlan> dead =
      MakeExportPlan(Parse("  t = exp(g)\n  update = g * lr\n"), PlanOptions());
  ASSERT_TRUE(dead.ok());
  EXPECT_EQ(dead->statements.size(), 1u);
  ASSERT_EQ(dead->dead.size(), 1u);
  EXPECT_EQ(dead->dead[0], "t = exp(g)");
  EXPECT_FALSE(dead->has_transcendental);
}

// "Every shipped program is exported and checked": the list the export
// tests use (export_programs.bzl) holds every file of configs/programs.
TEST(ExporterTest, ParityTestsCoverEveryShippedProgram) {
  std::set<std::string> listed;
  std::ifstream list("tests/export/programs_list.txt");
  std::string name, class_name, path;
  while (list >> name >> class_name >> path) listed.insert(path);
  int shipped = 0;
  for (const auto& entry :
       std::filesystem::directory_iterator("configs/programs")) {
    ++shipped;
    EXPECT_EQ(
        listed.count("configs/programs/" + entry.path().filename().string()),
        1u)
        << entry.path() << " is missing from SHIPPED in export_programs.bzl";
  }
  EXPECT_GE(shipped, 5);
}

// A literal printed for Python reads back (as a double, rounded to
// float32) as the same float, for random floats of every magnitude.
TEST(ExporterTest, PythonFloatsRoundTrip) {
  std::mt19937 rng(5);
  for (int i = 0; i < 200000; ++i) {
    uint32_t bits = static_cast<uint32_t>(rng());
    float x;
    std::memcpy(&x, &bits, sizeof x);
    if (!std::isfinite(x)) continue;
    const std::string text = PythonFloat(x);
    const float back = static_cast<float>(std::strtod(text.c_str(), nullptr));
    ASSERT_EQ(std::memcmp(&back, &x, sizeof x), 0) << text;
  }
  EXPECT_EQ(PythonFloat(0.9f), "0.9");
  EXPECT_EQ(CppFloat(0.9f), "0.9f");
  EXPECT_EQ(CppFloat(1e-8f), "1e-08f");
}

TEST(ExporterTest, Errors) {
  ExportOptions options;
  options.name = "2fast";
  EXPECT_EQ(ExportProgram(Load("hero_lion"), options).status().message(),
            "the name `2fast` is not an identifier (letters, digits and _, not "
            "starting with a digit)");
  EXPECT_EQ(ParseExportTarget("jax").status().message(),
            "unknown export target `jax` (expected cpp, pytorch or numpy)");
  EXPECT_EQ(ClassNameFromPath("runs/quick/best.py"), "Best");
  EXPECT_EQ(ClassNameFromPath("hero_lion.py"), "HeroLion");
  EXPECT_EQ(ClassNameFromPath("7.py"), "Hero7");
}

}  // namespace
}  // namespace hero
