"""What the user names is checked once, before any input is read.

* Rule selectors (``--select``, ``--ignore``, the configuration's ``select``, ``ignore``
  and ``per-file-ignores``) must name a rule: a whole id or a dotted prefix of one. An
  unknown one is a usage error naming the closest ids, as ruff's "Unknown rule selector"
  is, so that a typo cannot turn a hook quiet. ``harper.*`` selectors are checked
  against harper-py's own rule list (only when one is given: a ``--grammar none`` run
  never imports Harper); ``languagetool.*`` ids cannot be known without a server and
  are accepted.
* Rule packs are loaded once (a broken pack is one error, not one per input file).
* Word files must be regular files of bounded size, in UTF-8.

Inline suppressions are text, and old text may name retired ids: :func:`unknown_in_text`
returns what they name that matches no rule, for the CLI to mention in a note.
"""
from __future__ import annotations

import difflib
import functools
import os
from typing import TYPE_CHECKING, Iterable, Mapping, Sequence

if TYPE_CHECKING:
    from .config import Settings
    from .options import Options

# Harper's lint kinds: the severities' table, plus the kinds it has no severity for
_EXTRA_HARPER_KINDS = ("WordOrder",)


class SelectorError(ValueError):
    """A rule selector names no rule, or a rule pack is broken; the message says where it was given."""


# --- rule selectors --------------------------------------------------------------------


@functools.lru_cache(maxsize=16)
def known_ids(rules_dirs: tuple[str, ...] = ()) -> frozenset[str]:
    """Every concrete rule id: encoding repair, rule packs (built-in and ``rules_dirs``),
    readability and internal ones. Raises RuleFileError for a broken pack."""
    from .catalog import all_rules

    return frozenset(r.id for r in all_rules(rules_dirs) if not r.pattern)


def harper_kinds() -> frozenset[str]:
    """Harper's lint kinds (no Harper needed): the severities' table and the kinds it lacks."""
    from .checks.harper import SEVERITY

    return frozenset(SEVERITY) | frozenset(_EXTRA_HARPER_KINDS)


@functools.lru_cache(maxsize=4)
def harper_rules(dialect: str = "us") -> frozenset[str] | None:
    """The rule names of the installed harper-py; None when it is not installed.

    Harper builds its linter to list them (about a second): the process-wide linter of
    :mod:`repair.checks.harper` is used, so a run with Harper pays nothing extra.
    """
    try:
        from .checks.harper import linter_for

        return frozenset(linter_for(dialect).get_lint_config())
    except Exception:  # not installed, or not harper-py: the back end says so when asked for
        return None


def _prefixes(ids: Iterable[str]) -> set[str]:
    out: set[str] = set()
    for rule in ids:
        parts = rule.split(".")
        out.update(".".join(parts[:n]) for n in range(1, len(parts) + 1))
    return out


def _harper_problem(selector: str, dialect: str) -> list[str] | None:
    """None when a ``harper`` selector names Harper's rules, else the closest ones."""
    kinds = harper_kinds()
    parts = selector.rstrip(".").split(".")
    if len(parts) == 1 or (len(parts) == 2 and parts[1] in kinds):
        return None   # no rule list needed: harper.<Kind> is checked without Harper
    if parts[1] not in kinds:
        rules = harper_rules(dialect) if len(parts) == 2 else None
        if rules is not None and parts[1] in rules:   # the rule without its kind
            return [f"harper.<Kind>.{parts[1]}"]
        return [f"harper.{k}" for k in difflib.get_close_matches(parts[1], sorted(kinds), n=3, cutoff=0)]
    rules = harper_rules(dialect)
    if rules is None or (len(parts) == 3 and parts[2] in rules):
        return None
    close = difflib.get_close_matches(parts[2], sorted(rules), n=3, cutoff=0)
    return [f"harper.{parts[1]}.{r}" for r in close]


