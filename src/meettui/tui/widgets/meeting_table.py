"""A virtual table over the cache: renders only the visible rows, fetches them from
SQLite in blocks, so 100,000 meetings scroll as smoothly as ten (toolong's approach;
the stock DataTable must be fed every row up front).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache

from rich.cells import cell_len, set_cell_size
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
from meettui.core.display import countdown, fit, printable
from meettui.core.models import Meeting, Status
from meettui.core.rowblocks import Read, RowBlocks
from meettui.tui.widgets.ordered_input import OrderedKeys
from meettui.tui.widgets.scroll_thumb import move_quietly

BLOCK = 128
MAX_BLOCKS = 24
# Within this many rows of the end of what is cached, ask for the next provider page.
NEAR_END = 10


@dataclass(frozen=True)
class Column:
    title: str
    width: int  # 0 = takes the remaining width
    # Narrow terminals drop the lowest priority columns first.
    priority: int
    sort: str | None = None  # the order key (core/search.py) Shift+`key` sorts by
    key: str = ""


# What each width shows (k9s keeps name, age and status longest): at 80 columns Title,
# Account (merged view), Start (relative) and Status; the date, End and Link expires as
# room allows once the title keeps MIN_TITLE cells (README: "What each size shows").
COLUMNS = (
    Column("Title", 0, 100, "title", "T"),
    # Its width is the longest account name shown (`account_width`); this is the least.
    Column("Account", 9, 85, "account", "A"),
    Column("Start", 10, 95, "start", "S"),
    Column("Status", 9, 90, "status", "U"),
    Column("Date", 16, 40),
    Column("End", 12, 30, "end", "E"),
    Column("Link expires", 12, 10),
)
# The optional columns go before the title is cut below this: most titles stay whole
# or nearly (the demo's median is 31 cells; `meettui list` keeps 32 the same way).
MIN_TITLE = 30
MIN_CORE_TITLE = 14
# The Account column: as wide as the longest name shown, up to ACCOUNT_MAX cells (a
# longer name is cut with "…"); on a narrow terminal it gives up room down to
# ACCOUNT_MIN before it goes.
ACCOUNT_MAX = 24
ACCOUNT_MIN = 12
CORE = 80  # columns of this priority or more are the core ones
# Indexes into COLUMNS.
TITLE, ACCOUNT, START, STATUS, DATE, END, EXPIRES = range(len(COLUMNS))


@dataclass
class TableSource:
    """Where the rows come from. `locate(keep, home, near)`: the row count, and the
    place of `keep` (or, with `home` and no `keep`, of where the cursor starts until
    the user moves it: the first meeting not over); `near` is the row it was on.
    `rows(read)`: rows by key (`core/rowblocks.py`). `accounts()`: the names of the
    accounts the rows come from (the Account column is as wide as the longest)."""

    locate: Callable[[Meeting | None, bool, int | None], Position]
    rows: Callable[[Read], list[StoredRow]]
    accounts: Callable[[], Sequence[str]] = tuple


class MeetingTable(OrderedKeys, ScrollView, can_focus=True):
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
    }

    DEFAULT_CSS = """
    MeetingTable { height: 1fr; overflow-x: hidden; scrollbar-gutter: stable; }
    MeetingTable > .meeting-table--cursor { background: $primary 45%; text-style: bold; }
    MeetingTable > .meeting-table--cursor-blurred { background: $primary 20%; }
    MeetingTable > .meeting-table--footer { color: $text-muted; text-style: italic; }
    MeetingTable > .meeting-table--missing { color: $text-disabled; text-style: strike; }
    MeetingTable > .meeting-table--live { color: $status-live; text-style: bold; }
    MeetingTable > .meeting-table--scheduled { color: $status-scheduled; }
    MeetingTable > .meeting-table--ended { color: $status-ended; }
    MeetingTable > .meeting-table--expired { color: $status-expired; }
    MeetingTable > .meeting-table--cancelled { color: $status-ended; text-style: strike; }
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
    account_width: reactive[int] = reactive(COLUMNS[1].width)
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
        self._base: Style | None = None
        self._styles: dict[tuple[Style, bool, bool | None, Status], tuple[Style, Style]] = {}

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
        self._set_length(self._count + 1)
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

    def _set_length(self, lines: int) -> None:
        """The table is `lines` lines long now (its rows and the status row)."""
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
        # On the last row, keep the status row under it in view too.
        height = 2 if index == self._count - 1 else 1
        self.scroll_to_region(
            Region(0, index, 1, height), animate=False, force=True, immediate=True
        )
        meeting = self.highlighted
        key = meeting.key if meeting else None
        if message or (message is None and key != self._last_highlighted):
            self.post_message(self.Highlighted(self, meeting))
        self._last_highlighted = key
        if self._count and index >= self._count - NEAR_END:
            self.post_message(self.NearEnd())

    def watch_cursor(self, old: int, new: int) -> None:
        self.refresh_row(old)
        self.refresh_row(new)

    def watch_footer_text(self) -> None:
        self.refresh_row(self._count)

    def refresh_row(self, index: int) -> None:
        y = index - int(self.scroll_offset.y)
        if 0 <= y < self.size.height:
            self.refresh(Region(0, y, self.size.width, 1))

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
        self.virtual_size = Size(0, self._count + 1)

    def notify_style_update(self) -> None:
        self._lines.clear()
        self._base = None
        self._styles.clear()
        super().notify_style_update()

    def _base_style(self) -> Style:
        # The widget's style is computed from the CSS of every ancestor, which costs more
        # than rendering a row: kept, like the rows, until the styles change.
        if self._base is None:
            self._base = self.rich_style
        return self._base

    def repaint_all(self) -> None:
        """Re-render every row (statuses and countdowns move with the clock)."""
        self._lines.clear()
        self.refresh()

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        # A scroll of a row or a page rarely moves the thumb at this many rows: the bar
        # is repainted only when it does (Widget.watch_scroll_y then sets the same value).
        if self.show_vertical_scrollbar:
            move_quietly(self.vertical_scrollbar, new_value)
        super().watch_scroll_y(old_value, new_value)

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
        widths = self.column_widths(width)
        key, descending = self.sort_column
        titles = []
        for c, w in zip(COLUMNS, widths, strict=True):
            if not w:
                continue
            title = c.title + (f" ({_zone()})" if c.title == "Date" else "")
            title += (" ▼" if descending else " ▲") if c.sort == key else ""
            titles.append(fit(title, w))
        return " ".join(titles)

    def watch_show_account(self) -> None:
        self.repaint_all()

    def watch_account_width(self) -> None:
        self.repaint_all()

    def watch_sort_column(self) -> None:
        self.repaint_all()

    def render_line(self, y: int) -> Strip:
        row = int(self.scroll_offset.y) + y
        width = self.scrollable_content_region.width
        if row < self._count:
            # Focus changes the cursor row's look only: the other rows keep theirs.
            key = (row, self.has_focus if row == self.cursor else None, width)
            strip = self._lines.get(key)
            if strip is not None:
                return strip
        base = self._base_style()
        if row < self._count:
            meeting = self.meeting_at(row)
            if meeting is None:
                return Strip.blank(width, base)
            strip = self._lines[key] = self._render_meeting(meeting, row, width, base)
            while len(self._lines) > 400:
                self._lines.popitem(last=False)
            return strip
        if row == self._count:
            style = base + self.get_component_rich_style("meeting-table--footer")
            text = self.footer_text or ("No meetings." if not self._count else "")
            return Strip([Segment(set_cell_size(text, width), style)], width)
        return Strip.blank(width, base)

    def _render_meeting(self, meeting: Meeting, row: int, width: int, base: Style) -> Strip:
        now = self._now()
        widths = column_widths(width, self._account_cells())
        status = meeting.effective_status(now)
        row_style, status_style = self._row_styles(
            base, meeting.missing, row == self.cursor and (self.has_focus or None), status)
        # One segment per shown cell and one per gap, in the row's style (the status cell
        # in its own): a hidden column's text is not formatted at all (at 120 columns
        # with the pane, End and Link expires are hidden; each costs a strftime a row).
        segments: list[Segment] = []
        add = segments.append
        used = 0
        for i, w in enumerate(widths):
            if not w:
                continue
            if segments:
                add(Segment(" ", row_style))
                used += 1
            add(Segment(fit(_cell(i, meeting, now), w),
                        status_style if i == STATUS else row_style))
            used += w
        # fit makes every cell exactly its width, so the row is `used` cells
        # long without measuring its text again (Strip would, segment by segment).
        if used < width:
            add(Segment(" " * (width - used), row_style))
            return Strip(segments, width)
        if used == width:
            return Strip(segments, width)
        return Strip(segments, used).crop(0, width)

    def _row_styles(self, base: Style, missing: bool, cursor: bool | None, status: Status
                    ) -> tuple[Style, Style]:
        """(row style, status cell style) on `base` for a row that is `missing` or not, under the
        cursor (True focused, None blurred) or not (False), of `status`. Computing a
        component style walks the CSS of every ancestor: kept, like `_base`, until the
        styles change."""
        key = (base, missing, cursor, status)
        styles = self._styles.get(key)
        if styles is None:
            row_style = base
            if missing:
                row_style += self.get_component_rich_style("meeting-table--missing")
            if cursor is not False:
                name = "meeting-table--cursor" if cursor else "meeting-table--cursor-blurred"
                row_style += self.get_component_rich_style(name)
            styles = self._styles[key] = (row_style, row_style + self._status_style(status))
        return styles

    def _status_style(self, status: Status) -> Style:
        name = f"meeting-table--{status.value}"
        if name in self.COMPONENT_CLASSES:
            return self.get_component_rich_style(name, partial=True)
        return Style()


