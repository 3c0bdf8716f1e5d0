"""Tokens in prose that are not words: paths, file names, URLs, e-mail addresses, versions,
identifiers, command-line flags, variables, placeholders and code-like tokens.

``spans(text)`` finds them in any text (plain, Markdown, PO, ...). The pipeline shields
them (see :class:`repair.pipeline.Shield`): a grammar, spelling or rule finding on or
inside one of them is dropped, so ``src/main.py`` never becomes ``sac/main.py`` and
``%(name)s`` never gets a space. Character damage (mojibake, hidden characters,
look-alike letters) is still reported there: a URL can hold mojibake too.

What counts (each kept narrow, so prose such as "and/or", "e.g.", "U.S.", "3.5 million",
"24/7" or a sentence's last word before its period is never taken for a token):

- URLs (``https://…``, ``www.…``, ``mailto:…``) and e-mail addresses;
- paths: absolute (``/etc/hosts``, ``~/x``, ``./x``, ``../x``), Windows (``C:\\x``,
  ``\\\\server\\share``, ``src\\main.py``), relative ones with a file name
  (``src/main.py``), two slashes or a final slash (``docs/api/``), with ``:line`` numbers;
- file names with a known extension (``index.md``, ``archive.tar.gz``) and extensions or
  dotfiles on their own (``.py``, ``.gitignore``);
- versions: ``v1.2``, ``1.2.3``, ``2.0.1-rc1``, ``1.0b2``;
- identifiers: ``snake_case``, ``camelCase`` and ``PascalCase`` with an inner capital,
  ``dotted.names`` (segments of two or more characters, the later ones not capitalised),
  ``a::b``, ``a->b``, calls ``f()`` and ``f(x)``, indexes ``a[i]``, letters with digits
  (``python3.11``, ``sha256``, ``k8s``, ``4eac243``; not ``3rd`` or ``1990s``), ``utf-8``
  (not ``mid-1990s`` or ``late-19th``);
- ``--flags`` and ``-f`` after a space, ``$VAR``, ``${x}``, ``$(cmd)``, ``%VAR%``;
- placeholders: ``%s``, ``%1$s``, ``%-5.2f``, ``%(name)s``, ``{name}``, ``{0}``, ``{}``,
  ``{{ var }}``, ``<name>``.
"""
from __future__ import annotations

import functools
import re

from .model import Span

_EXTENSIONS = """
py pyc pyi pyx pxd ipynb md markdown mdx rst adoc txt text c h cc cpp cxx hpp hxx hh ino cs fs
java kt kts scala groovy gradle go rs rb erb php pl pm swift dart lua jl ex exs erl hrl hs elm
clj cljs el vim nim zig js mjs cjs jsx ts tsx vue svelte coffee css scss sass less styl html htm
xhtml xml xsl xslt xsd dtd svg json jsonl ndjson json5 yaml yml toml ini cfg conf config env
properties lock log csv tsv sql db sqlite sqlite3 parquet avro arrow feather pkl pickle npy npz
h5 hdf5 sh bash zsh fish ps1 psm1 bat cmd exe dll so dylib lib obj bin iso img dmg pkg deb rpm
apk ipa msi jar war whl egg gz tgz bz2 xz zst lz4 zip tar rar 7z pdf doc docx xls xlsx xlsm ppt
pptx odt ods odp rtf epub mobi png jpg jpeg gif webp bmp tif tiff ico heic psd eps mp3 mp4 m4a
m4v wav flac ogg oga opus avi mov mkv webm wmv srt vtt po pot mo xliff xlf ttf otf woff woff2
tex bib sty mk cmake sln csproj vcxproj patch diff pem crt cer csr der pub asc gpg sig bak tmp
swp orig rej pid sock service tf tfvars hcl proto graphql gql wasm nix dockerfile makefile
"""
_EXTS = set(_EXTENSIONS.split())
# lower case, or upper case when longer than one letter ("photo.JPG", not "D.C")
_EXT = "|".join(sorted(_EXTS | {e.upper() for e in _EXTS if len(e) > 1}, key=lambda e: (-len(e), e)))

# Characters of a path segment; a token never starts inside a run of them.
_SEG = r"[\w.+@%~*\-]"
# a path segment does not end with a period (the sentence's) or a star (emphasis: *src/a.py*),
# unless it is ".." or a glob's "*" or "**"
_SEGMENT = rf"(?:\.\.|\*\*?(?!\w|\.\w)|{_SEG}*[\w+@%~\-])"
_URL_END = r"[^\s<>\"'`.,;:!?)\]}’”]"
_LINE_NO = r"(?::\d+)*"

