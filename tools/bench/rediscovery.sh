#!/usr/bin/env bash
# The rediscovery benchmark: does evolution from AdamW find sign momentum —
# and Lion's two-β form — on its own? Runs SEEDS independent searches
# (search.seed = K..K+SEEDS-1, K = --first_seed, default 1) one after the
# other on the discovery proxy (configs/discovery.textproto)
# with a budget of MINUTES each, then for each run:
#   - simplifies its answer (best.py) and its top programs with `hero
#     simplify` (symbolic passes only) and classifies them (`hero show
#     --analyze`: sign_momentum, lion_form or other, weight decay or not);
#   - finds the first sign-momentum and Lion-form programs in the journal
#     (`hero lineage --first=...`: the time is the journal's elapsed_seconds
#     of that candidate) and the route by which the sign entered the answer's
#     lineage and that first program's (`hero lineage`);
#   - measures the waste (tools/bench/search_stats.py);
#   - at the end, simplifies each answer again with ablation on 5 unseen
#     seeds and classifies that, and checks that a sign-momentum or
#     Lion-form answer holds up (tools/bench/discovery_checks.py --ablate:
#     it beats AdamW by >= 0.3 validation points with a positive test gap
#     on those seeds, and removing its sign costs > 1 point; with --vit=all
#     or --vit=K,K also that, tuned on configs/vit.textproto, it is at most
#     0.2 points below tuned AdamW: about 10 minutes per answer on 2 cores,
#     and as much once for AdamW). A few minutes per seed without --vit.
# Prints a table per seed and
#   ratio sign_momentum_rediscovery_rate=K/N   (runs whose answer, simplified,
#                                               is sign momentum or Lion form)
#   ratio lion_form_rediscovery_rate=K/N       (runs whose answer is Lion form)
#
#   tools/bench/rediscovery.sh [SEEDS] [MINUTES] [--workers=LIST]
#       [--config=CFG] [--threads=N] [--out=DIR] [--vit=all|K,K,...]
#       [--first_seed=K]
#   tools/bench/rediscovery.sh 3 10            # ~30 minutes on 2 cores
#   # seeds 1-2 and 3-4 side by side, one thread each (or on two machines):
#   tools/bench/rediscovery.sh 2 10 --threads=1 --out=runs/a &
#   tools/bench/rediscovery.sh 2 10 --threads=1 --first_seed=3 --out=runs/b
#
# Everything a run produced stays in DIR (default runs/rediscovery-<time>):
# seedK/run (the search's output), seedK/top/*.py (the simplified programs),
# seedK/*.log, table.txt.
set -euo pipefail
cd "$(dirname "$0")/../.."

SEEDS=""
MINUTES=""
CONFIG=configs/discovery.textproto
WORKERS=""
THREADS=""
VIT=""
FIRST_SEED=1
OUT="runs/rediscovery-$(date +%Y%m%d-%H%M%S)"
usage() { awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; }
for arg in "$@"; do
  case "$arg" in
    --workers=*) WORKERS="${arg#--workers=}" ;;
    --config=*) CONFIG="${arg#--config=}" ;;
    --threads=*) THREADS="${arg#--threads=}" ;;
    --out=*) OUT="${arg#--out=}" ;;
    --vit=*) VIT="${arg#--vit=}" ;;
    --first_seed=*) FIRST_SEED="${arg#--first_seed=}" ;;
    -h|--help) usage; exit 0 ;;
    -*) echo "error: unknown flag $arg" >&2; usage >&2; exit 2 ;;
    *)
      if [[ -z "$SEEDS" ]]; then SEEDS="$arg"
      elif [[ -z "$MINUTES" ]]; then MINUTES="$arg"
      else echo "error: unexpected argument $arg" >&2; exit 2; fi ;;
  esac
done
SEEDS="${SEEDS:-5}"
MINUTES="${MINUTES:-10}"
if ! [[ "$SEEDS" =~ ^[1-9][0-9]*$ ]] || ! [[ "$MINUTES" =~ ^[0-9]+([.][0-9]+)?$ ]]; then
  echo "error: SEEDS must be a positive integer and MINUTES a number (got '$SEEDS' '$MINUTES')" >&2
  exit 2
