"""Fit the garble score on the MLQE-PE train split (all five pairs as ONE model) and write
``repair/data/score_model.json`` and ``repair/data/edit_rates.tsv``.

    python training/fit_score.py            # fit, report 5-fold cross-validation on train, write
    python training/fit_score.py --cv-only  # only the cross-validation figures

Only train is read (MLQE-PE v2 train: machine translation, post-edit and HTER of 7,000
sentences in each of ro-en, et-en, ne-en, si-en, ru-en).

1. **Edit rates.** Each MT sentence's tokens are aligned with its post-edit (difflib); a
   token outside the matching blocks was changed by the editor. For every token key
   (:func:`repair.score.rate_key`: a word of the English frequency list, or a class such
   as ``<unkcap>``) and every pair of adjacent keys, the rate of change minus the rate of
   its sentence's language pair (so that a word is not suspicious merely because it is
   frequent in the worst-translated pair), smoothed towards the overall rate with
   ``SMOOTH`` pseudo-counts. Unknown capitalised words (names) never enter the table, and
   function words enter only through their pairs: both get the default rate. Keys seen
   fewer than ``MIN_UNIGRAM`` / ``MIN_BIGRAM`` times
   are left out of the shipped table. A training sentence's own edit-rate features are
   computed out of fold (5 folds) so that the fit never sees a sentence scored by a table
   that counted it.
2. **Model.** Each numeric feature (:func:`repair.score.text_features`, the edit-rate
   features) is expanded into ramps between its training quantiles; finding counts by rule
   and prefix with at least ``MIN_SUPPORT`` training sentences enter linearly. Ridge
   regression with every weight >= 0 (coordinate descent), so each feature's function is
   monotone non-decreasing: larger = more suspicious, never the reverse. Target: the
   sentence's HTER quantile within its language pair. **Post-edits**: the post-edited
   English of ``POST_EDITS`` of the training rows joins them as edited English, with the
   target of a translation no editor touched (the quantile of HTER 0). Fitted on machine
   translation alone, the model learned what makes one translation worse than another
   (words and numbers MT often gets wrong) and never what clean English looks like: clean
   prose scored like MT (benchmarks/eval_score_threshold.py: 16 % of clean 300-word documents
   above 40, against 34 % of MLQE-PE dev MT documents). The share trades that against the
   ranking of MT by HTER (share 1.0: dev Spearman 0.299; 0.3: 0.315; 0: 0.320).
3. **Priors.** Rules that barely fire on MLQE-PE (one-word fragments, the reporting
   inversion, mojibake, ...) get at least the weight in ``KEY_PRIORS`` (in score points per
   finding); boilerplate, grammar-checker and readability findings never count.
4. **Scale.** 0 at the 25th percentile of the training predictions of machine translation,
   100 at the 99.5th.
5. **Sentence findings** (``mt.garbled-sentence``, :mod:`repair.checks.garble`): the
   thresholds on a sentence's text-only score, stored in ``meta.sentence_findings``. Fitted
   on the train post-edits (edited English: what must stay quiet): ``info`` is the lowest
   whole score at which the prose sentences of the post-edits carry at most
   ``INFO_CLEAN_RATE`` findings per 1,000 words, ``warning`` the lowest at which they carry
   at most ``WARNING_CLEAN_RATE``. (Clean prose of other kinds fires about twice as often
   as post-edits at the same score, hence half the 0.1 per 1,000 words of the target.)
   ``--thresholds-only`` refits them for the shipped model.

The ridge penalty is chosen by 5-fold cross-validation on train (mean over pairs of the
Spearman correlation with HTER). Needs numpy (training only). Skips when
../shared/corpora is absent.
"""
from __future__ import annotations

import argparse
import difflib
import json
import math
import random
import sys
import time
from pathlib import Path

# the corpus readers and the cached findings are shared with the evaluation in benchmarks/
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import _score_data as data  # noqa: E402

