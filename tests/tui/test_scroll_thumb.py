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


async def test_a_scroll_that_keeps_the_thumb_does_not_render_the_bar(make_app, monkeypatch):
    # Rows repainted on a scroll leave the bar's gutter out: the compositor renders every
    # widget in the bounding box of what changed, and a gutter in it meant the bar's
    # lines rendered on every PgDn for a thumb that had not moved.
    from textual.scrollbar import ScrollBar

    rendered: list[int] = []
    original = ScrollBar.render_lines

    def counting(self: ScrollBar, crop: Region):  # type: ignore[no-untyped-def]
        rendered.append(crop.height)
        return original(self, crop)

    monkeypatch.setattr(ScrollBar, "render_lines", counting)
    app = make_app(default_meetings(3000))
    async with app.run_test(size=(120, 24)) as pilot:
        await pilot.pause()
        table = app.screen.table
        bar = table.vertical_scrollbar
        quiet = moved = 0
        for key in ["pagedown"] * 12 + ["down"] * 30:
            before, top = thumb(bar, bar.position), table.scroll_y
            rendered.clear()
            await pilot.press(key)
            await pilot.pause()
            if table.scroll_y == top:
                continue
            if thumb(bar, bar.position) == before:
                quiet += 1
                assert rendered == [], key
            else:
                moved += 1
                assert rendered, key
        assert quiet and moved
