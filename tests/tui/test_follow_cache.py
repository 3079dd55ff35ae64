"""The open list follows the cache when another process writes to it (`meettui create`
or `delete` in a shell): the rows appeared only after Ctrl+R or a new filter. A check
on a timer reads SQLite's `data_version` (no table, no network) and, when another
connection committed, the list is read again, the cursor kept on its meeting."""

from __future__ import annotations

from datetime import timedelta

from tui_data import NOW

from factories import make_meeting
from meettui.core.cache import Cache
from meettui.tui.screens.main import MainScreen


def _titles(app) -> list[str]:
    table = app.screen.table
    return [table.meeting_at(i).title for i in range(table.row_count)]


async def test_the_list_shows_what_another_process_wrote(make_app):
    meetings = [make_meeting(i, account="team", title=f"Call {i}").model_copy(
        update={"starts_at": NOW + timedelta(hours=i),
                "ends_at": NOW + timedelta(hours=i, minutes=30)})
        for i in range(1, 6)]
    app = make_app(meetings)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        main = app.screen
        assert isinstance(main, MainScreen)
        # The check runs on a timer of its own.
        assert any(timer.name == "follow-cache" for timer in main._timers)
        main.follow_cache()  # the first check only takes note of where the file stands
        await pilot.press("j", "j")
        assert main.selected.title == "Call 3"
        other = Cache(app.service.cache.path)  # another meettui, on the same file
        try:
            # A meeting made before the one under the cursor, and one deleted.
            other.upsert(make_meeting(90, account="team", title="Made elsewhere").model_copy(
                update={"starts_at": NOW + timedelta(minutes=30),
                        "ends_at": NOW + timedelta(minutes=45)}))
            other.delete("team", meetings[4].id)
        finally:
            other.close()
        assert "Made elsewhere" not in _titles(app)  # not read yet
        main.follow_cache()
        await pilot.pause()
        assert _titles(app) == ["Made elsewhere", "Call 1", "Call 2", "Call 3", "Call 4"]
        assert main.selected.title == "Call 3"  # the cursor kept its meeting
        assert "5 meetings" in str(main.query_one("#status-line").render())
        # Nothing more written: the next check reads nothing again.
        reloads = []
        main.table.reload = lambda *args, **kwargs: reloads.append(args)
        main.follow_cache()
        assert reloads == []


async def test_the_app_s_own_writes_are_not_taken_for_another_s(make_app):
    app = make_app([make_meeting(1, account="team", title="Call")])
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        cache = app.service.cache
        cache.written_elsewhere()
        cache.upsert(make_meeting(2, account="team", title="Own write"))
        assert cache.written_elsewhere() is False
        other = Cache(cache.path)
        try:
            other.upsert(make_meeting(3, account="team", title="Another's"))
        finally:
            other.close()
        assert cache.written_elsewhere() is True
        assert cache.written_elsewhere() is False
