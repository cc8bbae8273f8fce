#include "tests/export/export_parity.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <fstream>
#include <limits>
#include <sstream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "gtest/gtest.h"
#include "src/export/export_plan.h"
#include "src/program/analysis.h"
#include "src/program/program_proto.h"

namespace hero {
namespace export_test {
namespace {

// The stated per-op bounds in ulps: hero computes these ops in float32
// (Eigen's vectorized exp, expm1, log, log2, log1p, sin, cos, tanh; the C
// library's float functions for the others), the exports in float64
// rounded once, so the bound is in effect hero's own error. Measured by the
// sweeps (OpSweepCase: every binade of both signs, dense around 0 and ±1,
// the special values), the same for the C++, PyTorch and NumPy exports on
// this project's machine; the table states the measured maxima.
struct OpBound {
  const char* op;
  int ulps;
};
constexpr OpBound kOpBounds[] = {
    {"power", 1},   {"cos", 1},     {"sin", 1},     {"tan", 1},   {"arcsin", 1},
    {"arccos", 1},  {"arctan", 1},  {"sinh", 2},    {"cosh", 1},  {"tanh", 4},
    {"arcsinh", 1}, {"arccosh", 2}, {"arctanh", 1}, {"exp", 1},   {"exp2", 1},
    {"exp10", 1},   {"expm1", 2},   {"log", 1},     {"log10", 2}, {"log2", 1},
    {"log1p", 2},   {"cbrt", 1},
};

// NaN, +Inf, -Inf or finite.
int Class(float x) {
  if (std::isnan(x)) return 0;
  if (std::isinf(x)) return x > 0 ? 1 : 2;
  return 3;
}

// The distance from |x| to the next float up (for x = 0, the smallest
// subnormal).
double Spacing(float x) {
  const float a = std::fabs(x);
  return std::nextafter(a, std::numeric_limits<float>::infinity()) - a;
}

bool SameBits(float a, float b) { return std::memcmp(&a, &b, sizeof a) == 0; }

const char* KindName(ProgramKind k) {
  switch (k) {
    case ProgramKind::kExact:
      return "exact";
    case ProgramKind::kTranscendental:
      return "transcendental";
    case ProgramKind::kOp:
      return "op";
  }
  return "";
}

}  // namespace

int64_t UlpDistance(float a, float b) {
  auto ordered = [](float x) {
    int32_t i;
    std::memcpy(&i, &x, sizeof i);
    return i < 0 ? -static_cast<int64_t>(i & 0x7fffffff) : int64_t{i};
  };
  const int64_t d = ordered(a) - ordered(b);
  return d < 0 ? -d : d;
}

std::vector<ProgramEntry> ReadProgramList(const std::string& path) {
  std::ifstream in(path);
  EXPECT_TRUE(in) << "cannot read " << path;
  std::vector<ProgramEntry> out;
  ProgramEntry e;
  while (in >> e.name >> e.class_name >> e.path) out.push_back(e);
  return out;
}

int OpUlpBound(const std::string& op) {
  for (const OpBound& b : kOpBounds) {
    if (op == b.op) return b.ulps;
  }
  ADD_FAILURE() << "no bound for op " << op;
  return 0;
}

std::vector<Job> MakeJobs(const std::vector<ProgramEntry>& programs,
                          bool foreach_too) {
  const std::vector<ParityCase> cases = ParityCases();
  std::vector<Job> jobs;
  for (const ProgramEntry& entry : programs) {
    absl::StatusOr<Program> program = ReadProgramFile(entry.path);
    EXPECT_TRUE(program.ok()) << program.status();
    if (!program.ok()) continue;
    absl::StatusOr<Analysis> analysis = Analyze(*program);
    absl::StatusOr<ExportPlan> plan = MakeExportPlan(*program, PlanOptions());
    if (!analysis.ok() || !plan.ok()) continue;
    Job job;
    job.program = entry;
    job.live = {analysis->state_is_live[0], analysis->state_is_live[1]};
    if (absl::StartsWith(entry.name, "op_")) {
      job.kind = ProgramKind::kOp;
      job.op = entry.name.substr(3);
      const std::vector<float> lams =
          job.op == "power" ? PowerExponents() : std::vector<float>{0.1f};
      for (float lam : lams) {
        job.data = OpSweepCase(lam);
        job.reference = RunReference(*program, job.data);
        jobs.push_back(job);
      }
      continue;
    }
    job.kind = plan->has_transcendental ? ProgramKind::kTranscendental
                                        : ProgramKind::kExact;
    job.lockstep = job.kind == ProgramKind::kTranscendental;
    for (const ParityCase& c : cases) {
      job.data = c;
      job.reference = RunReference(*program, c);
      job.foreach = false;
      jobs.push_back(job);
      if (foreach_too && job.kind == ProgramKind::kExact &&
          (c.name == "normal" || c.name == "mixed")) {
        job.foreach = true;
        jobs.push_back(job);
      }
    }
  }
  return jobs;
}

void ParityReport::Fail(const Job& job, const std::string& what) {
  failures_.push_back(absl::StrCat(
      target_, " ", job.program.name, " (", KindName(job.kind), ") on ",
      job.data.name, job.foreach ? " [foreach]" : "", ": ", what));
}

void ParityReport::Check(const Job& job, const JobResult& result) {
  ++checked_[static_cast<int>(job.kind)];
  if (!result.error.empty()) return Fail(job, result.error);
  if (result.w.size() != job.reference.w.size()) {
    return Fail(job, absl::StrCat(result.w.size(), " steps, expected ",
                                  job.reference.w.size()));
  }
  for (size_t s = 0; s < result.w.size(); ++s) {
    const std::vector<float>& got = result.w[s];
    const std::vector<float>& want = job.reference.w[s];
    if (got.size() != want.size()) {
      return Fail(job, absl::StrCat("step ", s + 1, ": ", got.size(),
                                    " weights, expected ", want.size()));
    }
    for (size_t i = 0; i < got.size(); ++i) {
      const float a = got[i], b = want[i];
      const std::string where = absl::StrFormat(
          "step %d, element %d: %.9g, hero %.9g", s + 1, i, a, b);
      if (Class(a) != Class(b)) {
        return Fail(job, absl::StrCat(where, " (NaN/Inf differ)"));
      }
      if (Class(a) != 3) continue;
      switch (job.kind) {
        case ProgramKind::kExact:
          if (!SameBits(a, b)) return Fail(job, absl::StrCat(where, " (bits)"));
          break;
        case ProgramKind::kTranscendental: {
          // In units of the last place of the step's largest term: w, the
          // update or the result (w - update may cancel).
          const float start =
              s == 0 ? job.data.w0[i] : job.reference.w[s - 1][i];
          const float scale =
              std::max({std::fabs(start), std::fabs(start - b), std::fabs(b)});
          const double ulps = std::fabs(double{a} - double{b}) / Spacing(scale);
          transcendental_max_ulps_ = std::max(transcendental_max_ulps_, ulps);
          if (ulps > kTranscendentalUlps) {
            return Fail(job, absl::StrFormat("%s (%.1f ulps of %.9g)", where,
                                             ulps, scale));
          }
          break;
        }
        case ProgramKind::kOp: {
          // w0 = 0, one step: the weights are -op(g).
          const int64_t d = UlpDistance(a, b);
          int64_t& max = op_max_ulps_[job.op];
          max = std::max(max, d);
          if (d > OpUlpBound(job.op)) {
            return Fail(job, absl::StrFormat("%s (%d ulps; g = %.9g)", where, d,
                                             job.data.grads[0][i]));
          }
          break;
        }
      }
    }
  }
}

std::string ParityReport::Summary() const {
  std::string out = absl::StrFormat(
      "%s: %d exact-op jobs, %d transcendental jobs (max %.1f ulps), %d op "
      "sweeps\nper-op maxima (ulps):",
      target_, checked_[0], checked_[1], transcendental_max_ulps_, checked_[2]);
  for (const auto& [op, ulps] : op_max_ulps_) {
    absl::StrAppend(&out, " ", op, "=", ulps);
  }
  absl::StrAppend(&out, "\n", failures_.size(), " failures");
  for (size_t i = 0; i < failures_.size() && i < 20; ++i) {
    absl::StrAppend(&out, "\n  ", failures_[i]);
  }
  return out;
}

}  // namespace export_test
}  // namespace hero
