#include "src/search/run_outputs.h"

#include <algorithm>
#include <map>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "src/search/fitness_plan.h"
#include "src/util/atomic_file.h"
#include "src/util/csv.h"
#include "src/util/json_writer.h"
#include "src/util/svg_plot.h"

namespace hero {
namespace {

bool IsCandidate(const JournalRecord& r) {
  return r.kind() == JournalRecord::CHILD ||
         r.kind() == JournalRecord::WARM_START;
}

// Failed at the screen (src/proxy/hurdle.h): never trained on the task.
bool IsScreenedOut(const JournalRecord& r) {
  return r.status() == EvalResult::FAILED &&
         r.failure_reason().rfind("screen:", 0) == 0;
}

std::string KindName(JournalRecord::Kind kind) {
  switch (kind) {
    case JournalRecord::HEADER:
      return "header";
    case JournalRecord::WARM_START:
      return "warm_start";
    case JournalRecord::CHILD:
      return "child";
    case JournalRecord::RESTART:
      return "restart";
    case JournalRecord::RESUME:
      return "resume";
    default:
      return "unknown";
  }
}

std::string StatusName(EvalResult::Status status) {
  switch (status) {
    case EvalResult::OK:
      return "ok";
    case EvalResult::ERROR:
      return "error";
    default:
      return "failed";
  }
}

// "# fitness 0.8512  id 1234  structural_hash 0123...\n" + program.
std::string ProgramWithHeader(const JournalRecord& r, const std::string& note) {
  return absl::StrFormat("# %sfitness %.4f  id %d  structural_hash %s\n%s",
                         note, r.fitness(), r.id(), r.structural_hash(),
                         r.program());
}

std::string HistoryCsv(const std::vector<JournalRecord>& records) {
  std::string out =
      "id,kind,parent_id,mutation,fitness,status,cache_hit,structural_hash,"
      "fingerprint,eval_seconds,elapsed_seconds,live_statements,statements,"
      "failure_reason,worker,attempts,peak_lr,seeds,unconfirmed_fitness\n";
  for (const JournalRecord& r : records) {
    if (r.kind() == JournalRecord::HEADER) continue;
    const bool candidate = IsCandidate(r);
    std::vector<std::string> row = {
        absl::StrCat(r.id()),
        KindName(r.kind()),
        candidate ? absl::StrCat(r.parent_id()) : "",
        r.mutation(),
        absl::StrFormat("%.6f", r.fitness()),
        candidate ? StatusName(r.status()) : "",
        r.cache_hit(),
        r.structural_hash(),
        r.fingerprint(),
        absl::StrFormat("%.3f", r.eval_seconds()),
        absl::StrFormat("%.3f", r.elapsed_seconds()),
        candidate ? absl::StrCat(r.live_statements()) : "",
        candidate ? absl::StrCat(r.statements()) : "",
        r.failure_reason(),
        r.worker(),
        candidate && r.attempts() > 0 ? absl::StrCat(r.attempts()) : "",
        candidate && r.peak_lr() > 0 ? absl::StrFormat("%g", r.peak_lr()) : "",
        absl::StrJoin(r.seeds(), " "),
        r.has_unconfirmed_fitness()
            ? absl::StrFormat("%.6f", r.unconfirmed_fitness())
            : ""};
    out += CsvJoin(row) + "\n";
  }
  return out;
}

std::string ProgressSvg(const RunReport& report) {
  Series best, median;
  best.label = "best fitness";
  median.label = "population median";
  median.dashed = true;
  const std::vector<JournalRecord>& records = *report.records;
  const auto& history = *report.median_history;
  const size_t n = history.size();
  const size_t stride = std::max<size_t>(1, n / 1000);
  double best_so_far = 0;
  size_t h = 0;
  for (const JournalRecord& r : records) {
    if (!IsCandidate(r)) continue;
    best_so_far = std::max(best_so_far, r.fitness());
    if (h < n && (h % stride == 0 || h + 1 == n)) {
      best.x.push_back(static_cast<double>(history[h].first));
      best.y.push_back(best_so_far);
      median.x.push_back(static_cast<double>(history[h].first));
      median.y.push_back(history[h].second);
    }
    ++h;
  }
  Chart chart;
  chart.title = absl::StrCat("search on ", report.task_name);
  chart.x_label = "candidates generated";
  chart.y_label = "fitness (validation accuracy)";
  chart.series = {best, median};
  chart.hlines.push_back(
      ReferenceLine{report.progress.warm_start_fitness, "warm start", ""});
  return RenderSvg({chart}, 1);
}

}  // namespace

std::vector<const JournalRecord*> TopDistinct(
    const std::vector<JournalRecord>& records, int k, double size_penalty) {
  std::vector<const JournalRecord*> ok;
  for (const JournalRecord& r : records) {
    if (IsCandidate(r) && r.status() == EvalResult::OK) ok.push_back(&r);
  }
  auto score = [size_penalty](const JournalRecord* r) {
    return SelectionScore(r->fitness(), r->live_statements(), size_penalty);
  };
  std::stable_sort(ok.begin(), ok.end(),
                   [&score](const JournalRecord* a, const JournalRecord* b) {
                     return score(a) > score(b);
                   });
  std::vector<const JournalRecord*> top;
  absl::flat_hash_set<std::string> seen;
  for (const JournalRecord* r : ok) {
    if (static_cast<int>(top.size()) >= k) break;
    if (seen.insert(r->structural_hash()).second) top.push_back(r);
  }
  return top;
}

std::vector<MutationOutcome> MutationOutcomes(
    const std::vector<JournalRecord>& records) {
  absl::flat_hash_map<int64_t, double> fitness;  // By candidate id.
  std::map<std::string, MutationOutcome> by_kind;
  for (const JournalRecord& r : records) {
    if (!IsCandidate(r) || r.status() == EvalResult::ERROR) continue;
    fitness[r.id()] = r.fitness();
    if (r.kind() != JournalRecord::CHILD) continue;
    const std::string kind = r.mutation().substr(0, r.mutation().find(' '));
    MutationOutcome& o = by_kind[kind];
    o.kind = kind;
    ++o.children;
    o.trained += r.cache_hit().empty();
    o.broken += r.status() != EvalResult::OK || r.fitness() < kChanceFitness;
    auto parent = fitness.find(r.parent_id());
    o.improved += parent != fitness.end() && r.fitness() > parent->second;
  }
  std::vector<MutationOutcome> out;
  for (auto& [kind, o] : by_kind) out.push_back(o);
  return out;
}

std::string SummaryJson(const RunReport& report) {
  const SearchProgress& p = report.progress;
  JsonWriter w(JsonStyle::kPretty);
  w.BeginObject();
  w.Key("task").String(report.task_name);
  w.Key("done").Bool(p.done);
  w.Key("evaluations_trained").Int(p.trained);
  w.Key("evaluations_generated").Int(p.generated);
  w.Key("training_runs").Int(p.training_runs);
  w.Key("confirmed").Int(p.confirmed);
  w.Key("cache_hit_rate").Double(p.cache_hit_rate);
  w.Key("cache_lookups").Int(report.cache_lookups);
  w.Key("cache_structural_hits").Int(report.cache_structural_hits);
  w.Key("cache_fingerprint_hits").Int(report.cache_fingerprint_hits);
  w.Key("warm_start_fitness").Double(p.warm_start_fitness);
  w.Key("best_fitness").Double(p.best_fitness);
  w.Key("population_median_fitness").Double(p.median_fitness);
  w.Key("population_redundant_fraction")
      .Double(report.population_redundant_fraction);
  w.Key("restarts").Int(p.restarts);
  w.Key("mutation_failures").Int(report.mutation_failures);
  w.Key("evaluation_errors").Int(p.errors);
  w.Key("workers").BeginObject();
  w.Key("up").Int(p.pool.workers_up);
  w.Key("total").Int(p.pool.workers_total);
  w.Key("retries").Int(p.pool.retries);
  w.Key("exclusions").Int(p.pool.exclusions);
  w.Key("late_answers_dropped").Int(p.pool.late_answers_dropped);
  w.EndObject();
  w.Key("seconds").Double(p.elapsed_seconds);
  // The waste: candidates trained on the task (past any screen) that ended
  // at chance level or below; the time spent on them and on the screened-out
  // ones, as a share of all evaluation time.
  int64_t evaluated = 0, screened = 0, low = 0;
  double seconds = 0, low_seconds = 0;
  for (const JournalRecord& r : *report.records) {
    if (!IsCandidate(r) || !r.cache_hit().empty() ||
        r.status() == EvalResult::ERROR) {
      continue;
    }
    ++evaluated;
    seconds += r.eval_seconds();
    if (IsScreenedOut(r)) {
      ++screened;
      low_seconds += r.eval_seconds();
    } else if (r.status() != EvalResult::OK || r.fitness() < kChanceFitness) {
      ++low;
      low_seconds += r.eval_seconds();
    }
  }
  const int64_t trained = evaluated - screened;
  w.Key("below_chance").BeginObject();
  w.Key("trained").Int(low);
  w.Key("trained_fraction")
      .Double(trained > 0 ? static_cast<double>(low) / trained : 0);
  w.Key("training_seconds").Double(low_seconds);
  w.Key("training_time_fraction")
      .Double(seconds > 0 ? low_seconds / seconds : 0);
  w.Key("screened_out").Int(screened);
  w.Key("screened_out_fraction")
      .Double(evaluated > 0 ? static_cast<double>(screened) / evaluated : 0);
  w.EndObject();
  w.Key("mutations").BeginArray();
  for (const MutationOutcome& o : MutationOutcomes(*report.records)) {
    w.BeginObject();
    w.Key("kind").String(o.kind);
    w.Key("children").Int(o.children);
    w.Key("trained").Int(o.trained);
    w.Key("broken").Int(o.broken);
    w.Key("broken_fraction")
        .Double(o.children > 0 ? static_cast<double>(o.broken) / o.children
                               : 0);
    w.Key("improved").Int(o.improved);
    w.EndObject();
  }
  w.EndArray();
  const std::vector<const JournalRecord*> top =
      TopDistinct(*report.records, report.top_k, report.size_penalty);
  w.Key("search_ranking").BeginArray();
  for (const JournalRecord* r : top) {
    w.BeginObject();
    w.Key("id").Int(r->id());
    w.Key("fitness").Double(r->fitness());
    w.Key("structural_hash").String(r->structural_hash());
    w.EndObject();
  }
  w.EndArray();
  w.Key("funnel").BeginObject();
  w.Key("tasks").BeginArray();
  for (const std::string& t : report.funnel_task_names) w.String(t);
  w.EndArray();
  w.Key("ranking").BeginArray();
  for (const FunnelEntry& e : *report.funnel) {
    w.BeginObject();
    w.Key("id").Int(e.id);
    w.Key("structural_hash").String(e.hash);
    w.Key("is_warm_start").Bool(e.is_warm_start);
    w.Key("search_fitness").Double(e.search_fitness);
    w.Key("task_fitness").BeginArray();
    for (double f : e.task_fitness) w.Double(f);
    w.EndArray();
    w.Key("funnel_fitness").Double(e.funnel_fitness);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  w.Key("answer");
  if (report.answer != nullptr) {
    w.BeginObject();
    w.Key("id").Int(report.answer->id());
    w.Key("fitness").Double(report.answer->fitness());
    w.Key("structural_hash").String(report.answer->structural_hash());
    w.Key("program").String(report.answer->program());
    w.EndObject();
  } else {
    w.Null();
  }
  w.EndObject();
  return w.str() + "\n";
}

absl::Status WriteRunOutputs(const std::string& dir, const RunReport& report) {
  const std::vector<const JournalRecord*> top =
      TopDistinct(*report.records, report.top_k, report.size_penalty);
  const JournalRecord* best = report.answer;
  std::string note = report.answer != nullptr && !report.funnel->empty()
                         ? "the funnel's best; search "
                         : "";
  if (best == nullptr && !top.empty()) {
    best = top[0];
    note = "best so far; ";
  }
  if (best != nullptr) {
    if (absl::Status s = WriteFileAtomically(dir + "/best.py",
                                             ProgramWithHeader(*best, note));
        !s.ok()) {
      return s;
    }
  }
  std::string top_text = absl::StrFormat(
      "# The top %d distinct programs of the search, best first.\n",
      top.size());
  for (size_t i = 0; i < top.size(); ++i) {
    absl::StrAppend(
        &top_text, "\n",
        ProgramWithHeader(*top[i], absl::StrCat("rank ", i + 1, ": ")));
  }
  for (const auto& [name, text] :
       std::vector<std::pair<std::string, std::string>>{
           {"top.py", top_text},
           {"history.csv", HistoryCsv(*report.records)},
           {"progress.svg", ProgressSvg(report)},
           {"summary.json", SummaryJson(report)}}) {
    if (absl::Status s = WriteFileAtomically(dir + "/" + name, text); !s.ok()) {
      return s;
    }
  }
  return absl::OkStatus();
}

}  // namespace hero
