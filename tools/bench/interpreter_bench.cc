// Speed of the interpreter (src/interpreter) against hand-written fused C++
// loops of the same optimizers, one thread, on 10M parameters, with
// apply_update = true everywhere (w ← w − update in the same step).
//
//   bazel run -c opt //tools/bench:interpreter_bench
//   bazel run -c opt //tools/bench:interpreter_bench --
//   --benchmark_filter=AdamW
//
// After the Google Benchmark runs it measures the interpreted/native ratios
// for Lion (configs/programs/hero_lion.py) and AdamW (configs/programs/
// adamw.py) in interleaved repetitions (native, interpreted, interpreted,
// native, ... so that drift on a shared machine hits both alike) and prints,
// as its last lines,
//
//   ratio interpreted_vs_native_lion=<median of the per-repetition ratios>
//   ratio interpreted_vs_native_adamw=<median of the per-repetition ratios>
//
// The programs are read from the runfiles (//configs:programs).
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "benchmark/benchmark.h"
#include "src/interpreter/interpreter.h"
#include "src/interpreter/parameter_layout.h"
#include "src/program/parser.h"
#include "src/program/program.h"

namespace hero {
namespace {

constexpr int64_t kParams = 10'000'000;
constexpr float kLr = 1e-4f;
constexpr float kLam = 0.1f;

// ---------------------------------------------------------------------------
// The native optimizers: one fused pass each, the formulas of the programs.

// hero_lion.py: u = sign(interpolate(g, m, 0.9)) + λw, times lr;
// m = interpolate(g, m, 0.99); w -= u.
void NativeLion(float* __restrict w, const float* __restrict g,
                float* __restrict m, int64_t n, float lr, float lam) {
  for (int64_t i = 0; i < n; ++i) {
    const float gi = g[i];
    const float mi = m[i];
    const float c = 0.1f * gi + 0.9f * mi;
    float s = c > 0.0f ? 1.0f : 0.0f;
    s = c < 0.0f ? -1.0f : s;
    w[i] -= (s + lam * w[i]) * lr;
    m[i] = 0.01f * gi + 0.99f * mi;
  }
}

// adamw.py: m = 0.1g + 0.9m; v = 0.001g² + 0.999v;
// u = (m / (sqrt(v) + 1e-8) + λw) * lr; w -= u.
void NativeAdamW(float* __restrict w, const float* __restrict g,
                 float* __restrict m, float* __restrict v, int64_t n, float lr,
                 float lam) {
  for (int64_t i = 0; i < n; ++i) {
    const float gi = g[i];
    const float mi = 0.1f * gi + 0.9f * m[i];
    const float vi = 0.001f * (gi * gi) + 0.999f * v[i];
    w[i] -= (mi / (std::sqrt(vi) + 1e-8f) + lam * w[i]) * lr;
    m[i] = mi;
    v[i] = vi;
  }
}

// ---------------------------------------------------------------------------
// Fixtures.

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return "";
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string argv0;

// `bazel run` starts in the runfiles tree of the workspace; a directly run
// binary finds it next to itself.
std::string RunfilesPath(const std::string& rel) {
  std::vector<std::string> roots = {""};
  if (const char* dir = std::getenv("RUNFILES_DIR")) {
    roots.push_back(std::string(dir) + "/hero/");
  }
  roots.push_back(argv0 + ".runfiles/hero/");
  for (const std::string& root : roots) {
    if (std::ifstream(root + rel)) return root + rel;
  }
  return rel;
}

Program LoadProgram(const std::string& name) {
  const std::string path = RunfilesPath("configs/programs/" + name + ".py");
  const std::string text = ReadFile(path);
  absl::StatusOr<Program> p = ParseProgram(text, path);
  if (text.empty() || !p.ok()) {
    std::fprintf(stderr, "cannot load %s: %s\n", path.c_str(),
                 p.ok() ? "empty" : p.status().ToString().c_str());
    std::exit(1);
  }
  return *std::move(p);
}

// A model-like layout: a repeating pattern of weight matrices and biases.
ParameterLayout ManySegments(int64_t total) {
  const int64_t pattern[] = {784 * 256, 256, 256 * 256, 256, 4099, 1000, 7};
  ParameterLayout layout;
  int64_t used = 0;
  for (int i = 0; used < total; ++i) {
    const int64_t size = std::min(pattern[i % 7], total - used);
    layout.Add("t" + std::to_string(i), size);
    used += size;
  }
  return layout;
}

struct Buffers {
  explicit Buffers(int64_t n) : w(n), g(n), m(n), v(n) {
    std::mt19937 rng(42);
    std::normal_distribution<float> normal;
    for (int64_t i = 0; i < n; ++i) {
      w[i] = normal(rng);
      g[i] = normal(rng);
      m[i] = 0.1f * normal(rng);
      v[i] = 0.01f * std::abs(normal(rng));
    }
  }
  StepBuffers step() {
    return StepBuffers{w.data(), g.data(), m.data(), v.data(), nullptr};
  }
  std::vector<float> w, g, m, v;
};

std::unique_ptr<Interpreter> MakeInterpreter(const Program& program,
                                             const ParameterLayout& layout,
                                             int block_size) {
  Interpreter::Options options;
  options.block_size = block_size;
  absl::StatusOr<std::unique_ptr<Interpreter>> interp =
      Interpreter::Create(program, layout, options);
  if (!interp.ok()) {
    std::fprintf(stderr, "%s\n", interp.status().ToString().c_str());
    std::exit(1);
  }
  return *std::move(interp);
}

// ---------------------------------------------------------------------------
// Google Benchmark cases. Bytes processed = the bytes each step must move.

void BM_NativeLion(benchmark::State& state) {
  Buffers b(kParams);
  for (auto _ : state) {
    NativeLion(b.w.data(), b.g.data(), b.m.data(), kParams, kLr, kLam);
    benchmark::ClobberMemory();
  }
  state.SetBytesProcessed(state.iterations() * kParams * 5 * 4);
}
BENCHMARK(BM_NativeLion)->Unit(benchmark::kMillisecond);

void BM_NativeAdamW(benchmark::State& state) {
  Buffers b(kParams);
  for (auto _ : state) {
    NativeAdamW(b.w.data(), b.g.data(), b.m.data(), b.v.data(), kParams, kLr,
                kLam);
    benchmark::ClobberMemory();
  }
  state.SetBytesProcessed(state.iterations() * kParams * 7 * 4);
}
BENCHMARK(BM_NativeAdamW)->Unit(benchmark::kMillisecond);

// range(0): block size; range(1): 1 for the many-segment layout.
void RunInterpreted(benchmark::State& state, const char* name, int streams) {
  const Program program = LoadProgram(name);
  const ParameterLayout layout = state.range(1) != 0
                                     ? ManySegments(kParams)
                                     : ParameterLayout::Single(kParams);
  std::unique_ptr<Interpreter> interp =
      MakeInterpreter(program, layout, static_cast<int>(state.range(0)));
  Buffers b(kParams);
  bool finite = true;
  for (auto _ : state) {
    finite &= interp->Step(b.step(), {kLr, kLam}, true).finite;
    benchmark::ClobberMemory();
  }
  state.counters["passes"] = interp->num_passes();
  state.counters["finite"] = finite;
  state.SetBytesProcessed(state.iterations() * kParams * streams * 4);
}

void BM_InterpretedLion(benchmark::State& state) {
  RunInterpreted(state, "hero_lion", 5);
}
void BM_InterpretedAdamW(benchmark::State& state) {
  RunInterpreted(state, "adamw", 7);
}
// Two passes: clip_by_global_norm needs ||g|| first. Only v is state.
void BM_InterpretedEvolved(benchmark::State& state) {
  RunInterpreted(state, "evolved", 6);
}

void BlockSizes(benchmark::internal::Benchmark* b) {
  for (int bs : {256, 512, 1024, 2048, 4096}) b->Args({bs, 0});
  b->Args({Interpreter::Options().block_size, 1});
  b->Unit(benchmark::kMillisecond);
}
BENCHMARK(BM_InterpretedLion)->Apply(BlockSizes);
BENCHMARK(BM_InterpretedAdamW)->Apply(BlockSizes);
BENCHMARK(BM_InterpretedEvolved)
    ->Args({Interpreter::Options().block_size, 0})
    ->Unit(benchmark::kMillisecond);

// ---------------------------------------------------------------------------
// The ratios, measured in interleaved repetitions.

template <typename F>
double Seconds(F&& f) {
  const auto start = std::chrono::steady_clock::now();
  f();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
      .count();
}

double Median(std::vector<double> x) {
  std::sort(x.begin(), x.end());
  const size_t n = x.size();
  return n % 2 == 1 ? x[n / 2] : 0.5 * (x[n / 2 - 1] + x[n / 2]);
}

// Median over repetitions of interpreted time / native time, the two timed
// back to back (alternating which goes first).
template <typename Native, typename Interpreted>
double MeasureRatio(const char* name, int reps, Native native,
                    Interpreted interpreted) {
  native();  // Warm up (page faults, caches).
  interpreted();
  std::vector<double> ratios, tn, ti;
  for (int r = 0; r < reps; ++r) {
    double n, i;
    if (r % 2 == 0) {
      n = Seconds(native);
      i = Seconds(interpreted);
    } else {
      i = Seconds(interpreted);
      n = Seconds(native);
    }
    tn.push_back(n);
    ti.push_back(i);
    ratios.push_back(i / n);
  }
  std::printf(
      "%s: native median %.2f ms (min %.2f), interpreted median %.2f ms "
      "(min %.2f); ratio of minimums %.3f\n",
      name, 1e3 * Median(tn), 1e3 * *std::min_element(tn.begin(), tn.end()),
      1e3 * Median(ti), 1e3 * *std::min_element(ti.begin(), ti.end()),
      *std::min_element(ti.begin(), ti.end()) /
          *std::min_element(tn.begin(), tn.end()));
  return Median(ratios);
}

void MeasureRatios() {
  constexpr int kReps = 31;
  const ParameterLayout layout = ParameterLayout::Single(kParams);
  Buffers b(kParams);
  const int block_size = Interpreter::Options().block_size;

  std::unique_ptr<Interpreter> lion =
      MakeInterpreter(LoadProgram("hero_lion"), layout, block_size);
  const double lion_ratio = MeasureRatio(
      "lion", kReps,
      [&] {
        NativeLion(b.w.data(), b.g.data(), b.m.data(), kParams, kLr, kLam);
      },
      [&] {
        lion->Step(b.step(), {kLr, kLam}, true);
      });

  std::unique_ptr<Interpreter> adamw =
      MakeInterpreter(LoadProgram("adamw"), layout, block_size);
  const double adamw_ratio = MeasureRatio(
      "adamw", kReps,
      [&] {
        NativeAdamW(b.w.data(), b.g.data(), b.m.data(), b.v.data(), kParams,
                    kLr, kLam);
      },
      [&] {
        adamw->Step(b.step(), {kLr, kLam}, true);
      });

  std::printf("ratio interpreted_vs_native_lion=%.3f\n", lion_ratio);
  std::printf("ratio interpreted_vs_native_adamw=%.3f\n", adamw_ratio);
}

}  // namespace
}  // namespace hero

int main(int argc, char** argv) {
  hero::argv0 = argv[0];
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  std::fflush(stdout);
  hero::MeasureRatios();
  return 0;
}
