#!/usr/bin/python3
"""Does a rediscovered answer hold up? Issue 10's validity checks, on the
output of tools/bench/rediscovery.sh.

  tools/bench/discovery_checks.py OUT_DIR [--hero=BIN] [--threads=N] [--ablate]
      [--vit=K,K,...|all]

With --ablate, each answer is first also simplified with ablation on the
check config below (`hero simplify --config`: each statement removed and
each constant snapped in turn, a change kept when it costs at most 0.002 of
the mean validation accuracy over the 5 unseen seeds) and classified again:
the symbolic passes cannot remove sign-preserving wrappers such as
tanh(update) or m = arctanh(m) that wrap mutations leave behind, ablation
can (a few minutes per answer on one core).

For each OUT_DIR/seedK whose answer (seedK/top/answer.py, simplified) — or,
with --ablate, its ablated form — is sign momentum or the Lion form
(`hero show --analyze`), on the answer as found:
  - proxy: `hero compare` of the answer against configs/programs/adamw.py
    on the run's own config (the discovery proxy, whose lr and λ are
    AdamW's tuned optimum) with 5 training seeds the search never used
    (11..15), paired: the validation gap must be at least 0.3 points and
    the test gap positive;
  - sign ablation: the answer with each `sign(x)` replaced by `x * 1`, on
    the same seeds: removing the sign must cost more than 5x the ablation
    tolerance of `hero simplify` (0.002), i.e. more than 1 point;
  - ViT, with --vit (the run seeds K listed, or all): the answer (its
    ablated form with --ablate, else as found) tuned on configs/vit.textproto
    over lr {3e-4, 1e-3, 3e-3} x λ {0.3, 1} (λ 1 alone if the program
    does not read λ) with training seeds 1, 2, 3
    (mean), against AdamW tuned over lr {1e-3, 3e-3, 1e-2} x λ {0.1, 0.3} on the
    same seeds (once per OUT_DIR, kept in OUT_DIR/vit_adamw.json; the grids
    hold the single-seed optima of docs/RESULTS.md): the answer's best mean
    validation accuracy must be at most 0.2 points below AdamW's. About
    10 minutes of both cores per answer, and as much again for AdamW.
    Without --vit it prints "not run", and the verdict says "holds on the
    proxy" only.
Prints one row per seed and
  ratio valid_on_proxy=K/N   (N: answers that are sign momentum or Lion form;
                              K: those passing the proxy and ablation checks)
  ratio valid=K/M            (with --vit; M: the answers of those K that were
                              checked on the ViT; K: those that passed it)
  ratio sign_momentum_after_ablation=K/S, ratio lion_form_after_ablation=K/S
                             (with --ablate; S: all seeds)
Everything written stays in OUT_DIR/seedK/checks/.
"""
import collections
import json
import os
import re
import subprocess
import sys

CHECK_SEEDS = [11, 12, 13, 14, 15]
MIN_VAL_GAP = 0.003
ABLATION_TOLERANCE = 0.002
ADAMW = "configs/programs/adamw.py"
VIT_MAX_GAP = 0.002
VIT_SEEDS = "[1, 2, 3]"
VIT_GRID = dict(answer=("3e-4,1e-3,3e-3", "0.3,1"),
                adamw=("1e-3,3e-3,1e-2", "0.1,0.3"))


def run(cmd):
    return subprocess.run(cmd, capture_output=True, text=True)


def answer_class(hero, path):
    out = run([hero, "show", path, "--analyze"]).stdout
    m = re.search(r"^class: (\w+)", out, re.M)
    return m.group(1) if m else "?"


def compare(hero, config, programs, threads, svg):
    cmd = [hero, "compare", *programs, f"--config={config}", f"--svg={svg}",
           "--json"]
    if threads:
        cmd.append(f"--threads={threads}")
    r = run(cmd)
    if r.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)}: {r.stderr.strip()}")
    return [x["result"] for x in json.loads(r.stdout)]


def tune_vit(hero, program, config, grid, threads, out):
    """Best mean validation accuracy of `program` tuned on the ViT; the
    tune's JSON is kept in `out` (and reused if there)."""
    if not os.path.exists(out):
        cmd = [hero, "tune", program, f"--config={config}", f"--lr={grid[0]}",
               f"--lam={grid[1]}", "--json"]
        if threads:
            cmd.append(f"--threads={threads}")
        r = run(cmd)
        if r.returncode != 0:
            raise RuntimeError(f"{' '.join(cmd)}: {r.stderr.strip()}")
        open(out + ".tmp", "w").write(r.stdout)
        os.rename(out + ".tmp", out)
    best = json.load(open(out))["best"]
    return best["val_accuracy"] if best.get("status", "ok") == "ok" else 0.0


