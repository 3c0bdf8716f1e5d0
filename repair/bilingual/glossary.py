"""Glossaries and do-not-translate terms for the source checks of translation files (issue 14 item 2).

A glossary is read once per run, where the options are resolved (``--glossary FILE`` or the
configuration key ``glossary``), into a tuple of :class:`Entry` that the options carry to every file
(and to the ``-j`` workers). Two file kinds, by suffix:

- ``.tbx``: TBX (the ``<martif>`` TBX 2 / TBX-Basic files translate-toolkit's ``translate.storage.tbx``
  reads; translate-toolkit is needed for these). Each ``<termEntry>`` is a concept with terms in
  several languages. For a unit whose source language is S and whose target language is T (English
  when the file does not say), the entry's S terms (every non-T term when S is unknown) are source
  terms and its T terms the accepted translations; deprecated target terms are not accepted. An entry
  marked ``<descrip type="Translation needed">no</descrip>`` is do-not-translate: each of its terms
  must stay as written.
- anything else: CSV, ``source,target`` rows (a first row ``source,...`` or ``term,...`` is a
  header; :func:`repair.checks.source.read_glossary`). A row with an empty target is do-not-translate.

The configuration key ``do-not-translate = ["GitHub", ...]`` adds plain do-not-translate terms.
A file that cannot be read is a :class:`GlossaryError` (one line; exit 2 at the command line).
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Iterable, Mapping

MAX_GLOSSARY_BYTES = 50_000_000


class GlossaryError(ValueError):
    """A glossary file that cannot be used; one line naming the file."""


@dataclass(frozen=True)
class Entry:
    """One glossary concept. TBX: ``languages`` holds (language tag, terms) per ``<langSet>``;
    CSV: ``source`` and ``target`` terms, whatever the languages. ``keep``: do not translate."""

    languages: tuple[tuple[str, tuple[str, ...]], ...] = ()
    source: tuple[str, ...] = ()
    target: tuple[str, ...] = ()
    keep: bool = False


def _primary(tag: str | None) -> str:
    return (tag or "").replace("_", "-").lower().split("-")[0]


def read(path: str, where: str = "--glossary") -> tuple[Entry, ...]:
    """The entries of a glossary file (TBX by its suffix, CSV otherwise)."""
    try:
        info = os.stat(path)
    except OSError as exc:
        raise GlossaryError(f"{where}: cannot read {path!r}: {exc.strerror or exc}") from None
    import stat

    if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_GLOSSARY_BYTES:
        raise GlossaryError(f"{where}: {path!r} is not a glossary file (a regular file of at most "
                            f"{MAX_GLOSSARY_BYTES:,} bytes)")
    if path.lower().endswith(".tbx"):
        return _read_tbx(path, where)
    return _read_csv(path, where)


def _read_csv(path: str, where: str) -> tuple[Entry, ...]:
    import csv

    from ..checks.source import read_glossary

    try:
        glossary, keep = read_glossary(path)
    except UnicodeDecodeError:
        raise GlossaryError(f"{where}: {path!r} is not UTF-8 text") from None
    except csv.Error as exc:
        raise GlossaryError(f"{where}: {path!r} is not a readable CSV file: {exc}") from None
    except OSError as exc:
        raise GlossaryError(f"{where}: cannot read {path!r}: {exc.strerror or exc}") from None
    return tuple([Entry(source=(s,), target=(t,)) for s, t in glossary.items()]
                 + [Entry(source=(k,), keep=True) for k in keep])


def _read_tbx(path: str, where: str) -> tuple[Entry, ...]:
    try:
        from translate.misc.xml_helpers import getXMLlang
        from translate.storage import tbx
    except ImportError:
        raise GlossaryError(f"{where}: reading the TBX glossary {path!r} needs translate-toolkit "
                            "(pip install 'ungarble[tbx]')") from None
    from lxml import etree  # translate-toolkit's own XML library

    try:
        with open(path, "rb") as fh:
            data = fh.read()
        parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
        root = etree.fromstring(data, parser)
        if etree.QName(root).localname != "martif":
            raise GlossaryError(f"{where}: {path!r} is not a TBX file with a <martif> root (TBX 2 / TBX-Basic)")
        store = tbx.tbxfile.parsestring(data)
    except OSError as exc:
        raise GlossaryError(f"{where}: cannot read {path!r}: {exc.strerror or exc}") from None
    except GlossaryError:
        raise
    except Exception as exc:  # lxml's XMLSyntaxError and whatever else the reader raises
        message = " ".join(str(exc).split()) or type(exc).__name__
        raise GlossaryError(f"{where}: {path!r} is not a readable TBX file: {message}") from None
    entries = []
    for unit in store.units:
        languages = []
        for node in unit.getlanguageNodes():
            lang = getXMLlang(node) or ""
            terms = tuple(t.text.strip() for t in unit.get_target_terms(lang) if t.text.strip()
                          and (unit.istranslatable() is False or not t.deprecated))
            if terms and lang:
                languages.append((lang, terms))
        if languages:
            entries.append(Entry(languages=tuple(languages), keep=not unit.istranslatable()))
    return tuple(entries)


def terms_for(entries: Iterable[Entry], extra_keep: Iterable[str], source_lang: str | None,
              target_lang: str | None) -> tuple[dict[str, tuple[str, ...]], tuple[str, ...]]:
    """(glossary: source term -> accepted target terms, do-not-translate terms) for units of this
    language pair (target None: English)."""
    s, t = _primary(source_lang), _primary(target_lang) or "en"
    glossary: dict[str, tuple[str, ...]] = {}
    keep: list[str] = list(extra_keep)
    for entry in entries:
        if entry.keep:
            keep.extend(entry.source or (term for _, terms in entry.languages for term in terms))
            continue
        if entry.languages:
            targets = tuple(term for lang, terms in entry.languages if _primary(lang) == t for term in terms)
            sources = [term for lang, terms in entry.languages if _primary(lang) != t
                       and (not s or _primary(lang) == s) for term in terms]
        else:
            targets, sources = entry.target, list(entry.source)
        if not targets:
            continue
        for term in sources:
            glossary[term] = tuple(dict.fromkeys(glossary.get(term, ()) + targets))
    return glossary, tuple(dict.fromkeys(keep))


class Resolver:
    """:func:`terms_for` once per language pair of a run (a file's units share theirs)."""

    def __init__(self, entries: tuple[Entry, ...], keep: tuple[str, ...]) -> None:
        self.entries, self.keep = entries, keep
        self._cache: dict[tuple[str | None, str | None], tuple[Mapping[str, tuple[str, ...]], tuple[str, ...]]] = {}

    def __bool__(self) -> bool:
        return bool(self.entries or self.keep)

    def __call__(self, source_lang: str | None, target_lang: str | None):
        key = (source_lang, target_lang)
        if key not in self._cache:
            self._cache[key] = terms_for(self.entries, self.keep, source_lang, target_lang)
        return self._cache[key]