MIN_SUPPORT = 30          # a finding key needs this many training sentences to get its own weight
ALPHAS = (1e-4, 1e-3, 1e-2)
N_QUANTILES = 6           # ramps per numeric feature
SMOOTH = 20.0             # pseudo-counts pulling a key's edit rate towards the overall rate
MIN_UNIGRAM = 3           # a word needs this many training occurrences to be in the shipped table
MIN_BIGRAM = 10           # a word pair needs this many
KEY_PREFIXES = ("rule:", "prefix:")
POST_EDITS = 0.3          # share of the training post-edits added as edited English (see step 2)
# features computed but not fitted: capitalised words the English list lacks are names, and
# names (however many) are not garble in English text, whatever MT does to them; a high share
# of function words is a matter of style (narrative, dialogue) as much as of garble
EXCLUDED = frozenset(("unk_cap_rate", "cap_rate", "allcaps", "fw_high"))
NEUTRAL = "<unkcap>"      # never in the edit-rate table: unknown capitalised words (names) get the default
# Score points one finding of these rules adds at least (they rarely fire on MLQE-PE, so
# the fit cannot weigh them; the figures are judgement, stated here and in the model).
KEY_PRIORS = {
    "rule:mt.fragment": 30.0, "rule:mt.reporting-inversion": 30.0, "rule:mt.missing-subject": 20.0,
    "rule:mt.repetition-loop": 40.0, "rule:mt.doubled-verb": 25.0, "rule:mt.repeated-phrase": 25.0,
    "rule:mt.stray-period": 10.0, "rule:script.foreign-run": 25.0, "rule:script.mixed-word": 20.0,
    "rule:encoding.mojibake": 40.0, "rule:encoding.lossy-mojibake": 40.0, "rule:quotes.unbalanced": 10.0,
}
INFO_CLEAN_RATE = 0.04     # mt.garbled-sentence info findings per 1,000 words of train post-edits, at most
WARNING_CLEAN_RATE = 0.01  # ... warning findings
OUT = data.ROOT / "repair" / "data" / "score_model.json"
RATES_OUT = data.ROOT / "repair" / "data" / "edit_rates.tsv"


# --- edit rates -----------------------------------------------------------------------------


def edited_tokens(mt: str, pe: str) -> tuple[list[str], list[int]]:
    """The rate keys of ``mt``'s tokens and, for each, 1 when the post-edit changed it."""
    from repair.score import _RATE_TOKEN, lexicon, rate_key

    lex = lexicon()
    a = _RATE_TOKEN.findall(mt)
    b = _RATE_TOKEN.findall(pe)
    sm = difflib.SequenceMatcher(None, [t.lower() for t in a], [t.lower() for t in b], autojunk=False)
    keep = [0] * len(a)
    for i, _, n in sm.get_matching_blocks():
        for k in range(i, i + n):
            keep[k] = 1
    return [rate_key(t, lex) for t in a], [1 - k for k in keep]


def _function_words() -> frozenset[str]:
    from repair.score import lexicon

    return lexicon().function_words


def pair_keys(keys: list[str]) -> list[str]:
    return [f"{a} {b}" for a, b in zip(["<s>", *keys], keys)]


def rate_table(edits, rows, idx, bigram: bool, min_count: int = 1):
    """{key: smoothed residual edit rate}, default rate, and counts, from the rows ``idx``."""
    by_pair: dict[str, list[int]] = {}
    for i in idx:
        s = by_pair.setdefault(rows[i]["pair"], [0, 0])
        s[0] += sum(edits[i][1])
        s[1] += len(edits[i][1])
    pair_rate = {p: e / n for p, (e, n) in by_pair.items()}
    function_words = _function_words()
    count: dict[str, int] = {}
    resid: dict[str, float] = {}
    total = edited = 0.0
    for i in idx:
        keys, flags = edits[i]
        if bigram:
            keys = pair_keys(keys)
        off = pair_rate[rows[i]["pair"]]
        for k, e in zip(keys, flags):
            if NEUTRAL in k:  # a name the English list lacks is not evidence of garble
                continue
            if not bigram and k in function_words:  # closed-class words count through their pairs only
                continue
            count[k] = count.get(k, 0) + 1
            resid[k] = resid.get(k, 0.0) + e - off
            total += 1
            edited += e - off
    p0 = edited / total
    table = {k: (resid[k] + SMOOTH * p0) / (count[k] + SMOOTH) for k in count if count[k] >= min_count}
    return table, p0, count


