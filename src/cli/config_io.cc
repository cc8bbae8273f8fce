#include "src/cli/config_io.h"

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "google/protobuf/io/tokenizer.h"
#include "google/protobuf/text_format.h"
#include "src/proxy/task.h"
#include "src/search/search_options.h"
#include "src/util/atomic_file.h"

namespace hero {
namespace {

class Collector : public google::protobuf::io::ErrorCollector {
 public:
  explicit Collector(std::string file) : file_(std::move(file)) {}
  void AddError(int line, int column, const std::string& message) override {
    errors_.push_back(
        absl::StrCat(file_, ":", line + 1, ":", column + 1, ": ", message));
  }
  void AddWarning(int line, int column, const std::string& message) override {}
  const std::vector<std::string>& errors() const { return errors_; }

 private:
  std::string file_;
  std::vector<std::string> errors_;
};

void ValidateTune(const TuneConfig& tune, std::vector<std::string>* problems) {
  for (const auto& [field, size] :
       {std::pair<const char*, int>{"tune.lr", tune.lr_size()},
        {"tune.lam", tune.lam_size()}}) {
    if (size > kMaxGridValues) {
      problems->push_back(absl::StrCat(field, ": ", size,
                                       " values, more than the grid limit of ",
                                       kMaxGridValues));
    }
  }
  for (int i = 0; i < tune.lr_size(); ++i) {
    if (!(tune.lr(i) > 0 && tune.lr(i) <= 1e3)) {
      problems->push_back(absl::StrCat(
          "tune.lr[", i, "]: must be in (0, 1000], got ", tune.lr(i)));
    }
  }
  for (int i = 0; i < tune.lam_size(); ++i) {
    if (!(tune.lam(i) >= 0 && tune.lam(i) <= 1e3)) {
      problems->push_back(absl::StrCat(
          "tune.lam[", i, "]: must be in [0, 1000], got ", tune.lam(i)));
    }
  }
}

}  // namespace

absl::StatusOr<SearchConfig> ReadSearchConfig(const std::string& path,
                                              const ConfigCheck& check) {
  absl::StatusOr<std::string> text =
      ReadFile(path, ReadFileLimit{kMaxConfigBytes, "the config size limit"});
  if (!text.ok()) return absl::InvalidArgumentError(text.status().message());
  return ParseSearchConfig(*text, path, check);
}

absl::StatusOr<SearchConfig> ParseSearchConfig(absl::string_view text,
                                               const std::string& path,
                                               const ConfigCheck& check) {
  if (static_cast<int64_t>(text.size()) > kMaxConfigBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": larger than the config size limit of ",
                     kMaxConfigBytes, " bytes"));
  }
  absl::ConsumePrefix(&text, "\xEF\xBB\xBF");
  SearchConfig config;
  google::protobuf::TextFormat::Parser parser;
  Collector collector(path);
  parser.RecordErrorsTo(&collector);
  if (!parser.ParseFromString(std::string(text), &config)) {
    return absl::InvalidArgumentError(
        collector.errors().empty() ? absl::StrCat(path, ": malformed config")
                                   : absl::StrJoin(collector.errors(), "\n"));
  }
  std::vector<std::string> problems;
  ValidateTaskConfig(config.task(), "task", &problems);
  ValidateTune(config.tune(), &problems);
  if (check.check_search) {
    const int funnel_tasks = config.search().funnel().tasks_size();
    if (funnel_tasks > kMaxFunnelTasks) {
      problems.push_back(absl::StrCat("search.funnel.tasks: ", funnel_tasks,
                                      " tasks, more than the funnel limit of ",
                                      kMaxFunnelTasks));
      // The rest of `search`, without listing a problem per funnel task.
      SearchConfig rest = config;
      rest.mutable_search()->mutable_funnel()->clear_tasks();
      ValidateEvolutionConfig(rest, &problems);
    } else {
      ValidateEvolutionConfig(config, &problems);
    }
  }
  if (!problems.empty()) {
    for (std::string& p : problems) p = absl::StrCat(path, ": ", p);
    return absl::InvalidArgumentError(absl::StrJoin(problems, "\n"));
  }
  return config;
}

std::vector<double> TuneLrGrid(const SearchConfig& config) {
  if (config.tune().lr_size() > 0) {
    return {config.tune().lr().begin(), config.tune().lr().end()};
  }
  return {1e-4, 3e-4, 1e-3, 3e-3, 1e-2};
}

std::vector<double> TuneLamGrid(const SearchConfig& config) {
  if (config.tune().lam_size() > 0) {
    return {config.tune().lam().begin(), config.tune().lam().end()};
  }
  return {0.01, 0.03, 0.1, 0.3, 1.0, 3.0};
}

}  // namespace hero
