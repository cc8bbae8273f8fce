// Trains a small MLP (784-64-10, hero's proxy model) on Fashion-MNIST with
// the native Lion from src/optim: the model's parameters live in one flat
// buffer; the optimizer gets two parameter groups over it — weights with
// decoupled weight decay λ = 1, biases without — and the schedule's
// learning rate at every step.
//
//   bazel run -c opt //examples:native_lion -- 3000 /tmp/lion_state.pb
//
// Prints the training loss as it goes and the validation accuracy at the
// end, and saves the optimizer state (proto/optimizer_state.proto) to the
// second argument, if given, ready for LoadState to resume from.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/types/span.h"
#include "src/optim/lion.h"
#include "src/proxy/batch_sampler.h"
#include "src/proxy/fashion_mnist.h"
#include "src/proxy/mlp.h"
#include "src/proxy/schedule.h"

namespace {

template <typename T>
T OrDie(absl::StatusOr<T> x) {
  if (!x.ok()) {
    std::fprintf(stderr, "error: %s\n",
                 std::string(x.status().message()).c_str());
    std::exit(1);
  }
  return *std::move(x);
}

double Accuracy(hero::Model& model, const std::vector<float>& w,
                const hero::Dataset& data) {
  constexpr int kBatch = 500;
  std::vector<float> logits(kBatch * 10);
  int correct = 0;
  for (int start = 0; start < data.size(); start += kBatch) {
    const int n = std::min(kBatch, data.size() - start);
    model.Forward(w.data(), data.image(start), n, logits.data());
    for (int i = 0; i < n; ++i) {
      const float* row = &logits[i * 10];
      correct +=
          std::max_element(row, row + 10) - row == data.labels[start + i];
    }
  }
  return static_cast<double>(correct) / data.size();
}

}  // namespace

int main(int argc, char** argv) {
  const int steps = argc > 1 ? std::atoi(argv[1]) : 3000;
  constexpr int kBatch = 128;
  hero::FashionMnistOptions data_options;
  data_options.load_test = false;
  const hero::FashionMnist data = OrDie(hero::LoadFashionMnist(data_options));
  hero::MlpOptions mlp;
  mlp.hidden = {64};
  std::unique_ptr<hero::Model> model = OrDie(hero::MakeMlp(mlp, 500));

  // The model's weights and gradient, owned here; the optimizer's groups
  // point into them.
  std::vector<float> w(model->layout().size()), g(w.size());
  model->Init(/*seed=*/1, w.data());
  hero::optim::ParamGroup decayed, not_decayed;
  decayed.weight_decay = 1.0f;  // λ: 3-10x AdamW's, as the paper advises.
  for (const hero::Segment& s : model->layout().segments()) {
    hero::optim::ParamTensor t;
    t.name = s.name;
    t.weights = absl::MakeSpan(w.data() + s.offset, s.size);
    t.grads = absl::MakeConstSpan(g.data() + s.offset, s.size);
    (absl::EndsWith(s.name, ".bias") ? not_decayed : decayed)
        .tensors.push_back(t);
  }
  std::unique_ptr<hero::optim::Lion> lion =
      OrDie(hero::optim::Lion::Create({decayed, not_decayed}));

  hero::BatchSampler sampler =
      OrDie(hero::BatchSampler::Create(data.train.size(), kBatch, /*seed=*/2));
  std::vector<int32_t> indices(kBatch), labels(kBatch);
  std::vector<float> images(kBatch * hero::kFashionMnistPixels);
  const float peak_lr = 3e-4f;  // 3-10x smaller than AdamW's.
  double window = 0;
  for (int step = 0; step < steps; ++step) {
    sampler.Next(indices.data());
    hero::GatherBatch(data.train, indices, images.data(), labels.data());
    window += model->ForwardBackward(w.data(), images.data(), labels.data(),
                                     kBatch, g.data());
    const float lr = peak_lr * static_cast<float>(hero::LrFactor(
                                   step, steps, /*warmup_fraction=*/0.05,
                                   /*final_fraction=*/0.0));
    if (!lion->Step(lr).finite) {
      std::fprintf(stderr, "step %d: the update is not finite\n", step + 1);
      return 1;
    }
    if ((step + 1) % std::max(1, steps / 10) == 0) {
      std::printf("step %5d  loss %.4f\n", step + 1,
                  window / std::max(1, steps / 10));
      window = 0;
    }
  }
  std::printf("validation accuracy %.4f\n",
              Accuracy(*model, w, data.validation));
  if (argc > 2) {
    std::string bytes;
    lion->SaveState().SerializeToString(&bytes);
    std::ofstream(argv[2], std::ios::binary) << bytes;
    std::printf("optimizer state (%zu bytes) saved to %s\n", bytes.size(),
                argv[2]);
  }
  return 0;
}
