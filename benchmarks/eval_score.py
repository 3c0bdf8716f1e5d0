"""Evaluate the garble score (repair/data/score_model.json) on held-out data. Run it once per fit.

    python benchmarks/eval_score.py           # MLQE-PE dev + MQM zh-en
    python benchmarks/eval_score.py --no-mqm  # MLQE-PE dev only
    python benchmarks/eval_score.py --source  # MLQE-PE dev without and with the source (a unit's)

1. MLQE-PE dev, each of ro-en et-en ne-en si-en ru-en: Spearman of the sentence garble
   score with ``hter`` (higher = more post-editing; want positive) and with ``da_z_mean``
   (human quality rating; want negative), next to two single-feature baselines: Harper's
   lints per word (``harper.Linter().lint(text, language="plaintext")``, straight from
   harper-py) and sentence length in words. Targets: mean over pairs >= 0.30 with HTER,
   >= 0.20 on every pair, ahead of both baselines on every pair.
2. MQM zh-en (TED talks and WMT newstest2021, 15 systems incl. two human references):
   Spearman of the segment garble score with the MQM penalty (TED: ``mqm_penalty`` as
   released; newstest2021: major 5 + minor 1 per error, as its rows carry no categories),
   and the ROC AUC of telling machine output from the human references (probability that a
   machine segment scores above a human one). WMT22 QE dev: Spearman with ``mqm_score``
   (higher = better; want negative).

3. Clean prose (``clean-prose/``: Standard Ebooks 1859-1925 fiction and essays, CIA World
   Factbook backgrounds): a sanity check, never used for fitting. The score must stay low
   on edited English: mean, 95th percentile and share above 50 of the sentence scores,
   and the mean paragraph score, next to the same figures for MLQE-PE dev MT.
4. The two seeds (``../shared/seeds/``): document score as read and after
   ``ungarble fix --unsafe``; the machine translation (001_) must be clearly worse than
   the scraped article (000_) once the latter's boilerplate is repaired, and the
   paragraphs with the garble must be the worst.

Findings come from ``repair.analyse(text, grammar="none")`` (the score ignores grammar
checkers) and are cached in benchmarks/.cache/. Skips when ../shared/corpora is absent.
"""
from __future__ import annotations

import argparse
import math
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import _score_data as data


def mlqe_dev() -> None:
    from repair.score import load_model

    model = load_model()
    rows = data.mlqe("dev")
    found = data.findings_for([r["text"] for r in rows], "mlqe-dev")
    feats = data.features(rows, found)
    garble = [model.score(f) for f in feats]

    import harper

    linter = harper.Linter()
    lints = [len(linter.lint(r["text"], language="plaintext")) / max(1, len(r["text"].split())) for r in rows]
    length = [float(len(r["text"].split())) for r in rows]

    print("MLQE-PE dev (1000 sentences a pair): Spearman")
    print(f"{'pair':7} {'garble~hter':>11} {'harper/w~hter':>13} {'length~hter':>11}   "
          f"{'garble~da_z':>11} {'harper/w~da_z':>13} {'length~da_z':>11}")
    means = {k: [] for k in ("g", "h", "l", "gd", "hd", "ld")}
    ok = True
    for pair in data.PAIRS:
        idx = [i for i, r in enumerate(rows) if r["pair"] == pair]
        hter = [rows[i]["hter"] for i in idx]
        daz = [rows[i]["da_z_mean"] for i in idx]
        g = data.spearman([garble[i] for i in idx], hter)
        h = data.spearman([lints[i] for i in idx], hter)
        ln = data.spearman([length[i] for i in idx], hter)
        gd = data.spearman([garble[i] for i in idx], daz)
        hd = data.spearman([lints[i] for i in idx], daz)
        ld = data.spearman([length[i] for i in idx], daz)
        for k, v in zip(means, (g, h, ln, gd, hd, ld)):
            means[k].append(v)
        ok &= g >= 0.20 and g > h and g > ln
        print(f"{pair:7} {g:11.3f} {h:13.3f} {ln:11.3f}   {gd:11.3f} {hd:13.3f} {ld:11.3f}")
    m = {k: sum(v) / len(v) for k, v in means.items()}
    print(f"{'mean':7} {m['g']:11.3f} {m['h']:13.3f} {m['l']:11.3f}   {m['gd']:11.3f} {m['hd']:13.3f} {m['ld']:11.3f}")
    ok &= m["g"] >= 0.30
    print(f"targets (mean >= 0.30, every pair >= 0.20 and ahead of both baselines): {'MET' if ok else 'NOT MET'}")


