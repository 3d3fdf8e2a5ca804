#!/usr/bin/env python3
"""The defaults study's protocol (docs/defaults.md), applied to Compare's --json output.

usage: analyse.py PEERS.json VARIANTS.json [MORE_VARIANTS.json ...] [--pick BINARY_NAME REGRESSION_NAME]

For every TinyNet configuration (rows named tinynet or tinynet:NAME) and every binary / regression data set:
  - the score: AUC (binary) or RMSE relative to the best configuration's on that set (regression: rmse / best);
  - its rank among the configurations on that set (1 = best; ties share the mean rank);
  - the gap to the defaults' targets: binary AUC - max(lbfgs, sdca) (target >= -0.005) and AUC - lightgbm;
    regression RMSE / min(sdca, ogd) (target <= 1.02) and RMSE / lightgbm.
Per configuration it prints the median rank, the worst loss against the best configuration on any set, the number
of sets that miss the linear target, and the median gap to LightGBM. With --pick, it then prints the targets table of
the two chosen configurations (rows tinynet:NAME, or tinynet for the defaults) beside every peer. Standard library only.
"""
import json
import statistics
import sys


def load(paths):
    rows = []
    for p in paths:
        with open(p) as f:
            rows.extend(json.load(f))
    return rows


def targets(peers, variants, picks):
    peer = {(r["dataset"], r["trainer"]): r for r in peers}
    mine = {(r["dataset"], r["trainer"]): r for r in variants}
    sets = list(dict.fromkeys(r["dataset"] for r in variants))
    print("\n## The chosen configurations against the peers and the targets\n")
    print("| set | metric | TinyNet | L-BFGS | SDCA | OGD | FastTree | LightGBM | vs best linear | target | vs LightGBM | TinyNet train s |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|:-:|---:|---:|")
    gaps = {"binary": [], "regression": []}
    for s in sets:
        task = next(r["task"] for r in variants if r["dataset"] == s)
        name = picks[task]
        if (s, name) not in mine:
            continue
        binary = task == "binary"
        key = "auc" if binary else "rmse"
        v = mine[(s, name)]["metrics"][key]
        get = lambda t: peer[(s, t)]["metrics"][key] if (s, t) in peer else None
        fmt = (lambda x: "" if x is None else f"{x:.4f}") if binary else (lambda x: "" if x is None else f"{x:.5g}")
        cells = [fmt(get(t)) for t in ("lbfgs", "sdca", "ogd", "fasttree", "lightgbm")]
        if binary:
            linear = max(x for x in (get("lbfgs"), get("sdca")) if x is not None)
            versus, ok = f"{v - linear:+.4f}", v >= linear - 0.005
            gap = v - get("lightgbm")
            gap_text = f"{gap:+.4f}"
        else:
            linear = min(x for x in (get("sdca"), get("ogd")) if x is not None)
            versus, ok = f"×{v / linear:.3f}", v <= 1.02 * linear
            gap = v / get("lightgbm") - 1
            gap_text = f"{100 * gap:+.1f}%"
        gaps[task].append(gap)
        print(f"| {s} | {'AUC' if binary else 'RMSE'} | **{fmt(v)}** | " + " | ".join(cells) +
              f" | {versus} | {'met' if ok else 'MISSED'} | {gap_text} | {mine[(s, name)]['trainSeconds']:.2f} |")
    if gaps["binary"]:
        print(f"\nMedian over the binary sets of TinyNet's AUC − LightGBM's: {statistics.median(gaps['binary']):+.4f} (target: within 0.01).")
    if gaps["regression"]:
        print(f"Median over the regression sets of TinyNet's RMSE / LightGBM's − 1: {100 * statistics.median(gaps['regression']):+.1f}% (target: within 10%).")


