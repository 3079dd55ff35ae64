"""The list and the QR code draw their lines themselves (`OwnLines.render_lines`)
rather than through Textual's `StylesCache`, which styles every line again: the lines
must be the ones Textual's path makes, in every state they are drawn in."""

from __future__ import annotations

from collections import Counter

from textual._styles_cache import StylesCache
from textual.filter import NoColor
from textual.geometry import Region
from textual.strip import Strip
from tui_data import default_meetings

from meettui.tui.widgets.meeting_table import MeetingTable
from meettui.tui.widgets.own_lines import OwnLines
from meettui.tui.widgets.qr import QRCodeView


def _segments(strips: list[Strip]) -> list[list[tuple[str, object]]]:
    return [[(segment.text, segment.style) for segment in strip] for strip in strips]


async def _settle(app, pilot) -> None:  # type: ignore[no-untyped-def]
    await app.wait_until_settled()
    await pilot.pause()


async def test_own_lines_are_textuals_in_every_state(make_app, monkeypatch):
    # Per call: (widget, crop, whether its own path ran, whether the lines are Textual's).
    calls: list[tuple[str, Region, bool, bool]] = []
    ours = OwnLines.render_lines

    def checking(self: OwnLines, crop: Region) -> list[Strip]:
        lines = ours(self, crop)
        # Textual's path, from a store of its own (ours keeps lines in the widget's).
        theirs = StylesCache().render_widget(self, crop)
        calls.append((type(self).__name__, crop, self.lines_are_own(),
                      _segments(lines) == _segments(theirs)))
        return lines

    monkeypatch.setattr(OwnLines, "render_lines", checking)
    app = make_app(default_meetings(600))
    async with app.run_test(size=(120, 40)) as pilot:
        await _settle(app, pilot)
        # Moves, a page, the ends, the blurred cursor (Tab: the pane has the keys; its
        # scroll shows part of the QR code), a filter, its end, the help over the list,
        # the full-screen QR code and its next link.
        for key in ["down", "pagedown", "end", "home", "tab", "down", "down", "down",
                    "tab", "slash", "C", "u", "escape", "escape", "question_mark",
                    "escape", "Q", "tab", "escape"]:
            await pilot.press(key)
            await _settle(app, pilot)
        for size in [(80, 24), (60, 20), (200, 50)]:
            await pilot.resize_terminal(*size)
            await pilot.pause()
            await pilot.press("pagedown")
            await _settle(app, pilot)
        app.theme = "textual-light"
        await pilot.pause()
        await pilot.press("down")
        await _settle(app, pilot)
        # NO_COLOR's filter (Textual adds it from the environment at start).
        monkeypatch.setattr(type(app), "get_line_filters", lambda self: [NoColor()])
        table = app.screen.query_one(MeetingTable)
        table.repaint_all()
        app.screen.query_one(QRCodeView).refresh()
        await pilot.pause()
        await pilot.press("up")
        await _settle(app, pilot)
        # With padding, the own path would leave it out: Textual's path draws it.
        table.styles.padding = (0, 1)
        await pilot.pause()
        await pilot.press("down")
        await _settle(app, pilot)
    own = [(name, crop, same) for name, crop, fast, same in calls if fast]
    assert all(same for _, _, same in own)
    drawn = Counter(name for name, _, _ in own)
    assert drawn["MeetingTable"] >= 20 and drawn["QRCodeView"] >= 10
    # Partial crops (the cursor's two rows) as well as whole views were drawn.
    assert any(crop.height <= 2 for name, crop, _ in own if name == "MeetingTable")
    assert any(crop.height > 10 for name, crop, _ in own if name == "MeetingTable")
    # The padded list went Textual's way, and drew what Textual draws.
    padded = [same for _, _, fast, same in calls if not fast]
    assert padded and all(padded)
