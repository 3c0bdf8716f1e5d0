"""Throughput of the rules engine (no encoding repair, no grammar) on clean prose.

Target: >= 500,000 words/s. Reads ../shared/corpora/clean-prose when present (Standard
Ebooks chapters and CIA World Factbook backgrounds), else generated text. Three figures:

- engine: the rule checks as the pipeline runs them (paragraph-scope rules on each
  blank-line-separated paragraph, document-scope rules on the whole text);
- pipeline: ``repair.analyse(text, grammar="none")`` on the same texts (encoding repair,
  shields and the edit loop included);
- per rule: each rule alone, run through its own gate, for finding the slow one.

Usage: python benchmarks/bench_rules.py [--repeat N] [--per-rule] [--no-pipeline]
"""
from __future__ import annotations

import argparse
import collections
import json
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from repair.rulebook import load_rules, run_rules  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpora" / "clean-prose"


def _corpus() -> tuple[str, dict[str, list[str]]]:
    docs: dict[str, list[str]] = collections.defaultdict(list)
    if CORPUS.is_dir():
        for name in ("standard-ebooks.paragraphs.jsonl", "cia-world-factbook.background.jsonl"):
            with (CORPUS / name).open(encoding="utf-8") as fh:
                for line in fh:
                    row = json.loads(line)
                    docs[name + row["file"]].append(row["text"])
        return f"clean prose from {CORPUS}", docs
    rng = random.Random(7)
    words = ("the harbour town council met on a grey morning to discuss ferries bridges budgets and "
             "the long winter while fishermen mended nets near old warehouses by the quay").split()
    for d in range(40):
        for _ in range(200):
            sentences = []
            for _ in range(rng.randint(2, 6)):
                s = " ".join(rng.choice(words) for _ in range(rng.randint(6, 22)))
                sentences.append(s[0].upper() + s[1:] + rng.choice([".", ".", ".", "?", "!"]))
            docs[f"generated-{d}"].append(" ".join(sentences))
    return "generated text (../shared/corpora is absent)", docs


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3, help="runs; the best is reported")
    ap.add_argument("--per-rule", action="store_true", help="also time each rule alone")
    ap.add_argument("--no-pipeline", action="store_true", help="skip the repair.analyse figure")
    args = ap.parse_args()
    source, docs = _corpus()
    words = sum(len(p.split()) for paras in docs.values() for p in paras)
    rules = load_rules()
    para = [r for r in rules if r.scope == "paragraph"]
    doc = [r for r in rules if r.scope != "paragraph"]
    texts = [(paras, "\n\n".join(paras)) for paras in docs.values()]
    print(f"{source}: {words:,} words in {len(texts)} texts, {len(rules)} rules")

    def timed(label: str, work) -> None:
        wall = cpu = float("inf")
        for _ in range(args.repeat):
            w0, c0 = time.perf_counter(), time.process_time()
            work()
            wall = min(wall, time.perf_counter() - w0)
            cpu = min(cpu, time.process_time() - c0)
        print(f"{label:9s} wall {wall:6.2f}s {words / wall:>10,.0f} words/s   "
              f"cpu {cpu:6.2f}s {words / cpu:>10,.0f} words/s")

    def engine() -> None:
        for paras, whole in texts:
            for p in paras:
                run_rules(para, p)
            run_rules(doc, whole)

    print("(best of %d runs; cpu = this process's CPU time, steadier on a shared machine)" % args.repeat)
    timed("engine:", engine)
    print("          target 500,000 words/s")

    if not args.no_pipeline:
        import repair

        def pipeline() -> None:
            for _paras, whole in texts:
                repair.analyse(whole, grammar="none")

        timed("pipeline:", pipeline)
        print("          repair.analyse(text, grammar='none'): encoding repair, shields, edit loop")

    if args.per_rule:
        per_rule = collections.Counter()
        for rule in rules:
            t = time.perf_counter()
            for paras, whole in texts:
                if rule.scope == "paragraph":
                    for p in paras:
                        run_rules([rule], p)
                else:
                    run_rules([rule], whole)
            per_rule[rule.id] += time.perf_counter() - t
        for rid, secs in per_rule.most_common():
            print(f"  {rid:40s} {secs:6.3f}s  {words / secs:>14,.0f} words/s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
