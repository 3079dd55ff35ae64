"""The title line at the top of the list, drawn by one widget.

Textual's Header is four widgets (itself, an icon, a title and a clock space), each
composed, styled and laid out before the first paint, which is most of what a Header
costs (about a tenth of the list screen's start). This line looks like it, with the same
theme variables, the icon's and the clock's widths, and the title as `App.format_title`
writes it; a click on the icon opens the command palette, as the Header's icon does.

Too narrow for the whole line, it degrades by words: the screen may offer shorter
wordings of its sub-title (`sub_title_wordings`), and the line takes the first that
fits, with the app's name before it while that fits too; only when none fits is the
shortest cut, after a whole word, with "…". The demo's line was cut mid-word at 80
columns ("…except jitsi; c…"), losing where accounts are configured.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

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
WORD = re.compile(r".+?(?:\s+|[-_/]+|$)")
"""A word of a title and what follows it (spaces, or the hyphen of "front-desk"): where
a line too long for every wording may be cut."""
CUT_TRAILING = " —–-_/(;,:"
"""What a cut line does not end with before its "…" (a dangling separator)."""


def cut_by_words(text: str, room: int) -> str:
    """`text` in `room` cells: whole when it fits, else the words that fit and "…" (a
    word longer than the room alone is cut inside it, as nothing else is left)."""
    if cell_len(text) <= room:
        return text
    if room <= 1:
        return "…"[:room]
    kept = ""
    for word in WORD.findall(text):
        if cell_len(kept + word) > room - 1:
            break
        kept += word
    kept = kept.rstrip(CUT_TRAILING)
    if not kept:
        kept = set_cell_size(text, room - 1).rstrip()
    return kept + "…"


def fitted_parts(title: str, wordings: Sequence[str], room: int, *,
                 with_title: bool = True) -> tuple[int, list[tuple[str, bool]]]:
    """The title line's text in `room` cells, as (text, dim) parts, and its rank (lower
    says more): for each wording of the sub-title, longest first, the title, the
    separator and it (the two dim), then it alone (not dim); the first that fits. When
    none does, the shortest wording is cut after a whole word (`cut_by_words`).
    `with_title`: False leaves the title out (NARROW_ROOM). No wording (no sub-title):
    the title alone, cut the same way."""
    wordings = [w for w in wordings if w]
    if not wordings:
        return 0, [(cut_by_words(title, room), False)]
    for rank, sub in enumerate(wordings):
        if with_title and title and cell_len(title + SEPARATOR + sub) <= room:
            return 2 * rank, [(title, False), (SEPARATOR, True), (sub, True)]
        if cell_len(sub) <= room:
            return 2 * rank + 1, [(sub, False)]
    return 2 * len(wordings), [(cut_by_words(wordings[-1], room), False)]


class TitleBar(Widget, can_focus=False):
    """The screen's title and sub-title (falling back to the app's), centred; when too
    long, shorter wordings, then cut after a whole word with an ellipsis. The sub-title
    and the separator are dim, as in Textual's Header. Repaints when either title
    changes."""

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

    def wordings(self, sub_title: str) -> tuple[str, ...]:
        """`sub_title`, then the shorter wordings of it the screen offers
        (`sub_title_wordings`, longest first, the first being `sub_title` itself: set
        with it). A sub-title set without them has no other wording."""
        offered = tuple(getattr(self.screen, "sub_title_wordings", ()) or ())
        return offered if offered and offered[0] == sub_title else (sub_title,)

    @property
    def narrow(self) -> bool:
        """True when the line leaves out the icon and the clock's space: too narrow for
        them (see NARROW_ROOM), or the sub-title says more over the whole width (at 50
        columns "DEMO — All accounts (see config.toml)" rather than "meettui — DEMO —
        All accounts" beside the icon)."""
        width = self.size.width
        room = width - ICON_WIDTH - RIGHT_WIDTH
        if room < NARROW_ROOM:
            return True
        title, sub_title = self.titles()
        if not sub_title:
            return False
        wordings = self.wordings(sub_title)
        beside, _ = fitted_parts(title, wordings, room)
        alone, _ = fitted_parts(title, wordings, width, with_title=False)
        return alone < beside

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
        """The title line's text in `room` cells, centred (`fitted_parts`); `alone`:
        the sub-title without the title (when there is one)."""
        title, sub_title = self.titles()
        dim = base + Style(dim=True)
        wordings = self.wordings(sub_title) if sub_title else ()
        _rank, fitted = fitted_parts(title, wordings, room, with_title=not alone)
        parts = [(text, dim if faint else base) for text, faint in fitted]
        length = sum(cell_len(text) for text, _ in parts)
        pad = max(0, room - length)
        return [Segment(" " * (pad // 2), base),
                *(Segment(text, style) for text, style in parts),
                Segment(" " * (pad - pad // 2), base)]

    def on_click(self, event: events.Click) -> None:
        if event.x < ICON_WIDTH and not self.narrow and self.app.ENABLE_COMMAND_PALETTE:
            event.stop()
            self.app.action_command_palette()
