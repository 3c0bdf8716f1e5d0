"""Every Harper rule, measured: MT rate, MQM precision, MLQE-PE edit precision, clean-prose rates.

    python benchmarks/eval_harper_rules.py [--half all|tune|check] [--every-ebook N] [--markdown FILE]
                                           [--lint-only CORPUS,...]

Runs Harper once over each corpus *with every rule on* (``HarperCheck`` with nothing
quiet, so with the same ``_false_alarm`` filter and the same name and lexicon filtering
of spelling findings that a user gets when the rule is on), caches the findings under
``benchmarks/.cache/`` (a re-run only scores), and prints one row per rule:

* **MT /1k**: findings per 1,000 words of machine translation (MQM zh-en MT systems and
  MLQE-PE dev ``mt``, each distinct text once);
* **MQM prec.**: share of its findings that overlap a target-side marked error span, TED
  (MT systems, not ``ref*``) and newstest2021 (``hyp.*``) pooled (and each), counted per
  rated row as in ``eval_grammar.py``; **caught**: marked errors it overlaps;
* **MLQE-PE prec.**: share of its findings on ``mt`` whose tokens the post-editor changed
  (``mt_tok`` aligned with ``pe_tok`` by difflib at token level; a token replaced or
  deleted, or an insertion at the edge of or inside the finding's tokens, counts);
* **clean /1k**: findings per 1,000 words on Standard Ebooks chapters (every 2nd by default), CIA World Factbook
  backgrounds and CWEB sentences both annotators left unchanged;
* **LT**: LanguageTool's incorrect examples caught at the marked span, correct examples
  flagged.

Findings covering more than 80% of their segment (sentence-long lints) are not counted
on MQM, MLQE-PE and LanguageTool; on clean prose every finding counts.

The selection criterion (``criterion()``): a rule is on when its pooled MQM precision is
at least 40% over at least 10 findings (``MIN_SUPPORT``) and it flags at most 0.2
per 1,000 words on each clean set; ``--markdown FILE`` writes the table with the verdict.
:func:`score` is shared with ``eval_grammar.py``, which reports whole systems.
"""
from __future__ import annotations

import argparse
import collections
import datetime
import difflib
import hashlib
import inspect
import json
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _corpora import jsonl, require  # noqa: E402

CACHE = Path(__file__).resolve().parent / ".cache"
LONG = 0.8  # findings covering more than this share of their segment are not counted
MIN_PRECISION = 40.0
MIN_SUPPORT = 10
MAX_CLEAN = 0.2
CLEAN_SETS = ("standard-ebooks", "cia-factbook", "cweb-unchanged")

Found = list[tuple[int, int, str]]  # (start, end, rule id)


# --- the data ---------------------------------------------------------------------------------

def in_half(i: int, half: str) -> bool:
    return half == "all" or (i % 2 == 0) == (half == "tune")


def load(half: str = "all", every_ebook: int = 1, every_mqm: int = 1) -> dict[str, list[dict]]:
    """Every corpus as rows with a ``text`` to lint (and what scoring needs)."""
    from eval_grammar import clean_documents

    def pick(rows: list, every: int = 1) -> list:
        return [r for i, r in enumerate(rows) if in_half(i, half)][::every]

    data: dict[str, list[dict]] = {}
    ted = [r for r in jsonl(require("mqm-zhen", "mqm_ted_zhen.segments.jsonl")) if not r["system"].startswith("ref")]
    data["mqm-ted"] = [{"text": r["mt"], "errors": [e for e in r["errors"] if e.get("side", "target") == "target"]}
                       for r in pick(ted, every_mqm)]
    news = [r for r in jsonl(require("mqm-zhen", "wmtqe23_task2_zh-en.train_newstest2021.jsonl"))
            if r["system"].startswith("hyp.")]
    data["mqm-newstest"] = [{"text": r["mt"], "errors": r["errors"]} for r in pick(news, every_mqm)]
    mlqe = []
    for lp in ("et-en", "ne-en", "ro-en", "ru-en", "si-en"):
        mlqe.extend({"text": r["mt"], "lp": lp, "mt_tok": r["mt_tok"], "pe_tok": r["pe_tok"]}
                    for r in pick(list(jsonl(require("mlqe-pe", f"{lp}.dev.jsonl")))))
    data["mlqe-pe"] = mlqe
    for name, docs in clean_documents(half, None, every_ebook).items():
        data[name] = [{"text": d} for d in docs]
    inc, cor = [], []
    for name in ("en-grammar", "en-US-grammar", "en-GB-grammar"):
        inc.extend(jsonl(require("languagetool", f"{name}.incorrect.jsonl")))
        cor.extend(jsonl(require("languagetool", f"{name}.correct.jsonl")))
    data["lt-incorrect"] = [{"text": r["incorrect"], "span": (r["marker_start"], r["marker_end"])} for r in pick(inc)]
    data["lt-correct"] = [{"text": r["correct"], "triggers": _triggers_error(r)} for r in pick(cor)]
    return data


