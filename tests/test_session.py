"""The session layer (repair/session.py) and the thin commands on top of it (issue 12 item 5)."""
from __future__ import annotations

import dataclasses
import re
import subprocess
import sys
from pathlib import Path

import pytest

from repair.session import Request, Session, SessionError, fails, reports, with_metrics

ROOT = Path(__file__).resolve().parents[1]
GARBLED = "The caf\u00c3\u00a9 opens at nine and and closes at five.\n"


def _run(code: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)


def test_a_session_reads_configures_and_analyses_without_click(tmp_path):
    (tmp_path / "a.txt").write_text(GARBLED, encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text('[tool.ungarble]\ngrammar = "none"\nfail-on = "error"\n')
    code = (f"import sys; from repair.session import Request, Session, reports, with_metrics\n"
            f"s = Session(Request(({str(tmp_path / 'a.txt')!r},)))\n"
            f"items = list(with_metrics(s))\n"
            f"r = reports(items)[0]\n"
            f"print(items[0].options.grammar, items[0].fail_on, r.result.changed, 'garble_score' in r.metrics)\n"
            f"print('repair.cli_options' in sys.modules, 'repair.cli' in sys.modules)")
    done = _run(code)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split("\n")[:2] == ["none error True True", "False False"]


def test_no_click_below_the_commands():
    # the applications (session, batch, score) leave options, progress bars and messages to the commands
    below = [ROOT / "repair" / "session.py", ROOT / "repair" / "parallel.py", ROOT / "repair" / "distributed.py",
             *(ROOT / "repair" / "batch").glob("*.py"), *(ROOT / "repair" / "score").glob("*.py")]
    assert [p.name for p in below if re.search(r"^\s*(import|from) click\b", p.read_text(encoding="utf-8"), re.M)] == []


def test_the_commands_do_not_import_the_group():
    # cli_batch and cli_score used to import repair.cli, which loaded them through importlib: a cycle
    done = _run("import sys, repair.cli_score, repair.cli_batch; print('repair.cli' in sys.modules)")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"
    assert "importlib" not in (ROOT / "repair" / "cli.py").read_text(encoding="utf-8")


def test_a_request_is_frozen_and_diff_base_implies_diff_only():
    request = Request(("a.txt",), diff_base="HEAD~1")
    assert request.restricted and not Request(("a.txt",)).restricted
    with pytest.raises(dataclasses.FrozenInstanceError):
        request.jobs = 2  # type: ignore[misc]


def test_errors_and_notes_go_to_the_callbacks(tmp_path):
    (tmp_path / "ok.txt").write_text("Fine text.\n", encoding="utf-8")
    (tmp_path / "bad.txt").write_bytes(b"\x00\x01binary\xff")
    errors: list[str] = []
    session = Session(Request((str(tmp_path / "bad.txt"), str(tmp_path / "ok.txt")), overrides={"grammar": "none"},
                              isolated=True), error=errors.append)
    items = list(session)
    assert [i.report.error is not None for i in items] == [True, False]
    assert len(errors) == 1 and "bad.txt" in errors[0]
    assert not fails(items[1])
    assert reports(with_metrics(items[1:]))[0].metrics["garble_score"] >= 0


def test_a_bad_config_is_a_session_error(tmp_path):
    (tmp_path / "a.txt").write_text("Fine.\n", encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text('[tool.ungarble]\ngrammar = "nonsense"\n')
    with pytest.raises(SessionError):
        Session(Request((str(tmp_path / "a.txt"),)))


def test_batch_and_score_are_packages_and_fitting_lives_in_training():
    from repair.batch import pool, records, resume
    from repair.report.metrics import metrics_for
    from repair.score import aggregation, features, model

    assert records.process_record and resume.scan_output and pool.run_batch
    assert features.text_features and model.load_model and aggregation.score_text
    assert metrics_for("", None)["garble_score"] == 0.0
    assert (ROOT / "training" / "fit_score.py").exists() and not (ROOT / "benchmarks" / "fit_score.py").exists()
