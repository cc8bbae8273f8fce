// Fuzz target: what a gRPC worker (`hero worker`, WorkerService::Evaluate)
// does with the bytes of a request, up to (not including) training.
//
// Input: the bytes of an EvaluateRequest as gRPC hands them to the worker.
// The code under test is the worker's path in order: protobuf parsing;
// ValidateRequest (the task validated as a config file with the worker's
// data directory, the request's own fields, the worker's seed and memory
// limits, then the program re-parsed and re-analysed); and, for a request
// it accepts, what Trainer::Create and Trainer::Evaluate build before the
// first step: the model for the task at the larger of its two batch sizes
// and the program's optimizer (optim::ProgramOptimizer, one parameter group
// with weight decay λ over the model's flat weights, as the trainer makes
// it). Loading Fashion-MNIST is left out: it reads the Debian files, not
// the request (their reader is the `idx` target), and would cost seconds
// per input; the oracle below checks the subset counts it would be given.
//
// Oracles: a refused request is InvalidArgument with a message (what the
// worker turns into INVALID_ARGUMENT); an accepted one has the worker's own
// data directory, data subset counts the loader accepts, a program that
// analyses, finite lr and λ in range, between 1 and max_seeds seeds, a
// memory estimate within the limit that covers at least the weights,
// gradient and two state buffers of the model really built, and a program
// that compiles into an optimizer over that model.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/types/span.h"
#include "google/protobuf/stubs/logging.h"
#include "proto/worker.pb.h"
#include "src/distributed/request_validation.h"
#include "src/interpreter/parameter_layout.h"
#include "src/optim/optimizer.h"
#include "src/optim/program_optimizer.h"
#include "src/program/analysis.h"
#include "src/proxy/fashion_mnist.h"
#include "src/proxy/model.h"
#include "src/proxy/task.h"
#include "tests/fuzz/fuzz_util.h"

namespace hero {
namespace {

// The worker's default is 8 GiB; the fuzzer's must stay inside libFuzzer's
// -rss_limit_mb (2 GiB in tools/fuzz.sh) with the model built below.
constexpr int64_t kMaxTaskBytes = int64_t{256} << 20;

void CheckAccepted(const EvaluateRequest& request, const ValidatedRequest& v,
                   const WorkerLimits& limits) {
  FuzzRequire(v.task.data().data_dir() == kDefaultFashionMnistDir,
              "an accepted task does not read the worker's data directory",
              v.task.data().data_dir());
  const FashionMnistOptions& data = v.spec.data;
  FuzzRequire(data.train_examples >= 0 &&
                  data.train_examples <= kFashionMnistTrainSplit &&
                  data.validation_examples >= 0 &&
                  data.validation_examples <= kFashionMnistValidationSplit &&
                  data.test_examples >= 0 &&
                  data.test_examples <= kFashionMnistTestSplit,
              "an accepted task asks for a subset the data loader refuses");
  FuzzRequire(Analyze(v.request.program).ok(),
              "an accepted program does not analyse");
  FuzzRequire(std::isfinite(v.request.peak_lr) && v.request.peak_lr >= 0 &&
                  v.request.peak_lr <= 1e3 && std::isfinite(v.request.lam) &&
                  v.request.lam >= 0 && v.request.lam <= 1e3,
              "an accepted request has lr or λ out of range",
              absl::StrCat(v.request.peak_lr, " ", v.request.lam));
  // The seeds Trainer::Evaluate trains with.
  const size_t seeds =
      v.request.seeds.empty() ? v.spec.seeds.size() : v.request.seeds.size();
  FuzzRequire(seeds >= 1 && seeds <= static_cast<size_t>(limits.max_seeds),
              "an accepted request trains no seed or too many",
              absl::StrCat(seeds));
  FuzzRequire(
      v.request.seeds.size() == static_cast<size_t>(request.seeds_size()),
      "the request's seeds were not passed on");

  const int64_t estimate = TaskFootprintBytes(v.spec);
  FuzzRequire(estimate <= limits.max_task_bytes,
              "an accepted task is over the memory limit",
              absl::StrCat(estimate));
  // Trainer::Create.
  absl::StatusOr<std::unique_ptr<Model>> model =
      MakeModel(v.spec, std::max(v.spec.batch_size, v.spec.eval_batch_size));
  FuzzRequire(model.ok(), "an accepted task has no model",
              model.ok() ? "" : model.status().ToString());
  const ParameterLayout& layout = (*model)->layout();
  const int64_t parameters = static_cast<int64_t>(layout.size());
  FuzzRequire(parameters > 0, "the model has no parameters");
  FuzzRequire(estimate >= 4 * int64_t{sizeof(float)} * parameters,
              "the memory estimate is below the model's w, g, m and v",
              absl::StrCat(estimate, " < 16 * ", parameters));
  // Trainer::Evaluate, before the first seed: the optimizer.
  std::vector<float> w(layout.size()), g(layout.size());
  optim::ParamGroup group;
  group.weight_decay = static_cast<float>(v.request.lam);
  for (const Segment& s : layout.segments()) {
    group.tensors.push_back({s.name,
                             absl::MakeSpan(w.data() + s.offset, s.size),
                             absl::MakeConstSpan(g.data() + s.offset, s.size)});
  }
  std::vector<optim::ParamGroup> groups;
  groups.push_back(std::move(group));
  absl::StatusOr<std::unique_ptr<optim::ProgramOptimizer>> optimizer =
      optim::ProgramOptimizer::Create(v.request.program, std::move(groups));
  FuzzRequire(optimizer.ok(), "an accepted program makes no optimizer",
              optimizer.ok() ? "" : optimizer.status().ToString());
}

}  // namespace
}  // namespace hero

// protobuf logs every string field with invalid UTF-8 that the wire parser
// refuses; the refusal is what matters, the log only slows the fuzzer.
extern "C" int LLVMFuzzerInitialize(int*, char***) {
  google::protobuf::SetLogHandler(nullptr);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace hero;
  EvaluateRequest request;
  if (!request.ParseFromArray(data, static_cast<int>(size))) return 0;
  WorkerLimits limits;
  limits.max_task_bytes = kMaxTaskBytes;
  absl::StatusOr<ValidatedRequest> v =
      ValidateRequest(request, kDefaultFashionMnistDir, limits);
  if (!v.ok()) {
    FuzzRequire(v.status().code() == absl::StatusCode::kInvalidArgument &&
                    !v.status().message().empty(),
                "a refused request is not InvalidArgument with a message",
                v.status().ToString());
    return 0;
  }
  CheckAccepted(request, *v, limits);
  return 0;
}
