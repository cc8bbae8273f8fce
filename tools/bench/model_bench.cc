// Speed of the proxy models' training step (forward + backward, no optimizer)
// and of inference, in examples/s, single thread. Compare with
// tools/bench/pytorch_models.py, which times the same architectures in
// PyTorch:
//
//   bazel run //tools/bench:model_bench -- --benchmark_filter=Batch/128
//   /usr/bin/python3 tools/bench/pytorch_models.py
#include <cstdint>
#include <memory>
#include <random>
#include <vector>

#include "absl/status/statusor.h"
#include "benchmark/benchmark.h"
#include "src/proxy/mlp.h"
#include "src/proxy/model.h"
#include "src/proxy/vit.h"

namespace hero {
namespace {

struct Fixture {
  explicit Fixture(std::unique_ptr<Model> m, int batch) : model(std::move(m)) {
    const int64_t size = model->layout().size();
    params.resize(size);
    grads.resize(size);
    model->Init(/*seed=*/1, params.data());
    std::mt19937 rng(0);
    std::normal_distribution<float> pixel;
    images.resize(int64_t{batch} * 784);
    for (float& x : images) x = pixel(rng);
    labels.resize(batch);
    for (int32_t& y : labels) y = static_cast<int32_t>(rng() % 10);
    logits.resize(int64_t{batch} * model->num_classes());
  }
  std::unique_ptr<Model> model;
  std::vector<float> params, grads, images, logits;
  std::vector<int32_t> labels;
};

std::unique_ptr<Model> Unwrap(absl::StatusOr<std::unique_ptr<Model>> model) {
  if (!model.ok()) std::abort();
  return *std::move(model);
}

void RunTrainStep(benchmark::State& state, std::unique_ptr<Model> model) {
  const int batch = static_cast<int>(state.range(0));
  Fixture f(std::move(model), batch);
  for (auto _ : state) {
    float loss =
        f.model->ForwardBackward(f.params.data(), f.images.data(),
                                 f.labels.data(), batch, f.grads.data());
    benchmark::DoNotOptimize(loss);
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(state.iterations() * batch);
}

void RunForward(benchmark::State& state, std::unique_ptr<Model> model) {
  const int batch = static_cast<int>(state.range(0));
  Fixture f(std::move(model), batch);
  for (auto _ : state) {
    f.model->Forward(f.params.data(), f.images.data(), batch, f.logits.data());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(state.iterations() * batch);
}

MlpOptions Mlp(Activation activation) {
  MlpOptions options;
  options.activation = activation;
  return options;
}

void BM_MlpReluTrainStep(benchmark::State& state) {
  RunTrainStep(state, Unwrap(MakeMlp(Mlp(Activation::kRelu), state.range(0))));
}
void BM_MlpGeluTrainStep(benchmark::State& state) {
  RunTrainStep(state, Unwrap(MakeMlp(Mlp(Activation::kGelu), state.range(0))));
}
void BM_VitTrainStep(benchmark::State& state) {
  RunTrainStep(state, Unwrap(MakeVit(VitOptions{}, state.range(0))));
}
void BM_MlpReluForward(benchmark::State& state) {
  RunForward(state, Unwrap(MakeMlp(Mlp(Activation::kRelu), state.range(0))));
}
void BM_VitForward(benchmark::State& state) {
  RunForward(state, Unwrap(MakeVit(VitOptions{}, state.range(0))));
}

BENCHMARK(BM_MlpReluTrainStep)->ArgName("Batch")->Arg(32)->Arg(128)->Arg(512);
BENCHMARK(BM_MlpGeluTrainStep)->ArgName("Batch")->Arg(128);
BENCHMARK(BM_VitTrainStep)->ArgName("Batch")->Arg(8)->Arg(32)->Arg(128);
BENCHMARK(BM_MlpReluForward)->ArgName("Batch")->Arg(128)->Arg(1000);
BENCHMARK(BM_VitForward)->ArgName("Batch")->Arg(128)->Arg(1000);

}  // namespace
}  // namespace hero
