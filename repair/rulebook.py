"""Load and validate rule files (YAML) into a small closed set of rule kinds.

Every rule file holds one rule (or several, as YAML documents separated by
``---``). Files are read with ``yaml.SafeLoader`` only. A file with an unknown
key, a bad regex, a missing or malformed example, a duplicate key or a duplicate
rule id is rejected with :class:`RuleFileError`, whose message names the file,
the line and the reason for every problem found.

Matching is bounded: each rule runs under the ``regex`` module's timeout, and
an overrun becomes a :class:`RuleTimeout`, which :func:`run_rules` turns into an
error finding ``internal.rule-timeout`` naming the rule, while the other rules
still run. The budget is per document, not per paragraph (see :class:`RuleBudget`):
after its first timeout a rule is off for the rest of the document (reported once),
and after timeouts in ``RUN_STRIKES`` documents, for the rest of the run.

Speed: :func:`run_rules` asks each rule's ``gate`` first (its kind's exact
``precheck`` on facts computed once per text and shared by all rules, then its
``prefilter`` regex) and runs a rule only where it can fire. On clean prose
almost every rule is skipped on almost every paragraph.
"""
from __future__ import annotations

import contextlib
import functools
import importlib
import os
import pkgutil
import threading
import time
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Iterator, Sequence

import regex

from .model import Finding, Span
from .rulekinds import base as _base
from .rulekinds.base import KINDS, Examples, Facts, Key, LazyRegex, Rule, load_words

TIMEOUT_RULE = "internal.rule-timeout"
# the ids the rule engine emits itself, for `ungarble rules` (repair.checks.rules.catalog)
RULES = {TIMEOUT_RULE: {"safety": "flag", "severity": "error",
                        "description": "A rule's pattern ran past its time budget and was stopped."}}
DEFAULT_TIMEOUT = 1.0
MAX_TIMEOUT = 30.0

_ID_RE = regex.compile(r"^[a-z][a-z0-9\-]*(?:\.[a-zA-Z0-9][a-zA-Z0-9\-]*)+$")

COMMON_KEYS = {
    "id": Key("str", required=True, doc="dotted rule id, e.g. mt.doubled-verb"),
    "kind": Key("str", required=True, doc="one of the rule kinds"),
    "message": Key("str", required=True, doc="shown to the user; {match} is the matched text"),
    "severity": Key("str", default="warning", choices=("error", "warning", "info")),
    "safety": Key("str", required=True, choices=("safe", "suggest", "flag")),
    "examples": Key("examples", required=True),
    "description": Key("str", default=""),
    "timeout": Key("float", default=DEFAULT_TIMEOUT, doc="seconds of matching allowed per text"),
    "prefilter": Key("regex", doc="a cheap regex that matches wherever the rule can fire; "
                                  "the rule only runs on texts where it matches"),
}


# kinds that chose their algorithm with a key, and the kinds that replace them
RETIRED_KINDS = {
    "quotes": "quotes-unbalanced, quotes-hanging-end, quotes-unfinished-end, quotes-unclosed-start "
              "or quotes-mixed (for mode: unbalanced, hanging-end, unfinished-end, unclosed-start, mixed)",
    "script": "script-run or script-mixed-word (for mode: run, mixed-word)",
    "duplicate": "duplicate-paragraph, near-duplicate-paragraph, duplicate-block or duplicate-sentence "
                 "(for unit: paragraph with match: exact or near, unit: block, unit: sentence)",
}


@functools.lru_cache(maxsize=64)
def _is_builtin(folder: Path) -> bool:
    """Is ``folder`` (a rule file's) inside the built-in packs?"""
    try:
        folder.resolve().relative_to(builtin_rules_dir().resolve())
    except ValueError:
        return False
    return True


def builtin_rules_dir() -> Path:
    """Where the built-in packs live: ``repair/_rules`` in a wheel, ``rules/`` in a checkout."""
    packaged = Path(__file__).parent / "_rules"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "rules"


@dataclass(frozen=True)
class Problem:
    path: str
    line: int
    reason: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.reason}"


class RuleFileError(ValueError):
    """One or more rule files are invalid; ``problems`` lists (path, line, reason)."""

    def __init__(self, problems: Sequence[Problem]):
        self.problems = list(problems)
        super().__init__("invalid rule file(s):\n" + "\n".join(f"  {p}" for p in self.problems))


