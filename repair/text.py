"""The text layer: paragraphs, sentences and words of a text, as spans into it.

This is the bottom of ungarble's layers: it imports nothing from the package but
:mod:`repair.model` (for :class:`~repair.model.Span`). Every stage that cuts a text into
pieces gets its pieces here: the fixed-point loop (paragraph checks), merging (the paragraph
around a finding), the rule kinds (word and blank-line patterns), readability and the garble
score (sentences, words, reading paragraphs), names and the lexicon (words, sentence starts).
The project has ONE blank-line pattern (:data:`BLANK_LINES`) and ONE word pattern
(:func:`word_pattern`); where a stage has always read a slightly different thing as a word
or a paragraph break, that is a *named variant* below, so each difference is written down
once and results stay what they were.

All offsets are code points of the text as given; CRLF, CR and LF each end a line.

* :func:`paragraphs`: blocks between blank lines (a blank line may hold spaces and tabs);
  :func:`reading_paragraphs`: the same, except a block made of lines that each end a sentence
  is one paragraph a line (scraped and machine-translated text).
* :func:`split_sentences`: the sentences of one string (abbreviations and initials do not end
  one; a paragraph break alone does not either: split a paragraph at a time, as
  :meth:`TextLayer.sentences` does); :func:`starts_sentence`: the looser "is this word at a
  sentence start" that names use.
* :data:`WORD_RE` and its variants: what counts as a word.
* :class:`TextLayer`: all of it for one text, computed lazily and once.

The seam for the linguistic layer
---------------------------------
Tokens with part-of-speech tags (a later issue) plug in *on top of* this module, in a module of
their own that imports it (never the other way round). A tagger is handed a :class:`TextLayer`,
walks :meth:`TextLayer.sentences` (sentences never cross a paragraph break) and, for each,
:meth:`TextLayer.words_in` (or its own tokenizer over ``layer.text[s.start:s.end]``), and returns
tokens that each carry a :class:`~repair.model.Span` into ``layer.text`` plus their tag and lemma.
Because every span here and there is an offset into the same text, tags line up with findings,
paragraphs and sentences without any offset mapping, and a tagger may memoise per layer (it is
frozen: one text, one segmentation). Checks that want tags ask for the layer's tokens; checks
that do not never pay for them.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import cached_property

from .model import Span

# --- lines and paragraphs --------------------------------------------------------------

# CRLF, CR or LF; a CR never ends a line on its own right before an LF (else the regex engine,
# backtracking, reads the two halves of one CRLF as two line breaks: a blank line).
LINE_BREAK = r"\r\n|\r(?!\n)|\n"
#: A paragraph break: one or more blank lines (lines of nothing but spaces and tabs), with the
#: spaces and tabs around them. THE blank-line pattern of the project.
BLANK_LINES = re.compile(rf"(?:{LINE_BREAK})[ \t]*(?:(?:{LINE_BREAK})[ \t]*)+")
#: Variant: exactly one blank line (two line breaks with only spaces or tabs between); three line
#: breaks in a row give one match and leave the third break to the next paragraph. Merging has
#: always looked paragraphs up this way (:class:`BlankLineIndex` with this pattern).
BLANK_LINE = re.compile(rf"(?:{LINE_BREAK})[ \t]*(?:{LINE_BREAK})")


def paragraphs(text: str) -> list[Span]:
    """Blocks of text between blank lines (separators excluded, empty blocks dropped)."""
    spans: list[Span] = []
    pos = 0
    for m in BLANK_LINES.finditer(text):
        if m.start() > pos:
            spans.append(Span(pos, m.start()))
        pos = m.end()
    if pos < len(text):
        spans.append(Span(pos, len(text)))
    return spans


class BlankLineIndex:
    """The blank lines of one text, found in one scan: the paragraph around a span is then a
    binary search, not a scan of everything before it."""

    __slots__ = ("starts", "ends", "length")

    def __init__(self, text: str, separator: re.Pattern[str] = BLANK_LINES) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []
        for m in separator.finditer(text):
            self.starts.append(m.start())
            self.ends.append(m.end())
        self.length = len(text)

    def paragraph(self, span: Span) -> tuple[int, int]:
        """(start, end) of the paragraph holding ``span``, stretched to its end when ``span``
        reaches past the paragraph."""
        i = bisect.bisect_right(self.ends, span.start) - 1
        start = self.ends[i] if i >= 0 else 0
        j = bisect.bisect_left(self.starts, span.end)
        end = self.starts[j] if j < len(self.starts) else self.length
        return start, max(end, span.end)


_LINE = re.compile(r"[^\r\n]+")
_ENDS_SENTENCE = re.compile(r"""[.!?…:。！？]["'”’»)\]]*\s*$""")


