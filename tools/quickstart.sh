#!/usr/bin/env bash
# hero's main job, from a fresh Debian 12 machine: installs what is missing,
# builds, and shows the shipped optimizer programs with their analysis.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/install_deps.sh
bazel build //src/cli:hero
HERO=bazel-bin/src/cli/hero

for p in adamw evolved hero_lion; do
  echo "=== configs/programs/$p.py"
  "$HERO" show "configs/programs/$p.py" --analyze
  echo
done
