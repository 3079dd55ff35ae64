"""The command palette on the full-screen detail (below 100 columns the only place the
links show) offers the meeting commands the list does, acting on the meeting shown:
it offered only Quit, accounts and themes, and "copy" found nothing."""

from __future__ import annotations

from icalendar import Calendar
from states import DEMO_NOW, demo_app, open_edit_form, settle, show_account
from tui_data import default_meetings, screen_text

from meettui.core.ics import file_name
from meettui.core.models import Role
from meettui.tui.commands import MeettuiCommands
from meettui.tui.screens.action import ActionFormScreen
from meettui.tui.screens.confirm import ConfirmScreen
from meettui.tui.screens.detail_screen import DetailScreen
from meettui.tui.screens.form import MeetingFormScreen
from meettui.tui.screens.main import MainScreen
from meettui.tui.widgets.detail import DetailPane


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
                     # Named as its account deletes: a Jitsi room is only forgotten.
                     "Forget meeting"):
            assert name in hits, (name, sorted(hits))
        # Its keys as bound here: the detail's own copy key.
        assert hits["Copy guest link"].startswith("key g"), hits["Copy guest link"]
        # What acts on the hidden list is not offered over the detail.
        assert "New meeting" not in hits and "Filter meetings" not in hits


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


# -- changes made from the detail come back to it ---------------------------------------
# Running an action, an edit or a delete from the detail's palette closed the detail
# first: the dialog and the result showed over the list, and the meeting the user was
# looking at was gone from view.


async def _detail_of(pilot, meeting) -> DetailScreen:
    """The full-screen detail of `meeting`, opened from the list."""
    main = pilot.app.screen
    assert isinstance(main, MainScreen)
    main.table.reload(keep=meeting)
    await pilot.pause()
    await pilot.press("i")
    await pilot.pause()
    detail = pilot.app.screen
    assert isinstance(detail, DetailScreen) and detail.meeting.key == meeting.key
    return detail


async def test_an_action_from_the_detail_comes_back_to_it_with_the_meeting_updated(tmp_path):
    app = demo_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await show_account(pilot, "eyeson-demo")
        main = app.screen
        before = main.selected
        detail = await _detail_of(pilot, before)
        # Named as it acts: the demo's meeting on now runs ("Join the running meeting as
        # host"), a waiting one starts ("Start the meeting now").
        label = main.service.capabilities_for(before).action("start").label
        await pilot.press("ctrl+p", *label.lower(), "enter")
        await pilot.pause()
        # Asked over the detail, not over the list.
        assert isinstance(app.screen, ActionFormScreen)
        assert app.screen_stack[-2] is detail
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is detail
        now = main.service.cached(*before.key)
        assert now != before and detail.meeting == now
        # The pane shows the meeting as it is now: the running meeting's host link.
        pane = detail.query_one(DetailPane)
        assert pane.meeting == now
        assert "in the running meeting" in screen_text(app)
        assert ("information", f"{label}: done for '{before.title}'.") in app.messages


async def test_join_data_from_the_detail_shows_in_the_detail(tmp_path):
    from meettui.core.errors import ProviderError
    from meettui.core.models import Status

    app = demo_app(tmp_path, providers=("accelevents",))
    async with app.run_test(size=(80, 24)) as pilot:
        await show_account(pilot, "accelevents-demo")
        main = app.screen
        # A live session the demo's attendee may join (see test_providers_tui).
        live = None
        for candidate in main.service.window(["accelevents-demo"], limit=1000):
            if candidate.effective_status(DEMO_NOW) != Status.LIVE:
                continue
            try:
                await main.service.run_action("accelevents-demo", candidate.id, "join")
            except ProviderError:
                continue
            live = candidate
            break
        assert live is not None
        detail = await _detail_of(pilot, live)
        await pilot.press("ctrl+p", *"join as attendee", "enter")
        await settle(pilot)
        assert app.screen is detail
        session = main.session_data[live.key]
        links = str(detail.query_one("#detail-links").content)
        assert session.label in links and '"JoinToken": "••••••••"' in links


async def test_delete_from_the_detail_asks_over_it_and_closes_it_once_gone(make_app):
    app = make_app(default_meetings(3))
    async with app.run_test(size=(80, 24)) as pilot:
        detail = await _detail(pilot)
        shown = detail.meeting
        await pilot.press("ctrl+p", *"forget meeting", "enter")
        await pilot.pause()
        question = app.screen
        assert isinstance(question, ConfirmScreen)
        heading = str(question.query_one("#confirm-title").render())
        assert "Customer call 001" in heading
        # Asked over the detail: backing out comes back to it.
        assert app.screen_stack[-2] is detail
        await pilot.press("n")
        await pilot.pause()
        assert app.screen is detail
        await pilot.press("ctrl+p", *"forget meeting", "enter")
        await pilot.pause()
        await pilot.press("y")
        await app.workers.wait_for_complete()
        await pilot.pause()
        # Gone: back on the list, which no longer has it.
        assert isinstance(app.screen, MainScreen)
        assert app.service.cached(*shown.key) is None
        assert app.screen.selected.key != shown.key


