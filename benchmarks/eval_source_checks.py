"""Evaluate the source-aware checks (repair/checks/source.py) on (source, MT) pairs.

    python benchmarks/eval_source_checks.py              # writes benchmarks/source-checks.md
    python benchmarks/eval_source_checks.py --calibrate  # prints LENGTH_MODEL from the training data
    python benchmarks/eval_source_checks.py --no-pofilter

1. MLQE-PE dev (ro-en, et-en, ru-en pooled; 1,000 rows each), written to PO files at run time and read
   back with ``repair.bilingual.po`` (the units ``check_pair`` sees are the parser's): a finding is right when a target token
   it covers was changed or deleted by the post-editor (difflib alignment of MT and post-edit tokens,
   case-insensitive). A finding that covers most of the target (over half its characters: the
   "missing" checks, untranslated, length) is right only when HTER >= 0.3. For the missing-number and
   missing-name checks a second column says how often the post-editor put the missing item in.
2. MQM zh-en (TED talks and WMT newstest2021), machine systems: a finding is right when it overlaps an
   expert error span; a finding over most of the target is right when the segment has a major error.
   Human references (systems whose name starts with ``ref``): ``source.*`` findings per 1,000 words.
3. translate-toolkit's ``pofilter`` on PO files built from the same MLQE-PE pairs, for the checks both
   tools have. pofilter flags a unit, not a span, so its findings count as whole-target ones (right
   when HTER >= 0.3); our checks are shown the same way in the "unit" column.

Length calibration (``--calibrate``): mean and standard deviation of log(chars of the translation /
chars of the source) on MLQE-PE train post-edits (ro, et, ne, si, ru) and, for zh, the WMT22 QE dev
MT (not used for evaluation here). Skips cleanly when ../shared/corpora is absent.
"""
from __future__ import annotations

import argparse
import difflib
import math
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _corpora import jsonl, require  # noqa: E402

from repair.checks.source import RULES, check_pair  # noqa: E402

PAIRS = ("ro-en", "et-en", "ru-en")
OUT = Path(__file__).resolve().parent / "source-checks.md"
TOKEN = re.compile(r"\w+|[^\w\s]")
MOST = 0.5          # a finding over more than this share of the target is a whole-target one
HTER_RIGHT = 0.3
CASE_RULE = "source.initial-capital"
# our rule -> the pofilter tests that look for the same thing
POFILTER = {
    "source.number-missing": ["numbers"], "source.number-extra": ["numbers"],
    "source.number-different": ["numbers"],
    "source.placeholder-missing": ["printf", "xmltags", "pythonbraceformat", "variables", "urls"],
    "source.placeholder-extra": ["printf", "xmltags", "pythonbraceformat", "variables", "urls"],
    "source.untranslated": ["unchanged"], "source.end-punctuation": ["endpunc"],
    "source.initial-capital": ["startcaps"], "source.double-space": ["doublespacing"],
    "source.whitespace": ["startwhitespace", "endwhitespace"],
    "source.length-ratio": ["long", "short"], "source.name-missing": ["acronyms"],
}
# side by side: a family of our checks against pofilter's tests for the same thing (units flagged)
FAMILIES = {
    "numbers": (("source.number-missing", "source.number-extra", "source.number-different"), ("numbers",)),
    "placeholders, tags, URLs": (("source.placeholder-missing", "source.placeholder-extra"),
                                 ("printf", "xmltags", "pythonbraceformat", "variables", "urls")),
    "untranslated": (("source.untranslated",), ("unchanged",)),
    "end punctuation": (("source.end-punctuation",), ("endpunc",)),
    "initial capital": (("source.initial-capital",), ("startcaps",)),
    "leading/trailing whitespace": (("source.whitespace",), ("startwhitespace", "endwhitespace")),
    "double spaces": (("source.double-space",), ("doublespacing",)),
    "length": (("source.length-ratio",), ("long", "short")),
    "names, acronyms": (("source.name-missing",), ("acronyms",)),
}
POFILTER_TESTS = sorted({t for ts in POFILTER.values() for t in ts} | {"brackets", "sentencecount", "simplecaps"})