def rates_from(edits, rows, idx, prune: bool = True):
    from repair.score import EditRates

    uni, pu, _ = rate_table(edits, rows, idx, False, MIN_UNIGRAM if prune else 1)
    bi, pb, _ = rate_table(edits, rows, idx, True, MIN_BIGRAM if prune else 1)
    return EditRates(uni, bi, pu, pb)


def rate_features(edits, rows, idx, table_idx=None, folds: int = 5, seed: int = 7, twins=None):
    """Edit-rate features of the rows ``idx``: from a table of ``table_idx`` when given,
    otherwise out of fold (each row from a table of the other folds of ``idx``).

    ``twins`` ({row: rate keys of its post-edit}): also return the post-edits' features, each
    from the same table as its machine translation (never from a table that counted it)."""
    from repair.score import edit_rate_features

    idx = list(idx)
    twins = twins or {}
    if table_idx is not None:
        rates = rates_from(edits, rows, table_idx)
        feats = [edit_rate_features(edits[i][0], rates) for i in idx]
        return (feats, {i: edit_rate_features(twins[i], rates) for i in idx if i in twins}) if twins else feats
    order = idx[:]
    random.Random(seed).shuffle(order)
    out, twin_out = {}, {}
    for k in range(folds):
        held = set(order[k::folds])
        rates = rates_from(edits, rows, [i for i in idx if i not in held])
        for i in held:
            out[i] = edit_rate_features(edits[i][0], rates)
            if i in twins:
                twin_out[i] = edit_rate_features(twins[i], rates)
    feats = [out[i] for i in idx]
    return (feats, twin_out) if twins else feats


# --- the additive model -----------------------------------------------------------------------


def design(feats, spec=None):
    """Ramp columns of the numeric features, then finding keys. ``spec`` fixes them (from train)."""
    import numpy as np

    if spec is None:
        numeric = sorted({k for f in feats for k in f if not k.startswith(KEY_PREFIXES) and k not in EXCLUDED})
        support: dict[str, int] = {}
        for f in feats:
            for k in f:
                if k.startswith(KEY_PREFIXES):
                    support[k] = support.get(k, 0) + 1
        spec = {"numeric": {}, "keys": sorted(k for k, n in support.items() if n >= MIN_SUPPORT)}
        for name in numeric:
            col = np.array([f.get(name, 0.0) for f in feats])
            lo, hi = (float(v) for v in np.quantile(col, [0.0, 0.995]))
            knots = sorted({float(q) for q in np.quantile(np.clip(col, lo, hi), np.linspace(0, 1, N_QUANTILES + 1))})
            if hi > lo and len(knots) < 2:
                knots = [lo, hi]
            spec["numeric"][name] = knots
    cols, names = [], []
    for name, knots in spec["numeric"].items():
        col = np.array([f.get(name, 0.0) for f in feats])
        for a, b in zip(knots, knots[1:]):
            cols.append(np.clip((col - a) / (b - a), 0.0, 1.0))
            names.append((name, a, b))
    for key in spec["keys"]:
        cols.append(np.array([f.get(key, 0.0) for f in feats]))
        names.append((key, None, None))
    return np.column_stack(cols), names, spec


def ridge(X, y, alpha, iterations: int = 300):
    """Ridge regression with every weight >= 0 (cyclic coordinate descent on the covariance)."""
    import numpy as np

    mu = X.mean(axis=0)
    Z = X - mu
    yc = y - y.mean()
    G = Z.T @ Z / len(y)
    r = Z.T @ yc / len(y)
    beta = np.zeros(X.shape[1])
    diag = np.diag(G) + alpha
    for _ in range(iterations):
        change = 0.0
        for j in range(len(beta)):
            if diag[j] <= alpha:  # constant column
                continue
            new = max(0.0, (r[j] - G[j] @ beta + G[j, j] * beta[j]) / diag[j])
            change = max(change, abs(new - beta[j]))
            beta[j] = new
        if change < 1e-7:
            break
    return float(y.mean() - mu @ beta), beta


def target(rows):
    """Within-pair quantile of HTER: rank within a pair is what is measured."""
    import numpy as np

    y = np.zeros(len(rows))
    for pair in data.PAIRS:
        idx = [i for i, r in enumerate(rows) if r["pair"] == pair]
        for i, rk in zip(idx, data.rank([rows[i]["hter"] for i in idx])):
            y[i] = rk / len(idx)
    return y


