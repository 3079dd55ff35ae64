"""meettui's screens render an update from fewer widgets and lines than Textual's
compositor does (tui/compositor.py), and write the same to the terminal."""

from __future__ import annotations

import io
from collections.abc import Iterator

from rich.cells import cell_len
from rich.console import Console
from rich.segment import ControlType
from textual._compositor import ChopsUpdate, Compositor
from textual.containers import Vertical
from textual.geometry import Region
from textual.strip import Strip
from textual.widget import Widget
from tui_data import default_meetings

from meettui.tui.compositor import CroppingCompositor, uncovered_bands
from meettui.tui.widgets.meeting_table import MeetingTable


def _cells(update: ChopsUpdate, width: int) -> dict[tuple[int, int], tuple[str, object]]:
    """What `update` leaves on a terminal: glyph and style per cell it writes."""
    console = Console(file=io.StringIO(), force_terminal=True, color_system="truecolor",
                      width=width, legacy_windows=False)
    cells: dict[tuple[int, int], tuple[str, object]] = {}
    x = y = 0
    for segment in update.__rich_console__(console, console.options):
        if segment.control:
            for code in segment.control:
                if code[0] == ControlType.CURSOR_MOVE_TO:
                    x, y = code[1], code[2]
        elif segment.text == "\n":
            x, y = 0, y + 1
        else:
            for char in segment.text:
                cells[x, y] = (char, segment.style)
                x += cell_len(char)
    return cells


async def test_partial_updates_write_what_textuals_compositor_writes(make_app, monkeypatch):
    # Per update: widgets rendered by ours, by Textual's; whether the cells are the same.
    counts: list[tuple[int, int, bool]] = []
    ours_get = CroppingCompositor._get_renders
    ours_update = CroppingCompositor.render_partial_update

    def counted(renders: Iterator, count: list[int]) -> Iterator:
        for render in renders:
            count[0] += 1
            yield render

    def checking(self: CroppingCompositor) -> ChopsUpdate | None:
        regions = list(self._dirty_regions)
        ours_count, textuals_count = [0], [0]
        # Ours first, on the widgets' state as the frame found it.
        self._get_renders = lambda crop=None: counted(ours_get(self, crop), ours_count)
        try:
            ours = ours_update(self)
            if ours is None:
                return None
            # Textual's own renders of the same update.
            self._get_renders = lambda crop=None: counted(
                Compositor._get_renders(self, crop), textuals_count)
            crop = Region.from_union(regions).intersection(self.size.region)
            spans = list(self._regions_to_spans(regions))
            chops = self._render_chops(crop, {y for y, _, _ in spans}.__contains__)
        finally:
            del self._get_renders
        theirs = ChopsUpdate(chops, spans, [cuts[1:] for cuts in self.cuts])
        # The same cells (Textual's may also move the cursor to a chop it then skips).
        # Compared after the run: an assertion raised in a frame would stop the app.
        same = _cells(ours, self.size.width) == _cells(theirs, self.size.width)
        counts.append((ours_count[0], textuals_count[0], same))
        return ours

    monkeypatch.setattr(CroppingCompositor, "render_partial_update", checking)
    app = make_app(default_meetings(600))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen._compositor, CroppingCompositor)
        keys = ["pagedown", "pagedown", "down", "down", "up", "end", "pageup", "home",
                "slash", "C", "u", "s", "escape", "escape", "question_mark", "escape",
                "i", "escape", "down", "pagedown"]
        for key in keys:
            await pilot.press(key)
            await pilot.pause()
            await app.wait_until_settled()
            await pilot.pause()
        await pilot.resize_terminal(90, 30)
        await pilot.pause()
        for key in ["pagedown", "down"]:
            await pilot.press(key)
            await app.wait_until_settled()
            await pilot.pause()
    assert len(counts) >= 20
    assert all(same for _, _, same in counts)
    # Every update rendered fewer widgets than Textual's compositor would have, or as few.
    assert all(ours <= theirs for ours, theirs, _ in counts)
    assert sum(ours for ours, _, _ in counts) < sum(theirs for _, theirs, _ in counts) / 2


