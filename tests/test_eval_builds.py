"""benchmarks/eval_source_checks.py builds PO, XLIFF and JSONL files from (source, MT) rows and reads
`ungarble check --format json` back (issue 14 item 6): on our own rows, each format gives the rows back
and the same findings."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
import eval_source_checks as ev  # noqa: E402

ROWS = [
    {"lang": "ro", "src": "Am cumpărat 3 mere și 5 pere de la piață.", "mt": "I bought 4 apples and 5 pears at the market."},
    {"lang": "ro", "src": "Clădirea are o fațadă impunătoare.", "mt": "The building has an impunătoare facade."},
    {"lang": "ro", "src": "Ea a spus: „<b>Da</b> & nu”.", "mt": 'She said: "<b>Yes</b> & no".'},
    {"lang": "ru", "src": "Это очень важно, сказал он.", "mt": "This is очень важно, he said."},
    {"lang": "ru", "src": "Строка\tс табуляцией\nи переводом", "mt": "A line\twith a tab\nand a break"},
]


@pytest.mark.parametrize("fmt", list(ev.FORMATS))
def test_built_files_read_back_as_the_rows(fmt):
    _, build, _ = ev.FORMATS[fmt]
    for lang in ("ro", "ru"):
        idx = [i for i, r in enumerate(ROWS) if r["lang"] == lang]
        units = ev._parse(fmt, build(ROWS, idx, lang)).units
        assert [(u.source, u.target) for u in units] == [(ROWS[i]["src"], ROWS[i]["mt"]) for i in idx]
        if fmt != "jsonl":  # a table has no place for the source language
            assert {u.source_language for u in units} == {lang}


def test_the_three_formats_give_the_same_findings():
    results = {fmt: ev.cli_findings(ROWS, fmt) for fmt in ev.FORMATS}
    keys = {fmt: {i: sorted((f.rule, f.span.start, f.span.end) for f in found[i]) for i in found}
            for fmt, (found, _) in results.items()}
    assert keys["po"] == keys["xliff"] == keys["jsonl"]
    rules = {r for rows in keys["po"].values() for r, _, _ in rows}
    assert {"source.number-different", "source.copied-word", "source.source-script"} <= rules
    for found, targets in results.values():
        assert targets == {i: r["mt"] for i, r in enumerate(ROWS)}
        f = next(f for f in found[0] if f.rule == "source.number-different")
        assert ROWS[0]["mt"][f.span.start:f.span.end] == "4"  # spans are in the target, not the file
