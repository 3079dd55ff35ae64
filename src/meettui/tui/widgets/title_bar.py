"""The title line at the top of the list, drawn by one widget.

Textual's Header is four widgets (itself, an icon, a title and a clock space), each
composed, styled and laid out before the first paint, which is most of what a Header
costs (about a tenth of the list screen's start). This line looks like it, with the same
theme variables, the icon's and the clock's widths, and the title as `App.format_title`
writes it; a click on the icon opens the command palette, as the Header's icon does.
"""

from __future__ import annotations

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.strip import Strip
from textual.widget import Widget

ICON = "⭘"
ICON_WIDTH = 8
"""Cells of the icon at the left (Textual's HeaderIcon: width 8, padding 0 1)."""
RIGHT_WIDTH = 10
"""Cells kept free at the right (Textual's HeaderClockSpace: width 10)."""
SEPARATOR = " — "
"""Between title and sub-title, as `App.format_title` joins them."""
NARROW_ROOM = 24
"""Below this many cells between the icon and the clock space (a terminal under 42
columns), the line drops both and shows the sub-title alone: the app's name is what the
user knows already, and a DEMO sub-title must stay in view (it went at 25 columns,
"meettu…")."""


class TitleBar(Widget, can_focus=False):
    """The screen's title and sub-title (falling back to the app's), centred and cut with
    an ellipsis when too long. The sub-title and the separator are dim, as in Textual's
    Header. Repaints when either title changes."""

    ALLOW_SELECT = False
    DEFAULT_CSS = """
    TitleBar {
        dock: top;
        width: 100%;
        height: 1;
        background: $panel;
        color: $foreground;
    }
    """

    def on_mount(self) -> None:
        for node in (self.app, self.screen):
            self.watch(node, "title", self._retitle, init=False)
            self.watch(node, "sub_title", self._retitle, init=False)

    def _retitle(self) -> None:
        self.refresh()

    def titles(self) -> tuple[str, str]:
        """(title, sub-title) as shown: the screen's, or the app's when the screen has
        none (Textual's Header does the same)."""
        screen, app = self.screen, self.app
        title = screen.title if screen.title is not None else app.title
        sub_title = screen.sub_title if screen.sub_title is not None else app.sub_title
        return title or "", sub_title or ""

    @property
    def narrow(self) -> bool:
        """True when the line is too narrow for the icon (see NARROW_ROOM)."""
        return self.size.width - ICON_WIDTH - RIGHT_WIDTH < NARROW_ROOM

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        base = self.rich_style
        if y:
            return Strip.blank(width, base)
        if self.narrow:
            return Strip(self._title_segments(width, base, alone=True)).crop_extend(
                0, width, base)
        room = max(0, width - ICON_WIDTH - RIGHT_WIDTH)
        segments = [Segment(set_cell_size(f" {ICON}", ICON_WIDTH), base)]
        segments.extend(self._title_segments(room, base))
        return Strip(segments).crop_extend(0, width, base)

    def _title_segments(self, room: int, base: Style, *, alone: bool = False
                        ) -> list[Segment]:
        """The title line's text in `room` cells, centred; `alone`: the sub-title
        without the title (when there is one)."""
        title, sub_title = self.titles()
        dim = base + Style(dim=True)
        parts = [(title, base)]
        if sub_title:
            parts = [(sub_title, base)] if alone else [*parts, (SEPARATOR, dim),
                                                       (sub_title, dim)]
        length = sum(cell_len(text) for text, _ in parts)
        if length > room:
            # Cut from the end, with an ellipsis in the last cell (text-overflow: ellipsis).
            kept: list[tuple[str, Style]] = []
            left = max(0, room - 1)
            for text, style in parts:
                piece = text if cell_len(text) <= left else set_cell_size(text, left)
                if piece:
                    kept.append((piece, style))
                left -= cell_len(piece)
            kept.append(("…", kept[-1][1] if kept else base))
            parts, length = kept, room
        pad = max(0, room - length)
        return [Segment(" " * (pad // 2), base),
                *(Segment(text, style) for text, style in parts),
                Segment(" " * (pad - pad // 2), base)]

    def on_click(self, event: events.Click) -> None:
        if event.x < ICON_WIDTH and not self.narrow and self.app.ENABLE_COMMAND_PALETTE:
            event.stop()
            self.app.action_command_palette()
