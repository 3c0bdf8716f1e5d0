"""Fit the garble score on the MLQE-PE train split (all five pairs as ONE model) and write
``repair/data/score_model.json``.

    python benchmarks/fit_score.py            # fit, report 5-fold cross-validation on train, write
    python benchmarks/fit_score.py --cv-only  # only the cross-validation figures

Only train is read. The ridge penalty is chosen by 5-fold cross-validation on train (mean
over pairs of the Spearman correlation with HTER). The model is linear in piecewise-linear
transforms of the numeric features (hinges at train quantiles) and in the finding counts
(log1p) by rule, prefix, source and severity, so ``repair/score.py`` evaluates it in pure
Python. Needs numpy (benchmarks only). Skips when ../shared/corpora is absent.
"""
from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

import _score_data as data

MIN_SUPPORT = 30          # a finding key needs this many training sentences to get its own weight
ALPHAS = (1.0, 10.0, 100.0, 1000.0)
QUANTILES = (0.25, 0.5, 0.75)
KEY_PREFIXES = ("rule:", "prefix:", "source:", "severity:", "per_word:")
OUT = data.ROOT / "repair" / "data" / "score_model.json"


def design(feats, spec=None):
    """Columns: numeric features with hinges, then finding keys. ``spec`` fixes them (from train)."""
    import numpy as np

    if spec is None:
        numeric = sorted({k for f in feats for k in f if not k.startswith(KEY_PREFIXES)})
        support: dict[str, int] = {}
        for f in feats:
            for k in f:
                if k.startswith(KEY_PREFIXES):
                    support[k] = support.get(k, 0) + 1
        keys = sorted(k for k, n in support.items() if n >= MIN_SUPPORT)
        spec = {"numeric": {}, "keys": keys}
        for name in numeric:
            col = np.array([f.get(name, 0.0) for f in feats])
            lo, hi = np.quantile(col, [0.005, 0.995])
            col = np.clip(col, lo, hi)
            knots = sorted({float(q) for q in np.quantile(col, QUANTILES) if lo < q < hi})
            spec["numeric"][name] = {"clip": [float(lo), float(hi)], "knots": knots}
    cols, names = [], []
    for name, s in spec["numeric"].items():
        col = np.clip(np.array([f.get(name, 0.0) for f in feats]), *s["clip"])
        cols.append(col)
        names.append((name, -1))
        for i, k in enumerate(s["knots"]):
            cols.append(np.maximum(0.0, col - k))
            names.append((name, i))
    for key in spec["keys"]:
        cols.append(np.array([f.get(key, 0.0) for f in feats]))
        names.append((key, None))
    return np.column_stack(cols), names, spec


def ridge(X, y, alpha):
    """Ridge regression with every weight >= 0 (active set: drop the most negative column, refit)."""
    import numpy as np

    mu = X.mean(axis=0)
    sd = X.std(axis=0)
    sd[sd == 0] = 1.0
    Z = (X - mu) / sd
    active = np.ones(X.shape[1], dtype=bool)
    active[X.std(axis=0) == 0] = False
    yc = y - y.mean()
    G = Z.T @ Z
    r = Z.T @ yc
    while True:
        idx = np.flatnonzero(active)
        beta = np.zeros(X.shape[1])
        beta[idx] = np.linalg.solve(G[np.ix_(idx, idx)] + alpha * np.eye(len(idx)), r[idx])
        neg = beta < 0
        if not neg.any():
            break
        active[neg & (beta <= beta[neg].min() * 0.5)] = False
    w = beta / sd
    b = y.mean() - float(w @ mu)
    return b, w


def calibrate(pred, hter=None, low=0.25, high=0.995):
    """The score scale, linear in the prediction: 0 at the 25th percentile of the training
    translations' predictions (a quarter of raw MT looks this clean or cleaner), 100 at the
    99.5th; clipped outside. Monotone, so it changes no ranking."""
    import numpy as np

    lo, hi = (round(float(np.quantile(pred, q)), 6) for q in (low, high))
    return [[lo, 0.0], [hi, 1.0]]


def per_pair_spearman(pred, rows, target="hter"):
    out = {}
    for pair in data.PAIRS:
        idx = [i for i, r in enumerate(rows) if r["pair"] == pair]
        out[pair] = data.spearman([float(pred[i]) for i in idx], [rows[i][target] for i in idx])
    return out


