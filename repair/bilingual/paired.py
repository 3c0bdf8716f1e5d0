"""Paired documents (issue 14 item 1): a translated document checked next to its source document.

The source comes from ``--source FILE`` (one target) or from the configuration's ``source-files``
table, which maps target path patterns to source path patterns relative to the configuration's
folder (``"docs/en/{path}" = "docs/ja/{path}"``; ``{path}`` may span folders, any other
``{name}`` matches within one), so a pre-commit hook that receives only the translation finds its
source. The first pattern that matches the whole path wins.

Both documents are cut into blocks (:func:`blocks`): for Markdown, headings, paragraphs, list-item
and block-quote paragraphs, code blocks, tables, HTML blocks and rules, as markdown-it-py reads them;
for plain text, the blocks between blank lines. They are aligned (:func:`align`) only where the
structure says which block translates which: the same sequence of block kinds (heading levels
included), else the same headings and code blocks with each section between them matched on its
own. Each aligned pair of prose blocks goes through :func:`repair.checks.source.check_pair`;
findings are in offsets of the target as read, each a :class:`repair.bilingual.run.UnitFinding`
whose unit is the source block (``id``: ``source-path:line``, ``source_text``: its text).

What is not prose is not compared as prose: code blocks, tables and HTML blocks are structure only;
inline code becomes one placeholder token per distinct code text (so a code span missing from the
translation is ``source.placeholder-missing``, while the digits and names inside it are nobody's
numbers); link targets, autolinks and bare URLs are left out (a translation may link its own pages).
Whitespace is not compared (documents are wrapped differently). Source findings carry no edit: ``fix``
applies only the monolingual repairs.

Where the documents cannot be aligned, or a mapped source is missing or unreadable, one note on
stderr says so; the monolingual checks still run and the exit code does not change.
"""
from __future__ import annotations

import dataclasses
import os
import re
from dataclasses import dataclass
from typing import Any, Callable

from ..model import Finding, Span

PLACEHOLDER = re.compile(r"\{([A-Za-z_]\w*)\}")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
# what stands in front of the prose of a Markdown block's first line: indentation, quote and list
# markers, a heading's hashes; of its other lines: indentation and quote markers
_MD_FIRST = re.compile(r"(?:[ \t]*(?:>|[-+*]|\d{1,9}[.)])(?=[ \t]|$))*[ \t]*(?:#{1,6}(?=[ \t]|$))?")
_MD_NEXT = re.compile(r"(?:[ \t]*>)*[ \t]*")
_ATX_CLOSE = re.compile(r"[ \t]+#+[ \t]*$")
_URL = re.compile(r"(?:\b[a-zA-Z][a-zA-Z0-9+.\-]{1,31}://|\bwww\.)[^\s<>`\"]*[^\s<>`\".,;:!?)\]'*_]")
_PLAIN_CODE = re.compile(r"`[^`\r\n]+`")
_TOKEN = re.compile(r"\{_(\d+)\}")
PROSE_KINDS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "quote"})
# rules that compare what paired documents do not share: wrapping and spacing
NOT_COMPARED = ("source.whitespace", "source.double-space")
LABEL_WORDS = 3  # a heading or a block of three words or fewer is a label: no length ratio


# ---------------------------------------------------------------------------------------------
# the configuration's source-files table

def parse_source_files(value: Any) -> tuple[tuple[str, str], ...]:
    """Validate ``source-files``: a table of target pattern = source pattern (ValueError, one line)."""
    example = '{ "docs/en/{path}" = "docs/ja/{path}" }'
    if not isinstance(value, dict) or not value:
        raise ValueError(f"expected a table of target pattern = source pattern such as {example}, got {value!r}")
    out = []
    for target, source in value.items():
        if not isinstance(source, str) or not source.strip():
            raise ValueError(f"{target!r}: expected a source path pattern, got {source!r}")
        target_names = _names(target)
        source_names = _names(source)
        if len(set(target_names)) != len(target_names):
            raise ValueError(f"{target!r}: a placeholder appears twice")
        unknown = sorted(set(source_names) - set(target_names))
        if unknown:
            raise ValueError(f"{source!r} uses {{{unknown[0]}}}, which the target pattern {target!r} does not have")
        out.append((target, source))
    return tuple(out)


def _names(pattern: str) -> list[str]:
    if not pattern.strip():
        raise ValueError("an empty path pattern")
    if "{" in PLACEHOLDER.sub("", pattern) or "}" in PLACEHOLDER.sub("", pattern):
        raise ValueError(f"{pattern!r}: a placeholder is written {{name}} (letters, digits and _)")
    return PLACEHOLDER.findall(pattern)