def mlqe_dev_source() -> None:
    """MLQE-PE dev, every pair: Spearman of the sentence score with HTER without and with the
    source's terms (repair.score.source), findings included as ``ungarble score`` has them."""
    from repair.score import load_model
    from repair.score.source import load_source_model, source_features

    model, source_model = load_model(), load_source_model()
    rows = data.mlqe("dev")
    found = data.findings_for([r["text"] for r in rows], "mlqe-dev")
    feats = data.features(rows, found)
    plain = [model.score(f) for f in feats]
    shifts = [source_model.shift(source_features(r["src"], r["text"], r["pair"].split("-")[0])) for r in rows]
    with_source = [model.score(f, s) for f, s in zip(feats, shifts)]
    print("MLQE-PE dev (1000 sentences a pair): Spearman of the garble score with HTER, without and with the "
          "source")
    print(f"{'pair':7} {'monolingual':>11} {'with source':>11} {'gain':>6}  {'rows raised':>11}")
    gains = []
    for pair in data.PAIRS:
        idx = [i for i, r in enumerate(rows) if r["pair"] == pair]
        hter = [rows[i]["hter"] for i in idx]
        a = data.spearman([plain[i] for i in idx], hter)
        b = data.spearman([with_source[i] for i in idx], hter)
        raised = sum(1 for i in idx if with_source[i] > plain[i] + 0.05)
        gains.append((a, b))
        print(f"{pair:7} {a:11.3f} {b:11.3f} {b - a:+6.3f}  {raised:11d}")
    a, b = (sum(g[k] for g in gains) / len(gains) for k in (0, 1))
    print(f"{'mean':7} {a:11.3f} {b:11.3f} {b - a:+6.3f}")


def _doc_scores(texts: list[str], name: str) -> list[float]:
    from repair.score import score_text

    found = data.findings_for(texts, name)
    return [score_text(t, data.as_findings(t, f)).document for t, f in zip(texts, found)]


def mqm() -> None:
    base = data.require("mqm-zhen")
    print("\nMQM zh-en: Spearman with the MQM penalty (higher = worse), ROC AUC machine vs human references")
    ted = list(data.jsonl(base / "mqm_ted_zhen.segments.jsonl"))
    scores = _doc_scores([r["mt"] for r in ted], "mqm-ted")
    rho = data.spearman(scores, [float(r["mqm_penalty"]) for r in ted])
    machine = [r["system"] not in ("ref", "refB") for r in ted]
    auc = data.roc_auc(scores, machine)
    print(f"  TED talks ({len(ted)} segments): Spearman with mqm_penalty {rho:.3f}; "
          f"AUC machine vs ref/refB {auc:.3f}")

    news = list(data.jsonl(base / "wmtqe23_task2_zh-en.train_newstest2021.jsonl"))
    scores = _doc_scores([r["mt"] for r in news], "mqm-news")
    penalty = [sum(5.0 if e["severity"] == "major" else 1.0 for e in r["errors"]) for r in news]
    rho = data.spearman(scores, penalty)
    machine = [not r["system"].startswith("ref.") for r in news]
    auc = data.roc_auc(scores, machine)
    print(f"  newstest2021 ({len(news)} segments): Spearman with penalty (major 5, minor 1) {rho:.3f}; "
          f"AUC machine vs ref.A/ref.B {auc:.3f}")

    qe = list(data.jsonl(base / "wmtqe22_task1_mqm_zh-en.dev.jsonl"))
    scores = _doc_scores([r["mt"] for r in qe], "mqm-qe22")
    rho = data.spearman(scores, [float(r["mqm_score"]) for r in qe])
    print(f"  WMT22 QE dev ({len(qe)} segments): Spearman with mqm_score (higher = better) {rho:.3f}")


