"""Rule files' YAML, read with the line of every key and item (for error messages that name
a line), and bounded: no aliases (an alias bomb names 9^9 paths in 453 bytes), nesting at most
``MAX_DEPTH`` deep, numbers at most ``MAX_NUMBER_CHARS`` digits.

Imported only when a rule file is parsed: a run whose built-in packs come from
:mod:`repair.cache` never imports PyYAML.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

import yaml

if TYPE_CHECKING:
    _SafeLoader = yaml.SafeLoader
else:  # libyaml when present: 5x faster start-up
    _SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_SafeLoader):
    """A safe loader (never constructs arbitrary objects); nodes keep their line marks."""


MAX_DEPTH = 64                   # nesting of mappings and lists in one rule
MAX_NUMBER_CHARS = 100           # digits of a number (Python refuses ints over 4,300 digits)
_INT_TAG = "tag:yaml.org,2002:int"


def _node_lines(node: yaml.Node, path: tuple, lines: dict, problems: list,
                seen: set | None = None) -> bool:
    """Record the line of every key and item under ``node`` in ``lines`` (keyed by path);
    problems are appended as (line, reason).

    Each node is visited once: a node met again is a YAML alias, which rule files may
    not use (following aliases is exponential in the file's size). Returns False when
    the document must not be built (an alias, nesting too deep, a number too long).
    """
    if seen is None:
        seen = set()
    line = node.start_mark.line + 1
    if id(node) in seen:  # the line of the key or item that holds the alias
        where = next((lines[path[:n]] for n in range(len(path), 0, -1) if path[:n] in lines), line)
        problems.append((where,
                                "YAML aliases (*name) are not allowed in rule files; write the value out"))
        return False
    seen.add(id(node))
    if len(path) > MAX_DEPTH:
        problems.append((line, f"nested deeper than {MAX_DEPTH} levels"))
        return False
    lines[path] = line
    if isinstance(node, yaml.ScalarNode):
        if node.tag == _INT_TAG and len(node.value) > MAX_NUMBER_CHARS:
            problems.append((line, f"number too long ({len(node.value)} characters; "
                                                f"at most {MAX_NUMBER_CHARS})"))
            return False
    elif isinstance(node, yaml.MappingNode):
        keys: set = set()
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node.value)
            if key in keys:
                problems.append((key_node.start_mark.line + 1, f"duplicate key {key!r}"))
            keys.add(key)
            lines[path + (key,)] = key_node.start_mark.line + 1
            if not _node_lines(value_node, path + (key,), lines, problems, seen):
                return False
            lines[path + (key,)] = key_node.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            if not _node_lines(item, path + (i,), lines, problems, seen):
                return False
    return True


def documents(stream: str, problems: list[tuple[int, str]]) -> list[tuple[Any, dict]]:
    """Each YAML document of ``stream`` with the lines of its keys; each problem found is
    appended to ``problems`` as (line, reason)."""
    loader = _Loader(stream)
    docs = []
    try:
        while loader.check_node():
            node = loader.get_node()
            if node is None:
                continue
            lines: dict = {}
            if not _node_lines(node, (), lines, problems):
                continue
            try:
                data = loader.construct_document(node)
            except ValueError as exc:  # e.g. a value Python cannot convert; not a YAMLError
                problems.append((node.start_mark.line + 1, f"bad value: {exc}"))
                continue
            docs.append((data, lines))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 0
        problems.append((line, f"YAML error: {getattr(exc, 'problem', None) or exc}"))
    finally:
        loader.dispose()
    return docs