def vit_config(out_dir):
    path = os.path.join(out_dir, "vit.textproto")
    text, n = re.subn(r"^    seeds: .*$", f"    seeds: {VIT_SEEDS}",
                      open("configs/vit.textproto").read(), count=1,
                      flags=re.M)
    if n != 1:
        raise RuntimeError("configs/vit.textproto: no task seeds line")
    open(path, "w").write(text)
    return path


def check_vit(hero, out_dir, seed_dir, program, threads):
    config = vit_config(out_dir)
    adamw = tune_vit(hero, ADAMW, config, VIT_GRID["adamw"], threads,
                     os.path.join(out_dir, "vit_adamw.json"))
    grid = VIT_GRID["answer"]
    body = re.sub(r"^def train\(.*$", "", open(program).read(), flags=re.M)
    if "λ" not in body:  # λ cannot matter: tune the lr alone.
        grid = (grid[0], "1")
    mine = tune_vit(hero, program, config, grid, threads,
                    os.path.join(seed_dir, "checks", "vit_tune.json"))
    return mine - adamw


def check_seed(hero, seed_dir, threads, ablate):
    answer = os.path.join(seed_dir, "top", "answer.py")
    cls = answer_class(hero, answer)
    row = dict(cls=cls, ablated_cls="-")
    out = os.path.join(seed_dir, "checks")
    os.makedirs(out, exist_ok=True)
    text = open(os.path.join(seed_dir, "config.textproto")).read()
    # The task's training seeds (the first 4-space `seeds:` line is
    # task.train's; the funnel's are indented deeper).
    config, n = re.subn(r"^    seeds: .*$",
                        f"    seeds: {CHECK_SEEDS}",
                        text, count=1, flags=re.M)
    if n != 1:
        raise RuntimeError(f"{seed_dir}/config.textproto: no task seeds line")
    config_path = os.path.join(out, "check.textproto")
    open(config_path, "w").write(config)
    ablated_answer = os.path.join(out, "ablated.py")
    fresh = (os.path.exists(ablated_answer) and
             os.path.getmtime(ablated_answer) >= os.path.getmtime(answer))
    if ablate and fresh:  # Kept from an earlier run of this script.
        row["ablated_cls"] = answer_class(hero, ablated_answer)
    elif ablate:
        cmd = [hero, "simplify", answer, f"--config={config_path}"]
        if threads:
            cmd.append(f"--threads={threads}")
        r = run(cmd)
        if r.returncode != 0:
            raise RuntimeError(f"{' '.join(cmd)}: {r.stderr.strip()}")
        open(ablated_answer, "w").write(r.stdout)
        open(os.path.join(out, "ablation.log"), "w").write(r.stderr)
        row["ablated_cls"] = answer_class(hero, ablated_answer)
    if not ({cls, row["ablated_cls"]} & {"sign_momentum", "lion_form"}):
        return row
    program = open(answer).read()
    ablated, signs = re.subn(r"\bsign\((\w+)\)", r"\1 * 1", program)
    ablated_path = os.path.join(out, "no_sign.py")
    open(ablated_path, "w").write(ablated)
    programs = [answer, ADAMW] + ([ablated_path] if signs else [])
    results = compare(hero, config_path, programs, threads,
                      os.path.join(out, "curves.svg"))
    a, b = results[0], results[1]
    ok = lambda r: r["status"] == "ok"
    row["val_gap"] = a["val_accuracy"] - b["val_accuracy"] if ok(a) and ok(b) else None
    row["test_gap"] = a["test_accuracy"] - b["test_accuracy"] if ok(a) and ok(b) else None
    row["wins"] = (sum(x > y for x, y in zip(a["seed_val_accuracy"],
                                             b["seed_val_accuracy"]))
                   if ok(a) and ok(b) else 0)
    if signs:
        c = results[2]
        row["ablation"] = a["val_accuracy"] - (c["val_accuracy"] if ok(c) else 0)
    else:
        row["ablation"] = None
    row["proxy_ok"] = (row["val_gap"] is not None and
                       row["val_gap"] >= MIN_VAL_GAP and row["test_gap"] > 0)
    row["ablation_ok"] = (row["ablation"] is not None and
                          row["ablation"] > 5 * ABLATION_TOLERANCE)
    json.dump(dict(row, results=results), open(os.path.join(out, "checks.json"), "w"),
              indent=1)
    return row


