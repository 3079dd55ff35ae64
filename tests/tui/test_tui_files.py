"""The app and the user's files: a cache moved aside is announced at start, a cache that
fails while the app runs is an error the app survives, and the theme is remembered in
config.toml (the file it is read from), nowhere else."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from meettui.core.cache import Cache
from meettui.core.clock import FixedClock
from meettui.core.config import parse_config
from meettui.core.service import MeetingService
from meettui.tui.app import MeettuiApp

NOW = datetime(2026, 11, 24, 9, 30, tzinfo=UTC)
BASE_CONFIG = """\
# my settings
theme = "meettui-dark"
builtin_jitsi = false

[[accounts]]
name = "team"
provider = "jitsi"
"""


def _app(cache: Cache, tmp_path, *, show_toasts: bool = False) -> MeettuiApp:
    """The app on `cache` with BASE_CONFIG, at NOW."""
    service = MeetingService(parse_config(BASE_CONFIG, tmp_path / "config.toml"), cache,
                             clock=FixedClock(NOW))
    return MeettuiApp(service, clock=FixedClock(NOW), theme="meettui-dark",
                      show_toasts=show_toasts)


async def test_a_cache_moved_aside_is_a_warning_at_start(tmp_path):
    path = tmp_path / "cache.sqlite3"
    path.write_bytes(bytes(range(256)) * 8)
    cache = Cache(path)
    app = _app(cache, tmp_path)
    try:
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            assert ("warning", cache.notice) in app.messages
            assert "moved it to" in (cache.notice or "")
    finally:
        cache.close()


async def test_remember_theme_writes_config_toml_and_nothing_else(make_app, tmp_path,
                                                                  monkeypatch):
    xdg = tmp_path / "xdg"
    for name in ("XDG_STATE_HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
        monkeypatch.setenv(name, str(xdg / name))
    config = tmp_path / "config.toml"
    config.write_text(BASE_CONFIG)
    app = make_app(config=BASE_CONFIG, theme="meettui-light")
    async with app.run_test(size=(100, 30)):
        app.action_remember_theme()
    assert config.read_text() == BASE_CONFIG.replace('"meettui-dark"', '"meettui-light"')
    assert app.messages[-1] == (
        "information",
        f"Theme 'meettui-light' will be used at every start: {config} now says "
        'theme = "meettui-light".',
    )
    assert not xdg.exists()  # no prefs.json under the real (here: fake) home
    assert not (tmp_path / "prefs.json").exists()


async def test_the_theme_in_config_toml_is_the_one_used(make_app, tmp_path):
    # A prefs.json an older meettui wrote no longer overrides the config.
    (tmp_path / "prefs.json").write_text(json.dumps({"theme": "meettui-dark"}))
    config = BASE_CONFIG.replace('"meettui-dark"', '"meettui-light"')
    app = make_app(config=config, theme=None)
    async with app.run_test(size=(100, 30)):
        assert app.theme == "meettui-light"


async def test_remember_theme_that_cannot_write_says_so(make_app, tmp_path):
    (tmp_path / "config.toml").mkdir()  # the config path is taken by a directory
    app = make_app(theme="meettui-light")
    async with app.run_test(size=(100, 30)):
        app.action_remember_theme()
    severity, message = app.messages[-1]
    assert severity == "error"
    assert f"{tmp_path / 'config.toml'} was left unchanged" in message
    assert 'theme = "meettui-light"' in message


async def test_a_cache_damaged_while_the_app_runs_is_an_error_it_survives(tmp_path):
    """A cache that opens but fails when its rows are read (the tester's case: damage
    found at the first filter keystroke) empties the list and says so once, titled as
    a cache problem; typing in the filter goes on, and the file is left as it was."""
    from factories import damage_the_middle

    path = tmp_path / "cache.sqlite3"
    damage_the_middle(path, account="team")
    before = path.read_bytes()
    cache = Cache(path)
    app = _app(cache, tmp_path, show_toasts=True)
    try:
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            await pilot.press("slash", *"Lin")
            await pilot.pause(0.3)  # past the filter's debounce: its reload reads again
            await pilot.press("escape")
            await pilot.pause(0.3)
            assert app.is_running and app.return_code is None
            errors = [m for severity, m in app.messages if severity == "error"]
            assert errors == [
                f"The cache {path} failed: database disk image is malformed.\n"
                f"With meettui closed, move {path} aside (with its -wal and -shm); "
                "meettui then starts a fresh cache, and the old file keeps what existed "
                "only on this machine."]
            assert [n.title for n in app._notifications] == ["Cache error"]
            assert app.screen.table.row_count == 0
            assert "cache unreadable" not in str(app.screen.query_one("#status-line").render())
    finally:
        cache.close()
    assert path.read_bytes() == before
