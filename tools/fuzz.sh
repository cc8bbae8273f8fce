#!/usr/bin/env bash
# Runs one libFuzzer target with ASan+UBSan (clang 14; see .bazelrc's
# --config=fuzz) for SECONDS (default 60).
#   tools/fuzz.sh parser 1800        # targets: parser textproto config journal idx worker
#   nohup tools/fuzz.sh journal 1800 > /dev/null 2>&1 &
#
# It builds //tests/fuzz:TARGET_fuzzer, copies it to fuzz-out/TARGET/ (so a
# later build cannot replace the running binary) and runs it from the
# repository root on a working corpus fuzz-out/TARGET/corpus (grown across
# runs) plus the seeds tests/fuzz/corpus/TARGET and the regression inputs
# tests/fuzz/regressions/TARGET, with the target's dictionary if it has one.
# Every input that crashes, hangs past -timeout or needs more than
# -rss_limit_mb is written to fuzz-out/TARGET/artifacts/; keep it as a
# regression input (tests/fuzz/regressions/TARGET/) once fixed. The log is
# fuzz-out/TARGET/log; its last lines give executions and time.
# Environment: FUZZ_TIMEOUT (seconds per input, default 10), FUZZ_RSS_MB
# (default 2048), FUZZ_OUT (default fuzz-out), FUZZ_FLAGS (more libFuzzer
# flags, e.g. "-max_len=65536").
set -euo pipefail
cd "$(dirname "$0")/.."
if [ $# -lt 1 ] || [ $# -gt 2 ]; then
  echo "usage: tools/fuzz.sh TARGET [SECONDS]" >&2
  exit 2
fi
target=$1
seconds=${2:-60}
if [ ! -d "tests/fuzz/corpus/$target" ]; then
  echo "tools/fuzz.sh: unknown target '$target' (no tests/fuzz/corpus/$target)" >&2
  exit 2
fi
out=${FUZZ_OUT:-fuzz-out}/$target
mkdir -p "$out/corpus" "$out/artifacts"
bazel build --config=fuzz "//tests/fuzz:${target}_fuzzer"
bin_dir=$(bazel info --config=fuzz bazel-bin 2> /dev/null)
cp -f "$bin_dir/tests/fuzz/${target}_fuzzer" "$out/fuzzer"

args=(
  "$out/corpus" "tests/fuzz/corpus/$target"
  -max_total_time="$seconds"
  -timeout="${FUZZ_TIMEOUT:-10}"
  -rss_limit_mb="${FUZZ_RSS_MB:-2048}"
  -artifact_prefix="$out/artifacts/"
  -print_final_stats=1
)
if [ -d "tests/fuzz/regressions/$target" ]; then
  args+=("tests/fuzz/regressions/$target")
fi
if [ -f "tests/fuzz/$target.dict" ]; then
  args+=(-dict="tests/fuzz/$target.dict")
fi
# shellcheck disable=SC2206  # split on purpose: one flag per word
args+=(${FUZZ_FLAGS:-})
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
echo "tools/fuzz.sh: $out/fuzzer ${args[*]}" | tee "$out/log"
set +e
"$out/fuzzer" "${args[@]}" 2>&1 | tee -a "$out/log"
status=${PIPESTATUS[0]}
echo "tools/fuzz.sh: $target exited with status $status after $seconds s budget" | tee -a "$out/log"
exit "$status"
