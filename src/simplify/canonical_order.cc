#include "src/simplify/canonical_order.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <deque>
#include <tuple>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace hero {
namespace {

constexpr uint32_t kHyperMask = (1u << kLr) | (1u << kLam);
constexpr uint32_t kDataMask = (1u << kG) | (1u << kM) | (1u << kV);

uint64_t Mix(uint64_t h, uint64_t v) {
  // SplitMix64 finaliser over the running hash.
  uint64_t z = h ^ (v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2));
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

std::vector<int> Depths(const Dataflow& df) {
  std::vector<int> depth(df.nodes.size(), 0);
  for (size_t id = 0; id < df.nodes.size(); ++id) {
    const Node& n = df.nodes[id];
    for (int i = 0; i < n.arity(); ++i) {
      depth[id] = std::max(depth[id], depth[n.args[i]] + 1);
    }
  }
  return depth;
}

// A hyperparameter term: depends on lr or λ and on none of g, m, v.
bool IsHyperTerm(uint32_t mask) {
  return (mask & kHyperMask) != 0 && (mask & kDataMask) == 0;
}

class Scheduler {
 public:
  explicit Scheduler(const Dataflow& df)
      : df_(df),
        reach_(df.Reachable()),
        uses_(df.UseCounts(reach_)),
        masks_(df.InputMasks()),
        hashes_(ValueHashes(df)),
        state_(df.nodes.size(), 0) {
    result_.chain.assign(df.nodes.size(), "");
  }

  absl::StatusOr<Schedule> Run();

 private:
  bool IsOutput(int id) const {
    return id == df_.update || (df_.assigned(0) && id == df_.state_out[0]) ||
           (df_.assigned(1) && id == df_.state_out[1]);
  }
  // Extends the chain of output `out` back along first operands; for a
  // state slot (slot >= 0), only while `first_write` stays schedulable.
  void MarkChain(int out, const std::string& name, int slot,
                 std::array<int, 2>& first_write);
  absl::Status Emit(int id);

  const Dataflow& df_;
  const std::vector<bool> reach_;
  const std::vector<int> uses_;
  const std::vector<uint32_t> masks_;
  const std::vector<uint64_t> hashes_;
  std::vector<int> state_;  // 0 new, 1 being written, 2 written.
  Schedule result_;
};

void Scheduler::MarkChain(int out, const std::string& name, int slot,
                          std::array<int, 2>& first_write) {
  result_.chain[out] = name;
  int c = out;
  while (df_.nodes[c].arity() > 0) {
    const int x = df_.nodes[c].args[0];
    // A variable keeps one type.
    if (!df_.nodes[x].is_op() || uses_[x] != 1 || IsOutput(x) ||
        df_.nodes[x].type != df_.nodes[out].type) {
      return;
    }
    if (slot >= 0) {
      // x would overwrite the old state: every other reader of it must be
      // able to come first.
      std::array<int, 2> trial = first_write;
      trial[slot] = x;
      if (!df_.Schedulable(trial)) return;
      first_write = trial;
    }
    result_.chain[x] = name;
    c = x;
  }
}

absl::Status Scheduler::Emit(int id) {
  const Node& n = df_.nodes[id];
  if (!n.is_op() || state_[id] == 2) return absl::OkStatus();
  if (state_[id] == 1) {
    return absl::InternalError(
        absl::StrCat("no statement order for `", df_.StatementText(id), "`"));
  }
  state_[id] = 1;
  const std::string& chain = result_.chain[id];
  for (int k = 0; k < 2; ++k) {
    if (chain != InputName(kStateSlots[k])) continue;
    // Readers of the old state first, in hash order.
    std::vector<std::pair<uint64_t, int>> readers;
    for (size_t r = 0; r < df_.nodes.size(); ++r) {
      const Node& rn = df_.nodes[r];
      if (!reach_[r] || static_cast<int>(r) == id) continue;
      for (int i = 0; i < rn.arity(); ++i) {
        if (rn.args[i] == kStateSlots[k]) {
          readers.push_back({hashes_[r], static_cast<int>(r)});
          break;
        }
      }
    }
    std::sort(readers.begin(), readers.end());
    for (const auto& [hash, r] : readers) {
      if (absl::Status s = Emit(r); !s.ok()) return s;
    }
  }
  for (int i = 0; i < n.arity(); ++i) {
    if (absl::Status s = Emit(n.args[i]); !s.ok()) return s;
  }
  state_[id] = 2;
  result_.order.push_back(id);
  return absl::OkStatus();
}

absl::StatusOr<Schedule> Scheduler::Run() {
  std::array<int, 2> first_write = {-1, -1};
  for (int k = 0; k < 2; ++k) {
    if (df_.assigned(k)) first_write[k] = df_.state_out[k];
  }
  MarkChain(df_.update, "update", -1, first_write);
  for (int k = 0; k < 2; ++k) {
    if (df_.assigned(k)) {
      MarkChain(df_.state_out[k], std::string(InputName(kStateSlots[k])), k,
                first_write);
    }
  }
  // The hyperparameter tail, outermost first.
  std::deque<int> tail;
  int t = df_.update;
  while (df_.nodes[t].arity() >= 2) {
    const Node& n = df_.nodes[t];
    const int a0 = n.args[0];
    if (!df_.nodes[a0].is_op() || result_.chain[a0] != "update") break;
    bool hyper = false;
    for (int i = 1; i < n.arity(); ++i) hyper |= IsHyperTerm(masks_[n.args[i]]);
    if (!hyper) break;
    tail.push_front(t);
    t = a0;
  }
  std::vector<int> roots = {t};
  for (int k = 0; k < 2; ++k) {
    if (df_.assigned(k)) roots.push_back(df_.state_out[k]);
  }
  roots.insert(roots.end(), tail.begin(), tail.end());
  for (int root : roots) {
    if (absl::Status s = Emit(root); !s.ok()) return s;
  }
  // Gradient preprocessing first: values of g alone, outside the state
  // chains, that read only such values (so moving them all to the front, in
  // order, keeps every dependency).
  std::vector<bool> hoist(df_.nodes.size(), false);
  for (size_t id = 0; id < df_.nodes.size(); ++id) {
    const Node& n = df_.nodes[id];
    if (!n.is_op() || masks_[id] != (1u << kG) || result_.chain[id] == "m" ||
        result_.chain[id] == "v") {
      continue;
    }
    bool args_hoisted = true;
    for (int i = 0; i < n.arity(); ++i) {
      args_hoisted &= !df_.nodes[n.args[i]].is_op() || hoist[n.args[i]];
    }
    hoist[id] = args_hoisted;
  }
  std::stable_partition(result_.order.begin(), result_.order.end(),
                        [&hoist](int id) { return hoist[id]; });
  return std::move(result_);
}

}  // namespace

