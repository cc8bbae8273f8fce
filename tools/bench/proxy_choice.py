#!/usr/bin/python3
"""Proxy choice by measurement: tuned programs against tuned AdamW, paired
over replicates, on cheap candidate proxies (docs/RESULTS.md, "The discovery
proxy").

A proxy is written NAME=MODEL:BATCH:STEPS[:TRAIN[:FINAL]] — MODEL `mlp64`
(MLP 784-64-10), `mlp256` (784-256-10, as configs/mlp.textproto) or `vit`
(the small ViT of configs/vit.textproto), TRAIN the training images
(default 10000; 0 = the whole split), FINAL the lr at the end of the cosine
decay as a fraction of the peak (train.final_lr_fraction; default 0, 1 = a
constant lr after the warm-up); 10,000 validation images. Replicate r
trains with seed r on the data subset of seed r (both kinds of spread), at
every (lr, λ) of the grid (`hero tune --json`); each tune's command and
JSON are kept in OUT/NAME/.

  tools/bench/proxy_choice.py run b1024_s100=mlp64:1024:100 \\
      --programs=adamw,signum,hero_lion --replicates=1,2,3 \\
      --lr=1e-4,3e-4,1e-3,3e-3,1e-2,3e-2 --lam=0.1,0.3,1,3 [--tag=lam10] \\
      [--out=runs/proxy_choice] [--threads=2]
  tools/bench/proxy_choice.py table b1024_s100 [--out=runs/proxy_choice]
      [--against=adamw]

`run` skips tunes whose JSON exists (re-running resumes); `--tag` names an
extra grid for the same replicates (merged by `table`). `table` tunes each
program on the mean over the replicates (the best (lr, λ) of the mean grid,
over the points every replicate has), and prints one Markdown row per proxy:
AdamW's (or --against's) tuned validation accuracy (mean ± sd over
replicates; lr, λ), then for each other program the paired gap to it in
points (mean ± sd; wins), the test-accuracy gap, and its tuned (lr, λ).
"""
import argparse
import glob
import json
import os
import statistics
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
MODELS = {
    "mlp64": "mlp { hidden: 64 }",
    "mlp256": "mlp { hidden: 256 }",
    "vit": "vit { patch_size: 7 dim: 64 depth: 2 heads: 4 mlp_dim: 128 }",
}


def usage_error(message):
    """Bad input: the message on stderr, exit 2 (argparse's code)."""
    print(f"error: {message}", file=sys.stderr)
    sys.exit(2)


def proxy_config(name, spec, replicate):
    parts = spec.split(":")
    if len(parts) not in (3, 4, 5) or parts[0] not in MODELS:
        usage_error(f"proxy `{name}={spec}`: expected MODEL:BATCH:STEPS"
                    f"[:TRAIN[:FINAL]] with MODEL one of {', '.join(MODELS)}")
    try:
        batch, steps = int(parts[1]), int(parts[2])
        train = int(parts[3]) if len(parts) >= 4 else 10000
        final = float(parts[4]) if len(parts) == 5 else None
    except ValueError as e:
        usage_error(f"proxy `{name}={spec}`: {e}")
    if batch < 1 or steps < 1 or train < 0 or \
            (final is not None and not 0 <= final <= 1):
        usage_error(f"proxy `{name}={spec}`: BATCH and STEPS must be >= 1, "
                    "TRAIN >= 0 and FINAL in [0, 1]")
    schedule = "" if final is None else f" final_lr_fraction: {final:g}"
    return (f'task {{ name: "{name}"\n'
            f"  data {{ train_examples: {train} validation_examples: 10000 "
            f"subsample_seed: {replicate} }}\n"
            f"  model {{ {MODELS[parts[0]]} }}\n"
            f"  train {{ steps: {steps} batch_size: {batch} "
            f"seeds: {replicate}{schedule} }} }}\n")


def program_path(program):
    return program if program.endswith(".py") else \
        f"configs/programs/{program}.py"


def label(program):
    return os.path.basename(program)[:-3] if program.endswith(".py") \
        else program


