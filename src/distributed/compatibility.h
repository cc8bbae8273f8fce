// Compatibility of evaluation workers: what must be equal between a
// coordinator and a worker for a remote result to be worth the same as a
// local one.
//
//   std::string fp = SemanticsFingerprint();     // "3f09...": 16 hex digits
//   absl::StatusOr<std::string> data = DatasetChecksum(
//       "/usr/share/datasets/fashion-mnist");
//
// SemanticsFingerprint hashes the op table (names, arities, argument and
// result types) together with the exact bits the interpreter computes for
// every op on fixed inputs — zeros of both signs, denormals, huge values,
// values where arcsin or log are out of their domain, two parameter
// tensors — so two builds (or two machines whose libm differs) that would
// train differently get different fingerprints. It is computed once per
// process (a few milliseconds) and cached.
//
// It also hashes kRequestRevision, so that a worker built before a field of
// EvaluateRequest that changes training existed (and would silently ignore
// it) is refused as incompatible.
//
// DatasetChecksum is the CRC-32 of the four Fashion-MNIST files, in a fixed
// order, with their sizes; missing files are an error naming the file.
//
// BuildId is the CRC-32 and size of the running binary (/proc/self/exe):
// informational, since different builds with equal semantics are
// compatible.
//
// Thread-safety: all functions are thread-safe.
#ifndef HERO_DISTRIBUTED_COMPATIBILITY_H_
#define HERO_DISTRIBUTED_COMPATIBILITY_H_

#include <string>

#include "absl/status/statusor.h"

namespace hero {

// hero's version, reported by workers.
inline constexpr char kHeroVersion[] = "0.9.0";

// The revision of the EvaluateRequest fields that change how a candidate
// is trained: 1 = the fields up to the hurdle (hurdle_*), 2 = + the screen
// (screen_*).
// Bump it with every such field.
inline constexpr int kRequestRevision = 2;

std::string SemanticsFingerprint();

absl::StatusOr<std::string> DatasetChecksum(const std::string& data_dir);

std::string BuildId();

}  // namespace hero

#endif  // HERO_DISTRIBUTED_COMPATIBILITY_H_