def per_pair_spearman(pred, rows, target_name="hter"):
    out = {}
    for pair in data.PAIRS:
        idx = [i for i, r in enumerate(rows) if r["pair"] == pair]
        out[pair] = data.spearman([float(pred[i]) for i in idx], [rows[i][target_name] for i in idx])
    return out


def with_rates(base, rates):
    return [{**b, **r} for b, r in zip(base, rates)]


def cross_validate(base, edits, rows, y, alphas, folds=5, seed=13, pe=None):
    """Per-pair Spearman with HTER of held-out machine translation for each alpha, and the
    ROC AUC of held-out machine translation over its post-edit (``pe``: {row: (base
    features, rate keys, target) of the row's post-edit}, added to the training folds)."""
    import numpy as np

    pe = pe or {}
    order = list(range(len(rows)))
    random.Random(seed).shuffle(order)
    preds = {a: np.zeros(len(rows)) for a in alphas}
    pe_preds: dict[float, dict[int, float]] = {a: {} for a in alphas}
    for k in range(folds):
        test = set(order[k::folds])
        tr = [i for i in range(len(rows)) if i not in test]
        te = sorted(test)
        f_tr, y_tr = training_rows(base, edits, rows, y, tr, pe)
        r_te, te_twins = rate_features(edits, rows, te, table_idx=tr, twins={i: pe[i][1] for i in te if i in pe}) \
            if pe else (rate_features(edits, rows, te, table_idx=tr), {})
        f_te = with_rates([base[i] for i in te], r_te)
        X_tr, _, spec = design(f_tr)
        X_te, _, _ = design(f_te, spec)
        twin_rows = sorted(te_twins)
        X_pe = design([{**pe[i][0], **te_twins[i]} for i in twin_rows], spec)[0] if twin_rows else None
        for a in alphas:
            b, w = ridge(X_tr, y_tr, a)
            preds[a][te] = b + X_te @ w
            if X_pe is not None:
                pe_preds[a].update(zip(twin_rows, (float(v) for v in b + X_pe @ w)))
        print(f"  fold {k + 1}/{folds}", file=sys.stderr)
    out = {}
    for a, p in preds.items():
        twins = pe_preds[a]
        auc = data.roc_auc([float(p[i]) for i in twins] + list(twins.values()),
                           [True] * len(twins) + [False] * len(twins)) if twins else float("nan")
        out[a] = (per_pair_spearman(p, rows), auc)
    return out


def training_rows(base, edits, rows, y, idx, pe):
    """Features and targets of the rows ``idx`` (edit rates out of fold) and of their post-edits."""
    import numpy as np

    twins = {i: pe[i][1] for i in idx if i in pe}
    if not twins:
        return with_rates([base[i] for i in idx], rate_features(edits, rows, idx)), y[idx]
    rates, twin_rates = rate_features(edits, rows, idx, twins=twins)
    feats = with_rates([base[i] for i in idx], rates)
    extra = [i for i in idx if i in twin_rates]
    feats += [{**pe[i][0], **twin_rates[i]} for i in extra]
    return feats, np.concatenate([y[idx], np.array([pe[i][2] for i in extra])])


def post_edits(rows, share: float, seed: int = 11):
    """{row: (base features, rate keys, target)} of the post-edits of a ``share`` of the rows:
    edited English, the target of a translation no editor touched (the within-pair quantile
    of HTER 0)."""
    from repair.score import rate_keys

    chosen = sorted(random.Random(seed).sample(range(len(rows)), round(share * len(rows))))
    if not chosen:
        return {}
    pe_rows = [{"text": rows[i]["pe"]} for i in chosen]
    found = data.findings_for([r["text"] for r in pe_rows], "mlqe-train-pe")
    base = data.features(pe_rows, found, with_rates=False)
    zero = {}
    for pair in data.PAIRS:
        hters = [r["hter"] for r in rows if r["pair"] == pair]
        below, tied = sum(h < 0 for h in hters), sum(h == 0 for h in hters)
        zero[pair] = (below + (tied + 1) / 2) / len(hters)
    return {i: (f, rate_keys(rows[i]["pe"]), zero[rows[i]["pair"]]) for i, f in zip(chosen, base)}


