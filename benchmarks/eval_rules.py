"""Precision of the rule packs, per rule, on real data nobody on this project wrote.

Reads ../shared/corpora (relative to the repository) and skips with a message when it is absent.

1. Clean prose (Standard Ebooks paragraphs, CIA World Factbook backgrounds; the ``text`` field,
   which keeps real typography) and CWEB sentences that both annotators left unchanged:
   findings, safe edits, suggestions and flag-only findings per 1,000 words. Target: zero safe
   edits, flag-only findings below 1 per 1,000 words.
2. MLQE-PE (machine translation into English with human post-edits): how often each edit
   agrees with the post-edit, where agreeing means the defect (the text the finding covers)
   occurs fewer times in the post-edit than in the machine translation. Safety is decided on
   train (>= 95% agreement to stay safe) and reported on dev.
3. MQM zh-en (expert-marked errors in MT output, TED and newstest2021): per rule, findings on
   MT segments, how many overlap an expert error span (precision) and how many error spans
   they catch (``eval_mqm_rules.py`` runs this part alone, with ``--show``).

Usage: python benchmarks/eval_rules.py [--rules DIR] [--show N] [--only clean|mlqe|mqm]
"""
from __future__ import annotations

import argparse
import collections
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from repair.rulebook import load_rules, run_rules  # noqa: E402

CORPORA = Path(os.environ.get("UNGARBLE_CORPORA", ROOT.parent / "shared" / "corpora"))
PAIRS = ("ro-en", "et-en", "ne-en", "si-en", "ru-en")


def _rows(path: Path):
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            yield json.loads(line)


def _words(text: str) -> int:
    return len(text.split())


class Tally:
    def __init__(self) -> None:
        self.words = 0
        self.counts: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
        self.samples: dict[str, list[str]] = collections.defaultdict(list)

    def add(self, findings, text: str, show: int) -> None:
        for f in findings:
            kind = "flag" if f.fix is None else f.fix.safety
            c = self.counts[f.rule]
            c["findings"] += 1
            c[kind] += 1
            if kind in ("safe", "flag") and len(self.samples[f.rule]) < show:
                s, e = f.span.start, f.span.end
                self.samples[f.rule].append(
                    f"[{kind}] …{text[max(0, s - 50):s]}⟦{text[s:e]}⟧{text[e:e + 50]}…".replace("\n", "⏎"))


def clean_prose(rules, show: int) -> dict[str, Tally]:
    para_rules = [r for r in rules if r.scope == "paragraph"]
    doc_rules = [r for r in rules if r.scope == "document"]
    tallies: dict[str, Tally] = {}

    def run_docs(name: str, docs: dict[str, list[str]]) -> None:
        t = tallies.setdefault(name, Tally())
        for paras in docs.values():
            for p in paras:
                t.words += _words(p)
                t.add(run_rules(para_rules, p), p, show)
            doc = "\n\n".join(paras)
            t.add(run_rules(doc_rules, doc), doc, show)

    books: dict[str, list[str]] = collections.defaultdict(list)
    for row in _rows(CORPORA / "clean-prose" / "standard-ebooks.paragraphs.jsonl"):
        books[row["book"] + "/" + row["file"]].append(row["text"])
    run_docs("standard-ebooks", books)
    factbook: dict[str, list[str]] = collections.defaultdict(list)
    for row in _rows(CORPORA / "clean-prose" / "cia-world-factbook.background.jsonl"):
        factbook[row["file"]].append(row["text"])
    run_docs("world-factbook", factbook)
    cweb: dict[str, list[str]] = {}
    for name in ("cweb-G.dev.jsonl", "cweb-S.dev.jsonl"):
        for row in _rows(CORPORA / "gec" / name):
            if row.get("unchanged_by_both"):
                cweb[f"{name}:{row['index']}"] = [row["source_sentence"]]
    run_docs("cweb-unchanged", cweb)
    return tallies


def _norm(text: str) -> str:
    return " ".join(text.casefold().split())


