"""The app on a cache another process uses too: its thread never waits for the cache
(writes run in worker threads; a read the file cannot give now keeps the list as it is
and says the cache is busy), and what the other process changed (a meeting removed, an
imported account) shows in the counts and accounts."""

from __future__ import annotations

import sqlite3

import pytest
from states import open_edit_form, settle
from tui_data import screen_text

from factories import make_meeting
from meettui.core.cache import Cache
from meettui.core.errors import CacheBusy
from meettui.tui.screens.main import MainScreen

WB_KEY = "shared-cache-key-7a2d"


def status_line(app) -> str:
    main = next(s for s in app.screen_stack if isinstance(s, MainScreen))
    return str(main.query_one("#status-line").render())


@pytest.fixture
def whereby(sim_server, sim_clock, monkeypatch):
    """A Whereby account "wb" on the simulator (250 rooms: three pages), over
    127.0.0.1."""
    server = sim_server("whereby", clock=sim_clock, meetings=250, api_key=WB_KEY,
                        rate_limit=1_000_000)
    monkeypatch.setenv("MEETTUI_TEST_WB_SHARED", WB_KEY)
    return ('builtin_jitsi = false\n[[accounts]]\nname = "wb"\nprovider = "whereby"\n'
            f'base_url = "{server.base_url}"\nsecret_env = "MEETTUI_TEST_WB_SHARED"\n')


def _held_elsewhere(lock) -> bool:
    """Whether another thread holds `lock` (the cache's writer lock)."""
    if lock.acquire(blocking=False):
        lock.release()
        return False
    return True


async def test_keys_work_while_another_process_holds_the_cache(make_app, whereby):
    # Another process held the cache (a second meettui syncing, an SQLite tool): after
    # Ctrl+R the page's write waited on the event loop (5 s, then "in use"), and `j`
    # did not move the cursor until it gave up.
    app = make_app([], config=whereby, show_toasts=True)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(pilot)
        cache = app.service.cache
        other = sqlite3.connect(cache.path, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")  # another process, writing
        try:
            await pilot.press("ctrl+r")
            # The page arrives; its write, refused at once on the loop, waits in the
            # cache's writer thread for the file.
            for _ in range(500):
                if _held_elsewhere(cache._lock):
                    break
                await pilot.pause()
            else:
                pytest.fail("the page's write never waited off the app's thread")
            cursor = app.screen.table.cursor
            await pilot.press("j", "j")
            assert app.screen.table.cursor == cursor + 2
            assert "wb: loading" in status_line(app)
            assert _held_elsewhere(cache._lock)  # still waiting
        finally:
            other.execute("ROLLBACK")
            other.close()
        await settle(pilot)
        # Once the other process let go, the page landed: no error, nothing busy.
        assert not [m for sev, m in app.messages if sev == "error"]
        assert app.screen.table.row_count == 100
        assert "loading" not in status_line(app)


async def test_a_cache_the_app_cannot_read_now_keeps_the_list_and_says_busy(
        make_app, monkeypatch):
    app = make_app(show_toasts=True)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(pilot)
        main = app.screen
        assert main.table.row_count == 40
        service = app.service

        def busy(*_args, **_kw):
            raise CacheBusy("The cache c.sqlite3 is in use by another process (database "
                            "is locked).")

        for name in ("locate", "rows", "account_info", "index_of"):
            monkeypatch.setattr(service, name, busy)
        await pilot.press("ctrl+r")
        await pilot.pause()
        # The list as it was, the keys at work, and the status line says why it may be
        # behind; no error toast.
        assert main.table.row_count == 40
        assert "Customer call 000" in screen_text(app)
        await pilot.press("j", "j")
        assert main.table.cursor == 2
        assert "cache busy" in status_line(app)
        assert not [m for sev, m in app.messages if sev == "error"]
        # Free again: the next try reads it, and the status line no longer says busy.
        monkeypatch.undo()
        app.cache_retry()
        await pilot.pause()
        assert "cache busy" not in status_line(app)
        assert main.table.row_count == 40 and main.table.cursor == 2


async def test_after_gone_the_count_follows_the_list(make_app):
    # App A deleted a Jitsi room; B then edited it: "Gone … the list is refreshed", and
    # B's status line still said "2 meetings" beside a single row until Ctrl+R.
    meetings = [make_meeting(i, account="team", title=f"Room {i}") for i in range(2)]
    app = make_app([m.model_copy(update={"provider": "jitsi"}) for m in meetings],
                   show_toasts=True)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(pilot)
        assert status_line(app).startswith("2 meetings")
        selected = app.screen.selected
        other = Cache(app.service.cache.path)  # app A
        other.delete("team", selected.id)
        other.close()
        await open_edit_form(pilot)
        await pilot.press("end", "x", "ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert any("no longer exists" in m for _, m in app.messages)
        assert app.screen.table.row_count == 1
        assert status_line(app).startswith("1 meeting ") or status_line(app) == "1 meeting"


async def test_ctrl_r_picks_up_the_imported_account_another_process_made(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "imported" not in app.scope_accounts()
        # `meettui import` (or another app's "Paste a meeting link") meanwhile.
        other = Cache(app.service.cache.path)
        other.upsert(make_meeting(99, account="imported", title="Pasted link").model_copy(
            update={"provider": "imported"}))
        other.close()
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert "imported" in app.scope_accounts()
        assert app.screen.table.row_count == 41
        assert app.screen.table.show_account
        assert app.service.unmatchable("account:imported") == []
