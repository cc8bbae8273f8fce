#include "src/search/mutator.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <utility>

#include "absl/random/distributions.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "src/program/printer.h"
#include "src/program/structural_hash.h"

namespace hero {
namespace {

std::string ArgText(const Program& p, const Arg& a) {
  if (a.is_var()) return p.names[a.reg];
  if (a.named) return GetOpInfo(a.constant_op).name;
  return FormatConstant(a.value);
}

// Index k with probability weights[k] / total.
int DrawKind(const double (&weights)[kNumMutationKinds], double total,
             absl::BitGenRef gen) {
  const double u = absl::Uniform<double>(gen, 0, total);
  double acc = 0;
  int last = 0;
  for (int k = 0; k < kNumMutationKinds; ++k) {
    if (weights[k] <= 0) continue;
    acc += weights[k];
    if (u < acc) return k;
    last = k;
  }
  return last;  // Only reached through rounding.
}

}  // namespace

absl::string_view MutationKindName(MutationKind kind) {
  switch (kind) {
    case MutationKind::kInsert:
      return "insert";
    case MutationKind::kDelete:
      return "delete";
    case MutationKind::kModifyArg:
      return "modify_arg";
    case MutationKind::kChangeOp:
      return "change_op";
    case MutationKind::kWrap:
      return "wrap";
  }
  return "?";
}

absl::Status ValidateMutatorOptions(const MutatorOptions& o) {
  std::vector<std::string> errors;
  const double weights[] = {o.insert_weight, o.delete_weight,
                            o.modify_arg_weight, o.change_op_weight,
                            o.wrap_weight};
  const char* names[] = {"insert_weight", "delete_weight", "modify_arg_weight",
                         "change_op_weight", "wrap_weight"};
  double total = 0;
  for (int k = 0; k < kNumMutationKinds; ++k) {
    if (!(weights[k] >= 0) || !std::isfinite(weights[k])) {
      errors.push_back(absl::StrCat(names[k], " must be finite and >= 0"));
    } else {
      total += weights[k];
    }
  }
  if (errors.empty() && total <= 0) {
    errors.push_back("at least one mutation weight must be > 0");
  }
  if (!o.op_weights.empty()) {
    if (o.op_weights.size() != static_cast<size_t>(kNumOps)) {
      errors.push_back(absl::StrCat("op_weights must have ", kNumOps,
                                    " entries (one per op) or none"));
    } else {
      for (int i = 0; i < kNumOps; ++i) {
        if (!(o.op_weights[i] >= 0) || !std::isfinite(o.op_weights[i])) {
          errors.push_back(absl::StrCat("op_weights[",
                                        GetOpInfo(static_cast<OpCode>(i)).name,
                                        "] must be finite and >= 0"));
        }
      }
    }
  }
  if (!(o.constant_log2_sigma > 0 && o.constant_log2_sigma <= 10)) {
    errors.push_back("constant_log2_sigma must be in (0, 10]");
  }
  if (o.max_statements < 1) errors.push_back("max_statements must be >= 1");
  if (o.max_retries < 0) errors.push_back("max_retries must be >= 0");
  const std::pair<const char*, double> probabilities[] = {
      {"constant_probability", o.constant_probability},
      {"fresh_output_probability", o.fresh_output_probability},
      {"modify_to_constant_probability", o.modify_to_constant_probability}};
  for (const auto& [name, p] : probabilities) {
    if (!(p >= 0 && p <= 1))
      errors.push_back(absl::StrCat(name, " must be in [0, 1]"));
  }
  if (errors.empty()) return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrCat("mutator options: ", absl::StrJoin(errors, "; ")));
}

std::string MutatorStats::ToString() const {
  std::string out;
  PerKind total;
  for (int k = 0; k < kNumMutationKinds; ++k) {
    const PerKind& c = kinds[k];
    absl::StrAppend(&out, MutationKindName(static_cast<MutationKind>(k)),
                    ": proposed ", c.proposed, ", accepted ", c.accepted,
                    ", invalid ", c.invalid, ", same hash ", c.same_hash, "\n");
    total.proposed += c.proposed;
    total.accepted += c.accepted;
    total.invalid += c.invalid;
    total.same_hash += c.same_hash;
  }
  absl::StrAppend(&out, "total: proposed ", total.proposed, ", accepted ",
                  total.accepted, ", invalid ", total.invalid, ", same hash ",
                  total.same_hash, "; calls ", calls, ", failures ", failures,
                  "\n");
  return out;
}

Mutator::Mutator(const MutatorOptions& options) : options_(options) {
  const absl::Status status = ValidateMutatorOptions(options);
  if (!status.ok()) {
    // A bug in the caller: options must be validated at the boundary.
    std::fprintf(stderr, "%s\n", std::string(status.message()).c_str());
    std::abort();
  }
}