def mlqe(rules, split: str, show: int):
    para_rules = [r for r in rules if r.scope == "paragraph"]
    doc_rules = [r for r in rules if r.scope == "document"]
    stats: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    samples: dict[str, list[str]] = collections.defaultdict(list)
    words = 0
    for pair in PAIRS:
        for row in _rows(CORPORA / "mlqe-pe" / f"{pair}.{split}.jsonl"):
            mt, pe = row["mt"], row["pe_detok"]
            words += _words(mt)
            found = run_rules(para_rules, mt) + run_rules(doc_rules, mt)
            mt_n, pe_n = _norm(mt), _norm(pe)
            for f in found:
                kind = "flag" if f.fix is None else f.fix.safety
                c = stats[f.rule]
                c[kind] += 1
                defect = _norm(f.text) if f.text.strip() else f.text
                if not defect:
                    continue
                hay_mt = mt_n if defect.strip() == defect else mt.casefold()
                hay_pe = pe_n if defect.strip() == defect else pe.casefold()
                agrees = hay_pe.count(defect) < hay_mt.count(defect)
                c[f"{kind}-agree"] += agrees
                if not agrees and kind == "safe" and len(samples[f.rule]) < show:
                    samples[f.rule].append(f"{pair}: MT: {mt}\n      PE: {pe}\n      defect: {f.text!r}")
    return words, stats, samples


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rules", action="append", default=[], help="extra rule pack directory")
    ap.add_argument("--show", type=int, default=0, help="print up to N examples of safe/flag findings per rule")
    ap.add_argument("--only", choices=("clean", "mlqe", "mqm"))
    args = ap.parse_args()
    if not CORPORA.is_dir():
        print(f"skipped: {CORPORA} is absent (the evaluation corpora live in ../shared/corpora)")
        return 0
    rules = load_rules(args.rules)
    ids = sorted(r.id for r in rules)
    safety = {r.id: r.safety for r in rules}
    ok = True
    if args.only in (None, "clean"):
        t0 = time.perf_counter()
        tallies = clean_prose(rules, args.show)
        print(f"# Clean prose ({time.perf_counter() - t0:.1f}s): per 1,000 words (count)")
        for name, t in tallies.items():
            print(f"\n## {name}: {t.words:,} words")
            print(f"{'rule':40s} {'findings':>14s} {'safe':>12s} {'suggest':>12s} {'flag':>12s}")
            tot = collections.Counter()
            for rid in ids:
                c = t.counts.get(rid, collections.Counter())
                tot.update(c)
                if not c:
                    continue
                cells = [f"{c[k] * 1000 / t.words:7.3f} ({c[k]})" for k in ("findings", "safe", "suggest", "flag")]
                print(f"{rid:40s} " + " ".join(f"{x:>12s}" for x in cells))
            cells = [f"{tot[k] * 1000 / t.words:7.3f} ({tot[k]})" for k in ("findings", "safe", "suggest", "flag")]
            print(f"{'TOTAL':40s} " + " ".join(f"{x:>12s}" for x in cells))
            if tot["safe"]:
                ok = False
                print(f"!! {tot['safe']} safe edits on clean prose (target 0)")
            if tot["flag"] * 1000 / t.words >= 1:
                ok = False
                print(f"!! flag-only findings {tot['flag'] * 1000 / t.words:.2f} per 1,000 words (target < 1)")
            for rid, lines in t.samples.items():
                for line in lines:
                    print(f"   {rid}: {line}")
    if args.only in (None, "mlqe"):
        print("\n# MLQE-PE: edits that agree with the human post-edit (defect gone)")
        train_words, train, _ = mlqe(rules, "train", 0)
        dev_words, dev, samples = mlqe(rules, "dev", args.show)
        print(f"train {train_words:,} MT words, dev {dev_words:,} MT words")
        print(f"{'rule':40s} {'safety':>8s} {'train safe':>16s} {'dev safe':>16s} {'train suggest':>16s} "
              f"{'dev suggest':>16s} {'dev flag':>9s}")
        for rid in ids:
            tr, dv = train.get(rid, collections.Counter()), dev.get(rid, collections.Counter())
            if not tr and not dv:
                continue

            def pct(c, kind):
                n = c[kind]
                return f"{100 * c[kind + '-agree'] / n:5.1f}% of {n}" if n else "-"

            print(f"{rid:40s} {safety[rid]:>8s} {pct(tr, 'safe'):>16s} {pct(dv, 'safe'):>16s} "
                  f"{pct(tr, 'suggest'):>16s} {pct(dv, 'suggest'):>16s} {dv['flag']:>9d}")
            for kind_counts in (tr,):
                n = kind_counts["safe"]
                if n and kind_counts["safe-agree"] / n < 0.95:
                    ok = False
                    print(f"!! {rid}: safe edits agree {100 * kind_counts['safe-agree'] / n:.1f}% on train (< 95%)")
        for rid, lines in samples.items():
            for line in lines:
                print(f"   {rid} disagrees: {line}")
    if args.only in (None, "mqm"):
        import eval_mqm_rules

        if not eval_mqm_rules.MQM.is_dir():
            print(f"\n# MQM zh-en: skipped, {eval_mqm_rules.MQM} is absent")
        else:
            print("\n# MQM zh-en: findings on MT segments that overlap an expert error span")
            total: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
            for name, (n, stats, _samples) in eval_mqm_rules.evaluate(rules).items():
                print(f"{name}: {n:,} MT segments")
                for rid, c in stats.items():
                    total[rid].update(c)
            print(f"{'rule':40s} {'findings':>9s} {'on error':>9s} {'precision':>10s} {'caught':>7s}")
            for rid in sorted(total):
                c = total[rid]
                print(f"{rid:40s} {c['findings']:9d} {c['hits']:9d} {100 * c['hits'] / c['findings']:9.1f}% "
                      f"{c['caught']:7d}")
    print("\nall precision targets met" if ok else "\nsome precision targets missed (see !! lines)")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
