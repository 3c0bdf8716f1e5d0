"""The library API: what the CLI prints, as values. Pure and picklable."""
from __future__ import annotations

import dataclasses
import functools
from types import FrameType
from typing import Any, Sequence

from .checks import Check, build_checks
from .model import Finding
from .options import Options
from .pipeline import Result, run


@functools.lru_cache(maxsize=8)
def checks_for(options: Options) -> Sequence[Check]:
    """Checks are built once per process and options (Harper's dictionary takes a second)."""
    return tuple(build_checks(options))


def make_options(options: Options | None = None, **overrides: Any) -> Options:
    options = options or Options()
    if "markdown" in overrides:  # deprecated: input_format="markdown" (see repair.formats)
        import warnings

        warnings.warn("markdown=True is deprecated; use input_format='markdown'", DeprecationWarning,
                      stacklevel=_caller_level())
        markdown = overrides.pop("markdown")
        overrides.setdefault("input_format", "markdown" if markdown else "plain")
    if "input_format" in overrides:
        from .formats import get

        get(overrides["input_format"])  # an unknown name fails here, with the known ones
    for key in ("select", "ignore", "rules_dirs"):
        if key in overrides:
            overrides[key] = tuple(overrides[key])
    if "accept_words" in overrides:
        overrides["accept_words"] = frozenset(overrides["accept_words"])
    return dataclasses.replace(options, **overrides) if overrides else options


def _caller_level() -> int:
    """The stack level of the first caller outside this module (for a warning)."""
    import sys

    frame: FrameType | None
    level, frame = 2, sys._getframe(2)
    while frame is not None and frame.f_globals.get("__name__") == __name__:
        level, frame = level + 1, frame.f_back
    return level


def analyse(text: str, options: Options | None = None, **overrides: Any) -> Result:
    """Findings and repaired text for ``text``; ``fix`` and ``check`` are views of this."""
    opts = make_options(options, **overrides)
    from .formats import get
    from .formats.translation import BilingualFormat

    fmt = get(opts.input_format)
    if isinstance(fmt, BilingualFormat):  # a translation file: unit by unit (repair.bilingual.run)
        from .bilingual.run import analyse as analyse_units  # not imported for plain text and Markdown

        return analyse_units(text, opts, fmt, checks_for)
    return run(text, opts, checks_for(opts))


def check(text: str, options: Options | None = None, **overrides: Any) -> list[Finding]:
    """Every finding in ``text``, spans in code points of ``text``.

    >>> [f.rule for f in check("It was the the end.", grammar="none")]
    ['mt.repeated-phrase']
    """
    return list(analyse(text, options, **overrides).findings)


def fix(text: str, options: Options | None = None, **overrides: Any) -> str:
    """``text`` with safe edits applied (and suggestions too with ``unsafe=True``)."""
    return analyse(text, options, **overrides).fixed