def _regex(pattern: str) -> re.Pattern[str]:
    parts, pos = [], 0
    for m in PLACEHOLDER.finditer(pattern):
        parts.append(re.escape(pattern[pos:m.start()]))
        parts.append(f"(?P<{m.group(1)}>.+)" if m.group(1) == "path" else f"(?P<{m.group(1)}>[^/]+)")
        pos = m.end()
    parts.append(re.escape(pattern[pos:]))
    return re.compile("".join(parts))


def mapped_source(name: str, settings: Any) -> str | None:
    """The source path the configuration's ``source-files`` gives the target ``name`` (None: none)."""
    table = getattr(settings, "source_files", ())
    if not table or name == "-":
        return None
    rel = os.path.relpath(os.path.abspath(name), settings.root).replace(os.sep, "/")
    for target, source in table:
        m = _regex(target[2:] if target.startswith("./") else target).fullmatch(rel)
        if m:
            path = PLACEHOLDER.sub(lambda p: m.group(p.group(1)), source)
            return os.path.normpath(os.path.join(settings.root, path))
    return None


def shown(path: str) -> str:
    """A path as a message shows it: relative to the current folder when it is inside it."""
    rel = os.path.relpath(path)
    return path if rel.startswith("..") else rel


# ---------------------------------------------------------------------------------------------
# blocks

@dataclass(frozen=True)
class Block:
    kind: str   # h1..h6, p, li, quote (prose); code, table, html, hr (structure)
    start: int  # the block's region in the text
    end: int
    line: int   # 1-based
    content: str = ""  # a code block's code (an anchor)

    @property
    def prose(self) -> bool:
        return self.kind in PROSE_KINDS


def _line_bounds(text: str) -> tuple[list[int], list[int]]:
    starts = [0] + [m.end() for m in _LINE_BREAK.finditer(text)]
    ends = [m.start() for m in _LINE_BREAK.finditer(text)] + [len(text)]
    return starts, ends


def blocks(text: str, markdown: bool) -> list[Block]:
    """The blocks of a document, in order (see the module's docstring)."""
    return _markdown_blocks(text) if markdown else _plain_blocks(text)


def _plain_blocks(text: str) -> list[Block]:
    import bisect

    from ..text import paragraphs

    starts, _ = _line_bounds(text)
    return [Block("p", s.start, s.end, bisect.bisect_right(starts, s.start)) for s in paragraphs(text)
            if text[s.start:s.end].strip()]


def _markdown_blocks(text: str) -> list[Block]:
    from markdown_it import MarkdownIt

    from ..markdown import _Lines, front_matter_lines

    lines = _Lines(text)
    if not len(lines):
        return []
    fm = front_matter_lines(lines)
    source = text
    if fm:  # the parser sees blank lines there, so line numbers stay the same
        source = "\n" * fm + text[lines.starts[fm]:] if fm < len(lines) else "\n" * fm
    tokens = MarkdownIt("commonmark").enable(["table", "strikethrough"]).parse(source)
    out: list[Block] = []
    containers: list[str] = []
    pending: str | None = None
    in_table = False

    def add(kind: str, where: list[int], content: str = "") -> None:
        first, last = where[0], min(where[1], len(lines))
        if first < last:
            out.append(Block(kind, lines.starts[first], lines.ends[last - 1], first + 1, content))

    for tok in tokens:
        if tok.type in ("blockquote_open", "list_item_open"):
            containers.append(tok.type)
        elif tok.type in ("blockquote_close", "list_item_close"):
            if containers:
                containers.pop()
        elif tok.type == "table_open" and tok.map:
            add("table", tok.map)
            in_table = True
        elif tok.type == "table_close":
            in_table = False
        elif in_table:
            continue
        elif tok.type == "heading_open":
            pending = tok.tag
        elif tok.type == "paragraph_open":
            inner = next((c for c in reversed(containers)), None)
            pending = "li" if inner == "list_item_open" else "quote" if inner == "blockquote_open" else "p"
        elif tok.type == "inline" and pending and tok.map:
            add(pending, tok.map)
            pending = None
        elif tok.type in ("fence", "code_block") and tok.map:
            add("code", tok.map, content=tok.content.strip())
        elif tok.type == "html_block" and tok.map:
            add("html", tok.map)
        elif tok.type == "hr" and tok.map:
            add("hr", tok.map)
    return out


# ---------------------------------------------------------------------------------------------
# alignment

def _kinds(bs: list[Block]) -> list[str]:
    return [b.kind for b in bs]


def _anchor(b: Block) -> tuple[str, str] | None:
    if b.kind.startswith("h"):
        return (b.kind, "")
    if b.kind == "code":
        return ("code", " ".join(b.content.split()))
    return None


