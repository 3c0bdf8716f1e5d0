"""Fit the source terms of the garble score (repair.score.source) on the MLQE-PE train split and
write ``repair/data/score_source_model.json``. The monolingual model (``score_model.json``, fitted
by training/fit_score.py) is read, never changed.

    python training/fit_source_score.py            # fit, report 5-fold CV on train, write
    python training/fit_source_score.py --cv-only  # only the cross-validation figures

Stacking on the monolingual model. For each train row (source, MT, HTER; ro, et, ne, si, ru
into English, 35,000 rows): the monolingual model's text prediction, with the edit-rate features
computed out of fold (5 folds, as training/fit_score.py fits them, so that no row is scored by a
table that counted it; the findings part is left out: the rule packs rarely fire on MLQE-PE and
analysing 35,000 rows is slow), and the source features of
:func:`repair.score.source.source_features`. Target: the row's HTER quantile within its language
pair (as for the monolingual model). Ridge regression with every weight >= 0 on the
monolingual prediction (one linear column) and ramps of each source feature between knots at
0 and the quartiles and 95th percentile of its positive values (a feature positive on fewer than
``MIN_POSITIVE`` rows is left out). The source ramps are divided by the monolingual column's
weight, so that they are in units of the monolingual prediction and add to it unchanged.

The ridge penalty is chosen by 5-fold cross-validation on train (mean over pairs of the
Spearman correlation with HTER, against the monolingual prediction alone on the same rows).
The held-out figures (MLQE-PE dev, findings included) are ``benchmarks/eval_score.py --source``.
Needs numpy (training only). Skips when ../shared/corpora is absent.
"""
from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import fit_score as fs  # noqa: E402
from fit_score import data  # noqa: E402

ALPHAS = (1e-5, 1e-4, 1e-3)
MIN_POSITIVE = 30
QUANTILES = (0.25, 0.5, 0.75, 0.95)
OUT = data.ROOT / "repair" / "data" / "score_source_model.json"


def lang_of(pair: str) -> str:
    return pair.split("-")[0]


def knots_for(feats: list[dict[str, float]]) -> dict[str, list[float]]:
    import numpy as np

    from repair.score.source import FEATURES

    out = {}
    for name in FEATURES:
        pos = np.array([f[name] for f in feats if f[name] > 0])
        if len(pos) < MIN_POSITIVE:
            continue
        knots = sorted({0.0, *(round(float(q), 6) for q in np.quantile(pos, QUANTILES))})
        if len(knots) >= 2:
            out[name] = knots
    return out


def design(mono, feats, knots):
    import numpy as np

    cols = [np.asarray(mono)]
    names = [("mono", None, None)]
    for name, ks in knots.items():
        col = np.array([f[name] for f in feats])
        for a, b in zip(ks, ks[1:]):
            cols.append(np.clip((col - a) / (b - a), 0.0, 1.0))
            names.append((name, a, b))
    return np.column_stack(cols), names


def export(names, w) -> dict[str, dict[str, list[float]]]:
    scale = float(w[0])
    numeric: dict[str, dict[str, list[float]]] = {}
    for (name, lo, hi), weight in zip(names[1:], w[1:]):
        pts = numeric.setdefault(name, {"x": [lo], "y": [0.0]})
        pts["x"].append(hi)
        pts["y"].append(round(pts["y"][-1] + float(weight) / scale, 6))
    return {k: v for k, v in numeric.items() if v["y"][-1] > 0}


def mono_predictions(rows) -> list[float]:
    """The monolingual model's text prediction of each row, edit rates out of fold."""
    from repair.score import load_model

    model = load_model()
    base = data.features(rows, [[] for _ in rows], with_rates=False)
    edits = [fs.edited_tokens(r["text"], r["pe"]) for r in rows]
    rates = fs.rate_features(edits, rows, list(range(len(rows))))
    return [model.predict_text({**b, **r}) for b, r in zip(base, rates)]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cv-only", action="store_true")
    ap.add_argument("--out", default=str(OUT))
    args = ap.parse_args()
    import numpy as np

    from repair.score.source import source_features

    t0 = time.time()
    rows = data.mlqe("train")
    mono = np.array(mono_predictions(rows))
    feats = [source_features(r["src"], r["text"], lang_of(r["pair"])) for r in rows]
    y = fs.target(rows)
    print(f"{len(rows)} training rows, features in {time.time() - t0:.0f}s", file=sys.stderr)

    order = list(range(len(rows)))
    random.Random(13).shuffle(order)
    preds = {a: np.zeros(len(rows)) for a in ALPHAS}
    for k in range(5):
        test = sorted(order[k::5])
        held = set(test)
        train = [i for i in range(len(rows)) if i not in held]
        knots = knots_for([feats[i] for i in train])
        X_tr, _ = design(mono[train], [feats[i] for i in train], knots)
        X_te, _ = design(mono[test], [feats[i] for i in test], knots)
        for a in ALPHAS:
            b, w = fs.ridge(X_tr, y[train], a)
            preds[a][test] = b + X_te @ w
    without = fs.per_pair_spearman(mono, rows)
    print("5-fold CV Spearman with HTER (train), monolingual alone: "
          + " ".join(f"{p} {v:.3f}" for p, v in without.items()) + f"  mean {np.mean(list(without.values())):.3f}")
    best = None
    for a, p in preds.items():
        cv = fs.per_pair_spearman(p, rows)
        mean = float(np.mean(list(cv.values())))
        print(f"alpha={a:g}: with the source " + " ".join(f"{q} {v:.3f}" for q, v in cv.items()) + f"  mean {mean:.3f}")
        if best is None or mean > best[0]:
            best = (mean, a, cv)
    if args.cv_only:
        return
    _, alpha, cv = best
    knots = knots_for(feats)
    X, names = design(mono, feats, knots)
    b, w = fs.ridge(X, y, alpha)
    numeric = export(names, w)
    model = {
        "version": 1,
        "numeric": numeric,
        "meta": {
            "adds_to": "the text prediction of repair/data/score_model.json (before calibration), for each "
                       "sentence of a unit that has a source",
            "trained_on": f"MLQE-PE v2 train, ro-en et-en ne-en si-en ru-en together ({len(rows)} rows), "
                          "stacked on the monolingual prediction (edit rates out of fold, no findings)",
            "monolingual_weight": round(float(w[0]), 6),
            "ridge_alpha": alpha,
            "cv_spearman_hter": {p: round(v, 4) for p, v in cv.items()},
            "cv_spearman_hter_monolingual": {p: round(v, 4) for p, v in without.items()},
            "knots": "0 and the quartiles and 95th percentile of each feature's positive training values",
            "fitted_by": "training/fit_source_score.py",
        },
    }
    Path(args.out).write_text(json.dumps(model, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.out}: {len(numeric)} source features, monolingual weight {w[0]:.3f}, alpha {alpha:g}")
    for name, spec in numeric.items():
        print(f"  {name}: x {spec['x']} y {spec['y']}")


if __name__ == "__main__":
    main()
