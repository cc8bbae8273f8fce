// Writes the programs the export parity tests run, into the directory given
// as the first argument (the other arguments are the shipped programs):
//
//   p000.py ... p<N-1>.py  random valid programs from the search's mutator
//                          (fixed seed): lineages of 1 to 4 mutations from
//                          the shipped programs; half of them use only
//                          IEEE-exact ops, half at least one transcendental
//                          op, and each half has its share of reductions.
//   op_<name>.py           `update = <name>(g)` for every transcendental
//                          unary op, and `update = power(g, λ)`: the
//                          per-op error sweeps.
//
// Deterministic: the same build gives the same files.
#include <cstdio>
#include <fstream>
#include <iostream>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "src/export/export_plan.h"
#include "src/program/analysis.h"
#include "src/program/printer.h"
#include "src/program/program_proto.h"
#include "src/search/mutator.h"

namespace hero {
namespace {

constexpr int kPerClass = 120;  // Exact-only and transcendental programs.
constexpr uint64_t kSeed = 20240907;

bool Write(const std::string& path, const std::string& text) {
  std::ofstream out(path);
  out << text;
  return static_cast<bool>(out);
}

int Main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: make_programs OUT_DIR SHIPPED.py...\n";
    return 2;
  }
  const std::string dir = argv[1];
  std::vector<Program> shipped;
  for (int i = 2; i < argc; ++i) {
    absl::StatusOr<Program> p = ReadProgramFile(argv[i]);
    if (!p.ok()) {
      std::cerr << p.status() << "\n";
      return 1;
    }
    shipped.push_back(*std::move(p));
  }

  Mutator mutator(MutatorOptions{});
  std::mt19937_64 rng(kSeed);
  std::vector<Program> by_class[2];  // [0] exact ops only, [1] transcendental.
  int reductions[2] = {0, 0};
  for (int attempt = 0;
       by_class[0].size() < kPerClass || by_class[1].size() < kPerClass;
       ++attempt) {
    Program p = shipped[attempt % shipped.size()];
    const int mutations = 1 + attempt % 4;
    bool ok = true;
    for (int k = 0; k < mutations && ok; ++k) {
      absl::StatusOr<Mutation> m = mutator.Mutate(p, rng);
      ok = m.ok();
      if (ok) p = std::move(m->child);
    }
    if (!ok) continue;
    absl::StatusOr<ExportPlan> plan = MakeExportPlan(p, PlanOptions());
    if (!plan.ok()) continue;
    const int c = plan->has_transcendental ? 1 : 0;
    if (by_class[c].size() >= kPerClass) continue;
    // Keep at least a fifth of each class with a reduction (global or per
    // tensor): take a candidate without one only while that stays possible.
    const bool reduces = plan->has_global_reduction || plan->has_norm;
    const int left = kPerClass - static_cast<int>(by_class[c].size());
    if (!reduces && kPerClass / 5 - reductions[c] >= left) continue;
    reductions[c] += reduces;
    by_class[c].push_back(std::move(p));
  }
  int index = 0;
  for (int c = 0; c < 2; ++c) {
    for (const Program& p : by_class[c]) {
      if (!Write(absl::StrFormat("%s/p%03d.py", dir, index++),
                 PrintProgram(p))) {
        std::cerr << "cannot write to " << dir << "\n";
        return 1;
      }
    }
  }
  for (int i = 0; i < kNumOps; ++i) {
    const OpCode op = static_cast<OpCode>(i);
    if (!IsTranscendental(op)) continue;
    const std::string name = GetOpInfo(op).name;
    const std::string call =
        op == OpCode::kPower ? "power(g, λ)" : absl::StrCat(name, "(g)");
    if (!Write(absl::StrCat(dir, "/op_", name, ".py"),
               absl::StrCat("def train(w, g, m, v, lr, λ):\n  update = ", call,
                            "\n  return update, m, v\n"))) {
      return 1;
    }
  }
  std::cerr << "make_programs: " << index << " programs ("
            << reductions[0] + reductions[1] << " with reductions)\n";
  return 0;
}

}  // namespace
}  // namespace hero

int main(int argc, char** argv) { return hero::Main(argc, argv); }
