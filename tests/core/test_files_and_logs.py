"""The config file as editors and mistakes leave it, and the log's files: clear
messages, private files, never a traceback."""

from __future__ import annotations

import errno
import logging
import os
import stat
from pathlib import Path

import pytest

from meettui.core.config import load_config, user_themes_path
from meettui.core.errors import ConfigError
from meettui.logs import PrivateRotatingFileHandler, setup_logging

ACCOUNT = '[[accounts]]\nname = "work"\nprovider = "jitsi"\n'


def _mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture
def umask_022():
    old = os.umask(0o022)  # what most systems have: new files 0644 unless asked
    yield
    os.umask(old)


# -- reading config.toml -----------------------------------------------------------------


def test_a_config_with_a_byte_order_mark_is_read(tmp_path):
    path = tmp_path / "config.toml"
    path.write_bytes(b"\xef\xbb\xbf" + f'theme = "meettui-light"\n{ACCOUNT}'.encode())
    config = load_config(path)
    assert config.theme == "meettui-light"
    assert [a.name for a in config.accounts] == ["jitsi", "work"]


def test_a_config_that_is_not_utf8_names_the_file_and_line(tmp_path):
    path = tmp_path / "config.toml"
    path.write_bytes(b'theme = "meettui-dark"\n# caf\xe9 settings\n' + ACCOUNT.encode())
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert info.value.message == f"{path}, line 2: not UTF-8 text (byte 0xe9)."
    assert "UTF-8" in info.value.hint


def test_config_variable_at_a_directory_is_named(tmp_path, monkeypatch):
    monkeypatch.setenv("MEETTUI_CONFIG", str(tmp_path))
    with pytest.raises(ConfigError) as info:
        load_config()
    assert info.value.message == (
        f"MEETTUI_CONFIG points at {tmp_path}, which is a directory, not a config file.")
    assert str(tmp_path / "config.toml") in info.value.hint


def test_an_unreadable_config_names_the_file_variable_and_fix(tmp_path, monkeypatch):
    path = tmp_path / "config.toml"
    path.write_text(ACCOUNT)
    monkeypatch.setenv("MEETTUI_CONFIG", str(path))
    real = Path.read_bytes

    def refuse(self: Path) -> bytes:
        if self == path:
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", refuse)
    with pytest.raises(ConfigError) as info:
        load_config()
    assert info.value.message == (
        f"Cannot read the config file {path} (set by MEETTUI_CONFIG): permission denied.")
    assert f"chmod u+r {path}" in info.value.hint and "MEETTUI_CONFIG" in info.value.hint


def test_themes_directory_has_an_override(tmp_path, monkeypatch):
    monkeypatch.setenv("MEETTUI_THEMES", str(tmp_path / "my-themes"))
    assert user_themes_path() == tmp_path / "my-themes"


# -- the log ---------------------------------------------------------------------------


def test_every_log_file_is_private_after_rotations(tmp_path, umask_022):
    path = setup_logging(path=tmp_path / "logs" / "meettui.log", max_bytes=300)
    log = logging.getLogger("meettui.rotation")
    for n in range(40):
        log.info("line %d %s", n, "x" * 40)
    files = sorted(p.name for p in path.parent.iterdir())
    assert files == ["meettui.log", "meettui.log.1", "meettui.log.2"]  # rotated twice+
    assert {name: _mode(path.parent / name) for name in files} == dict.fromkeys(files, 0o600)
    assert _mode(path.parent) == 0o700
    handler = logging.getLogger("meettui").handlers[0]
    assert isinstance(handler, PrivateRotatingFileHandler)


def test_every_folder_made_for_the_log_cache_and_config_is_private(tmp_path, umask_022):
    # A fresh XDG state dir: mkdir(mode=0o700, parents=True) made `state/meettui` 0755
    # (the umask's) and only the log's own folder 0700.
    from meettui.core.cache import Cache
    from meettui.core.prefs import save_pref

    home = tmp_path / "home"
    home.mkdir(mode=0o755)
    setup_logging(path=home / "state" / "meettui" / "log" / "meettui.log")
    Cache(home / "cache" / "meettui" / "c.sqlite3").close()
    save_pref("theme", "meettui-light", home / "config" / "meettui" / "config.toml")
    for made in ("state", "state/meettui", "state/meettui/log", "cache", "cache/meettui",
                 "config", "config/meettui"):
        assert _mode(home / made) == 0o700, made
    assert _mode(home) == 0o755  # an existing folder is left as it is


def test_an_existing_log_left_readable_by_others_is_tightened(tmp_path, umask_022):
    path = tmp_path / "meettui.log"
    path.write_text("old\n")
    os.chmod(path, 0o644)
    setup_logging(path=path)
    assert _mode(path) == 0o600
    assert path.read_text() == "old\n"


def test_log_variable_at_a_directory_means_no_log_and_one_line(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("MEETTUI_LOG", str(tmp_path))
    setup_logging()
    logging.getLogger("meettui.anything").error("goes nowhere")
    out, err = capsys.readouterr()
    assert out == ""
    assert err == (f"meettui: Cannot write the log {tmp_path} (it is a directory); running "
                   "without a log this time. Point MEETTUI_LOG at a file meettui can write, "
                   "or unset it.\n")
    assert list(tmp_path.iterdir()) == []


def test_a_log_that_fails_later_never_prints_a_traceback(tmp_path, capsys):
    path = setup_logging(path=tmp_path / "meettui.log")
    handler = logging.getLogger("meettui").handlers[0]
    assert isinstance(handler, logging.StreamHandler)
    handler.stream.close()  # as a full disk or a vanished file would leave it
    logging.getLogger("meettui.anything").error("cannot be written")
    out, err = capsys.readouterr()
    assert out == "" and err == ""
    assert path.exists()
