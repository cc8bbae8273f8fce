// ReadSearchConfig: reads and validates a hero.SearchConfig textproto.
//
//   absl::StatusOr<SearchConfig> config =
//   ReadSearchConfig("configs/mlp.textproto"); absl::StatusOr<SearchConfig>
//   full =
//       ReadSearchConfig(path, {.check_search = true});  // hero search
//
// A syntax error or unknown field is reported as `file:line:col: message`.
// Then every out-of-range value and missing file is reported together, one
// per line, by field path (`file: task.train.steps: must be in ...`): the
// `task` and `tune` sections always, and the `search` section too with
// check_search — all in one run. Nothing runs before the whole config is
// known to be good.
//
// Limits (config sizes): a config file holds at most kMaxConfigBytes; the
// tune grid at most kMaxGridValues values per axis; the funnel at most
// kMaxFunnelTasks tasks. Past one, the error names it. A UTF-8 byte-order
// mark at the start of the file is ignored.
//
// Thread-safety: ReadSearchConfig is thread-safe.
#ifndef HERO_CLI_CONFIG_IO_H_
#define HERO_CLI_CONFIG_IO_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "proto/search_config.pb.h"

namespace hero {

// 1 MiB; the shipped configs are under 3 KiB.
inline constexpr int64_t kMaxConfigBytes = int64_t{1} << 20;
// Values in tune.lr and in tune.lam (the grid trains lr x lam runs).
inline constexpr int kMaxGridValues = 100;
// Entries of search.funnel.tasks.
inline constexpr int kMaxFunnelTasks = 100;

struct ConfigCheck {
  // Also validate the `search` section (only `hero search` uses it: other
  // commands accept a config whose warm start is elsewhere).
  bool check_search = false;
};

absl::StatusOr<SearchConfig> ReadSearchConfig(const std::string& path,
                                              const ConfigCheck& check = {});

// Parses and validates config text as ReadSearchConfig does; `path` is used
// only in messages.
absl::StatusOr<SearchConfig> ParseSearchConfig(absl::string_view text,
                                               const std::string& path,
                                               const ConfigCheck& check = {});

// The tune grid with defaults applied.
std::vector<double> TuneLrGrid(const SearchConfig& config);
std::vector<double> TuneLamGrid(const SearchConfig& config);

}  // namespace hero

#endif  // HERO_CLI_CONFIG_IO_H_
