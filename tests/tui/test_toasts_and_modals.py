"""A toast never hides a dialog's fields and buttons: the toasts said before a modal
opens go as it opens (what they said stays in the messages and the log), and what is
said while it is open shows. At 80x24 a "Maybe not copied" toast covered the right half
of "Save calendar file…", its Save button too; at 40x12 and 20x6 a toast covered most
of the new-meeting form; and `?` opened the help under the "start-up warnings: ? lists
them" toast, which hid half the list it pointed to."""

from __future__ import annotations

import pytest
from textual.widgets._toast import Toast
from tui_data import BASE_CONFIG, default_meetings, screen_text

from meettui.tui.screens.action import ActionFormScreen
from meettui.tui.screens.form import MeetingFormScreen
from meettui.tui.screens.help import HelpScreen

TWO_WARNINGS = BASE_CONFIG + """[keymap]
"copy.gest" = "x"
"list.filter" = "shift+a"
"""


def toasts(app) -> list[Toast]:
    return list(app.screen.query(Toast))


async def test_a_toast_said_before_goes_as_the_calendar_dialog_opens(make_app):
    app = make_app(default_meetings(3), show_toasts=True)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause()
        app.notify("The clipboard may not have it.", title="Maybe not copied",
                   severity="warning", timeout=30)
        await pilot.pause()
        assert app._notifications
        await pilot.press("ctrl+p", *"save calendar", "enter")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ActionFormScreen)
        await pilot.pause()
        assert not app._notifications and not toasts(app)
        assert "Maybe not copied" not in screen_text(app)
        # The message is kept.
        assert ("warning", "The clipboard may not have it.") in app.messages
        # Said by the dialog while it is open, it shows.
        form.call_later(app.notify, "Said now.", title="Now", timeout=30)
        await pilot.pause()
        await pilot.pause()
        assert [t for t in toasts(app)] and "Said now." in screen_text(app)


@pytest.mark.parametrize("size", [(80, 24), (40, 12), (20, 6)])
async def test_the_new_meeting_form_opens_without_the_toasts_before_it(make_app, size):
    app = make_app(default_meetings(3), show_toasts=True)
    async with app.run_test(size=size, notifications=True) as pilot:
        await pilot.pause()
        app.notify("Something happened a moment ago, said at some length here.",
                   title="Note", timeout=30)
        await pilot.press("n")  # in the same breath: the toast is still on its way
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, MeetingFormScreen)
        assert not app._notifications and not toasts(app)


async def test_the_help_takes_the_start_up_warnings_toast_away(make_app):
    app = make_app(config=TWO_WARNINGS, show_toasts=True)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause()
        [toast] = app._notifications
        assert toast.title.startswith("2 start-up warnings: ? lists them")
        await pilot.press("question_mark")
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        assert not app._notifications and not toasts(app)
        assert len(app.screen.query(".help-warning")) == 2
