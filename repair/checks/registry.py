"""The sources of findings ungarble knows, in one table: adding a check source is one module
plus one :func:`register` call (or one entry in ``BUILTIN``).

A :class:`Source` is data: its name (the ``source`` of its findings), the module that holds
it, its rank in merging, whether it is a ``--grammar`` back end, which of its rule ids are
spelling findings and whether its findings count towards the garble score. The module is
imported only when the source is built (``build(options) -> list of checks``) or listed
(``ungarble rules`` reads its ``RULES``), so a back end nobody asked for costs nothing at
start-up. Everything that used to name sources one by one is derived from this table:
``build_checks``, the ``--grammar`` choices of the CLI and the configuration file, merge
ranking, the spelling-finding filter, the score's ignored sources, and the rule catalog.

A module's ``RULES`` is ``{rule id: {"severity": ..., "safety": ..., "description": ...}}``
with any other field of :class:`repair.catalog.RuleInfo` (``message``; ``pattern: True`` for
an id such as ``harper.*`` that stands for a family), or a function of the extra rule folders
returning that (rule packs); :mod:`repair.catalog` collects them.
"""
from __future__ import annotations

import re
from collections.abc import Iterator, Set
from typing import TYPE_CHECKING, Any, Callable, NamedTuple, Sequence

if TYPE_CHECKING:  # pragma: no cover
    from ..options import Options
    from . import Check

NO_GRAMMAR = "none"   # the --grammar choice that builds no grammar back end
DEFAULT_RANK = 4      # findings of a source not in the table (none today) lead the merge


class Source(NamedTuple):  # a NamedTuple, not a dataclass: this module loads on every start-up
    """One source of findings. Attribute names (``build``, ``catalog``, ``ready``) name
    attributes of ``module``, looked up only when they are used."""

    name: str                    # the ``source`` of its findings
    module: str                  # the module that holds it (imported lazily)
    rank: int = DEFAULT_RANK     # on one spot, the finding of the highest rank leads the merge
    grammar: bool = False        # a --grammar back end: built only when chosen; never in the score
    spelling: str = ""           # regex: its rule ids (re.match) that say "not in my dictionary"
    scored: bool = True          # its findings weigh in the garble score (grammar back ends never do)
    build: str | None = "build"  # options -> checks; None: the pipeline runs it itself (ftfy, the engine)
    catalog: str = "RULES"       # its rule ids' metadata (see the module docstring)
    ready: str | None = None     # options -> None, raising BackendUnavailable: a cheap "can it run here"

    def attr(self, name: str) -> Any:
        # __import__, not importlib.import_module: `python -X importtime` sees only the former
        return getattr(__import__(self.module, fromlist=["_"]), name)

    def checks(self, options: "Options") -> Sequence["Check"]:
        return tuple(self.attr(self.build)(options)) if self.build else ()


# Order matters twice: checks run in this order (grammar back ends last), and pattern
# entries (harper.*, languagetool.*) close `ungarble rules` in this order.
BUILTIN: tuple[Source, ...] = (
    Source("ftfy", "repair.encoding", build=None),            # the pipeline repairs encoding first
    Source("rules", "repair.checks.rules", rank=3, catalog="catalog"),
    Source("readability", "repair.checks.readability", scored=False),
    Source("garble", "repair.checks.garble", scored=False),   # mt.garbled-sentence; not with --grammar none
    Source("source", "repair.checks.source", build=None),  # check_pair, on units with a source text only
    Source("harper", "repair.checks.harper", rank=1, grammar=True, spelling=r"harper\.Spelling",
           ready="ready"),
    Source("languagetool", "repair.checks.languagetool", rank=2, grammar=True,
           spelling=r"languagetool\.(?:.*\.)?(?i:MORFOLOGIK_RULE[^.]*|[^.]*SPELL[^.]*)$"),
    Source("ungarble", "repair.pipeline", build=None),        # the engine's own findings (internal.unstable)
)

