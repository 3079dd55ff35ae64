"""The app and the user's files: a cache moved aside is announced at start, a cache that
fails while the app runs is an error the app survives, and the theme is remembered in
config.toml (the file it is read from), nowhere else."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from tui_data import screen_text

from factories import file_page_size
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


async def test_the_toast_of_a_cache_moved_aside_at_start_reads_whole_at_80x24(tmp_path):
    # Its two paths split over the toast's lines ("…/cache.sqlite3.bro" /
    # "ken-2026…") and its end was cut. The toast says it short; `?` lists the whole
    # notice (and the log keeps it).
    path = tmp_path / "cache.sqlite3"
    path.write_bytes(bytes(range(256)) * 8)
    cache = Cache(path)
    app = _app(cache, tmp_path, show_toasts=True)
    try:
        async with app.run_test(size=(80, 24), notifications=True) as pilot:
            await pilot.pause()
            shown = " ".join(screen_text(app).split())
            [toast] = [n for n in app._notifications if n.title == "Cache"]
            assert toast.message == (
                "The cache could not be read, so meettui moved it aside and started a "
                "fresh one; meetings are fetched again. ? says where it went and what "
                "came over.")
            assert toast.message in shown.replace(" ▌ ", " ")
            assert "…" not in toast.message and str(tmp_path) not in toast.message
            assert ("warning", cache.notice) in app.messages
            await pilot.press("question_mark")
            await pilot.pause()
            help_text = "".join(screen_text(app).split())
            moved = _moved_aside(path)
            assert "".join(f"moved it to {moved}".split()) in help_text.replace("█", "")
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


async def test_a_cache_damaged_while_the_app_runs_is_set_aside_for_a_fresh_one(tmp_path):
    """A cache that opens but fails when its rows are read (damage found as the list
    reads them) is moved aside, as the next start would do, and the app goes on with a
    fresh one, saying where the old file went. It went on reading the damaged file:
    one "Cache error", then the old count and silent filters."""
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
            moved = _moved_aside(path)
            said = [(severity, m) for severity, m in app.messages if "cache" in m.lower()]
            assert said == [("warning", (
                f"The cache {path} could not be read (database disk image is malformed), "
                f"so meettui moved it to {moved} and started a fresh cache. Nothing "
                "could be carried over: what existed only on this machine (titles "
                "meettui keeps for providers that have none, creation options, host "
                "links meettui learned, which meeting an edit replaced with which, the "
                "meetings of Jitsi and Imported links) stays "
                "in the moved file. Meetings are fetched again from each account."))]
            assert [n.title for n in app._notifications] == ["Cache"]
            # Said short in the toast (the whole notice above is kept and logged).
            assert [n.message for n in app._notifications] == [
                "The cache failed and was moved aside; meettui started a fresh one and "
                "fetches the meetings again. The log says where it went (`meettui "
                "locate log`)."]
            assert app.screen.table.row_count == 0
            assert cache.count() == 0 and cache.opening == 2
            assert "cache unreadable" not in str(app.screen.query_one("#status-line").render())
    finally:
        cache.close()
    assert moved.read_bytes()[:len(before) // 2] == before[:len(before) // 2]


def _moved_aside(path):
    """The one file `path` was moved to (`<name>.broken-<UTC time>`)."""
    moved = [p for p in path.parent.glob(f"{path.name}.broken-*")
             if not p.name.endswith(("-wal", "-shm"))]
    assert len(moved) == 1, moved
    return moved[0]


async def test_a_filter_that_finds_damage_does_not_say_nothing_matched(tmp_path):
    """Damage only the filter reads (the full-text index): the list opened with every
    meeting, then a filter said "0 meetings matching" where the healthy file had
    matches, with no word after the first "Cache error". Now the file is set aside
    at the first read that finds it, and no count or row of it is shown after."""
    from factories import make_meeting

    path = tmp_path / "cache.sqlite3"
    cache = Cache(path)
    cache.upsert_page("team", [make_meeting(i, account="team", title=f"Call {i:05d} Dutch"
                                            if i % 97 == 0 else f"Call {i:05d}")
                               for i in range(3000)])
    cache.catch_up_index()
    assert cache.count(["team"], "Dutch") == 31
    with cache._lock:
        root = cache._conn.execute("SELECT rootpage FROM sqlite_master "
                                   "WHERE name = 'meetings_fts_data'").fetchone()[0]
        cache._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    cache.close()
    page = file_page_size(path)
    with open(path, "r+b") as handle:  # the index's root page, nothing the list reads
        handle.seek((root - 1) * page)
        handle.write((bytes(range(256)) * (page // 128))[:page])
    cache = Cache(path)
    app = _app(cache, tmp_path, show_toasts=True)
    try:
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            assert app.screen.table.row_count == 3000  # nothing read the damage yet
            await pilot.press("slash", *"Dutch", "enter")
            await pilot.pause(0.3)
            await app.wait_until_settled()
            await pilot.pause()
            moved = _moved_aside(path)
            assert any(severity == "warning" and f"moved it to {moved}" in m
                       for severity, m in app.messages)
            # The list is the fresh cache's (with what existed only on this machine,
            # carried over: nothing, here), not the damaged file's count.
            assert app.screen.table.row_count == 0
            assert cache.count() == 0
    finally:
        cache.close()
