// The `search` part of a SearchConfig: validation (every problem, by field
// path) and the options of the units it configures.
//
//   std::vector<std::string> problems;
//   ValidateEvolutionConfig(config, &problems);
//   MutatorOptions m = MutatorOptionsFrom(config.search());
#ifndef HERO_SEARCH_SEARCH_OPTIONS_H_
#define HERO_SEARCH_SEARCH_OPTIONS_H_

#include <string>
#include <vector>

#include "proto/search_config.pb.h"
#include "src/search/fingerprint.h"
#include "src/search/fitness_cache.h"
#include "src/search/mutator.h"

namespace hero {

// Appends one message per problem in config.search() (and its funnel tasks),
// each prefixed with its field path (`search.tournament_size: ...`).
void ValidateEvolutionConfig(const SearchConfig& config,
                             std::vector<std::string>* problems);

MutatorOptions MutatorOptionsFrom(const EvolutionConfig& config);
FitnessCacheOptions CacheOptionsFrom(const EvolutionConfig& config);
FingerprintOptions FingerprintOptionsFrom(const EvolutionConfig& config);

// The config with everything that may change between sessions of one search
// (budgets, threads, in-flight count, logging, funnel) cleared: two configs
// describe the same search iff these are equal.
SearchConfig SearchIdentity(const SearchConfig& config);

}  // namespace hero

#endif  // HERO_SEARCH_SEARCH_OPTIONS_H_
