"""Per token-pattern rule (kind ``tokens``): reach and precision on LanguageTool's examples and
MQM zh-en, and the rate on clean prose (issue 13: at most ~0.1 per 1,000 words on each clean set).

Reads ../shared/corpora (or $UNGARBLE_CORPORA) and skips with a message when it is absent.

- LanguageTool (``languagetool/en-grammar.{incorrect,correct}.jsonl``): ``caught`` counts incorrect
  sentences with a finding of the rule overlapping the marked error; ``on correct`` counts the
  rule's findings on correct sentences; precision = findings at a marked error / all findings
  of the rule on both files. Findings covering more than 80% of the sentence are not counted.
- MQM zh-en (TED MT systems, newstest2021 ``hyp.*``): as ``eval_mqm_rules.py``.
- Clean prose: Standard Ebooks paragraphs, CIA World Factbook backgrounds, CWEB sentences both
  annotators left alone (``gec/cweb-{G,S}.dev.jsonl``, ``unchanged_by_both``): findings per
  1,000 words (white-space words), every paragraph run through the rule engine.

Also the cost: words per second of the token rules alone on the clean sets (in process), and with
``--startup DIR`` (a checkout of the revision to compare with, e.g. ``git worktree add /tmp/base
main``) the whole-process time of ``check --grammar none`` on a 300-word clean-prose file, this
checkout against DIR, runs alternated, medians of wall and CPU time.

Usage: python benchmarks/eval_token_rules.py [--select PREFIX] [--show N] [--out FILE] [--startup DIR]
(``--out benchmarks/token-rules.md`` rewrites the committed table.)
"""
from __future__ import annotations

import argparse
import collections
import datetime
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from _corpora import CORPORA, jsonl  # noqa: E402
from repair import tagger  # noqa: E402
from repair.rulebook import load_rules, run_rules  # noqa: E402


def counted(f, text: str) -> bool:
    return not (len(text) and f.span.end - f.span.start > 0.8 * len(text))


def eval_lt(rules, show: int, samples: dict) -> dict:
    stats: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    base = CORPORA / "languagetool"
    for row in jsonl(base / "en-grammar.incorrect.jsonl"):
        text, a, b = row["incorrect"], row.get("marker_start"), row.get("marker_end")
        if a is None or b is None:
            continue
        hit_rules = set()
        for f in run_rules(rules, text):
            if not counted(f, text):
                continue
            hit = f.span.start < max(b, a + 1) and a < max(f.span.end, f.span.start + 1)
            stats[f.rule]["lt_findings"] += 1
            stats[f.rule]["lt_hits"] += hit
            if hit:
                hit_rules.add(f.rule)
            if len(samples[f.rule, "lt"]) < show:
                samples[f.rule, "lt"].append(f"[{'HIT ' if hit else 'miss'} {row['rule_id']}] {mark(text, f)}")
        for r in hit_rules:
            stats[r]["lt_caught"] += 1
    for row in jsonl(base / "en-grammar.correct.jsonl"):
        text = row["correct"]
        for f in run_rules(rules, text):
            if not counted(f, text):
                continue
            stats[f.rule]["lt_findings"] += 1
            stats[f.rule]["lt_on_correct"] += 1
            if len(samples[f.rule, "lt-correct"]) < show:
                samples[f.rule, "lt-correct"].append(f"[correct {row['rule_id']}] {mark(text, f)}")
    return stats


def mark(text: str, f) -> str:
    s, e = f.span.start, f.span.end
    return f"…{text[max(0, s - 50):s]}⟦{text[s:e]}⟧{text[e:e + 50]}…".replace("\n", " ")


def clean_sets() -> dict[str, list[str]]:
    """Paragraphs of each clean set."""
    out: dict[str, list[str]] = {}
    out["standard-ebooks"] = [r["text"] for r in jsonl(CORPORA / "clean-prose" / "standard-ebooks.paragraphs.jsonl")]
    out["cia-factbook"] = [r["text"] for r in jsonl(CORPORA / "clean-prose" / "cia-world-factbook.background.jsonl")]
    cweb = []
    for name in ("cweb-G.dev.jsonl", "cweb-S.dev.jsonl"):
        cweb.extend(r["source_sentence"] for r in jsonl(CORPORA / "gec" / name) if r.get("unchanged_by_both"))
    out["cweb-unchanged"] = cweb
    return out


