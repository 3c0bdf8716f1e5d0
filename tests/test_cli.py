"""The command line through click's runner, and through the installed console script."""
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from repair.cli import main

MOJIBAKE = "They didnâ€™t like the cafÃ© &amp; the bar.\n"
FIXED = "They didn’t like the café & the bar.\n"
GRAMMAR_OFF = ["--grammar", "none"]


def invoke(*args, input=None):
    return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)


@pytest.fixture
def mojibake(tmp_path):
    path = tmp_path / "bad.txt"
    path.write_text(MOJIBAKE, encoding="utf-8")
    return path


def test_fix_prints_a_diff_and_exits_1_without_touching_the_file(mojibake):
    result = invoke("fix", *GRAMMAR_OFF, str(mojibake))
    assert result.exit_code == 1
    assert f"--- a/{str(mojibake).lstrip('/')}" in result.output and "+They didn’t like the café & the bar." in result.output
    assert mojibake.read_text(encoding="utf-8") == MOJIBAKE


def test_fix_write_repairs_then_a_second_run_is_clean(mojibake):
    assert invoke("fix", "--write", *GRAMMAR_OFF, str(mojibake)).exit_code == 1
    assert mojibake.read_text(encoding="utf-8") == FIXED
    again = invoke("fix", "--write", *GRAMMAR_OFF, str(mojibake))
    assert again.exit_code == 0 and again.output == ""


def test_clean_text_stays_byte_for_byte(tmp_path):
    clean = tmp_path / "clean.txt"
    data = "He said “no” — naïve, isn’t it?\r\nSecond line, no final newline.".encode()
    clean.write_bytes(data)
    assert invoke("fix", "--write", *GRAMMAR_OFF, str(clean)).exit_code == 0
    assert clean.read_bytes() == data
    assert invoke("check", *GRAMMAR_OFF, str(clean)).exit_code == 0


def test_check_lists_findings_with_positions(mojibake):
    result = invoke("check", *GRAMMAR_OFF, str(mojibake))
    assert result.exit_code == 1
    assert f"{mojibake}:1:6: error encoding.mojibake" in result.output


def test_check_json_validates_and_offsets_are_of_the_text_as_read(mojibake):
    import jsonschema
    from importlib import resources

    schema = json.loads(resources.files("repair.report").joinpath("check.schema.json").read_text("utf-8"))
    result = invoke("check", "--format", "json", *GRAMMAR_OFF, str(mojibake))
    data = json.loads(result.output)
    jsonschema.validate(data, schema)
    (file,) = data["files"]
    assert file["path"] == str(mojibake) and file["encoding"] == "utf-8"
    for f in file["findings"]:
        assert MOJIBAKE[f["start"]:f["end"]] == f["text"]


def test_fail_on_threshold(tmp_path):
    path = tmp_path / "lig.txt"
    path.write_text("a ﬁne day\n", encoding="utf-8")  # ligatures are info
    assert invoke("check", *GRAMMAR_OFF, str(path)).exit_code == 0
    assert invoke("check", "--fail-on", "info", *GRAMMAR_OFF, str(path)).exit_code == 1
    assert invoke("check", "--fail-on", "never", *GRAMMAR_OFF, str(path)).exit_code == 0


def test_stdin_in_diff_out():
    result = invoke("fix", *GRAMMAR_OFF, "-", input=MOJIBAKE.encode())
    assert result.exit_code == 1 and "--- a/-" in result.output
    written = invoke("fix", "--write", *GRAMMAR_OFF, "-", input=MOJIBAKE.encode())
    assert written.output == FIXED


def test_missing_and_binary_files_exit_2_and_others_still_run(tmp_path, mojibake):
    binary = tmp_path / "img.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00")
    result = CliRunner().invoke(main, ["fix", "--write", *GRAMMAR_OFF, str(tmp_path / "nope.txt"), str(binary),
                                       str(mojibake)])
    assert result.exit_code == 2
    errors = [line for line in result.stderr.splitlines() if line.startswith("ungarble:")]
    assert len(errors) == 2 and "nope.txt" in errors[0] and "img.txt" in errors[1]
    assert "Traceback" not in result.output + result.stderr
    assert mojibake.read_text(encoding="utf-8") == FIXED


