"""Baselines: record today's findings, then report only new ones (adopting a linter on old text).

A finding is identified by its file (relative to the baseline file's folder),
its rule, its text and a few words of context on each side, never by offsets,
so findings survive text moving around them. Matching is two-step and counts
occurrences: first on the full key (with context), then what is left on file,
rule and text alone (so an edited sentence next to an old finding does not make
it new, while a second copy of the same finding still does).
"""
from __future__ import annotations

import json
import os
import re
from collections import Counter
from dataclasses import dataclass
from typing import Iterable, Sequence

from .model import Finding

VERSION = 1
CONTEXT_WORDS = 3
_SPACE = re.compile(r"\s+")
_WORD = re.compile(r"\S+")


class BaselineError(ValueError):
    """The baseline file cannot be read or is not one of ours."""


@dataclass(frozen=True)
class Entry:
    path: str
    rule: str
    text: str
    before: str
    after: str

    @property
    def loose(self) -> tuple[str, str, str]:
        return (self.path, self.rule, self.text)

    @property
    def key(self) -> tuple[str, str, str, str, str]:
        return (self.path, self.rule, self.text, self.before, self.after)


def _norm(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def _rel(path: str, root: str) -> str:
    if path == "-":
        return "-"
    return os.path.relpath(os.path.abspath(path), root).replace(os.sep, "/")


def entry(path: str, finding: Finding, original: str, root: str) -> Entry:
    before_words = _WORD.findall(original[max(0, finding.span.start - 200):finding.span.start])
    after_words = _WORD.findall(original[finding.span.end:finding.span.end + 200])
    return Entry(_rel(path, root), finding.rule, _norm(finding.text),
                 " ".join(before_words[-CONTEXT_WORDS:]), " ".join(after_words[:CONTEXT_WORDS]))


def entries(items: Iterable[tuple[str, str, Sequence[Finding]]], root: str) -> list[Entry]:
    """Entries for (path, original text, findings) triples."""
    return [entry(path, f, original, root) for path, original, findings in items for f in findings]


def save(path: str, recorded: Sequence[Entry]) -> None:
    from .files import atomic_write

    data = {
        "version": VERSION,
        "tool": "ungarble",
        "findings": [
            {"path": e.path, "rule": e.rule, "text": e.text, "before": e.before, "after": e.after}
            for e in sorted(recorded, key=lambda e: e.key)
        ],
    }
    atomic_write(path, (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8"))


def load(path: str) -> list[Entry]:
    try:
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
    except OSError as exc:
        raise BaselineError(f"{path}: cannot read baseline: {exc.strerror or exc}") from None
    except ValueError as exc:
        raise BaselineError(f"{path}: not a baseline file (invalid JSON: {exc})") from None
    if not isinstance(data, dict) or data.get("version") != VERSION or not isinstance(data.get("findings"), list):
        raise BaselineError(f"{path}: not an ungarble baseline (version {VERSION})")
    out: list[Entry] = []
    for item in data["findings"]:
        try:
            out.append(Entry(item["path"], item["rule"], item["text"], item.get("before", ""), item.get("after", "")))
        except (KeyError, TypeError):
            raise BaselineError(f"{path}: malformed entry {item!r}") from None
    return out


def new_mask(current: Sequence[Entry], recorded: Iterable[Entry]) -> list[bool]:
    """For each current entry, True when the baseline does not account for it."""
    exact = Counter(e.key for e in recorded)
    is_new = [True] * len(current)
    for i, e in enumerate(current):
        if exact[e.key] > 0:
            exact[e.key] -= 1
            is_new[i] = False
    loose: Counter[tuple] = Counter()
    for key, count in exact.items():
        if count > 0:
            loose[key[:3]] += count
    for i, e in enumerate(current):
        if is_new[i] and loose[e.loose] > 0:
            loose[e.loose] -= 1
            is_new[i] = False
    return is_new


def root_of(baseline_path: str) -> str:
    return os.path.dirname(os.path.abspath(baseline_path))
