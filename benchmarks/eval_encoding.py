"""Encoding repair against ftfy's own test cases (../shared/corpora/ftfy/).

Prints, per set: cases, how many our safe edits turn into ftfy's `fixed_encoding`
exactly, and for the `negative` set how many we leave unchanged (must be all).
Differences from `fixed_encoding` come from two choices of ours, counted separately:
a repair that can only produce U+FFFD is a suggestion, not a safe edit; and we also
apply ftfy's non-encoding fixers (HTML entities, control characters, width) that
`ftfy.fix_encoding` leaves out.

    python benchmarks/eval_encoding.py
"""
from __future__ import annotations

import collections
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from _corpora import jsonl, require  # noqa: E402

from repair import encoding  # noqa: E402
from repair.edits import apply, resolve  # noqa: E402
from repair.options import Options  # noqa: E402


def repaired(text: str, options: Options, *, unsafe: bool) -> str:
    findings = encoding.find(text, options)
    chosen, _ = resolve([f.fix for f in findings if unsafe or f.fix.safety == "safe"])
    return apply(text, chosen)


def main() -> None:
    rows = list(jsonl(require("ftfy", "ftfy-test-cases.jsonl")))
    only_encoding = Options(select=("encoding.mojibake", "encoding.lossy-mojibake", "encoding.c1-control",
                                    "encoding.surrogate"))
    table = collections.defaultdict(collections.Counter)
    for row in rows:
        key = row["set"] if row["expect"] == "pass" else "known-failures"
        t = table[key]
        t["cases"] += 1
        t["safe = fixed_encoding"] += repaired(row["original"], Options(), unsafe=False) == row["fixed_encoding"]
        t["encoding-only, +suggestions = fixed_encoding"] += (
            repaired(row["original"], only_encoding, unsafe=True) == row["fixed_encoding"])
        t["unchanged by safe edits"] += repaired(row["original"], Options(), unsafe=False) == row["original"]
    cols = ["cases", "safe = fixed_encoding", "encoding-only, +suggestions = fixed_encoding", "unchanged by safe edits"]
    print(f"{'set':16}" + "".join(f"{c:>46}" for c in cols))
    for name, t in sorted(table.items()):
        print(f"{name:16}" + "".join(f"{t[c]:>46}" for c in cols))
    neg = table["negative"]
    print(f"\nnegative cases as ftfy expects: {neg['safe = fixed_encoding']}/{neg['cases']} "
          f"({neg['unchanged by safe edits']} byte-identical; the rest expect only a C1 control fix)")


if __name__ == "__main__":
    main()
