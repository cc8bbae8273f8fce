#include "src/cli/commands.h"

namespace hero {

const std::vector<CommandInfo>& Commands() {
  static const std::vector<CommandInfo> kCommands = {
      {"show",
       "print a program (paper syntax or textproto), with --analyze "
       "its types, redundant statements and hash",
       RunShow},
      {"trace",
       "run a program step by step on given weights and gradients "
       "(the reference runner)",
       RunTrace},
      {"eval",
       "train the proxy task with a program as the optimizer; print "
       "val and test accuracy",
       RunEval},
      {"tune",
       "grid over peak lr and λ (log scale, the paper's protocol); "
       "print the best pair",
       RunTune},
      {"compare",
       "train several programs with the same budget; curves side "
       "by side in one SVG",
       RunCompare},
      {"search", "the evolutionary search (regularized evolution from AdamW)",
       RunSearch},
      {"simplify",
       "the paper's Step 3: simplify a program, with --config "
       "also by ablation; derivation on stderr",
       RunSimplify},
      {"worker",
       "a gRPC evaluation worker for --workers (health service, "
       "drains on SIGTERM)",
       RunWorker},
      {"export",
       "write a standalone optimizer running a program: C++, "
       "PyTorch or NumPy source",
       RunExport},
      {"lineage",
       "how a search reached a program: its ancestors, each "
       "mutation's diff, fitness and class",
       RunLineage},
  };
  return kCommands;
}

}  // namespace hero