def align(source: list[Block], target: list[Block]) -> list[tuple[Block, Block]] | None:
    """Pairs (source block, target block) the structure vouches for; None when nothing can be
    aligned. Same kinds in the same order: every block. Else the headings and code blocks must
    match one for one (heading levels, code text), and each section between them is aligned when
    its kinds match."""
    if not source or not target:
        return None
    if _kinds(source) == _kinds(target):
        return list(zip(source, target))
    s_anchors = [i for i, b in enumerate(source) if _anchor(b)]
    t_anchors = [i for i, b in enumerate(target) if _anchor(b)]
    if not s_anchors or [_anchor(source[i]) for i in s_anchors] != [_anchor(target[i]) for i in t_anchors]:
        return None
    pairs: list[tuple[Block, Block]] = []
    s_bounds = [-1, *s_anchors, len(source)]
    t_bounds = [-1, *t_anchors, len(target)]
    for k in range(len(s_bounds) - 1):
        if k:
            pairs.append((source[s_bounds[k]], target[t_bounds[k]]))
        s_part = source[s_bounds[k] + 1:s_bounds[k + 1]]
        t_part = target[t_bounds[k] + 1:t_bounds[k + 1]]
        if _kinds(s_part) == _kinds(t_part):
            pairs.extend(zip(s_part, t_part))
    return pairs


# ---------------------------------------------------------------------------------------------
# prose of a block, mapped to the text

class _Tokens:
    """One placeholder token per distinct inline-code text, shared by both documents of a pair."""

    def __init__(self) -> None:
        self.by_text: dict[str, str] = {}
        self.texts: dict[str, str] = {}

    def token(self, code: str) -> str:
        if code not in self.by_text:
            name = f"{{_{len(self.by_text) + 1}}}"
            self.by_text[code] = name
            self.texts[name] = code
        return self.by_text[code]

    def restore(self, message: str) -> str:
        return _TOKEN.sub(lambda m: self.texts.get(m.group(), m.group()), message)


@dataclass
class _Prose:
    text: str
    starts: list[int]
    ends: list[int]

    def span(self, start: int, end: int) -> tuple[int, int]:
        if not self.starts:
            return (0, 0)
        start = min(start, len(self.starts) - 1)
        end = max(start + 1, min(end, len(self.ends)))
        return self.starts[start], self.ends[end - 1]


@dataclass
class _Skips:
    """A document's regions left out of the prose (sorted, merged) and its inline code."""

    spans: list[Span]
    code: list[Span]

    def __post_init__(self) -> None:
        self.ends = [s.end for s in self.spans]
        self.code_ends = [s.end for s in self.code]

    def within(self, start: int, end: int) -> list[Span]:
        return _between(self.spans, self.ends, start, end)

    def code_within(self, start: int, end: int) -> list[Span]:
        return _between(self.code, self.code_ends, start, end)


def _between(spans: list[Span], ends: list[int], start: int, end: int) -> list[Span]:
    """The sorted, disjoint ``spans`` that overlap start..end."""
    import bisect

    out = []
    for s in spans[bisect.bisect_right(ends, start):]:
        if s.start >= end:
            break
        out.append(s)
    return out


def _skips(text: str, markdown: bool) -> _Skips:
    from ..markdown import merge

    if markdown:
        from ..markdown import code_spans, protected_spans

        return _Skips(protected_spans(text), code_spans(text))
    code = [Span(m.start(), m.end()) for m in _PLAIN_CODE.finditer(text)]
    return _Skips(merge([Span(m.start(), m.end()) for m in _URL.finditer(text)] + code), code)


