// ReadSearchConfig: reads and validates a hero.SearchConfig textproto.
//
//   absl::StatusOr<SearchConfig> config = ReadSearchConfig("configs/mlp.textproto");
//
// A syntax error or unknown field is reported as `file:line:col: message`.
// Then every out-of-range value and missing file is reported together, one
// per line, by field path (`file: task.train.steps: must be in ...`).
// Nothing runs before the whole config is known to be good.
#ifndef HERO_CLI_CONFIG_IO_H_
#define HERO_CLI_CONFIG_IO_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "proto/search_config.pb.h"

namespace hero {

absl::StatusOr<SearchConfig> ReadSearchConfig(const std::string& path);

// The tune grid with defaults applied.
std::vector<double> TuneLrGrid(const SearchConfig& config);
std::vector<double> TuneLamGrid(const SearchConfig& config);

}  // namespace hero

#endif  // HERO_CLI_CONFIG_IO_H_