def _triggers_error(row: dict) -> bool:
    """A correct sentence LanguageTool itself flags (its ``example_type`` says so)."""
    return row.get("example_type") == "triggers_error" or bool(row.get("triggers_error"))


# --- linting, cached --------------------------------------------------------------------------

def all_rules_check():
    """HarperCheck with no rule quiet: what a user gets with every Harper rule selected."""
    from repair.checks.harper import HarperCheck

    return HarperCheck("us", quiet_rules=frozenset(), quiet_kinds=frozenset())


def _fingerprint() -> str:
    from importlib.metadata import version

    from repair import lexicon, names
    from repair.checks import harper

    parts = [version("harper-py"), inspect.getsource(harper._false_alarm), inspect.getsource(harper.HarperCheck),
             Path(names.__file__).read_text(encoding="utf-8"), Path(lexicon.__file__).read_text(encoding="utf-8")]
    return hashlib.sha1("\0".join(parts).encode()).hexdigest()[:12]


def lint_all(texts: list[str], name: str, lint: Callable[[str], Found], tag: str) -> dict[str, Found]:
    """Findings for each distinct text, from the on-disk cache when the texts and code match."""
    distinct = sorted(set(texts))
    key = hashlib.sha1(("\0".join(distinct) + tag).encode()).hexdigest()[:16]
    path = CACHE / f"harper-rules.{name}.{key}.json"
    if path.exists():
        return {t: [tuple(f) for f in fs] for t, fs in json.loads(path.read_text(encoding="utf-8")).items()}
    t0 = time.perf_counter()
    out = {t: lint(t) for t in distinct}
    CACHE.mkdir(exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(out), encoding="utf-8")
    tmp.replace(path)
    print(f"  linted {name}: {len(distinct)} texts in {time.perf_counter() - t0:.0f}s", file=sys.stderr)
    return out


def harper_all_rules(data: dict[str, list[dict]], only: Iterable[str] = ()) -> dict[str, dict[str, Found]]:
    from repair.options import Options

    check, options = all_rules_check(), Options()
    tag = _fingerprint()

    def lint(text: str) -> Found:
        return [(f.span.start, f.span.end, f.rule) for f in check.check(text, options)] if text.strip() else []

    return {name: lint_all([r["text"] for r in rows], name, lint, tag) for name, rows in data.items()
            if not only or name in only}


# --- MLQE-PE: which mt characters the post-editor changed ---------------------------------------