fi
if ! [[ "$FIRST_SEED" =~ ^[0-9]+$ ]] || (( ${#FIRST_SEED} > 9 )); then
  echo "error: --first_seed must be a non-negative integer below 10^9 (got '$FIRST_SEED')" >&2
  exit 2
fi
FIRST_SEED=$((10#$FIRST_SEED))  # "007" is seed 7, not octal
LAST_SEED=$((FIRST_SEED + SEEDS - 1))
if [[ ! -f "$CONFIG" ]]; then echo "error: $CONFIG: no such config" >&2; exit 2; fi
for key in seed max_seconds; do
  if [[ $(grep -cE "^  $key: " "$CONFIG") != 1 ]]; then
    echo "error: $CONFIG: expected one line \`  $key: ...\` in the search section" >&2
    exit 2
  fi
done
if [[ -e "$OUT" ]]; then echo "error: $OUT exists" >&2; exit 2; fi

if [[ -z "${HERO:-}" ]]; then
  bazel build //src/cli:hero >/dev/null 2>&1 || { echo "error: bazel build //src/cli:hero failed" >&2; exit 1; }
  HERO=bazel-bin/src/cli/hero
fi
SECONDS_BUDGET=$(awk -v m="$MINUTES" 'BEGIN { printf "%d", m * 60 }')
mkdir -p "$OUT"
echo "rediscovery: $SEEDS seeds ($FIRST_SEED..$LAST_SEED) x $MINUTES min on $CONFIG${WORKERS:+, workers $WORKERS}; output in $OUT"

# The class line of a program, as `hero show --analyze` prints it.
class_of() { "$HERO" show "$1" --analyze | sed -n 's/^class: //p'; }

# Splits top.py into one file per program: DIR/rankK.py.
split_top() {
  awk -v dir="$2" '/^# rank [0-9]+:/ { n++; f = sprintf("%s/rank%d.py", dir, n) }
                   n > 0 { print > f }' "$1"
}

# "12.3 s (id 45)" from `hero lineage --first=CLASS` (its report kept in
# DIR/first_CLASS.txt), or "none".
first_of() {
  local line
  "$HERO" lineage "$1/run" --first="$2" >"$1/first_$2.txt"
  line=$(grep -m1 "^first ${3}: step" "$1/first_$2.txt" || true)
  if [[ -z "$line" ]]; then echo "none"; return; fi
  sed -E 's/.*\(id ([0-9]+) at ([0-9.]+) s\).*/\2 s (id \1)/' <<<"$line"
}

sign_runs=0
lion_runs=0
rows=()
details=()
for seed in $(seq "$FIRST_SEED" "$LAST_SEED"); do
  dir="$OUT/seed$seed"
  mkdir -p "$dir/top"
  sed -E "s/^  seed: .*/  seed: $seed/; s/^  max_seconds: .*/  max_seconds: $SECONDS_BUDGET/" \
    "$CONFIG" >"$dir/config.textproto"
  flags=(--config="$dir/config.textproto" --output_dir="$dir/run")
  [[ -n "$WORKERS" ]] && flags+=(--workers="$WORKERS")
  [[ -n "$THREADS" ]] && flags+=(--threads="$THREADS")
  echo "seed $seed: hero search ${flags[*]}"
  "$HERO" search "${flags[@]}" >"$dir/search.log" 2>&1 || {
    echo "error: the search of seed $seed failed; see $dir/search.log" >&2; exit 1; }

  # The answer and the top programs, simplified and classified.
  "$HERO" simplify "$dir/run/best.py" -o "$dir/top/answer.py" 2>"$dir/simplify.log"
  answer_class=$(class_of "$dir/top/answer.py")
  split_top "$dir/run/top.py" "$dir/top"
  : >"$dir/classes.txt"
  ranks=$(grep -c '^# rank [0-9]*:' "$dir/run/top.py" || true)
  for k in $(seq 1 "$ranks"); do
    raw="$dir/top/rank$k.py"
    simplified="${raw%.py}.simplified.py"
    "$HERO" simplify "$raw" -o "$simplified" 2>>"$dir/simplify.log"
    echo "$(basename "$raw" .py) $(head -1 "$raw" | sed -E 's/.*fitness ([0-9.]+).*/\1/'): $(class_of "$simplified")" >>"$dir/classes.txt"
  done
  top_lion=$(grep -c ": lion_form" "$dir/classes.txt" || true)
  top_sign=$(grep -cE ": (sign_momentum|lion_form)" "$dir/classes.txt" || true)

  "$HERO" lineage "$dir/run" --svg="$dir/lineage.svg" >"$dir/lineage.txt"
  route=$(sed -n 's/^first sign-momentum term: //p' "$dir/lineage.txt")
  first_sign=$(first_of "$dir" sign_momentum "sign momentum")
  first_lion=$(first_of "$dir" lion_form "lion form")
  first_route=$(sed -n 's/^first sign-momentum term: //p' "$dir/first_sign_momentum.txt")
  best=$(sed -nE 's/^  "best_fitness": ([0-9.e-]+),?/\1/p' "$dir/run/summary.json" | xargs printf '%.4f')
  warm=$(sed -nE 's/^  "warm_start_fitness": ([0-9.e-]+),?/\1/p' "$dir/run/summary.json" | xargs printf '%.4f')
  tools/bench/search_stats.py "$dir/run" >"$dir/stats.txt"
  waste=$(sed -nE 's/^at chance or below \(fitness < 0.2\): ([0-9.]+%) of trained, ([0-9.]+%) of the training time.*/\1 \2/p' "$dir/stats.txt")

  case "$answer_class" in
    lion_form*) sign_runs=$((sign_runs + 1)); lion_runs=$((lion_runs + 1)) ;;
    sign_momentum*) sign_runs=$((sign_runs + 1)) ;;
  esac
  rows+=("$(printf '%-4s  %-18s  %-18s  %-6s  %-6s  %-9s  %-6s %-6s  %s' \
    "$seed" "$first_sign" "$first_lion" "$best" "$warm" "$top_sign/$top_lion" \
    ${waste:-? ?} "$(awk '{ sub(/,$/, "", $1); print $1 }' <<<"$answer_class")")")
  details+=("seed $seed answer: $answer_class"
            "seed $seed sign entered the answer's lineage by: ${route:-never}"
            "seed $seed sign entered the first sign-momentum program by: ${first_route:-(none found)}")
done

{
  echo "rediscovery on $CONFIG: $SEEDS seeds ($FIRST_SEED..$LAST_SEED) x $MINUTES min"
  printf '%-4s  %-18s  %-18s  %-6s  %-6s  %-9s  %-13s  %s\n' seed "first sign mom." \
    "first lion form" best warm "top s/l" "below chance" "answer"
  for r in "${rows[@]}"; do echo "$r"; done
  for d in "${details[@]}"; do echo "$d"; done
  echo "ratio sign_momentum_rediscovery_rate=$sign_runs/$SEEDS"
  echo "ratio lion_form_rediscovery_rate=$lion_runs/$SEEDS"
} | tee "$OUT/table.txt"
tools/bench/discovery_checks.py "$OUT" --hero="$HERO" --ablate ${THREADS:+--threads=$THREADS} \
  ${VIT:+--vit=$VIT} \
  | tee -a "$OUT/table.txt"
