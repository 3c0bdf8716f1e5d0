"""Shared by training/fit_score.py and eval_score.py: MLQE-PE / MQM rows and their findings, cached.

Findings come from ``repair.analyse(text, grammar=GRAMMAR)`` with ``GRAMMAR = "none"``:
the garble score ignores grammar-checker findings (it must give the same figure whatever
``--grammar`` is), so the fit needs only the rule packs' and the encoding check's. They are
cached in ``benchmarks/.cache/`` keyed by text and by a
fingerprint of the rule packs, so a refit after a rule change recomputes them.
"""
from __future__ import annotations

import hashlib
import json
import os
import sys
from multiprocessing import Pool
from pathlib import Path
from typing import Iterable

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _corpora import jsonl, require  # noqa: E402

PAIRS = ("ro-en", "et-en", "ne-en", "si-en", "ru-en")
GRAMMAR = "none"
CACHE = Path(__file__).resolve().parent / ".cache"
ROOT = Path(__file__).resolve().parents[1]


def mlqe(split: str) -> list[dict]:
    base = require("mlqe-pe")
    rows = []
    for pair in PAIRS:
        for row in jsonl(base / f"{pair}.{split}.jsonl"):
            rows.append({"pair": pair, "text": row["mt"], "pe": row["pe_detok"], "hter": float(row["hter"]),
                         "da_z_mean": float(row["da_z_mean"]), "src": row["src"]})
    return rows


def rules_fingerprint() -> str:
    h = hashlib.sha1()
    for base in (ROOT / "rules", ROOT / "repair"):
        for path in sorted(base.rglob("*")):
            if path.is_file() and path.suffix in (".yaml", ".txt", ".py") and "data" not in path.parts:
                if path.name in ("readability.py", "cli_score.py", "session.py", "garble.py") or {"report", "score"} & set(path.parts):
                    continue
                h.update(str(path.relative_to(ROOT)).encode())
                h.update(path.read_bytes())
    return h.hexdigest()[:12]


def _analyse(text: str) -> list[list]:
    import repair

    result = repair.analyse(text, grammar=GRAMMAR)
    return [[f.rule, f.source, f.severity, f.span.start, f.span.end] for f in result.findings]


def findings_for(texts: Iterable[str], name: str, processes: int = 2) -> list[list[list]]:
    """Findings (rule, source, severity, start, end) of each text, cached per rules fingerprint."""
    texts = list(texts)
    CACHE.mkdir(exist_ok=True)
    path = CACHE / f"findings-{name}-{GRAMMAR}-{rules_fingerprint()}.jsonl"
    if os.environ.get("UNGARBLE_REUSE_FINDINGS"):  # development: keep the newest cache whatever changed
        old = sorted(CACHE.glob(f"findings-{name}-{GRAMMAR}-*.jsonl"), key=lambda p: p.stat().st_mtime)
        if old:
            path = old[-1]
    cached: dict[str, list] = {}
    if path.exists():
        for line in path.open(encoding="utf-8"):
            row = json.loads(line)
            cached[row["t"]] = row["f"]
    todo = sorted({t for t in texts if t not in cached})
    if todo:
        print(f"analysing {len(todo)} texts ({name}, grammar={GRAMMAR}) ...", file=sys.stderr)
        with Pool(processes) as pool, path.open("a", encoding="utf-8") as out:
            for i, (text, found) in enumerate(zip(todo, pool.imap(_analyse, todo, chunksize=64))):
                cached[text] = found
                out.write(json.dumps({"t": text, "f": found}, ensure_ascii=False) + "\n")
                if i and i % 5000 == 0:
                    print(f"  {i}", file=sys.stderr)
    return [cached[t] for t in texts]


def as_findings(text: str, rows: list[list]):
    from repair.model import Finding, Span

    return [Finding(rule, source, severity, "", Span(s, e), text[s:e]) for rule, source, severity, s, e in rows]


def features(rows: list[dict], found: list[list[list]], with_rates: bool = True) -> list[dict[str, float]]:
    """Features of each row's sentence as ``ungarble score`` computes them (one sentence a
    row). ``with_rates=False`` leaves out the edit-rate features (the fit computes those
    from its own tables)."""
    from repair.score import edit_rate_features, edit_rates, finding_features, lexicon, rate_keys, text_features

    lex = lexicon()
    rates = edit_rates() if with_rates else None
    out = []
    for r, f in zip(rows, found):
        feats = text_features(r["text"], lex)
        if rates is not None:
            feats.update(edit_rate_features(rate_keys(r["text"], lex), rates))
        feats.update(finding_features(as_findings(r["text"], f)))
        out.append(feats)
    return out


def rank(values: list[float]) -> list[float]:
    order = sorted(range(len(values)), key=values.__getitem__)
    ranks = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            ranks[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return ranks


def pearson(x: list[float], y: list[float]) -> float:
    n = len(x)
    mx, my = sum(x) / n, sum(y) / n
    sxy = sum((a - mx) * (b - my) for a, b in zip(x, y))
    sxx = sum((a - mx) ** 2 for a in x)
    syy = sum((b - my) ** 2 for b in y)
    return sxy / (sxx * syy) ** 0.5 if sxx and syy else 0.0


def spearman(x: list[float], y: list[float]) -> float:
    return pearson(rank(x), rank(y))


def roc_auc(scores: list[float], positive: list[bool]) -> float:
    """P(score of a positive > score of a negative), ties half."""
    r = rank(scores)
    n_pos = sum(positive)
    n_neg = len(positive) - n_pos
    if not n_pos or not n_neg:
        return float("nan")
    sum_pos = sum(rk for rk, p in zip(r, positive) if p)
    return (sum_pos - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg)