class RuleTimeout(RuntimeError):
    """A rule's matching ran past its time budget."""

    def __init__(self, rule: Rule, what: str = ""):
        self.rule = rule
        super().__init__(
            f"rule {rule.id} ({rule.path}:{rule.line}) "
            + (what or f"ran longer than {rule.timeout:g}s and was stopped; its pattern probably "
                       "backtracks catastrophically; it is off for the rest of this document")
        )


def _import_kinds() -> None:
    from . import rulekinds

    for info in pkgutil.iter_modules(rulekinds.__path__):
        importlib.import_module(f"{rulekinds.__name__}.{info.name}")


# --------------------------------------------------------------------------
# rule files


# Bounds on what a rule file may hold: a rule pack is a few small files, so anything
# beyond these is a mistake or an attack (see also repair.ruleyaml's bounds).
MAX_RULE_FILE_BYTES = 1_000_000
MAX_PACK_ENTRIES = 10_000        # files and folders visited under one --rules directory


def _documents(path: Path, problems: list) -> list[tuple[Any, dict]]:
    file = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_RULE_FILE_BYTES:
            problems.append(Problem(file, 0, f"rule file too large ({size:,} bytes; at most "
                                             f"{MAX_RULE_FILE_BYTES:,})"))
            return []
        stream = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(Problem(file, 0, f"cannot read: {exc}"))
        return []
    from .ruleyaml import documents

    found: list[tuple[int, str]] = []
    docs = documents(stream, found)
    problems.extend(Problem(file, line, reason) for line, reason in found)
    if not docs and not found:
        problems.append(Problem(file, 1, "empty rule file: it holds no rule"))
    return docs


def _builtin_documents(directory: Path, paths: list[Path], problems: list) -> dict[Path, list] | None:
    """The built-in packs' documents, from :mod:`repair.cache` when it holds these very
    files (else parsed, and kept there when they parse cleanly). None when a file cannot be
    read: the caller reads them one by one and reports it."""
    from . import cache

    try:
        files = [(path.relative_to(directory).as_posix(), path.read_bytes()) for path in paths]
    except (OSError, ValueError):
        return None
    key = cache.key(files)
    cached = cache.load(key)
    if cached is not None and set(cached) == {name for name, _ in files}:
        return {path: cached[name] for path, (name, _) in zip(paths, files)}
    start = len(problems)
    parsed = {path: _documents(path, problems) for path in paths}
    if len(problems) == start:
        cache.store(key, {name: parsed[path] for path, (name, _) in zip(paths, files)})
    return parsed


# --------------------------------------------------------------------------
# validation


