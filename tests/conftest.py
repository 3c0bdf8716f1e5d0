"""Session-wide test settings."""
from __future__ import annotations

import os

import pytest


@pytest.fixture(autouse=True, scope="session")
def _rule_cache_in_a_temporary_folder(tmp_path_factory):
    """The built-in rules' parse cache (repair.cache) goes to a folder of this run, never to
    the home directory of whoever runs the tests; subprocesses inherit the setting."""
    old = os.environ.get("UNGARBLE_CACHE_DIR")
    os.environ["UNGARBLE_CACHE_DIR"] = str(tmp_path_factory.mktemp("ungarble-cache"))
    yield
    if old is None:
        os.environ.pop("UNGARBLE_CACHE_DIR", None)
    else:
        os.environ["UNGARBLE_CACHE_DIR"] = old
