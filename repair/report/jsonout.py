"""`--format json`: the documented, versioned schema (see README)."""
from __future__ import annotations

from typing import Any, Iterable

from . import FileReport, LineIndex, OutputFormat, register

SCHEMA_VERSION = 1


def finding_dict(f, index: LineIndex) -> dict[str, Any]:
    line, col = index.position(f.span.start)
    out: dict[str, Any] = {
        "rule": f.rule,
        "source": f.source,
        "severity": f.severity,
        "message": f.message,
        "start": f.span.start,
        "end": f.span.end,
        "line": line,
        "column": col,
        "text": f.text,
        "fix": None if f.fix is None else {"replacement": f.fix.replacement, "safety": f.fix.safety},
    }
    if f.sources:
        out["sources"] = list(f.sources)
    if hasattr(f, "unit_id"):  # a finding on a translation unit (repair.bilingual.run)
        out["unit"] = {"id": f.unit_id, "source_text": f.source_text}
        for key in ("context", "plural"):
            if getattr(f, key, None) is not None:
                out["unit"][key] = getattr(f, key)
    return out


def file_dict(report: FileReport) -> dict[str, Any]:
    out: dict[str, Any] = {"path": report.path, "encoding": report.encoding}
    if report.error:
        out["error"] = report.error
    index = LineIndex(report.result.original if report.result else "")
    out["findings"] = [finding_dict(f, index) for f in report.findings]
    out["metrics"] = dict(report.metrics)
    return out


def render(reports: Iterable[FileReport]) -> str:
    import json  # here: the registry imports every format at start-up

    return json.dumps({"version": SCHEMA_VERSION, "files": [file_dict(r) for r in reports]},
                      ensure_ascii=False, indent=2) + "\n"


register(OutputFormat("json", "check", lambda reports, ctx: render(reports), "one versioned document"))
register(OutputFormat("json", "score", lambda reports, ctx: render(reports),
                      "the check document with each file's metrics"))