def test_empty_input_is_clean(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    assert invoke("check", *GRAMMAR_OFF, str(empty)).exit_code == 0
    assert invoke("fix", *GRAMMAR_OFF, str(empty)).exit_code == 0


def test_directory_is_walked_for_text_files(tmp_path):
    (tmp_path / "a.txt").write_text(MOJIBAKE, encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.md").write_text(MOJIBAKE, encoding="utf-8")
    (tmp_path / "c.py").write_text(MOJIBAKE, encoding="utf-8")
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "d.txt").write_text(MOJIBAKE, encoding="utf-8")
    data = json.loads(invoke("check", "--format", "json", *GRAMMAR_OFF, str(tmp_path)).output)
    assert sorted(Path(f["path"]).name for f in data["files"]) == ["a.txt", "b.md"]


def test_usage_error_is_exit_2():
    assert CliRunner().invoke(main, ["check", "--grammar", "nonsense", "x"]).exit_code == 2
    assert CliRunner().invoke(main, ["check"]).exit_code == 2


def test_write_keeps_cp1252_and_crlf(tmp_path):
    path = tmp_path / "legacy.txt"
    original = "Caf\xe9 na\xefve \x93quoted\x94 text with cafÃ\xa9\r\nline two\r\n"
    path.write_bytes(original.encode("latin-1"))
    assert invoke("fix", "--write", *GRAMMAR_OFF, str(path)).exit_code == 1
    data = path.read_bytes()
    assert data.count(b"\r\n") == 2
    assert data.decode("cp1252") == "Café naïve “quoted” text with café\r\nline two\r\n"




@pytest.mark.skipif(shutil.which("ungarble") is None and not (Path(sys.executable).parent / "ungarble").exists(),
                    reason="console script not installed")
@pytest.mark.slow
def test_installed_console_script(tmp_path, mojibake):
    exe = shutil.which("ungarble") or str(Path(sys.executable).parent / "ungarble")
    env = {**os.environ, "NO_COLOR": "1"}
    proc = subprocess.run([exe, "fix", *GRAMMAR_OFF, str(mojibake)], capture_output=True, text=True, env=env,
                          cwd=tmp_path)
    assert proc.returncode == 1 and "+They didn’t like" in proc.stdout
    proc = subprocess.run([exe, "check", *GRAMMAR_OFF, str(tmp_path / "missing.txt")], capture_output=True,
                          text=True, env=env, cwd=tmp_path)
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr


def test_write_to_stdout_passes_clean_text_through():
    result = invoke("fix", "--write", *GRAMMAR_OFF, "-", input="Clean text.\r\n".encode())
    assert result.exit_code == 0 and result.stdout_bytes == b"Clean text.\r\n"


from hypothesis import HealthCheck, given, settings, strategies as st  # noqa: E402

PIECES = ["They didnâ€™t go", "to the the shop", "and arrive at the at the pier.", "Told.", "cafÃ© &amp; bar",
          "It is fine.", "\n", "\r\n", "\n\n", " ..", "We will expand and expand it.", "“Quoted,” she said."]


@pytest.mark.skipif(shutil.which("patch") is None, reason="patch(1) is not installed")
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(PIECES), min_size=1, max_size=12).map(" ".join))
def test_patching_with_the_printed_diff_equals_write(tmp_path_factory, text):
    work = tmp_path_factory.mktemp("patch")
    target = work / "doc.txt"
    target.write_bytes(text.encode())
    cwd = os.getcwd()
    os.chdir(work)
    try:
        shown = invoke("fix", *GRAMMAR_OFF, "doc.txt")
        written_copy = work / "copy.txt"
        written_copy.write_bytes(text.encode())
        invoke("fix", "--write", *GRAMMAR_OFF, "copy.txt")
    finally:
        os.chdir(cwd)
    if shown.stdout_bytes:  # .output turns CRLF into LF
        subprocess.run(["patch", "-p1", "--quiet"], input=shown.stdout_bytes, cwd=work, check=True)
    assert target.read_bytes() == written_copy.read_bytes()
    # and fixing the result again changes nothing
    assert invoke("fix", *GRAMMAR_OFF, str(target)).exit_code == 0


@pytest.mark.slow
def test_check_metrics_adds_score_and_readability(mojibake):
    data = json.loads(invoke("check", "--metrics", "--format", "json", *GRAMMAR_OFF, str(mojibake)).output)
    metrics = data["files"][0]["metrics"]
    assert 0 <= metrics["garble_score"] <= 100
    assert metrics["readability"]["words"] == 8
    plain = json.loads(invoke("check", "--format", "json", *GRAMMAR_OFF, str(mojibake)).output)
    assert plain["files"][0]["metrics"] == {}


def test_mojibake_on_a_line_with_an_entity_fails_on_error(tmp_path):
    # issue 11 item 3: labelled html-entity (a warning), it passed --fail-on error
    path = tmp_path / "a.txt"
    path.write_text("Café &amp; bar: they didnâ€™t come.\n", encoding="utf-8")
    result = invoke("check", "--grammar", "none", "--fail-on", "error", str(path))
    assert result.exit_code == 1
    assert "error encoding.mojibake" in result.output
