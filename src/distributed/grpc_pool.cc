// GrpcEvaluationPool: construction, the EvaluationPool methods and the
// dispatcher. (Call and probe completions are in grpc_pool_calls.cc.)
#include "src/distributed/grpc_pool.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "grpcpp/create_channel.h"
#include "src/distributed/grpc_pool_internal.h"
#include "src/program/printer.h"

namespace hero {

absl::StatusOr<std::unique_ptr<GrpcEvaluationPool>> GrpcEvaluationPool::Create(
    GrpcPoolOptions options) {
  if (options.targets.empty()) {
    return absl::InvalidArgumentError("no workers given");
  }
  if (options.security.credentials == nullptr) {
    return absl::InvalidArgumentError("no channel credentials");
  }
  if (options.max_tries < 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("--max_tries must be >= 1, got ", options.max_tries));
  }
  if (options.deadline < absl::ZeroDuration()) {
    return absl::InvalidArgumentError("the evaluation deadline is negative");
  }
  if (!options.resolver) options.resolver = SystemResolver();
  options.task.mutable_data()->clear_data_dir();
  std::unique_ptr<GrpcEvaluationPool> pool(
      new GrpcEvaluationPool(std::move(options)));
  pool->Resolve(absl::Now());
  pool->dispatcher_ = std::thread([p = pool.get()] { p->DispatcherLoop(); });
  return pool;
}

GrpcEvaluationPool::GrpcEvaluationPool(GrpcPoolOptions options)
    : options_(std::move(options)), registry_(options_.registry) {
  expected_seeds_ = std::max(1, options_.task.train().seeds_size());
  absl::MutexLock lock(&mu_);
  for (const WorkerTarget& t : options_.targets) {
    if (!t.dns) registry_.SetAddresses(t.spec, {HostPort(t.host, t.port)});
  }
}

GrpcEvaluationPool::~GrpcEvaluationPool() {
  std::vector<std::shared_ptr<Call>> calls;
  std::vector<std::shared_ptr<Probe>> probes;
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
    wake_ = true;
    for (auto& [serial, c] : calls_) calls.push_back(c);
    for (auto& [serial, p] : probes_) probes.push_back(p);
  }
  if (dispatcher_.joinable()) dispatcher_.join();
  // Outside the lock: a callback may run inline.
  for (auto& c : calls) c->context.TryCancel();
  for (auto& p : probes) p->context.TryCancel();
  calls.clear();
  probes.clear();
  while (outstanding_.load() > 0) absl::SleepFor(absl::Milliseconds(1));
}

int64_t GrpcEvaluationPool::Submit(EvalRequest request) {
  auto job = std::make_unique<Job>();
  job->wire.set_program(PrintProgram(request.program));
  *job->wire.mutable_task() = options_.task;
  job->wire.set_peak_lr(request.peak_lr);
  job->wire.set_lam(request.lam);
  for (uint64_t seed : request.seeds) job->wire.add_seeds(seed);
  job->wire.set_with_test(request.with_test);
  job->wire.set_curve_points(request.curve_points);
  if (request.hurdle.enabled()) {
    job->wire.set_hurdle_fraction(request.hurdle.fraction);
    job->wire.set_hurdle_max_loss(request.hurdle.max_loss);
  }
  if (request.screen.enabled()) {
    job->wire.set_screen_steps(request.screen.steps);
    job->wire.set_screen_batch_size(request.screen.batch_size);
    job->wire.set_screen_max_loss(request.screen.max_loss);
  }
  absl::MutexLock lock(&mu_);
  job->id = next_id_++;
  const int64_t id = job->id;
  jobs_[id] = std::move(job);
  queue_.push_back(id);
  done_.AddPending();
  wake_ = true;
  return id;
}

std::optional<EvaluationPool::Completed> GrpcEvaluationPool::Next(
    absl::Duration timeout) {
  return done_.Pop(timeout);
}

int GrpcEvaluationPool::pending() const { return done_.pending(); }

int GrpcEvaluationPool::parallelism() const {
  absl::MutexLock lock(&mu_);
  return registry_.slots_up();
}