def edited_tokens(row: dict) -> tuple[list[tuple[int, int]], set[int], set[int]]:
    """(character span in ``mt`` of each ``mt_tok`` token, changed tokens, insertion points)."""
    toks, pe = row["mt_tok"].split(), row["pe_tok"].split()
    changed: set[int] = set()
    inserts: set[int] = set()
    for op, i1, i2, _j1, _j2 in difflib.SequenceMatcher(None, toks, pe, autojunk=False).get_opcodes():
        if op in ("replace", "delete"):
            changed.update(range(i1, i2))
        elif op == "insert":
            inserts.add(i1)
    # map mt's non-space characters onto the tokens' characters
    mt = row["text"]
    mt_pos = [i for i, c in enumerate(mt) if not c.isspace()]
    stripped_mt = "".join(mt[i] for i in mt_pos)
    tok_chars = "".join(toks)
    owner = [k for k, t in enumerate(toks) for _ in t]  # token of each character of tok_chars
    char_tok: dict[int, int] = {}
    if stripped_mt == tok_chars:
        char_tok = {mt_pos[i]: owner[i] for i in range(len(mt_pos))}
    else:
        sm = difflib.SequenceMatcher(None, stripped_mt, tok_chars, autojunk=False)
        for a, b, size in sm.get_matching_blocks():
            for d in range(size):
                char_tok[mt_pos[a + d]] = owner[b + d]
    spans: list[tuple[int, int]] = [(-1, -1)] * len(toks)
    for ci, k in char_tok.items():
        s, e = spans[k]
        spans[k] = (ci if s < 0 else min(s, ci), max(e, ci + 1))
    return spans, changed, inserts


def on_edit(start: int, end: int, tokens: tuple) -> bool:
    spans, changed, inserts = tokens
    covered = [k for k, (s, e) in enumerate(spans) if s >= 0 and (s < end and start < e or (start == end and s <= start < e))]
    if not covered:
        # between tokens (a zero-width finding at a space): the insertion point there
        after = [k for k, (s, _e) in enumerate(spans) if s >= start]
        return bool(after) and after[0] in inserts
    return any(k in changed for k in covered) or any(covered[0] <= i <= covered[-1] + 1 for i in inserts)


# --- scoring ---------------------------------------------------------------------------------------

@dataclass
class Tally:
    mt_findings: int = 0
    mqm: dict = field(default_factory=lambda: collections.defaultdict(lambda: [0, 0, 0]))  # findings, on error, caught
    category: collections.Counter = field(default_factory=collections.Counter)  # TED errors caught, by category
    mlqe: dict = field(default_factory=lambda: collections.defaultdict(lambda: [0, 0]))  # findings, on an edit
    clean: collections.Counter = field(default_factory=collections.Counter)
    lt_inc: int = 0
    lt_cor: int = 0
    lt_cor_clean: int = 0


@dataclass
class Totals:
    mt_words: int = 0
    mqm_errors: collections.Counter = field(default_factory=collections.Counter)
    category: collections.Counter = field(default_factory=collections.Counter)
    clean_words: collections.Counter = field(default_factory=collections.Counter)
    lt_inc: int = 0
    lt_cor: int = 0
    lt_cor_clean: int = 0


def _counted(found: Iterable[tuple], text: str) -> list[tuple]:
    return [f for f in found if f[1] - f[0] <= LONG * max(len(text), 1)]


def _overlap(s: int, e: int, fs: int, fe: int) -> bool:
    return fs < e and s < fe or (fs == fe and s <= fs <= e)


