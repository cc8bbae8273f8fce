// Speed of the native optimizers (src/optim) on 10M float32 parameters (one
// tensor), one thread unless said otherwise, against what bounds them and
// against their peers, all measured in this one run:
//
//   bazel run -c opt //tools/bench:optim_bench
//
//   ratio native_lion_vs_memory_traffic=T(traffic) / T(Lion): a loop that
//       only moves Lion's bytes (reads w, g, m; writes w, m) against Lion.
//   ratio native_lion_vs_native_adamw=T(AdamW) / T(Lion) (28 vs 20 bytes
//       per parameter).
//   ratio native_lion_bf16_vs_fp32=T(float32 momentum) / T(bfloat16).
//   ratio native_lion_vs_pytorch_eager_lion=T(PyTorch) / T(Lion): the eager
//       Lion of tools/bench/pytorch_lion.py on one thread.
//   ratio native_vs_interpreted_lion=T(Lion) / T(interpreter running
//       configs/programs/hero_lion.py).
//
// The native kernels are timed in interleaved rounds (each round runs every
// variant once, in rotating order, so drift on a shared machine hits all
// alike) and each ratio is the median of the per-round ratios. The PyTorch
// peer (spawned /usr/bin/python3, torch.set_num_threads(1)) reports its
// median step time, for the eager Lion and for the HeroLion that
// `hero export --to=pytorch` writes, and is compared with the native
// median. Also printed: Lion on 2 threads, and what memory allows for the
// AdamW and bfloat16 ratios (loops that only move their bytes).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "src/export/exporter.h"
#include "src/optim/adamw.h"
#include "src/optim/lion.h"
#include "src/optim/program_optimizer.h"
#include "src/program/program_proto.h"

