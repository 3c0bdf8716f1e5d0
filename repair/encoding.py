"""Encoding repair with ftfy, turned into edits with rule ids.

ftfy fixes whole strings; we run it line by line (as ``ftfy.fix_text`` does)
and diff each line against its repair at character level, so every change is
a small edit a reviewer can see. Line breaks are never touched (``fix_line_breaks``
is off: a CRLF file stays CRLF) and neither is Unicode normalisation (an NFD file
is not damaged). Curly quotes stay curly unless the user asks otherwise.
"""
from __future__ import annotations

import difflib
import re
import unicodedata
from typing import Iterator

from .model import SEVERITY_RANK, Edit, Finding, Severity, Span
from .options import Options

SOURCE = "ftfy"

# ftfy step name -> (rule id, severity, message, safety)
STEPS: dict[str, tuple[str, Severity, str, str]] = {
    "decode": ("encoding.mojibake", "error",
               "Mojibake: text decoded with the wrong encoding{detail}; '{old}' should be '{new}'.", "safe"),
    "unescape_html": ("encoding.html-entity", "warning",
                      "HTML entity left in plain text: '{old}' should be '{new}'.", "safe"),
    "remove_terminal_escapes": ("encoding.terminal-escape", "warning",
                                "Terminal colour escape code in the text.", "safe"),
    "remove_control_chars": ("encoding.control-char", "warning",
                             "Invisible control character {codes} in the text.", "safe"),
    "fix_c1_controls": ("encoding.c1-control", "error",
                        "C1 control character {codes}: a Windows-1252 character decoded as Latin-1.", "safe"),
    "fix_latin_ligatures": ("encoding.ligature", "info",
                            "Typographic ligature '{old}' (from PDF extraction) should be '{new}'.", "safe"),
    "uncurl_quotes": ("encoding.curly-quote", "info", "Curly quote '{old}' straightened to '{new}'.", "safe"),
    "fix_surrogates": ("encoding.surrogate", "error", "Broken UTF-16 surrogate pair.", "safe"),
    "restore_byte_a0": ("encoding.mojibake", "error", "Mojibake with a lost non-breaking space.", "safe"),
    "replace_lossy_sequences": ("encoding.lossy-mojibake", "error",
                                "Mojibake whose bytes were partly lost; '{old}' can only become '{new}'.", "suggest"),
    "fix_line_breaks": ("encoding.line-break", "info", "Unusual line break character.", "safe"),
}
# what each rule id means, for `ungarble rules`
DESCRIPTIONS: dict[str, str] = {
    "encoding.mojibake": "Text decoded with the wrong encoding (UTF-8 read as Windows-1252 and the like).",
    "encoding.html-entity": "HTML entity such as &amp; left in plain text.",
    "encoding.terminal-escape": "Terminal colour escape code in the text.",
    "encoding.control-char": "Invisible control character.",
    "encoding.c1-control": "C1 control character: Windows-1252 decoded as Latin-1.",
    "encoding.ligature": "Typographic ligature (from PDF extraction) such as 'ﬁ'.",
    "encoding.full-width": "Full-width letters or digits in English text.",
    "encoding.curly-quote": "Curly quote straightened (only with --uncurl-quotes).",
    "encoding.surrogate": "Broken UTF-16 surrogate pair.",
    "encoding.lossy-mojibake": "Mojibake whose bytes were partly lost; the repair is a guess.",
    "encoding.line-break": "Unusual line break character.",
}
# the ids this module emits (repair.checks.registry): severity, message and safety of the
# first step that emits each
RULES: dict[str, dict[str, str]] = {}
for _rule, _severity, _message, _safety in STEPS.values():
    RULES.setdefault(_rule, {"severity": _severity, "safety": _safety, "message": _message,
                             "description": DESCRIPTIONS.get(_rule, "")})

_LINE = re.compile(r"[^\n]*\n|[^\n]+")
# Lines that are plain ASCII prose without entities or escapes cannot need ftfy.
_NEEDS_FTFY = re.compile(r"[^\t\n\r\x20-\x7e]|&")
# Clean English typography alone is never damage ftfy would repair (mojibake always brings
# other characters along), so lines with nothing else skip ftfy, and a clean text never imports it.
_TYPOGRAPHY = "\u2018\u2019\u201c\u201d\u2013\u2014\u2026\u2022\u00a0\u2009\u200a\u202f\u2060\u2032\u2033"
_NEEDS_FTFY_KEEPING_QUOTES = re.compile(f"[^\\t\\n\\r\\x20-\\x7e{_TYPOGRAPHY}]|&[#A-Za-z]")


