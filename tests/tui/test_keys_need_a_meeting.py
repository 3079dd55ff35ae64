"""The list's keys that act on the selected meeting (copy a link, QR, details, open,
invitation, reveal) are greyed in the footer while there is none (an empty account, a
filter that matches nothing), lit once there is one, and pressed anyway they say why.
On an empty Jitsi account the footer showed `y Copy link  Q QR` lit."""

from __future__ import annotations

from states import settle
from textual.widgets import Input

from meettui.tui.screens.form import MeetingFormScreen
from meettui.tui.widgets.footer import KeyFooter

NEEDS_A_MEETING = ("copy.shareable", "copy.guest", "copy.host", "copy.viewer",
                   "copy.attendee", "detail.reveal", "qr.open", "detail.full", "link.open",
                   "copy.invitation")
EMPTY = "No meeting to act on: the list is empty."


def enabled_by_id(screen) -> dict[str, bool]:
    return {active.binding.id: active.enabled for active in screen.active_bindings.values()
            if active.binding.id in NEEDS_A_MEETING}


async def test_greyed_on_an_empty_account_lit_once_a_meeting_is_there(make_app):
    app = make_app([])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        main = app.screen
        assert main.selected is None
        footer = main.query_one(KeyFooter)
        lit = {hint.description: hint.enabled for hint in footer.hints}
        assert lit["Copy link"] is False and lit["QR"] is False
        assert enabled_by_id(main) == dict.fromkeys(NEEDS_A_MEETING, False)
        await pilot.press("n")
        assert isinstance(app.screen, MeetingFormScreen)
        await pilot.press(*"Board review", "ctrl+s")
        await settle(pilot)
        assert app.screen is main and main.selected is not None
        assert enabled_by_id(main) == dict.fromkeys(NEEDS_A_MEETING, True)
        lit = {hint.description: hint.enabled for hint in footer.hints}
        assert lit["Copy link"] is True and lit["QR"] is True
        # Gone again (a Jitsi room is forgotten): greyed again.
        await pilot.press("d", "y")
        await settle(pilot)
        assert main.selected is None
        assert enabled_by_id(main) == dict.fromkeys(NEEDS_A_MEETING, False)


async def test_pressed_anyway_each_says_why(make_app):
    app = make_app([])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        main = app.screen
        for key in ("y", "g", "h", "v", "t", "r", "Q", "enter", "i", "o", "I"):
            app.messages.clear()
            await pilot.press(key)
            await pilot.pause()
            assert app.screen is main, key  # nothing opened
            assert app.messages == [("warning", EMPTY)], key


async def test_a_filter_that_matches_nothing_greys_them_and_the_box_keeps_its_keys(
        make_app):
    app = make_app()
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        main = app.screen
        assert enabled_by_id(main) == dict.fromkeys(NEEDS_A_MEETING, True)
        await pilot.press("slash", *"zzzzz")
        await settle(pilot)
        assert main.selected is None
        box = main.query_one("#filter", Input)
        # The box keeps its own keys (Enter, Delete) with nothing to act on in the list.
        await pilot.press("home", "delete")
        await pilot.pause()
        assert box.value == "zzzz"
        await pilot.press("enter")  # keep the filter, back to the list
        await settle(pilot)
        assert app.focused is main.table
        assert not any("act on" in text for _, text in app.messages)
        assert enabled_by_id(main) == dict.fromkeys(NEEDS_A_MEETING, False)
        await pilot.press("y")
        await pilot.pause()
        assert app.messages[-1] == ("warning", "No meeting to act on: none matches the "
                                               "filter.")
        await pilot.press("escape")  # the filter cleared: meetings again
        await settle(pilot)
        assert main.selected is not None
        assert enabled_by_id(main) == dict.fromkeys(NEEDS_A_MEETING, True)


async def test_switching_to_an_account_with_no_meetings_greys_them(make_app):
    from tui_data import BASE_CONFIG, default_meetings

    config = BASE_CONFIG + '[[accounts]]\nname = "rooms"\nprovider = "jitsi"\n'
    app = make_app(default_meetings(3), config=config)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        main = app.screen
        assert enabled_by_id(main) == dict.fromkeys(NEEDS_A_MEETING, True)
        app.set_scope("rooms")
        await settle(pilot)
        assert main.selected is None
        assert enabled_by_id(main) == dict.fromkeys(NEEDS_A_MEETING, False)
        line = main.query_one(KeyFooter).render_line(0).text
        assert "y Copy link" in line  # greyed, still in its place
        app.set_scope("team")
        await settle(pilot)
        assert enabled_by_id(main) == dict.fromkeys(NEEDS_A_MEETING, True)