def _convert(name: str, key: Key, value: Any, base: Path, flags: int, builtin: bool) -> Any:
    t = key.type
    if t == "str":
        if not isinstance(value, str):
            raise ValueError(f"{name!r} must be a string")
    elif t == "bool":
        if not isinstance(value, bool):
            raise ValueError(f"{name!r} must be true or false")
    elif t == "int":
        if not isinstance(value, int) or isinstance(value, bool):
            raise ValueError(f"{name!r} must be an integer")
    elif t == "float":
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            raise ValueError(f"{name!r} must be a number")
        value = float(value)
    elif t == "regex":
        if not isinstance(value, str):
            raise ValueError(f"{name!r} must be a regular expression (string)")
        if builtin:
            value = LazyRegex(value, flags)  # compiled on first use; the tests compile every one
        else:
            try:
                value = regex.compile(value, flags)
            except regex.error as exc:
                raise ValueError(f"bad regex in {name!r}: {exc}") from None
    elif t == "words":
        value = load_words(value, base)
    elif t == "strlist":
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ValueError(f"{name!r} must be a list of strings")
        value = tuple(value)
    elif t == "strmap":
        if not isinstance(value, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
            raise ValueError(f"{name!r} must be a mapping of strings to strings")
    else:  # pragma: no cover - programming error in a kind
        raise AssertionError(t)
    if key.choices and value not in key.choices:
        raise ValueError(f"{name!r} must be one of {', '.join(map(str, key.choices))}, not {value!r}")
    return value


EXAMPLE_KEYS = ("bad", "fixed", "fixed_unsafe", "good", "known_failures", "fires_on_good_of")


def _examples(value: Any, safety: str, lines: dict, file: str, problems: list) -> Examples | None:
    where = lines.get(("examples",), 0)
    if not isinstance(value, dict):
        problems.append(Problem(file, where, "'examples' must be a mapping with 'bad', 'good' (and 'fixed', "
                                             "'fixed_unsafe', 'known_failures', 'fires_on_good_of')"))
        return None
    ok = True
    for key in value:
        if key not in EXAMPLE_KEYS:
            problems.append(Problem(file, lines.get(("examples", key), where),
                                    f"unknown key {key!r} in examples (expected {', '.join(EXAMPLE_KEYS)})"))
            ok = False
    lists = {}
    for key in EXAMPLE_KEYS:
        items = value.get(key)
        if items is None:
            lists[key] = ()
            continue
        if not isinstance(items, list) or not all(isinstance(v, str) for v in items):
            problems.append(Problem(file, lines.get(("examples", key), where), f"examples.{key} must be a list of strings"))
            ok = False
            continue
        lists[key] = tuple(items)
    if not ok:
        return None
    if not lists["bad"]:
        problems.append(Problem(file, where, "rule has no 'bad' examples (every rule needs texts it fires on)"))
        ok = False
    if not lists["good"]:
        problems.append(Problem(file, where, "rule has no 'good' examples (every rule needs texts it must leave alone)"))
        ok = False
    if safety != "flag":
        if len(lists["fixed"]) != len(lists["bad"]):
            problems.append(Problem(file, lines.get(("examples", "fixed"), where),
                                    f"examples.fixed must give the text `fix` makes of each of the "
                                    f"{len(lists['bad'])} bad examples"))
            ok = False
        if "fixed_unsafe" in value and len(lists["fixed_unsafe"]) != len(lists["bad"]):
            problems.append(Problem(file, lines.get(("examples", "fixed_unsafe"), where),
                                    f"examples.fixed_unsafe must give the text `fix --unsafe` makes of each of "
                                    f"the {len(lists['bad'])} bad examples"))
            ok = False
    else:
        for key in ("fixed", "fixed_unsafe"):
            if lists[key]:
                problems.append(Problem(file, lines.get(("examples", key), where),
                                        f"a flag-only rule makes no edits, so it takes no {key!r} examples"))
                ok = False
    if not ok:
        return None
    # fixed_unsafe left out: --unsafe makes the same text (every edit of the examples is safe)
    unsafe = lists["fixed_unsafe"] if "fixed_unsafe" in value else lists["fixed"]
    return Examples(lists["bad"], lists["fixed"], lists["good"], unsafe, lists["known_failures"],
                    lists["fires_on_good_of"])


def _build(data: Any, lines: dict, path: Path, problems: list) -> Rule | None:
    file = str(path)
    if not isinstance(data, dict):
        problems.append(Problem(file, lines.get((), 1), "a rule must be a YAML mapping"))
        return None
    start = len(problems)
    kind_name = data.get("kind")
    cls = KINDS.get(kind_name) if isinstance(kind_name, str) else None
    if cls is None and kind_name in RETIRED_KINDS:
        problems.append(Problem(file, lines.get(("kind",), lines.get((), 1)),
                                f"kind {kind_name!r} was split into one kind per algorithm: "
                                f"use {RETIRED_KINDS[kind_name]}"))
    elif cls is None:
        problems.append(Problem(file, lines.get(("kind",), lines.get((), 1)),
                                f"unknown or missing kind {kind_name!r} (known: {', '.join(sorted(KINDS))})"))
    accepted = dict(COMMON_KEYS)
    if cls is not None:
        accepted.update(cls.KEYS)
    for key in data if cls is not None else ():
        if key not in accepted:
            problems.append(Problem(file, lines.get((key,), 0), f"unknown key {key!r}"
                                    + (f" for kind {kind_name!r}" if cls else "")))
    for key, spec in accepted.items():
        if spec.required and key not in data:
            problems.append(Problem(file, lines.get((), 1), f"missing required key {key!r}"))
    if len(problems) > start or cls is None:
        return None
    flags = regex.IGNORECASE if data.get("ignorecase") is True else 0
    builtin = _is_builtin(path.parent)  # its patterns compile on first use (the tests compile them)
    values: dict[str, Any] = {}
    for key, spec in accepted.items():
        if key == "examples":
            continue
        if key not in data:
            values[key] = spec.default
            continue
        try:
            values[key] = _convert(key, spec, data[key], path.parent, flags, builtin)
        except ValueError as exc:
            problems.append(Problem(file, lines.get((key,), 0), str(exc)))
    rid = values.get("id")
    if isinstance(rid, str) and not _ID_RE.match(rid):
        problems.append(Problem(file, lines.get(("id",), 0),
                                f"bad id {rid!r}: use dotted lower-case words such as 'mt.doubled-verb'"))
    timeout = values.get("timeout")
    if isinstance(timeout, float) and not 0 < timeout <= MAX_TIMEOUT:
        problems.append(Problem(file, lines.get(("timeout",), 0), f"timeout must be in (0, {MAX_TIMEOUT:g}] seconds"))
    message = values.get("message")
    if isinstance(message, str):
        for name in regex.findall(r"\{([^{}]*)\}", message):
            if name not in _base.COMMON_PLACEHOLDERS and name not in cls.PLACEHOLDERS:
                problems.append(Problem(file, lines.get(("message",), 0),
                                        f"unknown placeholder {{{name}}} in message (known: "
                                        f"{', '.join(_base.COMMON_PLACEHOLDERS + cls.PLACEHOLDERS)})"))
    examples = _examples(data["examples"], data.get("safety", ""), lines, file, problems)
    if len(problems) > start or examples is None:
        return None
    params = cls.Params(**{k: v for k, v in values.items() if k not in COMMON_KEYS})
    rule = cls(
        id=values["id"], message=values["message"], severity=values["severity"], safety=values["safety"],
        examples=examples, path=file, line=lines.get(("id",), 1), timeout=values["timeout"],
        description=values["description"], params=params, scope=cls.SCOPE,
        prefilter=values["prefilter"], builtin=builtin,
    )
    try:
        rule.setup()
    except ValueError as exc:
        problems.append(Problem(file, lines.get((), 1), str(exc)))
        return None
    return rule


def rule_files(directory: Path) -> list[Path]:
    """The rule files under ``directory`` (links to folders are not followed).

    Raises :class:`RuleFileError` when the folder holds more than ``MAX_PACK_ENTRIES``
    entries: that is not a rule pack (``rules = ["/"]`` would search the whole disk).
    """
    found: list[Path] = []
    visited = 0
    for root, dirs, files in os.walk(directory):
        dirs.sort()
        visited += len(dirs) + len(files)
        if visited > MAX_PACK_ENTRIES:
            raise RuleFileError([Problem(str(directory), 0, f"more than {MAX_PACK_ENTRIES:,} files and folders "
                                                            "under it: not a rule pack")])
        found.extend(Path(root, name) for name in files if name.endswith((".yaml", ".yml")))
    return sorted(p for p in found if p.is_file())


def load_rules(dirs: Iterable[str | Path] = (), builtin: bool = True) -> list[Rule]:
    """Load the built-in packs (unless ``builtin=False``) and every extra directory.

    Raises :class:`RuleFileError` listing every problem found.
    """
    _import_kinds()
    problems: list[Problem] = []
    directories = ([builtin_rules_dir()] if builtin else []) + [Path(d) for d in dirs]
    rules: list[Rule] = []
    seen: dict[str, Rule] = {}
    for directory in directories:
        if not directory.is_dir():
            problems.append(Problem(str(directory), 0, "rules directory not found"))
            continue
        try:
            paths = rule_files(directory)
        except RuleFileError as exc:
            problems.extend(exc.problems)
            continue
        parsed = _builtin_documents(directory, paths, problems) if builtin and directory is directories[0] else None
        for path in paths:
            for data, lines in (parsed[path] if parsed is not None else _documents(path, problems)):
                rule = _build(data, lines, path, problems)
                if rule is None:
                    continue
                if rule.id in seen:
                    other = seen[rule.id]
                    problems.append(Problem(rule.path, rule.line,
                                            f"duplicate rule id {rule.id!r} (also in {other.path}:{other.line})"))
                    continue
                seen[rule.id] = rule
                rules.append(rule)
    if problems:
        raise RuleFileError(problems)
    return rules


@functools.lru_cache(maxsize=16)
def _cached(dirs: tuple[str, ...]) -> tuple[Rule, ...]:
    return tuple(load_rules(dirs))


def rules_for(dirs: Sequence[str] = ()) -> tuple[Rule, ...]:
    """All rules (built-in plus ``dirs``), loaded once per set of directories."""
    return _cached(tuple(str(Path(d).resolve()) for d in dirs))


# --------------------------------------------------------------------------
# running


def timeout_finding(exc: RuleTimeout) -> Finding:
    """The error finding that stands for a rule stopped by its time budget."""
    return Finding(TIMEOUT_RULE, _base.SOURCE, "error", str(exc), Span(0, 0), "")


# A rule may spend this many times its ``timeout`` on one document, or ``timeout`` per
# CHARS_PER_TIMEOUT characters of it when that is more (a rule costs well under a microsecond
# a character: the slowest built-in one about 0.2).
DOC_BUDGET_TIMEOUTS = 5
CHARS_PER_TIMEOUT = 200_000
# After timing out in this many documents of one run (process), a rule is off for the rest of it.
RUN_STRIKES = 3
_strikes: dict[tuple[str, str], int] = {}
_strikes_lock = threading.Lock()


class RuleBudget:
    """What each rule may still spend on one document, and which rules are off for it."""

    def __init__(self, chars: int = 0) -> None:
        self.chars = chars
        self.spent: dict[int, float] = {}
        self.off: set[int] = set()

    def allowance(self, rule: Rule) -> float:
        return rule.timeout * max(DOC_BUDGET_TIMEOUTS, self.chars / CHARS_PER_TIMEOUT)


_BUDGET: ContextVar[RuleBudget | None] = ContextVar("ungarble_rule_budget", default=None)


@contextlib.contextmanager
def document_budget(text: str) -> Iterator[RuleBudget]:
    """Run every :func:`run_rules` call inside as part of one document (e.g. its paragraphs)."""
    budget = RuleBudget(len(text))
    token = _BUDGET.set(budget)
    try:
        yield budget
    finally:
        _BUDGET.reset(token)


def _strike(rule: Rule) -> None:
    with _strikes_lock:
        _strikes[rule.id, rule.path] = _strikes.get((rule.id, rule.path), 0) + 1


def reset_strikes() -> None:
    """Forget the timeouts of this run (a new run starts with every rule on)."""
    with _strikes_lock:
        _strikes.clear()


def spent_what(allowance: float) -> str:
    return f"used up its time budget for this document ({allowance:.3g}s) and is off for the rest of it"


def run_rules(rules: Iterable[Rule], text: str) -> list[Finding]:
    """Run rules over one text, in order; a rule that times out yields an error finding naming it.

    Each rule's ``gate`` (exact prechecks on facts shared by all rules) decides first
    whether it can fire at all; the findings are the same as running every rule.
    Inside :func:`document_budget` the text is part of that document: a rule that timed out
    (or spent its budget) on an earlier part does not run again, and is not reported again.
    """
    found: list[Finding] = []
    facts = Facts(text)
    budget = _BUDGET.get() or RuleBudget(len(text))
    for rule in rules:
        key = id(rule)
        if key in budget.off:
            continue
        if _strikes.get((rule.id, rule.path), 0) >= RUN_STRIKES:
            budget.off.add(key)
            found.append(timeout_finding(RuleTimeout(rule, f"timed out in {RUN_STRIKES} documents of this run "
                                                           "and is off for the rest of it; not run here")))
            continue
        left = budget.allowance(rule) - budget.spent.get(key, 0.0)
        if left <= 0:
            budget.off.add(key)
            found.append(timeout_finding(RuleTimeout(rule, spent_what(budget.allowance(rule)))))
            continue
        token = _base.LIMIT.set((rule, left)) if left < rule.timeout else None
        start = time.perf_counter()
        try:
            if not rule.gate(text, facts):
                continue
            found.extend(rule.find(text))
        except TimeoutError:
            budget.off.add(key)
            if token is None:
                _strike(rule)
                found.append(timeout_finding(RuleTimeout(rule)))
            else:  # stopped by what was left of its budget, not by its own timeout
                found.append(timeout_finding(RuleTimeout(rule, spent_what(budget.allowance(rule)))))
        finally:
            budget.spent[key] = budget.spent.get(key, 0.0) + time.perf_counter() - start
            if token is not None:
                _base.LIMIT.reset(token)
    return found
