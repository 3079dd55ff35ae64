"""The list draws its lines itself (`MeetingTable.render_lines`) rather than through
Textual's `StylesCache`, which styles every line again: the lines must be the ones
Textual's path makes, in every state the list is drawn in."""

from __future__ import annotations

from textual.filter import NoColor
from textual.geometry import Region
from textual.strip import Strip
from tui_data import default_meetings

from meettui.tui.widgets.meeting_table import MeetingTable


def _segments(strips: list[Strip]) -> list[list[tuple[str, object]]]:
    return [[(segment.text, segment.style) for segment in strip] for strip in strips]


async def test_the_lists_lines_are_textuals_in_every_state(make_app, monkeypatch):
    # Per call: (crop, whether the fast path ran, whether its lines equal Textual's).
    calls: list[tuple[Region, bool, bool]] = []
    ours = MeetingTable.render_lines

    def checking(self: MeetingTable, crop: Region) -> list[Strip]:
        lines = ours(self, crop)
        theirs = self._styles_cache.render_widget(self, crop)
        calls.append((crop, self._lines_are_own(), _segments(lines) == _segments(theirs)))
        return lines

    monkeypatch.setattr(MeetingTable, "render_lines", checking)
    app = make_app(default_meetings(600))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        # Moves, a page, the ends, the blurred cursor (Tab: the pane has the keys), a
        # filter, its end, the help over the list.
        for key in ["down", "pagedown", "end", "home", "tab", "down", "tab", "slash",
                    "C", "u", "escape", "escape", "question_mark", "escape"]:
            await pilot.press(key)
            await app.wait_until_settled()
            await pilot.pause()
        for size in [(80, 24), (60, 20), (200, 50)]:
            await pilot.resize_terminal(*size)
            await pilot.pause()
            await pilot.press("pagedown")
            await app.wait_until_settled()
            await pilot.pause()
        app.theme = "textual-light"
        await pilot.pause()
        await pilot.press("down")
        await app.wait_until_settled()
        await pilot.pause()
        # NO_COLOR's filter (Textual adds it from the environment at start).
        monkeypatch.setattr(type(app), "get_line_filters", lambda self: [NoColor()])
        table = app.screen.query_one(MeetingTable)
        table.repaint_all()
        await pilot.pause()
        await pilot.press("up")
        await app.wait_until_settled()
        await pilot.pause()
        # With padding, the list's own path would leave it out: Textual's path draws it.
        table.styles.padding = (0, 1)
        await pilot.pause()
        await pilot.press("down")
        await app.wait_until_settled()
        await pilot.pause()
    own = [same for _, fast, same in calls if fast]
    assert len(own) >= 20
    assert all(own)
    # Partial crops (a row, the cursor's two rows) as well as whole views were drawn.
    assert any(crop.height <= 2 for crop, fast, _ in calls if fast)
    assert any(crop.height > 10 for crop, fast, _ in calls if fast)
    # The padded list went Textual's way, and drew what Textual draws.
    padded = [same for _, fast, same in calls if not fast]
    assert padded and all(padded)
