"""A cache of the built-in rule files as parsed, so that a hook neither imports PyYAML nor
parses fifty YAML files on every run (about a tenth of ``check --grammar none``'s start-up).
(A table such as the lexicon's 82,000 words is not worth it: reading it back from JSON costs
more than building it.)

One JSON file per content of the built-in packs, named by the SHA-256 of every
built-in file's name and bytes (and of this cache's format), so an edited, added or removed
rule file is a different key and is parsed again; a file can never be answered by a stale
entry. Only plain data is stored (what ``yaml.safe_load`` made of the files and the line
of every key), and the rules are still built and validated from it as from the YAML.
A user's ``--rules`` packs are never cached.

Where: ``$UNGARBLE_CACHE_DIR``, else ``$XDG_CACHE_HOME/ungarble``, else
``~/.cache/ungarble``. ``UNGARBLE_NO_CACHE=1`` turns it off. A cache that cannot be read or
written is ignored (the files are parsed as without it); it is written atomically, so
parallel runs (``-j``) never see half a file; the ``KEEP`` newest files stay.
"""
from __future__ import annotations

import contextlib
import hashlib
import json
import os
from pathlib import Path

FORMAT = "1"  # bump when the stored shape changes
MAX_CACHE_BYTES = 20_000_000
KEEP = 8  # cache files kept (a few installed versions, a developer's edits)

Documents = list  # [(data, {key path tuple: line})] for one rule file


def directory() -> Path | None:
    """The cache folder, or None when caching is off."""
    if os.environ.get("UNGARBLE_NO_CACHE", "").strip() not in ("", "0"):
        return None
    explicit = os.environ.get("UNGARBLE_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME")
    try:
        root = Path(base) if base else Path.home() / ".cache"
    except RuntimeError:  # no home directory
        return None
    return root / "ungarble"


def key(files: list[tuple[str, bytes]]) -> str:
    """The key of a set of rule files: their names (relative to the pack) and their bytes."""
    digest = hashlib.sha256(FORMAT.encode())
    for name, data in files:
        for part in (name.encode("utf-8", "surrogateescape"), data):
            digest.update(len(part).to_bytes(8, "little"))
            digest.update(part)
    return digest.hexdigest()


def load(cache_key: str) -> dict[str, Documents] | None:
    """The parsed documents of each rule file (by name) stored under ``cache_key``, or None."""
    folder = directory()
    if folder is None:
        return None
    path = folder / f"rules-{cache_key}.json"
    try:
        if path.stat().st_size > MAX_CACHE_BYTES:
            return None
        stored = json.loads(path.read_text(encoding="utf-8"))
        return {name: [(data, {tuple(where): line for where, line in lines}) for data, lines in docs]
                for name, docs in stored.items()}
    except (OSError, ValueError, TypeError, AttributeError):
        return None


def store(cache_key: str, parsed: dict[str, Documents]) -> None:
    """Keep the rule files' ``parsed`` documents under ``cache_key`` (atomically, by
    :func:`repair.files.atomic_write`); silently nothing when it cannot be written, or when the
    data does not survive JSON unchanged (a YAML date, a non-string key)."""
    from .decode import InputError
    from .files import atomic_write

    folder = directory()
    if folder is None:
        return
    plain = {name: [[data, [[list(where), line] for where, line in lines.items()]] for data, lines in docs]
             for name, docs in parsed.items()}
    try:
        text = json.dumps(plain, ensure_ascii=False, allow_nan=False)
        if json.loads(text) != plain:
            return
        folder.mkdir(parents=True, exist_ok=True)
        atomic_write(str(folder / f"rules-{cache_key}.json"), text.encode("utf-8"))
    except (OSError, InputError, ValueError, TypeError, RecursionError):
        return
    _prune(folder)


def _prune(folder: Path) -> None:
    """Remove all but the ``KEEP`` newest cache files."""
    files = []
    for path in folder.glob("rules-*.json"):
        with contextlib.suppress(OSError):
            files.append((path.stat().st_mtime_ns, path))
    for _, path in sorted(files, reverse=True)[KEEP:]:
        with contextlib.suppress(OSError):
            path.unlink()
