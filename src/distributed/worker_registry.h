// WorkerRegistry: the coordinator's book of workers — which are up, how many
// slots each has and how many are busy, which failed and when to probe them
// again. Pure bookkeeping (no gRPC, no clock of its own: times are passed
// in), so GrpcEvaluationPool's policies are tested deterministically.
//
//   WorkerRegistry registry(options);
//   registry.SetAddresses("dns:///w:50051", {"10.0.0.7:50051"}, now);
//   for (int id : registry.DueForProbe(now)) { ...Info call... }
//   registry.ProbeSucceeded(id, /*slots=*/4, "w-7");
//   int id = registry.PickForDispatch();   // least loaded up worker
//
// Life of a worker: kNew → (probe) → kUp, or kDown (unreachable: probed
// again after a backoff doubling from min_probe_backoff to
// max_probe_backoff), or kRefused (incompatible: probed again after
// `exclusion`, in case it was replaced). A worker whose calls fail
// `failures_to_exclude` times in a row (no success between; probes do not
// count, so a worker that crashes on every call and restarts is caught) is
// kExcluded for `exclusion`, then probed again with a clean count; a
// failure that shows the worker is unreachable makes it kDown at once. An
// address that its origin no longer lists is kGone: it gets no new work and is
// forgotten once its calls have ended.
//
// Invariants: 0 <= in_flight; only kUp workers get new calls; ids are never
// reused.
// Thread-safety: not thread-safe; the pool guards it with its mutex.
#ifndef HERO_DISTRIBUTED_WORKER_REGISTRY_H_
#define HERO_DISTRIBUTED_WORKER_REGISTRY_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/time/time.h"

namespace hero {

enum class WorkerState {
  kNew,
  kProbing,
  kUp,
  kDown,
  kExcluded,
  kRefused,
  kGone
};

struct WorkerEntry {
  std::string address;  // What to dial: "host:port".
  std::string origin;   // The --workers entry it came from.
  WorkerState state = WorkerState::kNew;
  int slots = 0;
  int in_flight = 0;
  int consecutive_failures = 0;
  absl::Time next_probe = absl::InfinitePast();
  absl::Duration probe_backoff = absl::ZeroDuration();
  std::string worker_id;   // From its Info.
  std::string last_error;  // Why it is down, excluded or refused.
};

class WorkerRegistry {
 public:
  struct Options {
    int failures_to_exclude = 3;
    absl::Duration exclusion = absl::Seconds(30);
    absl::Duration min_probe_backoff = absl::Milliseconds(500);
    absl::Duration max_probe_backoff = absl::Seconds(10);
  };

  explicit WorkerRegistry(Options options) : options_(options) {}

  // `origin` now stands for exactly `addresses`: new ones are added (kNew),
  // ones it no longer lists become kGone. Returns the ids added.
  std::vector<int> SetAddresses(const std::string& origin,
                                const std::vector<std::string>& addresses);

  // Workers to probe now (kNew, or waiting workers whose time has come);
  // they become kProbing.
  std::vector<int> DueForProbe(absl::Time now);
  void ProbeSucceeded(int id, int slots, const std::string& worker_id);
  void ProbeFailed(int id, const std::string& error, absl::Time now);
  // Incompatible (different semantics, data or token): not used until it
  // is probed again after `exclusion`.
  void Refuse(int id, const std::string& why, absl::Time now);

  // The up worker with a free slot and the smallest in_flight / slots
  // (ties: fewer in flight, then lower id); -1 if none. A retry passes the
  // worker that just failed it as `avoid`: that one is chosen only when it
  // is the only worker up (otherwise the retry waits for another's slot).
  int PickForDispatch(int avoid = -1) const;
  void CallStarted(int id);
  // A call that returned (whatever the outcome); the worker may be gone.
  void CallEnded(int id);
  void CallSucceeded(int id);
  // A call failed because of the worker. `unreachable`: it is down now.
  // Returns true iff this failure excluded it.
  bool CallFailed(int id, const std::string& error, bool unreachable,
                  absl::Time now);
  // Known down (e.g. its channel failed, or it is draining): probe again
  // after the backoff.
  void MarkDown(int id, const std::string& why, absl::Time now);

  // Null if unknown (forgotten).
  const WorkerEntry* Find(int id) const;
  // Ids of the workers that are not gone.
  std::vector<int> Known() const;
  int up() const;
  int slots_up() const;
  int total() const;  // Not gone.
  int64_t exclusions() const { return exclusions_; }
  // The earliest time a waiting worker is due for a probe (InfiniteFuture
  // if none).
  absl::Time NextProbeTime() const;

 private:
  void Forget(int id);
  void ScheduleProbe(WorkerEntry& w, absl::Time now);

  const Options options_;
  std::map<int, WorkerEntry> workers_;
  int next_id_ = 0;
  int64_t exclusions_ = 0;
};

// "up", "down", ... for logs.
const char* WorkerStateName(WorkerState state);

}  // namespace hero

#endif  // HERO_DISTRIBUTED_WORKER_REGISTRY_H_