def eval_clean(rules, show: int, samples: dict) -> tuple[dict, dict]:
    words: dict[str, int] = {}
    stats: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    for name, paras in clean_sets().items():
        words[name] = sum(len(p.split()) for p in paras)
        for p in paras:
            for f in run_rules(rules, p):
                stats[f.rule][name] += 1
                stats[f.rule][name + ":safe"] += bool(f.fix and f.fix.safety == "safe")
                if len(samples[f.rule, name]) < show:
                    samples[f.rule, name].append(mark(p, f))
    return stats, words


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--select", action="append", default=[], help="only rules whose id starts so")
    ap.add_argument("--show", type=int, default=0, help="print up to N findings per rule and set")
    ap.add_argument("--out", type=Path, help="write the Markdown table here")
    ap.add_argument("--skip", action="append", default=[], choices=["lt", "mqm", "clean"])
    ap.add_argument("--startup", type=Path, help="a checkout of the revision to time start-up against")
    ap.add_argument("--runs", type=int, default=25, help="start-up runs of each revision")
    args = ap.parse_args()
    if not (CORPORA / "languagetool").is_dir():
        print(f"skipped: {CORPORA} has no languagetool/ (the evaluation corpora live in ../shared/corpora)")
        return 0
    rules = [r for r in load_rules() if r.KIND == "tokens"]
    if args.select:
        rules = [r for r in rules if any(r.id.startswith(p) for p in args.select)]
    samples: dict = collections.defaultdict(list)
    t0 = time.perf_counter()
    lt = eval_lt(rules, args.show, samples) if "lt" not in args.skip else {}
    t_lt = time.perf_counter() - t0
    mqm: dict = {}
    if "mqm" not in args.skip:
        import eval_mqm_rules
        if eval_mqm_rules.MQM.is_dir():
            for name, (_n, st, smp) in eval_mqm_rules.evaluate(rules, args.show).items():
                for rid, c in st.items():
                    mqm.setdefault(rid, collections.Counter()).update(c)
                for rid, lines in smp.items():
                    samples[rid, "mqm-" + name].extend(lines)
    t_mqm = time.perf_counter() - t0 - t_lt
    clean, words = eval_clean(rules, args.show, samples) if "clean" not in args.skip else ({}, {})
    t_clean = time.perf_counter() - t0 - t_lt - t_mqm
    startup = time_startup(args.startup, args.runs) if args.startup else []

    lt_inc = sum(1 for _ in jsonl(CORPORA / "languagetool" / "en-grammar.incorrect.jsonl"))
    lt_cor = sum(1 for _ in jsonl(CORPORA / "languagetool" / "en-grammar.correct.jsonl"))
    sets = list(words)
    head = (["rule", f"LT caught (of {lt_inc:,})", f"LT on correct (of {lt_cor:,})", "LT precision",
             "MQM findings", "MQM precision", "MQM errors caught"]
            + [f"{s} /1k ({words[s]:,} words)" for s in sets] + ["safe edits"])
    lines = ["| " + " | ".join(head) + " |", "| --- |" + " ---: |" * (len(head) - 1)]
    for rule in rules:
        c, m, k = lt.get(rule.id, collections.Counter()), mqm.get(rule.id, collections.Counter()), \
            clean.get(rule.id, collections.Counter())
        cells = [f"`{rule.id}`", str(c["lt_caught"]), str(c["lt_on_correct"]),
                 pct(c["lt_hits"], c["lt_findings"]), str(m["findings"]), pct(m["hits"], m["findings"]),
                 str(m["caught"])]
        cells += [f"{1000 * k[s] / words[s]:.3f} ({k[s]})" for s in sets]
        cells.append(str(sum(k[s + ":safe"] for s in sets)))
        lines.append("| " + " | ".join(cells) + " |")
    load = os.getloadavg()
    table = "\n".join([
        "# Token-pattern rules: reach, precision and clean-prose rates (issue 13)",
        "",
        f"- date: {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC; command: "
        "`python benchmarks/eval_token_rules.py --out benchmarks/token-rules.md`",
        "- each rule alone (kind `tokens`, rules/grammar/), tagged by repair/tagger.py; findings "
        "covering more than 80% of a sentence or segment are not counted on LT and MQM",
        "- LT precision: findings at the marked error / all the rule's findings on both LT files; "
        "MQM: findings on MT segments overlapping a target-side error span (TED MT systems + "
        "newstest2021 hyp.*), errors caught = distinct error spans overlapped",
        f"- clean prose: findings per 1,000 words, every paragraph (CWEB: sentences both annotators "
        f"left alone); time {t_lt:.0f} s LT, {t_mqm:.0f} s MQM, {t_clean:.0f} s clean "
        f"(load {load[0]:.1f}); the tagger loaded {tagger.LOADS} time(s)",
        "",
    ] + lines + [""])
    if words:
        others = [r for r in load_rules() if r.KIND != "tokens" and r.scope == "paragraph"]
        paras = [p for ps in clean_sets().values() for p in ps][::5]
        n = sum(len(p.split()) for p in paras)
        spent = {"tokens": 0.0, "others": 0.0}
        for p in paras:  # alternated, so that the machine's load falls on both alike
            for key, rs in (("tokens", rules), ("others", others)):
                t = time.perf_counter()
                run_rules(rs, p)
                spent[key] += time.perf_counter() - t
        table += (f"\nCost, in process, on every fifth clean paragraph ({n:,} words; load {os.getloadavg()[0]:.1f}): "
                  f"the {len(rules)} token rules run at {n / spent['tokens']:,.0f} words/s, the other "
                  f"{len(others)} paragraph-scope built-in rules at {n / spent['others']:,.0f} words/s (ratio "
                  f"{spent['tokens'] / spent['others']:.2f}). A sentence is tagged only when it passes a rule's "
                  f"word and lexicon clauses.\n")
    if startup:
        table += "\n" + "\n".join(startup) + "\n"
    print(table)
    for (rid, where), got in sorted(samples.items()):
        for line in got:
            print(f"  {rid} {where}: {line}")
    if args.out:
        args.out.write_text(table, encoding="utf-8")
    return 0


