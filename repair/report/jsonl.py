"""`--format jsonl`: one JSON object per line, one line per finding (for streams and `jq`).

Each finding line is the version-1 finding object of ``--format json`` plus
``path`` and ``encoding``; an input that could not be read gives one line
``{"path": ..., "encoding": null, "error": ...}``.
"""
from __future__ import annotations

from typing import Iterable

from . import FileReport, LineIndex, OutputFormat, register
from .jsonout import finding_dict


def lines(report: FileReport) -> str:
    import json  # here: the registry imports every format at start-up

    out: list[str] = []
    if report.error:
        out.append(json.dumps({"path": report.path, "encoding": report.encoding, "error": report.error},
                              ensure_ascii=False))
    if report.result is not None:
        index = LineIndex(report.result.original)
        for f in report.findings:
            record = {"path": report.path, "encoding": report.encoding}
            record.update(finding_dict(f, index))
            out.append(json.dumps(record, ensure_ascii=False))
    return "".join(line + "\n" for line in out)


def render(reports: Iterable[FileReport]) -> str:
    return "".join(lines(r) for r in reports)


register(OutputFormat("jsonl", "check", lambda reports, ctx: render(reports), "one finding a line"))
