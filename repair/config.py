"""Configuration files: ``[tool.ungarble]`` in ``pyproject.toml``, or ``.ungarble.toml``.

Each input file uses the nearest configuration found by walking up from its
folder, as ruff does: in each folder ``.ungarble.toml`` wins, then
``ungarble.toml``, then a ``pyproject.toml`` that has a ``[tool.ungarble]``
table (one without it is passed over). Nothing is merged between levels.
Paths in a file (rule folders, word lists, LanguageTool) are relative to it.
Command-line flags override the file. An unknown key or a bad value raises
:class:`ConfigError` naming the file and the key.
"""
from __future__ import annotations

import dataclasses
import fnmatch
import functools
import math
import os
import stat
import sys
from dataclasses import dataclass, field
from typing import Any, Mapping

from .options import Options

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

CONFIG_NAMES = (".ungarble.toml", "ungarble.toml", "pyproject.toml")
SEVERITY_LEVELS = ("error", "warning", "info", "never")
DIALECTS = ("us", "gb", "ca", "au", "in")
MAX_CONFIG_BYTES = 1_000_000


class ConfigError(ValueError):
    """A configuration file cannot be used; the message names the file and the key."""


@dataclass(frozen=True)
class Settings:
    """What one configuration file (or none) says, with paths made absolute."""

    path: str | None = None              # the file it came from
    root: str = "."                      # its folder: globs are relative to it
    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] | None = None
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    fail_on: str | None = None
    safety: str | None = None            # "safe" or "suggest" (= --unsafe)
    rules: tuple[str, ...] | None = None
    accept_words: frozenset[str] = field(default_factory=frozenset)
    grammar: str | None = None
    languagetool_url: str | None = None
    languagetool_dir: str | None = None
    languagetool_timeout: float | None = None
    languagetool_deadline: float | None = None
    dialect: str | None = None
    include: tuple[str, ...] | None = None
    exclude: tuple[str, ...] | None = None
    uncurl_quotes: bool | None = None
    keep_ligatures: bool | None = None
    readability: tuple[tuple[str, float], ...] | None = None
    source_field: str | None = None      # a CSV/TSV/JSONL file is a translation table (formats/tables.py)
    target_field: str | None = None
    source_language: str | None = None   # languages of a translation (repair/bilingual/language.py)
    target_language: str | None = None
    source_files: tuple[tuple[str, str], ...] = ()  # target pattern -> source pattern (bilingual/paired.py)
    glossary: tuple | None = None        # repair.bilingual.glossary entries, read from the file named
    do_not_translate: tuple[str, ...] | None = None
    consistency: str | None = None       # "file" or "run" (source.inconsistent)

    def ignores_for(self, path: str) -> tuple[str, ...]:
        """Rule ids the per-file-ignores give ``path`` (matched relative to the config's folder)."""
        if not self.per_file_ignores or path == "-":
            return ()
        absolute = os.path.abspath(path)
        rel = os.path.relpath(absolute, self.root).replace(os.sep, "/")
        base = os.path.basename(absolute)
        out: list[str] = []
        for pattern, rules in self.per_file_ignores:
            pat = pattern[2:] if pattern.startswith("./") else pattern
            if fnmatch.fnmatchcase(rel, pat) or ("/" not in pat and fnmatch.fnmatchcase(base, pat)) \
                    or (pat.endswith("/") and rel.startswith(pat)):
                out.extend(rules)
        return tuple(out)


# key -> (kind, Settings field); kinds are checked by _value
KEYS: dict[str, tuple[str, str]] = {
    "select": ("ids", "select"),
    "ignore": ("ids", "ignore"),
    "per-file-ignores": ("globmap", "per_file_ignores"),
    "fail-on": (f"choice:{','.join(SEVERITY_LEVELS)}", "fail_on"),
    "safety": ("choice:safe,suggest", "safety"),
    "rules": ("dirs", "rules"),
    "accept-words": ("words", "accept_words"),
    "accept-words-file": ("wordfile", "accept_words"),
    "grammar": ("grammar", "grammar"),
    "languagetool-url": ("url", "languagetool_url"),
    "languagetool-dir": ("dir", "languagetool_dir"),
    "languagetool-timeout": ("seconds", "languagetool_timeout"),
    "languagetool-deadline": ("seconds", "languagetool_deadline"),
    "dialect": (f"choice:{','.join(DIALECTS)}", "dialect"),
    "include": ("globs", "include"),
    "exclude": ("globs", "exclude"),
    "uncurl-quotes": ("bool", "uncurl_quotes"),
    "keep-ligatures": ("bool", "keep_ligatures"),
    "readability": ("thresholds", "readability"),
    "source-field": ("field", "source_field"),
    "target-field": ("field", "target_field"),
    "source-language": ("language", "source_language"),
    "target-language": ("language", "target_language"),
    "source-files": ("pathmap", "source_files"),
    "glossary": ("glossary", "glossary"),
    "do-not-translate": ("globs", "do_not_translate"),
    "consistency": ("choice:file,run", "consistency"),
}


