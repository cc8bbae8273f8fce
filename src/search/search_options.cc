#include "src/search/search_options.h"

#include <sys/stat.h>

#include <map>
#include <optional>
#include <string>

#include "absl/strings/str_cat.h"
#include "src/program/limits.h"
#include "src/program/ops.h"
#include "src/proxy/task.h"
#include "src/search/fitness_plan.h"

namespace hero {
namespace {

template <typename T>
void Range(const std::string& field, T value, T lo, T hi,
           std::vector<std::string>* problems) {
  if (!(value >= lo && value <= hi)) {
    problems->push_back(
        absl::StrCat(field, ": must be in [", lo, ", ", hi, "], got ", value));
  }
}

}  // namespace

void ValidateEvolutionConfig(const SearchConfig& config,
                             std::vector<std::string>* problems) {
  const EvolutionConfig& s = config.search();
  struct stat st;
  if (::stat(s.warm_start().c_str(), &st) != 0 || !S_ISREG(st.st_mode)) {
    problems->push_back(
        absl::StrCat("search.warm_start: ", s.warm_start(), ": no such file"));
  }
  Range<int32_t>("search.population_size", s.population_size(), 2, 1000000,
                 problems);
  Range<int32_t>("search.tournament_size", s.tournament_size(), 1,
                 std::max(1, s.population_size()), problems);
  Range<int32_t>("search.threads", s.threads(), 0, 1024, problems);
  Range<int32_t>("search.in_flight", s.in_flight(), 0, 100000, problems);
  Range<int64_t>("search.max_trained", s.max_trained(), 0, 1000000000,
                 problems);
  Range<int64_t>("search.max_generated", s.max_generated(), 0, 1000000000,
                 problems);
  Range<double>("search.max_seconds", s.max_seconds(), 0, 1e9, problems);
  if (s.max_trained() == 0 && s.max_generated() == 0 && s.max_seconds() == 0) {
    problems->push_back(
        "search: set a budget (max_trained, max_generated or max_seconds)");
  }
  Range<int64_t>("search.restart_after", s.restart_after(), 0, 1000000000,
                 problems);
  Range<int32_t>("search.top_k", s.top_k(), 1, 10000, problems);
  Range<int32_t>("search.log_every", s.log_every(), 1, 1000000, problems);

  const MutationConfig& m = s.mutation();
  for (const auto& [name, w] :
       {std::pair<const char*, double>{"insert_weight", m.insert_weight()},
        {"delete_weight", m.delete_weight()},
        {"modify_arg_weight", m.modify_arg_weight()},
        {"change_op_weight", m.change_op_weight()},
        {"wrap_weight", m.wrap_weight()}}) {
    Range<double>(absl::StrCat("search.mutation.", name), w, 0.0, 1e6,
                  problems);
  }
  if (m.insert_weight() + m.delete_weight() + m.modify_arg_weight() +
          m.change_op_weight() + m.wrap_weight() <=
      0) {
    problems->push_back("search.mutation: at least one weight must be > 0");
  }
  // A search never makes a program that its own readers would refuse.
  Range<int32_t>("search.mutation.max_statements", m.max_statements(), 1,
                 kMaxStatements, problems);
  Range<int32_t>("search.mutation.max_retries", m.max_retries(), 0, 100000,
                 problems);
  Range<double>("search.mutation.constant_probability",
                m.constant_probability(), 0.0, 1.0, problems);
  if (!(m.constant_log2_sigma() > 0 && m.constant_log2_sigma() <= 10)) {
    problems->push_back(absl::StrCat(
        "search.mutation.constant_log2_sigma: must be in (0, 10], got ",
        m.constant_log2_sigma()));
  }
  // Sorted, so that the messages come in a fixed order.
  std::map<std::string, double> op_weights(m.op_weights().begin(),
                                           m.op_weights().end());
  for (const auto& [name, w] : op_weights) {
    const std::optional<OpCode> op = FindOp(name);
    if (!op.has_value() || GetOpInfo(*op).arity == 0 ||
        GetOpInfo(*op).name != name) {
      problems->push_back(absl::StrCat("search.mutation.op_weights: \"", name,
                                       "\" is not the function name of an op"));
      continue;
    }
    Range<double>(absl::StrCat("search.mutation.op_weights[\"", name, "\"]"), w,
                  0.0, 1e6, problems);
  }
  Range<int64_t>("search.cache.capacity", s.cache().capacity(), 1, 100000000,
                 problems);
  Range<int32_t>("search.cache.fingerprint_steps",
                 s.cache().fingerprint_steps(), 1, 100, problems);
  Range<int32_t>("search.funnel.top_k", s.funnel().top_k(), 1, 1000, problems);
  ValidateFitnessConfig(config, problems);
  for (int i = 0; i < s.funnel().tasks_size(); ++i) {
    ValidateTaskConfig(s.funnel().tasks(i),
                       absl::StrCat("search.funnel.tasks[", i, "]"), problems);
  }
}

MutatorOptions MutatorOptionsFrom(const EvolutionConfig& config) {
  const MutationConfig& m = config.mutation();
  MutatorOptions o;
  o.insert_weight = m.insert_weight();
  o.delete_weight = m.delete_weight();
  o.modify_arg_weight = m.modify_arg_weight();
  o.change_op_weight = m.change_op_weight();
  o.max_statements = m.max_statements();
  o.max_retries = m.max_retries();
  o.constant_probability = m.constant_probability();
  o.wrap_weight = m.wrap_weight();
  o.constant_log2_sigma = m.constant_log2_sigma();
  o.require_lr = m.require_lr();
  if (!m.op_weights().empty()) {
    o.op_weights.assign(kNumOps, 1.0);
    for (const auto& [name, w] : m.op_weights()) {
      if (std::optional<OpCode> op = FindOp(name); op.has_value()) {
        o.op_weights[static_cast<int>(*op)] = w;
      }
    }
  }
  return o;
}

FitnessCacheOptions CacheOptionsFrom(const EvolutionConfig& config) {
  FitnessCacheOptions o;
  o.capacity = config.cache().capacity();
  return o;
}

FingerprintOptions FingerprintOptionsFrom(const EvolutionConfig& config) {
  FingerprintOptions o;
  o.steps = config.cache().fingerprint_steps();
  return o;
}

SearchConfig SearchIdentity(const SearchConfig& config) {
  SearchConfig c = config;
  EvolutionConfig* s = c.mutable_search();
  s->clear_max_trained();
  s->clear_max_generated();
  s->clear_max_seconds();
  s->clear_threads();
  s->clear_in_flight();
  s->clear_log_every();
  s->clear_top_k();
  s->clear_funnel();
  c.clear_tune();
  return c;
}

}  // namespace hero