def _config(options: Options):
    import ftfy

    from . import formats

    return ftfy.TextFixerConfig(
        unescape_html=False if formats.get(options.input_format).entities_are_markup else "auto",
        uncurl_quotes=options.uncurl_quotes,
        fix_latin_ligatures=options.fix_latin_ligatures,
        # width belongs to the script.* rules, which know the spacing English needs
        # ("district，Residents" -> "district, Residents", not "district,Residents")
        fix_character_width=False,
        fix_line_breaks=False,
        normalization=None,
        explain=True,
    )


def _lines(text: str) -> Iterator[tuple[int, str]]:
    for m in _LINE.finditer(text):
        yield m.start(), m.group()


def find(text: str, options: Options) -> list[Finding]:
    """Findings (each with an edit) for every change ftfy would make to ``text``."""
    needs_ftfy = _NEEDS_FTFY if options.uncurl_quotes else _NEEDS_FTFY_KEEPING_QUOTES
    if not needs_ftfy.search(text):
        return []
    import ftfy

    config = _config(options)
    findings: list[Finding] = []
    for offset, line in _lines(text):
        body = line.rstrip("\r\n")
        if not needs_ftfy.search(body):
            continue
        fixed, plan = ftfy.fix_and_explain(body, config)
        if fixed == body:
            continue
        steps = _step_names(plan)
        detail = _encoding_detail(plan or ())
        for old_start, old_end, new in _hunks(body, fixed):
            old = body[old_start:old_end]
            rule, severity, template, safety = STEPS[_step_for(old, new, steps, config)]
            if "\ufffd" in new:
                safety = "suggest"
            message = template.format(old=old, new=new, detail=detail, codes=_codes(old))
            span = Span(offset + old_start, offset + old_end)
            findings.append(Finding(rule, SOURCE, severity, message, span, old,
                                    Edit(span, new, rule, safety)))  # type: ignore[arg-type]
    return [f for f in findings if options.enabled(f.rule)]


def _hunks(old: str, new: str) -> Iterator[tuple[int, int, str]]:
    """Changed regions, widened to whole words so an edit reads 'didnâ€™t' -> 'didn’t'."""
    regions: list[list[int]] = []
    for i1, i2, j1, j2 in _changes(old, new):
        # widen to the word (a word is short; the bound keeps a line without spaces linear)
        low = max(0, i1 - _MAX_WIDEN)
        while i1 > low and j1 > 0 and not old[i1 - 1].isspace() and old[i1 - 1] == new[j1 - 1]:
            i1, j1 = i1 - 1, j1 - 1
        high = i2 + _MAX_WIDEN
        while i2 < min(len(old), high) and j2 < len(new) and not old[i2].isspace() and old[i2] == new[j2]:
            i2, j2 = i2 + 1, j2 + 1
        if regions and i1 <= regions[-1][1]:
            regions[-1][1], regions[-1][3] = max(regions[-1][1], i2), max(regions[-1][3], j2)
        else:
            regions.append([i1, i2, j1, j2])
    for i1, i2, j1, j2 in regions:
        yield i1, i2, new[j1:j2]


# The diff behind _hunks works in small windows: ftfy changes a few characters here and there
# in a line that is otherwise the same, and difflib over a whole long line costs its square
# (29 s for one mojibake word in a 25 KB line).
_WINDOW = 32          # characters of each side a changed region is first looked at in
_MAX_WINDOW = 4096    # the window grows (x4) to this when no resynchronisation is in sight
_RESYNC = 8           # an unchanged run this long ends a changed region
_MAX_WIDEN = 100      # a hunk widens to its whole word, up to this many characters each way


def _same_run(a: str, b: str, i: int, j: int, limit: int) -> int:
    """Length of the common prefix of ``a[i:]`` and ``b[j:]`` (at most ``limit``), compared in
    blocks at C speed."""
    n, step = 0, 64
    while n < limit:
        k = min(step, limit - n)
        if a[i + n:i + n + k] == b[j + n:j + n + k]:
            n += k
            step *= 2
        elif k == 1:
            break
        else:
            step = k // 2
    return n


def _same_tail(a: str, b: str, limit: int) -> int:
    """Length of the common suffix of ``a`` and ``b`` (at most ``limit``)."""
    n, step = 0, 64
    la, lb = len(a), len(b)
    while n < limit:
        k = min(step, limit - n)
        if a[la - n - k:la - n] == b[lb - n - k:lb - n]:
            n += k
            step *= 2
        elif k == 1:
            break
        else:
            step = k // 2
    return n


def _sync(a: str, b: str, blocks: list) -> "difflib.Match | None":
    """The unchanged run a changed region ends at: the first one of ``_RESYNC`` characters;
    failing that (mojibake on every word), the last one holding whitespace in the first half
    of the window, so dense damage goes forward in small windows (difflib's cost grows with
    the cube of a repetitive window)."""
    sync = next((x for x in blocks if x.size >= _RESYNC), None)
    if sync is None:
        half_a, half_b = len(a) // 2, len(b) // 2
        for x in blocks:
            if x.a + x.size > half_a or x.b + x.size > half_b:
                break
            if any(c.isspace() for c in a[x.a:x.a + x.size]):
                sync = x
    return sync


