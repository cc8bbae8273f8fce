// `hero export` end to end: usage and input errors (exit 2, nothing
// written), the output file and its header, the NumPy and PyTorch exports
// run by /usr/bin/python3 printing exactly what `hero trace` prints for the
// same weights and gradients (several tensors), and torch's conventions.
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "tests/cli/run_hero.h"

namespace hero {
namespace {

TEST(ExportCliTest, HelpNamesTheTargets) {
  const HeroRun run = RunHero({"export", "--help"});
  EXPECT_EQ(run.exit_code, 0);
  for (const char* s : {"cpp", "pytorch", "numpy", "--to", "--name",
                        "--inline_constants", "optax/JAX"}) {
    EXPECT_NE(run.out.find(s), std::string::npos) << s;
  }
}

TEST(ExportCliTest, BadUsageExitsTwoAndWritesNothing) {
  const std::string out = TempPath("never.py");
  struct Case {
    std::vector<std::string> args;
    std::string error;
  };
  const std::string bad_program = TempPath("bad.py");
  WriteFile(bad_program,
            "def train(w, g, m, v, lr, λ):\n  update = sign(q)\n"
            "  return update, m, v\n");
  const Case cases[] = {
      {{"export", "--to=cpp"}, "expected one PROGRAM"},
      {{"export", "configs/programs/hero_lion.py", "-o", out},
       "--to is required"},
      {{"export", "configs/programs/hero_lion.py", "--to=jax", "-o", out},
       "--to: unknown export target `jax` (expected cpp, pytorch or numpy)"},
      {{"export", "configs/programs/hero_lion.py", "--to=cpp", "--name=a-b",
        "-o", out},
       "--name: `a-b` is not an identifier"},
      {{"export", "missing.py", "--to=numpy", "-o", out}, "missing.py"},
      {{"export", bad_program, "--to=pytorch", "-o", out},
       bad_program + ":2:17"},
      {{"export", "configs/programs/hero_lion.py", "--to=numpy", "--bogus"},
       "--bogus"},
  };
  for (const Case& c : cases) {
    const HeroRun run = RunHero(c.args);
    EXPECT_EQ(run.exit_code, 2) << c.error;
    EXPECT_NE(run.err.find(c.error), std::string::npos) << run.err;
    EXPECT_EQ(ReadWholeFile(out), "");
  }
}

TEST(ExportCliTest, WritesTheFileWithItsProvenance) {
  const std::string out = TempPath("hero_lion.h");
  const HeroRun run = RunHero(
      {"export", "configs/programs/hero_lion.py", "--to=cpp", "-o", out});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out, "");
  const std::string code = ReadWholeFile(out);
  EXPECT_TRUE(absl::StartsWith(
      code,
      "// HeroLion: a standalone C++17 header (the standard library "
      "only).\n"));
  EXPECT_NE(code.find("//     update = interpolate(g, m, 0.9)\n"),
            std::string::npos);
  EXPECT_NE(code.find(absl::StrCat("// Command: hero export "
                                   "configs/programs/hero_lion.py --to=cpp -o ",
                                   out, "\n")),
            std::string::npos);
  EXPECT_NE(code.find("class HeroLion {"), std::string::npos);
  // stdout when there is no -o; --name names the class.
  const HeroRun named = RunHero({"export", "configs/programs/adamw.py",
                                 "--to=pytorch", "--name=PaperAdamW"});
  ASSERT_EQ(named.exit_code, 0);
  EXPECT_NE(named.out.find("class PaperAdamW(Optimizer):"), std::string::npos);
}

// Weights and gradients as `hero trace` reads them: one line of w0, one
// line per step.
void WriteProblem(const std::string& w0_path, const std::string& grads_path) {
  std::mt19937 rng(3);
  std::normal_distribution<float> normal;
  auto line = [&](float scale) {
    std::string out;
    for (int i = 0; i < 23; ++i) {
      char buf[32];
      std::snprintf(buf, sizeof buf, "%.9g ", normal(rng) * scale);
      out += buf;
    }
    return out + "\n";
  };
  WriteFile(w0_path, line(1.0f));
  std::string grads;
  for (int s = 0; s < 12; ++s) grads += line(0.1f);
  WriteFile(grads_path, grads);
}

// Runs an exported module on the problem with /usr/bin/python3 and prints
// the weights after each step as hero trace does (%.9g, space-separated).
// The weights are split into tensors of `sizes` (as hero trace --sizes).
std::string RunExported(const std::string& target, const std::string& module,
                        const std::string& w0_path,
                        const std::string& grads_path,
                        const std::string& sizes) {
  const std::string script = TempPath(target + "_run.py");
  WriteFile(
      script,
      absl::StrCat(
          "import importlib.util, sys\nimport numpy as np\nimport torch\n"
          "spec = importlib.util.spec_from_file_location('m', '",
          module,
          "')\nmod = importlib.util.module_from_spec(spec)\n"
          "spec.loader.exec_module(mod)\n"
          "w = np.loadtxt('",
          w0_path,
          "', dtype=np.float32, ndmin=1)\n"
          "grads = np.loadtxt('",
          grads_path,
          "', dtype=np.float32, ndmin=2)\n"
          "cuts = np.cumsum([",
          sizes,
          "])[:-1]\n"
          "ws = np.split(w, cuts)\n",
          target == "numpy"
              ? "state = {}\n"
                "def step(g):\n"
                "    mod.step(ws, np.split(g, cuts), state, 0.01, 0.1)\n"
                "    return np.concatenate(ws)\n"
              : "ps = [torch.tensor(x) for x in ws]\n"
                "opt = getattr(mod, mod.__all__[0])(ps, lr=0.01, "
                "weight_decay=0.1)\n"
                "def step(g):\n"
                "    for p, x in zip(ps, np.split(g, cuts)):\n"
                "        p.grad = torch.tensor(x)\n"
                "    opt.step()\n"
                "    return np.concatenate([p.detach().numpy() for p in ps])\n",
          "for g in grads:\n"
          "    print(' '.join('%.9g' % float(x) for x in step(g)))\n"));
  const std::string out = TempPath(target + "_run.txt");
  const int status = std::system(
      absl::StrCat("/usr/bin/python3 ", script, " > ", out).c_str());
  EXPECT_EQ(status, 0);
  return ReadWholeFile(out);
}

// Shipped programs, and one with per-tensor and global reductions, on
// three tensors (hero trace --sizes; lists of arrays / parameters).
TEST(ExportCliTest, PythonExportsPrintWhatHeroTracePrints) {
  const std::string w0 = TempPath("w0.txt"), grads = TempPath("grads.txt");
  WriteProblem(w0, grads);
  const std::string reductions = TempPath("reductions.py");
  WriteFile(reductions,
            "def train(w, g, m, v, lr, λ):\n"
            "  m = interpolate(g, m, 0.9)\n"
            "  n = norm(m)\n"
            "  c = cosine_sim(g, m)\n"
            "  update = m / n\n"
            "  update = update * c\n"
            "  update = clip_by_global_norm(update, 0.5)\n"
            "  update = update * lr\n"
            "  return update, m, v\n");
  const std::string sizes = "5,1,17";
  for (const std::string& path :
       {std::string("configs/programs/hero_lion.py"),
        std::string("configs/programs/adamw.py"),
        std::string("configs/programs/evolved.py"), reductions}) {
    const std::string program = path.substr(path.rfind('/') + 1);
    const HeroRun trace =
        RunHero({"trace", path, "--w0=" + w0, "--grads=" + grads, "--lr=0.01",
                 "--lam=0.1", "--sizes=" + sizes});
    ASSERT_EQ(trace.exit_code, 0) << trace.err;
    for (const char* target : {"numpy", "pytorch"}) {
      const std::string module =
          TempPath(absl::StrCat(program, "_", target, ".py"));
      const HeroRun run = RunHero(
          {"export", path, absl::StrCat("--to=", target), "-o", module});
      ASSERT_EQ(run.exit_code, 0) << run.err;
      EXPECT_EQ(RunExported(target, module, w0, grads, sizes), trace.out)
          << program << " → " << target;
    }
  }
}

// The PyTorch export follows torch.optim's conventions: state_dict round
// trip (resuming equals never stopping), the closure, maximize, param
// groups with their own hyperparameters, clear errors on sparse gradients
// and on non-float32 parameters. The script prints `ok` lines or fails.
TEST(ExportCliTest, PyTorchExportFollowsTorchConventions) {
  const std::string module = TempPath("conventions_hero_lion.py");
  ASSERT_EQ(RunHero({"export", "configs/programs/hero_lion.py", "--to=pytorch",
                     "-o", module})
                .exit_code,
            0);
  const std::string script = TempPath("conventions.py");
  WriteFile(script, absl::StrCat(R"(import importlib.util, io
import torch
spec = importlib.util.spec_from_file_location("m", ")",
                                 module, R"(")
mod = importlib.util.module_from_spec(spec)
spec.loader.exec_module(mod)
HeroLion = mod.HeroLion
torch.manual_seed(0)
grads = [torch.randn(2, 3) for _ in range(10)]

def train(p, opt, steps):
    for g in steps:
        p.grad = g.clone()
        opt.step()

# state_dict round trip: stop after 5 steps, load into a new optimizer.
a = torch.randn(2, 3)
b = a.clone()
opt_a = HeroLion([a], lr=0.1, weight_decay=0.5)
train(a, opt_a, grads)
opt_b = HeroLion([b], lr=0.1, weight_decay=0.5)
train(b, opt_b, grads[:5])
buf = io.BytesIO()
torch.save(opt_b.state_dict(), buf)
buf.seek(0)
opt_c = HeroLion([b], lr=0.1, weight_decay=0.5)
opt_c.load_state_dict(torch.load(buf))
assert opt_c.state[b]["step"] == 5
train(b, opt_c, grads[5:])
assert torch.equal(a, b), (a, b)
print("ok state_dict")

# The closure is called (with gradients enabled) and its loss returned.
p = torch.nn.Parameter(torch.ones(3))
opt = HeroLion([p], lr=0.1)
def closure():
    opt.zero_grad()
    loss = (p * p).sum()
    loss.backward()
    return loss
assert opt.step(closure).item() == 3.0
assert torch.allclose(p.detach(), torch.full((3,), 0.9))
print("ok closure")

# maximize ascends: the same as descending on -g.
x, y = torch.randn(4), None
y = x.clone()
up = HeroLion([x], lr=0.1, maximize=True)
down = HeroLion([y], lr=0.1)
for g in grads[:3]:
    x.grad, y.grad = g[0].repeat(2)[:4].clone(), -g[0].repeat(2)[:4].clone()
    up.step(); down.step()
assert torch.equal(x, y)
print("ok maximize")

# Param groups keep their own lr, weight decay and betas.
u, v = torch.ones(2), torch.ones(2)
opt = HeroLion([{"params": [u], "weight_decay": 1.0, "betas": (0.5, 0.5)},
                {"params": [v], "lr": 0.5}], lr=0.1)
u.grad, v.grad = torch.ones(2), torch.ones(2)
opt.step()
assert torch.allclose(u, torch.full((2,), 1 - 0.1 * (1 + 1.0)))
assert torch.allclose(v, torch.full((2,), 1 - 0.5))
assert opt.param_groups[0]["betas"] == (0.5, 0.5)
assert opt.param_groups[1]["betas"] == (0.9, 0.99)
print("ok groups")

# Clear errors.
s = torch.zeros(3, requires_grad=True)
s.grad = torch.zeros(3).to_sparse()
try:
    HeroLion([s]).step()
    raise AssertionError("sparse accepted")
except RuntimeError as e:
    assert "does not support sparse gradients" in str(e)
d = torch.zeros(3, dtype=torch.float64)
d.grad = torch.zeros(3, dtype=torch.float64)
try:
    HeroLion([d]).step()
    raise AssertionError("float64 accepted")
except TypeError as e:
    assert "float32" in str(e)
print("ok errors")
)"));
  const std::string out = TempPath("conventions.txt");
  ASSERT_EQ(
      std::system(absl::StrCat("/usr/bin/python3 ", script, " > ", out, " 2>&1")
                      .c_str()),
      0)
      << ReadWholeFile(out);
  EXPECT_EQ(ReadWholeFile(out),
            "ok state_dict\nok closure\nok maximize\nok groups\nok errors\n");
}

}  // namespace
}  // namespace hero
