"""A virtual table over the cache: renders only the visible rows, fetches them from
SQLite in blocks, so 100,000 meetings scroll as smoothly as ten (toolong's approach;
the stock DataTable must be fed every row up front). This module holds the table's
rows source, cursor, reloads and rendered-row cache; how a row looks (columns, cell
texts, styles, strips) is in `meeting_rows.py`.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from rich.cells import set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from meettui.core.cache_window import Position, StoredRow
from meettui.core.models import Meeting
from meettui.core.rowblocks import Read, RowBlocks
from meettui.tui.contrast import readable
from meettui.tui.widgets.meeting_rows import (
    ACCOUNT,
    COLUMNS,
    RowLooks,
    account_column_width,
    column_titles,
    column_widths,
    footer_lines,
    row_strip,
)
from meettui.tui.widgets.ordered_input import OrderedKeys
from meettui.tui.widgets.own_lines import OwnLines
from meettui.tui.widgets.scroll_thumb import move_quietly

BLOCK = 128
MAX_BLOCKS = 24
# Within this many rows of the end of what is cached, ask for the next provider page.
NEAR_END = 10


@dataclass
class TableSource:
    """Where the rows come from. `locate(keep, home, near)`: the row count, and the
    place of `keep` (or, with `home` and no `keep`, of where the cursor starts until
    the user moves it: the first meeting not over); `near` is the row it was on.
    `rows(read)`: rows by key (`core/rowblocks.py`). `accounts()`: the names of the
    accounts the rows come from (the Account column is as wide as the longest). Either
    read gives None when it cannot be made now (the cache is busy): the table keeps
    what it has and leaves those rows blank until its next reload."""

    locate: Callable[[Meeting | None, bool, int | None], Position | None]
    rows: Callable[[Read], list[StoredRow] | None]
    accounts: Callable[[], Sequence[str]] = tuple


class MeetingTable(OwnLines, OrderedKeys, ScrollView, can_focus=True):
    """Rows of meetings sorted by start, with a cursor and a status row at the end."""

    COMPONENT_CLASSES = {
        "meeting-table--cursor",
        "meeting-table--cursor-blurred",
        "meeting-table--footer",
        "meeting-table--missing",
        "meeting-table--live",
        "meeting-table--scheduled",
        "meeting-table--ended",
        "meeting-table--expired",
        "meeting-table--cancelled",
        "meeting-table--gone",
    }

    DEFAULT_CSS = """
    MeetingTable { height: 1fr; overflow-x: hidden; scrollbar-gutter: stable; }
    MeetingTable > .meeting-table--cursor { background: $primary 45%; text-style: bold; }
    /* Blurred (the detail pane has the keys): a grey bar, not a paler blue one, which
       a 256-colour terminal drew one shade from the focused bar (24 and 23). */
    MeetingTable > .meeting-table--cursor-blurred { background: $foreground 12%; }
    MeetingTable > .meeting-table--footer { color: $text-muted; text-style: italic; }
    MeetingTable > .meeting-table--missing { color: $text-muted; text-style: strike; }
    MeetingTable > .meeting-table--live { color: $status-live; text-style: bold; }
    MeetingTable > .meeting-table--scheduled { color: $status-scheduled; }
    MeetingTable > .meeting-table--ended { color: $status-ended; }
    MeetingTable > .meeting-table--expired { color: $status-expired; }
    MeetingTable > .meeting-table--cancelled { color: $status-ended; text-style: strike; }
    MeetingTable > .meeting-table--gone { color: $text-muted; text-style: italic; }
    """

    BINDINGS = [
        Binding("up,k", "cursor(-1)", "Up", show=False, id="list.up"),
        Binding("down,j", "cursor(1)", "Down", show=False, id="list.down"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="list.page_up"),
        Binding("pagedown", "page(1)", "Page down", show=False, id="list.page_down"),
        Binding("home", "first", "First", show=False, id="list.first"),
        Binding("end", "last", "Last", show=False, id="list.last"),
    ]

    # Repainted row by row by watch_cursor (the old row and the new one), never whole.
    cursor: reactive[int] = reactive(0, always_update=True, repaint=False)
    footer_text: reactive[str] = reactive("")
    show_account: reactive[bool] = reactive(True)
    """The Account column is shown in a merged view only."""
    account_width: reactive[int] = reactive(COLUMNS[ACCOUNT].width)
    """The Account column's width when there is room: the longest account name the rows
    can show (`TableSource.accounts`), within ACCOUNT_MAX; set at each reload."""
    sort_column: reactive[tuple[str, bool]] = reactive(("start", False))
    """The order the rows are in (key, descending), marked in the header."""

    class Highlighted(Message):
        """The cursor is on `meeting` now (None: the list is empty)."""

        def __init__(self, table: MeetingTable, meeting: Meeting | None) -> None:
            super().__init__()
            self.table = table
            self.meeting = meeting

    class NearEnd(Message):
        """The cursor is close to the last cached row: time to fetch another page."""

    def __init__(self, source: TableSource, now: Callable[[], datetime], **kw) -> None:
        super().__init__(**kw)
        self._source = source
        self._now = now
        self._count = 0
        self._blocks = RowBlocks(source.rows, size=BLOCK, keep=MAX_BLOCKS)
        self._last_highlighted: tuple[str, str] | None = None
        # Until the user moves, a refresh keeps the view at the top rather than
        # following whichever row happened to be first before the pages arrived.
        self._user_moved = False
        # Rendered rows; a key press must not re-render every visible row.
        self._lines: OrderedDict[tuple[int, bool | None, int], Strip] = OrderedDict()
        self._looks = RowLooks(self)

    # -- data ----------------------------------------------------------------------

    @property
    def row_count(self) -> int:
        return self._count

    def reload(self, keep: Meeting | None = None, *, home_if_gone: bool = False,
               announce: bool = True) -> None:
        """Re-read from the cache, keeping the cursor on the same meeting if it is there.
        If it is not: with `home_if_gone` (a new filter) the cursor goes where the list
        opens (`locate`'s home: on now or next; the top in another order); else it keeps
        its row number (after a delete, the next meeting takes the row). It posts
        `Highlighted`, unless `announce` is False: the caller then reads `highlighted`
        and acts on it itself, at once."""
        if keep is not None:
            self._user_moved = True  # asked to follow a meeting: keep following it
        elif self._user_moved:
            keep = self.highlighted
        self._lines.clear()
        # Measured here, once a reload, not per row: a handful of names.
        self.account_width = account_column_width(self._source.accounts())
        # One query for the count and the place of the row the cursor follows; the
        # rows around it are then read from its key.
        home_wanted = keep is None and not self._user_moved
        # With `home_if_gone`, one query: the meeting's place, else the home's.
        position = self._source.locate(keep, home_wanted or (home_if_gone and keep is not None),
                                       self.cursor)
        if position is None:
            # Not readable now (another process holds the cache): the rows, the count and
            # the cursor stay as they are; the next reload reads them again.
            self.refresh()
            return
        lost = (home_if_gone and keep is not None and position.count > 0
                and (position.index is None or position.home))
        if lost:
            # A filter left the meeting followed out. Kept at its old row number, the
            # cursor landed on a meeting the user never chose (days away), and Enter,
            # Q or y then acted on it.
            keep, home_wanted, self._user_moved = None, True, False
        self._count = position.count
        index = position.index if keep is not None else None
        home = position.index if home_wanted else None
        pin = None
        if position.index is not None and position.key is not None:
            pin = (position.index, position.key)
        self._blocks.reset(self._count, pin)
        self._set_length(self._count + len(self._footer()))
        if index is not None:
            target = index
        elif home is not None:
            target = home
        elif lost:
            target = 0
        else:
            target = min(self.cursor, max(0, self._count - 1))
        self._set_cursor(target, message=announce)
        if home is not None:
            # What is on now or next at the top, one row of what just ended above it.
            self.scroll_to(y=max(0, home - 1), animate=False, force=True, immediate=True)
        self.refresh()

    def _footer(self) -> tuple[str, ...]:
        """The lines of the status row at the list's end (`footer_text`, wrapped to the
        rows' width; "No meetings." when there is none and no row)."""
        text = self.footer_text or ("No meetings." if not self._count else "")
        return footer_lines(text, self.scrollable_content_region.width)

    def _set_length(self, lines: int) -> None:
        """The table is `lines` lines long now (its rows and the status row's lines)."""
        size = Size(0, lines)
        if size == self.virtual_size:
            return
        if not self.container_size:
            # Not laid out yet: the first layout places it. Set quietly: a layout asked
            # for now would be a second one after the first frame.
            self.set_reactive(ScrollView.virtual_size, size)
            if lines > self.app.size.height:
                # More rows than the terminal has lines: the scrollbar will show. Textual
                # finds that out only after its first layout, and then lays the screen
                # out and renders it again: the first frame had a blank gutter.
                self.set_reactive(ScrollView.show_vertical_scrollbar, True)
            return
        # Setting `virtual_size` asks for a layout of the whole screen (~3 ms, and the
        # repaint after it), though the table keeps its place and size: a filter
        # keystroke changes the length every time. The scrollbar's range and the
        # scroll limits are updated here instead; showing or hiding the scrollbar
        # (a list now shorter or longer than the view) still lays the screen out.
        self.set_reactive(ScrollView.virtual_size, size)
        self._scroll_update(size)

    def meeting_at(self, index: int) -> Meeting | None:
        return self._blocks.meeting(index)

    @property
    def highlighted(self) -> Meeting | None:
        return self.meeting_at(self.cursor) if self._count else None

    # -- cursor ----------------------------------------------------------------------

    def _set_cursor(self, index: int, *, message: bool | None = None) -> None:
        """Put the cursor on row `index` (clamped), scrolled into view. `message`: post
        `Highlighted` always (True), never (False), or if the meeting changed (None)."""
        index = max(0, min(index, self._count - 1)) if self._count else 0
        self.cursor = index
        self._cursor_in_view()
        meeting = self.highlighted
        key = meeting.key if meeting else None
        if message or (message is None and key != self._last_highlighted):
            self.post_message(self.Highlighted(self, meeting))
        self._last_highlighted = key
        if self._count and index >= self._count - NEAR_END:
            self.post_message(self.NearEnd())

    def _cursor_in_view(self) -> None:
        """Scroll the cursor row into view; on the last row, the status row under it
        too (as much of it as fits beside the row)."""
        index = self.cursor
        height = 1
        if index == self._count - 1:
            height = max(1, min(1 + len(self._footer()), self.size.height))
        self.scroll_to_region(
            Region(0, index, 1, height), animate=False, force=True, immediate=True
        )

    def watch_cursor(self, old: int, new: int) -> None:
        self.refresh_row(old)
        self.refresh_row(new)

    def watch_footer_text(self) -> None:
        # Its lines may be more or fewer now: the length follows, and every line from
        # the first of them down is repainted.
        self._set_length(self._count + len(self._footer()))
        y = self._count - int(self.scroll_offset.y)
        if y < self.size.height:
            top = max(0, y)
            self.refresh(Region(0, top, self._rows_width(), self.size.height - top))

    def refresh_row(self, index: int) -> None:
        y = index - int(self.scroll_offset.y)
        if 0 <= y < self.size.height:
            self.refresh(Region(0, y, self._rows_width(), 1))

    def _rows_width(self) -> int:
        """The rows' width, the scrollbar's gutter left out: a repaint of rows that
        takes in the gutter renders the whole bar again (the compositor renders every
        widget in the bounding box of what changed)."""
        return self.scrollable_content_region.width

    def go_home(self) -> None:
        """Put the cursor where the list opens (`reload`'s home: on now or next), as
        for a list the user has not moved in yet."""
        self._user_moved = False
        self.reload()

    def move_to(self, index: int) -> None:
        """Move the cursor on the user's behalf (keys, clicks)."""
        self._user_moved = True
        self._set_cursor(index)

    def action_cursor(self, delta: int) -> None:
        self.move_to(self.cursor + delta)

    def action_page(self, direction: int) -> None:
        self.move_to(self.cursor + direction * max(1, self.size.height - 1))

    def action_first(self) -> None:
        self.move_to(0)

    def action_last(self) -> None:
        self.move_to(self._count - 1)

    def on_click(self, event: events.Click) -> None:
        row = int(self.scroll_offset.y) + event.y
        if row < self._count:
            self.move_to(row)

    def on_resize(self, event: events.Resize) -> None:
        # The rendered rows are kept by width: a new height (or the same size again, as
        # after the first layout) renders only the rows it did not show yet.
        self.virtual_size = Size(0, self._count + len(self._footer()))
        # A shorter view kept its scroll offset: the cursor row was left below it, no
        # row highlighted, and `d` asked about a meeting out of sight. Brought back into
        # view here, at a new size only, not at every move of the cursor.
        self._cursor_in_view()

    def notify_style_update(self) -> None:
        self._lines.clear()
        self._looks.clear()
        super().notify_style_update()

    def repaint_all(self) -> None:
        """Re-render every row (statuses and countdowns move with the clock)."""
        self._lines.clear()
        self.refresh()

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        # A scroll of a row or a page rarely moves the thumb at this many rows: the bar
        # is repainted only when it does. ScrollView's own watcher refreshes the whole
        # widget, scrollbar gutter included, and the compositor then renders the bar's
        # 35 lines again (about 1 ms a PgDn) for a thumb that did not move: only the
        # rows are refreshed here, and the bar by its own position when that changed.
        if self.show_vertical_scrollbar and not move_quietly(self.vertical_scrollbar,
                                                             new_value):
            self.vertical_scrollbar.position = new_value
        if round(old_value) != round(new_value):
            self.refresh(Region(0, 0, self._rows_width(), self.size.height))

    def on_focus(self) -> None:
        self.refresh_row(self.cursor)

    def on_blur(self) -> None:
        self.refresh_row(self.cursor)

    # -- rendering -------------------------------------------------------------------

    def column_widths(self, width: int) -> list[int]:
        """Width per column (0 = hidden); the title takes what the others leave. Narrow
        widths drop the lowest priority columns first; the title keeps at least
        MIN_TITLE cells while another column can go, and the whole row fits `width`."""
        return list(column_widths(width, self._account_cells()))

    def _account_cells(self) -> int:
        """The Account column's width with room to spare; 0 when it is not shown."""
        return self.account_width if self.show_account else 0

    def header_text(self, width: int) -> str:
        """The column titles at `width`, the sorted one marked ▲ or ▼ (Shift+letter)."""
        return column_titles(self.column_widths(width), self.sort_column, self._now())

    def watch_show_account(self) -> None:
        self.repaint_all()

    def watch_account_width(self) -> None:
        self.repaint_all()

    def watch_sort_column(self) -> None:
        self.repaint_all()

    def content_lines(self, lines: Sequence[int]) -> Iterable[Strip]:
        # The scroll offset and width are read once: each read of a region finds the
        # widget in the screen's map (`OwnLines`).
        top, width = int(self.scroll_offset.y), self.scrollable_content_region.width
        return [self._line(top + y, width) for y in lines]

    def render_line(self, y: int) -> Strip:
        return self._line(int(self.scroll_offset.y) + y, self.scrollable_content_region.width)

    def _line(self, row: int, width: int) -> Strip:
        """List line `row` (0 = the first meeting; the footer's lines follow the last),
        exactly `width` cells."""
        if row < self._count:
            # Focus changes the cursor row's look only: the other rows keep theirs.
            key = (row, self.has_focus if row == self.cursor else None, width)
            strip = self._lines.get(key)
            if strip is not None:
                return strip
        base = self._looks.base()
        if row < self._count:
            meeting = self.meeting_at(row)
            if meeting is None:
                return Strip.blank(width, base)
            strip = self._lines[key] = self._render_meeting(meeting, row, width, base)
            while len(self._lines) > 400:
                self._lines.popitem(last=False)
            return strip
        footer = self._footer()
        if row - self._count < len(footer):
            style = readable(base + self.get_component_rich_style("meeting-table--footer"))
            text = footer[row - self._count]
            return Strip([Segment(set_cell_size(text, width), style)], width)
        return Strip.blank(width, base)

    def _render_meeting(self, meeting: Meeting, row: int, width: int, base: Style) -> Strip:
        """Row `row`, `meeting`, `width` cells long on `base` (`meeting_rows.row_strip`)."""
        now = self._now()
        widths = column_widths(width, self._account_cells())
        row_style, status_style = self._looks.row(
            base, meeting.missing, row == self.cursor and (self.has_focus or None),
            meeting.status_label(now))
        return row_strip(meeting, now, widths, width, row_style, status_style)
