"""Precision of each rule on expert-marked machine-translation errors (MQM, zh-en).

Reads ../shared/corpora/mqm-zhen (relative to the repository) and skips with a message when it
is absent. Segments: TED talks (``mqm_ted_zhen.segments.jsonl``; systems named ``ref*`` are
human translations and are left out) and WMT newstest2021 (``wmtqe23_task2_zh-en.
train_newstest2021.jsonl``, systems ``hyp.*``). Ratings of the same system's segment by
several raters are merged: a target-side error span of any rater counts.

Per rule: findings on MT segments (findings covering more than 80% of the segment are not
counted, as in issue 13), how many overlap an expert error span (precision), and how many
distinct error spans they overlap ("caught"). Document-scope rules see each segment as a text.

Usage: python benchmarks/eval_mqm_rules.py [--rules DIR] [--select PREFIX] [--show N]
"""
from __future__ import annotations

import argparse
import collections
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from repair.rulebook import load_rules, run_rules  # noqa: E402

CORPORA = Path(os.environ.get("UNGARBLE_CORPORA", ROOT.parent / "shared" / "corpora"))
MQM = CORPORA / "mqm-zhen"
SETS = (
    ("ted", "mqm_ted_zhen.segments.jsonl"),
    ("newstest2021", "wmtqe23_task2_zh-en.train_newstest2021.jsonl"),
)


def segments(name: str, file: str):
    """(mt, [(start, end), ...]) per MT segment, errors of every rater merged."""
    merged: dict[tuple, list] = {}
    with (MQM / file).open(encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            system = row.get("system", "")
            if name == "ted" and system.lower().startswith("ref"):
                continue
            if name == "newstest2021" and not system.startswith("hyp."):
                continue
            key = (system, row.get("doc") or row.get("doc_id"), row.get("seg_id"), row["mt"])
            spans = merged.setdefault(key, [])
            for e in row.get("errors", ()):
                if e.get("side", "target") != "target" or e.get("start") is None:
                    continue
                if e["end"] > e["start"]:
                    spans.append((e["start"], e["end"]))
    for (_s, _d, _i, mt), spans in merged.items():
        yield mt, sorted(set(spans))


def evaluate(rules, show: int = 0):
    """{set name: (segments, {rule: Counter(findings, hits, caught)}, samples)}"""
    para = [r for r in rules if r.scope == "paragraph"]
    doc = [r for r in rules if r.scope == "document"]
    out = {}
    for name, file in SETS:
        stats: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
        samples: dict[str, list[str]] = collections.defaultdict(list)
        n = 0
        for mt, spans in segments(name, file):
            n += 1
            found = run_rules(para, mt) + run_rules(doc, mt)
            caught: dict[str, set] = collections.defaultdict(set)
            for f in found:
                s, e = f.span.start, f.span.end
                if len(mt) and (e - s) > 0.8 * len(mt):
                    continue
                hit = [sp for sp in spans if sp[0] < max(e, s + 1) and s < sp[1]]
                c = stats[f.rule]
                c["findings"] += 1
                c["hits"] += bool(hit)
                caught[f.rule].update(hit)
                if len(samples[f.rule]) < show:
                    mark = "HIT " if hit else "miss"
                    samples[f.rule].append(f"[{mark}] …{mt[max(0, s - 50):s]}⟦{mt[s:e]}⟧{mt[e:e + 50]}…")
            for rid, got in caught.items():
                stats[rid]["caught"] += len(got)
        out[name] = (n, stats, samples)
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rules", action="append", default=[], help="extra rule pack directory")
    ap.add_argument("--select", action="append", default=[], help="only rules whose id starts so")
    ap.add_argument("--show", type=int, default=0, help="print up to N findings per rule and set")
    args = ap.parse_args()
    if not MQM.is_dir():
        print(f"skipped: {MQM} is absent (the evaluation corpora live in ../shared/corpora)")
        return 0
    rules = load_rules(args.rules)
    if args.select:
        rules = [r for r in rules if any(r.id.startswith(p) for p in args.select)]
    results = evaluate(rules, args.show)
    total: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    for name, (n, stats, samples) in results.items():
        print(f"\n## MQM zh-en {name}: {n:,} MT segments")
        print(f"{'rule':40s} {'findings':>9s} {'on error':>9s} {'precision':>10s} {'caught':>7s}")
        for rid in sorted(stats):
            c = stats[rid]
            total[rid].update(c)
            print(f"{rid:40s} {c['findings']:9d} {c['hits']:9d} {100 * c['hits'] / c['findings']:9.1f}% "
                  f"{c['caught']:7d}")
        for rid, lines in samples.items():
            for line in lines:
                print(f"   {rid}: {line}")
    print("\n## both sets")
    print(f"{'rule':40s} {'findings':>9s} {'on error':>9s} {'precision':>10s} {'caught':>7s}")
    for rid in sorted(total):
        c = total[rid]
        print(f"{rid:40s} {c['findings']:9d} {c['hits']:9d} {100 * c['hits'] / c['findings']:9.1f}% {c['caught']:7d}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