def cross_validate(feats, rows, y, alpha, folds=5, seed=13):
    import numpy as np

    order = list(range(len(rows)))
    random.Random(seed).shuffle(order)
    pred = np.zeros(len(rows))
    for k in range(folds):
        test = set(order[k::folds])
        tr = [i for i in range(len(rows)) if i not in test]
        te = sorted(test)
        X_tr, _, spec = design([feats[i] for i in tr])
        X_te, _, _ = design([feats[i] for i in te], spec)
        b, w = ridge(X_tr, y[tr], alpha)
        pred[te] = b + X_te @ w
    return per_pair_spearman(pred, rows)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cv-only", action="store_true")
    ap.add_argument("--out", default=str(OUT))
    ap.add_argument("--target", choices=("hter", "rank"), default="rank")
    ap.add_argument("--alphas", default=",".join(str(a) for a in ALPHAS))
    args = ap.parse_args()
    import numpy as np

    t0 = time.time()
    rows = data.mlqe("train")
    found = data.findings_for([r["text"] for r in rows], "mlqe-train")
    feats = data.features(rows, found)
    y = np.clip(np.array([r["hter"] for r in rows]), 0.0, 1.0)
    if args.target == "rank":  # within-pair quantile of HTER: rank within a pair is what is measured
        for pair in data.PAIRS:
            idx = [i for i, r in enumerate(rows) if r["pair"] == pair]
            ranks = data.rank([rows[i]["hter"] for i in idx])
            for i, rk in zip(idx, ranks):
                y[i] = rk / len(idx)
    print(f"{len(rows)} training sentences, features in {time.time() - t0:.0f}s", file=sys.stderr)

    best = None
    for alpha in [float(a) for a in args.alphas.split(",")]:
        cv = cross_validate(feats, rows, y, alpha)
        mean = sum(cv.values()) / len(cv)
        print(f"alpha={alpha:g}: 5-fold CV Spearman with HTER (train) "
              + " ".join(f"{p} {v:.3f}" for p, v in cv.items()) + f"  mean {mean:.3f}")
        if best is None or mean > best[0]:
            best = (mean, alpha, cv)
    if args.cv_only:
        return
    mean, alpha, cv = best
    X, names, spec = design(feats)
    b, w = ridge(X, y, alpha)
    numeric: dict[str, dict] = {}
    keys: dict[str, float] = {}
    for (name, part), weight in zip(names, w):
        if part is None:
            keys[name] = round(float(weight), 6)
        elif part == -1:
            numeric[name] = {"clip": [round(v, 6) for v in spec["numeric"][name]["clip"]],
                             "knots": [round(v, 6) for v in spec["numeric"][name]["knots"]],
                             "w": [round(float(weight), 6)]}
        else:
            numeric[name]["w"].append(round(float(weight), 6))
    pred = b + X @ w
    calibration = calibrate(pred, np.array([r["hter"] for r in rows]))
    model = {
        "version": 1,
        "intercept": round(b, 6),
        "numeric": numeric,
        "keys": dict(sorted(keys.items(), key=lambda kv: -abs(kv[1]))),
        "calibration": calibration,
        "meta": {
            "target": f"{args.target} ({'within-pair quantile of HTER' if args.target == 'rank' else 'HTER clipped to 0..1'}); "
                      "score = 100 * (prediction - q25) / (q99.5 - q25) of the training predictions, clipped",
            "trained_on": "MLQE-PE v2 train, ro-en et-en ne-en si-en ru-en together "
                          f"({len(rows)} sentences)",
            "findings": f"repair.analyse(text, grammar={data.GRAMMAR!r}), rules fingerprint "
                        f"{data.rules_fingerprint()}",
            "ridge_alpha": alpha,
            "cv_spearman_hter": {p: round(v, 4) for p, v in cv.items()},
            "min_support": MIN_SUPPORT,
            "fitted_by": "benchmarks/fit_score.py",
        },
    }
    Path(args.out).write_text(json.dumps(model, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.out}: {len(numeric)} numeric features, {len(keys)} finding keys, alpha {alpha:g}")


if __name__ == "__main__":
    main()
