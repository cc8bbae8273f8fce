#include "src/proxy/task.h"

#include <sys/stat.h>

#include <cmath>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace hero {
namespace {

class Problems {
 public:
  Problems(const std::string& path, std::vector<std::string>* out)
      : path_(path), out_(out) {}

  void Add(const std::string& field, const std::string& message) {
    out_->push_back(absl::StrCat(path_, ".", field, ": ", message));
  }
  template <typename T>
  void Range(const std::string& field, T value, T lo, T hi) {
    if (!(value >= lo && value <= hi)) {
      Add(field, absl::StrCat("must be in [", lo, ", ", hi, "], got ", value));
    }
  }

 private:
  std::string path_;
  std::vector<std::string>* out_;
};

bool IsDirectory(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

bool IsFile(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

}  // namespace

std::string TaskSpec::ModelDescription() const {
  if (model_kind == ModelKind::kVit) {
    return absl::StrCat("vit dim ", vit.dim, " depth ", vit.depth, " heads ",
                        vit.heads, " mlp ", vit.mlp_dim, " patch ",
                        vit.patch_size);
  }
  return absl::StrCat("mlp ", mlp.input_dim, "-",
                      absl::StrJoin(mlp.hidden, "-"),
                      mlp.hidden.empty() ? "" : "-", mlp.num_classes, " ",
                      ActivationName(mlp.activation));
}

void ValidateTaskConfig(const TaskConfig& config, const std::string& path,
                        std::vector<std::string>* problems) {
  Problems p(path, problems);
  const DataConfig& data = config.data();
  if (!IsDirectory(data.data_dir())) {
    p.Add("data.data_dir",
          absl::StrCat(data.data_dir(),
                       ": no such directory (install the data with "
                       "`apt-get install dataset-fashion-mnist`)"));
  } else {
    for (const char* f :
         {"train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
          "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"}) {
      const std::string file = absl::StrCat(data.data_dir(), "/", f);
      if (!IsFile(file)) {
        p.Add("data.data_dir",
              absl::StrCat(file,
                           ": no such file (install the data with "
                           "`apt-get install dataset-fashion-mnist`)"));
      }
    }
  }
  p.Range("data.train_examples", data.train_examples(), 0,
          kFashionMnistTrainSplit);
  p.Range("data.validation_examples", data.validation_examples(), 0,
          kFashionMnistValidationSplit);
  p.Range("data.test_examples", data.test_examples(), 0,
          kFashionMnistTestSplit);

  if (config.model().has_vit()) {
    const VitConfig& vit = config.model().vit();
    p.Range("model.vit.patch_size", vit.patch_size(), 1, 28);
    if (vit.patch_size() >= 1 && 28 % vit.patch_size() != 0) {
      p.Add("model.vit.patch_size",
            absl::StrCat("must divide 28, got ", vit.patch_size()));
    }
    p.Range("model.vit.dim", vit.dim(), 1, 4096);
    p.Range("model.vit.depth", vit.depth(), 1, 64);
    p.Range("model.vit.heads", vit.heads(), 1, 64);
    p.Range("model.vit.mlp_dim", vit.mlp_dim(), 1, 16384);
    if (vit.heads() >= 1 && vit.dim() % vit.heads() != 0) {
      p.Add("model.vit.heads", absl::StrCat("must divide dim (", vit.dim(),
                                            "), got ", vit.heads()));
    }
  } else {
    const MlpConfig& mlp = config.model().mlp();
    for (int i = 0; i < mlp.hidden_size(); ++i) {
      p.Range(absl::StrCat("model.mlp.hidden[", i, "]"), mlp.hidden(i), 1,
              16384);
    }
  }

  const TrainConfig& t = config.train();
  p.Range("train.steps", t.steps(), 1, 100000000);
  p.Range("train.batch_size", t.batch_size(), 1, 4096);
  p.Range("train.peak_lr", t.peak_lr(), 0.0, 1e3);
  p.Range("train.lam", t.lam(), 0.0, 1e3);
  p.Range("train.warmup_fraction", t.warmup_fraction(), 0.0, 1.0);
  p.Range("train.final_lr_fraction", t.final_lr_fraction(), 0.0, 1.0);
  if (!(t.max_loss() > 0)) {
    p.Add("train.max_loss", absl::StrCat("must be > 0, got ", t.max_loss()));
  }
  p.Range("train.curve_points", t.curve_points(), 0, 10000);
  p.Range("train.eval_batch_size", t.eval_batch_size(), 1, 10000);
  if (t.seeds_size() > 1000) {
    p.Add("train.seeds",
          absl::StrCat("at most 1000 seeds, got ", t.seeds_size()));
  }
}

absl::StatusOr<TaskSpec> MakeTaskSpec(const TaskConfig& config,
                                      const std::string& path) {
  std::vector<std::string> problems;
  ValidateTaskConfig(config, path, &problems);
  if (!problems.empty()) {
    return absl::InvalidArgumentError(absl::StrJoin(problems, "\n"));
  }
  TaskSpec spec;
  spec.name = config.name();
  const DataConfig& data = config.data();
  spec.data.data_dir = data.data_dir();
  spec.data.train_examples = data.train_examples();
  spec.data.validation_examples = data.validation_examples();
  spec.data.test_examples = data.test_examples();
  spec.data.subsample_seed = data.subsample_seed();
  if (config.model().has_vit()) {
    const VitConfig& vit = config.model().vit();
    spec.model_kind = TaskSpec::ModelKind::kVit;
    spec.vit.patch_size = vit.patch_size();
    spec.vit.dim = vit.dim();
    spec.vit.depth = vit.depth();
    spec.vit.heads = vit.heads();
    spec.vit.mlp_dim = vit.mlp_dim();
  } else {
    const MlpConfig& mlp = config.model().mlp();
    spec.model_kind = TaskSpec::ModelKind::kMlp;
    if (mlp.hidden_size() > 0) {
      spec.mlp.hidden.assign(mlp.hidden().begin(), mlp.hidden().end());
    }
    spec.mlp.activation = mlp.activation() == MlpConfig::GELU
                              ? Activation::kGelu
                              : Activation::kRelu;
  }
  const TrainConfig& t = config.train();
  spec.steps = t.steps();
  spec.batch_size = t.batch_size();
  spec.peak_lr = t.peak_lr();
  spec.lam = t.lam();
  spec.warmup_fraction = t.warmup_fraction();
  spec.final_lr_fraction = t.final_lr_fraction();
  spec.seeds.assign(t.seeds().begin(), t.seeds().end());
  if (spec.seeds.empty()) spec.seeds = {1};
  spec.max_loss = t.max_loss();
  spec.curve_points = t.curve_points();
  spec.eval_batch_size = t.eval_batch_size();
  return spec;
}

absl::StatusOr<std::unique_ptr<Model>> MakeModel(const TaskSpec& spec,
                                                 int max_batch) {
  if (spec.model_kind == TaskSpec::ModelKind::kVit) {
    return MakeVit(spec.vit, max_batch);
  }
  return MakeMlp(spec.mlp, max_batch);
}

}  // namespace hero