def _prose(text: str, block: Block, skips: _Skips, markdown: bool, tokens: _Tokens) -> _Prose:
    chars: list[str] = []
    starts: list[int] = []
    ends: list[int] = []

    def emit(s: str, a: int, b: int) -> None:
        for ch in s:
            if ch.isspace():
                if not chars or chars[-1] == " ":
                    continue
                ch = " "
            chars.append(ch)
            starts.append(a)
            ends.append(b)

    region = skips.within(block.start, block.end)
    code = skips.code_within(block.start, block.end)
    heading = block.kind.startswith("h")
    pos = block.start
    for line in _LINE_BREAK.split(text[block.start:block.end]) if block.end > block.start else []:
        line_start, line_end = pos, pos + len(line)
        pos = line_end
        m = _LINE_BREAK.match(text, pos)
        if m:
            pos = m.end()
        a = line_start
        if markdown:
            prefix = _MD_FIRST if line_start == block.start else _MD_NEXT
            a += prefix.match(line).end()  # type: ignore[union-attr]  # the pattern always matches
            if heading:
                close = _ATX_CLOSE.search(text, a, line_end)
                if close:
                    line_end = close.start()
        i = a
        while i < line_end:
            skip = next((s for s in region if s.start <= i < s.end), None)
            if skip is None:
                emit(text[i], i, i + 1)
                i += 1
                continue
            inline = [c for c in code if c.start < skip.end and c.end > skip.start and
                      not _LINE_BREAK.search(text, c.start, c.end)]
            if inline:
                emit(" ", skip.start, skip.start)
                for c in inline:
                    emit(tokens.token(text[c.start:c.end]), c.start, c.end)
                emit(" ", skip.end, skip.end)
            i = max(skip.end, i + 1)
        emit(" ", line_end, line_end)
    while chars and chars[-1] == " ":
        chars.pop()
        starts.pop()
        ends.pop()
    return _Prose("".join(chars), starts, ends)


# ---------------------------------------------------------------------------------------------
# the checks of a pair of documents

@dataclass(frozen=True)
class Pairing:
    """What comparing a target document with its source found."""

    findings: tuple[Finding, ...]
    aligned: int      # prose blocks compared
    unaligned: int    # target prose blocks left without a source block
    note: str | None  # one line for stderr, or None


def compare(source_text: str, target_text: str, *, source_name: str, target_name: str, markdown: bool,
            source_markdown: bool, options: Any, source_lang: str | None = None,
            target_lang: str | None = None) -> Pairing:
    """Align the two documents and run the source checks on each aligned pair of prose blocks."""
    from ..checks.source import check_pair
    from .language import detect
    from .run import UnitFinding

    s_blocks = blocks(source_text, source_markdown)
    t_blocks = blocks(target_text, markdown)
    pairs = align(s_blocks, t_blocks)
    t_prose = sum(b.prose for b in t_blocks)
    if pairs is None:
        why = (f"the source has {len(s_blocks)} blocks, the translation {len(t_blocks)}"
               if len(s_blocks) != len(t_blocks) else "their blocks differ in kind")
        return Pairing((), 0, t_prose, f"note: {target_name}: cannot align it with its source {source_name} "
                                       f"({why}, and their headings and code blocks do not match); only the "
                                       "checks of the text itself ran")
    s_skips = _skips(source_text, source_markdown)
    t_skips = _skips(target_text, markdown)
    tokens = _Tokens()
    slang = source_lang or detect(source_text)
    found: list[Finding] = []
    aligned = 0
    for s_block, t_block in pairs:
        if not (s_block.prose and t_block.prose):
            continue
        s = _prose(source_text, s_block, s_skips, source_markdown, tokens)
        t = _prose(target_text, t_block, t_skips, markdown, tokens)
        if not t.text.strip() or not s.text.strip():
            continue
        aligned += 1
        label = t_block.kind.startswith("h") or len(t.text.split()) <= LABEL_WORDS
        raw_source = source_text[s_block.start:s_block.end].strip()
        for f in check_pair(s.text, t.text, source_lang=slang, target_lang=target_lang or "en"):
            if f.rule in NOT_COMPARED or (label and f.rule == "source.length-ratio") or not options.enabled(f.rule):
                continue
            a, b = t.span(f.span.start, f.span.end)
            found.append(UnitFinding(f.rule, f.source, f.severity, tokens.restore(f.message), Span(a, b),
                                     target_text[a:b], None, f.sources, unit_id=f"{source_name}:{s_block.line}",
                                     source_text=raw_source))
    left = t_prose - sum(1 for s_b, t_b in pairs if s_b.prose and t_b.prose)
    note = None
    if left:
        note = (f"note: {target_name}: {left} of {t_prose} text blocks could not be aligned with its source "
                f"{source_name} (the structure differs there); they had only the checks of the text itself")
    return Pairing(tuple(found), aligned, left, note)


# ---------------------------------------------------------------------------------------------
# the session's hook

def explicit_source(path: str | None, inputs: list[str], item: Callable[[str], Any]) -> tuple[str, str] | None:
    """``--source PATH`` read, for the one input of ``inputs`` (``item(input)`` gives its options):
    (path, text); ValueError (one line, exit 2) when there is not exactly one input, the input is a
    translation file, or the source cannot be read."""
    if path is None:
        return None
    from .. import formats
    from ..decode import InputError
    from ..files import read_document
    from ..formats.translation import BilingualFormat

    if len(inputs) != 1:
        raise ValueError(f"--source names the source of one translated document; {len(inputs)} inputs were given")
    target = item(inputs[0])
    if isinstance(formats.get(target.options.input_format), BilingualFormat):
        raise ValueError(f"--source: {target.name} is a translation file ({target.options.input_format}); "
                         "its units carry their sources")
    if path == "-":
        raise ValueError("--source: the source must be a file, not standard input")
    try:
        return path, read_document(path).text
    except InputError as exc:
        raise ValueError(f"--source: {exc}") from None


