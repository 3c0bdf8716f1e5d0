"""Throughput of the rules engine alone (no encoding repair, no grammar) on clean prose.

Target: >= 500,000 words/s. Reads ../shared/corpora/clean-prose; skips when absent.
Usage: python benchmarks/bench_rules.py [--repeat N]
"""
from __future__ import annotations

import argparse
import collections
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from repair.rulebook import load_rules, run_rules  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpora" / "clean-prose"


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=1)
    args = ap.parse_args()
    if not CORPUS.is_dir():
        print(f"skipped: {CORPUS} is absent")
        return 0
    docs: dict[str, list[str]] = collections.defaultdict(list)
    for name in ("standard-ebooks.paragraphs.jsonl", "cia-world-factbook.background.jsonl"):
        with (CORPUS / name).open(encoding="utf-8") as fh:
            for line in fh:
                row = json.loads(line)
                docs[name + row["file"]].append(row["text"])
    words = sum(len(p.split()) for paras in docs.values() for p in paras)
    rules = load_rules()
    per_rule = collections.Counter()
    best = float("inf")
    for _ in range(args.repeat):
        start = time.perf_counter()
        for paras in docs.values():
            for rule in rules:
                t = time.perf_counter()
                if rule.scope == "paragraph":
                    for p in paras:
                        run_rules([rule], p)
                else:
                    run_rules([rule], "\n\n".join(paras))
                per_rule[rule.id] += time.perf_counter() - t
        best = min(best, time.perf_counter() - start)
    print(f"{words:,} words, {len(rules)} rules: {best:.2f}s, {words / best:,.0f} words/s (target 500,000)")
    for rid, secs in per_rule.most_common():
        print(f"  {rid:40s} {secs / args.repeat:6.3f}s  {words * args.repeat / secs:>14,.0f} words/s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