def _strings(value: Any, where: str) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ConfigError(f"{where}: expected a list of strings, got {value!r}")
    return tuple(v.strip() for v in value)


def _value(kind: str, value: Any, where: str, root: str) -> Any:
    if kind == "grammar":  # the back ends registered when the file is read
        from .checks.registry import grammar_choices

        kind = f"choice:{','.join(grammar_choices())}"
    if kind.startswith("choice:"):
        choices = kind[7:].split(",")
        if value not in choices:
            raise ConfigError(f"{where}: expected one of {', '.join(choices)}, got {value!r}")
        return value
    if kind == "field":
        if not isinstance(value, str) or not value.strip():
            raise ConfigError(f"{where}: expected a column name, got {value!r}")
        return value
    if kind == "language":
        from .bilingual.language import is_tag

        if not is_tag(value):
            raise ConfigError(f"{where}: expected a language tag such as 'ja' or 'pt-BR', got {value!r}")
        return value
    if kind == "pathmap":
        from .bilingual.paired import parse_source_files

        try:
            return parse_source_files(value)
        except ValueError as exc:
            raise ConfigError(f"{where}: {exc}") from None
    if kind == "bool":
        if not isinstance(value, bool):
            raise ConfigError(f"{where}: expected true or false, got {value!r}")
        return value
    if kind == "ids":
        ids = tuple(v for item in _strings(value, where) for v in (p.strip() for p in item.split(",")) if v)
        for rule in ids:
            if not all(part and all(c.isalnum() or c in "-_" for c in part) for part in rule.rstrip(".").split(".")):
                raise ConfigError(f"{where}: {rule!r} is not a rule id or prefix")
        return ids
    if kind == "globs":
        return _strings(value, where)
    if kind == "globmap":
        if not isinstance(value, dict):
            raise ConfigError(f"{where}: expected a table of glob = [rule ids], got {value!r}")
        return tuple((glob, _value("ids", rules, f"{where}.{glob!r}", root)) for glob, rules in value.items())
    if kind == "words":
        return frozenset(_strings(value, where))
    if kind == "wordfile":
        if not isinstance(value, str):
            raise ConfigError(f"{where}: expected a file name, got {value!r}")
        from .wordlists import read_word_set

        try:  # a regular UTF-8 file of bounded size (not /dev/zero)
            return read_word_set(os.path.join(root, value), where)
        except ValueError as exc:
            raise ConfigError(str(exc)) from None
    if kind == "dirs":
        dirs = tuple(os.path.normpath(os.path.join(root, d)) for d in _strings(value, where))
        for d in dirs:
            if not os.path.isdir(d):
                raise ConfigError(f"{where}: no such directory {d!r}")
        return dirs
    if kind == "dir":
        if not isinstance(value, str) or not value:
            raise ConfigError(f"{where}: expected a folder name, got {value!r}")
        return os.path.normpath(os.path.join(root, value))
    if kind == "url":
        if not isinstance(value, str) or not value.startswith(("http://", "https://")):
            raise ConfigError(f"{where}: expected an http(s) URL, got {value!r}")
        return value
    if kind == "seconds":
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not positive_seconds(value):
            raise ConfigError(f"{where}: expected a number of seconds above 0, got {value!r}")
        return float(value)
    if kind == "thresholds":
        return _thresholds(value, where)
    if kind == "glossary":
        if not isinstance(value, str) or not value.strip():
            raise ConfigError(f"{where}: expected a file name, got {value!r}")
        from .bilingual.glossary import GlossaryError, read

        try:  # read once per configuration file and run (load is cached)
            return read(os.path.join(root, value), where)
        except GlossaryError as exc:
            raise ConfigError(str(exc)) from None
    raise AssertionError(kind)  # pragma: no cover


