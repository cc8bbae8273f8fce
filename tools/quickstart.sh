#!/usr/bin/env bash
# hero's main job, from a fresh Debian 12 machine: installs what is missing,
# builds, runs a short evolutionary search (configs/quickstart.textproto:
# about two minutes on 2 cores) warm-started from AdamW, and prints the best
# program found next to AdamW with both fitnesses, then simplified.
#
#   tools/quickstart.sh               # results in runs/quickstart-<time>/
#   OUT=runs/mine tools/quickstart.sh
#   tools/quickstart.sh --workers=2   # the same search, evaluated by two
#                                     # local `hero worker` processes (gRPC)
set -euo pipefail
cd "$(dirname "$0")/.."
WORKERS=0
for arg in "$@"; do
  case "$arg" in
    --workers=*) WORKERS="${arg#--workers=}" ;;
    *) echo "usage: $0 [--workers=N]" >&2; exit 2 ;;
  esac
done
if ! [[ "$WORKERS" =~ ^[0-9]+$ ]] || [ "$WORKERS" -gt 64 ]; then
  echo "$0: --workers must be a number in [0, 64]" >&2; exit 2
fi
tools/install_deps.sh
echo "== building hero (bazel build //src/cli:hero)"
bazel build //src/cli:hero 2>&1 | tail -n 1
HERO=bazel-bin/src/cli/hero
OUT="${OUT:-runs/quickstart-$(date +%Y%m%d-%H%M%S)}"

echo "== the warm start: AdamW, as the paper's Step 1 writes it"
"$HERO" show configs/programs/adamw.py --analyze | sed -n '1,/^types:/p' | sed '$d'

SEARCH_FLAGS=()
if [ "$WORKERS" -gt 0 ]; then
  # Worker processes on free loopback ports (each writes its port once it
  # listens); stopped with SIGTERM (they drain) when this script exits.
  PORTS_DIR=$(mktemp -d)
  PIDS=()
  trap 'kill -TERM "${PIDS[@]}" 2>/dev/null; wait "${PIDS[@]}" 2>/dev/null; rm -rf "$PORTS_DIR"' EXIT
  LIST=""
  for i in $(seq 1 "$WORKERS"); do
    "$HERO" worker --listen=127.0.0.1:0 --threads=1 --worker_id="local-$i" \
      --port_file="$PORTS_DIR/$i" > "$PORTS_DIR/$i.log" 2>&1 &
    PIDS+=($!)
  done
  for i in $(seq 1 "$WORKERS"); do
    for _ in $(seq 1 600); do [ -s "$PORTS_DIR/$i" ] && break; sleep 0.1; done
    [ -s "$PORTS_DIR/$i" ] || { cat "$PORTS_DIR/$i.log" >&2; exit 1; }
    LIST="${LIST:+$LIST,}127.0.0.1:$(cat "$PORTS_DIR/$i")"
  done
  echo "== $WORKERS local workers: $LIST"
  SEARCH_FLAGS=(--workers="$LIST")
fi

echo "== searching (configs/quickstart.textproto) into $OUT"
"$HERO" search --config=configs/quickstart.textproto --output_dir="$OUT" "${SEARCH_FLAGS[@]}"

warm=$(sed -nE 's/.*"warm_start_fitness": ([0-9.e+-]+).*/\1/p' "$OUT/summary.json")
best=$(sed -nE 's/.*"best_fitness": ([0-9.e+-]+).*/\1/p' "$OUT/summary.json")
echo
echo "== best program found (fitness $best) next to AdamW (fitness $warm)"
printf '%-48s%s\n' "# best found" "# AdamW (configs/programs/adamw.py)"
# The two programs side by side, the left one padded to 48 columns (awk
# pads bytes; each two-byte λ gets one more).
awk 'NR == FNR { left[FNR] = $0; n = FNR; next }
     { right[FNR] = $0; if (FNR > n) n = FNR }
     END { for (i = 1; i <= n; ++i) {
             l = left[i]; k = gsub(/λ/, "&", l)
             printf "%-" (48 + k) "s%s\n", left[i], right[i] } }' \
  <(grep -v '^#' "$OUT/best.py") <(grep -v '^#' configs/programs/adamw.py)
echo
echo "== the best program simplified (hero simplify; the derivation goes to stderr)"
"$HERO" simplify "$OUT/best.py" 2>/dev/null
echo
echo "fitness = validation accuracy on the quickstart proxy: best $best vs AdamW $warm"
echo "all results: $OUT (best.py, top.py, history.csv, progress.svg, summary.json, journal)"