def export(names, w, b, spec):
    """Ramp weights -> each feature's (x, y) points; key weights."""
    numeric: dict[str, dict[str, list[float]]] = {}
    keys: dict[str, float] = {}
    for (name, lo, hi), weight in zip(names, w):
        if lo is None:
            keys[name] = round(float(weight), 6)
            continue
        pts = numeric.setdefault(name, {"x": [round(spec["numeric"][name][0], 6)], "y": [0.0]})
        pts["x"].append(round(hi, 6))
        pts["y"].append(round(pts["y"][-1] + float(weight), 6))
    numeric = {k: v for k, v in numeric.items() if v["y"][-1] > 0}
    return numeric, keys


def write_rates(rates, path: Path) -> None:
    lines = ["# ungarble garble score: how often MLQE-PE post-editors changed a token of machine translation",
             "# (residual to its language pair's rate, smoothed); written by training/fit_score.py",
             "# kind (u = token, b = token after token; <s> = sentence start)\tkey\trate",
             f"u\t<default>\t{rates.unigram_default:.4f}", f"b\t<default>\t{rates.bigram_default:.4f}"]
    lines += [f"u\t{k}\t{v:.4f}" for k, v in sorted(rates.unigrams.items())]
    lines += [f"b\t{k}\t{v:.4f}" for k, v in sorted(rates.bigrams.items())]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def sentence_thresholds(rows, model) -> dict:
    """``meta.sentence_findings``: the info and warning thresholds of ``mt.garbled-sentence``
    (step 5 of the module docstring), from the train post-edits, with train figures."""
    from repair.checks.garble import is_prose
    from repair.score import sentence_text_score
    from repair.text import split_sentences

    def prose_scores(text):
        return [sentence_text_score(text[s.start:s.end], model) for s in split_sentences(text)
                if is_prose(text[s.start:s.end])]

    pe = [prose_scores(r["pe"]) for r in rows]
    words = sum(len(r["pe"].split()) for r in rows)
    flat = sorted((v for sc in pe for v in sc), reverse=True)

    def lowest(rate):
        allowed = int(rate * words / 1000)  # this many findings at most
        return float(math.floor(flat[allowed]) + 1) if allowed < len(flat) else 0.0

    info, warning = lowest(INFO_CLEAN_RATE), lowest(WARNING_CLEAN_RATE)
    mt = [max(prose_scores(r["text"]), default=0.0) for r in rows]
    share = {}
    for pair in data.PAIRS:
        idx = [i for i, r in enumerate(rows) if r["pair"] == pair]
        flagged = [i for i in idx if mt[i] >= info]
        mean = sum(rows[i]["hter"] for i in idx) / len(idx)
        share[pair] = {"flagged": round(len(flagged) / len(idx), 4),
                       "hter_ratio": round(sum(rows[i]["hter"] for i in flagged) / len(flagged) / mean, 3)
                       if flagged else None}
    return {"info": info, "warning": warning,
            "fitted_on": f"MLQE-PE train post-edits ({words} words): at most {INFO_CLEAN_RATE} (info) and "
                         f"{WARNING_CLEAN_RATE} (warning) findings per 1,000 words",
            "train_mt": share}