def positive_seconds(value: float) -> bool:
    """A finite number of seconds above 0 (and at most a day)."""
    return math.isfinite(value) and 0 < value <= 86400


def _thresholds(value: Any, where: str) -> tuple[tuple[str, float], ...]:
    """``[tool.ungarble.readability]``: the fields of ReadabilityThresholds, dashed, as numbers."""
    from .checks.readability import ReadabilityThresholds

    fields = {f.name: f.type for f in dataclasses.fields(ReadabilityThresholds)}
    if not isinstance(value, dict):
        raise ConfigError(f"{where}: expected a table of thresholds, got {value!r}")
    out = []
    for raw, number in value.items():
        name = raw.replace("-", "_")
        if name not in fields:
            known = ", ".join(sorted(n.replace("_", "-") for n in fields))
            raise ConfigError(f"{where}: unknown key {raw!r} (known keys: {known})")
        integral = fields[name] in (int, "int")
        if isinstance(number, bool) or not isinstance(number, (int, float)) or (integral and not isinstance(number, int)):
            raise ConfigError(f"{where}.{raw}: expected {'a whole number' if integral else 'a number'}, got {number!r}")
        low, inclusive = THRESHOLD_MINIMUM.get(name, (None, True))
        if not math.isfinite(number) or (low is not None and (number < low if inclusive else number <= low)):
            bound = "" if low is None else f" {'at least' if inclusive else 'above'} {low:g}"
            raise ConfigError(f"{where}.{raw}: expected a finite number{bound}, got {number!r}")
        out.append((name, number))
    return tuple(out)


# the smallest sensible value of each readability threshold: (bound, inclusive); 0 words
# or a factor of 0 would call every sentence long
THRESHOLD_MINIMUM: dict[str, tuple[float, bool]] = {
    "min_long_words": (1, True),
    "long_factor": (0, False),
    "flesch_margin": (0, True),
    "min_hard_words": (1, True),
    "min_sentences": (1, True),
}


def parse(table: Mapping[str, Any], path: str) -> Settings:
    """Validate one ``[tool.ungarble]`` table (or a whole ``.ungarble.toml``)."""
    root = os.path.dirname(os.path.abspath(path))
    prefix = "[tool.ungarble] " if os.path.basename(path) == "pyproject.toml" else ""
    values: dict[str, Any] = {}
    for raw_key, value in table.items():
        key = raw_key.replace("_", "-")
        where = f"{path}: {prefix}{raw_key}"
        if key not in KEYS:
            known = ", ".join(sorted(KEYS))
            raise ConfigError(f"{path}: unknown key {prefix}{raw_key!r} (known keys: {known})")
        kind, name = KEYS[key]
        converted = _value(kind, value, where, root)
        if name == "accept_words" and name in values:
            converted = values[name] | converted
        values[name] = converted
    return Settings(path=os.path.abspath(path), root=root, **values)


@functools.lru_cache(maxsize=256)
def load(path: str) -> Settings | None:
    """Settings from one file; None for a pyproject.toml without ``[tool.ungarble]``."""
    try:
        with open(path, "rb") as fh:
            info = os.fstat(fh.fileno())
            if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_CONFIG_BYTES:
                raise ConfigError(f"{path}: not a configuration file (a regular file of at most "
                                  f"{MAX_CONFIG_BYTES:,} bytes)")
            data = tomllib.loads(fh.read(MAX_CONFIG_BYTES + 1).decode("utf-8"))
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: invalid TOML: not UTF-8") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    if os.path.basename(path) == "pyproject.toml":
        tool = data.get("tool")
        table = tool.get("ungarble") if isinstance(tool, dict) else None
        if table is None:
            return None
        if not isinstance(table, dict):
            raise ConfigError(f"{path}: [tool.ungarble] must be a table")
        return parse(table, path)
    return parse(data, path)


@functools.lru_cache(maxsize=1024)
def _find_from(folder: str) -> str | None:
    for name in CONFIG_NAMES:
        candidate = os.path.join(folder, name)
        if os.path.isfile(candidate):
            if name != "pyproject.toml" or load(candidate) is not None:
                return candidate
    parent = os.path.dirname(folder)
    if parent == folder:
        return None
    return _find_from(parent)