_SOURCES: dict[str, Source] = {s.name: s for s in BUILTIN}
_derived: dict[str, Any] = {}


def register(source: Source) -> Source:
    """Add (or replace) a source; everything derived from the table follows."""
    if not source.name or source.name == NO_GRAMMAR or not re.fullmatch(r"[A-Za-z0-9_-]+", source.name):
        raise ValueError(f"not a usable source name: {source.name!r}")
    _SOURCES[source.name] = source
    _derived.clear()
    return source


def unregister(name: str) -> None:
    _SOURCES.pop(name, None)
    _derived.clear()


def sources() -> tuple[Source, ...]:
    return tuple(_SOURCES.values())


def get(name: str) -> Source | None:
    return _SOURCES.get(name)


def _memo(key: str, make: Callable[[], Any]) -> Any:
    if key not in _derived:
        _derived[key] = make()
    return _derived[key]


def grammar_names() -> tuple[str, ...]:
    """The grammar back ends, in table order."""
    return _memo("grammar", lambda: tuple(s.name for s in _SOURCES.values() if s.grammar))


def grammar_choices() -> tuple[str, ...]:
    """What ``--grammar`` and ``grammar =`` accept: every grammar back end, then ``none``."""
    return grammar_names() + (NO_GRAMMAR,)


def rank(name: str) -> int:
    """A source's rank in merging (higher leads)."""
    ranks = _memo("rank", lambda: {s.name: s.rank for s in _SOURCES.values()})
    return ranks.get(name, DEFAULT_RANK)


def is_spelling(rule: str) -> bool:
    """Whether any source declares ``rule`` one of its spelling ids."""
    pattern = _memo("spelling", lambda: re.compile("|".join(
        f"(?:{s.spelling})" for s in _SOURCES.values() if s.spelling) or r"(?!)"))
    return pattern.match(rule) is not None


class _Names(Set):
    """A live set of source names chosen by ``test`` (it follows :func:`register`)."""

    def __init__(self, key: str, test: Callable[[Source], bool]) -> None:
        self._key, self._test = key, test

    def _names(self) -> frozenset[str]:
        return _memo(self._key, lambda: frozenset(s.name for s in _SOURCES.values() if self._test(s)))

    def __contains__(self, name: object) -> bool:
        return name in self._names()

    def __iter__(self) -> Iterator[str]:
        return iter(self._names())

    def __len__(self) -> int:
        return len(self._names())

    def __repr__(self) -> str:
        return f"{type(self).__name__}({sorted(self._names())})"


GRAMMAR_SOURCES: Set[str] = _Names("grammar-set", lambda s: s.grammar)
UNSCORED_SOURCES: Set[str] = _Names("unscored", lambda s: s.grammar or not s.scored)


def build(options: "Options") -> list["Check"]:
    """The checks ``options`` ask for: every source that is not a grammar back end, then the
    chosen back end. Raises ValueError for a grammar back end nobody registered."""
    if options.grammar not in grammar_choices():
        raise ValueError(f"unknown grammar back end {options.grammar!r} "
                         f"(known: {', '.join(grammar_choices())})")
    chosen = [s for s in _SOURCES.values() if s.build and (not s.grammar or s.name == options.grammar)]
    built: dict[str, Sequence[Check]] = {}
    # the grammar back end first: Harper's dictionary builds while the rest loads
    for source in sorted(chosen, key=lambda s: not s.grammar):
        built[source.name] = source.checks(options)
    return [check for source in sorted(chosen, key=lambda s: s.grammar) for check in built[source.name]]


def make_ready(options: "Options") -> bool:
    """Run the chosen grammar back end's cheap availability check (raising BackendUnavailable);
    False when it declares none (build it to find out) or no back end is chosen."""
    source = get(options.grammar)
    if source is None or not source.grammar or source.ready is None:
        return False
    source.attr(source.ready)(options)
    return True
