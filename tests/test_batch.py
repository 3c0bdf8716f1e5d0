"""Batch mode: JSON Lines in and out, bad records, parallel workers, resuming after a real kill."""
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from repair.api import analyse
from repair.batch import BatchConfig, BatchError, run_batch, score_hook
from repair.cli import main
from repair.cli_batch import batch
from repair.options import Options
from repair.report import LineIndex
from repair.report.jsonout import finding_dict

ROOT = Path(__file__).resolve().parents[1]
NO_GRAMMAR = Options(grammar="none")

GARBLED = "The museum didnâ€™t open on Sunday because the the guards were on strike."
CLEAN = "Our neighbours planted three apple trees along the fence last spring."
MOJIBAKE_2 = "She ordered a crÃ¨me brÃ»lÃ©e and a glass of water."


def write_jsonl(path, rows):
    with open(path, "w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(row if isinstance(row, str) else json.dumps(row, ensure_ascii=False))
            fh.write("\n")


def read_out(path):
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


def test_each_record_gets_findings_fixed_text_and_its_fields(tmp_path):
    src, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    write_jsonl(src, [{"id": "g1", "lang": "ja-en", "body": GARBLED}, {"id": "c1", "body": CLEAN}])
    stats = run_batch(str(src), str(out), BatchConfig(NO_GRAMMAR, text_field="body"))
    rows = read_out(out)
    assert stats.written == 2 and stats.errors == 0 and stats.changed == 1
    assert [r["id"] for r in rows] == ["g1", "c1"]
    assert rows[0]["lang"] == "ja-en" and rows[0]["body"] == GARBLED
    info = rows[0]["ungarble"]
    expected = analyse(GARBLED, NO_GRAMMAR)
    assert info["line"] == 1 and info["changed"] is True
    assert info["fixed"] == expected.fixed and "didn’t" in info["fixed"] and "the the" not in info["fixed"]
    # the same finding objects `check --format json` prints
    index = LineIndex(GARBLED)
    assert info["findings"] == [finding_dict(f, index) for f in expected.findings]
    rules = {f["rule"] for f in info["findings"]}
    assert "encoding.mojibake" in rules and any(r.startswith("mt.repeated") for r in rules)
    if score_hook() is None:
        assert info["score"] is None
    elif "score_error" not in info:  # repair.score present and its model shipped
        assert 0 <= rows[1]["ungarble"]["score"] < info["score"] <= 100
    assert rows[1]["ungarble"]["changed"] is False and rows[1]["ungarble"]["fixed"] == CLEAN


def test_bad_records_become_error_lines_and_the_run_goes_on(tmp_path):
    src, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    write_jsonl(src, [
        {"id": 1, "text": GARBLED},
        '{"id": 2, "text": "unterminated',
        "",
        {"id": 3, "title": "no text here"},
        {"id": 4, "text": None},
        "[1, 2, 3]",
        {"id": 5, "text": MOJIBAKE_2},
    ])
    result = CliRunner().invoke(batch, [str(src), "-o", str(out), "--grammar", "none", "-j", "1"])
    assert result.exit_code == 1, result.output  # done, but some records were bad
    rows = read_out(out)
    assert [r["ungarble"]["line"] for r in rows] == [1, 2, 4, 5, 6, 7]  # the blank line 3 is no record
    errors = {r["ungarble"]["line"]: r["ungarble"]["error"] for r in rows if "error" in r["ungarble"]}
    assert set(errors) == {2, 4, 5, 6}
    assert errors[2].startswith("line 2: not valid JSON")
    assert "no field 'text'" in errors[4] and "null" in errors[5] and "array" in errors[6]
    assert rows[2]["id"] == 3  # a record without its text still carries its id
    assert rows[-1]["id"] == 5 and rows[-1]["ungarble"]["fixed"] == "She ordered a crème brûlée and a glass of water."
    assert "4 bad" in result.stderr


@pytest.mark.slow
def test_two_workers_write_what_one_process_writes(tmp_path):
    src = tmp_path / "in.jsonl"
    texts = [GARBLED, CLEAN, MOJIBAKE_2, "It rained rained all day in the the valley."]
    write_jsonl(src, [{"n": i, "text": texts[i % len(texts)] + f" Item {i}."} for i in range(40)])
    one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    run_batch(str(src), str(one), BatchConfig(NO_GRAMMAR), jobs=1, chunk_size=3)
    stats = run_batch(str(src), str(two), BatchConfig(NO_GRAMMAR), jobs=2, chunk_size=3)
    assert stats.written == 40
    assert two.read_bytes() == one.read_bytes()


def test_a_second_run_does_nothing_and_a_torn_last_line_is_redone(tmp_path):
    src, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    write_jsonl(src, [{"id": i, "text": f"{CLEAN} Number {i}."} for i in range(10)])
    config = BatchConfig(NO_GRAMMAR)
    run_batch(str(src), str(out), config, chunk_size=4)
    complete = out.read_bytes()
    again = run_batch(str(src), str(out), config)
    assert again.written == 0 and again.resumed == 10 and out.read_bytes() == complete
    # keep 6 records and half of the 7th, as a kill in the middle of a write would
    lines = complete.splitlines(keepends=True)
    out.write_bytes(b"".join(lines[:6]) + lines[6][:25])
    resumed = run_batch(str(src), str(out), config)
    assert resumed.resumed == 6 and resumed.written == 4
    assert out.read_bytes() == complete


def test_resuming_against_a_different_input_is_refused(tmp_path):
    src, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    write_jsonl(src, [{"text": CLEAN}, {"text": GARBLED}, {"text": MOJIBAKE_2}])
    config = BatchConfig(NO_GRAMMAR)
    run_batch(str(src), str(out), config)
    out.write_bytes(b"".join(out.read_bytes().splitlines(keepends=True)[:2]))
    write_jsonl(src, [{"text": CLEAN}, {"text": "Something else entirely."}, {"text": MOJIBAKE_2}])
    before = out.read_bytes()
    with pytest.raises(BatchError, match="different input"):
        run_batch(str(src), str(out), config)
    assert out.read_bytes() == before
    fresh = run_batch(str(src), str(out), config, overwrite=True)
    assert fresh.written == 3 and len(read_out(out)) == 3


def test_a_directory_of_files(tmp_path):
    docs = tmp_path / "docs"
    (docs / "sub").mkdir(parents=True)
    (docs / "a.txt").write_text(GARBLED + "\n", encoding="utf-8")
    legacy = "The café served warm crêpes to every guest who asked for them."
    (docs / "sub" / "b.txt").write_bytes((legacy + "\n").encode("cp1252"))
    (docs / "skip.bin").write_bytes(b"\x00\x01")
    out = tmp_path / "out.jsonl"
    stats = run_batch(str(docs), str(out), BatchConfig(NO_GRAMMAR))
    rows = read_out(out)
    assert stats.written == 2
    assert [Path(r["path"]).name for r in rows] == ["a.txt", "b.txt"]
    assert rows[0]["ungarble"]["encoding"] == "utf-8" and "didn’t" in rows[0]["ungarble"]["fixed"]
    assert rows[1]["ungarble"]["encoding"] == "cp1252" and rows[1]["text"] == legacy + "\n"
    assert rows[1]["ungarble"]["fixed"] == legacy + "\n"
    again = run_batch(str(docs), str(out), BatchConfig(NO_GRAMMAR))
    assert again.written == 0 and again.resumed == 2


def _batch_command():
    if "batch" in main.commands:
        return [sys.executable, "-m", "repair.cli", "batch"]
    return [sys.executable, "-m", "repair.cli_batch"]


def _children(pid):
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []


def _alive(pid):
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().split(") ")[-1][0] != "Z"
    except FileNotFoundError:
        return False


def _complete_lines(path):
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return 0
    return data.count(b"\n")


@pytest.mark.slow
def test_resume_after_a_real_kill_finishes_every_record_exactly_once(tmp_path):
    total = 2500
    src, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    bad_line = 777
    rows = []
    for i in range(1, total + 1):
        if i == bad_line:
            rows.append('{"id": "broken", "text": ')  # an injected bad record
        else:
            rows.append({"id": f"r{i}", "text": (GARBLED, CLEAN, MOJIBAKE_2)[i % 3] + f" Line {i}."})
    write_jsonl(src, rows)
    cmd = _batch_command() + [str(src), "-o", str(out), "--grammar", "none", "-j", "2", "--chunk-size", "10"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}

    proc = subprocess.Popen(cmd, cwd=tmp_path, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while _complete_lines(out) < 200 and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.01)
        workers = _children(proc.pid)
        assert workers or not Path("/proc/self/task").exists()
        proc.send_signal(signal.SIGKILL)  # as the OOM killer would: no chance to clean up
        proc.wait()
        # the orphaned workers notice and exit rather than wait for work forever
        deadline = time.monotonic() + 10
        while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not any(_alive(pid) for pid in workers)
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.stderr.close()
    written_before = _complete_lines(out)
    assert 0 < written_before < total - 1, "the kill came too late to test resuming"
    prefix = out.read_bytes()[: out.read_bytes().rfind(b"\n") + 1]

    done = subprocess.run(cmd, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 1, done.stderr  # complete, with one bad record
    assert f"resuming: {written_before:,} records" in done.stderr

    data = out.read_bytes()
    assert data.startswith(prefix)  # finished records were neither rewritten nor redone
    records = [json.loads(line) for line in data.splitlines()]
    lines = [r["ungarble"]["line"] for r in records]
    assert lines == list(range(1, total + 1))  # every record exactly once, in order
    errors = [r for r in records if "error" in r["ungarble"]]
    assert [r["ungarble"]["line"] for r in errors] == [bad_line]
    assert all(r["id"] == f"r{r['ungarble']['line']}" for r in records if "error" not in r["ungarble"])
    assert all("didn’t" in r["ungarble"]["fixed"] for r in records if r.get("text", "").startswith("The museum"))


def test_configuration_files_apply_to_the_input_and_to_each_file(tmp_path):
    (tmp_path / ".ungarble.toml").write_text('grammar = "none"\nignore = ["mt"]\n'
                                             '[per-file-ignores]\n"docs/legacy/*" = ["encoding"]\n', encoding="utf-8")
    src, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    write_jsonl(src, [{"text": GARBLED}])
    result = CliRunner().invoke(batch, [str(src), "-o", str(out), "-j", "1"])
    assert result.exit_code == 0, result.output
    rules = {f["rule"] for f in read_out(out)[0]["ungarble"]["findings"]}
    assert "encoding.mojibake" in rules and not any(r.startswith("mt.") for r in rules)
    assert not any(f["source"] == "harper" for f in read_out(out)[0]["ungarble"]["findings"])

    for folder in ("new", "legacy"):
        (tmp_path / "docs" / folder).mkdir(parents=True)
        (tmp_path / "docs" / folder / "a.txt").write_text(GARBLED + "\n", encoding="utf-8")
    out2 = tmp_path / "docs.jsonl"
    result = CliRunner().invoke(batch, [str(tmp_path / "docs"), "-o", str(out2), "-j", "1"])
    assert result.exit_code == 0, result.output
    by_folder = {Path(r["path"]).parent.name: {f["rule"] for f in r["ungarble"]["findings"]} for r in read_out(out2)}
    assert "encoding.mojibake" in by_folder["new"] and "encoding.mojibake" not in by_folder["legacy"]
    # flags win over the file
    out3 = tmp_path / "out3.jsonl"
    CliRunner().invoke(batch, [str(src), "-o", str(out3), "-j", "1", "--ignore", "encoding"])
    rules = {f["rule"] for f in read_out(out3)[0]["ungarble"]["findings"]}
    assert "encoding.mojibake" not in rules and any(r.startswith("mt.") for r in rules)


# ---------------------------------------------------------------- trust: interrupts, resume, limits, output

def _lines_of(path):
    return [r["ungarble"]["line"] for r in read_out(path)]


@pytest.mark.slow
def test_ctrl_c_twice_stops_at_once_keeps_every_finished_record_and_exits_130(tmp_path):
    total = 3000
    src, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    write_jsonl(src, [{"id": i, "text": f"{GARBLED} Line {i}."} for i in range(1, total + 1)])
    cmd = _batch_command() + [str(src), "-o", str(out), "--grammar", "none", "-j", "2", "--chunk-size", "100"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(cmd, cwd=tmp_path, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            text=True, start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while _complete_lines(out) < 200 and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.01)
        assert proc.poll() is None, "the run ended before it could be interrupted"
        workers = _children(proc.pid)
        os.killpg(proc.pid, signal.SIGINT)  # as a terminal's Ctrl-C: the whole process group
        time.sleep(0.2)
        stopped = time.monotonic()
        try:
            os.killpg(proc.pid, signal.SIGINT)  # an impatient second Ctrl-C
        except ProcessLookupError:
            pass  # it had already stopped
        _, err = proc.communicate(timeout=60)
        took = time.monotonic() - stopped
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    assert proc.returncode == 130, err
    assert "Traceback" not in err
    assert took < 10  # generous: it stops in about a second, it never waits for the workers' chunks
    deadline = time.monotonic() + 10  # (multiprocessing's resource tracker exits when it sees its parent gone)
    while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(_alive(pid) for pid in workers)
    kept = _complete_lines(out)
    assert 0 < kept < total
    assert f"interrupted: {kept:,} records kept in {out}; run the same command to finish" in err
    assert out.read_bytes().endswith(b"\n") and _lines_of(out) == list(range(1, kept + 1))


def test_ctrl_c_with_one_job_keeps_the_records_finished_in_the_current_chunk(tmp_path, monkeypatch):
    from repair.batch import records as batch_module

    src, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    write_jsonl(src, [{"id": i, "text": f"{CLEAN} Number {i}."} for i in range(1, 11)])
    real = batch_module.analysis

    def analysis(text, options, **kw):
        if "Number 6." in text:
            raise KeyboardInterrupt  # Ctrl-C in the middle of record 6
        return real(text, options, **kw)

    monkeypatch.setattr(batch_module, "analysis", analysis)
    with pytest.raises(batch_module.Interrupted) as caught:
        run_batch(str(src), str(out), BatchConfig(NO_GRAMMAR), jobs=1, chunk_size=64)
    assert caught.value.kept == 5 and _lines_of(out) == [1, 2, 3, 4, 5]
    monkeypatch.setattr(batch_module, "analysis", real)
    again = run_batch(str(src), str(out), BatchConfig(NO_GRAMMAR))
    assert again.resumed == 5 and again.written == 5 and _lines_of(out) == list(range(1, 11))


def test_a_wrong_text_field_stops_before_any_work_and_names_the_fields(tmp_path):
    src, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    write_jsonl(src, [{"id": i, "body": f"{CLEAN} {i}", "lang": "en"} for i in range(50)])
    result = CliRunner().invoke(batch, [str(src), "-o", str(out), "--grammar", "none", "-j", "1"])
    assert result.exit_code == 2
    assert "no field 'text' in the first 20 records (--text-field); they have: 'id', 'body', 'lang'" in result.stderr
    assert not out.exists() or out.read_bytes() == b""  # nothing to skip on the rerun with the right field
    result = CliRunner().invoke(batch, [str(src), "-o", str(out), "--grammar", "none", "-j", "1",
                                        "--text-field", "body"])
    assert result.exit_code == 0, result.stderr
    assert len(read_out(out)) == 50


def test_a_rerun_retries_failed_records_and_their_new_lines_replace_the_errors(tmp_path):
    src, out, fresh = tmp_path / "in.jsonl", tmp_path / "out.jsonl", tmp_path / "fresh.jsonl"
    rows = [{"id": i, "text": (MOJIBAKE_2 * 3 if i % 4 == 0 else CLEAN) + f" {i}."} for i in range(1, 31)]
    write_jsonl(src, rows)
    run_batch(str(src), str(out), BatchConfig(NO_GRAMMAR, max_record_bytes=150), chunk_size=4)
    first = read_out(out)
    assert [r["ungarble"]["line"] for r in first if "error" in r["ungarble"]] == list(range(4, 31, 4))
    assert all("too large" in r["ungarble"]["error"] for r in first if "error" in r["ungarble"])
    os.chmod(out, 0o640)

    stats = run_batch(str(src), str(out), BatchConfig(NO_GRAMMAR), chunk_size=4)
    assert stats.retried == 7 and stats.written == 7 and stats.resumed == 23
    run_batch(str(src), str(fresh), BatchConfig(NO_GRAMMAR))
    assert out.read_bytes() == fresh.read_bytes()  # one line per record, in order, no error left
    assert _lines_of(out) == list(range(1, 31))
    assert os.stat(out).st_mode & 0o777 == 0o640
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".out.jsonl.")]  # no temporary file left
    again = run_batch(str(src), str(out), BatchConfig(NO_GRAMMAR))
    assert again.written == 0 and out.read_bytes() == fresh.read_bytes()


def test_ctrl_c_while_retrying_loses_no_line_of_the_earlier_output(tmp_path, monkeypatch):
    from repair.batch import records as batch_module

    src, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    write_jsonl(src, [{"id": i, "text": (MOJIBAKE_2 * 3 if i in (3, 6, 9) else CLEAN) + f" {i}."}
                      for i in range(1, 13)])
    run_batch(str(src), str(out), BatchConfig(NO_GRAMMAR, max_record_bytes=150))
    before = read_out(out)
    real = batch_module.analysis

    def analysis(text, options, **kw):
        if text.endswith(" 6."):
            raise KeyboardInterrupt
        return real(text, options, **kw)

    monkeypatch.setattr(batch_module, "analysis", analysis)
    with pytest.raises(batch_module.Interrupted) as caught:
        run_batch(str(src), str(out), BatchConfig(NO_GRAMMAR))
    after = read_out(out)
    assert caught.value.kept == 12 and _lines_of(out) == list(range(1, 13))
    assert "error" not in after[2]["ungarble"] and "didn" not in after[2]["ungarble"]["fixed"]  # 3 redone
    assert after[5] == before[5] and after[8] == before[8]  # 6 and 9 still their old error lines
    assert after[:2] == before[:2] and after[9:] == before[9:]
    monkeypatch.setattr(batch_module, "analysis", real)
    run_batch(str(src), str(out), BatchConfig(NO_GRAMMAR))
    assert _lines_of(out) == list(range(1, 13)) and not any("error" in r["ungarble"] for r in read_out(out))


def test_an_input_field_named_like_the_results_is_never_replaced(tmp_path):
    src, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    write_jsonl(src, [{"id": 1, "text": GARBLED, "ungarble": {"reviewed": True}}])
    result = CliRunner().invoke(batch, [str(src), "-o", str(out), "--grammar", "none", "-j", "1"])
    assert result.exit_code == 2 and "field 'ungarble'" in result.stderr and "--result-key" in result.stderr
    assert not out.exists() or out.read_bytes() == b""
    result = CliRunner().invoke(batch, [str(src), "-o", str(out), "--grammar", "none", "-j", "1",
                                        "--result-key", "repair"])
    assert result.exit_code == 0, result.stderr
    row = read_out(out)[0]
    assert row["ungarble"] == {"reviewed": True} and "didn’t" in row["repair"]["fixed"]
    # a later record with the field (past the first records looked at): an error line, its data not replaced
    rows = [{"id": i, "text": CLEAN} for i in range(30)] + [{"id": 30, "text": CLEAN, "ungarble": "mine"}]
    write_jsonl(src, rows)
    out2 = tmp_path / "out2.jsonl"
    stats = run_batch(str(src), str(out2), BatchConfig(NO_GRAMMAR))
    last = read_out(out2)[-1]
    assert stats.errors == 1 and "already has a field 'ungarble'" in last["ungarble"]["error"]
    assert "id" not in last and last["ungarble"]["line"] == 31


@pytest.mark.parametrize("where", ["missing/out.jsonl", "a-directory", "/dev/full"])
@pytest.mark.slow
def test_output_errors_are_one_line_and_exit_2(tmp_path, where):
    if where == "/dev/full" and not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full here")
    src = tmp_path / "in.jsonl"
    write_jsonl(src, [{"text": CLEAN}])
    (tmp_path / "a-directory").mkdir()
    cmd = _batch_command() + [str(src), "-o", where, "--grammar", "none", "-j", "1"]
    done = subprocess.run(cmd, cwd=tmp_path, capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1, done.stderr


def test_a_full_disk_leaves_no_torn_last_line(tmp_path, monkeypatch):
    import errno

    from repair.batch import records as batch_module

    src, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    write_jsonl(src, [{"id": i, "text": f"{CLEAN} {i}."} for i in range(1, 9)])
    real_write, calls = os.write, []

    def write(fd, data):
        calls.append(len(data))
        if len(calls) == 2:  # the second chunk: half of it lands, then the disk is full
            real_write(fd, bytes(data[: len(data) // 2]))
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real_write(fd, data)

    monkeypatch.setattr(batch_module.os, "write", write)
    with pytest.raises(BatchError, match="No space left on device.*4 records before are complete"):
        run_batch(str(src), str(out), BatchConfig(NO_GRAMMAR), chunk_size=4)
    assert out.read_bytes().endswith(b"\n") and _lines_of(out) == [1, 2, 3, 4]
    monkeypatch.setattr(batch_module.os, "write", real_write)
    run_batch(str(src), str(out), BatchConfig(NO_GRAMMAR))
    assert _lines_of(out) == list(range(1, 9))


@pytest.mark.slow
def test_a_deeply_nested_and_a_huge_record_become_error_lines_and_every_other_record_is_written(tmp_path):
    src, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    total = 300
    with open(src, "w", encoding="utf-8") as fh:
        for i in range(1, total + 1):
            if i == 201:
                fh.write('{"id": 201, "text": "x", "deep": ' + "[" * 2000 + "]" * 2000 + "}\n")
            elif i == 100:
                fh.write(json.dumps({"id": i, "text": "word " * 2_100_000}) + "\n")  # 10.5 MB
            else:
                fh.write(json.dumps({"id": i, "text": f"{MOJIBAKE_2} {i}."}) + "\n")
    for jobs in (1, 2):
        stats = run_batch(str(src), str(out), BatchConfig(NO_GRAMMAR, with_score=False), jobs=jobs,
                          chunk_size=64, overwrite=True)
        rows = read_out(out)
        assert [r["ungarble"]["line"] for r in rows] == list(range(1, total + 1))
        errors = {r["ungarble"]["line"]: r["ungarble"]["error"] for r in rows if "error" in r["ungarble"]}
        assert set(errors) == {100, 201} and stats.errors == 2
        assert "too large" in errors[100] and "nested too deeply" in errors[201]
        assert rows[98]["id"] == 99 and "crème" in rows[98]["ungarble"]["fixed"]  # the record before the big one
    # and a rerun retries both, fails the same way, and still holds each record once
    again = run_batch(str(src), str(out), BatchConfig(NO_GRAMMAR, with_score=False))
    assert again.retried == 2 and _lines_of(out) == list(range(1, total + 1))


def test_a_record_over_the_time_limit_becomes_an_error_line(tmp_path, monkeypatch):
    from repair.batch import records as batch_module

    src, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    write_jsonl(src, [{"id": i, "text": f"{CLEAN} {'SLOW' if i == 2 else ''} {i}."} for i in range(1, 5)])
    real = batch_module.analysis

    def analysis(text, options, **kw):
        if "SLOW" in text:
            time.sleep(600)
        return real(text, options, **kw)

    monkeypatch.setattr(batch_module, "analysis", analysis)
    stats = run_batch(str(src), str(out), BatchConfig(NO_GRAMMAR, record_timeout=1), jobs=1)
    rows = read_out(out)
    assert stats.errors == 1 and _lines_of(out) == [1, 2, 3, 4]
    assert rows[1]["ungarble"]["error"] == "line 2: took longer than 1 s (--record-timeout)"


@pytest.mark.slow
def test_the_time_limit_applies_in_worker_processes(tmp_path):
    src, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    write_jsonl(src, [{"id": 1, "text": CLEAN}, {"id": 2, "text": (MOJIBAKE_2 + " ") * 20_000}, {"id": 3, "text": CLEAN}])
    run_batch(str(src), str(out), BatchConfig(NO_GRAMMAR, record_timeout=0.05), jobs=2, chunk_size=1)
    rows = read_out(out)
    assert _lines_of(out) == [1, 2, 3]  # (the small ones may time out too on a busy machine)
    assert rows[1]["ungarble"]["error"] == "line 2: took longer than 0.05 s (--record-timeout)"


def test_the_progress_bar_shows_total_rate_and_eta():
    import io

    from repair.cli_batch import Progress

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    now = [100.0]
    screen = Terminal()
    bar = Progress(None, stream=screen, clock=lambda: now[0])
    bar.set_total(3000)
    now[0] += 10
    bar.update(500)  # 50 records/s, 2,500 to go: 50 s
    shown = screen.getvalue().rsplit("\r", 1)[-1]
    assert "500/3000" in shown and "16%" in shown and "50.0 records/s" in shown and "eta 0:00:50" in shown
    bar.close()


def test_no_progress_bar_unless_stderr_is_a_terminal(tmp_path):
    src, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    write_jsonl(src, [{"text": CLEAN}])
    result = CliRunner().invoke(batch, [str(src), "-o", str(out), "--grammar", "none", "-j", "1"])
    assert result.exit_code == 0 and "ungarble batch  [" not in result.stderr and "eta" not in result.stderr


def test_a_merged_output_left_by_a_killed_run_is_removed(tmp_path):
    src, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    write_jsonl(src, [{"id": i, "text": f"{CLEAN} {i}."} for i in range(3)])
    stale = tmp_path / ".out.jsonl.k1ll3d.ungarble-tmp"  # as a SIGKILL during a rewrite leaves it
    stale.write_bytes(b'{"half": ')
    other = tmp_path / ".other.jsonl.abc.ungarble-tmp"
    other.write_bytes(b"")
    run_batch(str(src), str(out), BatchConfig(NO_GRAMMAR))
    assert not stale.exists() and other.exists() and len(read_out(out)) == 3