PoolStats GrpcEvaluationPool::stats() const {
  absl::MutexLock lock(&mu_);
  PoolStats s = counters_;
  s.workers_up = registry_.up();
  s.workers_total = registry_.total();
  s.slots_up = registry_.slots_up();
  s.exclusions = registry_.exclusions();
  s.waiting = Waiting();
  return s;
}

std::vector<std::string> GrpcEvaluationPool::TakeEvents() {
  absl::MutexLock lock(&mu_);
  return std::exchange(events_, {});
}

bool GrpcEvaluationPool::WaitForFirstProbes(absl::Duration timeout) {
  absl::MutexLock lock(&mu_);
  auto all_probed = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    for (int id : registry_.Known()) {
      const WorkerState s = registry_.Find(id)->state;
      if (s == WorkerState::kNew || s == WorkerState::kProbing) return false;
    }
    return true;
  };
  mu_.AwaitWithTimeout(absl::Condition(&all_probed), timeout);
  return registry_.up() > 0;
}

void GrpcEvaluationPool::Event(std::string message) {
  events_.push_back(std::move(message));
}

std::string GrpcEvaluationPool::WorkerName(int worker) const {
  const WorkerEntry* w = registry_.Find(worker);
  return w == nullptr ? "a forgotten worker" : w->address;
}

std::string GrpcEvaluationPool::Waiting() const {
  if (done_.pending() == 0 || registry_.up() > 0) return "";
  const std::vector<int> known = registry_.Known();
  if (known.empty()) return "no worker addresses resolved yet";
  int refused = 0;
  std::string reason;
  for (int id : known) {
    const WorkerEntry* w = registry_.Find(id);
    refused += w->state == WorkerState::kRefused;
    if (reason.empty() && !w->last_error.empty()) {
      reason = absl::StrCat(w->address, ": ", w->last_error);
    }
  }
  return absl::StrCat(
      "waiting: no worker up (", known.size(), " known",
      refused > 0 ? absl::StrCat(", ", refused, " refused") : "", ")",
      reason.empty() ? "" : absl::StrCat("; ", reason));
}

absl::Duration GrpcEvaluationPool::CallDeadline() const {
  if (options_.deadline > absl::ZeroDuration()) return options_.deadline;
  if (first_seconds_ < 0) return options_.first_deadline;
  return std::max(options_.min_auto_deadline,
                  absl::Seconds(10 * first_seconds_));
}

void GrpcEvaluationPool::Resolve(absl::Time now) {
  std::vector<
      std::pair<const WorkerTarget*, absl::StatusOr<std::vector<std::string>>>>
      results;
  for (const WorkerTarget& t : options_.targets) {
    if (t.dns) results.emplace_back(&t, options_.resolver(t.host, t.port));
  }
  absl::MutexLock lock(&mu_);
  next_resolve_ = now + options_.resolve_every;
  for (auto& [target, addresses] : results) {
    if (!addresses.ok()) {
      Event(absl::StrCat(target->spec, ": ", addresses.status().message(),
                         " (keeping the addresses known so far)"));
      continue;
    }
    const int before = static_cast<int>(registry_.Known().size());
    const std::vector<int> added =
        registry_.SetAddresses(target->spec, *addresses);
    const int after = static_cast<int>(registry_.Known().size());
    if (!added.empty() || after != before) {
      Event(absl::StrCat(target->spec, " resolves to ", addresses->size(),
                         " address", addresses->size() == 1 ? "" : "es", " (",
                         added.size(), " new)"));
    }
  }
}

