"""The list's scrollbar is repainted only when its thumb moves, yet always shows what a
full repaint would, and keeps the exact position (a drag starts from it)."""

from __future__ import annotations

from textual.geometry import Region
from tui_data import default_meetings

from meettui.tui.widgets.scroll_thumb import thumb


def _cells(lines) -> list[list[tuple[str, object, object]]]:
    """Per cell: glyph, colour and background (what the terminal shows)."""
    return [[(ch, seg.style.color, seg.style.bgcolor) for seg in line for ch in seg.text]
            for line in lines]


async def test_the_scrollbar_is_drawn_as_a_full_repaint_draws_it(make_app):
    app = make_app(default_meetings(600))
    async with app.run_test(size=(120, 24)) as pilot:
        await pilot.pause()
        table = app.screen.table
        bar = table.vertical_scrollbar
        quiet = moved = 0
        for key in ["pagedown", *["down"] * 30, "pagedown", "pagedown", "end", "up",
                    "pageup", "home", "down"]:
            before = thumb(bar, bar.position)
            await pilot.press(key)
            await pilot.pause()
            assert bar.position == bar.validate_position(table.scroll_y)
            if thumb(bar, bar.position) == before:
                quiet += 1
            else:
                moved += 1
            # The lines kept since the bar was last painted, against a forced repaint.
            shown = _cells(bar.render_lines(Region(0, 0, *bar.size)))
            bar.refresh()
            await pilot.pause()
            assert shown == _cells(bar.render_lines(Region(0, 0, *bar.size))), key
        # Both kinds of move happened: the test saw quiet scrolls and repainted thumbs.
        assert quiet and moved
