"""Forms as people (and scripts) really use them: keys in bursts, a meeting gone
elsewhere, the cursor on edit, the right account, only the fields a provider takes,
a question before throwing typing away, and a bounded title."""

from __future__ import annotations

from textual._xterm_parser import XTermParser

from meettui.tui.screens.form import MeetingFormScreen


async def feed_terminal_bytes(app, data: str) -> None:
    """What the terminal driver does with one read(): parse the bytes and hand every
    event to the app at once, without waiting for the app between them."""
    for event in XTermParser().feed(data):
        app._driver.process_message(event)


async def test_tab_in_a_burst_of_keys_moves_to_the_next_field(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("n")
        form = app.screen
        assert isinstance(form, MeetingFormScreen)
        await feed_terminal_bytes(app, "abc\t+1h")
        for _ in range(5):
            await pilot.pause()
        assert form.query_one("#field-title").value == "abc"
        assert form.query_one("#field-starts_at").value == "+1h"


async def test_tab_pressed_quickly_with_pilot(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("n")
        form = app.screen
        await pilot.press("a", "b", "c", "tab", "+", "1", "h")
        assert form.query_one("#field-title").value == "abc"
        assert form.query_one("#field-starts_at").value == "+1h"
