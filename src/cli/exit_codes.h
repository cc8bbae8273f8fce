// Exit statuses of `hero` and a helper to report an error with one.
#ifndef HERO_CLI_EXIT_CODES_H_
#define HERO_CLI_EXIT_CODES_H_

#include <iostream>

#include "absl/status/status.h"

namespace hero {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;   // A runtime failure.
inline constexpr int kExitBadInput = 2;  // Bad usage or bad input.

// Prints `status`'s message to stderr and returns the exit status for it:
// kExitBadInput for InvalidArgument, NotFound, OutOfRange, FailedPrecondition
// and DataLoss (problems with what the user gave us), kExitFailure otherwise.
inline int ReportError(const absl::Status& status) {
  std::cerr << "error: " << status.message() << "\n";
  switch (status.code()) {
    case absl::StatusCode::kInvalidArgument:
    case absl::StatusCode::kNotFound:
    case absl::StatusCode::kOutOfRange:
    case absl::StatusCode::kFailedPrecondition:
    case absl::StatusCode::kDataLoss:
      return kExitBadInput;
    default:
      return kExitFailure;
  }
}

}  // namespace hero

#endif  // HERO_CLI_EXIT_CODES_H_
