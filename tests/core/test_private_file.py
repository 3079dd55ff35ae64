"""core/private_file.py: what meettui writes for the user (QR images, calendar files)
is readable by its owner only from the moment it exists."""

from __future__ import annotations

import os
import stat

import pytest

from meettui.core.ics import write_file
from meettui.core.private_file import OwnFile, own_file, write_private


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture
def no_umask():
    # With no umask, a file keeps the mode it was created with: one written 0666 and
    # narrowed afterwards would not pass for one created 0600.
    old = os.umask(0)
    yield
    os.umask(old)


def test_a_new_file_is_created_owner_only(tmp_path, no_umask):
    path = write_private(tmp_path / "a.png", b"data")
    assert path.read_bytes() == b"data"
    assert _mode(path) == 0o600


@pytest.mark.parametrize("mode", [0o644, 0o666, 0o640])
def test_an_existing_file_others_can_read_is_narrowed(tmp_path, mode):
    path = tmp_path / "old.svg"
    path.write_bytes(b"an older, longer content")
    os.chmod(path, mode)
    write_private(path, b"new", replace=True)
    assert path.read_bytes() == b"new"
    assert _mode(path) == 0o600


def test_an_existing_private_file_keeps_its_mode(tmp_path):
    path = tmp_path / "mine.png"
    path.write_bytes(b"x")
    os.chmod(path, 0o400 | 0o200)
    write_private(path, b"y", replace=True)
    assert _mode(path) == 0o600


def test_a_device_is_written_as_it_is():
    before = _mode("/dev/null")
    write_private("/dev/null", b"nothing")
    assert _mode("/dev/null") == before


def test_errors_are_os_errors(tmp_path):
    with pytest.raises(FileNotFoundError):
        write_private(tmp_path / "no" / "such" / "folder.png", b"x")
    with pytest.raises(IsADirectoryError):
        write_private(tmp_path, b"x")


def test_calendar_files_follow_the_same_rule(tmp_path, no_umask):
    fresh = write_file(tmp_path / "new.ics", b"BEGIN:VCALENDAR")
    assert _mode(fresh) == 0o600
    shared = tmp_path / "shared.ics"
    shared.write_bytes(b"")
    os.chmod(shared, 0o644)
    write_file(shared, b"BEGIN:VCALENDAR", replace=True)
    assert _mode(shared) == 0o600


def test_an_existing_file_is_replaced_only_when_asked(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_bytes(b"the user's notes")
    with pytest.raises(FileExistsError):
        write_private(path, b"a QR code")
    assert path.read_bytes() == b"the user's notes"
    write_private(path, b"a QR code", replace=True)
    assert path.read_bytes() == b"a QR code"


@pytest.mark.parametrize(("name", "what"), [
    ("config.toml", "config file"), ("cache.sqlite3", "cache"), ("cache.sqlite3-wal", "cache"),
    ("meettui.log", "log"), ("meettui.log.1", "log")])
def test_meettuis_own_files_are_never_written_over(tmp_path, monkeypatch, name, what):
    # `meettui qr ID --png $MEETTUI_CACHE` once replaced the cache with a PNG: every room
    # of it was lost when the next start moved the "broken" cache aside.
    from cli_helpers import isolate_paths

    isolate_paths(monkeypatch, tmp_path)
    own = tmp_path / name
    own.write_bytes(b"precious")
    link = tmp_path / "elsewhere.png"
    link.symlink_to(own)
    for target in (own, link):
        with pytest.raises(OwnFile) as refused:
            write_private(target, b"PNG", replace=True)
        assert refused.value.strerror == f"it is meettui's {what}"
    assert own.read_bytes() == b"precious"
    assert own_file(tmp_path / "other.png") is None