def score(data: dict[str, list[dict]], found: dict[str, dict[str, Found]],
          key: Callable[[str], str]) -> tuple[dict[str, Tally], Totals]:
    """Tallies by ``key(rule id)`` (a rule, or one name for a whole system)."""
    tallies: dict[str, Tally] = collections.defaultdict(Tally)
    tot = Totals()
    seen_mt: set[str] = set()
    for corpus in ("mqm-ted", "mqm-newstest", "mlqe-pe"):
        for row in data.get(corpus, []):
            if row["text"] in seen_mt:
                continue
            seen_mt.add(row["text"])
            tot.mt_words += len(row["text"].split())
            for _s, _e, rule in found[corpus][row["text"]]:
                tallies[key(rule)].mt_findings += 1
    for corpus in ("mqm-ted", "mqm-newstest"):
        for row in data.get(corpus, []):
            errors = row["errors"]
            tot.mqm_errors[corpus] += len(errors)
            if corpus == "mqm-ted":
                tot.category.update(e["category"] for e in errors)
            by_key: dict[str, list] = collections.defaultdict(list)
            for f in _counted(found[corpus][row["text"]], row["text"]):
                by_key[key(f[2])].append(f)
            for k, fs in by_key.items():
                t = tallies[k].mqm[corpus]
                t[0] += len(fs)
                t[1] += sum(any(_overlap(e["start"], e["end"], s, en) for e in errors) for s, en, _ in fs)
                for e in errors:
                    if any(_overlap(e["start"], e["end"], s, en) for s, en, _ in fs):
                        t[2] += 1
                        if corpus == "mqm-ted":
                            tallies[k].category[e["category"]] += 1
    for row in data.get("mlqe-pe", []):
        fs = _counted(found["mlqe-pe"][row["text"]], row["text"])
        if not fs:
            continue
        tokens = edited_tokens(row)
        for s, e, rule in fs:
            t = tallies[key(rule)].mlqe[row["lp"]]
            t[0] += 1
            t[1] += on_edit(s, e, tokens)
    for corpus in CLEAN_SETS:
        for row in data.get(corpus, []):
            tot.clean_words[corpus] += len(row["text"].split())
            for _s, _e, rule in found[corpus][row["text"]]:
                tallies[key(rule)].clean[corpus] += 1
    for row in data.get("lt-incorrect", []):
        tot.lt_inc += 1
        s, e = row["span"]
        for k in {key(f[2]) for f in _counted(found["lt-incorrect"][row["text"]], row["text"])
                  if _overlap(s, e, f[0], f[1])}:
            tallies[k].lt_inc += 1
    for row in data.get("lt-correct", []):
        tot.lt_cor += 1
        tot.lt_cor_clean += not row["triggers"]
        for k in {key(f[2]) for f in _counted(found["lt-correct"][row["text"]], row["text"])}:
            tallies[k].lt_cor += 1
            tallies[k].lt_cor_clean += not row["triggers"]
    return tallies, tot


def pct(a: int, b: int) -> float | None:
    return 100 * a / b if b else None


def fmt(x: float | None, spec: str = ".0f", suffix: str = "%") -> str:
    return "-" if x is None else f"{x:{spec}}{suffix}"


def mqm_pooled(t: Tally) -> tuple[int, int, int]:
    n = sum(v[0] for v in t.mqm.values())
    hit = sum(v[1] for v in t.mqm.values())
    caught = sum(v[2] for v in t.mqm.values())
    return n, hit, caught


def clean_rates(t: Tally, tot: Totals) -> dict[str, float]:
    return {c: 1000 * t.clean[c] / max(tot.clean_words[c], 1) for c in CLEAN_SETS}


def criterion(t: Tally, tot: Totals) -> bool:
    n, hit, _ = mqm_pooled(t)
    return n >= MIN_SUPPORT and 100 * hit / n >= MIN_PRECISION and max(clean_rates(t, tot).values()) <= MAX_CLEAN


# --- the per-rule table ------------------------------------------------------------------------------

def current_state(rule_id: str) -> str:
    from repair.checks.harper import QUIET_KINDS, QUIET_RULES

    _, kind, rule = (rule_id.split(".", 2) + [""])[:3]
    return "quiet" if rule in QUIET_RULES or kind in QUIET_KINDS else "on"


