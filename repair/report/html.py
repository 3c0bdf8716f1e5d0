"""`ungarble report`: one self-contained HTML page for editors.

Each document is shown with every paragraph shaded by its garble score (white = clean,
deep red = unreadable) and its score in the margin; every finding is highlighted with its
rule and message on hover (a native tooltip, and a styled one); the proposed repair is a
side-by-side diff, word by word. Everything is inline: no scripts, styles or fonts come
from the network, so the page works offline and can be mailed as one file. The small
inline script only adds conveniences (a score strip to jump to paragraphs, keyboard
``j``/``k`` through the worst paragraphs); the page reads fine without it.
"""
from __future__ import annotations

import difflib
import html
import re
from dataclasses import dataclass, field
from typing import Any, Sequence

from ..model import SEVERITY_RANK, Finding

_WS = re.compile(r"(\s+)")


@dataclass(frozen=True)
class DocumentView:
    path: str
    text: str
    fixed: str
    findings: tuple[Finding, ...]
    scores: Any                 # repair.score.Scores
    metrics: dict[str, Any] = field(default_factory=dict)
    # a translation file: a heading for each paragraph (its unit's id and source), escaped here
    labels: tuple[str, ...] = ()


def shade(score: float) -> str:
    """Opaque background for a paragraph score: white at 0 to a deep rose at 100."""
    t = max(0.0, min(100.0, score)) / 100.0
    r = round(255 - t * 35)
    g = round(255 - t * 175)
    b = round(255 - t * 160)
    return f"rgb({r}, {g}, {b})"


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'s' * (n != 1)}"


def _esc(text: str) -> str:
    return html.escape(text, quote=True)


def _tip(findings: Sequence[Finding]) -> str:
    parts = []
    for f in findings:
        fix = ""
        if f.fix is not None:
            fix = f" → “{f.fix.replacement}” ({'fixed' if f.fix.safety == 'safe' else 'suggestion'})"
        parts.append(f"{f.severity}: {f.rule}: {f.message}{fix}")
    return "\n".join(parts)


def _highlight(text: str, start: int, end: int, findings: Sequence[Finding]) -> str:
    """``text[start:end]`` as HTML with each finding's span wrapped in a <mark>."""
    local = [f for f in findings if f.span.start < end and start < f.span.end
             or (f.span.start == f.span.end and start <= f.span.start <= end)]
    cuts = {start, end}
    for f in local:
        cuts.add(max(start, f.span.start))
        cuts.add(min(end, f.span.end))
    points = sorted(cuts)
    out: list[str] = []
    for a, b in zip(points, points[1:] + [None]):
        inserts = [f for f in local if f.span.start == f.span.end == a]
        if inserts:
            sev = max(inserts, key=lambda f: SEVERITY_RANK[f.severity]).severity
            out.append(f'<mark class="finding insert sev-{sev}" title="{_esc(_tip(inserts))}" '
                       f'data-tip="{_esc(_tip(inserts))}" data-rules="{_esc(" ".join(f.rule for f in inserts))}">'
                       "‸</mark>")
        if b is None or a == b:
            continue
        covering = [f for f in local if f.span.start <= a and b <= f.span.end and f.span.start != f.span.end]
        piece = _esc(text[a:b])
        if covering:
            sev = max(covering, key=lambda f: SEVERITY_RANK[f.severity]).severity
            tip = _esc(_tip(covering))
            rules = _esc(" ".join(sorted({f.rule for f in covering})))
            out.append(f'<mark class="finding sev-{sev}" title="{tip}" data-tip="{tip}" data-rules="{rules}">'
                       f"{piece}</mark>")
        else:
            out.append(piece)
    return "".join(out)


def _words_diff(a: str, b: str) -> tuple[str, str]:
    ta, tb = _WS.split(a), _WS.split(b)
    left: list[str] = []
    right: list[str] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, ta, tb, autojunk=False).get_opcodes():
        x, y = "".join(ta[i1:i2]), "".join(tb[j1:j2])
        if op == "equal":
            left.append(_esc(x))
            right.append(_esc(y))
        else:
            if x:
                left.append(f"<del>{_esc(x)}</del>")
            if y:
                right.append(f"<ins>{_esc(y)}</ins>")
    return "".join(left), "".join(right)


