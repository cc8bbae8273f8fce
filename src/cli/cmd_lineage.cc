// hero lineage RUN_DIR [--id=N | --first=CLASS] [--svg=FILE]
//
// How a search reached a program: the chain of ancestors from the warm start
// to it, read from RUN_DIR/journal — for each step the mutation, the changed
// statements and the fitness — with the class of each program
// (src/simplify/classify.h) where it changes, and the steps at which a sign
// term, sign momentum and the Lion form first appear on the chain.
#include <iostream>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "src/cli/commands.h"
#include "src/cli/exit_codes.h"
#include "src/cli/flags.h"
#include "src/program/analysis.h"
#include "src/program/parser.h"
#include "src/search/lineage.h"
#include "src/simplify/classify.h"
#include "src/util/atomic_file.h"
#include "src/util/svg_plot.h"

namespace hero {
namespace {

// Classes of journal programs, memoized by structural hash (equal hashes
// are equal dataflow, so equal classes).
class ClassCache {
 public:
  // `journal` names the journal in error messages.
  explicit ClassCache(std::string journal) : journal_(std::move(journal)) {}

  absl::StatusOr<Classification> Get(const JournalRecord& r) {
    auto it = cache_.find(r.structural_hash());
    if (it != cache_.end()) return it->second;
    const std::string label = absl::StrCat(journal_, ": candidate ", r.id());
    absl::StatusOr<Program> program = ParseProgram(r.program(), label);
    if (!program.ok()) return absl::DataLossError(program.status().message());
    // Checked here so that an invalid program is reported by its record.
    if (absl::Status s = Analyze(*program, label).status(); !s.ok()) {
      return absl::DataLossError(s.message());
    }
    absl::StatusOr<Classification> c = Classify(*program);
    if (!c.ok()) return absl::DataLossError(c.status().message());
    cache_.emplace(r.structural_hash(), *c);
    return *c;
  }

