"""Which of the list and the detail pane has the keys shows: Tab moved them to the pane
and the only change on screen was the list's cursor bar going one shade paler (colour
24 to 23 in a 256-colour terminal)."""

from __future__ import annotations

from rich.color import ColorSystem

from meettui.tui.widgets.detail import DetailPane
from meettui.tui.widgets.meeting_table import MeetingTable


def _eight_bit(color) -> tuple[int, int, int]:
    """`color` as a 256-colour terminal shows it, as RGB."""
    triplet = color.downgrade(ColorSystem.EIGHT_BIT).get_truecolor()
    return triplet.red, triplet.green, triplet.blue


async def test_tab_marks_the_pane_and_greys_the_list_s_cursor(make_app):
    app = make_app()
    async with app.run_test(size=(200, 60)) as pilot:
        await pilot.pause()
        pane = app.screen.query_one(DetailPane)
        table = app.screen.query_one(MeetingTable)
        await app.screen.query_one(DetailPane).settled()
        title = pane.query_one("#detail-title")
        edge, title_bg = pane.styles.border_left, title.styles.background
        focused_bar = table.get_component_rich_style("meeting-table--cursor").bgcolor
        assert table.has_focus
        await pilot.press("tab")
        await pilot.pause()
        assert pane.has_focus
        # The pane's edge and title take the focus colour.
        assert pane.styles.border_left != edge
        assert pane.styles.border_left[1] == app.current_theme.to_color_system().primary
        assert title.styles.background != title_bg
        # The list's cursor bar is clearly another colour, even in 256 colours.
        blurred_bar = table.get_component_rich_style("meeting-table--cursor-blurred").bgcolor
        focused, blurred = _eight_bit(focused_bar), _eight_bit(blurred_bar)
        assert max(abs(a - b) for a, b in zip(focused, blurred, strict=True)) >= 40
        await pilot.press("tab")
        await pilot.pause()
        assert table.has_focus and pane.styles.border_left == edge


# Tab and Shift+Tab go between the list and the pane only. Through Textual's focus
# chain, a kept filter's box was a stop on the way: Tab from the list focused it with
# its text selected, and the next letter replaced the filter.


async def keep_a_filter(pilot, word: str) -> None:
    await pilot.press("slash", *word, "enter")
    await pilot.pause()


async def test_tab_with_a_kept_filter_goes_to_the_pane_not_into_the_box(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        main = app.screen
        pane, table = main.query_one(DetailPane), main.table
        await keep_a_filter(pilot, "call 01")
        box = main.query_one("#filter")
        assert table.has_focus and main.query_text == "call 01"
        await pilot.press("tab", "x")
        await pilot.pause()
        assert pane.has_focus
        assert box.value == "call 01" and main.query_text == "call 01"
        await pilot.press("tab")
        assert table.has_focus
        # Shift+Tab the same way round, from either side.
        await pilot.press("shift+tab")
        assert pane.has_focus
        await pilot.press("shift+tab")
        assert table.has_focus
        assert box.value == "call 01"


async def test_tab_from_the_filter_box_keeps_the_filter(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        main = app.screen
        pane, table = main.query_one(DetailPane), main.table
        await pilot.press("slash", *"call 01", "tab")
        await pilot.pause()
        assert pane.has_focus and main.query_text == "call 01"
        await pilot.press("slash", "end", "2", "shift+tab")
        await pilot.pause()
        assert table.has_focus and main.query_text == "call 012"


async def test_tab_then_a_filter_in_one_burst_from_the_pane(make_app):
    # Tab (not a priority key) was handled after the `/` and Enter of the same burst,
    # and left the keys in the filter box.
    from test_forms_more import feed_terminal_bytes

    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        main = app.screen
        await pilot.press("tab")
        assert main.query_one(DetailPane).has_focus
        await feed_terminal_bytes(app, "\t/call 017\r")
        for _ in range(6):
            await pilot.pause()
        assert main.query_text == "call 017"
        assert main.table.has_focus
        assert main.selected.title == "Customer call 017"
        # And as a test presses them, one after the other.
        await pilot.press("tab", "slash", *"call 02", "enter", "tab")
        await pilot.pause()
        assert main.query_text == "call 02" and main.query_one(DetailPane).has_focus


async def test_n_a_title_and_tab_in_one_burst_fill_the_new_form(make_app):
    # A Tab run as soon as it was read moved the focus on the list before the form the
    # `n` read before it opened.
    from test_forms_more import feed_terminal_bytes

    from meettui.tui.screens.form import MeetingFormScreen

    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        main = app.screen
        await feed_terminal_bytes(app, "nHello\t+1h")
        for _ in range(6):
            await pilot.pause()
        form = app.screen
        assert isinstance(form, MeetingFormScreen)
        assert form.query_one("#field-title").value == "Hello"
        assert form.query_one("#field-starts_at").value == "+1h"
        assert main.table.has_focus
        await pilot.press("escape", "y")  # discard
        await pilot.pause()
        assert app.screen is main
        await pilot.press("n", *"Hi", "tab", *"+2h")
        await pilot.pause()
        form = app.screen
        assert form.query_one("#field-title").value == "Hi"
        assert form.query_one("#field-starts_at").value == "+2h"


async def test_tab_on_a_narrow_list_says_where_the_details_are(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        main = app.screen
        await keep_a_filter(pilot, "call")
        await pilot.press("tab", "x")
        await pilot.pause()
        assert main.table.has_focus and main.query_one("#filter").value == "call"
        assert app.messages[-1] == ("information", "The detail pane shows from 100 columns "
                                    "on; i shows the details full screen.")