def main(argv):
    picks = None
    if "--pick" in argv:
        i = argv.index("--pick")
        picks = {"binary": argv[i + 1], "regression": argv[i + 2]}
        picks = {k: (v if v.startswith("tinynet") else "tinynet:" + v) for k, v in picks.items()}
        argv = argv[:i] + argv[i + 3:]
    if len(argv) < 3:
        print(__doc__)
        return 2
    peers = load([argv[1]])
    variants = [r for r in load(argv[2:]) if r["trainer"].startswith("tinynet")]
    peer = {(r["dataset"], r["trainer"]): r["metrics"] for r in peers}
    names = list(dict.fromkeys(r["trainer"] for r in variants))
    for task in ("binary", "regression", "multiclass"):
        sets = list(dict.fromkeys(r["dataset"] for r in variants if r["task"] == task))
        if not sets:
            continue
        binary = task != "regression"    # higher is better
        key = {"binary": "auc", "regression": "rmse", "multiclass": "microAccuracy"}[task]
        score = {(r["dataset"], r["trainer"]): r["metrics"][key] for r in variants if r["task"] == task}
        time = {(r["dataset"], r["trainer"]): r["trainSeconds"] for r in variants if r["task"] == task}
        ranks = {n: [] for n in names}
        loss = {n: [] for n in names}
        for s in sets:
            present = [n for n in names if (s, n) in score]
            values = {n: score[(s, n)] for n in present}
            best = max(values.values()) if binary else min(values.values())
            for n in present:
                v = values[n]
                better = sum(1 for w in values.values() if (w > v if binary else w < v))
                ties = sum(1 for w in values.values() if w == v)
                ranks[n].append(better + (ties + 1) / 2)
                loss[n].append(best - v if binary else v / best - 1)
        below = {"binary": "AUC below", "regression": "RMSE above (relative)", "multiclass": "micro accuracy below"}[task]
        print(f"\n## {task}: {len(sets)} sets; loss = {below} the best configuration on the set")
        print(f"| configuration | median rank | mean rank | worst loss (set) | misses linear target | median gap to LightGBM | total train s |")
        print("|---|---:|---:|---|---:|---:|---:|")
        for n in names:
            if not ranks[n]:
                continue
            worst = max(range(len(loss[n])), key=lambda i: loss[n][i])
            present = [s for s in sets if (s, n) in score]
            misses, gaps = [], []
            for s in present:
                v = score[(s, n)]
                if binary:
                    # binary: AUC ≥ the better linear trainer − 0.005; multiclass: micro accuracy ≥ the better
                    # maximum-entropy trainer, no tolerance
                    linear = max(peer.get((s, t), {}).get(key, float("-inf")) for t in ("lbfgs", "sdca"))
                    if v < linear - (0.005 if task == "binary" else 1e-9):
                        misses.append(s)
                    if (s, "lightgbm") in peer:
                        gaps.append(v - peer[(s, "lightgbm")][key])
                else:
                    linear = min(peer.get((s, t), {}).get("rmse", float("inf")) for t in ("sdca", "ogd"))
                    if v > 1.02 * linear:
                        misses.append(s)
                    if (s, "lightgbm") in peer:
                        gaps.append(v / peer[(s, "lightgbm")]["rmse"] - 1)
            gap = f"{statistics.median(gaps):+.4f}" if gaps else ""
            loss_text = f"{loss[n][worst]:.4f} ({present[worst]})" if binary else f"{100 * loss[n][worst]:.1f}% ({present[worst]})"
            print(f"| {n} | {statistics.median(ranks[n]):.1f} | {statistics.mean(ranks[n]):.2f} | {loss_text} | {len(misses)} {' '.join(misses)} | {gap} | {sum(time[(s, n)] for s in present):.1f} |")

        print(f"\n### {task}: {key} per set")
        cols = [n for n in names if any((s, n) in score for s in sets)] + (["lbfgs", "sdca", "lightgbm"] if binary else ["sdca", "ogd", "lightgbm"])
        print("| set | " + " | ".join(c.replace("tinynet:", "") for c in cols) + " |")
        print("|---|" + "---:|" * len(cols))
        for s in sets:
            cells = []
            for c in cols:
                v = score.get((s, c)) if c.startswith("tinynet") else peer.get((s, c), {}).get(key)
                cells.append("" if v is None else (f"{v:.4f}" if binary else f"{v:.5g}"))
            print(f"| {s} | " + " | ".join(cells) + " |")
    if picks:
        targets(peers, variants, picks)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