def _cell(column: int, meeting: Meeting, now: datetime) -> str:
    """The text of `meeting`'s cell in COLUMNS[column], before it is fitted to its width."""
    if column == TITLE:
        return printable(meeting.title) or "(untitled)"
    if column == ACCOUNT:
        return printable(meeting.account)
    if column == START:
        return relative_start(meeting, now)
    if column == STATUS:
        return meeting.status_label(now)
    if column == DATE:
        return _start(meeting, now)
    if column == END:
        return _end(meeting, now)
    if meeting.closed_early(now):
        return "closed"
    return countdown(meeting.expires_at, now) if meeting.expires_at else "—"


def account_column_width(names: Iterable[str]) -> int:
    """The Account column's width for accounts `names`: the longest (as shown, escapes
    included), at least its title with the sort mark, at most ACCOUNT_MAX."""
    longest = max((cell_len(printable(name)) for name in names), default=0)
    return max(COLUMNS[ACCOUNT].width, min(longest, ACCOUNT_MAX))


@lru_cache(maxsize=64)
def column_widths(width: int, account: int) -> tuple[int, ...]:
    """MeetingTable.column_widths for a row `width` cells wide, the Account column
    `account` cells wide with room to spare (0: not shown). Cached: every rendered row
    asks, and the answer depends on these two only.

    Room is given up in this order: the optional columns, lowest priority first, while
    the title would be narrower than MIN_TITLE; then the Account column down to
    ACCOUNT_MIN, and the core columns, while it would be narrower than MIN_CORE_TITLE.
    The title takes the rest."""
    sizes = {i: (account if i == ACCOUNT else c.width) for i, c in enumerate(COLUMNS)}
    shown = [i for i in sizes if i != ACCOUNT or account]
    while len(shown) > 1:
        fixed = sum(sizes[i] for i in shown) + len(shown) - 1
        drop = min((i for i in shown if i != TITLE), key=lambda i: COLUMNS[i].priority)
        if COLUMNS[drop].priority < CORE:
            if width - fixed >= MIN_TITLE:
                break
        else:
            short = MIN_CORE_TITLE - (width - fixed)
            if short <= 0:
                break
            if ACCOUNT in shown:
                # Names cut with "…" before the column goes.
                give = min(short, max(0, sizes[ACCOUNT] - ACCOUNT_MIN))
                sizes[ACCOUNT] -= give
                fixed -= give
                if give == short:
                    break
        shown.remove(drop)
    title = max(1, width - fixed) if len(shown) > 1 else max(0, width)
    return tuple((sizes[i] if i != TITLE else title) if i in shown else 0
                 for i in range(len(COLUMNS)))