def table(tallies: dict[str, Tally], tot: Totals) -> list[str]:
    lines = ["| rule | now | MT /1k | MQM prec. pooled (n) | TED | newstest | MQM caught | MLQE-PE prec. (n) "
             "| Ebooks /1k | Factbook /1k | CWEB /1k | LT inc. caught | LT cor. flagged | meets |",
             "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |"]
    order = sorted(tallies, key=lambda r: (-mqm_pooled(tallies[r])[0], r))
    for rule in order:
        t = tallies[rule]
        n, hit, caught = mqm_pooled(t)
        ml_n = sum(v[0] for v in t.mlqe.values())
        ml_hit = sum(v[1] for v in t.mlqe.values())
        ted, news = t.mqm.get("mqm-ted", [0, 0, 0]), t.mqm.get("mqm-newstest", [0, 0, 0])
        rates = clean_rates(t, tot)
        verdict = "yes" if criterion(t, tot) else ("no (support)" if n < MIN_SUPPORT and
                                                    max(rates.values()) <= MAX_CLEAN else "no")
        lines.append(
            f"| {rule.removeprefix('harper.')} | {current_state(rule)} | {1000 * t.mt_findings / max(tot.mt_words, 1):.2f} "
            f"| {fmt(pct(hit, n))} ({n}) | {fmt(pct(ted[1], ted[0]))} | {fmt(pct(news[1], news[0]))} | {caught} "
            f"| {fmt(pct(ml_hit, ml_n))} ({ml_n}) | "
            + " | ".join(f"{rates[c]:.2f}" for c in CLEAN_SETS)
            + f" | {t.lt_inc} | {t.lt_cor} | {verdict} |")
    return lines


def main(argv: Iterable[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--half", choices=["all", "tune", "check"], default="all")
    parser.add_argument("--every-ebook", type=int, default=2,
                        help="take every Nth Standard Ebooks chapter (default 2, for time)")
    parser.add_argument("--lint-only", help="comma-separated corpora: lint (fill the cache) and stop, so that "
                        "several processes can share the work")
    parser.add_argument("--markdown", help="also write the table, with the date and command, to this file")
    args = parser.parse_args(list(argv) if argv is not None else None)
    require()
    t0 = time.perf_counter()
    data = load(args.half, every_ebook=args.every_ebook)
    if args.lint_only:
        harper_all_rules(data, only=args.lint_only.split(","))
        return
    found = harper_all_rules(data)
    tallies, tot = score(data, found, key=lambda r: r)
    lines = table(tallies, tot)
    on = sorted(r for r in tallies if criterion(tallies[r], tot))
    summary = [
        f"Data ({args.half}): MQM TED {len(data['mqm-ted'])} rated MT rows ({tot.mqm_errors['mqm-ted']} target errors), "
        f"newstest2021 {len(data['mqm-newstest'])} ({tot.mqm_errors['mqm-newstest']}); MLQE-PE dev "
        f"{len(data['mlqe-pe'])} sentences; MT words {tot.mt_words}; clean words "
        + ", ".join(f"{c} {tot.clean_words[c]}" for c in CLEAN_SETS)
        + f"; LanguageTool {tot.lt_inc} incorrect, {tot.lt_cor} correct examples.",
        f"Criterion: MQM precision (TED and newstest pooled) >= {MIN_PRECISION:.0f}% over >= {MIN_SUPPORT} "
        f"findings, and <= {MAX_CLEAN} findings per 1,000 words on each clean set.",
        "Meets it: " + (", ".join(r.removeprefix("harper.") for r in on) or "none"),
    ]
    print("\n".join(lines + [""] + summary))
    print(f"\n{time.perf_counter() - t0:.0f}s in all", file=sys.stderr)
    if args.markdown:
        cmd = "python benchmarks/eval_harper_rules.py" + (f" --half {args.half}" if args.half != "all" else "") + (
            f" --every-ebook {args.every_ebook}" if args.every_ebook != 2 else "")
        head = [f"# Harper rules, measured ({datetime.date.today().isoformat()})", "",
                f"Command: `{cmd} --markdown benchmarks/harper-rules.md` (harper-py "
                f"{__import__('importlib.metadata').metadata.version('harper-py')}). Every Harper rule on, with "
                "the `_false_alarm` filter and the name and lexicon filtering of spelling findings; "
                "findings covering more than 80% of their segment not counted on MQM, MLQE-PE and "
                "LanguageTool. See the docstring of `benchmarks/eval_harper_rules.py` for each column.", ""]
        Path(args.markdown).write_text("\n".join(head + summary + [""] + lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
