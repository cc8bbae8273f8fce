// Fuzz target: the config reader plus validation.
//
// Input: SearchConfig textproto. The code under test: ParseSearchConfig
// with the search section checked (what `hero search` runs: text parser,
// size limits, task/tune/search validation), then, for a config it accepts,
// what the commands derive from it before training: the task spec, the
// funnel task specs, the tune grid, the search's unit options and identity.
// Oracle: the units an accepted config configures accept it too — the task
// spec (MakeTaskSpec) and the search's mutator, fitness cache and
// fingerprinter, which abort on options that escaped validation.
#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"
#include "src/cli/config_io.h"
#include "src/proxy/task.h"
#include "src/search/fingerprint.h"
#include "src/search/fitness_cache.h"
#include "src/search/mutator.h"
#include "src/search/search_options.h"
#include "tests/fuzz/fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace hero;
  const absl::string_view text(reinterpret_cast<const char*>(data), size);
  absl::StatusOr<SearchConfig> config =
      ParseSearchConfig(text, "fuzz.textproto", ConfigCheck{true});
  if (!config.ok()) return 0;
  absl::StatusOr<TaskSpec> spec = MakeTaskSpec(config->task(), "task");
  FuzzRequire(spec.ok(), "an accepted config has no task spec",
              spec.ok() ? "" : std::string(spec.status().message()));
  for (const TaskConfig& t : config->search().funnel().tasks()) {
    absl::StatusOr<TaskSpec> funnel = MakeTaskSpec(t, "search.funnel.tasks");
    FuzzRequire(funnel.ok(), "an accepted funnel task has no task spec");
  }
  FuzzRequire(TuneLrGrid(*config).size() * TuneLamGrid(*config).size() <=
                  kMaxGridValues * kMaxGridValues,
              "tune grid past its limit");
  Mutator mutator(MutatorOptionsFrom(config->search()));
  FitnessCache cache(CacheOptionsFrom(config->search()));
  Fingerprinter fingerprinter(FingerprintOptionsFrom(config->search()));
  SearchIdentity(*config);
  return 0;
}