def find(path: str) -> str | None:
    """The configuration file that applies to ``path`` ("-" means the current folder)."""
    if path == "-":
        folder = os.getcwd()
    else:
        absolute = os.path.abspath(path)
        folder = absolute if os.path.isdir(absolute) else os.path.dirname(absolute)
    return _find_from(folder)


def settings_for(path: str, config: str | None = None, isolated: bool = False) -> Settings:
    """The settings for one input: ``config`` if given, else the nearest file, else defaults."""
    if isolated:
        return Settings()
    if config is not None:
        found = load(config)
        if found is None:
            raise ConfigError(f"{config}: has no [tool.ungarble] table")
        return found
    nearest = find(path)
    return (load(nearest) if nearest else None) or Settings()


def options_for(settings: Settings, path: str, cli: Mapping[str, Any], base: Options | None = None) -> Options:
    """Options for one file: defaults, then the config, then the flags given (``cli`` holds only those)."""
    base = base or Options()

    def pick(flag: str, configured: Any, default: Any) -> Any:
        value = cli.get(flag)
        if value is not None:
            return value
        return configured if configured is not None else default

    ignore = tuple(pick("ignore", settings.ignore, base.ignore)) + settings.ignores_for(path)
    accept = settings.accept_words | (cli.get("accept_words") or frozenset())
    unsafe = cli.get("unsafe")
    if unsafe is None:
        unsafe = settings.safety == "suggest" if settings.safety else base.unsafe
    keep_lig = pick("keep_ligatures", settings.keep_ligatures, not base.fix_latin_ligatures)
    options = dataclasses.replace(
        base,
        select=tuple(pick("select", settings.select, base.select)),
        ignore=ignore,
        rules_dirs=tuple(pick("rules_dirs", settings.rules, base.rules_dirs)),
        grammar=pick("grammar", settings.grammar, base.grammar),
        dialect=pick("dialect", settings.dialect, base.dialect),
        languagetool_url=pick("languagetool_url", settings.languagetool_url, base.languagetool_url),
        languagetool_dir=pick("languagetool_dir", settings.languagetool_dir, base.languagetool_dir),
        languagetool_timeout=pick("languagetool_timeout", settings.languagetool_timeout, base.languagetool_timeout),
        languagetool_deadline=pick("languagetool_deadline", settings.languagetool_deadline,
                                   base.languagetool_deadline),
        accept_words=frozenset(accept),
        unsafe=bool(unsafe),
        uncurl_quotes=bool(pick("uncurl_quotes", settings.uncurl_quotes, base.uncurl_quotes)),
        fix_latin_ligatures=not keep_lig,
        readability=tuple(pick("readability", settings.readability, base.readability)),
        input_format=_input_format(path, cli.get("input_format"), base.input_format),
        source_language=pick("source_language", settings.source_language, base.source_language),
        target_language=pick("target_language", settings.target_language, base.target_language),
        glossary=tuple(pick("glossary", settings.glossary, base.glossary)),
        do_not_translate=tuple(pick("do_not_translate", settings.do_not_translate, base.do_not_translate)),
        consistency=pick("consistency", settings.consistency, base.consistency),
        mark_for_review=bool(pick("mark_for_review", None, base.mark_for_review)),
    )
    table = _table_fields(path, cli, settings)
    return dataclasses.replace(options, **table) if table else options


def _input_format(path: str, explicit: str | None, default: str) -> str:
    from .formats import detect

    return detect(path, explicit, default)


def _table_fields(path: str, cli: Mapping[str, Any], settings: Settings) -> dict[str, Any]:
    """A .csv/.tsv/.jsonl input is a translation table when a source or target column is named
    (flag or configuration): its input format and columns (repair/formats/tables.py)."""
    from .formats.tables import table_format

    source = cli.get("source_field") or settings.source_field
    target = cli.get("target_field") or settings.target_field
    fmt = table_format(path) if (source or target) and not cli.get("input_format") else None
    if fmt is None:
        return {}
    return {"input_format": fmt, "source_field": source or "source", "target_field": target or "target"}


def fail_on_for(settings: Settings, cli_value: str | None) -> str:
    return cli_value or settings.fail_on or "warning"


def clear_cache() -> None:
    """Forget files read and folders searched (each command run starts afresh)."""
    load.cache_clear()
    _find_from.cache_clear()