async def test_a_cancel_from_the_detail_shows_it_cancelled_there(tmp_path):
    from meettui.core.capabilities import DeleteMode
    from meettui.core.models import Status

    app = demo_app(tmp_path, providers=("24sessions",))
    async with app.run_test(size=(80, 24)) as pilot:
        await show_account(pilot, "24sessions-demo")
        main = app.screen
        meeting = next(m for m in main.service.window(["24sessions-demo"], limit=1000)
                       if m.status != Status.CANCELLED
                       and main.service.capabilities_for(m).delete == DeleteMode.CANCEL)
        detail = await _detail_of(pilot, meeting)
        await pilot.press("ctrl+p", *"cancel meeting", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen) and app.screen_stack[-2] is detail
        await pilot.press("y")
        await settle(pilot)
        assert app.screen is detail
        assert detail.meeting.status == Status.CANCELLED
        assert detail.query_one(DetailPane).meeting.status == Status.CANCELLED


async def test_an_edit_from_the_detail_that_replaces_the_room_shows_the_new_one(tmp_path,
                                                                                 monkeypatch):
    monkeypatch.setenv("SSH_TTY", "/dev/pts/1")
    app = demo_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await show_account(pilot, "whereby-demo")
        main = app.screen
        old = main.selected
        detail = await _detail_of(pilot, old)
        await pilot.press("ctrl+p", *"edit meeting", "enter")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, MeetingFormScreen) and app.screen_stack[-2] is detail
        form.query_one("#field-starts_at").value = ""
        form.query_one("#field-ends_at").value = "+2h"
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("y")  # "Replace?"
        await app.workers.wait_for_complete()
        await pilot.pause()
        # "The links changed: copy the new guest link?", over the detail of the new room.
        assert isinstance(app.screen, ConfirmScreen) and app.screen_stack[-2] is detail
        new = detail.meeting
        assert new.id != old.id and main.service.cached(*old.key) is None
        assert detail.query_one(DetailPane).meeting == new
        await pilot.press("y")
        await pilot.pause()
        assert app.screen is detail
        assert app.clipboard == new.link(Role.GUEST).url
        # Its keys act on the new room.
        await pilot.press("g")
        assert app.clipboard == new.link(Role.GUEST).url


async def test_the_detail_s_keys_act_on_its_meeting_when_the_list_s_cursor_moved(make_app):
    # The detail's keys run the list's actions, on the list's highlighted meeting; a
    # page that landed meanwhile may move the list's cursor (to where it opens).
    app = make_app(default_meetings(5))
    async with app.run_test(size=(80, 24)) as pilot:
        detail = await _detail(pilot)
        main = app.screen_stack[0]
        main.table.move_to(3)
        await pilot.pause()
        assert main.selected.key != detail.meeting.key
        await pilot.press("y")
        assert app.clipboard == detail.meeting.shareable_link().url


async def test_showing_another_account_from_the_detail_closes_it(tmp_path):
    app = demo_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await show_account(pilot, "eyeson-demo")
        await _detail_of(pilot, app.screen.selected)
        await pilot.press("ctrl+p", *"show account: whereby-demo", "enter")
        await settle(pilot)
        # The list of that account, not the detail of a meeting it does not show.
        assert isinstance(app.screen, MainScreen) and app.scope == "whereby-demo"


async def test_the_detail_s_keys_offer_edit_and_delete_as_its_account_does_them(tmp_path):
    # Below 100 columns the detail is where a meeting is looked at; edit and delete
    # were in Ctrl+P only, and its help did not name them.
    from meettui.core.capabilities import DeleteMode
    from meettui.core.models import Status
    from meettui.tui.widgets.footer import KeyFooter

    app = demo_app(tmp_path, providers=("24sessions",))
    async with app.run_test(size=(80, 24)) as pilot:
        await show_account(pilot, "24sessions-demo")
        main = app.screen
        meeting = next(m for m in main.service.window(["24sessions-demo"], limit=1000)
                       if m.status != Status.CANCELLED
                       and main.service.capabilities_for(m).delete == DeleteMode.CANCEL)
        detail = await _detail_of(pilot, meeting)
        footer = detail.query_one(KeyFooter)
        await pilot.pause()
        shown = {hint.description: hint.display for hint in footer.hints}
        # `d` cancels at 24sessions: named so.
        assert shown.get("Edit") == "e" and shown.get("Cancel") == "d", shown
        hits = {str(hit.text): str(hit.help) async for hit in MeettuiCommands(detail).discover()}
        assert hits["Cancel meeting"].startswith("key d"), hits
        assert "Delete meeting" not in hits
        await open_edit_form(pilot)
        assert app.screen_stack[-2] is detail
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen) and app.screen_stack[-2] is detail
        assert "Cancel" in str(app.screen.query_one("#confirm-title").render())


async def test_the_help_over_the_detail_names_edit_and_delete(make_app):
    app = make_app(default_meetings(3))
    async with app.run_test(size=(80, 40)) as pilot:
        await _detail(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        text = screen_text(app)
        assert "Edit" in text and "Forget" in text, text
