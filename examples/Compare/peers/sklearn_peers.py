#!/usr/bin/env python3
"""scikit-learn peers for examples/Compare, on exactly Compare's splits.

Compare --export-splits DIR writes, per data set, DIR/<name>.csv with the test rows of every split ("split,row": row is
the 0-based data row of the CSV, header excluded). This script reads the same CSVs and those splits, featurises as Compare
does (numeric columns: mean imputation; text columns: one-hot, unknown categories all-zero; then StandardScaler on every
column, as scikit-learn users do), trains on each split's other rows and writes JSON rows in Compare's --json format,
which `Compare --peer-results FILE` prints beside the ML.NET trainers:

  sklearn-mlp16, sklearn-mlp64   MLPClassifier / MLPRegressor((H,), activation="logistic"), its defaults otherwise
                                 (adam, lr 0.001, alpha 1e-4, batch 200, tol 1e-4), max_iter=1000, random_state=split
  sklearn-hgb                    HistGradientBoostingClassifier / Regressor, its defaults, random_state=split

Metrics as Compare names them: binary auc, accuracy, logLoss; regression rmse, mae, r2; multiclass microAccuracy,
macroAccuracy (mean per-class recall, as ML.NET), logLoss. trainSeconds is fit time alone (featurisation excluded).

A study tool: scikit-learn 1.2 and pandas from Debian (apt-get install python3-sklearn python3-pandas); never part of
.ci/run or the README's two commands. Re-running the study: docs/defaults.md, "scikit-learn on the same rows".

usage: sklearn_peers.py --data-dir DIR --manifest FILE --splits DIR --out FILE [--sets a,b,...] [--jobs N]
"""
import argparse
import csv
import json
import math
import sys
import time
import warnings
from concurrent.futures import ProcessPoolExecutor

import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import HistGradientBoostingClassifier, HistGradientBoostingRegressor
from sklearn.exceptions import ConvergenceWarning
from sklearn.impute import SimpleImputer
from sklearn.metrics import accuracy_score, balanced_accuracy_score, log_loss, mean_absolute_error, mean_squared_error, r2_score, roc_auc_score
from sklearn.neural_network import MLPClassifier, MLPRegressor
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

TRAINERS = ["sklearn-mlp16", "sklearn-mlp64", "sklearn-hgb"]


def is_number(s):
    try:
        float(s)
        return True
    except ValueError:
        return False


def read_manifest(path):
    rows = []
    with open(path, newline="") as f:
        lines = [l for l in f if l.strip() and not l.lstrip().startswith("#")]
    for r in csv.DictReader(lines):
        rows.append((r["file"], r["label"], r["task"], r.get("positive") or None))
    return rows