def reading_paragraphs(text: str) -> list[Span]:
    """Paragraphs for reading figures and scores: blank-line blocks, except that a block
    whose lines each end a sentence (one paragraph a line, as scraped and machine-
    translated text often comes) is split into its lines. Hard-wrapped prose, whose lines
    end mid-sentence, stays one block."""
    out: list[Span] = []
    for block in paragraphs(text):
        chunk = text[block.start:block.end]
        lines = [m for m in _LINE.finditer(chunk) if m.group().strip()]
        if len(lines) > 1:
            ending = sum(1 for m in lines if _ENDS_SENTENCE.search(m.group()))
            if ending >= max(2, 0.75 * len(lines)):
                out.extend(Span(block.start + m.start(), block.start + m.start() + len(m.group().rstrip()))
                           for m in lines)
                continue
        out.append(block)
    return out


# --- sentences -------------------------------------------------------------------------

#: Tokens after which a full stop does not end a sentence (lower case, without the final dot).
ABBREVIATIONS = frozenset("""
mr mrs ms dr prof sr jr st mt gen col lt sgt capt cmdr adm gov sen rep rev fr hon pres
jan feb mar apr jun jul aug sep sept oct nov dec no nos vol vols pp p fig figs ed eds
vs etc al approx dept est inc ltd co corp bros univ ave blvd rd
e.g i.e cf viz
""".split())

_SENT_END = re.compile(r"""[.!?…。！？]+(?:["'”’»)\]]+)?(?=\s+|$)""")
_NEXT_START = re.compile(r"""\s+(?=["'“‘«(\[]*[A-Z0-9À-ÖØ-Þ])""")
_DOTTED = re.compile(r"(?:[A-Za-z]\.)+[A-Za-z]")


def split_sentences(text: str) -> list[Span]:
    """Sentences of ``text`` as spans (whitespace between them excluded).

    A sentence ends at ``.``, ``!``, ``?`` (and CJK full stops), optionally followed by
    closing quotes or brackets, when whitespace and an upper-case letter or digit
    follow, or a line feed does; a full stop after an abbreviation ("Dr.", "Feb.") or an
    initial ("U.S.", "J.") does not end one. A paragraph break without sentence punctuation
    does not end one either: to keep sentences inside paragraphs, split each paragraph
    (:meth:`TextLayer.sentences`).
    """
    spans: list[Span] = []
    start = _skip_space(text, 0)
    n = len(text)
    for m in _SENT_END.finditer(text):
        end = m.end()
        if end <= start:
            continue
        if end < n and not _NEXT_START.match(text, end) and "\n" not in text[end:end + 2]:
            continue
        if m.group().startswith(".") and len(m.group().rstrip("\"'”’»)]")) == 1 and _abbreviation_before(text, m.start()):
            continue
        spans.append(Span(start, end))
        start = _skip_space(text, end)
    if start < n and text[start:].strip():
        end = len(text.rstrip())
        spans.append(Span(start, end))
    return spans


def _skip_space(text: str, pos: int) -> int:
    while pos < len(text) and text[pos].isspace():
        pos += 1
    return pos


def _abbreviation_before(text: str, dot: int) -> bool:
    i = dot
    while i > 0 and not text[i - 1].isspace() and text[i - 1] not in "(\"'“‘":
        i -= 1
    token = text[i:dot]
    if not token:
        return False
    if len(token) == 1 and token.isalpha() and token.isupper():
        return True  # an initial: "J. Smith"
    if _DOTTED.fullmatch(token):
        return True  # "U.S", "e.g"
    return token.lower() in ABBREVIATIONS


_OPENERS = "\"'“‘«([{—–-*_"
_SENTENCE_MARKS = ".!?…:;"


def starts_sentence(text: str, pos: int) -> bool:
    """Whether the word at ``pos`` stands at a sentence start as a reader sees it: only white
    space and opening marks before it, back to the text start, a line break, or sentence
    punctuation (a colon and a semicolon count). Looser than :func:`split_sentences`: it tells a
    capitalised name from a capitalised sentence start."""
    i = pos - 1
    saw_newline = False
    while i >= 0 and (text[i].isspace() or text[i] in _OPENERS):
        if text[i] == "\n":
            saw_newline = True
        i -= 1
    if i < 0 or saw_newline:
        return True
    return text[i] in _SENTENCE_MARKS


# --- words -----------------------------------------------------------------------------

LETTER = r"[^\W\d_]"            # a letter of any script
LETTER_OR_DIGIT = r"[^\W_]"     # a letter or a digit of any script