def _summary(values: list[float]) -> str:
    v = sorted(values)
    p95 = v[min(len(v) - 1, math.ceil(0.95 * len(v)) - 1)] if v else 0.0
    above = sum(1 for x in v if x > 50) / len(v) if v else 0.0
    return f"mean {sum(v) / max(1, len(v)):5.1f}  p95 {p95:5.1f}  >50 {100 * above:4.1f}%"


def clean_prose(reference: bool = True) -> None:
    from repair.score import score_text

    base = data.require("clean-prose")
    print("\nClean prose (sanity, not fitted): sentence scores; paragraph scores")
    sets = {
        "Standard Ebooks": [r["text_plain"] for r in data.jsonl(base / "standard-ebooks.paragraphs.jsonl")],
        "CIA Factbook": [r["text"] for r in data.jsonl(base / "cia-world-factbook.background.jsonl")],
    }
    for name, paras in sets.items():
        found = data.findings_for(paras, "clean-" + name.split()[0].lower())
        sent, para = [], []
        for text, f in zip(paras, found):
            sc = score_text(text, data.as_findings(text, f))
            sent += [s.score for s in sc.sentences]
            para += [p.score for p in sc.paragraphs]
        print(f"  {name:16} {len(sent):6d} sentences: {_summary(sent)};  {len(para)} paragraphs: {_summary(para)}")
    if not reference:
        return
    rows = data.mlqe("dev")
    found = data.findings_for([r["text"] for r in rows], "mlqe-dev")
    mt = [score_text(r["text"], data.as_findings(r["text"], f)).document for r, f in zip(rows, found)]
    print(f"  {'MLQE-PE dev MT':16} {len(mt):6d} sentences: {_summary(mt)}")
    bad = [s for s, r in zip(mt, rows) if r["hter"] >= 0.5]
    print(f"  {'  of which HTER>=.5':16} {len(bad):4d} sentences: {_summary(bad)}")


def seeds() -> None:
    import repair
    from repair.report.metrics import metrics_for

    folder = data.require("..", "seeds")
    print("\nSeeds: document garble score as read and after `ungarble fix --unsafe`; worst paragraphs")
    with tempfile.TemporaryDirectory() as tmp:
        for path in sorted(Path(folder).glob("*.txt")):
            fixed = Path(tmp) / path.name
            fixed.write_bytes(path.read_bytes())
            subprocess.run([sys.executable, "-m", "repair.cli", "fix", "--unsafe", "--write", str(fixed)],
                           capture_output=True, cwd=data.ROOT, env={**os.environ, "PYTHONPATH": str(data.ROOT)})
            figures = []
            for label, p in (("as read", path), ("fixed", fixed)):
                text = p.read_text(encoding="utf-8")
                m = metrics_for(text, repair.analyse(text, grammar="none"))
                figures.append(f"{label} {m['garble_score']:5.1f}")
                if label == "as read":
                    worst = sorted(m["paragraphs"], key=lambda q: -q["garble_score"])[:4]
            print(f"  {path.name[:22]:22} " + "   ".join(figures))
            for q in worst:
                print(f"      {q['garble_score']:5.1f}  {q['first_words']}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--no-mqm", action="store_true")
    ap.add_argument("--source", action="store_true",
                    help="only MLQE-PE dev without and with the source's terms (repair.score.source)")
    args = ap.parse_args()
    t0 = time.time()
    if args.source:
        mlqe_dev_source()
        print(f"\n({time.time() - t0:.0f}s)", file=sys.stderr)
        return
    mlqe_dev()
    if not args.no_mqm:
        mqm()
    clean_prose()
    seeds()
    print(f"\n({time.time() - t0:.0f}s)", file=sys.stderr)


if __name__ == "__main__":
    main()
