"""The HTML report, loaded from disk in a real headless Chromium (Debian's `chromium`), offline."""
from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
import zlib

import pytest

import repair
from repair.report import html
from repair.report.metrics import metrics_for
from repair.score import findings_for_score, score_text

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = [pytest.mark.skipif(CHROMIUM is None, reason="needs Chromium (apt-get install -y chromium)"),
              pytest.mark.slow]

TEXT = ("The the committee decided decided to to approve approve the plan plan on Tuesday. "
        "He said said that that that the the vote vote was was fair fair fair.\n\n"
        "The library opens at nine in the morning and closes at six in the evening. Most visitors come on "
        "Saturdays, when the reading room is quiet and full of light.\n")


def _page(tmp_path):
    result = repair.analyse(TEXT, grammar="none")
    findings = findings_for_score(TEXT, result)
    metrics = metrics_for(TEXT, result)
    scores = score_text(TEXT, findings)
    doc = html.DocumentView("sample.txt", TEXT, result.fixed, findings, scores, metrics)
    path = tmp_path / "report.html"
    path.write_text(html.render([doc]), encoding="utf-8")
    return path, scores, result


def _chromium(tmp_path, *args):
    profile = tmp_path / "profile"
    cmd = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
           "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={profile}",
           "--virtual-time-budget=2000", *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120, cwd=tmp_path)


def test_rendered_dom_has_shaded_paragraphs_findings_and_diff(tmp_path):
    path, scores, result = _page(tmp_path)
    out = _chromium(tmp_path, "--dump-dom", path.as_uri())
    dom = out.stdout
    assert out.returncode == 0 and "<html" in dom, out.stderr[-2000:]
    # the inline script ran (offline): it built one strip cell per paragraph and marked the body
    assert f'data-ready="{len(scores.paragraphs)}"' in dom
    assert len(re.findall(r'class="strip-cell"', dom)) == len(scores.paragraphs) == 2
    paras = re.findall(r'<div class="para" id="d1p(\d)" data-score="([\d.]+)" style="background-color: ([^"]+)"', dom)
    assert [p[0] for p in paras] == ["1", "2"]
    assert float(paras[0][1]) > float(paras[1][1])
    # every finding is highlighted with its message as the hover text
    marks = re.findall(r'<mark class="finding[^"]*" title="([^"]*)"', dom)
    assert marks and all(": " in m for m in marks)
    assert any("mt." in m for m in marks)
    # the proposed repair, side by side
    assert "<table class=\"diff\">" in dom and "<del>" in dom
    assert result.changed


def _png_pixels(data: bytes):
    """Decode an 8-bit RGB/RGBA non-interlaced PNG (what Chromium writes) to rows of (r, g, b)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, width = 8, b"", 0
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", body)
            assert depth == 8 and colour in (2, 6) and interlace == 0
            channels = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = width * channels
    rows, prev = [], bytearray(stride)
    for y in range(height):
        f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - channels] if i >= channels else 0
            b = prev[i]
            c = prev[i - channels] if i >= channels else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append([tuple(line[x * channels:x * channels + 3]) for x in range(width)])
        prev = line
    return rows


def test_screenshot_shows_the_garbled_paragraph_shaded(tmp_path):
    path, scores, _ = _page(tmp_path)
    shot = tmp_path / "shot.png"
    out = _chromium(tmp_path, f"--screenshot={shot}", "--window-size=1200,900", path.as_uri())
    assert shot.exists(), out.stderr[-2000:]
    pixels = [px for row in _png_pixels(shot.read_bytes()) for px in row]
    worst = max(scores.paragraphs, key=lambda p: p.score)
    expected = tuple(int(v) for v in re.findall(r"\d+", html.shade(worst.score)))
    assert expected != (255, 255, 255)
    # a shaded paragraph box covers thousands of pixels of exactly its colour
    assert sum(1 for px in pixels if px == expected) > 2000