def time_startup(base: Path, runs: int) -> list[str]:
    """Whole-process ``check --grammar none`` on a 300-word clean-prose file: this checkout
    against ``base``, alternated; medians of wall and CPU time (this interpreter for both)."""
    import json
    import resource
    import statistics
    import subprocess
    import tempfile
    import textwrap
    paras = [json.loads(line)["text"] for line in open(CORPORA / "clean-prose" / "standard-ebooks.paragraphs.jsonl",
                                                       encoding="utf-8")]
    import random
    random.Random(7).shuffle(paras)
    picked: list[str] = []
    for p in paras:
        picked += p.split()
        if len(picked) >= 300:
            break
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "words300.txt"
        path.write_text("\n".join(textwrap.wrap(" ".join(picked[:300]), 78)) + "\n", encoding="utf-8")
        dirs = {"before": base.resolve(), "after": ROOT}
        wall: dict = {k: [] for k in dirs}
        cpu: dict = {k: [] for k in dirs}
        for _ in range(runs):
            for key, d in dirs.items():
                r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
                t = time.perf_counter()
                subprocess.run([sys.executable, "-m", "repair.cli", "check", "--grammar", "none", str(path)],
                               cwd=d, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                wall[key].append(time.perf_counter() - t)
                r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
                cpu[key].append(r1.ru_utime - r0.ru_utime + r1.ru_stime - r0.ru_stime)
    med = {k: (statistics.median(wall[k]), statistics.median(cpu[k])) for k in dirs}
    return [
        f"Start-up: `check --grammar none` on a 300-word clean-prose file, whole process, {runs} runs of each "
        f"revision alternated (load {os.getloadavg()[0]:.1f}): before ({base}) wall {med['before'][0]:.3f} s, CPU "
        f"{med['before'][1]:.3f} s; after (this checkout) wall {med['after'][0]:.3f} s, CPU {med['after'][1]:.3f} s; "
        f"ratio after/before: wall {med['after'][0] / med['before'][0]:.2f}, CPU {med['after'][1] / med['before'][1]:.2f}."]


def pct(a: int, b: int) -> str:
    return f"{100 * a / b:.0f}% ({a}/{b})" if b else "-"


if __name__ == "__main__":
    raise SystemExit(main())
