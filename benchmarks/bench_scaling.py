"""How ungarble's time and memory grow with the input: 10 KB to 100 MB, long lines, hostile rules.

    python benchmarks/bench_scaling.py                  # the whole table (about half an hour on 2 cores)
    python benchmarks/bench_scaling.py --quick          # 10 KB to 1 MB, a 2 MB line, Harper to 250 KB
    python benchmarks/bench_scaling.py --sizes 0.01,1,8 --harper-max-mb 0.25 --json out.json

Every figure is one whole process (``ungarble check``, or Harper alone in its own process), run one
after another, each measured for wall time, CPU time (user + system: less disturbed by other work on
a shared machine) and peak resident memory. Prints a Markdown table:

1. documents of 10 KB to 100 MB: ``check --grammar none``; up to ``--harper-max-mb``, default
   ``check`` (Harper) and, beside it in the same run, Harper alone linting the same file paragraph by
   paragraph and as one text (harper-py ``organized_lints``, its import and dictionary included, as
   ungarble's figure includes them);
2. long lines: 40 KB of clean prose with and without one mojibake word (``didnâ€™t``), and a 20 MB
   line of the garbled text;
3. a rule pack whose pattern backtracks catastrophically (``(a+)+$``) on 40 paragraphs.

Text: paragraphs of ``../shared/corpora/clean-prose/`` when there (set UNGARBLE_CORPORA), otherwise
generated prose, with garble (mojibake, doubled words, entities) put into 30% of the paragraphs.
Past the corpus's size the paragraphs come round again with one word changed in every sentence,
so a large document is not the same paragraphs over and over (which the duplicate rules would
report by the thousand). The targets of issue 18 are checked at the end.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path
from typing import Any, Iterator

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_speed import ENV, PY, generated_paragraphs, machine, prose_paragraphs, ungarble_cmd  # noqa: E402

GARBLE = ["didnâ€™t", "the the", "cafÃ©", "It is it is", "&amp;", "wasnâ€™t", "of of", "is is", "Ã©tÃ©",
          "were were"]
# one word per round of the corpus, put into every sentence, so no paragraph repeats
VARIANTS = ("quiet old busy narrow bright cold famous small distant careful green broad early late silent "
            "hidden open plain steep gentle dark pale warm dry quick slow heavy light wide rough").split()
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")

MEASURE = textwrap.dedent("""
    import json, resource, subprocess, sys, time
    timeout, out = float(sys.argv[1]), sys.argv[2]
    t = time.perf_counter()
    sink = open(out, "wb") if out != "-" else subprocess.DEVNULL
    proc = subprocess.Popen(sys.argv[3:], stdout=sink, stderr=subprocess.PIPE)
    try:
        _, err = proc.communicate(timeout=timeout)
        code = proc.returncode
    except subprocess.TimeoutExpired:
        proc.kill()
        _, err = proc.communicate()
        code = None
    seconds = time.perf_counter() - t
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(json.dumps({"code": code, "seconds": seconds, "cpu": usage.ru_utime + usage.ru_stime,
                      "peak_mb": usage.ru_maxrss / 1024, "timed_out": code is None,
                      "stderr": err.decode("utf-8", "replace")[-300:]}))
""")

HARPER_ALONE = textwrap.dedent("""
    import re, sys, harper
    text = open(sys.argv[2], encoding="utf-8").read()
    linter = harper.Linter(harper.Dialect.AMERICAN)
    if sys.argv[1] == "paragraphs":
        for p in re.split(r"(?:\\r\\n|\\r|\\n)[ \\t]*(?:(?:\\r\\n|\\r|\\n)[ \\t]*)+", text):
            if p.strip():
                linter.organized_lints(p, language="plaintext")
    else:
        linter.organized_lints(text, language="plaintext")
""")

CATASTROPHIC = textwrap.dedent("""\
    id: bench.catastrophic
    kind: pattern
    message: "Backtracks: {match}"
    safety: flag
    pattern: "(a+)+$"
    examples:
      bad: ["aaa"]
      good: ["aab"]
