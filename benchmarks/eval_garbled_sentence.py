"""Evaluate ``mt.garbled-sentence`` (repair/checks/garble.py) against issue 13's targets, in one run.

    python benchmarks/eval_garbled_sentence.py > benchmarks/garbled-sentence.md

1. **MLQE-PE dev** (never used for fitting; the thresholds come from train): for each pair,
   the share of its 1,000 rows that carry the finding (any sentence of the row, info or
   warning), their mean HTER against the pair's mean, and the same for warnings alone.
   Targets: at least 2 % of each pair; mean HTER of the flagged rows at least 1.5 times the
   pair's mean in ro-en, et-en and ru-en, 1.2 times in ne-en and si-en.
2. **Clean prose**: ``clean-prose/`` (the ``text`` field: Standard Ebooks paragraphs, CIA
   Factbook backgrounds) and the CWEB sentences of ``gec/`` both annotators left alone:
   findings per 1,000 words (target at most 0.1 in each set), and the sentences flagged.

The finding is computed as the check computes it (``garbled_sentences`` on each row or
paragraph, the thresholds of ``meta.sentence_findings``), without the rest of ``check``.
Prints a Markdown report. Skips when ../shared/corpora is absent.
"""
from __future__ import annotations

import sys
import time

import _score_data as data

TARGET_RATIO = {"ro-en": 1.5, "et-en": 1.5, "ru-en": 1.5, "ne-en": 1.2, "si-en": 1.2}
TARGET_SHARE = 0.02
TARGET_CLEAN = 0.1  # findings per 1,000 words


def clean_sets() -> dict[str, list[str]]:
    base = data.require("clean-prose")
    cweb = []
    for name in ("cweb-G.dev.jsonl", "cweb-S.dev.jsonl"):
        cweb += [r["source_sentence"] for r in data.jsonl(data.require("gec", name)) if r["unchanged_by_both"]]
    return {
        "Standard Ebooks": [r["text"] for r in data.jsonl(base / "standard-ebooks.paragraphs.jsonl")],
        "CIA Factbook": [r["text"] for r in data.jsonl(base / "cia-world-factbook.background.jsonl")],
        "CWEB (kept by both)": cweb,
    }


def main() -> None:
    from repair.checks.garble import garbled_sentences, thresholds
    from repair.score import load_model

    t0 = time.time()
    limits = thresholds()
    meta = load_model().meta.get("sentence_findings", {})
    print("# `mt.garbled-sentence`: MLQE-PE dev and clean prose\n")
    print(f"Written by `python benchmarks/eval_garbled_sentence.py`. Thresholds (from "
          f"`repair/data/score_model.json`, fitted on {meta.get('fitted_on', 'train')}): "
          f"info at a sentence score of {limits.info:g}, warning at {limits.warning:g}.\n")
    print("## MLQE-PE dev (thresholds fitted on train)\n")
    print("| pair | rows | flagged (info or warning) | mean HTER flagged / pair | ratio | target | "
          "warnings | ratio (warnings) | met |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
    rows = data.mlqe("dev")
    for pair in data.PAIRS:
        rr = [r for r in rows if r["pair"] == pair]
        mean = sum(r["hter"] for r in rr) / len(rr)
        found = [garbled_sentences(r["text"], limits) for r in rr]
        flagged = [r for r, f in zip(rr, found) if f]
        warned = [r for r, f in zip(rr, found) if any(x.severity == "warning" for x in f)]
        fm = sum(r["hter"] for r in flagged) / len(flagged) if flagged else float("nan")
        wm = sum(r["hter"] for r in warned) / len(warned) if warned else float("nan")
        share = len(flagged) / len(rr)
        ok = share >= TARGET_SHARE and flagged and fm / mean >= TARGET_RATIO[pair]
        print(f"| {pair} | {len(rr)} | {len(flagged)} ({100 * share:.1f} %) | {fm:.3f} / {mean:.3f} | "
              f"{fm / mean:.2f} | >= 2 %, {TARGET_RATIO[pair]}x | {len(warned)} | {wm / mean:.2f} | "
              f"{'yes' if ok else 'no'} |")
    print("\n## Clean prose (target: at most 0.1 findings per 1,000 words in each set)\n")
    print("| set | texts | words | findings (warnings) | per 1,000 words | met |")
    print("| --- | ---: | ---: | ---: | ---: | --- |")
    examples = []
    for name, texts in clean_sets().items():
        words = n = warn = 0
        for text in texts:
            words += len(text.split())
            for f in garbled_sentences(text, limits):
                n += 1
                warn += f.severity == "warning"
                examples.append((name, f.message.split("(")[1].split(")")[0], f.text))
        rate = 1000 * n / words
        print(f"| {name} | {len(texts)} | {words:,} | {n} ({warn}) | {rate:.3f} | "
              f"{'yes' if rate <= TARGET_CLEAN else 'no'} |")
    print("\nClean sentences flagged (first 12):\n")
    for name, value, text in examples[:12]:
        short = text if len(text) <= 160 else text[:157] + "..."
        print(f"- {name}, {value}: {short}")
    print(f"\n({time.time() - t0:.0f} s)")


if __name__ == "__main__":
    main()
