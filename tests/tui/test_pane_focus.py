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
