#include "src/simplify/ablation_candidates.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <utility>

#include "absl/strings/str_cat.h"
#include "src/program/printer.h"
#include "src/simplify/algebraic.h"
#include "src/simplify/canonical_form.h"
#include "src/simplify/dataflow.h"

namespace hero {
namespace {

constexpr uint32_t kHyperMask = (1u << kLr) | (1u << kLam);
constexpr uint32_t kDataMask = (1u << kG) | (1u << kM) | (1u << kV);

// `df` with statement node `node` removed, or false if it cannot be.
bool Remove(Dataflow& df, int node, std::string* effect) {
  const Node& n = df.nodes[node];
  for (int i = 0; i < n.arity(); ++i) {
    const int a = n.args[i];
    if (df.nodes[a].is_constant() || df.nodes[a].type != n.type) continue;
    // Only the first argument of the same type is tried.
    if (ReplaceWithValue(df, node, a)) {
      *effect = absl::StrCat("its readers read `", df.ArgText(a), "`");
      return true;
    }
    break;
  }
  for (int k = 0; k < 2; ++k) {
    if (df.state_out[k] != node) continue;
    Dataflow trial = df;
    trial.state_out[k] = kStateSlots[k];
    if (!trial.Emittable()) return false;
    df = std::move(trial);
    *effect = absl::StrCat("`", InputName(kStateSlots[k]),
                           "` keeps its incoming value");
    return true;
  }
  return false;
}

absl::StatusOr<Program> SimplifiedProgram(Dataflow df,
                                          const SimplifyOptions& options) {
  SimplifyDataflow(df, options, nullptr);
  absl::StatusOr<CanonicalProgram> c = ToCanonicalProgram(df, nullptr);
  if (!c.ok()) return c.status();
  return std::move(c->program);
}

}  // namespace

bool ReadsHyperparameters(const Program& program, int index) {
  absl::StatusOr<Dataflow> df = Dataflow::FromProgram(program);
  if (!df.ok()) return false;
  const std::vector<uint32_t> masks = df->InputMasks();
  const Node& n = df->nodes[df->statement_node[index]];
  for (int i = 0; i < n.arity(); ++i) {
    const uint32_t m = masks[n.args[i]];
    if ((m & kHyperMask) != 0 && (m & kDataMask) == 0) return true;
  }
  return false;
}

float SnapConstant(float value) {
  if (value == 0.0f || !std::isfinite(value)) return value;
  for (int digits = 1; digits <= 9; ++digits) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.*e", digits - 1,
                  static_cast<double>(value));
    const float snapped = std::strtof(buf, nullptr);
    if (std::fabs(static_cast<double>(snapped) - value) <=
        0.01 * std::fabs(static_cast<double>(value))) {
      return snapped;
    }
  }
  return value;
}

absl::StatusOr<std::vector<AblationCandidate>> AblationCandidates(
    const Program& program, const SimplifyOptions& options) {
  absl::StatusOr<Dataflow> df = Dataflow::FromProgram(program);
  if (!df.ok()) return df.status();
  const std::string current = PrintProgram(program);
  std::vector<AblationCandidate> out;
  auto keep = [&](AblationCandidate c, absl::StatusOr<Program> edited) {
    if (!edited.ok() || PrintProgram(*edited) == current) return;
    c.program = *std::move(edited);
    out.push_back(std::move(c));
  };
  const int n = static_cast<int>(program.statements.size());
  for (int i = 0; i < n; ++i) {
    if (ReadsHyperparameters(program, i)) continue;
    AblationCandidate c;
    c.kind = AblationCandidate::Kind::kRemove;
    c.statement = i;
    c.statement_text = PrintStatement(program, program.statements[i]);
    c.description = absl::StrCat("remove `", c.statement_text, "`");
    Dataflow trial = *df;
    if (!Remove(trial, df->statement_node[i], &c.effect)) continue;
    keep(std::move(c), SimplifiedProgram(std::move(trial), options));
  }
  for (int i = 0; i < n; ++i) {
    const Statement& s = program.statements[i];
    for (int a = 0; a < s.arity(); ++a) {
      if (s.args[a].is_var() || s.args[a].named) continue;
      const float value = s.args[a].value;
      const float snapped = SnapConstant(value);
      if (snapped == value) continue;
      Program edited = program;
      edited.statements[i].args[a].value = snapped;
      AblationCandidate c;
      c.kind = AblationCandidate::Kind::kSnap;
      c.statement = i;
      c.statement_text = PrintStatement(program, s);
      c.description =
          absl::StrCat("snap ", FormatConstant(value), " → ",
                       FormatConstant(snapped), " in `", c.statement_text, "`");
      c.effect = PrintStatement(edited, edited.statements[i]);
      absl::StatusOr<SimplifyResult> r = Simplify(edited, options);
      keep(std::move(c), r.ok() ? absl::StatusOr<Program>(r->program)
                                : absl::StatusOr<Program>(r.status()));
    }
  }
  return out;
}

}  // namespace hero
