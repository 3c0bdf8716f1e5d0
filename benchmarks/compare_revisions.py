"""Run two revisions of ungarble over the same inputs and print every difference in findings and
fixed text: the check that a refactoring changed nothing it did not mean to.

    python benchmarks/compare_revisions.py OLD NEW [--grammar none|harper] [--limit N]
                                              [--sets samples,seeds,clean,cweb,mlqe,mqm,lt] [--unsafe]

OLD and NEW are git revisions of this repository (``WORKTREE`` means the files as they are now).
Each revision is exported with ``git archive`` into a temporary folder and run in its own process
(with this interpreter and its installed dependencies), both at once. Inputs: the samples, both
seeds, the clean prose (Standard Ebooks, CIA Factbook), CWEB sentences both annotators left alone,
MLQE-PE dev MT, MQM zh-en MT (TED and newstest2021) and LanguageTool's example sentences; the
shared corpora are read from ../shared/corpora (sets whose files are absent are skipped, and said
so). ``--limit`` takes the first N texts of each corpus set (default: all).

Output: per set, the number of texts whose findings or fixed text differ, the rules involved, and
up to ``--show`` examples of each difference. Exit 0 when there is no difference, 1 otherwise.
"""
from __future__ import annotations

import argparse
import collections
import json
import os
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _corpora import CORPORA, jsonl  # noqa: E402

ALL_SETS = ("samples", "seeds", "clean", "cweb", "mlqe", "mqm", "lt")

# Runs inside each revision's folder: prints one JSON line per input.
DRIVER = r"""
import dataclasses, json, sys
import repair
from repair.options import Options

grammar, unsafe = sys.argv[1], sys.argv[2] == "1"
fields = {f.name for f in dataclasses.fields(Options)}
assert repair.__file__.startswith(sys.argv[3]), (repair.__file__, sys.argv[3])
for raw in sys.stdin:
    rec = json.loads(raw)
    kw = {"grammar": grammar, "unsafe": unsafe}
    if rec.get("markdown") and "input_format" in fields:
        kw["input_format"] = "markdown"
    elif rec.get("markdown") and "markdown" in fields:
        kw["markdown"] = True
    try:
        result = repair.analyse(rec["text"], **kw)
        findings = sorted([f.rule, f.span.start, f.span.end, f.severity,
                           f.fix.replacement if f.fix else None, f.fix.safety if f.fix else None]
                          for f in result.findings)
        out = {"key": rec["key"], "findings": findings, "fixed": result.fixed}
    except Exception as exc:
        out = {"key": rec["key"], "error": f"{type(exc).__name__}: {exc}"}
    print(json.dumps(out, ensure_ascii=False), flush=True)
"""


def inputs(sets: list[str], limit: int | None) -> list[dict]:
    out: list[dict] = []

    def add(setname: str, key: str, text: str, markdown: bool = False) -> None:
        if text and text.strip():
            out.append({"key": f"{setname}:{key}", "set": setname, "text": text, "markdown": markdown})

    def take(rows, n=limit):
        for i, row in enumerate(rows):
            if n is not None and i >= n:
                return
            yield i, row

    if "samples" in sets:
        for p in sorted((ROOT / "samples").iterdir()):
            if p.is_file() and p.suffix in (".txt", ".md"):
                add("samples", p.name, p.read_text(encoding="utf-8", errors="surrogateescape"), p.suffix == ".md")
    seeds = ROOT.parent / "shared" / "seeds"
    if "seeds" in sets and seeds.is_dir():
        for p in sorted(seeds.iterdir()):
            add("seeds", p.name, p.read_text(encoding="utf-8"))
    files = {
        "clean": [("clean-prose", "standard-ebooks.paragraphs.jsonl"), ("clean-prose", "cia-world-factbook.background.jsonl")],
        "cweb": [("gec", "cweb-G.dev.jsonl"), ("gec", "cweb-S.dev.jsonl")],
        "mlqe": [("mlqe-pe", f"{lp}.dev.jsonl") for lp in ("ro-en", "et-en", "ne-en", "si-en", "ru-en")],
        "mqm": [("mqm-zhen", "mqm_ted_zhen.segments.jsonl"), ("mqm-zhen", "wmtqe23_task2_zh-en.train_newstest2021.jsonl")],
        "lt": [("languagetool", "en-grammar.incorrect.jsonl"), ("languagetool", "en-grammar.correct.jsonl")],
    }
    for setname, paths in files.items():
        if setname not in sets:
            continue
        for folder, name in paths:
            path = CORPORA / folder / name
            if not path.exists():
                print(f"skipped {setname}: {path} is not here", file=sys.stderr)
                continue
            seen: set[str] = set()
            for i, row in take(jsonl(path)):
                if setname == "cweb":
                    if not row.get("unchanged_by_both"):
                        continue
                    text = row.get("source_sentence") or row.get("text") or ""
                elif setname in ("mlqe", "mqm"):
                    text = row.get("mt", "")
                elif setname == "lt":
                    text = row.get("incorrect") or row.get("correct") or ""
                else:
                    text = row.get("text", "")
                if setname in ("mqm", "lt") and text in seen:
                    continue  # MQM repeats a segment once per rater
                seen.add(text)
                add(setname, f"{name}:{i}", text)
    return out


