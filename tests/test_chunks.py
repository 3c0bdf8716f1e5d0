"""Large texts chunk by chunk (repair.chunks, issue 18 item 8): bounded work per pipeline run,
and the same findings, diff and written bytes as one run over the whole text."""
import json
import os
import subprocess
import sys

import pytest

from repair import api, chunks, pipeline
from repair.api import checks_for, make_options

PARAGRAPHS = [
    "The committee met on Tuesday to discuss the budget. They didnâ€™t agree on the the main points.",
    "Photo: Jane Doe Credit: Jane Doe Credit: Jane Doe",
    "The cafÃ© on the corner was closed &amp; the street was empty that evening.",
    "Subscribe to our newsletter for more stories like this one every single week.",
    "It is it is a strange thing to say, but the report was finished early.",
    "The committee met on Tuesday to discuss the budget. They didnâ€™t agree on the the main points.",
    "Subscribe to our newsletter for more stories like this one every single week.",
    "He said that the plan would strengthen and strengthen the economy. Told.",
    "The weather was cold and the wind blew from the north all through the night.",
    "Subscribe to our newsletter for more stories like this one every single week.",
    "The last paragraph of the text is here, and it ends without any closing",
]
SAMPLE = "\n\n".join(PARAGRAPHS) + "\n"
# chunks of a quarter of this: about one paragraph each, never cutting one
SMALL = "440"


def _run(args, env_threshold=None, input_bytes=None, cwd=None):
    env = dict(os.environ)
    env.pop(chunks.THRESHOLD_ENV, None)
    if env_threshold is not None:
        env[chunks.THRESHOLD_ENV] = env_threshold
    return subprocess.run([sys.executable, "-m", "repair.cli", *args], capture_output=True, env=env,
                          input=input_bytes, cwd=cwd)


def test_bounds_cover_the_text_at_paragraph_breaks():
    size = int(SMALL) // 4
    parts = list(chunks.bounds(SAMPLE, size))
    assert len(parts) >= 8
    assert "".join(SAMPLE[s:e] for s, e in parts) == SAMPLE
    assert all(e == s2 for (_, e), (s2, _) in zip(parts, parts[1:]))
    for s, e in parts[:-1]:
        assert SAMPLE[e - 2:e] == "\n\n" and SAMPLE[e] not in "\n "  # after a whole blank-line run
        assert e - s <= size


def test_a_crlf_line_break_inside_a_paragraph_is_not_a_chunk_boundary():
    # the pipeline's paragraphs (repair.text): a lone CRLF is one line break, not a blank line
    text = "\r\n\r\n".join(f"Paragraph {i} starts here\r\nand goes on to a second line." for i in range(12))
    parts = list(chunks.bounds(text, 120))
    assert len(parts) >= 4 and "".join(text[s:e] for s, e in parts) == text
    for _, e in parts[:-1]:
        assert text[e - 4:e] == "\r\n\r\n", repr(text[e - 20:e + 5])
    assert chunks._count_paragraphs(text) == 12


def test_a_long_line_is_cut_within_the_bound_at_a_sentence_end_or_space():
    line = " ".join(f"Sentence number {i} is here." for i in range(500))
    parts = list(chunks.bounds(line, 1000))
    assert "".join(line[s:e] for s, e in parts) == line
    assert all(e - s <= 1000 for s, e in parts)
    assert all(line[e - 2:e] == ". " for _, e in parts[:-1])
    words = "word " * 1000
    assert all(words[e - 1] == " " for _, e in list(chunks.bounds(words, 333))[:-1])
    crlf = "x" * 9 + "\r\n" + "y" * 20
    assert all(crlf[e - 1:e + 1] != "\r\n" for _, e in chunks.bounds(crlf, 10))


def test_each_pipeline_run_sees_one_bounded_chunk(monkeypatch):
    options = make_options(grammar="none")
    text = SAMPLE * 30  # 330 paragraphs
    seen = []
    real = pipeline.run

    def counting(chunk, opts, checks):
        seen.append(len(chunk))
        return real(chunk, opts, checks)

    monkeypatch.setattr(pipeline, "run", counting)
    monkeypatch.setattr(api, "run", counting)
    monkeypatch.setenv(chunks.THRESHOLD_ENV, "4000")
    result = chunks.analyse(text, options)
    assert len(seen) >= len(text) // 1000 and max(seen) <= 2000
    assert result.original == text and result.chunks == len(seen)
    seen.clear()
    monkeypatch.delenv(chunks.THRESHOLD_ENV)
    chunks.analyse(text, options)  # below the default threshold: one run, as before
    assert seen == [len(text)]


def test_chunked_findings_and_repair_equal_the_whole_run(monkeypatch):
    options = make_options(grammar="none")
    whole = pipeline.run(SAMPLE, options, checks_for(options))
    monkeypatch.setenv(chunks.THRESHOLD_ENV, SMALL)
    chunked = chunks.analyse(SAMPLE, options)
    assert chunked.chunks >= 8
    assert chunked.findings == whole.findings
    assert chunked.fixed == whole.fixed and chunked.unstable == whole.unstable
    order = lambda e: (e.span.start, e.span.end, e.rule)  # noqa: E731 (chunk by chunk, not pass by pass)
    assert sorted(chunked.applied, key=order) == sorted(whole.applied, key=order)
    rules = [f.rule for f in chunked.findings]
    # across chunks: the copies of paragraphs 1 and 4 (lines 1 and 7) in later chunks
    dups = [f for f in chunked.findings if f.rule == "boilerplate.duplicate-paragraph"]
    assert len(dups) == 3 and {"line 1 " in f.message or "line 7 " in f.message for f in dups} == {True}
    assert "encoding.mojibake" in rules and "quotes.unfinished-end" in rules