def load(path, label, task, positive):
    """The CSV as Compare reads it: every field text; a column is numeric when every non-empty value parses."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, skip_blank_lines=True)
    features = [c for c in frame.columns if c != label]
    numeric = [c for c in features if all(v == "" or is_number(v) for v in frame[c])]
    text = [c for c in features if c not in numeric]
    x = frame[features].copy()
    for c in numeric:
        x[c] = pd.to_numeric(x[c].replace("", np.nan))
    y_raw = frame[label]
    if task == "regression":
        y = pd.to_numeric(y_raw).to_numpy(dtype=float)
    elif task == "binary":
        y = (y_raw == positive).to_numpy(dtype=int)
    else:
        y = y_raw.to_numpy()
    return x, y, numeric, text


def featurizer(numeric, text):
    parts = []
    if numeric:
        parts.append(("num", SimpleImputer(strategy="mean"), numeric))
    if text:
        parts.append(("cat", OneHotEncoder(handle_unknown="ignore", sparse_output=False), text))
    return make_pipeline(ColumnTransformer(parts), StandardScaler())


def estimator(name, task, seed):
    if name == "sklearn-hgb":
        return HistGradientBoostingRegressor(random_state=seed) if task == "regression" else HistGradientBoostingClassifier(random_state=seed)
    h = 16 if name == "sklearn-mlp16" else 64
    kind = MLPRegressor if task == "regression" else MLPClassifier
    return kind(hidden_layer_sizes=(h,), activation="logistic", max_iter=1000, random_state=seed)


def metrics(task, model, x, y):
    if task == "regression":
        p = model.predict(x)
        return {"rmse": math.sqrt(mean_squared_error(y, p)), "mae": mean_absolute_error(y, p), "r2": r2_score(y, p)}
    proba = model.predict_proba(x)
    if task == "binary":
        p1 = proba[:, list(model.classes_).index(1)]
        return {"auc": roc_auc_score(y, p1), "accuracy": accuracy_score(y, p1 >= 0.5), "logLoss": log_loss(y, proba, labels=model.classes_) / math.log(2)}
    predicted = model.classes_[np.argmax(proba, axis=1)]
    return {
        "microAccuracy": accuracy_score(y, predicted),
        "macroAccuracy": balanced_accuracy_score(y, predicted),
        "logLoss": log_loss(y, proba, labels=model.classes_) / math.log(2),
    }


def run_split(args):
    """One (data set, split): every trainer on the same featurised rows."""
    path, label, task, positive, name, split, test_rows = args
    warnings.filterwarnings("ignore", category=ConvergenceWarning)
    x, y, numeric, text = load(path, label, task, positive)
    test = np.zeros(len(x), dtype=bool)
    test[test_rows] = True
    prep = featurizer(numeric, text).fit(x[~test])
    x_train, x_test = prep.transform(x[~test]), prep.transform(x[test])
    out = []
    for trainer in TRAINERS:
        model = estimator(trainer, task, split)
        start = time.perf_counter()
        model.fit(x_train, y[~test])
        seconds = time.perf_counter() - start
        start = time.perf_counter()
        m = metrics(task, model, x_test, y[test])
        predict = time.perf_counter() - start
        out.append((name, task, trainer, split, m, seconds, int(test.sum()) / max(predict, 1e-9)))
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir", required=True)
    parser.add_argument("--manifest", required=True)
    parser.add_argument("--splits", required=True, help="the folder Compare --export-splits wrote")
    parser.add_argument("--out", required=True)
    parser.add_argument("--sets", help="comma-separated data set names (default: all in the manifest)")
    parser.add_argument("--jobs", type=int, default=2)
    a = parser.parse_args()
    wanted = set(a.sets.split(",")) if a.sets else None
    tasks = []
    for file, label, task, positive in read_manifest(a.manifest):
        name = file.rsplit(".", 1)[0]
        if wanted and name not in wanted:
            continue
        splits = {}
        with open(f"{a.splits}/{name}.csv", newline="") as f:
            for r in csv.DictReader(f):
                splits.setdefault(int(r["split"]), []).append(int(r["row"]))
        for split, rows in sorted(splits.items()):
            tasks.append((f"{a.data_dir}/{file}", label, task, positive, name, split, rows))
    results = []
    with ProcessPoolExecutor(max_workers=a.jobs) as pool:
        for rows in pool.map(run_split, tasks):
            results.extend(rows)
            print(f"{rows[0][0]} split {rows[0][3]}: " + ", ".join(f"{r[2]} {next(iter(r[4].values())):.4f} ({r[5]:.2f} s)" for r in rows), file=sys.stderr)
    summary = []
    for key in dict.fromkeys((r[0], r[1], r[2]) for r in results):
        rows = [r for r in results if (r[0], r[1], r[2]) == key]
        summary.append({
            "dataset": key[0], "task": key[1], "trainer": key[2], "splits": len(rows),
            "metrics": {k: float(np.mean([r[4][k] for r in rows])) for k in rows[0][4]},
            "trainSeconds": float(np.mean([r[5] for r in rows])),
            "predictRowsPerSecond": float(np.mean([r[6] for r in rows])),
        })
    with open(a.out, "w") as f:
        json.dump(summary, f, indent=2)
    print(f"{len(summary)} rows written to {a.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
