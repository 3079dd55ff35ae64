"""A meeting with no link to give a guest (a pasted start link, host only): the keys of
that link are greyed in the footer, on the list and on the detail screen, and pressed
anyway they say why where the user is. `y Copy link` and `Q QR` showed lit, and `Q`
opened a full screen to say there was nothing to show."""

from __future__ import annotations

import pytest

from factories import make_meeting
from meettui.core.models import Link, Role
from meettui.tui.screens.detail_screen import DetailScreen
from meettui.tui.screens.main import MainScreen

START_ONLY = make_meeting(0, account="team", title="Zoom start link").model_copy(update={
    "links": [Link(role=Role.HOST, url="https://acme.zoom.us/s/81234567890?zak=SECRET",
                   sensitive=True)]})
SHARED = make_meeting(1, account="team", title="Shared")


async def select(pilot, main, title: str) -> None:
    await pilot.press("home")
    await pilot.pause()
    for _ in range(2):
        if main.selected.title == title:
            return
        await pilot.press("down")
        await pilot.pause()
    assert main.selected.title == title


@pytest.mark.parametrize("size", [(80, 24), (120, 36)])
async def test_the_guest_link_keys_are_greyed_where_there_is_none(make_app, size):
    app = make_app([START_ONLY, SHARED])
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        main = app.screen
        assert isinstance(main, MainScreen)
        await select(pilot, main, "Zoom start link")
        for action, params in (("show_qr", ()), ("copy", ("share",)), ("open_link", ())):
            assert main.check_action(action, params) is None, action
        assert main.check_action("copy", ("host",)) is True  # its host link is there
        for key in ("Q", "enter"):
            await pilot.press(key)
            await pilot.pause()
            assert app.screen is main, key  # no screen of its own to close again
            assert app.messages[-1] == (
                "warning", "This meeting has no link that is safe to show a guest. Host "
                "links are never shown as a QR code."), key
        await pilot.press("y")
        assert app.messages[-1] == ("warning", "This meeting has no link to give a guest.")
        await select(pilot, main, "Shared")
        assert main.check_action("show_qr", ()) is True
        assert main.check_action("copy", ("share",)) is True


async def test_the_detail_screen_greys_them_too(make_app):
    app = make_app([START_ONLY, SHARED])
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await select(pilot, app.screen, "Zoom start link")
        await pilot.press("i")
        detail = app.screen
        assert isinstance(detail, DetailScreen)
        assert detail.check_action("show_qr", ()) is None
        assert detail.check_action("copy", ("share",)) is None
        assert detail.check_action("copy", ("host",)) is True
        await pilot.press("Q")
        await pilot.pause()
        assert app.screen is detail
        assert app.messages[-1][1].startswith("This meeting has no link that is safe")