def changed_chars(mt: str, pe: str, case: bool = False) -> list[bool]:
    """For each character of ``mt``: whether its token was changed or deleted in ``pe`` (ignoring
    case unless ``case``: the capital-letter check counts a token whose case changed)."""
    fold = (lambda t: t) if case else str.lower
    mt_toks = list(TOKEN.finditer(mt))
    pe_toks = [fold(m.group()) for m in TOKEN.finditer(pe)]
    sm = difflib.SequenceMatcher(None, [fold(m.group()) for m in mt_toks], pe_toks, autojunk=False)
    flags = [False] * len(mt)
    kept = set()
    for block in sm.get_matching_blocks():
        kept.update(range(block.a, block.a + block.size))
    for i, m in enumerate(mt_toks):
        if i not in kept:
            for c in range(m.start(), m.end()):
                flags[c] = True
    return flags


def whole(finding, target: str) -> bool:
    return (finding.span.end - finding.span.start) > MOST * max(1, len(target.strip()))


def mlqe_rows(split: str, pairs=PAIRS) -> list[dict]:
    base = require("mlqe-pe")
    rows = []
    for pair in pairs:
        for row in jsonl(base / f"{pair}.{split}.jsonl"):
            rows.append({"pair": pair, "lang": pair.split("-")[0], "src": row["src"], "mt": row["mt"],
                         "pe": row["pe_detok"], "hter": float(row["hter"])})
    return rows


def calibrate() -> None:
    base = require("mlqe-pe")
    for pair in ("ro-en", "et-en", "ne-en", "si-en", "ru-en"):
        ratios = [math.log(len(r["pe_detok"].strip()) / len(r["src"].strip()))
                  for r in jsonl(base / f"{pair}.train.jsonl") if r["src"].strip() and r["pe_detok"].strip()]
        print(f'"{pair[:2]}": ({statistics.mean(ratios):.3f}, {statistics.stdev(ratios):.3f}),  # n={len(ratios)}')
    mqm = require("mqm-zhen")
    ratios = [math.log(len(r["mt"].strip()) / len(r["source"].strip()))
              for r in jsonl(mqm / "wmtqe22_task1_mqm_zh-en.dev.jsonl") if r["source"].strip() and r["mt"].strip()]
    print(f'"zh": ({statistics.mean(ratios):.3f}, {statistics.stdev(ratios):.3f}),  # n={len(ratios)}')


class Tally:
    def __init__(self) -> None:
        self.n: Counter[str] = Counter()
        self.right: Counter[str] = Counter()
        self.unit_n: Counter[str] = Counter()
        self.unit_right: Counter[str] = Counter()
        self.pe_adds: Counter[str] = Counter()

    def cell(self, rule: str, unit: bool = False) -> str:
        n, r = (self.unit_n, self.unit_right) if unit else (self.n, self.right)
        if not n[rule]:
            return "-"
        return f"{100 * r[rule] / n[rule]:.0f}% ({r[rule]}/{n[rule]})"


