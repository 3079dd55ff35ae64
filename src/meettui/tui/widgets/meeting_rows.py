"""How the meeting list's rows look: its columns and their widths at each terminal width,
the text of each cell, the header's titles, the styles of a row (kept until the
table's styles change), and a meeting's row as one strip of segments.

The table that scrolls over them, its cursor and its reloads are in `meeting_table.py`.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual.content import Content
from textual.strip import Strip
from textual.widget import Widget

from meettui.core.display import countdown, date_text, fit, printable, whole_minutes
from meettui.core.models import Meeting, Status
from meettui.tui.contrast import readable


@dataclass(frozen=True)
class Column:
    """One column of the list: its title, width and priority, and the order key it
    sorts by (Shift+`key`), if any."""

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


def account_column_width(names: Iterable[str]) -> int:
    """The Account column's width for accounts `names`: the longest (as shown, escapes
    included), at least its title with the sort mark, at most ACCOUNT_MAX."""
    longest = max((cell_len(printable(name)) for name in names), default=0)
    return max(COLUMNS[ACCOUNT].width, min(longest, ACCOUNT_MAX))


def column_widths(width: int, account: int) -> tuple[int, ...]:
    """MeetingTable.column_widths for a row `width` cells wide, the Account column
    `account` cells wide with room to spare (0: not shown), the Date column as wide as
    the local zone needs (`date_width`)."""
    return _column_widths(width, account, date_width(), date_width(END))


def date_width(column: int = DATE) -> int:
    """The width of COLUMNS[column] (Date or End) in the local zone (`TZ`): a date, and
    where the zone has two names (summer time), room for the name a row in the other
    one carries (`_start`: "Sun 28 Mar 03:30 CEST" under "Date (CET)"; `_end`: "03:30
    CEST" after a start at 01:30 CET)."""
    return _date_width(time.tzname, column)


@lru_cache(maxsize=8)
def _date_width(names: tuple[str, str], column: int = DATE) -> int:
    width = COLUMNS[column].width
    if len(set(names)) < 2:
        return width
    return width + 1 + max(cell_len(name) for name in names)


@lru_cache(maxsize=64)
def _column_widths(width: int, account: int, date: int,
                   end: int = COLUMNS[END].width) -> tuple[int, ...]:
    """`column_widths`, the Date column `date` cells wide and the End column `end`.
    Cached: every rendered row asks, and the answer depends on these only.

    Room is given up in this order: the optional columns, lowest priority first, while
    the title would be narrower than MIN_TITLE; then the Account column down to
    ACCOUNT_MIN, and the core columns, while it would be narrower than MIN_CORE_TITLE.
    The title takes the rest."""
    sizes = {i: (account if i == ACCOUNT else date if i == DATE else end if i == END
                 else c.width)
             for i, c in enumerate(COLUMNS)}
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


def column_titles(widths: Sequence[int], sort: tuple[str, bool],
                  now: datetime | None = None) -> str:
    """The header over a row of column `widths` (0 = hidden): each shown column's title,
    the one `sort` (order key, descending) names marked ▲ or ▼ (Shift+letter). The Date
    column names the local zone as of `now` (default: the time now)."""
    key, descending = sort
    titles = []
    for c, w in zip(COLUMNS, widths, strict=True):
        if not w:
            continue
        title = c.title + (f" ({_zone(now)})" if c.title == "Date" else "")
        title += (" ▼" if descending else " ▲") if c.sort == key else ""
        titles.append(fit(title, w))
    return " ".join(titles)


STATUS_LOOKS = {"started": Status.SCHEDULED.value}
"""The status words drawn in another word's look: a meeting "started" (scheduled, its
start passed, nobody said it is live) looks scheduled. Every other word has its own
(`meeting-table--<word>`); "—" (nothing known) has none."""


class RowLooks:
    """The styles of `table`'s rows, from its component classes (`meeting-table--…`).
    Computing a component style walks the CSS of every ancestor, which costs more than
    rendering a row: each look is kept until the table's styles change (`clear`)."""

    def __init__(self, table: Widget) -> None:
        self._table = table
        self._base: Style | None = None
        self._styles: dict[tuple[Style, bool, bool | None, str], tuple[Style, Style]] = {}

    def clear(self) -> None:
        """Forget every style: the table's styles changed (a theme, a class)."""
        self._base = None
        self._styles.clear()

    def base(self) -> Style:
        """The table's own style, under every row."""
        if self._base is None:
            self._base = self._table.rich_style
        return self._base

    def row(self, base: Style, missing: bool, cursor: bool | None, status: str
            ) -> tuple[Style, Style]:
        """(row style, status cell style) on `base` for a row that is `missing` or not,
        under the cursor (True focused, None blurred) or not (False), whose Status cell
        says `status` (`Meeting.status_label`: the word shown is the one styled; a room
        the provider no longer lists, "gone", was drawn bold green by the live status
        underneath)."""
        key = (base, missing, cursor, status)
        styles = self._styles.get(key)
        if styles is None:
            row_style = base
            if missing:
                row_style += self._table.get_component_rich_style("meeting-table--missing")
            if cursor is not False:
                name = "meeting-table--cursor" if cursor else "meeting-table--cursor-blurred"
                row_style += self._table.get_component_rich_style(name)
            # Each look made to read on its row's background, the cursor bars' too
            # (`contrast.readable`): a theme's colours are chosen one by one.
            styles = self._styles[key] = (readable(row_style),
                                          readable(row_style + self._status(status)))
        return styles

    def _status(self, status: str) -> Style:
        """The look of the status word `status`: its text style, and its colour as
        Textual resolves it on the table (a translucent or `auto` colour, `$text-muted`,
        came out as its bare RGB in the partial style: white on a light theme)."""
        name = f"meeting-table--{STATUS_LOOKS.get(status, status)}"
        if name not in self._table.COMPONENT_CLASSES:
            return Style()
        partial = self._table.get_component_rich_style(name, partial=True)
        if partial.color is None:
            return partial
        full = self._table.get_component_rich_style(name)
        return partial + Style(color=full.color)


def row_strip(meeting: Meeting, now: datetime, widths: Sequence[int], width: int,
              row_style: Style, status_style: Style) -> Strip:
    """`meeting`'s row `width` cells long, its cells `widths` wide (0 = hidden), in
    `row_style` and the status cell in `status_style`."""
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


def _zone(now: datetime | None = None) -> str:
    """The local time zone's name as of `now` (default: the time now), as the Date
    column's header says it once."""
    if now is None:
        return datetime.now().astimezone().tzname() or "local"
    return _local_now(now, _zone_key())[0]


def _zone_key() -> tuple[object, ...]:
    """What tells the local zone (`TZ`, after `time.tzset`) from another: its names and
    offsets."""
    return (*time.tzname, time.timezone, time.altzone)


@lru_cache(maxsize=4)
def _local_now(now: datetime, zone: tuple[object, ...]) -> tuple[str, int]:
    """(the local zone's name, the local year) as of `now`: what every Date and End
    cell of a render compares its own with, worked out once per clock reading, not per
    row. `zone` (`_zone_key`) is in the key so that a change of `TZ` is seen."""
    local = now.astimezone()
    return local.tzname() or "local", local.year


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
    """One unit, two when short: "45m", "2h 5m", "3d", "5mo", "2y", counted from the
    nearest minute (`whole_minutes`): a start a day ahead, seconds later, is "in 1d",
    not "in 23h"."""
    minutes = whole_minutes(delta)
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
    so that it cannot pass for a date of this year; either says its zone when it is not
    the one the header names (`Sun 28 Mar 03:30 CEST`)."""
    if meeting.starts_at is None:
        return "—"
    start = meeting.starts_at.astimezone()
    zone_now, year_now = _local_now(now, _zone_key())
    if start.year != year_now:
        text = date_text(start, "%Y-%m-%d %H:%M")
    else:
        text = start.strftime("%a %d %b %H:%M")
    # A start in the zone's other time (summer time under a winter "Date (CET)") says
    # its zone: 03:30 CEST read as CET was an hour off.
    zone = start.tzname()
    return text if zone is None or zone == zone_now else f"{text} {zone}"


def _end(meeting: Meeting, now: datetime) -> str:
    """`10:30` on the start's day, `14 Sep 10:30` on another this year, `14 Sep 2300` in
    another year; a time says its zone when it is not the one the header names, as the
    Date column's does (`_start`): a start at 01:30 CET and an end at "03:30" read as
    two hours when the end was 03:30 CEST, an hour later."""
    if meeting.ends_at is None:
        return "—"
    end = meeting.ends_at.astimezone()
    zone_now, year_now = _local_now(now, _zone_key())
    if meeting.starts_at and meeting.starts_at.astimezone().date() == end.date():
        text = end.strftime("%H:%M")
    elif end.year != year_now:
        return date_text(end, "%d %b %Y")  # no time of day: no zone to say
    else:
        text = end.strftime("%d %b %H:%M")
    zone = end.tzname()
    return text if zone is None or zone == zone_now else f"{text} {zone}"


@lru_cache(maxsize=16)
def footer_lines(text: str, width: int) -> tuple[str, ...]:
    """The list's closing message (the line after its last row, or all the list shows
    when it is empty) as lines of at most `width` cells: wrapped at words, a word too
    long for a line folded, each `\\n` a new line. Cut at the pane's edge, it lost its
    end: the second of two filter warnings, "Ctrl+R tries again"."""
    if width <= 0:
        return (text,)
    lines: list[str] = []
    for paragraph in text.split("\n"):
        lines += [line.plain.rstrip() for line in Content(paragraph).wrap(width)] or [""]
    return tuple(lines)