 private:
  std::string journal_;
  absl::flat_hash_map<std::string, Classification> cache_;
};

// "fitness 0.8512" or "failed (step 3: training loss nan)".
std::string Fitness(const JournalRecord& r) {
  if (r.status() != EvalResult::OK) {
    return absl::StrCat("failed (", r.failure_reason(), ")");
  }
  return absl::StrFormat("fitness %.4f", r.fitness());
}

std::string Indented(const std::vector<std::string>& statements) {
  std::string out;
  for (const std::string& s : statements) absl::StrAppend(&out, "  ", s, "\n");
  return out;
}

// "step 2 (id 3 at 5.0 s): insert 6: update = sign(update)".
std::string StepRef(size_t k, const JournalRecord& r) {
  return absl::StrFormat("step %d (id %d at %.1f s): %s", k, r.id(),
                         r.elapsed_seconds(), r.mutation());
}

absl::Status WriteSvg(const std::string& path, const Lineage& lineage,
                      int64_t id) {
  Series fitness;
  fitness.label = "fitness along the lineage";
  for (const LineageStep& step : lineage.steps) {
    fitness.x.push_back(static_cast<double>(step.record.id()));
    fitness.y.push_back(step.record.fitness());
  }
  Chart chart;
  chart.title = absl::StrCat("lineage of candidate ", id);
  chart.x_label = "candidate id";
  chart.y_label = "fitness (validation accuracy)";
  chart.series = {fitness};
  chart.hlines.push_back(
      ReferenceLine{lineage.steps.front().record.fitness(), "warm start", ""});
  return WriteFileAtomically(path, RenderSvg({chart}, 1));
}

absl::StatusOr<std::string> Report(const std::string& run_dir,
                                   const Lineage& lineage,
                                   const std::string& source,
                                   ClassCache& classes) {
  const JournalRecord& target = lineage.steps.back().record;
  const size_t mutations = lineage.steps.size() - 1;
  std::string out = absl::StrFormat(
      "lineage of id %d in %s (%s): the warm start and %d mutation%s\n",
      target.id(), run_dir, source, mutations, mutations == 1 ? "" : "s");
  std::optional<Classification> previous;
  std::optional<size_t> first_term, first_sign, first_lion;
  for (size_t k = 0; k < lineage.steps.size(); ++k) {
    const JournalRecord& r = lineage.steps[k].record;
    absl::StatusOr<Classification> c = classes.Get(r);
    if (!c.ok()) return c.status();
    const std::string described = DescribeClassification(*c);
    if (k == 0) {
      absl::StrAppendFormat(&out, "warm start (id %d): %s\n  class: %s\n",
                            r.id(), Fitness(r), described);
      out += Indented(StatementLines(r.program()));
    } else {
      const JournalRecord& parent = lineage.steps[k - 1].record;
      absl::StrAppendFormat(&out, "%d. id %d (parent %d) at %.1f s: %s\n", k,
                            r.id(), r.parent_id(), r.elapsed_seconds(),
                            r.mutation());
      absl::StrAppend(&out, "   ", Fitness(r));
      if (r.status() == EvalResult::OK && parent.status() == EvalResult::OK) {
        absl::StrAppendFormat(&out, " (%+.4f)", r.fitness() - parent.fitness());
      }
      if (!r.cache_hit().empty()) {
        absl::StrAppend(&out, ", from the cache (", r.cache_hit(), ")");
      }
      out += "\n";
      if (described != DescribeClassification(*previous)) {
        absl::StrAppend(&out, "   class: ", described, "\n");
      }
      for (const DiffLine& d : lineage.steps[k].diff) {
        absl::StrAppend(&out, "   ", std::string(1, d.op), " ", d.statement,
                        "\n");
      }
    }
    if (c->sign_momentum_term && !first_term) first_term = k;
    if (IsSignMomentum(c->kind) && !first_sign) first_sign = k;
    if (c->kind == OptimizerClass::kLionForm && !first_lion) first_lion = k;
    previous = *c;
  }
  absl::StrAppendFormat(&out, "program (id %d):\n", target.id());
  out += Indented(StatementLines(target.program()));
  auto route = [&](const char* what, const std::optional<size_t>& k) {
    if (!k.has_value()) {
      return absl::StrCat("first ", what, ": none on this lineage\n");
    }
    return absl::StrCat("first ", what, ": ",
                        StepRef(*k, lineage.steps[*k].record), "\n");
  };
  out += route("sign-momentum term", first_term);
  out += route("sign momentum", first_sign);
  out += route("lion form", first_lion);
  return out;
}

}  // namespace

int RunLineage(const Args& args) {
  FlagSet flags(
      "lineage", "RUN_DIR",
      "Prints how a search reached a program: the chain of ancestors from the "
      "warm\nstart to it, read from RUN_DIR/journal — each step's mutation, "
      "the changed\nstatements (- removed, + added), the fitness, and the "
      "program's class where it\nchanges — and the steps where a sign term, "
      "sign momentum and the Lion form first\nappear. By default it traces "
      "the run's answer (the id in RUN_DIR/best.py's\nheader; without "
      "best.py, the best fitness in the journal).");
  int64_t id = -1;
  std::string first, svg;
  flags.AddInt("id", &id, "trace this candidate (-1: the run's answer)");
  flags.AddString("first", &first,
                  "trace the first candidate in the journal of this class "
                  "or better: sign_momentum or lion_form");
  flags.AddString("svg", &svg, "also write fitness along the lineage here");
  if (std::optional<int> exit = ParseCommandLine(flags, args)) return *exit;
  if (flags.positional().size() != 1) {
    return ReportError(absl::InvalidArgumentError(
        "hero lineage: expected one RUN_DIR (see `hero lineage --help`)"));
  }
  std::optional<OptimizerClass> wanted;
  if (first == "sign_momentum") {
    wanted = OptimizerClass::kSignMomentum;
  } else if (first == "lion_form") {
    wanted = OptimizerClass::kLionForm;
  } else if (!first.empty()) {
    return ReportError(absl::InvalidArgumentError(absl::StrCat(
        "--first must be sign_momentum or lion_form, not `", first, "`")));
  }
  if (wanted.has_value() && flags.IsSet("id")) {
    return ReportError(
        absl::InvalidArgumentError("--id and --first exclude each other"));
  }
  const std::string& run_dir = flags.positional()[0];
  absl::StatusOr<std::vector<JournalRecord>> records = ReadRunJournal(run_dir);
  if (!records.ok()) return ReportError(records.status());
  const std::string journal = run_dir + "/journal";
  ClassCache classes(journal);
  std::string source;
  if (wanted.has_value()) {
    for (const JournalRecord& r : *records) {
      if (r.status() != EvalResult::OK) continue;
      absl::StatusOr<Classification> c = classes.Get(r);
      if (!c.ok()) return ReportError(c.status());
      if (c->kind >= *wanted) {
        id = r.id();
        break;
      }
    }
    if (id < 0) {
      std::cout << "no " << first << " program among the " << records->size()
                << " candidates of " << run_dir << "\n";
      return kExitOk;
    }
    source = absl::StrCat("the first ", first, " program in the journal");
  } else if (id >= 0) {
    source = "--id";
  } else {
    absl::StatusOr<LineageTarget> target =
        DefaultLineageTarget(run_dir, *records);
    if (!target.ok()) return ReportError(target.status());
    id = target->id;
    source = target->source;
  }
  absl::StatusOr<Lineage> lineage = TraceLineage(*records, id);
  if (!lineage.ok()) {
    return ReportError(
        absl::Status(lineage.status().code(),
                     absl::StrCat(journal, ": ", lineage.status().message())));
  }
  absl::StatusOr<std::string> report =
      Report(run_dir, *lineage, source, classes);
  if (!report.ok()) return ReportError(report.status());
  if (!svg.empty()) {
    if (absl::Status s = WriteSvg(svg, *lineage, id); !s.ok()) {
      return ReportError(s);
    }
  }
  std::cout << *report;
  return kExitOk;
}

}  // namespace hero
