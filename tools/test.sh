#!/usr/bin/env bash
# hero's test command: installs whatever is missing, checks that the C++
# sources are formatted (tools/check_format.sh), then runs every test.
#   tools/test.sh                  # the whole suite (what CI runs)
#   tools/test.sh //tests/program/...   # a subset
set -euo pipefail
cd "$(dirname "$0")/.."
tools/install_deps.sh
tools/check_format.sh
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then targets=("//..."); fi
exec bazel test --test_output=errors "${targets[@]}"
