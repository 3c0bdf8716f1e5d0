"""The built-in rules' parse cache (repair.cache): a hit skips YAML, a changed file is
parsed again, a bad or unwritable cache is ignored, and the rules are the same either way."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import repair.rulebook as rulebook
import repair.cache as rulecache
import repair.ruleyaml as ruleyaml


def _summary(rules):
    return [(r.id, r.path, r.line, r.message, r.severity, r.safety, r.examples) for r in rules]


@pytest.fixture
def cache(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("UNGARBLE_CACHE_DIR", str(folder))
    monkeypatch.delenv("UNGARBLE_NO_CACHE", raising=False)
    return folder


@pytest.fixture
def parses(monkeypatch):
    calls = []
    real = ruleyaml.documents

    def counting(stream, problems):
        calls.append(stream)
        return real(stream, problems)

    monkeypatch.setattr(ruleyaml, "documents", counting)
    return calls


def test_a_second_load_reads_the_cache_and_builds_the_same_rules(cache, parses):
    first = rulebook.load_rules()
    assert len(parses) == len(rulebook.rule_files(rulebook.builtin_rules_dir())) > 10
    assert len(list(cache.glob("rules-*.json"))) == 1
    parses.clear()
    second = rulebook.load_rules()
    assert parses == []
    assert _summary(second) == _summary(first)


def test_a_changed_rule_file_is_parsed_again(cache, parses, tmp_path, monkeypatch):
    pack = tmp_path / "rules"
    shutil.copytree(rulebook.builtin_rules_dir(), pack)
    monkeypatch.setattr(rulebook, "builtin_rules_dir", lambda: pack)
    before = {r.id: r.message for r in rulebook.load_rules()}
    target = next(p for p in sorted(pack.rglob("*.yaml")) if "\nmessage:" in p.read_text(encoding="utf-8"))
    text = target.read_text(encoding="utf-8")
    old = next(line for line in text.splitlines() if line.startswith("message:"))
    target.write_text(text.replace(old, 'message: "Changed since the cache was written."', 1), encoding="utf-8")
    parses.clear()
    after = {r.id: r.message for r in rulebook.load_rules()}
    assert parses  # not answered from the cache
    changed = [rid for rid in after if after[rid] != before[rid]]
    assert len(changed) == 1 and after[changed[0]] == "Changed since the cache was written."
    assert len(list(cache.glob("rules-*.json"))) == 2


def test_a_corrupt_cache_is_ignored(cache, parses):
    expected = _summary(rulebook.load_rules())
    for path in cache.glob("rules-*.json"):
        path.write_text('{"not": "what was stored"', encoding="utf-8")
    parses.clear()
    assert _summary(rulebook.load_rules()) == expected
    assert parses


def test_cache_off_or_unwritable_writes_nothing_and_still_loads(cache, tmp_path, monkeypatch):
    monkeypatch.setenv("UNGARBLE_NO_CACHE", "1")
    expected = _summary(rulebook.load_rules())
    assert not cache.exists()
    monkeypatch.delenv("UNGARBLE_NO_CACHE")
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("UNGARBLE_CACHE_DIR", str(blocker / "cache"))
    assert _summary(rulebook.load_rules()) == expected


def test_only_the_newest_cache_files_are_kept(cache):
    cache.mkdir()
    for i in range(rulecache.KEEP + 3):
        path = cache / f"rules-{i:064x}.json"
        path.write_text("{}", encoding="utf-8")
        os.utime(path, ns=(i * 10**9, i * 10**9))
    rulebook.load_rules()
    left = sorted(p.name for p in cache.glob("rules-*.json"))
    assert len(left) == rulecache.KEEP
    assert f"rules-{0:064x}.json" not in left


def test_a_check_answered_from_the_cache_never_imports_yaml(cache):
    env = dict(os.environ, UNGARBLE_CACHE_DIR=str(cache))
    code = ("import sys\nfrom repair.rulebook import load_rules\nload_rules()\n"
            "print('yaml' in sys.modules)\n")
    runs = [subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
            for _ in range(2)]
    assert [r.stdout.strip() for r in runs] == ["True", "False"]
