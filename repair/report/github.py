"""`--format github`: GitHub Actions workflow commands, one annotation per finding.

``::error file=F,line=L,col=C,endLine=L2,endColumn=C2,title=RULE::MESSAGE``;
severity error -> ``error``, warning -> ``warning``, info -> ``notice``. Values
are escaped as the Actions toolkit does (``%``, CR, LF in both; ``:`` and ``,``
in properties too), so a message cannot end the command early. Messages are a human
view: control characters from the text (``ESC``, bidirectional controls) are shown
escaped, as in every human output (repair.terminal.visible).
"""
from __future__ import annotations

from typing import Iterable

from ..terminal import visible, visible_lines
from . import FileReport, LineIndex, OutputFormat, register

LEVELS = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(value: str) -> str:
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")


def command(level: str, properties: dict[str, object], message: str) -> str:
    props = ",".join(f"{k}={escape_property(str(v))}" for k, v in properties.items())
    return f"::{level} {props}::{escape_data(message)}"


def render(reports: Iterable[FileReport]) -> str:
    out: list[str] = []
    for report in reports:
        path = report.path.replace("\\", "/")
        if report.error:
            out.append(command("error", {"file": path, "title": "ungarble"}, visible_lines(report.error)))
        if report.result is None:
            continue
        index = LineIndex(report.result.original)
        for f in report.findings:
            line, col = index.position(f.span.start)
            end_line, end_col = index.position(max(f.span.start, f.span.end - 1))  # last character, inclusive
            # an annotation is read by a person: control characters from the text are shown escaped
            message = visible_lines(f.message)
            if f.fix is not None:
                kind = "fixable" if f.fix.safety == "safe" else "suggestion"
                message += f" [{kind}: {visible(repr(f.fix.replacement))}]"
            props: dict[str, object] = {"file": path, "line": line, "col": col, "endLine": end_line,
                                        "endColumn": end_col, "title": f.rule}
            out.append(command(LEVELS[f.severity], props, message))
    return "".join(line + "\n" for line in out)


register(OutputFormat("github", "check", lambda reports, ctx: render(reports), "GitHub Actions annotations"))