def run(args):
    hero = os.environ.get("HERO", os.path.join(ROOT, "bazel-bin/src/cli/hero"))
    for proxy in args.proxies:  # All checked before anything is written.
        if "=" not in proxy:
            usage_error(f"`{proxy}`: expected NAME=MODEL:BATCH:STEPS"
                        "[:TRAIN[:FINAL]]")
        proxy_config(*proxy.split("=", 1), 1)
    for proxy in args.proxies:
        name, spec = proxy.split("=", 1)
        directory = os.path.join(args.out, name)
        os.makedirs(directory, exist_ok=True)
        tag = f"_{args.tag}" if args.tag else ""
        for r in args.replicates.split(","):
            config = os.path.join(directory, f"r{r}.textproto")
            with open(config, "w") as f:
                f.write(proxy_config(name, spec, int(r)))
            for program in args.programs.split(","):
                out = os.path.join(directory, f"{label(program)}_r{r}{tag}.json")
                if os.path.exists(out):
                    continue
                cmd = [hero, "tune", program_path(program),
                       f"--config={config}", f"--lr={args.lr}",
                       f"--lam={args.lam}", f"--threads={args.threads}",
                       "--json"]
                res = subprocess.run(cmd, cwd=ROOT, capture_output=True,
                                     text=True)
                if res.returncode != 0:
                    sys.exit(f"error: {' '.join(cmd)}\n{res.stderr}")
                with open(out + ".tmp", "w") as f:
                    f.write(res.stdout)
                os.rename(out + ".tmp", out)
                with open(out[:-5] + ".cmd", "w") as f:
                    f.write(" ".join(cmd) + "\n")
                print(f"{name} {label(program)} r{r}{tag}", flush=True)


def load(directory, program):
    """{replicate: {(lr, lam): grid point}} over all tags."""
    out = {}
    for path in sorted(glob.glob(os.path.join(directory, f"{program}_r*.json"))):
        replicate = int(path.rsplit("_r", 1)[1][:-5].split("_")[0])
        for p in json.load(open(path))["grid"]:
            out.setdefault(replicate, {})[(p["peak_lr"], p["lam"])] = p
    return out


def tuned(grids):
    """The best pair of the mean grid and the per-replicate points there."""
    reps = sorted(grids)
    common = set.intersection(*(set(grids[r]) for r in reps))
    best = max(sorted(common), key=lambda k: statistics.mean(
        grids[r][k]["val_accuracy"] for r in reps))
    return best, {r: grids[r][best] for r in reps}


def sd(values):
    return statistics.stdev(values) if len(values) > 1 else float("nan")


def table(args):
    for name in args.proxies:
        directory = os.path.join(args.out, name)
        programs = sorted({os.path.basename(p).rsplit("_r", 1)[0]
                           for p in glob.glob(os.path.join(directory, "*_r*.json"))})
        if args.against not in programs:
            usage_error(f"{directory}: no tunes of {args.against}")
        base_pair, base = tuned(load(directory, args.against))
        vals = [p["val_accuracy"] for p in base.values()]
        cells = [name, f"{statistics.mean(vals):.4f} ± {sd(vals):.4f} "
                       f"({base_pair[0]:g}, {base_pair[1]:g})"]
        for program in [p for p in programs if p != args.against]:
            pair, points = tuned(load(directory, program))
            reps = [r for r in points if r in base]
            dv = [100 * (points[r]["val_accuracy"] - base[r]["val_accuracy"])
                  for r in reps]
            dt = [100 * (points[r]["test_accuracy"] - base[r]["test_accuracy"])
                  for r in reps]
            cells.append(f"{program}: {statistics.mean(dv):+.2f} ± {sd(dv):.2f} "
                         f"({sum(d > 0 for d in dv)}/{len(dv)}), test "
                         f"{statistics.mean(dt):+.2f} ({pair[0]:g}, {pair[1]:g})")
        print("| " + " | ".join(cells) + " |")


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    r = sub.add_parser("run")
    r.add_argument("proxies", nargs="+")
    r.add_argument("--programs", default="adamw,signum,hero_lion")
    r.add_argument("--replicates", default="1,2,3")
    r.add_argument("--lr", default="1e-4,3e-4,1e-3,3e-3,1e-2,3e-2")
    r.add_argument("--lam", default="0.1,0.3,1,3")
    r.add_argument("--tag", default="")
    r.add_argument("--threads", default="2")
    r.add_argument("--out", default="runs/proxy_choice")
    t = sub.add_parser("table")
    t.add_argument("proxies", nargs="+")
    t.add_argument("--out", default="runs/proxy_choice")
    t.add_argument("--against", default="adamw",
                   help="the program the gaps are measured from")
    args = parser.parse_args()
    args.out = os.path.join(ROOT, args.out) if not os.path.isabs(args.out) \
        else args.out
    run(args) if args.command == "run" else table(args)


if __name__ == "__main__":
    main()
