"""`--format sarif`: SARIF 2.1.0 for GitHub code scanning and other SARIF viewers.

One run; ``tool.driver.rules`` lists the rules that fired; each result has a
physical location with a region in 1-based lines and code-point columns
(``columnKind: unicodeCodePoints``, end column exclusive as SARIF defines it)
plus ``charOffset``/``charLength``, and a ``fixes`` entry when the finding
carries an edit. Paths are made relative to ``base`` (the current folder) with
forward slashes, under ``uriBaseId`` ``%SRCROOT%``, as code scanning expects.
"""
from __future__ import annotations

import hashlib
import os
from typing import Any, Iterable, Mapping
from urllib.parse import quote

from ..output import text_name
from . import FileReport, LineIndex, OutputFormat, RenderContext, register

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://pypi.org/project/ungarble/"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}


def _uri(path: str, base: str) -> str:
    if path == "-":
        return "stdin"
    rel = os.path.relpath(os.path.abspath(path), base)
    if rel.startswith(".."):
        rel = os.path.abspath(path)
        return "file://" + quote(os.fsencode(rel.replace(os.sep, "/")))
    return quote(os.fsencode(rel.replace(os.sep, "/")))  # a name's raw bytes, percent-encoded


def _region(index: LineIndex, start: int, end: int, text: str | None = None) -> dict:
    line, col = index.position(start)
    end_line, end_col = index.position(end)
    region: dict[str, Any] = {"startLine": line, "startColumn": col, "endLine": end_line, "endColumn": end_col,
              "charOffset": start, "charLength": end - start}
    if text is not None:
        region["snippet"] = {"text": text}
    return region


def render(reports: Iterable[FileReport], *, version: str, rule_descriptions: Mapping[str, str] | None = None,
           base: str | None = None) -> str:
    base = base if base is not None else os.getcwd()
    descriptions = dict(rule_descriptions or {})
    rules: list[dict] = []
    rule_index: dict[str, int] = {}
    results: list[dict] = []
    artifacts: list[dict] = []
    notifications: list[dict] = []
    for report in reports:
        uri = _uri(report.path, base)
        artifact_location = {"uri": uri, "uriBaseId": "%SRCROOT%"} if "://" not in uri else {"uri": uri}
        if report.error:
            notifications.append({"level": "error", "message": {"text": text_name(report.error)},
                                  "locations": [{"physicalLocation": {"artifactLocation": artifact_location}}]})
            continue
        if report.result is None:
            continue
        artifact: dict[str, Any] = {"location": artifact_location}
        if report.encoding:
            artifact["encoding"] = report.encoding
        artifact_index = len(artifacts)
        artifacts.append(artifact)
        index = LineIndex(report.result.original)
        for f in report.findings:
            if f.rule not in rule_index:
                rule_index[f.rule] = len(rules)
                rule: dict = {"id": f.rule, "name": f.rule,
                              "defaultConfiguration": {"level": LEVELS[f.severity]},
                              "properties": {"source": f.source}}
                desc = descriptions.get(f.rule)
                if desc:
                    rule["shortDescription"] = {"text": desc}
                rules.append(rule)
            location = {"physicalLocation": {
                "artifactLocation": dict(artifact_location, index=artifact_index),
                "region": _region(index, f.span.start, f.span.end, f.text),
            }}
            result: dict = {
                "ruleId": f.rule,
                "ruleIndex": rule_index[f.rule],
                "level": LEVELS[f.severity],
                "message": {"text": f.message},
                "locations": [location],
                "partialFingerprints": {
                    "ungarbleFinding/v1": hashlib.sha256(
                        f"{f.rule}\0{f.text}\0{f.fix.replacement if f.fix else ''}".encode()).hexdigest()[:32],
                },
            }
            if f.sources:
                result["properties"] = {"sources": list(f.sources)}
            if f.fix is not None:
                result["fixes"] = [{
                    "description": {"text": f"{'Safe fix' if f.fix.safety == 'safe' else 'Suggestion'}: "
                                            f"replace with {f.fix.replacement!r}"},
                    "artifactChanges": [{
                        "artifactLocation": artifact_location,
                        "replacements": [{"deletedRegion": _region(index, f.span.start, f.span.end),
                                          "insertedContent": {"text": f.fix.replacement}}],
                    }],
                    "properties": {"safety": f.fix.safety},
                }]
            results.append(result)
    run: dict = {
        "tool": {"driver": {"name": "ungarble", "version": version, "semanticVersion": version,
                            "informationUri": INFORMATION_URI, "rules": rules}},
        "originalUriBaseIds": {"%SRCROOT%": {"uri": _base_uri(base)}},
        "artifacts": artifacts,
        "results": results,
        "columnKind": "unicodeCodePoints",
        "invocations": [{"executionSuccessful": not notifications,
                         "toolExecutionNotifications": notifications}],
    }
    log = {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}
    import json  # here: the registry imports every format at start-up

    return json.dumps(log, ensure_ascii=False, indent=2) + "\n"


def _base_uri(base: str) -> str:
    path = os.path.abspath(base).replace(os.sep, "/")
    if not path.endswith("/"):
        path += "/"
    if not path.startswith("/"):
        path = "/" + path
    return "file://" + quote(os.fsencode(path))


def _sarif(reports: Iterable[FileReport], ctx: RenderContext) -> str:
    return render(reports, version=ctx.version, rule_descriptions=ctx.rule_descriptions())


register(OutputFormat("sarif", "check", _sarif, "SARIF 2.1.0", raw_names=True))
