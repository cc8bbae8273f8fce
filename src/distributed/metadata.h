// gRPC trailing metadata a worker attaches to refusals that say nothing
// about the candidate, so the coordinator sends the work elsewhere without
// counting a failed try (see grpc_pool.h and worker_service.h).
#ifndef HERO_DISTRIBUTED_METADATA_H_
#define HERO_DISTRIBUTED_METADATA_H_

namespace hero {

// UNAVAILABLE: the worker is shutting down; the evaluation was not done.
inline constexpr char kDrainingMetadataKey[] = "hero-draining";
// RESOURCE_EXHAUSTED: every slot is busy (another coordinator uses it too).
inline constexpr char kBusyMetadataKey[] = "hero-busy";

}  // namespace hero

#endif  // HERO_DISTRIBUTED_METADATA_H_
