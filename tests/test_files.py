"""Reading inputs, walking folders and atomic, mode-preserving writes (real filesystem)."""
from __future__ import annotations

import codecs
import io
import os
import stat

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from repair import files
from repair.decode import InputError, encode
from repair.files import atomic_write, iter_input_paths, read_document

IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def write(path, data: bytes):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return str(path)


def leftovers(folder):
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


# --- read_document ------------------------------------------------------------------------------

def test_crlf_file_keeps_crlf(tmp_path):
    data = b"first line\r\nsecond line\r\n"
    p = write(tmp_path / "a.txt", data)
    doc = read_document(p)
    assert doc.text == "first line\r\nsecond line\r\n"
    atomic_write(p, encode(doc, doc.text.replace("second", "2nd")))
    assert (tmp_path / "a.txt").read_bytes() == b"first line\r\n2nd line\r\n"


def test_cp1252_english_round_trip(tmp_path):
    text = "A naïve “guest” at the café said it wasn’t bad.\n"
    p = write(tmp_path / "c.txt", text.encode("cp1252"))
    doc = read_document(p)
    assert (doc.text, doc.encoding, doc.path) == (text, "cp1252", p)
    atomic_write(p, encode(doc, doc.text.replace("bad", "good")))
    assert (tmp_path / "c.txt").read_bytes() == text.replace("bad", "good").encode("cp1252")


def test_utf8_bom_round_trip(tmp_path):
    data = codecs.BOM_UTF8 + "Über naïve\n".encode()
    p = write(tmp_path / "b.md", data)
    doc = read_document(p)
    assert (doc.text, doc.bom) == ("Über naïve\n", True)
    atomic_write(p, encode(doc, doc.text))
    assert (tmp_path / "b.md").read_bytes() == data


def test_utf16_bom_file(tmp_path):
    data = codecs.BOM_UTF16_LE + "Wide text\r\n".encode("utf-16-le")
    doc = read_document(write(tmp_path / "w.txt", data))
    assert (doc.text, doc.encoding) == ("Wide text\r\n", "utf-16-le")
    assert encode(doc, doc.text) == data


def test_shift_jis_file(tmp_path):
    text = "機械翻訳の文章です。読みにくいところがあります。\n"
    doc = read_document(write(tmp_path / "j.txt", text.encode("shift_jis")))
    assert (doc.text, doc.encoding) == (text, "shift_jis")


def test_binary_file_is_refused(tmp_path):
    p = write(tmp_path / "pic.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10")
    with pytest.raises(InputError) as info:
        read_document(p)
    assert str(info.value) == f"{p}: binary file (NUL bytes), skipped"


def test_missing_file(tmp_path):
    p = str(tmp_path / "nope.txt")
    with pytest.raises(InputError) as info:
        read_document(p)
    assert str(info.value) == f"{p}: no such file"


def test_directory_is_not_a_file(tmp_path):
    with pytest.raises(InputError) as info:
        read_document(str(tmp_path))
    assert str(info.value) == f"{tmp_path}: is a directory"


def test_dangling_symlink(tmp_path):
    link = tmp_path / "gone.txt"
    link.symlink_to(tmp_path / "missing-target.txt")
    with pytest.raises(InputError) as info:
        read_document(str(link))
    assert str(info.value) == f"{link}: no such file (dangling symbolic link)"


def test_parent_is_a_file(tmp_path):
    p = write(tmp_path / "plain.txt", b"x")
    with pytest.raises(InputError, match=r"no such file \(a parent is not a directory\)$"):
        read_document(p + "/child.txt")


def test_device_is_refused():
    if not os.path.exists("/dev/zero"):
        pytest.skip("no /dev/zero")
    with pytest.raises(InputError, match="^/dev/zero: not a regular file$"):
        read_document("/dev/zero")


@pytest.mark.skipif(IS_ROOT, reason="root reads mode-000 files; the real check needs an unprivileged user")
def test_unreadable_file(tmp_path):
    p = write(tmp_path / "secret.txt", b"hidden")
    os.chmod(p, 0)
    try:
        with pytest.raises(InputError) as info:
            read_document(p)
        assert str(info.value) == f"{p}: permission denied"
    finally:
        os.chmod(p, 0o600)


def test_permission_error_message(tmp_path, monkeypatch):
    # Works as root too: the OS error is raised by open() itself, the message is ours.
    p = write(tmp_path / "secret.txt", b"hidden")

    def denied(*args, **kwargs):
        raise PermissionError(13, "Permission denied", p)

    monkeypatch.setattr("builtins.open", denied)
    with pytest.raises(InputError) as info:
        read_document(p)
    assert str(info.value) == f"{p}: permission denied"


def test_stdin():
    doc = read_document("-", stdin=io.BytesIO("from a pipe — ok\n".encode()))
    assert (doc.path, doc.text) == ("-", "from a pipe — ok\n")


# --- iter_input_paths ---------------------------------------------------------------------------

def test_walk_sorted_recursive_skips_hidden(tmp_path):
    for rel in ["b.txt", "a.md", "A.TXT", "z/c.txt", "z/d.py", "m/n/e.md", ".hidden/f.txt", "z/.g.txt",
                "node.txt/inner.txt"]:
        write(tmp_path / rel, b"x")
    got = [os.path.relpath(p, tmp_path) for p in iter_input_paths([str(tmp_path)])]
    assert got == ["A.TXT", "a.md", "b.txt", "m/n/e.md", "node.txt/inner.txt", "z/c.txt"]