async def test_full_updates_write_what_textuals_compositor_writes(make_app, monkeypatch):
    # Per full update (the first frame, a resize, a screen pushed or popped): widgets
    # rendered by ours, by Textual's; whether the lines are the same.
    counts: list[tuple[int, int, bool]] = []
    ours_get = CroppingCompositor._get_renders
    ours_full = CroppingCompositor.render_full_update

    def counted(renders: Iterator, count: list[int]) -> Iterator:
        for render in renders:
            count[0] += 1
            yield render

    def checking(self: CroppingCompositor, simplify: bool = False):  # type: ignore[no-untyped-def]
        ours_count, textuals_count = [0], [0]
        self._get_renders = lambda crop=None: counted(ours_get(self, crop), ours_count)
        try:
            update = ours_full(self, simplify)
            ours = [Strip.join(line) for line in update.strips]
            self._get_renders = lambda crop=None: counted(
                Compositor._get_renders(self, crop), textuals_count)
            theirs = [Strip.join(chop.values())
                      for chop in self._render_chops(self.size.region, lambda y: True)]
        finally:
            del self._get_renders
        counts.append((ours_count[0], textuals_count[0], ours == theirs))
        return update

    monkeypatch.setattr(CroppingCompositor, "render_full_update", checking)
    app = make_app(default_meetings(600))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        for key in ["question_mark", "escape", "i", "escape", "slash", "C", "escape"]:
            await pilot.press(key)
            await pilot.pause()
            await app.wait_until_settled()
            await pilot.pause()
        for size in [(90, 30), (160, 50), (120, 40)]:
            await pilot.resize_terminal(*size)
            await pilot.pause()
            await app.wait_until_settled()
            await pilot.pause()
    assert len(counts) >= 5
    assert all(same for _, _, same in counts)
    assert all(ours <= theirs for ours, theirs, _ in counts)
    assert sum(ours for ours, _, _ in counts) < sum(theirs for _, theirs, _ in counts)


async def test_the_first_frame_does_not_render_what_the_widgets_cover(make_app, monkeypatch):
    # The screen's background and the list's container are under the title bar, the
    # list, the pane, the hint, the status line and the footer, every cell of them.
    rendered: list[str] = []

    def recording(original):  # type: ignore[no-untyped-def]
        def record(self: Widget, crop: Region) -> list[Strip]:
            rendered.append(type(self).__name__)
            return original(self, crop)
        return record

    # The list draws its lines itself (MeetingTable.render_lines), the others Textual's way.
    monkeypatch.setattr(Widget, "render_lines", recording(Widget.render_lines))
    monkeypatch.setattr(MeetingTable, "render_lines", recording(MeetingTable.render_lines))
    app = make_app()
    async with app.run_test(size=(120, 40)):
        assert "MeetingTable" in rendered and "TitleBar" in rendered
        assert "MainScreen" not in rendered
        assert Vertical.__name__ not in rendered


def test_uncovered_bands_are_the_lines_some_cell_of_which_shows():
    shown = Region(0, 0, 10, 6)
    assert list(uncovered_bands(shown, [])) == [(0, 6)]
    # Two regions side by side cover lines 1-2 whole; line 3 has a gap at x=5.
    front = [Region(0, 1, 5, 3), Region(5, 1, 5, 2), Region(6, 3, 4, 1)]
    assert list(uncovered_bands(shown, front)) == [(0, 1), (3, 6)]
    # Overlapping spans, and regions reaching past the shown area, cover it all.
    front = [Region(-2, -1, 7, 9), Region(3, 0, 20, 6)]
    assert list(uncovered_bands(shown, front)) == []
    # A region that only touches an edge covers nothing.
    assert list(uncovered_bands(shown, [Region(10, 0, 5, 6), Region(0, 6, 10, 2)])) == [(0, 6)]
