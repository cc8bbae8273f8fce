#!/usr/bin/python3
"""How much of a search's budget went to broken candidates.

Reads RUN_DIR/history.csv (one row per journal record) and prints, for the
candidates of the search (warm start and children):

  - trained candidates (cache misses) and the cache hit rate;
  - the candidates a screen stopped before their run (search.fitness.screen:
    failure_reason "screen: ..."), as a share of the trained ones;
  - of the candidates trained on the task (past the screen), the share that
    failed (non-finite, the loss above max_loss, the hurdle) and that ended
    at chance level or below (fitness < 0.2, failures included: a 10-class
    model under 0.2 learned next to nothing);
  - the share of training time (eval_seconds) spent on the latter and on
    the screened-out ones (summary.json's below_chance, the same numbers);
  - per mutation kind (the first word of the mutation), the children made
    and the share of them broken (failed or fitness < 0.2), cache hits
    included (a cached fitness is the program's).

  tools/bench/search_stats.py runs/discovery          # text
  tools/bench/search_stats.py runs/discovery --ratios # also `ratio` lines
"""
import csv
import collections
import sys

CHANCE = 0.2


def stats(run_dir):
    rows = []
    with open(f"{run_dir}/history.csv", newline="") as f:
        for r in csv.DictReader(f):
            if r["kind"] in ("warm_start", "child"):
                rows.append(r)
    evaluated = [r for r in rows if r["cache_hit"] == ""]
    screened = [r for r in evaluated if r["status"] == "failed" and
                r["failure_reason"].startswith("screen:")]
    screened_ids = {r["id"] for r in screened}
    trained = [r for r in evaluated if r["id"] not in screened_ids]
    failed = [r for r in trained if r["status"] == "failed"]
    low = [r for r in trained if float(r["fitness"]) < CHANCE]
    seconds = sum(float(r["eval_seconds"]) for r in evaluated)
    low_seconds = sum(float(r["eval_seconds"]) for r in low + screened)
    kinds = collections.OrderedDict()
    for r in rows:
        if r["kind"] != "child":
            continue
        kind = r["mutation"].split(" ", 1)[0]
        made, broken = kinds.get(kind, (0, 0))
        kinds[kind] = (made + 1,
                       broken + (r["status"] == "failed" or
                                 float(r["fitness"]) < CHANCE))
    return dict(generated=len(rows), evaluated=len(evaluated),
                screened=len(screened), trained=len(trained),
                failed=len(failed), low=len(low), seconds=seconds,
                low_seconds=low_seconds, kinds=kinds)


def main():
    if len(sys.argv) < 2 or sys.argv[1] in ("-h", "--help"):
        print(__doc__.strip())
        return 0 if len(sys.argv) >= 2 else 2
    s = stats(sys.argv[1])
    n = max(1, s["trained"])
    print(f"candidates: {s['generated']} generated, {s['evaluated']} "
          f"evaluated (cache hits "
          f"{1 - s['evaluated'] / max(1, s['generated']):.1%}), "
          f"{s['screened']} screened out "
          f"({s['screened'] / max(1, s['evaluated']):.1%} of evaluated), "
          f"{s['trained']} trained on the task")
    print(f"failed: {s['failed'] / n:.1%} of trained")
    print(f"at chance or below (fitness < {CHANCE}): {s['low'] / n:.1%} of "
          f"trained, {s['low_seconds'] / max(1e-9, s['seconds']):.1%} of "
          f"the training time ({s['low_seconds']:.0f} of {s['seconds']:.0f} "
          f"s, screens included)")
    print("children broken (failed or fitness < 0.2) per mutation kind:")
    for kind, (made, broken) in sorted(s["kinds"].items()):
        print(f"  {kind:12s} {made:6d} made, {broken / made:6.1%} broken")
    if "--ratios" in sys.argv:
        print(f"ratio below_chance_trained_fraction={s['low'] / n:.4f}")
        print(f"ratio below_chance_time_fraction="
              f"{s['low_seconds'] / max(1e-9, s['seconds']):.4f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
