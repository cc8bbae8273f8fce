#!/usr/bin/env bash
# Training speed of hero's proxy task against PyTorch on this machine, side
# by side in one run: examples/s of a full training step (batch gather,
# forward, backward, AdamW step), batch 128, one thread, for the MLP
# 784-256-10 and the default ViT. Ours is `hero eval --json` (the real
# product path: trainer + interpreter running configs/programs/adamw.py);
# PyTorch's is tools/bench/pytorch_train.py (torch.optim.AdamW). Runs the
# pairs ROUNDS times, alternating, and reports medians.
#
#   tools/bench/proxy_vs_pytorch.sh            # prints lines `ratio ...=<x>`
#   ROUNDS=5 tools/bench/proxy_vs_pytorch.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
ROUNDS="${ROUNDS:-3}"
PY=/usr/bin/python3
bazel build //src/cli:hero >/dev/null 2>&1
HERO=bazel-bin/src/cli/hero
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Few validation examples so that the final accuracy pass does not count.
cat >"$tmp/mlp.textproto" <<'CFG'
task {
  data { validation_examples: 100 }
  model { mlp { hidden: 256 } }
  train { steps: 400 batch_size: 128 peak_lr: 0.001 lam: 0.1 }
}
CFG
cat >"$tmp/vit.textproto" <<'CFG'
task {
  data { validation_examples: 100 }
  model { vit {} }
  train { steps: 120 batch_size: 128 peak_lr: 0.001 lam: 0.1 }
}
CFG

ours() {  # model -> examples/s
  "$HERO" eval configs/programs/adamw.py --config="$tmp/$1.textproto" --json --notest |
    sed -E 's/.*"examples_per_second":([0-9.e+]+).*/\1/'
}
theirs() {  # model steps -> examples/s
  OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 "$PY" tools/bench/pytorch_train.py --model="$1" --steps="$2"
}
median() { sort -g | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

for model in mlp vit; do
  steps=400; [ "$model" = vit ] && steps=120
  : >"$tmp/$model.ours"; : >"$tmp/$model.theirs"
  for r in $(seq "$ROUNDS"); do
    ours "$model" >>"$tmp/$model.ours"
    theirs "$model" "$steps" >>"$tmp/$model.theirs"
  done
  o=$(median <"$tmp/$model.ours"); t=$(median <"$tmp/$model.theirs")
  echo "$model: hero $(tr '\n' ' ' <"$tmp/$model.ours")(median $o) examples/s; pytorch $(tr '\n' ' ' <"$tmp/$model.theirs")(median $t) examples/s"
  echo "$o $t" >"$tmp/$model.pair"
done
for model in mlp vit; do
  read -r o t <"$tmp/$model.pair"
  awk -v o="$o" -v t="$t" -v m="$model" 'BEGIN {printf "ratio %s_examples_per_s_vs_pytorch=%.2f\n", m, o / t}'
done