def write_thresholds(path: Path) -> None:
    """Refit ``meta.sentence_findings`` of the model at ``path`` (``--thresholds-only``)."""
    from repair.score import Model

    model_json = json.loads(path.read_text(encoding="utf-8"))
    spec = sentence_thresholds(data.mlqe("train"), Model.from_json(model_json))
    model_json["meta"]["sentence_findings"] = spec
    path.write_text(json.dumps(model_json, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {path}: mt.garbled-sentence info >= {spec['info']:g}, warning >= {spec['warning']:g}; "
          f"train MT flagged {spec['train_mt']}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cv-only", action="store_true")
    ap.add_argument("--out", default=str(OUT))
    ap.add_argument("--rates-out", default=str(RATES_OUT))
    ap.add_argument("--alphas", default=",".join(str(a) for a in ALPHAS))
    ap.add_argument("--post-edits", type=float, default=POST_EDITS, metavar="SHARE",
                    help=f"share of the post-edits added as edited English (default {POST_EDITS})")
    ap.add_argument("--thresholds-only", action="store_true",
                    help="only refit the mt.garbled-sentence thresholds of the model at --out")
    args = ap.parse_args()
    if args.thresholds_only:
        write_thresholds(Path(args.out))
        return
    import numpy as np

    t0 = time.time()
    rows = data.mlqe("train")
    found = data.findings_for([r["text"] for r in rows], "mlqe-train")
    base = data.features(rows, found, with_rates=False)
    edits = [edited_tokens(r["text"], r["pe"]) for r in rows]
    y = target(rows)
    pe = post_edits(rows, args.post_edits)
    print(f"{len(rows)} training sentences and {len(pe)} post-edits, features in {time.time() - t0:.0f}s",
          file=sys.stderr)

    alphas = [float(a) for a in args.alphas.split(",")]
    cvs = cross_validate(base, edits, rows, y, alphas, pe=pe)
    best = None
    for a, (cv, auc) in cvs.items():
        mean = sum(cv.values()) / len(cv)
        print(f"alpha={a:g}: 5-fold CV Spearman with HTER (train) "
              + " ".join(f"{p} {v:.3f}" for p, v in cv.items()) + f"  mean {mean:.3f}; "
              f"AUC machine translation over its post-edit {auc:.3f}")
        if best is None or mean > best[0]:
            best = (mean, a, cv, auc)
    if args.cv_only:
        return
    mean, alpha, cv, auc = best
    idx = list(range(len(rows)))
    feats, y_all = training_rows(base, edits, rows, y, idx, pe)
    X, names, spec = design(feats)
    b, w = ridge(X, y_all, alpha)
    numeric, keys = export(names, w, b, spec)
    pred = (b + X @ w)[:len(rows)]  # the scale comes from the machine translations alone
    lo, hi = (round(float(v), 6) for v in np.quantile(pred, [0.25, 0.995]))
    priors = {}
    for key, points in KEY_PRIORS.items():
        floor = round(points * (hi - lo) / 100.0 / math.log(2), 6)  # one finding counts log1p(1)
        if keys.get(key, 0.0) < floor:
            keys[key] = floor
            priors[key] = points
    model = {
        "version": 2,
        "intercept": round(b, 6),
        "numeric": numeric,
        "keys": dict(sorted(keys.items(), key=lambda kv: -abs(kv[1]))),
        "calibration": [[lo, 0.0], [hi, 1.0]],
        "meta": {
            "target": "within-pair quantile of HTER; score = 100 * (prediction - q25) / (q99.5 - q25) "
                      "of the training predictions, clipped",
            "trained_on": f"MLQE-PE v2 train, ro-en et-en ne-en si-en ru-en together ({len(rows)} sentences)",
            "findings": f"repair.analyse(text, grammar={data.GRAMMAR!r}), rules fingerprint "
                        f"{data.rules_fingerprint()}",
            "ridge_alpha": alpha,
            "cv_spearman_hter": {p: round(v, 4) for p, v in cv.items()},
            "post_edits": {"share": args.post_edits, "rows": len(pe), "cv_auc_mt_over_pe": round(auc, 4),
                           "target": "the within-pair quantile of HTER 0"},
            "min_support": MIN_SUPPORT,
            "key_priors": priors,
            "edit_rates": {"smooth": SMOOTH, "min_unigram": MIN_UNIGRAM, "min_bigram": MIN_BIGRAM},
            "fitted_by": "training/fit_score.py",
        },
    }
    rates = rates_from(edits, rows, idx)
    write_rates(rates, Path(args.rates_out))
    Path(args.out).write_text(json.dumps(model, indent=1) + "\n", encoding="utf-8")
    from repair.score import edit_rates

    if Path(args.rates_out).resolve() == RATES_OUT.resolve():
        edit_rates.cache_clear()  # the thresholds score with the new tables
        write_thresholds(Path(args.out))
    else:  # the score reads its tables from repair/data only
        print("mt.garbled-sentence thresholds not refitted: install the tables in repair/data, then run "
              "fit_score.py --thresholds-only", file=sys.stderr)
    print(f"wrote {args.out}: {len(numeric)} numeric features, {len(keys)} finding keys, alpha {alpha:g}; "
          f"{args.rates_out}: {len(rates.unigrams)} tokens, {len(rates.bigrams)} pairs")


if __name__ == "__main__":
    main()
