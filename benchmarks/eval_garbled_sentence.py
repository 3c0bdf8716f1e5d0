"""Evaluate ``mt.garbled-sentence`` (repair/checks/garble.py) against issue 13's targets, in one run.

    python benchmarks/eval_garbled_sentence.py > benchmarks/garbled-sentence.md

1. **MLQE-PE dev, monolingual** (never used for fitting; the thresholds come from train): for
   each pair, the share of its 1,000 rows that carry the finding (any sentence of the row, info
   or warning), their mean HTER against the pair's mean, and the same for warnings alone.
   Targets: at least 2 % of each pair; mean HTER of the flagged rows at least 1.5 times the
   pair's mean in ro-en, et-en and ru-en, 1.2 times in ne-en and si-en. The finding is computed
   as the check computes it on a plain text (``garbled_sentences`` on each row, the thresholds
   of ``meta.sentence_findings`` of the monolingual model), without the rest of ``check``.
2. **MLQE-PE dev, with the source**: each pair's rows written to a PO file at run time (msgid the
   source, msgstr the MT, ``X-Source-Language`` the pair's source language) and checked by
   ``ungarble check --isolated --format json --select mt.garbled-sentence`` (the product's path:
   the bilingual reader, the pipeline on each unit, the source model's thresholds of that
   language); the same figures and targets. Beside them, the same PO with each row's post-edit as
   the target: the share of edited English the check still flags with its source (no target;
   the lower the better).
3. **Clean prose** (monolingual: plain texts): ``clean-prose/`` (the ``text`` field: Standard
   Ebooks paragraphs, CIA Factbook backgrounds) and the CWEB sentences of ``gec/`` both
   annotators left alone: findings per 1,000 words (target at most 0.1 in each set), and the
   sentences flagged.

Prints a Markdown report. Skips when ../shared/corpora is absent.
"""
from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

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


def po_file(rows: list[dict], lang: str, field: str) -> str:
    """A PO file of ``rows`` (msgctxt = row index, msgid = source, msgstr = the row's ``field``)."""
    from repair.bilingual.po import escape

    out = ['msgid ""\nmsgstr ""\n"Language: en\\n"\n'
           f'"X-Source-Language: {lang}\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n']
    for i, r in enumerate(rows):
        out.append(f'msgctxt "{i}"\nmsgid "{escape(r["src"])}"\nmsgstr "{escape(r[field])}"\n')
    return "\n".join(out)


def check_po(rows: list[dict], lang: str, field: str) -> dict[int, list[str]]:
    """``ungarble check`` on a PO file of ``rows``: {row: severities of its mt.garbled-sentence findings}."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"{lang}.po"
        path.write_text(po_file(rows, lang, field), encoding="utf-8")
        cmd = [sys.executable, "-m", "repair.cli", "check", "--isolated", "--format", "json",
               "--select", "mt.garbled-sentence", str(path)]
        done = subprocess.run(cmd, capture_output=True, text=True, cwd=data.ROOT)
    if done.returncode not in (0, 1):
        raise SystemExit(f"ungarble check failed on the {lang} PO file ({done.returncode}): {done.stderr.strip()}")
    found: dict[int, list[str]] = {}
    for f in json.loads(done.stdout)["files"][0]["findings"]:
        if f["rule"] == "mt.garbled-sentence":
            found.setdefault(int(f["unit"]["context"]), []).append(f["severity"])
    return found


def pair_line(pair: str, rr: list[dict], flagged: list[dict], warned: list[dict], extra: str = "") -> str:
    mean = sum(r["hter"] for r in rr) / len(rr)
    fm = sum(r["hter"] for r in flagged) / len(flagged) if flagged else float("nan")
    wm = sum(r["hter"] for r in warned) / len(warned) if warned else float("nan")
    share = len(flagged) / len(rr)
    ok = share >= TARGET_SHARE and flagged and fm / mean >= TARGET_RATIO[pair]
    return (f"| {pair} | {len(rr)} | {len(flagged)} ({100 * share:.1f} %) | {fm:.3f} / {mean:.3f} | "
            f"{fm / mean:.2f} | >= 2 %, {TARGET_RATIO[pair]}x | {len(warned)} | {wm / mean:.2f} | "
            f"{'yes' if ok else 'no'} |{extra}")


def main() -> None:
    from repair.checks.garble import garbled_sentences, source_thresholds, thresholds
    from repair.score import load_model
    from repair.score.source import load_source_model

    t0 = time.time()
    limits = thresholds()
    meta = load_model().meta.get("sentence_findings", {})
    source_meta = load_source_model().meta.get("sentence_findings", {})
    print("# `mt.garbled-sentence`: MLQE-PE dev and clean prose\n")
    print(f"Written by `python benchmarks/eval_garbled_sentence.py`. Thresholds of a plain text (from "
          f"`repair/data/score_model.json`, fitted on {meta.get('fitted_on', 'train')}): "
          f"info at a sentence score of {limits.info:g}, warning at {limits.warning:g}. With a source "
          f"(from `repair/data/score_source_model.json`, fitted on {source_meta.get('fitted_on', 'train')}): "
          + ", ".join(f"{lang or 'pooled'} {source_thresholds(lang).info:g} / {source_thresholds(lang).warning:g}"
                      for lang in (*source_meta.get("languages", {}), None))
          + " (info / warning; the last is the pooled pair, for any other language).\n")
    header = ("| pair | rows | flagged (info or warning) | mean HTER flagged / pair | ratio | target | "
              "warnings | ratio (warnings) | met |")
    rule = "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |"
    print("## MLQE-PE dev, monolingual (a plain text; thresholds fitted on train)\n")
    print(header)
    print(rule)
    rows = data.mlqe("dev")
    for pair in data.PAIRS:
        rr = [r for r in rows if r["pair"] == pair]
        found = [garbled_sentences(r["text"], limits) for r in rr]
        flagged = [r for r, f in zip(rr, found) if f]
        warned = [r for r, f in zip(rr, found) if any(x.severity == "warning" for x in f)]
        print(pair_line(pair, rr, flagged, warned))
    print("\n## MLQE-PE dev, with the source (a PO file per pair through `ungarble check`; thresholds "
          "fitted on train)\n")
    print(header + " post-edits flagged |")
    print(rule + " ---: |")
    for pair in data.PAIRS:
        rr = [r for r in rows if r["pair"] == pair]
        lang = pair.split("-")[0]
        found = check_po(rr, lang, "text")
        flagged = [r for i, r in enumerate(rr) if i in found]
        warned = [r for i, r in enumerate(rr) if "warning" in found.get(i, ())]
        pe = check_po(rr, lang, "pe")
        print(pair_line(pair, rr, flagged, warned, f" {len(pe)} ({100 * len(pe) / len(rr):.1f} %) |"))
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