def _changes(old: str, new: str) -> Iterator[tuple[int, int, int, int]]:
    """The changed regions ``(i1, i2, j1, j2)`` of ``old`` -> ``new``, in order, found with
    ``difflib`` in windows around each difference: the cost grows with the changes, not the line."""
    tail = _same_tail(old, new, min(len(old), len(new)))
    i_end, j_end = len(old) - tail, len(new) - tail
    i = j = 0
    while True:
        k = _same_run(old, new, i, j, min(i_end - i, j_end - j))
        i, j = i + k, j + k
        if i >= i_end and j >= j_end:
            return
        width = _WINDOW
        while True:
            a, b = old[i:min(i + width, i_end)], new[j:min(j + width, j_end)]
            whole = i + len(a) >= i_end and j + len(b) >= j_end
            blocks = difflib.SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks()[:-1]
            sync = _sync(a, b, blocks)
            if sync is None and not whole and width < _MAX_WINDOW:
                width *= 4
                continue
            if sync is None and not whole:
                sync = blocks[-1] if blocks else None  # no long unchanged run in reach: settle
            pa = pb = 0
            for x in blocks:
                if x.a > pa or x.b > pb:
                    yield i + pa, i + x.a, j + pb, j + x.b
                pa, pb = x.a + x.size, x.b + x.size
                if x is sync:
                    break
            if sync is None:
                if len(a) > pa or len(b) > pb:
                    yield i + pa, i + len(a), j + pb, j + len(b)
                pa, pb = len(a), len(b)
            i, j = i + pa, j + pb
            break


_HTML_ENTITY = re.compile(r"&(?:#\d+|#x[0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);?")


def _step_names(plan) -> list[str]:
    """ftfy's plan as step names; every way of undoing a wrong decoding counts as ``decode``."""
    return ["decode" if kind in ("encode", "decode") or name == "decode_inconsistent_utf8" else name
            for kind, name in plan or ()]


def _step_for(old: str, new: str, steps: list[str], config=None) -> str:
    """Which ftfy step made this hunk: its own damage, not the line's.

    ftfy explains a whole line and hunks are finer, so the hunk is fixed again on its own:
    when that gives the same repair, its own plan names the step (a line with ``&amp;`` and
    mojibake has both in its plan; the mojibake word's own plan has only the decoding).
    """
    own_plan = False
    if config is not None and old:
        import ftfy

        own, plan = ftfy.fix_and_explain(old, config)
        if own == new and plan:
            if (list(plan) == [("encode", "latin-1"), ("decode", "windows-1252")]
                    and all(c.isascii() or 0x80 <= ord(c) <= 0x9F for c in old)):
                return "fix_c1_controls"  # only C1 controls: Windows-1252 characters read as Latin-1
            steps = _step_names(plan)
            own_plan = True

    def has(low: int, high: int) -> bool:
        return any(low <= ord(c) <= high for c in old)

    candidates = [
        ("unescape_html", _HTML_ENTITY.search(old) is not None),
        ("remove_terminal_escapes", "\x1b" in old),
        ("fix_latin_ligatures", has(0xFB00, 0xFB06)),
        ("fix_surrogates", has(0xD800, 0xDFFF)),
        ("replace_lossy_sequences", "\ufffd" in new),
        ("decode", True),
        ("fix_c1_controls", has(0x80, 0x9F)),
        ("uncurl_quotes", any(c in old for c in "\u2018\u2019\u201c\u201d")),
        ("remove_control_chars", True),
    ]
    found = [step for step, applies in candidates if applies and step in steps]
    if own_plan and len(found) > 1:
        # two kinds of damage in one word ("cafÃ©&amp;"): the graver one names it, so
        # --fail-on error and --select see it
        return max(found, key=lambda step: SEVERITY_RANK[STEPS[step][1]])
    if found:
        return found[0]
    return next((s for s in steps if s in STEPS), "decode")


def _encoding_detail(plan) -> str:
    encodings = [name for kind, name in plan if kind in ("encode", "decode")]
    if len(encodings) >= 2:
        return f" ({encodings[-1]} read as {encodings[0]})"
    return ""  # not known: the message says "the wrong encoding" already


def _codes(text: str) -> str:
    controls = [c for c in text if unicodedata.category(c) in ("Cc", "Cf") and c not in "\t\n\r"]
    return ", ".join(f"U+{ord(c):04X}" for c in controls) or "(none)"