std::string Mutator::Describe(const Program& parent, const Mutation& m,
                              const Site& site) const {
  const std::string kind(MutationKindName(m.kind));
  const int number = site.statement + 1;
  switch (m.kind) {
    case MutationKind::kInsert: {
      std::string d = absl::StrCat(
          kind, " ", number, ": ",
          PrintStatement(m.child, m.child.statements[site.statement]));
      if (site.wired >= 0) {
        absl::StrAppend(&d, " (read by ", site.wired + 1, ")");
      }
      if (site.dropped >= 0) {
        absl::StrAppend(
            &d, " (making room: dropped dead ", site.dropped + 1, ": ",
            PrintStatement(parent, parent.statements[site.dropped]), ")");
      }
      return d;
    }
    case MutationKind::kDelete:
      return absl::StrCat(
          kind, " ", number, ": ",
          PrintStatement(parent, parent.statements[site.statement]));
    case MutationKind::kModifyArg:
      return absl::StrCat(
          kind, " ", number, ", arg ", site.arg + 1, ": ",
          PrintStatement(m.child, m.child.statements[site.statement]), " (was ",
          ArgText(parent, site.old_arg), ")");
    case MutationKind::kWrap:
      return absl::StrCat(
          kind, " ", number, ": ",
          PrintStatement(m.child, m.child.statements[site.statement]));
    case MutationKind::kChangeOp: {
      const OpInfo& old = GetOpInfo(site.old_op);
      return absl::StrCat(
          kind, " ", number, ": ",
          PrintStatement(m.child, m.child.statements[site.statement]), " (was ",
          old.infix != nullptr ? old.infix : old.name, ")");
    }
  }
  return kind;
}

absl::StatusOr<Mutation> Mutator::Mutate(const Program& parent,
                                         absl::BitGenRef gen) {
  absl::StatusOr<Analysis> analysis = Analyze(parent);
  if (!analysis.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "cannot mutate an invalid program: ", analysis.status().message()));
  }
  return Mutate(parent, *analysis, StructuralHash(parent, *analysis), gen);
}

absl::StatusOr<Mutation> Mutator::Mutate(const Program& parent,
                                         const Analysis& parent_analysis,
                                         uint64_t parent_hash,
                                         absl::BitGenRef gen) {
  ++stats_.calls;
  const int n = static_cast<int>(parent.statements.size());
  // Edits of dead statements never change the structural hash, so delete,
  // modify and change-op pick live statements only.
  live_.clear();
  dead_.clear();
  changeable_.clear();
  for (int i = 0; i < n; ++i) {
    if (!parent_analysis.live[i]) {
      dead_.push_back(i);
      continue;
    }
    live_.push_back(i);
    if (SameSignatureOps(parent.statements[i].op).size() > 1) {
      changeable_.push_back(i);
    }
  }
  const bool can_insert = n < options_.max_statements || !dead_.empty();
  const bool can_wrap = n < options_.max_statements && !live_.empty();
  const double weights[kNumMutationKinds] = {
      can_insert ? options_.insert_weight : 0,
      live_.empty() ? 0 : options_.delete_weight,
      live_.empty() ? 0 : options_.modify_arg_weight,
      changeable_.empty() ? 0 : options_.change_op_weight,
      can_wrap ? options_.wrap_weight : 0};
  double total = 0;
  for (double w : weights) total += w;
  if (total <= 0) {
    ++stats_.failures;
    return absl::ResourceExhaustedError(
        "no mutation applies to this program (check the weights and "
        "max_statements)");
  }

  Mutation result;
  Program& child = result.child;
  for (int attempt = 0; attempt <= options_.max_retries; ++attempt) {
    const int k = DrawKind(weights, total, gen);
    MutatorStats::PerKind& counters = stats_.kinds[k];
    ++counters.proposed;
    Site site;
    site.kind = static_cast<MutationKind>(k);
    bool made = false;
    switch (site.kind) {
      case MutationKind::kInsert:
        made = Insert(parent, parent_analysis, gen, child, site);
        break;
      case MutationKind::kDelete:
        made = Delete(parent, gen, child, site);
        break;
      case MutationKind::kModifyArg:
        made = ModifyArg(parent, parent_analysis, gen, child, site);
        break;
      case MutationKind::kChangeOp:
        made = ChangeOp(parent, gen, child, site);
        break;
      case MutationKind::kWrap:
        made = Wrap(parent, parent_analysis, gen, child, site);
        break;
    }
    absl::StatusOr<Analysis> analysis;
    if (made) analysis = Analyze(child);
    if (!made || !analysis.ok() ||
        (options_.require_lr && !ReadsLive(child, *analysis, kLr))) {
      ++counters.invalid;
      ++result.rejected_invalid;
      continue;
    }
    const uint64_t hash = StructuralHash(child, *analysis);
    if (hash == parent_hash) {
      ++counters.same_hash;
      ++result.rejected_same_hash;
      continue;
    }
    ++counters.accepted;
    result.analysis = *std::move(analysis);
    result.hash = hash;
    result.kind = site.kind;
    result.statement = site.statement;
    result.description = Describe(parent, result, site);
    return result;
  }
  ++stats_.failures;
  return absl::ResourceExhaustedError(absl::StrCat(
      "no acceptable mutation in ", options_.max_retries + 1, " proposals (",
      result.rejected_invalid, " invalid, ", result.rejected_same_hash,
      " same structural hash as the parent)"));
}

}  // namespace hero