def test_explicit_files_missing_files_and_stdin_pass_through(tmp_path):
    py = write(tmp_path / "script.py", b"x")
    hidden = write(tmp_path / ".notes.txt", b"x")
    missing = str(tmp_path / "missing.txt")
    got = list(iter_input_paths([py, missing, "-", hidden, "-", py]))
    assert got == [py, missing, "-", hidden]


def test_walk_does_not_follow_directory_symlinks(tmp_path):
    write(tmp_path / "d/a.txt", b"x")
    (tmp_path / "d/loop").symlink_to(tmp_path / "d")
    assert [os.path.basename(p) for p in iter_input_paths([str(tmp_path)])] == ["a.txt"]


def test_custom_patterns(tmp_path):
    write(tmp_path / "a.rst", b"x")
    write(tmp_path / "b.txt", b"x")
    assert [os.path.basename(p) for p in iter_input_paths([str(tmp_path)], ["*.rst"])] == ["a.rst"]


# --- atomic_write -------------------------------------------------------------------------------

@pytest.mark.parametrize("mode", [0o640, 0o755, 0o600])
def test_mode_preserved(tmp_path, mode):
    p = write(tmp_path / "f.txt", b"old")
    os.chmod(p, mode)
    atomic_write(p, b"new")
    assert (tmp_path / "f.txt").read_bytes() == b"new"
    assert stat.S_IMODE(os.stat(p).st_mode) == mode
    assert leftovers(tmp_path) == []


def test_new_file_gets_umask_mode(tmp_path):
    old = os.umask(0o027)
    try:
        atomic_write(str(tmp_path / "new.txt"), b"hello")
    finally:
        os.umask(old)
    assert stat.S_IMODE(os.stat(tmp_path / "new.txt").st_mode) == 0o640


def test_symlink_stays_a_symlink(tmp_path):
    target = write(tmp_path / "real" / "t.txt", b"old")
    os.chmod(target, 0o644)
    link = tmp_path / "link.txt"
    link.symlink_to(os.path.join("real", "t.txt"))  # relative link
    atomic_write(str(link), b"new")
    assert link.is_symlink()
    assert os.readlink(link) == os.path.join("real", "t.txt")
    assert (tmp_path / "real" / "t.txt").read_bytes() == b"new"
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o644
    assert leftovers(tmp_path) == [] and leftovers(tmp_path / "real") == []


@pytest.mark.parametrize("where,exc", [("fsync", OSError(5, "Input/output error")),
                                       ("replace", OSError(28, "No space left on device")),
                                       ("replace", KeyboardInterrupt())])
def test_crash_during_write_keeps_original(tmp_path, monkeypatch, where, exc):
    p = write(tmp_path / "keep.txt", b"original content")

    def boom(*args, **kwargs):
        raise exc

    monkeypatch.setattr(files.os, where, boom)
    expected = KeyboardInterrupt if isinstance(exc, KeyboardInterrupt) else InputError
    with pytest.raises(expected) as info:
        atomic_write(p, b"half-written replacement")
    monkeypatch.undo()
    if expected is InputError:
        assert str(info.value).startswith(f"{p}: cannot write: ")
    assert (tmp_path / "keep.txt").read_bytes() == b"original content"
    assert sorted(os.listdir(tmp_path)) == ["keep.txt"]


def test_crash_in_the_middle_of_writing(tmp_path, monkeypatch):
    p = write(tmp_path / "keep.txt", b"original")
    real_fdopen = os.fdopen

    class Exploding(io.RawIOBase):
        def __init__(self, fd, *a, **k):
            self.f = real_fdopen(fd, "wb")

        def write(self, data):
            self.f.write(data[:3])
            self.f.flush()
            raise KeyboardInterrupt

        def close(self):
            self.f.close()

        def __exit__(self, *exc):
            self.close()

    monkeypatch.setattr(files.os, "fdopen", Exploding)
    with pytest.raises(KeyboardInterrupt):
        atomic_write(p, b"replacement")
    monkeypatch.undo()
    assert (tmp_path / "keep.txt").read_bytes() == b"original"
    assert os.listdir(tmp_path) == ["keep.txt"]


def test_write_into_missing_folder_is_one_line_error(tmp_path):
    p = str(tmp_path / "no" / "such" / "f.txt")
    with pytest.raises(InputError, match=r": cannot write: no such file$"):
        atomic_write(p, b"x")


def test_write_over_directory_refused(tmp_path):
    (tmp_path / "d").mkdir()
    with pytest.raises(InputError, match="cannot write: is a directory"):
        atomic_write(str(tmp_path / "d"), b"x")
    assert (tmp_path / "d").is_dir()


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=2000), st.binary(max_size=2000))
def test_atomic_write_property(tmp_path, old, new):
    p = tmp_path / "prop.bin"
    p.write_bytes(old)
    os.chmod(p, 0o604)
    atomic_write(str(p), new)
    assert p.read_bytes() == new
    assert stat.S_IMODE(os.stat(p).st_mode) == 0o604
    assert os.listdir(tmp_path) == ["prop.bin"]


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=500))
@pytest.mark.slow
def test_read_then_write_unchanged_is_identity(tmp_path, data):
    p = tmp_path / "rt.txt"
    p.write_bytes(data)
    try:
        doc = read_document(str(p))
    except InputError:
        return
    atomic_write(str(p), encode(doc, doc.text))
    assert p.read_bytes() == data