_HEAD = rf"""
  (?P<url>
      \b(?:[a-zA-Z][a-zA-Z0-9+.\-]{{1,31}}://|www\.)(?:[^\s<>"'`]*{_URL_END})?
    | \bmailto:[^\s<>"'`]*{_URL_END}
  )
| (?P<email> (?<![\w.%+\-])[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{{2,}}\b )
| (?P<winpath>
      (?<![\w\\])(?:[A-Za-z]:[\\/]|\\\\(?=\w))[^\s<>"|?*]*[^\s<>"|?*.,;:!)\]’”]
  )
"""
# relative paths need a check (``_is_relpath``); where it says no, the other branches are tried
_RELATIVE = rf"""| (?P<winrel> (?<![\w.\\\-])[\w.\-]+(?:\\[\w.\-$]*[\w\-$])+\\? )
| (?P<abspath> (?<![\w.~/\\:)\]\-])(?:~|\.{{1,2}})?/{_SEGMENT}(?:/{_SEGMENT})*/?{_LINE_NO} )
| (?P<relpath> (?<![\w.+@%~*/\\\-]){_SEGMENT}(?:/{_SEGMENT})+/?{_LINE_NO} )
"""
_TAIL = rf"""| (?P<version>
      (?<![\w.\-])(?:
          [vV]\d+(?:\.\d+)+(?:[-+][0-9A-Za-z]+(?:\.[0-9A-Za-z]+)*)?
        | [vV]\d+\b
        | \d+(?:\.\d+){{2,}}(?:[-+][0-9A-Za-z]+(?:\.[0-9A-Za-z]+)*)?
        | \d+\.\d+[-.]?(?:a|b|rc|dev|alpha|beta|pre|post)\d*
      )(?![\w\-])
  )
| (?P<filename> (?<![\w.@/\\*\-])[\w*\-]+(?:\.[\w\-]+)*\.(?:{_EXT}){_LINE_NO}(?![\w@/\\\-]|\.\w) )
| (?P<dotfile> (?<![\w.@/\\\-])\.[a-z][a-z0-9_\-]*(?:\.[a-z0-9]+)*(?![\w@/\\\-]) )
| (?P<code>
      (?<![\w.$%\-])(?:
          _*[A-Za-z][A-Za-z0-9]*(?:_+[A-Za-z0-9]+)+_*                       # snake_case
        | _+[A-Za-z0-9]\w*                                                  # _private, __init__
        | [a-z]+[A-Z][A-Za-z0-9]*                                          # camelCase, iOS
        | [A-Z][a-z0-9]+[A-Z][A-Za-z0-9]*                                  # PascalCase
        | [A-Za-z_]\w+(?:\.[a-z_]\w+)+                                     # dotted.names
        | [A-Za-z_]\w*(?:(?:::|->)[A-Za-z_~]\w*)+                          # a::b, a->b
        | (?![A-Za-z]+\d*(?:1st|2nd|3rd|\dth|0s)\b)                         # not the11th, in1990s (typos)
          [A-Za-z]+\d[A-Za-z0-9]*(?:\.\d+)*                                # python3.11, sha256, k8s
        | \d+[A-Za-z]+\d[A-Za-z0-9]*                                        # 4eac243 (not 3rd, 1990s)
        | (?!(?:mid|late|early|pre|post|non|anti)-|[A-Za-z]+-\d+(?:st|nd|rd|th|s)\b)  # not mid-1990s, late-19th
          (?:[A-Z]+|[a-z]{{1,4}})-\d[A-Za-z0-9]*(?:-[A-Za-z0-9]+)*             # utf-8, ISO-8859-1, COVID-19
      )(?:\([^()\s]*\)|\[(?:[^\]\s\d][^\]\s]*|0)\])?(?![\w\-])           # f(x), a[i], not claim[1]
    | (?<![\w.$%\-])[A-Za-z_]\w*\((?!(?:s|es|ies|en|ren)\))[^()\s]*\)(?![\w\-])   # f(x), not word(s)
    | (?<![\w.$%\-])[A-Za-z_]\w*\[(?:[^\]\s\d][^\]\s]*|0)\](?![\w\-])           # a[i], a[0], not claim[1]
  )
| (?P<flag> (?<![^\s(\[{{"'“‘`])--?[A-Za-z][\w\-]*(?:=[^\s,;)\]]*)? )
| (?P<var>
      \$\{{[^{{}}\s]*\}} | \$\([^()\s]*\) | (?<![\w$])\$[A-Za-z_]\w* | (?<![\w%])%[A-Za-z_]\w*%
  )
| (?P<placeholder>
      %\([A-Za-z_][\w.]*\)[-+#0]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]
    | %(?:\d+\$)?[-+#0]*(?:\d+|\*)?(?:\.(?:\d+|\*))?(?:hh|ll|[hlLqjzt])?[diouxXeEfFgGaAcspn@](?![A-Za-z])
    | \{{\{{[^{{}}\n]*\}}\}}
    | \{{[\w.\[\]]*(?:![rsa])?(?::[^{{}}\s]*)?\}}
    | <[A-Za-z][\w\-]*>
  )
"""


