"""What an input format is: which files it owns, what in them is prose and what is protected
(markup, code), how suppression comments are written in it, and how its text is cut into units.

A format is a frozen dataclass (hashable, picklable: it travels to worker processes by name and is
looked up again there); a new one subclasses :class:`InputFormat`, overrides what differs and calls
:func:`repair.formats.register` in its own module.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from ..model import Span

# How a suppression directive (README: Suppressing findings) may be written in a format:
#   html     <!-- ungarble: ignore -->
#   bracket  [ungarble: ignore]
#   comment  a comment line starting with #, //, % or ;
DIRECTIVE_STYLES = ("html", "bracket", "comment")


class PositionMap(Protocol):
    """Maps characters start..end of a unit's text to a (start, end) span of the document
    (repair.bilingual.PositionMap is one: unescaped strings of a PO or XLIFF file)."""

    def span(self, start: int, end: int) -> tuple[int, int]: ...


@dataclass(frozen=True)
class Unit:
    """One piece of a document that is checked on its own.

    ``text`` is what the checks read; ``span`` is where the unit lies in the document. When
    ``positions`` is None the text is the document's own characters there (offset ``i`` of the
    unit is ``span.start + i`` of the document); a format whose strings are escaped in the file
    (PO, XLIFF) gives a map instead. ``source`` is the source text the unit translates (None for a
    monolingual text), ``protected`` spans of ``text`` that must not be flagged or edited (inline
    codes), ``key`` what names the unit when a changed text is spliced back into the file.
    """

    text: str
    span: Span
    source: str | None = None
    protected: tuple[Span, ...] = ()
    key: str | None = None
    positions: PositionMap | None = field(default=None, compare=False, repr=False)

    def to_document(self, span: Span) -> Span:
        """A span of ``text`` as a span of the document."""
        if self.positions is None:
            return span.shift(self.span.start)
        return Span(*self.positions.span(span.start, span.end))


@dataclass(frozen=True)
class InputFormat:
    """Plain text unless a subclass says otherwise.

    ``name`` is what ``--input-format`` and ``Options.input_format`` take; ``extensions`` the
    lower-case file suffixes that choose the format (``.md``); ``include`` the patterns a directory
    argument picks up by default; ``directives`` the styles of suppression comments the format
    understands (:data:`DIRECTIVE_STYLES`); ``markup`` what a grammar back end is told the text is
    (``plaintext`` or ``markdown``); ``entities_are_markup`` True when HTML entities (``&amp;``) are
    the format's own syntax, which encoding repair must leave alone.
    """

    name: str
    description: str
    extensions: tuple[str, ...] = ()
    include: tuple[str, ...] = ()
    directives: tuple[str, ...] = DIRECTIVE_STYLES
    markup: str = "plaintext"
    entities_are_markup: bool = False
    # a very large file may be checked in chunks cut at blank lines (repair.chunks): not when a
    # protected region (a fenced code block) can run across a blank line
    chunkable: bool = True

    def protected(self, text: str) -> list[Span]:
        """Spans of ``text`` that are markup or code: checks do not see them (they read blanks
        there, offsets unchanged) and nothing in them is flagged or edited. Sorted."""
        return []

    def examples(self, text: str) -> list[Span]:
        """Spans where a suppression directive is shown, not meant (code): it is not obeyed."""
        return []

    def units(self, text: str) -> list[Unit]:
        """The units of ``text``, in order; by default one: the whole document."""
        return [Unit(text, Span(0, len(text)))]