def test_end_of_text_rules_do_not_fire_at_chunk_ends(monkeypatch):
    options = make_options(grammar="none")
    text = "\n\n".join(["The first paragraph ends in the middle of a sentence, with no stop at all and"] * 1 +
                       [f"Paragraph {i} is complete and ends as it should." for i in range(12)]) + "\n"
    whole = pipeline.run(text, options, checks_for(options))
    monkeypatch.setenv(chunks.THRESHOLD_ENV, "400")
    chunked = chunks.analyse(text, options)
    assert chunked.chunks > 3
    assert chunked.findings == whole.findings
    assert not any(f.rule.startswith("quotes.") for f in chunked.findings)


@pytest.mark.parametrize("fmt", ["json", "concise"])
def test_check_output_is_identical_above_the_threshold(tmp_path, fmt):
    path = tmp_path / "big.txt"
    path.write_text(SAMPLE, encoding="utf-8")
    args = ["check", "--grammar", "none", "--format", fmt, str(path)]
    whole, chunked = _run(args), _run(args, SMALL)
    assert whole.returncode == chunked.returncode == 1
    assert chunked.stdout == whole.stdout
    if fmt == "json":
        findings = json.loads(chunked.stdout)["files"][0]["findings"]
        assert any(f["rule"] == "boilerplate.duplicate-paragraph" and f["line"] == 11 for f in findings)


def test_score_is_identical_above_the_threshold(tmp_path):
    path = tmp_path / "big.txt"
    path.write_text(SAMPLE, encoding="utf-8")
    args = ["score", "--grammar", "none", "--format", "json", str(path)]
    whole, chunked = _run(args), _run(args, SMALL)
    assert whole.returncode == chunked.returncode == 0
    assert chunked.stdout == whole.stdout


@pytest.mark.parametrize("unsafe", [False, True])
def test_fix_diff_and_write_are_identical_above_the_threshold(tmp_path, unsafe):
    flags = ["--unsafe"] if unsafe else []
    data = SAMPLE.replace("\n", "\r\n").encode("cp1252", errors="replace")
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir(), b.mkdir()
    (a / "big.txt").write_bytes(data)
    (b / "big.txt").write_bytes(data)
    os.chmod(b / "big.txt", 0o640)
    os.chmod(a / "big.txt", 0o640)
    diff_whole = _run(["fix", "--grammar", "none", *flags, "big.txt"], cwd=a)
    diff_chunked = _run(["fix", "--grammar", "none", *flags, "big.txt"], SMALL, cwd=b)
    assert diff_whole.returncode == diff_chunked.returncode == 1
    assert diff_chunked.stdout == diff_whole.stdout and diff_whole.stdout
    whole = _run(["fix", "--write", "--grammar", "none", *flags, "big.txt"], cwd=a)
    chunked = _run(["fix", "--write", "--grammar", "none", *flags, "big.txt"], SMALL, cwd=b)
    assert whole.returncode == chunked.returncode == 1
    assert (b / "big.txt").read_bytes() == (a / "big.txt").read_bytes() != data
    assert b"\r\n" in (b / "big.txt").read_bytes()
    assert oct(os.stat(b / "big.txt").st_mode & 0o777) == oct(0o640)
    assert sorted(os.listdir(b)) == ["big.txt"]  # no temp file left


def test_stdin_filter_is_identical_above_the_threshold():
    data = SAMPLE.encode("utf-8")
    args = ["fix", "--write", "--grammar", "none", "-"]
    assert _run(args, SMALL, input_bytes=data).stdout == _run(args, input_bytes=data).stdout != data


def test_markdown_is_not_chunked(monkeypatch):
    options = make_options(grammar="none", markdown=True)
    monkeypatch.setenv(chunks.THRESHOLD_ENV, "100")
    assert not chunks.wanted(len(SAMPLE), options)
    assert not hasattr(chunks.analyse(SAMPLE, options), "chunks")


def test_a_chunked_file_is_written_chunk_by_chunk_with_one_bom(monkeypatch, tmp_path):
    from repair.decode import decode, encode
    from repair.files import atomic_write

    monkeypatch.setenv(chunks.THRESHOLD_ENV, SMALL)
    data = b"\xef\xbb\xbf" + SAMPLE.replace("\n", "\r\n").encode("utf-8")
    doc = decode(data, str(tmp_path / "big.txt"))
    result = chunks.analyse(doc.text, make_options(grammar="none"))
    pieces = chunks.encoded(doc, result)
    assert not isinstance(pieces, bytes)
    pieces = list(pieces)
    assert len(pieces) == result.chunks >= 8
    assert b"".join(pieces) == encode(doc, result.fixed) and b"".join(pieces).count(b"\xef\xbb\xbf") == 1
    target = tmp_path / "big.txt"
    target.write_bytes(data)
    atomic_write(str(target), iter(pieces))
    assert target.read_bytes() == encode(doc, result.fixed)


def test_a_failing_piece_leaves_the_file_and_no_temp_file(tmp_path):
    from repair.decode import EncodeError
    from repair.files import atomic_write

    target = tmp_path / "big.txt"
    target.write_bytes(b"old")

    def pieces():
        yield b"new "
        raise EncodeError("big.txt: cp1252 cannot represent 'x' at line 9")

    with pytest.raises(EncodeError):
        atomic_write(str(target), pieces())
    assert target.read_bytes() == b"old" and os.listdir(tmp_path) == ["big.txt"]
