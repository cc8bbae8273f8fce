#!/usr/bin/env bash
# Checks that C++ sources follow .clang-format (Google style; clang-format 14).
#   tools/check_format.sh            # every tracked .h/.cc, and new ones
#   tools/check_format.sh --fix      # rewrites them in place instead
# Generated golden files (tests/export/golden/) are exact expected outputs of
# hero export, not hand-written code: their .clang-format disables formatting.
set -euo pipefail
cd "$(dirname "$0")/.."
CLANG_FORMAT=$(command -v clang-format) ||
  { echo "tools/check_format.sh: clang-format not found (tools/install_deps.sh installs it)" >&2; exit 2; }
mapfile -t files < <(git ls-files --cached --others --exclude-standard -- '*.h' '*.cc' | sort -u)
if [ "${1:-}" = "--fix" ]; then
  "$CLANG_FORMAT" -i "${files[@]}"
  exit 0
fi
log=$(mktemp)
trap 'rm -f "$log"' EXIT
bad=()
for f in "${files[@]}"; do
  [ -f "$f" ] || continue
  if ! "$CLANG_FORMAT" --dry-run --Werror "$f" 2> "$log"; then bad+=("$f"); fi
done
if [ ${#bad[@]} -gt 0 ]; then
  echo "tools/check_format.sh: not formatted (run tools/check_format.sh --fix):" >&2
  printf '  %s\n' "${bad[@]}" >&2
  exit 1
fi
echo "tools/check_format.sh: ${#files[@]} files formatted"