std::shared_ptr<GrpcEvaluationPool::Connection>
GrpcEvaluationPool::ConnectionFor(int worker) {
  auto it = connections_.find(worker);
  if (it != connections_.end()) return it->second;
  const WorkerEntry* w = registry_.Find(worker);
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_KEEPALIVE_TIME_MS,
              absl::ToInt64Milliseconds(options_.keepalive_time));
  args.SetInt(GRPC_ARG_KEEPALIVE_TIMEOUT_MS,
              absl::ToInt64Milliseconds(options_.keepalive_timeout));
  args.SetInt(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS, 1);
  args.SetInt(GRPC_ARG_HTTP2_MAX_PINGS_WITHOUT_DATA, 0);
  args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 200);
  args.SetInt(GRPC_ARG_MIN_RECONNECT_BACKOFF_MS, 200);
  args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 2000);
  // One connection per pool and worker, not shared with other pools.
  args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  args.SetMaxReceiveMessageSize(64 << 20);
  for (const WorkerTarget& t : options_.targets) {
    // A resolved address is verified against the name it came from.
    if (t.dns && t.spec == w->origin && options_.security.tls) {
      args.SetSslTargetNameOverride(t.host);
    }
  }
  auto connection = std::make_shared<Connection>();
  connection->channel = grpc::CreateCustomChannel(
      w->address, options_.security.credentials, args);
  connection->stub = Worker::NewStub(connection->channel);
  connections_[worker] = connection;
  return connection;
}

void GrpcEvaluationPool::DispatcherLoop() {
  while (true) {
    bool resolve = false;
    {
      absl::MutexLock lock(&mu_);
      if (stopping_) return;
      resolve = absl::Now() >= next_resolve_;
    }
    if (resolve) Resolve(absl::Now());
    std::vector<std::shared_ptr<Call>> calls;
    std::vector<std::shared_ptr<Probe>> probes;
    {
      absl::MutexLock lock(&mu_);
      if (stopping_) return;
      Tick(&calls, &probes);
    }
    for (auto& c : calls) StartCall(std::move(c));
    for (auto& p : probes) StartProbe(std::move(p));
    absl::MutexLock lock(&mu_);
    // Wake for new work and completions; otherwise tick a few times a
    // second for backoffs, probes and channel checks.
    mu_.AwaitWithTimeout(absl::Condition(&wake_), absl::Milliseconds(200));
    wake_ = false;
  }
}

void GrpcEvaluationPool::Tick(std::vector<std::shared_ptr<Call>>* calls,
                              std::vector<std::shared_ptr<Probe>>* probes) {
  const absl::Time now = absl::Now();
  // Up workers whose connection broke while idle: down, not worth a try.
  for (int id : registry_.Known()) {
    const WorkerEntry* w = registry_.Find(id);
    if (w->state != WorkerState::kUp) continue;
    auto it = connections_.find(id);
    if (it != connections_.end() &&
        it->second->channel->GetState(/*try_to_connect=*/false) ==
            GRPC_CHANNEL_TRANSIENT_FAILURE) {
      registry_.MarkDown(id, "connection lost", now);
      Event(absl::StrCat("worker ", w->address, " down: connection lost"));
    }
  }
  for (int id : registry_.DueForProbe(now)) {
    auto probe = std::make_shared<Probe>();
    probe->serial = next_serial_++;
    probe->worker = id;
    probe->connection = ConnectionFor(id);
    probe->context.set_deadline(
        absl::ToChronoTime(now + options_.probe_timeout));
    if (!options_.security.token.empty()) {
      probe->context.AddMetadata("authorization",
                                 "Bearer " + options_.security.token);
    }
    probes_[probe->serial] = probe;
    probes->push_back(std::move(probe));
  }
  for (auto it = queue_.begin(); it != queue_.end();) {
    Job& job = *jobs_.at(*it);
    const int worker =
        job.not_before > now ? -1 : registry_.PickForDispatch(job.avoid);
    if (worker < 0) {
      if (registry_.PickForDispatch() < 0) break;  // No free slot at all.
      ++it;
      continue;
    }
    auto call = std::make_shared<Call>();
    call->serial = next_serial_++;
    call->job = job.id;
    call->worker = worker;
    call->connection = ConnectionFor(worker);
    call->request = job.wire;
    call->request.set_request_id(call->serial);
    call->context.set_deadline(absl::ToChronoTime(now + CallDeadline()));
    if (!options_.security.token.empty()) {
      call->context.AddMetadata("authorization",
                                "Bearer " + options_.security.token);
    }
    job.call = call->serial;
    registry_.CallStarted(worker);
    calls_[call->serial] = call;
    calls->push_back(std::move(call));
    it = queue_.erase(it);
  }
}

}  // namespace hero
