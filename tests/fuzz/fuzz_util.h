// Helpers shared by the fuzz targets in tests/fuzz/.
//
// A fuzz target is one LLVMFuzzerTestOneInput() per file, linked either with
// libFuzzer (bazel build --config=fuzz; tools/fuzz.sh runs it) or with
// replay_main.cc, which feeds it every file of its corpus once (the
// *_replay_test targets of `bazel test //...`). These helpers serve targets
// whose code under test reads files, and state the oracles.
//
//   const std::string& dir = FuzzTempDir();  // one per process
//   WriteFuzzFile(dir + "/input", data, size);
//   FuzzRequire(printed == again, "print/parse is not a fixpoint", printed);
//
// Thread-safety: none needed (libFuzzer calls the target from one thread).
#ifndef HERO_TESTS_FUZZ_FUZZ_UTIL_H_
#define HERO_TESTS_FUZZ_FUZZ_UTIL_H_

#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"

namespace hero {

// A fresh directory for this process (under $TEST_TMPDIR, else $TMPDIR or
// /tmp), removed at exit.
const std::string& FuzzTempDir();

// Replaces the file at `path` with the bytes; aborts on an I/O error (the
// harness, not the code under test, failed).
void WriteFuzzFile(const std::string& path, const uint8_t* data, size_t size);
void WriteFuzzFile(const std::string& path, absl::string_view data);

// An oracle: unless `ok`, prints `what` and `detail` and aborts, which
// libFuzzer reports as a crash and keeps the input.
void FuzzRequire(bool ok, absl::string_view what,
                 absl::string_view detail = "");

}  // namespace hero

#endif  // HERO_TESTS_FUZZ_FUZZ_UTIL_H_
