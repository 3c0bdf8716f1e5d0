"""The duplicate kinds: repeated paragraphs, blocks and sentences (scraped boilerplate).

- ``duplicate-paragraph`` (whole document): a later copy of an earlier paragraph (white
  space collapsed); the fix removes the later copy.
- ``near-duplicate-paragraph`` (whole document, flag only): compares case-folded text with
  quotes straightened and flags a later paragraph that equals, contains or is contained in
  an earlier one, or shares its long sentences (exact copies are left to
  ``duplicate-paragraph``).
- ``duplicate-block`` (one paragraph): a run of text starting at a sentence start and
  repeated right after itself ("A. B. A. B."); the fix removes the copies. ``probe_chars``
  is how much of a block's start is looked up first.
- ``duplicate-sentence`` (one paragraph): a later exact copy of a sentence, not adjacent
  (adjacent copies are ``duplicate-block``'s, found with ``probe_chars`` as it does).

Messages may name ``{words}`` (the copy's size), ``{line}`` (for paragraphs: the line
where the earlier copy starts) and ``{first}`` (its paragraph number; people count lines,
so prefer ``{line}``). A paragraph's finding starts at its first character; its fix
removes it with the blank lines after it (before it, for the last paragraph).

``min_words`` is the size below which nothing is reported; for the kinds that edit,
``edit_min_words`` is the size below which a copy is only flagged, and ``safe_min_words``
the size from which removing it is ``safe`` (sizes between take the rule's own safety).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import regex

from ..model import Finding
from ..text import BLANK_LINES as _BLANK_RE
from .base import Facts, Rule, casefold, kind, param

_STARTS = regex.compile(r"(?:^|(?<=[.!?)\]\"”’][ \t]+|\n))(?=[\p{Lu}\"“(])")
_SENTENCE = regex.compile(r"[^\s].*?(?:[.!?]+[\"”’)\]]*(?=\s|\Z)|\Z)", regex.DOTALL)
_QUOTES = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "\u00a0": " "})


# A possible sentence start in text whose white space is collapsed to single spaces:
# after a closing mark and a space, or after a paragraph break (\x1a). Looser than
# _SENTENCE's and _STARTS' starts, so every real start is among them.
_FLAT_STARTS = r"[.!?\"”’)\]'\x1a] (?=(.{%d}))"
_SPACES_RE = re.compile(r"\s{2,}|[^\S ]")  # every run of white space but a lone space: few matches
# _STARTS, looser: after a closing mark and spaces, or a newline, before a word character
# or an opening mark (the text start is checked apart)
_BLOCK_STARTS = re.compile(r"(?:[.!?)\]\"”’][ \t]+|\n)(?=[\w\"“(])")


def _repeated_sentence_start(text: str, n: int, paragraphs: bool = False) -> bool:
    """Do two possible sentence starts begin with the same ``n`` words (white space
    collapsed)? Every sentence of ``n`` or more words that occurs twice does. With
    ``paragraphs``, every paragraph start counts as a sentence start too."""
    if paragraphs:
        text = _BLANK_RE.sub(" \x1a ", text)
    flat = _SPACES_RE.sub(" ", text).strip(" ")  # " ".join(text.split()) without a list of every word
    size = 2 * n - 1  # the fewest characters n words take
    starts = _FLAT_STARTS % size
    keys = re.findall(starts, flat)
    keys.append(flat[:size])
    if len(set(keys)) == len(keys):
        return False  # no two starts share even their first characters
    groups: dict[str, list[int]] = {flat[:size]: [0]}
    for m in re.finditer(starts, flat):
        groups.setdefault(m.group(1), []).append(m.end())
    for positions in groups.values():
        if len(positions) > 1:
            # the same first characters: compare the first n words (identical sentences give
            # identical windows, however long their words)
            windows = [flat[p:p + 4096].split(" ", n)[:n] for p in positions]
            if len({tuple(k) for k in windows}) < len(windows):
                return True
    return False


_BREAK = re.compile(r"\r\n|\r|\n")


def _line_of(text: str, offset: int) -> int:
    """1-based line of ``offset`` (CRLF, CR and LF each end a line, as in the reports)."""
    return len(_BREAK.findall(text, 0, offset)) + 1


def _lines_of(text: str, offsets: list[int]) -> list[int]:
    """``_line_of`` for ascending offsets, in one pass."""
    out, line, pos = [], 1, 0
    for offset in offsets:
        line += len(_BREAK.findall(text, pos, offset))
        pos = offset
        out.append(line)
    return out


def _chunk():
    from ..chunkstate import current

    return current()


def _norm(text: str) -> str:
    return " ".join(text.split())


def _fold(text: str) -> str:
    return " ".join(text.translate(_QUOTES).casefold().split())


class _DuplicateRule(Rule):
    PLACEHOLDERS = ("words", "first", "line")

    def _safety(self, words: int):
        if words < self.p("edit_min_words"):
            return "flag"
        safe_min = self.p("safe_min_words")
        return "safe" if safe_min and words >= safe_min else None

    def safe_forms(self) -> bool:
        return self.safety == "suggest" and bool(self.p("safe_min_words"))

    @staticmethod
    def _paragraph_spans(text: str) -> list[tuple[int, int]]:
        spans = []
        pos = 0
        for m in _BLANK_RE.finditer(text):
            if m.start() > pos:
                spans.append((pos, m.start()))
            pos = m.end()
        if pos < len(text):
            spans.append((pos, len(text)))
        return [(s, e) for s, e in spans if text[s:e].strip()]

    def _block_regions(self, text: str, min_words: int) -> list[tuple[int, int, str]]:
        """(start, end, block) of every copy run that follows its block directly."""
        probe = self.p("probe_chars")
        if len(text) < 2 * probe:
            return []
        out = []
        covered = 0
        for m in _STARTS.finditer(text, timeout=self.limit()):
            s = m.start()
            if s < covered:
                continue
            chunk = text[s:s + probe]
            if len(chunk) < probe:
                break
            t = text.find(chunk, s + 1)
            while t != -1:
                block = text[s:t].rstrip()
                if text.startswith(block, t) and (t + len(block) == len(text) or not text[t + len(block)].isalnum()):
                    words = len(block.split())
                    if words < min_words:
                        break
                    end = t + len(block)
                    copies = 2
                    while True:
                        nxt = end
                        while nxt < len(text) and text[nxt].isspace():
                            nxt += 1
                        if nxt > end and text.startswith(block, nxt) and (
                                nxt + len(block) == len(text) or not text[nxt + len(block)].isalnum()):
                            end = nxt + len(block)
                            copies += 1
                        else:
                            break
                    out.append((s + len(block), end, block))
                    covered = end
                    break
                t = text.find(chunk, t + 1)
        return out


@dataclass(frozen=True)
class _CopyParams:
    """The keys of the kinds that report copies: how long a copy must be to be reported, to be a
    safe edit, to carry an edit at all."""
    min_words: int = param("int", default=1)
    safe_min_words: int = param("int", default=0)
    edit_min_words: int = param("int", default=0)


@dataclass(frozen=True)
class _ProbeParams(_CopyParams):
    """... and, for blocks and sentences, how many characters the search for a repeat starts with."""
    probe_chars: int = param("int", default=24)


@kind("duplicate-paragraph")
class DuplicateParagraphRule(_DuplicateRule):
    SCOPE = "document"

    Params = _CopyParams

    def precheck(self, text: str, facts: Facts) -> bool:
        # an exact copy of a paragraph: the same white-space-collapsed text twice
        if _chunk() is not None:
            return True  # a chunk of a large text: copies of earlier chunks count too (repair.chunks)
        keys = [k for k in map(" ".join, map(str.split, _BLANK_RE.split(text))) if k]
        return len(set(keys)) < len(keys)

    def find(self, text: str) -> list[Finding]:
        spans = self._paragraph_spans(text)
        chunk = _chunk()  # a chunk of a large text: repair.chunks keeps the earlier chunks' paragraphs
        if chunk is not None:
            if chunk.pending is None:  # the chunk's first pass: remember its paragraphs for the next chunks
                chunk.record([(_norm(text[s:e]), i + 1, line) for i, ((s, e), line) in
                              enumerate(zip(spans, _lines_of(text, [s for s, _ in spans])))])
        elif len(spans) < 2:
            return []
        seen: dict[str, int] = {}
        out = []
        for i, (s, e) in enumerate(spans):
            key = _norm(text[s:e])
            earlier = chunk.seen_before(key) if chunk is not None else None
            if key not in seen and earlier is None:
                seen[key] = i
                continue
            words = len(key.split())
            if words < self.p("min_words"):
                continue
            if i + 1 < len(spans):  # the copy and the blank lines after it
                start, end = s, spans[i + 1][0]
            elif chunk is not None and not chunk.last:  # the next chunk holds the next paragraph
                start, end = s, len(text)
            elif i == 0:  # the first paragraph of the last chunk: the blank lines before it are not here
                start, end = s, s + len(text[s:e].rstrip())
            else:  # the last paragraph: the blank lines before it, so the text ends as it did
                start, end = spans[i - 1][1], s + len(text[s:e].rstrip())
            if earlier is not None:
                first, line = earlier
            else:
                first = seen[key] + 1
                line = _line_of(text, spans[seen[key]][0])
                if chunk is not None:
                    first, line = first + chunk.paragraph_base, line + chunk.line_base
            out.append(self.finding(text, start, end, "", self._safety(words), match=key, words=str(words),
                                    first=str(first), line=str(line)))
        return out


@kind("near-duplicate-paragraph")
class NearDuplicateParagraphRule(_DuplicateRule):
    SCOPE = "document"

    @dataclass(frozen=True)
    class Params:
        min_words: int = param("int", default=1)

    def setup(self) -> None:
        if self.safety != "flag":
            raise ValueError("near duplicates are flag-only (safety: flag)")

    def precheck(self, text: str, facts: Facts) -> bool:
        # candidates share a sentence of >= min_words words (folded): two possible sentence
        # starts (paragraph starts count) followed by the same words
        min_words = self.p("min_words")
        if min_words < 1:
            return True
        folded = casefold(text)
        for a, b in (("“", '"'), ("”", '"'), ("‘", "'"), ("’", "'"), ("\u00a0", " ")):
            if a in folded:
                folded = folded.replace(a, b)
        return _repeated_sentence_start(folded, max(min_words, 1), paragraphs=True)

    def find(self, text: str) -> list[Finding]:
        spans = self._paragraph_spans(text)
        chunk = _chunk()
        if len(spans) < 2:
            return []
        folded = [_fold(text[s:e]) for s, e in spans]
        exact = [_norm(text[s:e]) for s, e in spans]
        min_words = self.p("min_words")
        by_sentence: dict[str, list[int]] = {}
        out = []
        seen_exact: set[str] = set()
        for i, (s, e) in enumerate(spans):
            f = folded[i]
            if exact[i] in seen_exact or chunk is not None and chunk.seen_before(exact[i]) is not None:
                continue  # an exact copy: the exact rule's business
            seen_exact.add(exact[i])
            sentences = [x.group() for x in _SENTENCE.finditer(f)]
            sentences = [x for x in sentences if len(x.split()) >= min_words]
            words = len(f.split())
            hit = None
            if words >= min_words and sentences:
                candidates: dict[int, int] = {}
                for sent in sentences:
                    for j in by_sentence.get(sent, ()):
                        candidates[j] = candidates.get(j, 0) + len(sent.split())
                for j, shared in sorted(candidates.items()):
                    shorter = min(words, len(folded[j].split()))
                    if f == folded[j] or f in folded[j] or folded[j] in f or shared * 2 >= shorter:
                        hit = j
                        break
            for sent in sentences:
                lst = by_sentence.setdefault(sent, [])
                if not lst or lst[-1] != i:
                    lst.append(i)
            if hit is not None:
                first, line = hit + 1, _line_of(text, spans[hit][0])
                if chunk is not None:
                    first, line = first + chunk.paragraph_base, line + chunk.line_base
                out.append(self.finding(text, s, e, None, match=_norm(text[s:e])[:80], words=str(words),
                                        first=str(first), line=str(line)))
        return out


@kind("duplicate-block")
class DuplicateBlockRule(_DuplicateRule):
    Params = _ProbeParams

    def precheck(self, text: str, facts: Facts) -> bool:
        # _block_regions' first step: the probe after some start occurs again
        probe = self.p("probe_chars")
        if len(text) < 2 * probe:
            return False
        if text.find(text[:probe], 1) != -1:
            return True
        for m in _BLOCK_STARTS.finditer(text):
            s = m.end()
            chunk = text[s:s + probe]
            if len(chunk) < probe:
                return False
            if text.find(chunk, s + 1) != -1:
                return True
        return False

    def find(self, text: str) -> list[Finding]:
        out = []
        for cut, end, block in self._block_regions(text, self.p("min_words")):
            words = len(block.split())
            out.append(self.finding(text, cut, end, "", self._safety(words),
                                    match=_norm(block)[:80], words=str(words), first="1", line=""))
        return out


@kind("duplicate-sentence")
class DuplicateSentenceRule(_DuplicateRule):
    Params = _ProbeParams

    def precheck(self, text: str, facts: Facts) -> bool:
        # a repeated sentence of >= min_words words: its first words recur after a start
        # (white space collapsed)
        min_words = self.p("min_words")
        if min_words < 2:
            return True
        # two sentences of n words take at least 2 * (2n - 1) + 1 characters
        return len(text) > 4 * min_words - 2 and _repeated_sentence_start(text, min_words)

    def find(self, text: str) -> list[Finding]:
        min_words = self.p("min_words")
        seen: dict[str, tuple[int, int]] = {}
        out = []
        prev_end = None
        # copies that directly follow their original are the block rule's business
        repeats = self._block_regions(text, 1)
        for m in _SENTENCE.finditer(text, timeout=self.limit()):
            sent = m.group()
            if any(s <= m.start() < e for s, e, _ in repeats):
                prev_end = m.end()
                continue
            key = _norm(sent)
            if len(key.split()) >= min_words:
                if key in seen:
                    first_start, first_end = seen[key]
                    adjacent = not text[first_end:m.start()].strip()
                    if not adjacent and prev_end is not None:
                        out.append(self.finding(text, prev_end, m.end(), "", self._safety(len(key.split())),
                                                match=key[:80], words=str(len(key.split())), first="1",
                                                line=""))
                else:
                    seen[key] = (m.start(), m.end())
            prev_end = m.end()
        return out
