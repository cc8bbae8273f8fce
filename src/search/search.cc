#include "src/search/search.h"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "google/protobuf/text_format.h"
#include "google/protobuf/util/message_differencer.h"
#include "src/program/analysis.h"
#include "src/program/parser.h"
#include "src/program/printer.h"
#include "src/program/program_proto.h"
#include "src/program/structural_hash.h"
#include "src/search/search_options.h"

namespace hero {
namespace {

absl::Status MakeDirectories(const std::string& path) {
  std::string prefix;
  for (size_t i = 0; i <= path.size(); ++i) {
    if (i == path.size() || (path[i] == '/' && i > 0)) {
      prefix = path.substr(0, i);
      if (::mkdir(prefix.c_str(), 0755) != 0 && errno != EEXIST) {
        return absl::InvalidArgumentError(absl::StrCat(
            prefix, ": cannot create directory: ", std::strerror(errno)));
      }
    }
  }
  return absl::OkStatus();
}

std::string ConfigText(const SearchConfig& config) {
  std::string text;
  google::protobuf::TextFormat::PrintToString(config, &text);
  return text;
}

std::optional<uint64_t> ParseHex(const std::string& hex) {
  if (hex.empty()) return std::nullopt;
  return std::stoull(hex, nullptr, 16);
}

EvalResult CachedResult(const JournalRecord& r) {
  EvalResult result;
  result.set_status(r.status());
  result.set_val_accuracy(r.fitness());
  result.set_failure_reason(r.failure_reason());
  result.set_peak_lr(r.peak_lr());
  for (uint64_t s : r.seeds()) result.add_seeds(s);
  return result;
}

}  // namespace

absl::StatusOr<std::unique_ptr<EvolutionSearch>> EvolutionSearch::Create(
    const SearchConfig& config, const std::string& output_dir, bool resume,
    Deps deps, std::string* warning) {
  std::vector<std::string> problems;
  ValidateEvolutionConfig(config, &problems);
  if (!problems.empty()) {
    return absl::InvalidArgumentError(absl::StrJoin(problems, "\n"));
  }
  if (deps.pool == nullptr) {
    return absl::InvalidArgumentError("search: no evaluation pool");
  }
  if (config.search().funnel().tasks_size() > 0 && !deps.funnel_pool_factory) {
    return absl::InvalidArgumentError(
        "search: funnel tasks need a pool factory");
  }
  absl::StatusOr<Program> warm = ReadProgramFile(config.search().warm_start());
  if (!warm.ok()) return warm.status();
  if (config.search().mutation().require_lr()) {
    absl::StatusOr<Analysis> a = Analyze(*warm);
    if (a.ok() && !ReadsLive(*warm, *a, kLr)) {
      return absl::InvalidArgumentError(
          absl::StrCat("search.mutation.require_lr: the warm start ",
                       config.search().warm_start(), " does not read lr"));
    }
  }
  if (absl::Status s = MakeDirectories(output_dir); !s.ok()) return s;
  std::unique_ptr<EvolutionSearch> search(
      new EvolutionSearch(config, output_dir, std::move(deps)));
  search->warm_start_ = *std::move(warm);
  if (absl::Status s = search->StartOrResume(resume, warning); !s.ok()) {
    return s;
  }
  return search;
}

EvolutionSearch::EvolutionSearch(const SearchConfig& config,
                                 std::string output_dir, Deps deps)
    : config_(config),
      evo_(config.search()),
      dir_(std::move(output_dir)),
      deps_(std::move(deps)),
      mutator_(MutatorOptionsFrom(config.search())),
      fingerprinter_(FingerprintOptionsFrom(config.search())),
      plan_(FitnessPlanFrom(config)),
      cache_(CacheOptionsFrom(config.search())),
      population_(config.search().population_size()),
      rng_(config.search().seed()),
      session_start_(0) {
  if (!deps_.clock) {
    deps_.clock = [] {
      return std::chrono::duration<double>(
                 std::chrono::steady_clock::now().time_since_epoch())
          .count();
    };
  }
  session_start_ = deps_.clock();
}

double EvolutionSearch::Elapsed() const {
  return elapsed_before_ + (deps_.clock() - session_start_);
}

absl::Status EvolutionSearch::StartOrResume(bool resume, std::string* warning) {
  const std::string path = dir_ + "/journal";
  absl::StatusOr<JournalContents> contents = ReadJournal(path);
  if (!contents.ok()) return contents.status();
  if (!contents->records.empty() && !resume) {
    return absl::FailedPreconditionError(absl::StrCat(
        path, " already holds ", contents->records.size(),
        " records: pass --resume to continue that search, or choose another "
        "--output_dir"));
  }
  if (warning != nullptr) *warning = contents->warning;
  if (!contents->records.empty()) {
    if (absl::Status s = Replay(contents->records); !s.ok()) return s;
  }
  absl::StatusOr<JournalWriter> writer =
      JournalWriter::Open(path, contents->valid_bytes);
  if (!writer.ok()) return writer.status();
  journal_ = std::make_unique<JournalWriter>(*std::move(writer));
  JournalRecord mark;
  if (records_.empty()) {
    mark.set_kind(JournalRecord::HEADER);
    mark.set_config(ConfigText(config_));
  } else {
    mark.set_kind(JournalRecord::RESUME);
    mark.set_elapsed_seconds(elapsed_before_);
    mark.set_config(ConfigText(config_));
  }
  return Append(std::move(mark));
}

absl::Status EvolutionSearch::Replay(
    const std::vector<JournalRecord>& records) {
  const std::string path = dir_ + "/journal";
  if (records[0].kind() != JournalRecord::HEADER) {
    return absl::DataLossError(absl::StrCat(path, ":1: not a journal header"));
  }
  SearchConfig original;
  if (!google::protobuf::TextFormat::ParseFromString(records[0].config(),
                                                     &original)) {
    return absl::DataLossError(absl::StrCat(path, ":1: unreadable config"));
  }
  if (!google::protobuf::util::MessageDifferencer::Equals(
          SearchIdentity(original), SearchIdentity(config_))) {
    return absl::FailedPreconditionError(absl::StrCat(
        path,
        ": the search was started with a different config (only budgets, "
        "threads, in_flight, log_every, top_k and the funnel may change "
        "when resuming)"));
  }
  records_.push_back(records[0]);
  for (size_t i = 1; i < records.size(); ++i) {
    const JournalRecord& r = records[i];
    elapsed_before_ = std::max(elapsed_before_, r.elapsed_seconds());
    if (r.kind() == JournalRecord::RESUME) {
      records_.push_back(r);
      continue;
    }
    if (r.kind() == JournalRecord::RESTART) {
      if (best_.program == nullptr || best_.id != r.id()) {
        return absl::DataLossError(
            absl::StrCat(path, ":", i + 1, ": restart from ", r.id(),
                         " which is not the best so far"));
      }
      population_.Fill(best_);
      since_improvement_ = 0;
      ++restarts_;
      records_.push_back(r);
      continue;
    }
    if (r.status() == EvalResult::ERROR) {  // Not evaluated: see Complete().
      ++errors_;
      records_.push_back(r);
      next_id_ = std::max(next_id_, r.id() + 1);
      continue;
    }
    absl::StatusOr<Program> program =
        ParseProgram(r.program(), absl::StrCat(path, ":", i + 1));
    if (!program.ok()) return absl::DataLossError(program.status().message());
    absl::StatusOr<Analysis> analysis = Analyze(*program);
    if (!analysis.ok()) {
      return absl::DataLossError(analysis.status().message());
    }
    if (r.cache_hit().empty()) {
      training_runs_ += std::max(1, r.lr_fitness_size());
    }
    if (r.has_unconfirmed_fitness()) {
      ++training_runs_;
      ++confirmed_;
    }
    Member member;
    member.id = r.id();
    member.fitness = r.fitness();
    member.score = SelectionScore(r.fitness(), analysis->num_live(),
                                  plan_.options().size_penalty);
    member.program = std::make_shared<const Program>(*std::move(program));
    member.analysis = std::make_shared<const Analysis>(*std::move(analysis));
    member.hash = StructuralHash(*member.program, *member.analysis);
    if (r.cache_hit().empty()) {
      cache_.Insert(member.hash, ParseHex(r.fingerprint()), CachedResult(r));
    }
    if (r.kind() == JournalRecord::WARM_START) {
      warm_fitness_ = r.fitness();
      population_.Fill(member);
    }
    Admit(r, member);
    records_.push_back(r);
    next_id_ = std::max(next_id_, r.id() + 1);
  }
  // A fresh random stream for this session, fixed by the journal's length.
  rng_.seed(evo_.seed() ^ (0x9e3779b97f4a7c15ULL * (records.size() + 1)));
  return absl::OkStatus();
}

absl::Status EvolutionSearch::Append(JournalRecord record) {
  if (absl::Status s = journal_->Append(record); !s.ok()) return s;
  records_.push_back(std::move(record));
  return absl::OkStatus();
}

void EvolutionSearch::Admit(const JournalRecord& record, const Member& member) {
  const bool trained = record.cache_hit().empty();
  if (record.kind() == JournalRecord::CHILD) {
    population_.Add(member);
    ++generated_;
  }
  if (trained) {
    ++trained_;
    ++since_improvement_;
  }
  if (best_.program == nullptr || member.score > best_.score) {
    best_ = member;
    since_improvement_ = 0;
  }
  median_history_.emplace_back(generated_, population_.MedianFitness());
}

bool EvolutionSearch::BudgetLeft(bool counting_in_flight) const {
  const int64_t pending = counting_in_flight ? in_flight_.size() : 0;
  if (evo_.max_trained() > 0 && trained_ + pending >= evo_.max_trained()) {
    return false;
  }
  if (evo_.max_generated() > 0 &&
      generated_ + pending >= evo_.max_generated()) {
    return false;
  }
  if (evo_.max_seconds() > 0 && Elapsed() >= evo_.max_seconds()) return false;
  return true;
}

SearchProgress EvolutionSearch::progress() const {
  SearchProgress p;
  p.trained = trained_;
  p.training_runs = training_runs_;
  p.confirmed = confirmed_;
  p.generated = generated_;
  p.in_flight = static_cast<int64_t>(in_flight_.size());
  p.cache_hit_rate = cache_.stats().hit_rate();
  p.best_fitness = best_.fitness;
  p.warm_start_fitness = warm_fitness_;
  p.median_fitness = population_.empty() ? 0 : population_.MedianFitness();
  p.elapsed_seconds = Elapsed();
  p.session_seconds = deps_.clock() - session_start_;
  p.evaluations_per_second =
      p.session_seconds > 0 ? trained_this_session_ / p.session_seconds : 0;
  double f = 0;
  if (evo_.max_trained() > 0) {
    f = std::max(f, static_cast<double>(trained_) / evo_.max_trained());
  }
  if (evo_.max_generated() > 0) {
    f = std::max(f, static_cast<double>(generated_) / evo_.max_generated());
  }
  if (evo_.max_seconds() > 0)
    f = std::max(f, p.elapsed_seconds / evo_.max_seconds());
  p.budget_fraction = std::min(1.0, f);
  p.restarts = restarts_;
  p.errors = errors_;
  p.pool = deps_.pool->stats();
  return p;
}

}  // namespace hero