def eval_mlqe(rows: list[dict]) -> tuple[Tally, dict]:
    tally = Tally()
    pooled = {"n": 0, "right": 0}
    pairs = po_pairs(rows)
    for i, row in enumerate(rows):
        src, mt = pairs[i]
        pe = row["pe"]
        found = check_pair(src, mt, source_lang=row["lang"])
        if not found:
            continue
        flags = changed_chars(mt, pe)
        case_flags = changed_chars(mt, pe, case=True)
        per_rule_unit: set[str] = set()
        for f in found:
            if whole(f, mt):
                ok = row["hter"] >= HTER_RIGHT
            else:
                ok = any((case_flags if f.rule == CASE_RULE else flags)[f.span.start:f.span.end])
            tally.n[f.rule] += 1
            tally.right[f.rule] += ok
            per_rule_unit.add(f.rule)
            if f.severity != "info":
                pooled["n"] += 1
                pooled["right"] += ok
            if f.rule in ("source.number-missing", "source.name-missing"):
                items = re.findall(r"the source's (.*) is not in", f.message)
                if items and all(i.strip() in pe for i in items[0].split(", ")):
                    tally.pe_adds[f.rule] += 1
        for rule in per_rule_unit:
            tally.unit_n[rule] += 1
            tally.unit_right[rule] += row["hter"] >= HTER_RIGHT
        for family, (ours, _) in FAMILIES.items():
            if per_rule_unit & set(ours):
                tally.unit_n[family] += 1
                tally.unit_right[family] += row["hter"] >= HTER_RIGHT
    return tally, pooled


def build_po(rows: list[dict], idx: list[int]) -> str:
    """A PO file of the rows ``idx`` (msgctxt = row index, msgid = source, msgstr = MT)."""
    from repair.bilingual.po import escape

    out = ['msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n']
    for i in idx:
        out.append(f'msgctxt "{i}"\nmsgid "{escape(rows[i]["src"])}"\nmsgstr "{escape(rows[i]["mt"])}"\n')
    return "\n".join(out)


def po_pairs(rows: list[dict]) -> dict[int, tuple[str, str]]:
    """The (source, target) of each row as repair.bilingual reads them back from the built PO files."""
    from repair.bilingual.po import parse

    by_lang = defaultdict(list)
    for i, row in enumerate(rows):
        by_lang[row["lang"]].append(i)
    pairs = {}
    for idx in by_lang.values():
        for unit in parse(build_po(rows, idx)).units:
            pairs[int(unit.context)] = (unit.source, unit.target)
    assert len(pairs) == len(rows), "the PO round trip lost units"
    return pairs


def run_pofilter(rows: list[dict]) -> dict[str, Counter] | None:
    exe = shutil.which("pofilter") or str(Path(sys.executable).with_name("pofilter"))
    if not Path(exe).exists():
        print("pofilter not installed (pip install -e '.[test]'): its column is left out", file=sys.stderr)
        return None
    n: Counter[str] = Counter()
    right: Counter[str] = Counter()
    units: Counter[str] = Counter()
    units_right: Counter[str] = Counter()
    with tempfile.TemporaryDirectory() as tmp:
        by_lang = defaultdict(list)
        for i, row in enumerate(rows):
            by_lang[row["lang"]].append(i)
        for lang, idx in by_lang.items():
            src = Path(tmp) / f"{lang}.po"
            out = Path(tmp) / f"{lang}.out.po"
            src.write_text(build_po(rows, idx), encoding="utf-8")
            cmd = [exe, "--language=en", "-i", str(src), "-o", str(out)]
            for t in POFILTER_TESTS:
                cmd += ["-t", t]
            subprocess.run(cmd, check=True, capture_output=True)
            for block in re.split(r"\n\s*\n", out.read_text(encoding="utf-8")):
                c = re.search(r'^msgctxt "(\d+)"', block, re.M)
                if not c:
                    continue
                i = int(c.group(1))
                tests = set(re.findall(r"^# \(pofilter\) (\w+):", block, re.M))
                for t in tests:
                    n[t] += 1
                    right[t] += rows[i]["hter"] >= HTER_RIGHT
                for family, (_, family_tests) in FAMILIES.items():
                    if tests & set(family_tests):
                        units[family] += 1
                        units_right[family] += rows[i]["hter"] >= HTER_RIGHT
    return {"n": n, "right": right, "units": units, "units_right": units_right}