# compiled on first use: plain prose has no hint and never needs them (a hook's start-up)
@functools.cache
def _pattern() -> re.Pattern[str]:
    return re.compile(_HEAD + _RELATIVE + _TAIL, re.VERBOSE)


@functools.cache
def _not_relative() -> re.Pattern[str]:
    return re.compile(_HEAD + _TAIL, re.VERBOSE)


# Something every token holds: one of these characters (checked further in ``_hint``) or a
# capital after a small letter or digit. The full pattern only runs on the white-space-delimited
# pieces of text around them, so plain prose is scanned about 20 times faster.
_HINT = re.compile(r"[/\\@_$%{}<.:(\[\-]|[a-z0-9][A-Z]|[A-Za-z]\d")
_ALWAYS = frozenset("/\\@_$%{}<")
_SPACE = re.compile(r"\s")
_OPENING = frozenset(" \t\n\r([{\"'“‘`")


def _hint(text: str, i: int, c: str) -> bool:
    """Is the hint character ``c`` at ``i`` one a token could hold? A sentence's last period,
    a hyphenated word, a time or an opening bracket are not."""
    if c in _ALWAYS:
        return True
    after = text[i + 1:i + 2]
    before = text[i - 1:i] if i else " "
    if c == ".":
        return after.isalnum()
    if c == "-":
        return (before in _OPENING and (after == "-" or after.isalpha()) or after == ">"
                or before.isalpha() and after.isdigit())
    if c == ":":
        return after in (":", "/", "\\") or after.isdigit()
    if c in "([":
        return before.isalnum() or before == "_"
    return True


@functools.lru_cache(maxsize=8)
def spans(text: str) -> tuple[Span, ...]:
    """The non-word tokens of ``text``, in order, not overlapping."""
    out: list[Span] = []
    end = -1
    for hint in _HINT.finditer(text):
        at = hint.start()
        if at < end or not _hint(text, at, hint.group()[0]):
            continue
        # never further back than the last piece: every character is scanned a bounded number of times
        low = max(end, 0)
        start = max(text.rfind(" ", low, at), text.rfind("\n", low, at), text.rfind("\t", low, at), end) + 1
        space = _SPACE.search(text, hint.end())
        end = space.start() if space else len(text)
        # the pattern's look-behinds see the text before ``start``; ``end`` is white space
        pos = start
        while pos < end:
            m = _pattern().search(text, pos, end)
            if m is None:
                break
            if m.lastgroup in ("relpath", "winrel") and not _is_relpath(m.group(), m.lastgroup == "winrel"):
                rejected = m.start()
                m = _not_relative().match(text, rejected, end)  # "HKEY_LOCAL_MACHINE\\x": the identifier
                if m is None:
                    pos = rejected + 1
                    continue
            out.append(Span(m.start(), m.end()))
            pos = max(m.end(), m.start() + 1)
    return tuple(out)


@functools.cache
def _has_ext() -> re.Pattern[str]:
    return re.compile(rf"\.(?:{_EXT}){_LINE_NO}\Z")


def _is_relpath(token: str, windows: bool = False) -> bool:
    """``a/b`` (``a\\b``) is a path when it names a file, has two separators, ends with one or
    is a glob (``src/*``):
    "and/or", "he/she", "km/h", "1/2" or a stray ``the\\tword`` are not paths."""
    sep = "\\" if windows else "/"
    return (token.count(sep) >= 2 or token.endswith(sep) or (not windows and ("_" in token or "*" in token))
            or _has_ext().search(token) is not None)
