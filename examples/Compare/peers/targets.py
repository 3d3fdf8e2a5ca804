#!/usr/bin/env python3
"""The accuracy targets table: Compare's --json (TinyNet, LightGBM) beside sklearn_peers.py's output, on the same splits.

Per data set: TinyNet's primary metric (binary AUC, regression RMSE, multiclass micro accuracy), the better scikit-learn
MLP (16 or 64 hidden units), HistGradientBoosting, TinyNet's margin to the better MLP, and TinyNet's fit time beside
LightGBM's; then per task whether the targets hold:
  binary      AUC ≥ better MLP − 0.005 on every set; median |AUC − HGB| gap ≤ 0.01
  regression  RMSE ≤ 1.01 × better MLP on every set; median RMSE within 5% of HGB
  multiclass  micro accuracy ≥ better MLP − 0.005 on every set; median gap to HGB ≤ 0.01
  fit time    TinyNet ≤ LightGBM on the median set, ≤ 5× on every set
Prints Markdown (docs/defaults.md, "scikit-learn on the same rows").

usage: targets.py COMPARE.json SKLEARN.json [--tinynet NAME]
"""
import json
import statistics
import sys


def main():
    args = sys.argv[1:]
    tinynet = "tinynet"
    if "--tinynet" in args:
        i = args.index("--tinynet")
        tinynet = args[i + 1]
        del args[i:i + 2]
    rows = json.load(open(args[0])) + json.load(open(args[1]))
    by = {(r["dataset"], r["trainer"]): r for r in rows}
    tasks = {}
    for r in rows:
        tasks.setdefault(r["task"], [])
        if r["dataset"] not in tasks[r["task"]]:
            tasks[r["task"]].append(r["dataset"])
    metric = {"binary": "auc", "regression": "rmse", "multiclass": "microAccuracy"}
    all_ok = True
    for task in ("binary", "regression", "multiclass"):
        sets = [s for s in tasks.get(task, []) if (s, tinynet) in by and (s, "sklearn-mlp16") in by]
        if not sets:
            continue
        m = metric[task]
        higher = task != "regression"
        print(f"\n### {task}: {'AUC' if m == 'auc' else 'RMSE' if m == 'rmse' else 'micro accuracy'} ({'higher' if higher else 'lower'} is better), mean of 5 splits\n")
        print("| data set | TinyNet | better sklearn MLP | HistGradientBoosting | TinyNet − MLP | target | TinyNet fit s | LightGBM fit s | ratio |")
        print("|---|---:|---:|---:|---:|:---:|---:|---:|---:|")
        gaps_hgb, ratios, misses = [], [], 0
        for s in sets:
            t = by[(s, tinynet)]["metrics"][m]
            mlp = [by[(s, n)]["metrics"][m] for n in ("sklearn-mlp16", "sklearn-mlp64") if (s, n) in by]
            best = max(mlp) if higher else min(mlp)
            hgb = by[(s, "sklearn-hgb")]["metrics"][m]
            if higher:
                ok = t >= best - 0.005
                margin = f"{t - best:+.4f}"
                gaps_hgb.append(hgb - t)
            else:
                ok = t <= 1.01 * best
                margin = f"{t / best:.3f}×"
                gaps_hgb.append(t / hgb - 1)
            misses += not ok
            fit = by[(s, tinynet)]["trainSeconds"]
            lgb = by.get((s, "lightgbm"), {}).get("trainSeconds")
            ratio = fit / lgb if lgb else float("nan")
            ratios.append(ratio)
            fmt = "{:.4f}" if higher else "{:.4g}"
            print(f"| {s} | {fmt.format(t)} | {fmt.format(best)} | {fmt.format(hgb)} | {margin} | {'met' if ok else '**missed**'} | "
                  f"{fit:.2f} | {lgb if lgb is None else f'{lgb:.2f}'} | {ratio:.2f} |")
        median_gap = statistics.median(gaps_hgb)
        hgb_ok = median_gap <= (0.05 if not higher else 0.01)
        time_ok = statistics.median(ratios) <= 1 and max(ratios) <= 5
        all_ok &= misses == 0 and hgb_ok and time_ok
        print(f"\n{task}: {len(sets) - misses} of {len(sets)} sets meet the MLP target; median gap to HistGradientBoosting "
              f"{median_gap:+.4f}{'' if higher else ' (relative RMSE)'} ({'met' if hgb_ok else 'missed'}); fit time median "
              f"{statistics.median(ratios):.2f}× LightGBM, worst {max(ratios):.2f}× ({'met' if time_ok else 'missed'}).")
    print(f"\nAll targets {'met' if all_ok else 'NOT met'}.")


if __name__ == "__main__":
    main()