""")

FIGURES: dict[str, Any] = {"rows": [], "lines": [], "targets": {}}


def measure(cmd: list[str], timeout: float, stdout: Path | None = None) -> dict[str, Any]:
    """Wall and CPU seconds and peak memory of one process (stopped after ``timeout`` seconds)."""
    out = subprocess.run([PY, "-c", MEASURE, str(timeout), str(stdout or "-"), *cmd], capture_output=True,
                         text=True, env=ENV)
    return json.loads(out.stdout.strip().splitlines()[-1])


def garbled(paras: list[str], seed: int = 3) -> list[str]:
    rnd = random.Random(seed)
    out = []
    for p in paras:
        if rnd.random() < 0.3:
            words = p.split(" ")
            for _ in range(rnd.randint(1, 3)):
                words.insert(rnd.randrange(len(words) + 1), rnd.choice(GARBLE))
            p = " ".join(words)
        out.append(p)
    return out


def varied(paras: list[str]) -> Iterator[str]:
    """The paragraphs, then again with a word put into every sentence (another word each round)."""
    for rnd in range(10**9):
        for p in paras:
            if rnd == 0:
                yield p
                continue
            word = VARIANTS[(rnd - 1) % len(VARIANTS)] + ("" if rnd <= len(VARIANTS) else str(rnd))
            sentences = _SENTENCE_END.split(p)
            out = []
            for s in sentences:
                words = s.split(" ")
                words.insert(min(2, len(words)), word)
                out.append(" ".join(words))
            yield " ".join(out)


def write_document(path: Path, paras: list[str], mb: float) -> int:
    target, size, words = int(mb * 1_000_000), 0, 0
    with open(path, "w", encoding="utf-8") as fh:
        for p in varied(paras):
            if size >= target:
                break
            chunk = p + "\n\n"
            fh.write(chunk)
            size += len(chunk.encode("utf-8"))
            words += chunk.count(" ") + 1
    return words


def write_line(path: Path, paras: list[str], chars: int, insert: str | None = None) -> None:
    pieces, n = [], 0
    for p in varied(paras):
        if n >= chars:
            break
        pieces.append(p)
        n += len(p) + 1
    line = " ".join(pieces)[:chars].replace("\n", " ")
    if insert:
        mid = line.find(" ", len(line) // 2)
        line = line[:mid] + " " + insert + line[mid:]
    path.write_text(line + "\n", encoding="utf-8")


def fmt(r: dict[str, Any] | None) -> str:
    if r is None:
        return "-"
    if r["timed_out"]:
        return f"over {r['seconds']:.0f} s ({r['peak_mb']:.0f} MB)"
    mark = "" if r["code"] in (0, 1) else f" exit {r['code']}"
    return f"{r['seconds']:.1f} s / {r['cpu']:.1f} s CPU, {r['peak_mb']:.0f} MB{mark}"


def label(mb: float) -> str:
    return f"{mb * 1000:g} KB" if mb < 1 else f"{mb:g} MB"


def documents(paras: list[str], sizes: list[float], harper_max: float, tmp: Path, timeout: float) -> None:
    ung = ungarble_cmd()
    print("\n| input | words | `check --grammar none` | default `check` (Harper) | Harper alone, paragraph "
          "by paragraph | Harper alone, whole text | default / Harper alone (paragraphs), throughput |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for mb in sizes:
        path = tmp / f"doc-{mb:g}.txt"
        words = write_document(path, paras, mb)
        row: dict[str, Any] = {"mb": mb, "words": words}
        row["none"] = measure(ung + ["check", "--grammar", "none", str(path)], timeout)
        if mb <= harper_max:
            row["default"] = measure(ung + ["check", str(path)], timeout)
            row["harper_paragraphs"] = measure([PY, "-c", HARPER_ALONE, "paragraphs", str(path)], timeout)
            row["harper_whole"] = measure([PY, "-c", HARPER_ALONE, "whole", str(path)], timeout)
            d, h = row["default"], row["harper_paragraphs"]
            if not (d["timed_out"] or h["timed_out"]):
                row["ratio_wall"] = h["seconds"] / d["seconds"]
                row["ratio_cpu"] = h["cpu"] / d["cpu"]
        ratio = (f"{row['ratio_wall']:.2f} (CPU {row['ratio_cpu']:.2f})" if "ratio_wall" in row else "-")
        print(f"| {label(mb)} | {words:,} | {fmt(row['none'])} | {fmt(row.get('default'))} | "
              f"{fmt(row.get('harper_paragraphs'))} | {fmt(row.get('harper_whole'))} | {ratio} |", flush=True)
        FIGURES["rows"].append(row)
        path.unlink()


def long_lines(clean: list[str], paras: list[str], tmp: Path, line_mb: float, harper_line: bool,
               timeout: float) -> None:
    ung = ungarble_cmd()
    print("\n| one line | `check --grammar none` | default `check` (Harper) |")
    print("| --- | ---: | ---: |")
    cases = [("40 KB of clean prose", clean, 40_000, None, 120.0),
             ("the same with one `didnâ€™t`", clean, 40_000, "didnâ€™t", 120.0),
             (f"{line_mb:g} MB, garble in 30% of its paragraphs", paras, int(line_mb * 1_000_000), None, timeout)]
    for name, source, chars, insert, limit in cases:
        path = tmp / "line.txt"
        write_line(path, source, chars, insert)
        r = {"name": name, "chars": chars, "none": measure(ung + ["check", "--grammar", "none", str(path)], limit)}
        if harper_line or chars <= 40_000:
            r["default"] = measure(ung + ["check", str(path)], min(limit, 300.0))
        print(f"| {name} | {fmt(r['none'])} | {fmt(r.get('default'))} |", flush=True)
        FIGURES["lines"].append(r)
        path.unlink()


def catastrophic(tmp: Path) -> None:
    rules = tmp / "rules"
    rules.mkdir()
    (rules / "catastrophic.yaml").write_text(CATASTROPHIC, encoding="utf-8")
    path = tmp / "forty.txt"
    path.write_text("\n\n".join(f"Paragraph {i} ends in " + "a" * 3000 + "!" for i in range(40)) + "\n",
                    encoding="utf-8")
    report = tmp / "forty.json"
    r = measure(ungarble_cmd() + ["check", "--grammar", "none", "--rules", str(rules), "--format", "json",
                                  str(path)], 300.0, report)
    timeouts = report.read_text(encoding="utf-8").count('"internal.rule-timeout"') if report.exists() else None
    print(f"\n40 paragraphs on which `(a+)+$` backtracks (timeout 1 s): {fmt(r)}; "
          f"internal.rule-timeout findings: {timeouts}")
    FIGURES["catastrophic"] = {**r, "timeout_findings": timeouts}


def summary() -> None:
    rows = {r["mb"]: r for r in FIGURES["rows"]}
    t = FIGURES["targets"]
    print("\n== targets (issue 18) " + "=" * 56)
    print("  (ratios are judged on CPU time, user + system, which other work on a shared machine disturbs\n"
          "   far less than wall time; time limits on wall time)")

    def line(name: str, ok: bool | None, value: str) -> None:
        mark = "n/a " if ok is None else ("MET " if ok else "MISS")
        print(f"  [{mark}] {name:<62} {value}")
        t[name] = {"ok": ok, "value": value}

    one, eight, hundred = rows.get(1.0), rows.get(8.0), rows.get(100.0)
    if one and eight:
        ratio = eight["none"]["seconds"] / one["none"]["seconds"]
        cpu = eight["none"]["cpu"] / one["none"]["cpu"]
        line("check --grammar none: 8 MB within 10 x the time of 1 MB", cpu <= 10,
             f"{cpu:.1f} x CPU time ({ratio:.1f} x wall)")
        line("check --grammar none: 8 MB under 250 MB peak", eight["none"]["peak_mb"] < 250,
             f"{eight['none']['peak_mb']:.0f} MB")
    if hundred:
        r = hundred["none"]
        line("check --grammar none: 100 MB finishes", not r["timed_out"] and r["code"] in (0, 1),
             f"{r['seconds']:.0f} s, exit {r['code']}")
        line("  ... peak within 3 x file size + 150 MB (450 MB)", r["peak_mb"] <= 450, f"{r['peak_mb']:.0f} MB")
    lines = {r["name"]: r for r in FIGURES["lines"]}
    big = next((r for r in FIGURES["lines"] if r["chars"] > 1_000_000), None)
    if big:
        r = big["none"]
        line(f"check --grammar none: a {big['name']} line within 120 s", not r["timed_out"] and r["seconds"] <= 120,
             f"{r['seconds']:.1f} s, {r['peak_mb']:.0f} MB")
    clean, bad = lines.get("40 KB of clean prose"), lines.get("the same with one `didnâ€™t`")
    if clean and bad:
        ratio = bad["none"]["seconds"] / clean["none"]["seconds"]
        cpu = bad["none"]["cpu"] / clean["none"]["cpu"]
        line("40 KB line with one mojibake word within 3 x without it", cpu <= 3,
             f"{cpu:.2f} x CPU time ({ratio:.2f} x wall)")
    quarter = rows.get(0.25)
    if quarter and "ratio_wall" in quarter:
        line("default check, 250 KB: >= 0.5 x Harper alone (paragraphs)", quarter["ratio_cpu"] >= 0.5,
             f"{quarter['ratio_cpu']:.2f} x on CPU time ({quarter['ratio_wall']:.2f} x wall)")
    cat = FIGURES.get("catastrophic")
    if cat:
        line("40-paragraph catastrophic pattern within 6 s", cat["seconds"] <= 6 and cat["timeout_findings"] == 1,
             f"{cat['seconds']:.1f} s, {cat['timeout_findings']} timeout finding(s)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="0.01,0.1,0.25,1,2,8,100", help="document sizes in MB")
    parser.add_argument("--harper-max-mb", type=float, default=1.0,
                        help="largest document the Harper columns are measured on")
    parser.add_argument("--line-mb", type=float, default=20.0, help="size of the single long line")
    parser.add_argument("--harper-line", action="store_true", help="also run default check on the long line")
    parser.add_argument("--timeout", type=float, default=1200.0, help="seconds before a run is stopped")
    parser.add_argument("--quick", action="store_true", help="10 KB to 1 MB, Harper to 250 KB, a 2 MB line")
    parser.add_argument("--skip", default="", help="comma-separated: documents,lines,catastrophic")
    parser.add_argument("--json", metavar="FILE", help="also write every figure as JSON")
    args = parser.parse_args()
    if args.quick:
        args.sizes, args.harper_max_mb, args.line_mb = "0.01,0.1,0.25,1", 0.25, 2.0
    skip = set(filter(None, args.skip.split(",")))
    info = machine()
    FIGURES["machine"] = info
    print(f"machine: {info['cpu']}, {info['cores']} cores, Python {info['python']}, harper-py {info['harper_py']}, "
          f"load average before: {', '.join(f'{x:.2f}' for x in info['load_before'] or ())}")
    source, paras = prose_paragraphs()
    if not paras:
        source, paras = "generated prose", generated_paragraphs(4000)
    clean, paras = paras, garbled(paras)
    print(f"text: {source}, garble in 30% of paragraphs; {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}")
    tmp = Path(tempfile.mkdtemp(prefix="ungarble-scaling-"))
    try:
        if "catastrophic" not in skip:
            catastrophic(tmp)
        if "lines" not in skip:
            long_lines(clean, paras, tmp, args.line_mb, args.harper_line, args.timeout)
        if "documents" not in skip:  # last: the largest document takes longest
            documents(paras, [float(x) for x in args.sizes.split(",")], args.harper_max_mb, tmp, args.timeout)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    FIGURES["machine"]["load_after"] = os.getloadavg() if hasattr(os, "getloadavg") else None
    summary()
    print(f"load average after: {', '.join(f'{x:.2f}' for x in FIGURES['machine']['load_after'] or ())}")
    if args.json:
        Path(args.json).write_text(json.dumps(FIGURES, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