std::vector<uint64_t> ValueHashes(const Dataflow& df) {
  std::vector<uint64_t> h(df.nodes.size(), 0);
  // Constants have no arguments, so one pass in id order suffices for op
  // nodes whose constant arguments were appended later: hash those first.
  for (size_t id = 0; id < df.nodes.size(); ++id) {
    const Node& n = df.nodes[id];
    if (n.is_input()) h[id] = Mix(1, n.input);
    if (n.is_constant()) {
      uint32_t bits = 0;
      std::memcpy(&bits, &n.constant.value, sizeof bits);
      h[id] = Mix(2, bits);
    }
  }
  for (size_t id = 0; id < df.nodes.size(); ++id) {
    const Node& n = df.nodes[id];
    if (!n.is_op()) continue;
    std::vector<uint64_t> args;
    for (int i = 0; i < n.arity(); ++i) args.push_back(h[n.args[i]]);
    if (GetOpInfo(n.op).commutative) std::sort(args.begin(), args.end());
    uint64_t v = Mix(3, static_cast<uint64_t>(n.op));
    for (uint64_t a : args) v = Mix(v, a);
    h[id] = v;
  }
  return h;
}

void CanonicalizeOperands(Dataflow& df) {
  const std::vector<uint32_t> masks = df.InputMasks();
  const std::vector<int> depth = Depths(df);
  const std::vector<uint64_t> hashes = ValueHashes(df);
  auto key = [&](int id) {
    const Node& n = df.nodes[id];
    const int hyper = (masks[id] & kHyperMask) != 0 ? 1 : 0;
    const int kind = n.is_op() ? 0 : n.is_input() ? 1 : 2;
    double order = 0;
    if (n.is_op()) order = -depth[id];
    if (n.is_input()) order = n.input;
    if (n.is_constant()) order = n.constant.value;
    return std::make_tuple(hyper, kind, order, hashes[id]);
  };
  for (Node& n : df.nodes) {
    if (!n.is_op() || !GetOpInfo(n.op).commutative || n.arity() != 2) continue;
    if (key(n.args[1]) < key(n.args[0])) std::swap(n.args[0], n.args[1]);
  }
}

absl::StatusOr<Schedule> MakeSchedule(const Dataflow& df) {
  return Scheduler(df).Run();
}

}  // namespace hero