namespace hero {
namespace {

constexpr int64_t kParams = 10'000'000;
constexpr int kRounds = 61;
constexpr float kLr = 1e-4f;

std::string argv0;

// `bazel run` starts in the runfiles tree; a directly run binary finds it
// next to itself.
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

template <typename T>
T Check(absl::StatusOr<T> x) {
  if (!x.ok()) {
    std::fprintf(stderr, "%s\n", x.status().ToString().c_str());
    std::exit(1);
  }
  return *std::move(x);
}

// Parameters and a gradient, and the optimizer's group over them.
struct Model {
  Model() : w(kParams), g(kParams) {
    std::mt19937 rng(42);
    std::normal_distribution<float> normal;
    for (int64_t i = 0; i < kParams; ++i) {
      w[i] = normal(rng);
      g[i] = normal(rng);
    }
  }
  std::vector<optim::ParamGroup> Groups() {
    optim::ParamGroup group;
    group.weight_decay = 0.1f;
    group.tensors.push_back(
        {"w", absl::MakeSpan(w), absl::MakeConstSpan(g), {}});
    return {group};
  }
  std::vector<float> w, g;
};

// Reads w, g, m and writes w, m: Lion's memory traffic with no arithmetic
// to speak of.
void MemoryTraffic(float* __restrict w, const float* __restrict g,
                   float* __restrict m, int64_t n) {
  for (int64_t i = 0; i < n; ++i) {
    const float x = g[i];
    w[i] = w[i] + x;
    m[i] = m[i] - x;
  }
}

// AdamW's traffic: reads w, g, m, v; writes w, m, v.
void MemoryTrafficAdamW(float* __restrict w, const float* __restrict g,
                        float* __restrict m, float* __restrict v, int64_t n) {
  for (int64_t i = 0; i < n; ++i) {
    const float x = g[i];
    w[i] = w[i] + x;
    m[i] = m[i] - x;
    v[i] = v[i] + x;
  }
}

// bfloat16 Lion's traffic: m has 2 bytes per parameter.
void MemoryTrafficBf16(float* __restrict w, const float* __restrict g,
                       uint16_t* __restrict m, int64_t n) {
  for (int64_t i = 0; i < n; ++i) {
    const float x = g[i];
    w[i] = w[i] + x;
    m[i] = static_cast<uint16_t>(m[i] + 1);
  }
}

double Seconds(const std::function<void()>& f) {
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

struct Variant {
  std::string name;
  std::function<void()> run;
  std::vector<double> seconds;
};

// The PyTorch peers: {eager_lion_ms, exported_lion_ms}, or {-1, -1}.
std::pair<double, double> RunPyTorchPeers() {
  const std::string dir =
      (std::filesystem::temp_directory_path() / "hero_optim_bench").string();
  std::filesystem::create_directories(dir);
  const Program program =
      Check(ReadProgramFile(RunfilesPath("configs/programs/hero_lion.py")));
  ExportOptions options;
  options.target = ExportTarget::kPyTorch;
  options.name = "HeroLion";
  options.command = "optim_bench";
  const std::string exported = dir + "/hero_lion_export.py";
  std::ofstream(exported) << Check(ExportProgram(program, options));
  const std::string out = dir + "/peers.txt";
  const std::string command =
      "/usr/bin/python3 " + RunfilesPath("tools/bench/pytorch_lion.py") + " " +
      std::to_string(kParams) + " 21 " + exported + " > " + out;
  std::pair<double, double> result = {-1, -1};
  if (std::system(command.c_str()) == 0) {
    std::ifstream in(out);
    std::string line;
    while (std::getline(in, line)) {
      const size_t eq = line.find('=');
      if (eq == std::string::npos) continue;
      const double ms = std::stod(line.substr(eq + 1));
      if (line.rfind("eager_lion_ms", 0) == 0) result.first = ms;
      if (line.rfind("exported_lion_ms", 0) == 0) result.second = ms;
    }
  } else {
    std::fprintf(stderr, "PyTorch peer failed: %s\n", command.c_str());
  }
  std::filesystem::remove_all(dir);
  return result;
}

int Main() {
  Model lion_model, bf16_model, threads_model, adamw_model, interp_model,
      traffic_model;
  std::unique_ptr<optim::Optimizer> lion =
      Check(optim::Lion::Create(lion_model.Groups()));
  optim::LionOptions bf16_options;
  bf16_options.momentum_precision = optim::Precision::kBfloat16;
  std::unique_ptr<optim::Optimizer> lion_bf16 =
      Check(optim::Lion::Create(bf16_model.Groups(), bf16_options));
  optim::LionOptions threaded;
  threaded.threading.num_threads = 2;
  std::unique_ptr<optim::Optimizer> lion_2t =
      Check(optim::Lion::Create(threads_model.Groups(), threaded));
  std::unique_ptr<optim::Optimizer> adamw =
      Check(optim::AdamW::Create(adamw_model.Groups()));
  std::unique_ptr<optim::Optimizer> interpreted =
      Check(optim::ProgramOptimizer::Create(
          Check(ReadProgramFile(RunfilesPath("configs/programs/hero_lion.py"))),
          interp_model.Groups()));
  std::vector<float> traffic_m(kParams, 0.0f), traffic_v(kParams, 0.0f);
  std::vector<uint16_t> traffic_m16(kParams, 0);

  std::vector<Variant> variants = {
      {"memory traffic (read w g m, write w m)",
       [&] {
         MemoryTraffic(traffic_model.w.data(), traffic_model.g.data(),
                       traffic_m.data(), kParams);
       }},
      {"native Lion", [&] { lion->Step(kLr); }},
      {"native Lion, bfloat16 momentum", [&] { lion_bf16->Step(kLr); }},
      {"native Lion, 2 threads", [&] { lion_2t->Step(kLr); }},
      {"native AdamW", [&] { adamw->Step(kLr); }},
      {"interpreted hero_lion.py", [&] { interpreted->Step(kLr); }},
      {"memory traffic of AdamW (w g m v; w m v)",
       [&] {
         MemoryTrafficAdamW(traffic_model.w.data(), traffic_model.g.data(),
                            traffic_m.data(), traffic_v.data(), kParams);
       }},
      {"memory traffic of bfloat16 Lion",
       [&] {
         MemoryTrafficBf16(traffic_model.w.data(), traffic_model.g.data(),
                           traffic_m16.data(), kParams);
       }},
  };
  for (Variant& v : variants) v.run();  // Warm-up: page faults, caches.
  for (int round = 0; round < kRounds; ++round) {
    for (size_t k = 0; k < variants.size(); ++k) {
      Variant& v = variants[(round + k) % variants.size()];
      v.seconds.push_back(Seconds(v.run));
    }
  }
  const std::pair<double, double> peers = RunPyTorchPeers();

  std::printf("one step on %lld float32 parameters (one tensor), %d rounds:\n",
              static_cast<long long>(kParams), kRounds);
  for (const Variant& v : variants) {
    std::printf("  %-40s median %7.2f ms  min %7.2f ms\n", v.name.c_str(),
                1e3 * Median(v.seconds),
                1e3 * *std::min_element(v.seconds.begin(), v.seconds.end()));
  }
  std::printf("  %-40s median %7.2f ms\n", "PyTorch eager Lion (1 thread)",
              peers.first);
  std::printf("  %-40s median %7.2f ms\n",
              "PyTorch exported HeroLion (1 thread)", peers.second);
  // Median over rounds of the ratio of two variants' times in that round.
  auto ratio = [&](int num, int den) {
    std::vector<double> r;
    for (int i = 0; i < kRounds; ++i) {
      r.push_back(variants[num].seconds[i] / variants[den].seconds[i]);
    }
    return Median(r);
  };
  const double lion_ms = 1e3 * Median(variants[1].seconds);
  std::printf("ratio native_lion_2_threads_speedup=%.3f\n", ratio(1, 3));
  std::printf("ratio native_lion_vs_memory_traffic=%.3f\n", ratio(0, 1));
  std::printf("ratio native_lion_vs_native_adamw=%.3f\n", ratio(4, 1));
  std::printf("ratio native_lion_bf16_vs_fp32=%.3f\n", ratio(1, 2));
  std::printf("ratio native_lion_vs_pytorch_eager_lion=%.3f\n",
              peers.first / lion_ms);
  std::printf("ratio native_lion_vs_pytorch_exported_lion=%.3f\n",
              peers.second / lion_ms);
  std::printf("ratio native_vs_interpreted_lion=%.3f\n", ratio(1, 5));
  // What memory allows for the two ratios above it: the traffic loops.
  std::printf("ratio memory_traffic_adamw_vs_lion=%.3f\n", ratio(6, 0));
  std::printf("ratio memory_traffic_lion_fp32_vs_bf16=%.3f\n", ratio(0, 7));
  return 0;
}

}  // namespace
}  // namespace hero

int main(int argc, char** argv) {
  hero::argv0 = argv[0];
  return hero::Main();
}
