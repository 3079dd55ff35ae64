"""The help is titled with what the screen or dialog is, in the user's words: on a new
meeting form it said "Keys — MeetingForm" (the class's name), on the list "Keys —
Main"."""

from __future__ import annotations

import pytest
from tui_data import default_meetings

from meettui.tui.screens.help import HelpScreen

OPENED = {
    "list": ([], "Meeting list"),
    "details": (["i"], "Meeting details"),
    "qr": (["Q"], "QR code"),
    "new": (["n"], "New meeting"),
    "edit": (["e"], "Edit meeting"),
    "calendar": (["ctrl+p", *"save calendar", "enter"], "Save calendar file"),
    "paste": (["p"], "Paste a meeting link"),
    "delete": (["d"], "Question"),
    "accounts": (["a"], "Accounts"),
}


@pytest.mark.parametrize("how", list(OPENED))
async def test_every_help_is_titled_in_the_user_s_words(make_app, how):
    keys, name = OPENED[how]
    app = make_app(default_meetings(3))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press(*keys)
        await pilot.pause()
        under = app.screen
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen), (how, app.screen)
        assert app.screen.query_one("#help-title").render().plain == f"Keys — {name}"
        assert type(under).__name__ not in str(app.screen.query_one("#help-title").render())


async def test_the_host_link_chooser_s_help_says_what_it_asks(make_app):
    from meettui.core.models import Link, Role
    from meettui.tui.screens.choose import ChooseScreen

    [first, *rest] = default_meetings(3)
    meeting = first.model_copy(update={"links": [
        *first.links, Link(role=Role.HOST, url="https://x.whereby.com/r0?roomKey=k2",
                           sensitive=True, label="Second host")]})
    app = make_app([meeting, *rest])
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("h")
        await pilot.pause()
        chooser = app.screen
        assert isinstance(chooser, ChooseScreen)
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        title = app.screen.query_one("#help-title").render().plain
        assert title == f"Keys — {chooser._title}" and "Choose" not in title