def word_pattern(char: str = LETTER, joiners: str = "'’") -> str:
    """THE word pattern of the project: runs of ``char`` joined by single ``joiners`` (the body
    of a character class) inside the word, never at its edges. Every word regex of ungarble is
    this pattern with other arguments (the named variants below)."""
    return f"{char}+(?:[{joiners}]{char}+)*" if joiners else f"{char}+"


#: A word: letters with inner apostrophes ("don't", "O’Brien"); digits, underscores, hyphens and
#: dots split words. Names, merging and :meth:`TextLayer.words` read words this way.
WORD = word_pattern()
#: Variant: inner hyphens join too ("well-known"). The rule kinds' ``WORD``.
HYPHENATED_WORD = word_pattern(joiners=r"'’\-")
#: Variant: letters only, nothing joins ("don't" is two). Telling English from mojibake in decoding.
LETTERS = word_pattern(joiners="")
#: Variant: letters and digits ("5th", "MP3"), inner apostrophes. The garble score's words.
TOKEN = word_pattern(LETTER_OR_DIGIT)
#: Variant: :data:`TOKEN` or a single mark that is neither a word character nor white space
#: (the tokens the edit-rate table was counted on).
TOKEN_OR_MARK = TOKEN + r"|[^\w\s]"
#: Variant: letters and digits, inner hyphens and apostrophes (the rule kinds' fast tokenizer).
HYPHENATED_TOKEN = word_pattern(LETTER_OR_DIGIT, r"'’\-")
#: Variant: letters and digits, inner apostrophes, hyphens and dots ("U.S", "3.5", "well-known"):
#: readability's word counts.
READING_WORD = word_pattern(LETTER_OR_DIGIT, r"'’.\-")

WORD_RE = re.compile(WORD)
LETTERS_RE = re.compile(LETTERS)
TOKEN_RE = re.compile(TOKEN)
TOKEN_OR_MARK_RE = re.compile(TOKEN_OR_MARK)
HYPHENATED_TOKEN_RE = re.compile(HYPHENATED_TOKEN)
READING_WORD_RE = re.compile(READING_WORD)


def words(text: str, pattern: re.Pattern[str] = WORD_RE, start: int = 0, end: int | None = None) -> list[Span]:
    """The words of ``text[start:end]`` (``pattern``: :data:`WORD_RE` or a variant) as spans of ``text``."""
    return [Span(m.start(), m.end()) for m in pattern.finditer(text, start, len(text) if end is None else end)]


# --- one text --------------------------------------------------------------------------

@dataclass(frozen=True, eq=False)
class TextLayer:
    """Paragraphs, sentences and words of one text, each computed on first use and kept.

    Sentences are split a paragraph at a time (none crosses a blank line); words are
    :data:`WORD_RE` words unless a variant is asked for. See the module docstring for how a
    linguistic layer (tokens, tags) builds on this one.
    """

    text: str

    def paragraphs(self) -> tuple[Span, ...]:
        return self._paragraphs

    def sentences(self) -> tuple[Span, ...]:
        return self._sentences

    def words(self) -> tuple[Span, ...]:
        return self._words

    def paragraph_at(self, span: Span) -> Span:
        """The paragraph holding ``span`` (stretched to the end of ``span`` when it reaches
        past a blank line)."""
        start, end = self._blank_lines.paragraph(span)
        return Span(start, end)

    def sentences_in(self, span: Span) -> tuple[Span, ...]:
        """The sentences that start inside ``span`` (a paragraph, usually)."""
        starts = self._sentence_starts
        return self._sentences[bisect.bisect_left(starts, span.start):bisect.bisect_left(starts, span.end)]

    def words_in(self, span: Span, pattern: re.Pattern[str] = WORD_RE) -> list[Span]:
        """The words inside ``span`` (a sentence, usually), found within it: a word is never cut
        at the span's edges into a longer one."""
        return words(self.text, pattern, span.start, span.end)

    @cached_property
    def _paragraphs(self) -> tuple[Span, ...]:
        return tuple(paragraphs(self.text))

    @cached_property
    def _sentences(self) -> tuple[Span, ...]:
        out: list[Span] = []
        for p in self._paragraphs:
            out.extend(s.shift(p.start) for s in split_sentences(self.text[p.start:p.end]))
        return tuple(out)

    @cached_property
    def _sentence_starts(self) -> list[int]:
        return [s.start for s in self._sentences]

    @cached_property
    def _words(self) -> tuple[Span, ...]:
        return tuple(words(self.text))

    @cached_property
    def _blank_lines(self) -> BlankLineIndex:
        return BlankLineIndex(self.text)
