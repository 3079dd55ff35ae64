"""The command palette on the full-screen detail (below 100 columns the only place the
links show) offers the meeting commands the list does, acting on the meeting shown:
it offered only Quit, accounts and themes, and "copy" found nothing."""

from __future__ import annotations

from icalendar import Calendar
from tui_data import default_meetings

from meettui.core.ics import file_name
from meettui.tui.commands import MeettuiCommands
from meettui.tui.screens.action import ActionFormScreen
from meettui.tui.screens.confirm import ConfirmScreen
from meettui.tui.screens.detail_screen import DetailScreen
from meettui.tui.screens.main import MainScreen


async def _detail(pilot) -> DetailScreen:
    await pilot.pause()
    await pilot.press("down", "i")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, DetailScreen)
    return screen


async def test_the_detail_s_palette_offers_the_meeting_s_commands(make_app):
    app = make_app(default_meetings(3))
    async with app.run_test(size=(80, 24)) as pilot:
        detail = await _detail(pilot)
        hits = {str(hit.text): str(hit.help) async for hit in MeettuiCommands(detail).discover()}
        for name in ("Copy guest link", "Copy as invitation", "Open link in browser",
                     "Show full-screen QR", "Save calendar file…", "Edit meeting",
                     "Delete meeting"):
            assert name in hits, (name, sorted(hits))
        # Its keys as bound here: the detail's own copy key.
        assert hits["Copy guest link"].startswith("key g"), hits["Copy guest link"]
        # What acts on the hidden list is not offered over the detail.
        assert "New meeting" not in hits and "Filter by title" not in hits


async def test_save_calendar_file_from_the_detail_s_palette(make_app, tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    (tmp_path / "Downloads").mkdir()
    app = make_app(default_meetings(3))
    async with app.run_test(size=(80, 24)) as pilot:
        detail = await _detail(pilot)
        shown = detail.meeting
        await pilot.press("ctrl+p", *"save calendar", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ActionFormScreen)
        await pilot.press("enter")
        await pilot.pause()
        offered = tmp_path / "Downloads" / file_name(shown)
        [event] = Calendar.from_ical(offered.read_bytes()).walk("VEVENT")
        assert str(event["SUMMARY"]) == shown.title == "Customer call 001"


async def test_delete_from_the_detail_s_palette_asks_about_the_meeting_shown(make_app):
    app = make_app(default_meetings(3))
    async with app.run_test(size=(80, 24)) as pilot:
        detail = await _detail(pilot)
        await pilot.press("ctrl+p", *"delete meeting", "enter")
        await pilot.pause()
        question = app.screen
        assert isinstance(question, ConfirmScreen)
        heading = str(question.query_one("#confirm-title").render())
        assert detail.meeting.title == "Customer call 001" and "Customer call 001" in heading
        # Asked over the list: the detail of a meeting about to go is closed.
        assert isinstance(app.screen_stack[-2], MainScreen)
