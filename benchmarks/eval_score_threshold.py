"""False alarms of `ungarble score --fail-above N`: how many clean documents, and how many
machine-translated ones, score above N. Run it after every change to the score.

    python benchmarks/eval_score_threshold.py                 # every threshold of THRESHOLDS
    python benchmarks/eval_score_threshold.py --words 300     # documents of at least 300 words (default)
    python benchmarks/eval_score_threshold.py --words 50      # short documents (a paragraph or two)

Documents are built from the shared corpora, never used for fitting:

* **Standard Ebooks**: consecutive paragraphs of one title (``text_plain``), joined by blank
  lines until the document has at least ``--words`` words (so about 300 to 1,000 words at the
  default; a longer paragraph alone is one document);
* **CIA Factbook**: each country's background, all its paragraphs (one document a country,
  whatever its length);
* **CWEB**: the sentences both annotators left unchanged, in corpus order, in paragraphs of
  five sentences, until ``--words`` words (website English: generic and sponsored pages);
* **MLQE-PE dev MT**: each pair's machine translations in corpus order (consecutive
  Wikipedia sentences), in paragraphs of five, until ``--words`` words, and the same groups
  of their **post-edits** (the same content in edited English: a clean twin of each MT
  document, so "clean below garbled of the same length" is measured on equal content);
* the two **seeds** (``../shared/seeds/``) as read.

Each document is scored as ``ungarble score`` does (``repair.analyse(text, grammar="none")``
findings; the score ignores grammar checkers). Printed: each set's document count, mean and
95th percentile, the share of documents above each threshold, and the ROC AUC of each MT
document over its post-edited twin. Findings are cached in benchmarks/.cache/. Skips when
../shared/corpora is absent.
"""
from __future__ import annotations

import argparse
import math
import sys
import time
from pathlib import Path

import _score_data as data

THRESHOLDS = (20, 25, 30, 35, 40, 45, 50, 60)


def _words(text: str) -> int:
    return len(text.split())


def group(paragraphs: list[str], min_words: int) -> list[str]:
    """Consecutive paragraphs joined by blank lines into documents of at least ``min_words``
    words (the last, shorter remainder is dropped)."""
    docs, current, n = [], [], 0
    for p in paragraphs:
        current.append(p)
        n += _words(p)
        if n >= min_words:
            docs.append("\n\n".join(current))
            current, n = [], 0
    return docs


def sentence_paragraphs(sentences: list[str], size: int = 5) -> list[str]:
    return [" ".join(sentences[i:i + size]) for i in range(0, len(sentences), size)]


def clean_documents(min_words: int) -> dict[str, list[str]]:
    base = data.require("clean-prose")
    books: dict[str, list[str]] = {}
    for r in data.jsonl(base / "standard-ebooks.paragraphs.jsonl"):
        books.setdefault(r["book"], []).append(r["text_plain"])
    countries: dict[str, list[str]] = {}
    for r in data.jsonl(base / "cia-world-factbook.background.jsonl"):
        countries.setdefault(r["country"], []).append(r["text"])
    cweb = []
    for name in ("cweb-G.dev.jsonl", "cweb-S.dev.jsonl"):
        kept = [r["source_sentence"] for r in data.jsonl(data.require("gec", name)) if r["unchanged_by_both"]]
        cweb += group(sentence_paragraphs(kept), min_words)
    return {
        "Standard Ebooks": [d for paras in books.values() for d in group(paras, min_words)],
        "CIA Factbook": ["\n\n".join(paras) for paras in countries.values()],
        "CWEB (kept)": cweb,
    }