def _zone() -> str:
    """The local time zone's name, as the Date column's header says it once."""
    return datetime.now().astimezone().tzname() or "local"


def relative_start(meeting: Meeting, now: datetime) -> str:
    """The start as the list says it, like k9s's AGE: "in 2h", "in 3d", "now",
    "5m ago" (started), "2d ago"; "—" with no start."""
    if meeting.starts_at is None:
        return "—"
    delta = meeting.starts_at - now
    if abs(delta) < timedelta(minutes=1):
        return "now"
    text = _age(abs(delta))
    return f"in {text}" if delta > timedelta(0) else f"{text} ago"


def _age(delta: timedelta) -> str:
    """One unit, two when short: "45m", "2h 5m", "3d", "5mo", "2y"."""
    minutes = int(delta.total_seconds() // 60)
    if minutes < 60:
        return f"{minutes}m"
    hours, minutes = divmod(minutes, 60)
    if hours < 10:
        return f"{hours}h {minutes}m" if minutes else f"{hours}h"
    if hours < 24:
        return f"{hours}h"
    days = hours // 24
    if days < 60:
        return f"{days}d"
    if days < 730:
        return f"{days // 30}mo"
    return f"{days // 365}y"


def _start(meeting: Meeting, now: datetime) -> str:
    """`Thu 13 Sep 18:39` this year; another year's date says its year (`2300-09-13 18:39`),
    so that it cannot pass for a date of this year."""
    if meeting.starts_at is None:
        return "—"
    start = meeting.starts_at.astimezone()
    if start.year != now.astimezone().year:
        return start.strftime("%Y-%m-%d %H:%M")
    return start.strftime("%a %d %b %H:%M")


def _end(meeting: Meeting, now: datetime) -> str:
    if meeting.ends_at is None:
        return "—"
    end = meeting.ends_at.astimezone()
    if meeting.starts_at and meeting.starts_at.astimezone().date() == end.date():
        return end.strftime("%H:%M")
    if end.year != now.astimezone().year:
        return end.strftime("%d %b %Y")
    return end.strftime("%d %b %H:%M")


