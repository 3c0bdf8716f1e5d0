"""Suppression comments written in the text itself.

Directives (the rule list is optional; ids or dotted prefixes, comma-separated)::

    ungarble: ignore            the line it is on, or the next line when it stands alone
    ungarble: ignore[mt.doubled-verb, typography]
    ungarble: off  ...  ungarble: on    a region (``off[rule]`` limits it to those rules)

The input format (repair.formats) says how they are written: in Markdown they are
HTML comments (``<!-- ungarble: off -->``), which do not render, and a directive
inside inline code or a code block is an example, not a directive. In plain text
a directive is a bracketed note (``[ungarble: ignore]``), an HTML comment, or a
comment line starting with ``#``, ``//``, ``%`` or ``;``. The directive itself is
never flagged.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING, Union

from .model import Span

if TYPE_CHECKING:
    from .formats import InputFormat

# an input format, its name, or (older callers) True for Markdown and False for plain text
FormatLike = Union["InputFormat", str, bool]

_RULES = r"(?:\[(?P<rules>[^\]\r\n]*)\])?"
_BODY = r"ungarble:[ \t]*(?P<verb>ignore|off|on)\b" + _RULES
_HTML = re.compile(r"<!--[ \t]*" + _BODY + r"[ \t]*-->")
_BRACKETED = re.compile(r"\[[ \t]*" + _BODY + r"[ \t]*\]")
_COMMENT = re.compile(r"(?:^|(?<=[ \t]))(?:#|//|%|;)[ \t]*" + _BODY + r"[ \t]*$", re.MULTILINE)
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_RULE_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_\-]*(?:\.[A-Za-z0-9_\-]+)*\.?$")
_STYLES = {"html": _HTML, "bracket": _BRACKETED, "comment": _COMMENT}


class Directive:
    __slots__ = ("span", "verb", "rules")

    def __init__(self, span: Span, verb: str, rules: tuple[str, ...]):
        self.span, self.verb, self.rules = span, verb, rules

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return f"Directive({self.span}, {self.verb!r}, {self.rules!r})"


def _rules(raw: str | None) -> tuple[str, ...]:
    if not raw:
        return ()
    return tuple(r.strip() for r in raw.split(",") if _RULE_ID.match(r.strip()))


def _format(fmt: FormatLike) -> "InputFormat":
    from . import formats

    if isinstance(fmt, bool):
        return formats.get("markdown" if fmt else "plain")
    return formats.get(fmt) if isinstance(fmt, str) else fmt


def directives(text: str, fmt: FormatLike) -> list[Directive]:
    """Every directive in ``text`` (written as the input format ``fmt`` writes them), in order."""
    if "ungarble:" not in text:
        return []
    form = _format(fmt)
    patterns = [_STYLES[style] for style in form.directives]
    found: list[Directive] = []
    taken: list[Span] = []
    code = form.examples(text)
    for pattern in patterns:
        for m in pattern.finditer(text):
            span = Span(m.start(), m.end())
            if any(s.overlaps(span) for s in taken) or any(s.start <= m.start() < s.end for s in code):
                continue
            if m.group("rules") is not None and not _rules(m.group("rules")):
                continue  # "ignore[]" or garbage names nothing: not a directive
            taken.append(span)
            found.append(Directive(span, m.group("verb"), _rules(m.group("rules"))))
    found.sort(key=lambda d: d.span)
    return found


def suppressions(text: str, fmt: FormatLike) -> list[tuple[Span, tuple[str, ...]]]:
    """(span, rules) regions where findings are dropped; empty rules means every rule."""
    found = directives(text, fmt)
    if not found:
        return []
    starts = [0] + [m.end() for m in _LINE_BREAK.finditer(text)]
    ends = [m.start() for m in _LINE_BREAK.finditer(text)] + [len(text)]

    def line_of(pos: int) -> int:
        lo, hi = 0, len(starts) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if starts[mid] <= pos:
                lo = mid
            else:
                hi = mid - 1
        return lo

    out: list[tuple[Span, tuple[str, ...]]] = []
    open_regions: dict[tuple[str, ...], int] = {}
    for d in found:
        out.append((d.span, ()))  # the directive itself is never a finding
        if d.verb == "ignore":
            line = line_of(d.span.start)
            rest = (text[starts[line]:d.span.start] + text[d.span.end:ends[line]]).strip()
            if rest:
                out.append((Span(starts[line], ends[line]), d.rules))
            else:
                target = line + 1
                while target < len(starts) and not text[starts[target]:ends[target]].strip():
                    target += 1  # blank lines between the note and its line
                if target < len(starts):
                    out.append((Span(starts[target], ends[target]), d.rules))
        elif d.verb == "off":
            open_regions.setdefault(d.rules, d.span.start)
        else:  # on: closes the region with the same rules, or every region when it names none
            keys = [d.rules] if d.rules in open_regions else ([] if d.rules else list(open_regions))
            for key in keys:
                out.append((Span(open_regions.pop(key), d.span.end), key))
    for key, start in open_regions.items():
        out.append((Span(start, len(text)), key))
    return out