def mt_documents(min_words: int) -> tuple[list[str], list[str], list[str], list[float]]:
    """MLQE-PE dev MT documents, their post-edited twins, their pairs and mean HTER."""
    rows = data.mlqe("dev")
    mt, pe, pairs, hter = [], [], [], []
    for pair in data.PAIRS:
        rr = [r for r in rows if r["pair"] == pair]
        start = 0
        while start < len(rr):
            end, n = start, 0
            while end < len(rr) and n < min_words:
                n += _words(rr[end]["text"])
                end += 1
            if n < min_words:
                break
            chunk = rr[start:end]
            mt.append("\n\n".join(sentence_paragraphs([r["text"] for r in chunk])))
            pe.append("\n\n".join(sentence_paragraphs([r["pe"] for r in chunk])))
            pairs.append(pair)
            hter.append(sum(r["hter"] for r in chunk) / len(chunk))
            start = end
    return mt, pe, pairs, hter


def document_scores(texts: list[str], name: str) -> list[float]:
    from repair.score import score_text

    found = data.findings_for(texts, name)
    return [score_text(t, data.as_findings(t, f)).document for t, f in zip(texts, found)]


def _p95(values: list[float]) -> float:
    v = sorted(values)
    return v[min(len(v) - 1, math.ceil(0.95 * len(v)) - 1)] if v else 0.0


def row(name: str, scores: list[float], words: float) -> str:
    above = " ".join(f"{100 * sum(s > t for s in scores) / len(scores):5.1f}" for t in THRESHOLDS)
    return (f"  {name:24} {len(scores):5d} {words:6.0f} {sum(scores) / len(scores):6.1f} {_p95(scores):6.1f}   "
            f"{above}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--words", type=int, default=300, help="least words a built document has (default 300)")
    args = ap.parse_args()
    for part in ("clean-prose", "gec", "mlqe-pe"):  # skip before printing anything
        data.require(part)
    t0 = time.time()
    tag = f"thr{args.words}"
    print(f"Documents of at least {args.words} words: share (%) scoring above N (false alarms on clean text)")
    print(f"  {'set':24} {'docs':>5} {'words':>6} {'mean':>6} {'p95':>6}   "
          + " ".join(f"{'>' + str(t):>5}" for t in THRESHOLDS))
    clean_all: list[float] = []
    for name, docs in clean_documents(args.words).items():
        scores = document_scores(docs, f"{tag}-{name.split()[0].lower()}")
        clean_all += scores
        print(row(name, scores, sum(map(_words, docs)) / len(docs)))
    print(row("all clean documents", clean_all, float("nan")))

    mt, pe, pairs, hter = mt_documents(args.words)
    mt_scores = document_scores(mt, f"{tag}-mlqe-dev-mt")
    pe_scores = document_scores(pe, f"{tag}-mlqe-dev-pe")
    print(row("MLQE-PE dev post-edits", pe_scores, sum(map(_words, pe)) / len(pe)))
    print(row("MLQE-PE dev MT", mt_scores, sum(map(_words, mt)) / len(mt)))
    for pair in data.PAIRS:
        idx = [i for i, p in enumerate(pairs) if p == pair]
        print(row(f"  {pair} (HTER {sum(hter[i] for i in idx) / len(idx):.2f})", [mt_scores[i] for i in idx],
                  sum(_words(mt[i]) for i in idx) / len(idx)))
    bad = [s for s, h in zip(mt_scores, hter) if h >= 0.5]
    if bad:
        print(row("  MT docs, mean HTER>=.5", bad, float("nan")))
    auc = data.roc_auc(mt_scores + pe_scores, [True] * len(mt_scores) + [False] * len(pe_scores))
    wins = sum(m > p for m, p in zip(mt_scores, pe_scores)) / len(mt_scores)
    print(f"  MT document above its post-edited twin: {100 * wins:.1f}% of {len(mt_scores)}; "
          f"ROC AUC MT over post-edits {auc:.3f}")

    folder = data.require("..", "seeds")
    print("  seeds as read:")
    for path in sorted(Path(folder).glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        score = document_scores([text], "thr-seeds")[0]
        rank = 100 * sum(s < score for s in clean_all) / len(clean_all)
        print(f"    {path.name[:24]:24} {_words(text):5d} words  {score:5.1f}  "
              f"(above {rank:.1f}% of the clean documents)")
    print(f"\n({time.time() - t0:.0f}s)", file=sys.stderr)


if __name__ == "__main__":
    main()