def export(rev: str, into: Path) -> Path:
    if rev == "WORKTREE":
        return ROOT
    folder = into / rev.replace("/", "_")
    folder.mkdir(parents=True)
    data = subprocess.run(["git", "-C", str(ROOT), "archive", rev], check=True, capture_output=True).stdout
    tar_path = into / f"{folder.name}.tar"
    tar_path.write_bytes(data)
    with tarfile.open(tar_path) as tar:
        tar.extractall(folder)
    return folder


def start(folder: Path, grammar: str, unsafe: bool, stdin_path: Path, out_path: Path) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=str(folder), PYTHONDONTWRITEBYTECODE="1")
    return subprocess.Popen([sys.executable, "-c", DRIVER, grammar, "1" if unsafe else "0", str(folder)],
                            cwd=folder, env=env, stdin=open(stdin_path, "rb"), stdout=open(out_path, "wb"))


def load(path: Path) -> dict[str, dict]:
    return {r["key"]: r for r in map(json.loads, path.read_text(encoding="utf-8").splitlines())}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("old")
    ap.add_argument("new")
    ap.add_argument("--grammar", default="none", choices=("none", "harper"))
    ap.add_argument("--unsafe", action="store_true", help="apply suggestions too (compares more edits)")
    ap.add_argument("--limit", type=int, default=None, help="first N texts of each corpus file")
    ap.add_argument("--sets", default=",".join(ALL_SETS))
    ap.add_argument("--show", type=int, default=3, help="examples per kind of difference")
    args = ap.parse_args()
    sets = [s for s in args.sets.split(",") if s]
    records = inputs(sets, args.limit)
    by_key = {r["key"]: r for r in records}
    with tempfile.TemporaryDirectory(prefix="ungarble-compare-") as tmp:
        tmpdir = Path(tmp)
        stdin_path = tmpdir / "inputs.jsonl"
        stdin_path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
        procs = []
        for label, rev in (("old", args.old), ("new", args.new)):
            folder = export(rev, tmpdir / "revs")
            procs.append((label, start(folder, args.grammar, args.unsafe, stdin_path, tmpdir / f"{label}.jsonl")))
        for label, proc in procs:
            if proc.wait() != 0:
                print(f"the {label} revision's run failed (exit {proc.returncode})", file=sys.stderr)
                return 2
        old, new = load(tmpdir / "old.jsonl"), load(tmpdir / "new.jsonl")

    per_set = collections.Counter(r["set"] for r in records)
    differing: collections.Counter = collections.Counter()
    rules: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    examples: dict[tuple, list[str]] = collections.defaultdict(list)
    both_failed: collections.Counter = collections.Counter()
    for key, rec in by_key.items():
        a, b = old.get(key, {}), new.get(key, {})
        if "error" in a and "error" in b:
            both_failed[a["error"] if a == b else "(different errors)"] += 1
        if a == b:
            continue
        setname = rec["set"]
        differing[setname] += 1
        text = rec["text"]
        if "error" in a or "error" in b:
            kind = ("error", a.get("error", ""), b.get("error", ""))
            rules[setname]["(error)"] += 1
            if len(examples[kind[:1]]) < args.show:
                examples[kind[:1]].append(f"{key}: old {a.get('error')!r} new {b.get('error')!r}")
            continue
        fa = collections.Counter(map(tuple, a["findings"]))
        fb = collections.Counter(map(tuple, b["findings"]))
        for sign, diff in (("-", fa - fb), ("+", fb - fa)):
            for f in diff.elements():
                rules[setname][f"{sign}{f[0]}"] += 1
                bucket = (sign, f[0])
                if len(examples[bucket]) < args.show:
                    s, e = f[1], f[2]
                    context = f"{text[max(0, s - 40):s]}⟦{text[s:e]}⟧{text[e:e + 40]}".replace("\n", "⏎")
                    examples[bucket].append(f"{key}: {list(f)} …{context}…")
        if a["fixed"] != b["fixed"]:
            rules[setname]["(fixed text)"] += 1
            bucket = ("fixed",)
            if len(examples[bucket]) < args.show:
                examples[bucket].append(f"{key}: old {a['fixed'][:200]!r}\n      new {b['fixed'][:200]!r}")

    print(f"revisions: old {args.old}, new {args.new}; grammar {args.grammar}; unsafe {args.unsafe}")
    print(f"{'set':<8} {'texts':>7} {'differ':>7}  what")
    for setname in sets:
        if not per_set[setname]:
            continue
        what = ", ".join(f"{k} {v}" for k, v in rules[setname].most_common())
        print(f"{setname:<8} {per_set[setname]:>7} {differing[setname]:>7}  {what}")
    for bucket, lines in sorted(examples.items()):
        print(f"\n{' '.join(bucket)}:")
        for line in lines:
            print(f"  {line}")
    total = sum(differing.values())
    print(f"\n{total} of {len(records)} texts differ")
    if both_failed:  # equal because both failed: not a comparison (e.g. run without the dependencies)
        for error, count in both_failed.most_common(3):
            print(f"{count} texts failed in both revisions: {error}", file=sys.stderr)
        return 2
    return 1 if total else 0


if __name__ == "__main__":
    sys.exit(main())