def with_source(result: Any, *, text: str, name: str, options: Any, settings: Any,
                explicit: tuple[str, str] | None, note: Callable[[str], None],
                read: Callable[[str], Any]) -> Any:
    """``result`` (the target's own analysis) with the source findings added, when the target is a
    document that has a source; ``explicit`` is ``--source`` as (path, text) read beforehand;
    ``read`` reads a mapped source (``repair.files.read_document``)."""
    from .. import formats
    from ..decode import InputError
    from ..formats.translation import BilingualFormat
    from ..pipeline import Result

    fmt = formats.get(options.input_format)
    if isinstance(fmt, BilingualFormat):
        return result  # its units carry their sources
    if explicit is not None:
        source_path, source_text = explicit
    else:
        mapped = mapped_source(name, settings) if name != "-" else None
        if mapped is None or os.path.abspath(name) == mapped:
            return result
        source_path = mapped
        try:
            source_text = read(source_path).text
        except InputError as exc:
            reason = str(exc)
            reason = reason.split(": ", 1)[1] if reason.startswith(source_path + ": ") else reason
            note(f"note: {name}: its source {shown(source_path)} (configuration source-files) cannot be read "
                 f"({reason}); only the checks of the text itself ran")
            return result
    if not isinstance(result, Result):  # a chunked text (millions of characters)
        note(f"note: {name}: too long to be compared with its source {shown(source_path)}; only the checks "
             "of the text itself ran")
        return result
    markdown = options.input_format == "markdown"
    source_markdown = formats.detect(source_path, None, options.input_format) == "markdown"
    pairing = compare(source_text, text, source_name=shown(source_path), target_name=name, markdown=markdown,
                      source_markdown=source_markdown, options=options, source_lang=options.source_language,
                      target_lang=options.target_language)
    if pairing.note:
        note(pairing.note)
    found = _unsuppressed(list(pairing.findings), text, fmt)
    if not found:
        return result
    merged = sorted([*result.findings, *found], key=lambda f: (f.span.start, f.span.end))
    return dataclasses.replace(result, findings=tuple(merged))


def _unsuppressed(found: list[Finding], text: str, fmt: Any) -> list[Finding]:
    """Drop findings an inline directive of the target suppresses (as the pipeline does its own)."""
    if not found or "ungarble:" not in text:
        return found
    from ..pipeline import Shield
    from ..suppress import suppressions

    shields = [Shield(span, tuple(rules)) for span, rules in suppressions(text, fmt)]
    return [f for f in found if not any(s.covers(f) for s in shields)]


# ---------------------------------------------------------------------------------------------
# languages of documents

def document_options(options: Any) -> Any:
    """A document (not a translation file) whose target language is given and not English gets
    only the language-independent checks, as a translation unit does (repair.bilingual.run)."""
    from .. import formats
    from ..formats.translation import BilingualFormat
    from .language import english
    from .run import NOT_ENGLISH_IGNORE

    if english(options.target_language) or isinstance(formats.get(options.input_format), BilingualFormat):
        return options
    return dataclasses.replace(options, ignore=tuple(options.ignore) + NOT_ENGLISH_IGNORE)


class LanguageTally:
    """The files of a run whose targets are not English, for one note at the end of the run."""

    def __init__(self) -> None:
        self.files: dict[str, int] = {}
        self.count = 0

    def add(self, item: Any) -> None:
        from .. import formats
        from ..formats.translation import BilingualFormat
        from .language import english

        result = item.report.result if item.report is not None else None
        if result is None:
            return
        languages: tuple[str, ...] = tuple(getattr(result, "other_languages", ()) or ())
        if not languages and not isinstance(formats.get(item.options.input_format), BilingualFormat) \
                and not english(item.options.target_language):
            languages = (item.options.target_language,)
        if languages:
            self.count += 1
            for language in languages:
                self.files[language] = self.files.get(language, 0) + 1

    def message(self) -> str | None:
        if not self.count:
            return None
        names = [repr(lang) for lang in sorted(self.files)]
        listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        files = f"{self.count} file{'s' * (self.count != 1)} {'have' if self.count != 1 else 'has'}"
        return (f"note: {files} targets in {listed}, not English: only the language-independent checks ran "
                "on them (encoding, unicode, script, typography, source)")
