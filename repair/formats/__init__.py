"""The input formats: a registry of :class:`~repair.formats.base.InputFormat` objects by name.

A format module builds its format and calls :func:`register` (see plain.py, markdown.py); the
built-in ones are imported at the end of this module. ``Options.input_format`` holds a format's
name, chosen by :func:`detect` alone (an explicit ``--input-format``, else the file suffix), and
every stage asks the format (:func:`get`) instead of testing for one.
"""
from __future__ import annotations

from typing import TypeVar

from .base import DIRECTIVE_STYLES, InputFormat, PositionMap, Unit

__all__ = ["DEFAULT", "DIRECTIVE_STYLES", "FORMATS", "InputFormat", "PositionMap", "Unit", "default_include",
           "detect", "get", "names", "register"]

DEFAULT = "plain"
FORMATS: dict[str, InputFormat] = {}

F = TypeVar("F", bound=InputFormat)


def register(fmt: F) -> F:
    """Add ``fmt`` to the registry (its name must be new, its extensions unclaimed); returns it."""
    if fmt.name in FORMATS and FORMATS[fmt.name] != fmt:
        raise ValueError(f"an input format named {fmt.name!r} is already registered")
    bad = [d for d in fmt.directives if d not in DIRECTIVE_STYLES]
    if bad:
        raise ValueError(f"input format {fmt.name!r}: unknown directive style {bad[0]!r}")
    for other in FORMATS.values():
        taken = set(other.extensions) & {e.lower() for e in fmt.extensions}
        if other.name != fmt.name and taken:
            raise ValueError(f"input format {fmt.name!r}: {sorted(taken)[0]} already belongs to {other.name!r}")
    FORMATS[fmt.name] = fmt
    return fmt


def get(name: str) -> InputFormat:
    """The format called ``name``; ValueError naming the known ones otherwise."""
    try:
        return FORMATS[name]
    except KeyError:
        raise ValueError(f"unknown input format {name!r} (known: {', '.join(names())})") from None


def names() -> tuple[str, ...]:
    return tuple(sorted(FORMATS))


def detect(path: str, explicit: str | None = None, default: str = DEFAULT) -> str:
    """The format of the input called ``path``: ``explicit`` when given, else the format owning its
    suffix (case-insensitive), else ``default``. The one place a format is chosen."""
    if explicit:
        return get(explicit).name
    lower = path.lower()
    for fmt in FORMATS.values():
        if fmt.extensions and lower.endswith(fmt.extensions):
            return fmt.name
    return default


def default_include() -> tuple[str, ...]:
    """The file patterns a directory argument picks up when none are given: every format's."""
    return tuple(p for fmt in FORMATS.values() for p in fmt.include)


from . import plain, markdown  # noqa: E402,F401  (the built-in formats register themselves)
from . import po, xliff, tmx, tables  # noqa: E402,F401  (bilingual: repair.bilingual.run)
