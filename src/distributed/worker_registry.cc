#include "src/distributed/worker_registry.h"

#include <algorithm>

namespace hero {

const char* WorkerStateName(WorkerState state) {
  switch (state) {
    case WorkerState::kNew:
      return "new";
    case WorkerState::kProbing:
      return "probing";
    case WorkerState::kUp:
      return "up";
    case WorkerState::kDown:
      return "down";
    case WorkerState::kExcluded:
      return "excluded";
    case WorkerState::kRefused:
      return "refused";
    case WorkerState::kGone:
      return "gone";
  }
  return "?";
}

std::vector<int> WorkerRegistry::SetAddresses(
    const std::string& origin, const std::vector<std::string>& addresses) {
  std::vector<int> added;
  for (const std::string& address : addresses) {
    bool known = false;
    for (auto& [id, w] : workers_) {
      if (w.origin == origin && w.address == address &&
          w.state != WorkerState::kGone) {
        known = true;
      }
    }
    if (known) continue;
    WorkerEntry w;
    w.address = address;
    w.origin = origin;
    workers_[next_id_] = std::move(w);
    added.push_back(next_id_++);
  }
  std::vector<int> forget;
  for (auto& [id, w] : workers_) {
    if (w.origin != origin || w.state == WorkerState::kGone) continue;
    if (std::find(addresses.begin(), addresses.end(), w.address) ==
        addresses.end()) {
      w.state = WorkerState::kGone;
      if (w.in_flight == 0) forget.push_back(id);
    }
  }
  for (int id : forget) Forget(id);
  return added;
}

void WorkerRegistry::Forget(int id) { workers_.erase(id); }

void WorkerRegistry::ScheduleProbe(WorkerEntry& w, absl::Time now) {
  w.probe_backoff =
      w.probe_backoff == absl::ZeroDuration()
          ? options_.min_probe_backoff
          : std::min(2 * w.probe_backoff, options_.max_probe_backoff);
  w.next_probe = now + w.probe_backoff;
}

std::vector<int> WorkerRegistry::DueForProbe(absl::Time now) {
  std::vector<int> due;
  for (auto& [id, w] : workers_) {
    const bool waiting = w.state == WorkerState::kDown ||
                         w.state == WorkerState::kExcluded ||
                         w.state == WorkerState::kRefused;
    if (w.state == WorkerState::kNew || (waiting && w.next_probe <= now)) {
      w.state = WorkerState::kProbing;
      due.push_back(id);
    }
  }
  return due;
}

void WorkerRegistry::ProbeSucceeded(int id, int slots,
                                    const std::string& worker_id) {
  auto it = workers_.find(id);
  if (it == workers_.end() || it->second.state != WorkerState::kProbing) {
    return;
  }
  WorkerEntry& w = it->second;
  w.state = WorkerState::kUp;
  w.slots = std::max(1, slots);
  w.worker_id = worker_id;
  w.probe_backoff = absl::ZeroDuration();
  w.last_error.clear();
}

void WorkerRegistry::ProbeFailed(int id, const std::string& error,
                                 absl::Time now) {
  auto it = workers_.find(id);
  if (it == workers_.end() || it->second.state != WorkerState::kProbing) {
    return;
  }
  it->second.state = WorkerState::kDown;
  it->second.last_error = error;
  ScheduleProbe(it->second, now);
}

void WorkerRegistry::Refuse(int id, const std::string& why, absl::Time now) {
  auto it = workers_.find(id);
  if (it == workers_.end() || it->second.state == WorkerState::kGone) return;
  it->second.state = WorkerState::kRefused;
  it->second.last_error = why;
  it->second.next_probe = now + options_.exclusion;
}

int WorkerRegistry::PickForDispatch(int avoid) const {
  if (avoid >= 0) {
    auto it = workers_.find(avoid);
    if (it == workers_.end() || it->second.state != WorkerState::kUp ||
        up() == 1) {
      avoid = -1;  // Nothing to avoid, or nowhere else to go.
    }
  }
  int best = -1;
  const WorkerEntry* b = nullptr;
  for (const auto& [id, w] : workers_) {
    if (w.state != WorkerState::kUp || w.in_flight >= w.slots || id == avoid) {
      continue;
    }
    // w.in_flight / w.slots < b->in_flight / b->slots, in integers.
    if (b == nullptr ||
        int64_t{w.in_flight} * b->slots < int64_t{b->in_flight} * w.slots ||
        (int64_t{w.in_flight} * b->slots == int64_t{b->in_flight} * w.slots &&
         w.in_flight < b->in_flight)) {
      best = id;
      b = &w;
    }
  }
  return best;
}

void WorkerRegistry::CallStarted(int id) { ++workers_.at(id).in_flight; }

void WorkerRegistry::CallEnded(int id) {
  auto it = workers_.find(id);
  if (it == workers_.end()) return;
  it->second.in_flight = std::max(0, it->second.in_flight - 1);
  if (it->second.state == WorkerState::kGone && it->second.in_flight == 0) {
    Forget(id);
  }
}

void WorkerRegistry::CallSucceeded(int id) {
  auto it = workers_.find(id);
  if (it != workers_.end()) it->second.consecutive_failures = 0;
}

bool WorkerRegistry::CallFailed(int id, const std::string& error,
                                bool unreachable, absl::Time now) {
  auto it = workers_.find(id);
  if (it == workers_.end()) return false;
  WorkerEntry& w = it->second;
  w.last_error = error;
  ++w.consecutive_failures;
  if (w.state != WorkerState::kUp) return false;
  if (w.consecutive_failures >= options_.failures_to_exclude) {
    w.state = WorkerState::kExcluded;
    w.next_probe = now + options_.exclusion;
    w.consecutive_failures = 0;  // Re-admitted with a clean slate.
    ++exclusions_;
    return true;
  }
  if (unreachable) {
    w.state = WorkerState::kDown;
    w.probe_backoff = absl::ZeroDuration();
    ScheduleProbe(w, now);
  }
  return false;
}

void WorkerRegistry::MarkDown(int id, const std::string& why, absl::Time now) {
  auto it = workers_.find(id);
  if (it == workers_.end() || it->second.state != WorkerState::kUp) return;
  it->second.state = WorkerState::kDown;
  it->second.last_error = why;
  it->second.probe_backoff = absl::ZeroDuration();
  ScheduleProbe(it->second, now);
}

const WorkerEntry* WorkerRegistry::Find(int id) const {
  auto it = workers_.find(id);
  return it == workers_.end() ? nullptr : &it->second;
}

std::vector<int> WorkerRegistry::Known() const {
  std::vector<int> ids;
  for (const auto& [id, w] : workers_) {
    if (w.state != WorkerState::kGone) ids.push_back(id);
  }
  return ids;
}

int WorkerRegistry::up() const {
  int n = 0;
  for (const auto& [id, w] : workers_) n += w.state == WorkerState::kUp;
  return n;
}

int WorkerRegistry::slots_up() const {
  int n = 0;
  for (const auto& [id, w] : workers_) {
    if (w.state == WorkerState::kUp) n += w.slots;
  }
  return n;
}

int WorkerRegistry::total() const { return static_cast<int>(Known().size()); }

absl::Time WorkerRegistry::NextProbeTime() const {
  absl::Time t = absl::InfiniteFuture();
  for (const auto& [id, w] : workers_) {
    if (w.state == WorkerState::kDown || w.state == WorkerState::kExcluded ||
        w.state == WorkerState::kRefused) {
      t = std::min(t, w.next_probe);
    }
  }
  return t;
}

}  // namespace hero