def side_by_side(original: str, fixed: str) -> str:
    """A two-column table of the lines that differ (with their line numbers), word-level marks."""
    a, b = original.splitlines(), fixed.splitlines()
    rows: list[str] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            continue
        for k in range(max(i2 - i1, j2 - j1)):
            left = a[i1 + k] if i1 + k < i2 else None
            right = b[j1 + k] if j1 + k < j2 else None
            if left is not None and right is not None:
                lhtml, rhtml = _words_diff(left, right)
            else:
                lhtml = f"<del>{_esc(left)}</del>" if left is not None else ""
                rhtml = f"<ins>{_esc(right)}</ins>" if right is not None else ""
            ln = str(i1 + k + 1) if left is not None else ""
            rn = str(j1 + k + 1) if right is not None else ""
            rows.append(f'<tr><td class="ln">{ln}</td><td class="old">{lhtml}</td>'
                        f'<td class="ln">{rn}</td><td class="new">{rhtml}</td></tr>')
    if not rows:
        return '<p class="nochange">No repair proposed: the text is unchanged.</p>'
    return ('<table class="diff"><thead><tr><th colspan="2">as read</th><th colspan="2">repaired</th></tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table>")


def _document(doc: DocumentView, number: int) -> str:
    scores = doc.scores
    read = doc.metrics.get("readability", {})
    counts = {s: sum(1 for f in doc.findings if f.severity == s) for s in ("error", "warning", "info")}
    paras: list[str] = []
    for i, p in enumerate(scores.paragraphs):
        pid = f"d{number}p{i + 1}"
        paras.append(
            f'<div class="para" id="{pid}" data-score="{p.score:.1f}" style="background-color: {shade(p.score)}">'
            f'<span class="pscore" title="garble score of this paragraph">{p.score:.0f}</span>'
            + (f'<div class="unit">{_esc(doc.labels[i])}</div>' if i < len(doc.labels) else "") +
            f'<div class="ptext">{_highlight(doc.text, p.span.start, p.span.end, doc.findings)}</div></div>')
    rows = []
    for f in doc.findings:
        line = doc.text.count("\n", 0, f.span.start) + 1
        fix = "" if f.fix is None else f"{_esc(f.fix.replacement) or '(delete)'} <small>{f.fix.safety}</small>"
        rows.append(f'<tr class="sev-{f.severity}"><td>{line}</td><td>{f.severity}</td><td><code>{_esc(f.rule)}</code>'
                    f"</td><td>{_esc(f.text[:80])}</td><td>{_esc(f.message)}</td><td>{fix}</td></tr>")
    findings_table = (f'<table class="findings"><thead><tr><th>line</th><th>severity</th><th>rule</th><th>text</th>'
                      f'<th>message</th><th>repair</th></tr></thead><tbody>{"".join(rows)}</tbody></table>'
                      if rows else '<p class="nochange">No findings.</p>')
    return f"""
<section class="doc" id="d{number}" data-score="{scores.document:.1f}">
<h2><span class="dscore" style="background-color: {shade(scores.document)}">{scores.document:.0f}</span> {_esc(doc.path)}</h2>
<p class="summary">garble score <b>{scores.document:.1f}</b> · Flesch {read.get('flesch', 0):.1f} ·
grade {read.get('grade', 0):.1f} · {read.get('words', 0)} words · {_count(counts['error'], 'error')},
{_count(counts['warning'], 'warning')}, {_count(counts['info'], 'note')}</p>
<nav class="strip" aria-label="paragraph scores"></nav>
<h3>Text</h3>
<div class="text">{''.join(paras)}</div>
<h3>Proposed repair</h3>
{side_by_side(doc.text, doc.fixed)}
<h3>Findings</h3>
{findings_table}
</section>"""


_CSS = """
:root { --ink: #1d1d1f; --muted: #666; }
body { font: 16px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--ink); margin: 0 auto;
       max-width: 1100px; padding: 1em 2em; }
h1 { font-size: 1.4em; } h2 { font-size: 1.2em; margin-top: 2em; } h3 { font-size: 1em; color: var(--muted); }
.legend span { display: inline-block; padding: 0 .6em; border: 1px solid #ddd; }
.para { position: relative; margin: 0 0 .6em; padding: .4em .6em .4em 3.2em; border-radius: 4px;
        border: 1px solid #eee; }
.ptext { white-space: pre-wrap; }
.unit { font-size: 85%; color: #555; white-space: pre-wrap; }
.pscore, .dscore { font: bold 13px/1.6 ui-monospace, monospace; }
.pscore { position: absolute; left: .5em; top: .5em; color: #333; }
.dscore { padding: 0 .4em; border: 1px solid #ccc; border-radius: 3px; }
mark.finding { background: transparent; color: inherit; border-bottom: 2px solid; position: relative; cursor: help; }
mark.sev-error { border-color: #c00; background: rgba(204, 0, 0, .12); }
mark.sev-warning { border-color: #d08700; background: rgba(208, 135, 0, .12); }
mark.sev-info { border-color: #2a6ebb; border-bottom-style: dotted; }
mark.insert { border: 0; color: #c00; font-weight: bold; }
mark.finding:hover::after { content: attr(data-tip); position: absolute; left: 0; top: 1.6em; z-index: 10;
        white-space: pre-wrap; width: max-content; max-width: 36em; background: #222; color: #fff;
        font-size: 13px; line-height: 1.4; padding: .4em .6em; border-radius: 4px; }
table { border-collapse: collapse; width: 100%; font-size: 14px; }
td, th { border: 1px solid #e4e4e4; padding: .2em .4em; vertical-align: top; text-align: left; }
table.diff td.old, table.diff td.new { width: 50%; white-space: pre-wrap; word-break: break-word; }
td.ln { color: #999; font: 12px ui-monospace, monospace; width: 2.5em; text-align: right; }
del { background: #ffd7d5; text-decoration: line-through; } ins { background: #c9f0d0; text-decoration: none; }
tr.sev-error td:nth-child(2) { color: #c00; } tr.sev-warning td:nth-child(2) { color: #b07000; }
.strip { display: flex; gap: 1px; height: 14px; margin: .5em 0; }
.strip a { flex: 1; min-width: 2px; border: 1px solid #ddd; }
.nochange { color: var(--muted); }
.focus { outline: 3px solid #333; }
"""

_JS = """
(function () {
  var docs = document.querySelectorAll('section.doc');
  var all = [];
  docs.forEach(function (doc) {
    var strip = doc.querySelector('nav.strip');
    doc.querySelectorAll('.para').forEach(function (p) {
      var a = document.createElement('a');
      a.href = '#' + p.id;
      a.title = 'paragraph ' + p.id.split('p').pop() + ': garble score ' + p.dataset.score;
      a.style.backgroundColor = p.style.backgroundColor;
      a.className = 'strip-cell';
      strip.appendChild(a);
      all.push(p);
    });
  });
  var worst = all.slice().sort(function (a, b) { return b.dataset.score - a.dataset.score; });
  var at = -1;
  document.addEventListener('keydown', function (e) {
    if (e.key !== 'j' && e.key !== 'k') return;
    if (at >= 0) worst[at].classList.remove('focus');
    at = e.key === 'j' ? Math.min(at + 1, worst.length - 1) : Math.max(at - 1, 0);
    worst[at].classList.add('focus');
    worst[at].scrollIntoView({block: 'center'});
  });
  document.body.dataset.ready = String(all.length);
})();
"""


def render(docs: Sequence[DocumentView], title: str | None = None) -> str:
    """The whole page, documents worst first."""
    ordered = sorted(docs, key=lambda d: -d.scores.document)
    title = title or ("ungarble report: " + ", ".join(d.path for d in ordered[:3])
                      + (" …" if len(ordered) > 3 else ""))
    toc = "".join(f'<li><a href="#d{i}">{_esc(d.path)}</a> <span class="dscore" '
                  f'style="background-color: {shade(d.scores.document)}">{d.scores.document:.0f}</span></li>'
                  for i, d in enumerate(ordered, 1))
    body = "".join(_document(d, i) for i, d in enumerate(ordered, 1))
    legend = "".join(f'<span style="background-color: {shade(s)}">{s}</span>' for s in (0, 20, 40, 60, 80, 100))
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<title>{_esc(title)}</title>
<style>{_CSS}</style>
</head>
<body>
<h1>{_esc(title)}</h1>
<p>Garble score: 0 = clean, 100 = unreadable (about the share of words a post-editor would change).
Hover over a highlight for its finding; press <kbd>j</kbd>/<kbd>k</kbd> to step through the worst paragraphs.</p>
<p class="legend">{legend}</p>
<ol class="toc">{toc}</ol>
{body}
<script>{_JS}</script>
</body>
</html>
"""