def eval_mqm() -> tuple[Tally, dict]:
    base = require("mqm-zhen")
    segs: dict[tuple, dict] = {}
    for name in ("mqm_ted_zhen.segments.jsonl", "wmtqe23_task2_zh-en.train_newstest2021.jsonl"):
        for r in jsonl(base / name):
            key = (name, r["system"], r.get("doc", r.get("doc_id")), r["seg_id"], r["mt"])
            seg = segs.setdefault(key, {"system": r["system"], "src": r["source"], "mt": r["mt"], "errors": []})
            for e in r.get("errors") or []:
                if e.get("side", "target") == "target" and e.get("start") is not None:
                    seg["errors"].append((int(e["start"]), int(e["end"]), str(e["severity"]).lower()))
    tally = Tally()
    ref_words = 0
    ref_found: Counter[str] = Counter()
    ref_examples: list[str] = []
    for seg in segs.values():
        found = check_pair(seg["src"], seg["mt"], source_lang="zh")
        if seg["system"].startswith("ref"):
            ref_words += len(seg["mt"].split())
            for f in found:
                ref_found[f.rule] += 1
                if len(ref_examples) < 12 and f.severity != "info":
                    ref_examples.append(f"{f.rule}: {f.text[:80]!r} ({f.message[:60]})")
            continue
        major = any(sev == "major" for _, _, sev in seg["errors"])
        for f in found:
            if whole(f, seg["mt"]):
                ok = major
            else:
                ok = any(s < f.span.end and f.span.start < e for s, e, _ in seg["errors"])
            tally.n[f.rule] += 1
            tally.right[f.rule] += ok
    return tally, {"words": ref_words, "found": ref_found, "examples": ref_examples}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--calibrate", action="store_true")
    ap.add_argument("--no-pofilter", action="store_true")
    ap.add_argument("--no-mqm", action="store_true")
    ap.add_argument("--no-train", action="store_true", help="leave out the second look at MLQE-PE train")
    ap.add_argument("--split", default="dev", choices=("dev", "train"),
                    help="MLQE-PE split (the checks were tuned on dev; train is a second look)")
    ap.add_argument("--output", default=str(OUT))
    ap.add_argument("--show", metavar="RULE", help="print MLQE-PE dev findings of RULE (right or wrong) and stop")
    args = ap.parse_args()
    if args.calibrate:
        calibrate()
        return
    rows = mlqe_rows(args.split)
    if args.show:
        for row in rows:
            for f in check_pair(row["src"], row["mt"], source_lang=row["lang"]):
                if f.rule == args.show:
                    ok = (row["hter"] >= HTER_RIGHT if whole(f, row["mt"])
                          else any(changed_chars(row["mt"], row["pe"], f.rule == CASE_RULE)[f.span.start:f.span.end]))
                    print(f"{'RIGHT' if ok else 'WRONG'} {row['pair']} hter={row['hter']:.2f} {f.text[:50]!r} "
                          f"{f.message}\n  src: {row['src']}\n  mt:  {row['mt']}\n  pe:  {row['pe']}")
        return
    tally, pooled = eval_mlqe(rows)
    po = None if args.no_pofilter else run_pofilter(rows)
    mqm, refs = (Tally(), {"words": 0, "found": Counter(), "examples": []}) if args.no_mqm else eval_mqm()

    lines = ["# Source-aware checks: measured", "",
             "Written by `python benchmarks/eval_source_checks.py` (see its docstring for how a finding "
             "counts as right).", "",
             f"MLQE-PE {args.split}, {', '.join(PAIRS)} pooled ({len(rows)} rows). MQM zh-en: TED + WMT newstest2021, "
             "machine systems (precision) and human references (rate).", "",
             "| check | severity | MLQE-PE precision | MLQE-PE unit (HTER>=0.3) | post-editor adds it | "
             "MQM precision | per 1,000 ref words | pofilter test | pofilter unit (HTER>=0.3) |",
             "| --- | --- | ---: | ---: | ---: | ---: | ---: | --- | ---: |"]
    for rule in RULES:
        tests = POFILTER.get(rule, [])
        pcell = "-"
        if po and tests:
            n = sum(po["n"][t] for t in tests)
            r = sum(po["right"][t] for t in tests)
            pcell = f"{100 * r / n:.0f}% ({r}/{n})" if n else "0 found"
        adds = f"{tally.pe_adds[rule]}/{tally.n[rule]}" if rule in ("source.number-missing",
                                                                     "source.name-missing") and tally.n[rule] else ""
        rate = 1000 * refs["found"][rule] / refs["words"] if refs["words"] else 0
        lines.append(f"| `{rule}` | {RULES[rule]['severity']} | {tally.cell(rule)} | {tally.cell(rule, True)} | "
                     f"{adds} | {mqm.cell(rule)} | {rate:.2f} | {', '.join(tests) or '-'} | {pcell} |")
    pool_p = 100 * pooled["right"] / pooled["n"] if pooled["n"] else 0
    total_ref = sum(refs["found"].values())
    warn_ref = sum(v for k, v in refs["found"].items() if RULES[k]["severity"] != "info")
    base_rate = 100 * sum(r["hter"] >= HTER_RIGHT for r in rows) / len(rows)
    lines += ["",
              f"- All `source.*` findings of severity warning or above, MLQE-PE {args.split} pooled: "
              f"**{pool_p:.0f}%** ({pooled['right']}/{pooled['n']} findings; {pooled['n'] * 1800 / len(rows):.0f} "
              f"per 1,800 rows). Rows with HTER >= 0.3: {base_rate:.0f}% (the whole-target baseline).",
              f"- MQM human references: {total_ref} `source.*` findings in {refs['words']} words = "
              f"**{1000 * total_ref / max(1, refs['words']):.2f} per 1,000 words** "
              f"({1000 * warn_ref / max(1, refs['words']):.2f} of warning or above).",
              ]
    if po:
        # pofilter units per family (a unit flagged by two of a family's tests counts once)
        lines += ["", "Side by side with pofilter, same PO units, each flagged unit right when HTER >= 0.3:", "",
                  "| check family | ungarble | pofilter |", "| --- | ---: | ---: |"]
        for family, (_, tests) in FAMILIES.items():
            n = sum(po["units"][t] for t in [family])
            r = sum(po["units_right"][t] for t in [family])
            theirs = f"{100 * r / n:.0f}% ({r}/{n})" if n else "0 units"
            lines.append(f"| {family} | {tally.cell(family, True) if tally.unit_n[family] else '0 units'} | {theirs} |")
        lines += ["", "pofilter tests run (`pofilter --language=en -t ...`), units flagged "
                  "(precision as whole-target: HTER >= 0.3):", ""]
        for t in POFILTER_TESTS:
            n, r = po["n"][t], po["right"][t]
            lines.append(f"- `{t}`: " + (f"{100 * r / n:.0f}% ({r}/{n})" if n else "0 units"))
    if args.split == "dev" and not args.no_train:
        train_rows = mlqe_rows("train")
        t_tally, t_pooled = eval_mlqe(train_rows)
        lines += ["", f"A second look, MLQE-PE train ({len(train_rows)} rows, {', '.join(PAIRS)}; the checks were "
                  "tuned by reading dev findings; train's were read once, for the name and placeholder checks):", "",
                  "| check | MLQE-PE train precision |", "| --- | ---: |"]
        lines += [f"| `{rule}` | {t_tally.cell(rule)} |" for rule in RULES if t_tally.n[rule]]
        lines += ["", f"- warning or above pooled: **{100 * t_pooled['right'] / max(1, t_pooled['n']):.0f}%** "
                  f"({t_pooled['right']}/{t_pooled['n']}; {t_pooled['n'] * 1800 / len(train_rows):.0f} per 1,800 rows)"]
    if refs["examples"]:
        lines += ["", "Findings of warning or above on the human references (first ones):", ""]
        lines += [f"- {e}" for e in refs["examples"]]
    text = "\n".join(lines) + "\n"
    print(text)
    Path(args.output).write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
