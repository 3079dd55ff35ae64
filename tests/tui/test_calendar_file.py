""""Save calendar file…" from the palette: asks where (offering ~/Downloads), writes an
iCalendar file with the guest link, and says where; refuses meetings without a start."""

from __future__ import annotations

from icalendar import Calendar
from tui_data import default_meetings

from meettui.core.ics import default_path, file_name
from meettui.tui.screens.action import ActionFormScreen


async def test_save_calendar_file_from_the_palette(make_app, tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    (tmp_path / "Downloads").mkdir()
    meetings = default_meetings(3)
    app = make_app(meetings)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        meeting = app.screen.selected
        await pilot.press("ctrl+p", *"save calendar", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ActionFormScreen)
        field = app.screen.query_one("#action-path")
        offered = tmp_path / "Downloads" / file_name(meeting)
        assert field.value == str(offered)
        await pilot.press("enter")
        await pilot.pause()
        assert app.messages[-1] == ("information", f"Saved calendar file {offered}")
        [event] = Calendar.from_ical(offered.read_bytes()).walk("VEVENT")
        assert str(event["SUMMARY"]) == meeting.title
        assert event.decoded("DTSTART") == meeting.starts_at
        guest = meeting.shareable_link()
        assert str(event["URL"]) == guest.url
        assert b"roomKey" not in offered.read_bytes()  # the host link stays out


async def test_a_path_that_cannot_be_written_is_a_message(make_app, tmp_path):
    app = make_app(default_meetings(2))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p", *"save calendar", "enter")
        await pilot.pause()
        app.screen.query_one("#action-path").value = str(tmp_path / "nowhere" / "x.ics")
        await pilot.press("enter")
        await pilot.pause()
        severity, text = app.messages[-1]
        assert severity == "error"
        assert text.startswith(f"Cannot write {tmp_path / 'nowhere' / 'x.ics'}: the folder "
                               f"{tmp_path / 'nowhere'} does not exist.\nCreate it first")


async def test_a_folder_given_is_offered_a_calendar_file_name(make_app, tmp_path):
    # It said "Cannot write …: Is a directory." and no more; the command line offered
    # a QR image's name ("e.g. …/qr.png") for a calendar file.
    app = make_app(default_meetings(2))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        meeting = app.screen.selected
        await pilot.press("ctrl+p", *"save calendar", "enter")
        await pilot.pause()
        app.screen.query_one("#action-path").value = str(tmp_path)
        await pilot.press("enter")
        await pilot.pause()
        assert app.messages[-1] == (
            "error", f"Cannot write {tmp_path}: it is a folder.\nGive a file name, e.g. "
                     f"{tmp_path / file_name(meeting)}.")


async def test_an_existing_file_is_replaced_only_once_confirmed(make_app, tmp_path):
    from meettui.tui.screens.confirm import ConfirmScreen

    path = tmp_path / "notes.ics"
    path.write_text("the user's notes")
    app = make_app(default_meetings(2))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        for answer, kept in (("n", True), ("y", False)):
            await pilot.press("ctrl+p", *"save calendar", "enter")
            await pilot.pause()
            app.screen.query_one("#action-path").value = str(path)
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, ConfirmScreen)
            await pilot.press(answer)
            await pilot.pause()
            assert (path.read_text() == "the user's notes") is kept
        assert app.messages[-1] == ("information", f"Saved calendar file {path}")


async def test_meettuis_own_files_are_refused(make_app, tmp_path):
    import os

    app = make_app(default_meetings(2))
    cache = os.environ["MEETTUI_CACHE"]  # the conftest points it into tmp_path
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p", *"save calendar", "enter")
        await pilot.pause()
        app.screen.query_one("#action-path").value = cache
        await pilot.press("enter")
        await pilot.pause()
        severity, text = app.messages[-1]
        assert severity == "error"
        assert text.startswith(f"Cannot write {cache}: it is meettui's cache.\nGive another "
                               "path")


async def test_a_meeting_without_a_start_is_refused(make_app):
    meeting = default_meetings(1)[0].model_copy(update={"starts_at": None, "ends_at": None})
    app = make_app([meeting])
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p", *"save calendar", "enter")
        await pilot.pause()
        assert not isinstance(app.screen, ActionFormScreen)
        assert app.messages[-1] == ("warning", "This meeting cannot be a calendar event: "
                                    "no start time. Give it one with `meettui edit "
                                    f"{meeting.id} --start WHEN --end WHEN` (or e in the "
                                    "app), or share its link instead: `meettui qr "
                                    f"{meeting.id}` (or copy it in the app).")


def test_the_offered_path_falls_back_to_the_current_folder(tmp_path):
    meeting = default_meetings(1)[0].model_copy(update={"title": "Ann & Bo: review/2027"})
    assert file_name(meeting) == "ann-bo-review-2027.ics"
    assert default_path(meeting, home=tmp_path, cwd=tmp_path / "here") == \
        tmp_path / "here" / "ann-bo-review-2027.ics"


def test_the_offered_file_name_drops_escape_sequences_whole():
    # `ESC [31m` left "31m" behind as a word of the name: "boom-31mred-0m-evil-tail.ics".
    meeting = default_meetings(1)[0].model_copy(update={
        "title": "Boom \x1b[31mRED\x1b[0m \u202eevil\u202c \x1b]52;c;eA==\x07tail"})
    assert file_name(meeting) == "boom-red-evil-tail.ics"
    untitled = meeting.model_copy(update={"title": "", "id": "room\x1b[1m-7"})
    assert file_name(untitled) == "room-7.ics"
