"""The theme remembered in config.toml: only its line changes, atomically, the file's
bytes and mode kept; a new file is private; anything unsafe is refused untouched."""

from __future__ import annotations

import os
import stat
import tomllib
from pathlib import Path

import pytest

from meettui.core.config import load_config
from meettui.core.errors import ConfigError
from meettui.core.prefs import load_prefs, save_pref


def _mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture
def umask_022():
    old = os.umask(0o022)
    yield
    os.umask(old)


EDITED = (
    "# my meettui settings\r\n"
    'theme = "meettui-dark"   # dark at night\r\n'
    "\r\n"
    "[[accounts]]\r\n"
    'name = "work"\r\n'
    'provider = "jitsi"\r\n'
    "[accounts.settings]\r\n"
    'domain = "meet.example.org"\r\n'
)


def test_remember_rewrites_only_the_theme_line(tmp_path):
    path = tmp_path / "config.toml"
    path.write_bytes(b"\xef\xbb\xbf" + EDITED.encode())
    os.chmod(path, 0o640)
    assert save_pref("theme", "meettui-light", path) == path
    expected = EDITED.replace('"meettui-dark"   #', '"meettui-light"   #')
    assert path.read_bytes() == b"\xef\xbb\xbf" + expected.encode()  # BOM, CRLF, comment kept
    assert _mode(path) == 0o640
    assert load_config(path).theme == "meettui-light"
    assert load_prefs(path) == {"theme": "meettui-light"}
    assert [p.name for p in tmp_path.iterdir()] == ["config.toml"]  # no temporary left


@pytest.mark.parametrize("original", [
    '# accounts\n[[accounts]]\nname = "work"\nprovider = "jitsi"\ntheme_x = 1\n',
    # The invitation's own `theme = "formal"` line was taken for the setting, and the
    # save refused as "its `theme` line is not one meettui can rewrite".
    'invitation = """\n{title}\ntheme = "formal"\n{link}\n"""\n',
])
def test_remember_adds_the_line_at_the_top_when_there_is_none(tmp_path, original):
    path = tmp_path / "config.toml"
    path.write_text(original)
    save_pref("theme", "meettui-light", path)
    assert path.read_text() == 'theme = "meettui-light"\n' + original
    assert load_prefs(path) == {"theme": "meettui-light"}


def test_a_theme_key_inside_a_table_is_not_the_top_level_one(tmp_path):
    path = tmp_path / "config.toml"
    original = '[keymap]\ntheme = "t"\n'
    path.write_text(original)
    save_pref("theme", "meettui-light", path)
    assert path.read_text() == 'theme = "meettui-light"\n' + original
    assert tomllib.loads(path.read_text())["keymap"] == {"theme": "t"}


def test_remember_creates_a_private_config_when_there_is_none(tmp_path, umask_022):
    path = tmp_path / "new" / "config.toml"
    save_pref("theme", "meettui-light", path)
    assert path.read_text() == 'theme = "meettui-light"\n'
    assert _mode(path) == 0o600
    assert _mode(path.parent) == 0o700
    config = load_config(path)
    assert config.theme == "meettui-light" and config.is_demo


def test_remember_writes_through_a_symlink(tmp_path):
    real = tmp_path / "dotfiles" / "meettui.toml"
    real.parent.mkdir()
    real.write_text('theme = "meettui-dark"\n')
    link = tmp_path / "config.toml"
    link.symlink_to(real)
    save_pref("theme", "meettui-light", link)
    assert link.is_symlink()
    assert real.read_text() == 'theme = "meettui-light"\n'


def test_a_theme_name_is_written_as_a_toml_string(tmp_path):
    path = tmp_path / "config.toml"
    save_pref("theme", 'odd "name" \\ here', path)
    assert load_config(path).theme == 'odd "name" \\ here'


def test_a_config_that_is_broken_now_is_left_alone(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text("theme = \n")
    with pytest.raises(ConfigError) as info:
        save_pref("theme", "meettui-light", path)
    assert f"{path} was left unchanged" in info.value.message
    assert 'theme = "meettui-light"' in info.value.hint
    assert path.read_text() == "theme = \n"


def test_a_theme_line_meettui_cannot_rewrite_safely_is_left_alone(tmp_path):
    path = tmp_path / "config.toml"
    original = 'theme = """\nmeettui-dark"""\n'  # a string over two lines: not rewritten
    path.write_text(original)
    with pytest.raises(ConfigError):
        save_pref("theme", "meettui-light", path)
    assert path.read_text() == original


def test_only_remembered_settings_can_be_written(tmp_path):
    with pytest.raises(ValueError):
        save_pref("accounts", "x", tmp_path / "config.toml")


def test_a_config_that_is_not_toml_now_names_the_line_it_is_not(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text('theme = "a"\n[[accounts]]\nname = "cut', encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        save_pref("theme", "nord", path)
    assert ("left unchanged (it is not valid TOML now: line 3, where the file ends: "
            "Unterminated string (`name = \"cut`))") in info.value.message
    assert path.read_text(encoding="utf-8").endswith('"cut')