def unknown(selector: str, ids: frozenset[str], dialect: str = "us") -> list[str] | None:
    """None when ``selector`` names a rule (an id or a dotted prefix of one), else the closest ids."""
    sel = selector.rstrip(".")
    head = sel.split(".", 1)[0]
    if head == "languagetool":
        return None
    if head == "harper":
        return _harper_problem(sel, dialect)
    if sel in ids or any(rule.startswith(sel + ".") for rule in ids):
        return None
    candidates = sorted(_prefixes(ids) | {"harper", "languagetool"})
    starting = [c for c in candidates if c.startswith(sel) and c != sel][:3]
    close = difflib.get_close_matches(sel, candidates, n=3, cutoff=0)
    return list(dict.fromkeys(starting + close))[:3]


def check_selectors(selectors: Iterable[str], rules_dirs: Sequence[str], where: str,
                    dialect: str = "us") -> None:
    """Raise :class:`SelectorError` for the first selector that names no rule."""
    ids: frozenset[str] | None = None
    for selector in selectors:
        if ids is None:
            ids = known_ids(tuple(rules_dirs))
        closest = unknown(selector, ids, dialect)
        if closest is not None:
            from .terminal import visible

            hint = f"; did you mean {', '.join(closest)}?" if closest else ""
            raise SelectorError(f"{where}: unknown rule selector {visible(selector)!r}{hint} "
                                "(`ungarble rules` lists every rule)")


def _config_label(path: str | None) -> str:
    if path is None:
        return "configuration"
    return f"{path}: [tool.ungarble]" if os.path.basename(path) == "pyproject.toml" else path


def preflight(cli: Mapping, pairs: Iterable[tuple[Settings | None, Options | None]],
              default_dirs: Sequence[str] = ()) -> None:
    """Before any input is read: load the rule packs each input uses, once, and check every
    selector the flags and the configuration files give. ``pairs`` holds each input's
    (Settings, Options). Raises RuleFileError or SelectorError (both ValueErrors)."""
    from .rulebook import RuleFileError, rules_for

    done: set = set()
    cli_dirs: set[tuple[str, ...]] = set()
    todo: list[tuple[Settings | None, Options | None]] = list(pairs) or [(None, None)]
    for settings, options in todo:
        dirs = tuple(options.rules_dirs) if options is not None else tuple(default_dirs)
        # Harper's rule list comes from its linter: share the one the run builds anyway
        dialect = options.dialect if options is not None and options.grammar == "harper" else "us"
        label = _config_label(getattr(settings, "path", None))
        if dirs not in cli_dirs:
            cli_dirs.add(dirs)
            try:
                rules_for(dirs)
            except RuleFileError as exc:  # say where the packs were named, once for all inputs
                given = "--rules" if cli.get("rules_dirs") or settings is None else f"{label} rules"
                raise SelectorError(f"{given}: {exc}" if dirs else str(exc)) from None
            for flag in ("select", "ignore"):
                check_selectors(cli.get(flag) or (), dirs, f"--{flag}", dialect)
        if settings is None or (id(settings), dirs) in done:
            continue
        done.add((id(settings), dirs))
        for key, value in (("select", settings.select), ("ignore", settings.ignore)):
            check_selectors(value or (), dirs, f"{label} {key}", dialect)
        for glob, selectors in settings.per_file_ignores:
            check_selectors(selectors, dirs, f"{label} per-file-ignores.{glob!r}", dialect)


# --- inline suppressions ---------------------------------------------------------------


def unknown_in_text(text: str, input_format: str, rules_dirs: Sequence[str] = ()) -> list[tuple[int, str]]:
    """(offset, id) of each rule id an inline directive names that matches no rule."""
    if "ungarble:" not in text:
        return []
    from .suppress import directives

    out = []
    for d in directives(text, input_format):
        for selector in d.rules:
            if unknown(selector, known_ids(tuple(rules_dirs))) is not None:
                out.append((d.span.start, selector))
    return out