def fmt(x, scale=100, digits=2):
    return "-" if x is None else f"{x * scale:+.{digits}f}"


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    flags = dict(a[2:].split("=", 1) for a in sys.argv[1:]
                 if a.startswith("--") and "=" in a)
    if len(args) != 1 or any(a in ("-h", "--help") for a in sys.argv[1:]):
        print(__doc__.strip())
        return 0 if "--help" in sys.argv or "-h" in sys.argv else 2
    # Paths given are the caller's; configs/programs/adamw.py and the
    # default binary are the repository's.
    out_dir = os.path.abspath(args[0])
    hero = flags.get("hero", os.environ.get("HERO", ""))
    hero = os.path.abspath(hero) if hero else ""
    os.chdir(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
    hero = hero or os.path.abspath("bazel-bin/src/cli/hero")
    ablate = "--ablate" in sys.argv[1:]
    threads = flags.get("threads", "")
    seeds = sorted((d for d in os.listdir(out_dir) if re.fullmatch(r"seed\d+", d)),
                   key=lambda d: int(d[4:]))
    if not seeds:
        print(f"error: {out_dir}: no seedK directories", file=sys.stderr)
        return 2
    print(f"validity checks on {out_dir} (seeds {CHECK_SEEDS}; gaps in "
          "validation/test points vs AdamW at its tuned lr and λ)")
    print(f"{'seed':4}  {'answer':13}  {'ablated':13}  {'val gap':>7}  "
          f"{'test gap':>8}  {'wins':>4}  {'no-sign cost':>12}  {'ViT':7}  verdict")
    vit = flags.get("vit", "")
    vit_seeds = ({d[4:] for d in seeds} if vit == "all" else
                 set(vit.split(",")) if vit else set())
    considered = valid = vit_checked = vit_valid = 0
    ablated = collections.Counter()
    for d in seeds:
        seed_dir = os.path.join(out_dir, d)
        row = check_seed(hero, seed_dir, threads, ablate)
        ablated[row["ablated_cls"]] += 1
        if "val_gap" not in row:
            print(f"{d[4:]:4}  {row['cls']:13}  {row['ablated_cls']:13}  "
                  "(not a discovery: not checked)")
            continue
        considered += 1
        good = row["proxy_ok"] and row["ablation_ok"]
        valid += good
        vit_gap = None
        if good and d[4:] in vit_seeds:
            ablated_path = os.path.join(seed_dir, "checks", "ablated.py")
            program = (ablated_path if ablate else
                       os.path.join(seed_dir, "top", "answer.py"))
            vit_gap = check_vit(hero, out_dir, seed_dir, program, threads)
            vit_checked += 1
            vit_valid += vit_gap >= -VIT_MAX_GAP
        if not good:
            verdict = "fails: " + ", ".join(
                s for s, bad in (("val gap < 0.3 or test gap <= 0", not row["proxy_ok"]),
                                 ("sign not essential", not row["ablation_ok"]))
                if bad)
        elif vit_gap is None:
            verdict = "holds on the proxy"
        else:
            verdict = ("holds" if vit_gap >= -VIT_MAX_GAP else
                       "fails: > 0.2 points below AdamW on the ViT")
        print(f"{d[4:]:4}  {row['cls']:13}  {row['ablated_cls']:13}  {fmt(row['val_gap']):>7}  "
              f"{fmt(row['test_gap']):>8}  {row['wins']:>2}/{len(CHECK_SEEDS)}  "
              f"{fmt(row['ablation']):>12}  {fmt(vit_gap) if vit_gap is not None else 'not run':7}  {verdict}")
    print(f"ratio valid_on_proxy={valid}/{considered}")
    if vit_seeds:
        print(f"ratio valid={vit_valid}/{vit_checked}")
    if ablate:
        print("ratio sign_momentum_after_ablation="
              f"{ablated['sign_momentum'] + ablated['lion_form']}/{len(seeds)}")
        print(f"ratio lion_form_after_ablation={ablated['lion_form']}/{len(seeds)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
