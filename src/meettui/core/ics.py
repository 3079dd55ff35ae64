"""Meetings as an iCalendar file (RFC 5545), written by the `icalendar` library.

One VEVENT per meeting (§3.6.1):

- UID `<id>@<account>.meettui`: the same meeting gives the same UID in every file, so a
  calendar that imports a newer file updates the event instead of adding a second one
  (§3.8.4.7).
- DTSTAMP: when the file was made, from the app's clock (§3.8.7.2).
- DTSTART/DTEND in UTC (form #2, §3.3.5): meettui keeps every time as an aware UTC
  instant, so UTC states it exactly with no VTIMEZONE to go stale; calendars show it
  in the reader's zone. A meeting without an end has no DTEND: it then ends when it
  starts (§3.6.1).
- SUMMARY the title; LOCATION and URL the link; DESCRIPTION the link again, and the
  meeting code when the link has one (a guest can type it instead).
- A cancelled meeting gets STATUS:CANCELLED (§3.8.1.11), so importing it clears it.

Meetings without a start (rooms that are always open) have no place in a
calendar: they are left out with a note rather than put on an invented day. So are
meetings the provider no longer lists, and meetings without the link asked for.

The guest link is used unless the host link is asked for by name: a calendar file is
shared and synced, and a host link in it lets anyone who sees it start or moderate the
meeting.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from meettui import __version__
from meettui.core.display import plain, plain_link
from meettui.core.errors import MeettuiError, NotSupported
from meettui.core.models import Link, Meeting, Role, Status

PRODID = f"-//meettui//meettui {__version__}//EN"
HOST_WARNING = ("this calendar file holds host links: anyone who sees it (a shared or "
                "synced calendar included) can start or moderate those meetings")


@dataclass
class CalendarFile:
    """A calendar's text (`data`, CRLF lines as RFC 5545 §3.1 wants), how many events
    it holds, and what was left out of it and why (`skipped`: meeting, reason)."""

    data: bytes
    events: int
    skipped: list[tuple[Meeting, str]] = field(default_factory=list)

    def skipped_summary(self, shown: int = 3) -> list[str]:
        """One line per reason: how many were left out, and the first ids."""
        by_reason: dict[str, list[str]] = {}
        for meeting, reason in self.skipped:
            by_reason.setdefault(reason, []).append(meeting.id)
        lines = []
        for reason, ids in by_reason.items():
            more = f" and {len(ids) - shown} more" if len(ids) > shown else ""
            lines.append(f"{len(ids)} meeting{'s' if len(ids) != 1 else ''} left out, "
                         f"{reason}: {', '.join(ids[:shown])}{more}")
        return lines


def uid(meeting: Meeting) -> str:
    """The event's UID: stable per account and meeting id."""
    return f"{meeting.id}@{meeting.account}.meettui"


def link_for(meeting: Meeting, role: str = "guest") -> Link | None:
    """The link the event carries: the one safe for guests, or the host link when
    `role` is "host". None when the meeting has none."""
    if role == "host":
        return next(iter(meeting.links_for(Role.HOST)), None)
    return meeting.shareable_link()


def why_left_out(meeting: Meeting, now: datetime, role: str = "guest") -> str | None:
    """Why `meeting` cannot be an event at `now`, as a short phrase (no start, gone
    upstream, expired, no such link), or None when it can. A cancelled meeting can: its
    event says STATUS:CANCELLED (RFC 5545 §3.8.1.11), which a calendar shows as such."""
    # Gone first: for a meeting gone upstream, "no start time" came with advice (share
    # its link) that cannot work any more.
    if meeting.missing:
        return "no longer listed by the provider"
    # A link refused by `link_check` is never written (`links_for` and `shareable_link`
    # pass only usable ones); the reason says it was there.
    refused = " (its links from the provider were refused)" if meeting.refused_links else ""
    no_link = (f"no {'host' if role == 'host' else 'guest'} link{refused}"
               if link_for(meeting, role) is None else None)
    if meeting.starts_at is not None and no_link is not None:
        return no_link
    if meeting.effective_status(now) == Status.EXPIRED:
        # An event carrying a link that no longer works (`dead_links`); "share its link
        # instead" was the advice for one with no start.
        return "expired: its link no longer works"
    if meeting.starts_at is None:
        return "no start time"
    return no_link


def no_start_advice(meeting: Meeting, role: str = "guest", *, start_settable: bool) -> str:
    """What to do with `meeting`, which has no start, naming only what works for it:
    giving it a start (when `start_settable`, which the caller asks of its capabilities
    and account as `Capabilities.takes_start`, and a start would make it an event: it
    has a `role` link to carry), sharing its guest link (only when it has one safe to
    show: `meettui qr` refuses the rest), or neither. The commands name the meeting
    (they printed a literal `meettui qr ID`)."""
    import shlex

    shown = shlex.quote(plain(meeting.id))
    edit = f"`meettui edit {shown} --start WHEN --end WHEN` (or e in the app)"
    qr = f"`meettui qr {shown}` (or copy it in the app)"
    dated = start_settable and link_for(meeting, role) is not None
    shareable = meeting.shareable_link() is not None
    if dated and shareable:
        return f"Give it one with {edit}, or share its link instead: {qr}."
    if dated:
        return f"Give it one with {edit}."
    linkless = f"it has no {'host' if role == 'host' else 'guest'} link either"
    if shareable:
        without = "None can be given to it" if not start_settable else \
            f"A start would not make it an event ({linkless})"
        return f"{without}: share its link instead, {qr}."
    if start_settable:
        return f"A start would not make it an event: {linkless}."
    return "None can be given to it, and it has no link that is safe to show a guest."


def calendar(meetings: Iterable[Meeting], now: datetime, role: str = "guest", *,
             masked: bool = False) -> CalendarFile:
    """The VCALENDAR of `meetings` (those that can be events; the rest are listed in
    `skipped`). `role` is "guest" or "host"; ValueError for another. `masked`: sensitive
    links as `Link.masked` shows them (a calendar printed on a terminal, where a host
    link is not shown unless revealed); such a file is for reading, not importing."""
    from icalendar import Calendar, Event

    if role not in ("guest", "host"):
        raise ValueError(f"role must be 'guest' or 'host', not {role!r}")
    cal = Calendar()
    cal.add("prodid", PRODID)  # §3.7.3
    cal.add("version", "2.0")  # §3.7.4
    events = 0
    skipped: list[tuple[Meeting, str]] = []
    for meeting in meetings:
        reason = why_left_out(meeting, now, role)
        link = link_for(meeting, role)
        if reason is not None or link is None or meeting.starts_at is None:
            skipped.append((meeting, reason or "not an event"))
            continue
        event = Event()
        event.add("uid", uid(meeting))
        event.add("dtstamp", now)
        event.add("dtstart", meeting.starts_at)
        if meeting.ends_at is not None and meeting.ends_at > meeting.starts_at:
            event.add("dtend", meeting.ends_at)
        event.add("summary", ics_text(meeting.title) or "Meeting")
        url = ics_link(link.masked() if masked else link.url)
        event.add("location", url)
        event.add("url", url)
        event.add("description", description(meeting, link, url))
        if meeting.status == Status.CANCELLED:
            event.add("status", "CANCELLED")
        cal.add_component(event)
        events += 1
    return CalendarFile(cal.to_ical(), events, skipped)


def description(meeting: Meeting, link: Link, url: str | None = None) -> str:
    """The event's text: how to join (at `url`, the link's own unless masked), and the
    meeting code when there is one."""
    lines = [f"Join: {ics_link(link.url if url is None else url)}"]
    if link.code:
        lines.append(f"Meeting code: {ics_text(link.code)}")
    if link.role == Role.HOST:
        lines.append("This is the host link: it lets whoever has it start or moderate the "
                     "meeting. Do not forward it to guests.")
    return "\n".join(lines)


def ics_text(text: str) -> str:
    """`text` as an iCalendar TEXT value may hold it, by the rule of every text meettui
    hands to another program (`display.plain`): RFC 5545 §3.3.11 leaves control
    characters out of TEXT (and a file holding ESC can drive the terminal that `cat`s
    it), and a calendar app shows bidi overrides and zero-width characters as they are
    meant, so `safe\\u202egnp.exe` would read `safeexe.png`. Escape sequences go whole,
    other hidden characters go, tabs and line breaks become spaces (a title is one
    line); the library escapes the rest (`,` `;` `\\`)."""
    return plain(text)


def ics_link(url: str) -> str:
    """`url` as the event carries it: hidden characters percent-encoded
    (`display.plain_link`), so the link still leads where it led."""
    return plain_link(url)


def one(meeting: Meeting, now: datetime, role: str = "guest", *,
        masked: bool = False, start_settable: bool = False,
        no_new: str | None = None) -> CalendarFile:
    """The calendar of one meeting (`masked` as for `calendar`); MeettuiError saying why
    when it cannot be an event, and for one without a start what can be done
    (`no_start_advice`; `start_settable` as there; `no_new` as `dead_links.refusal`'s,
    for an expired one)."""
    reason = why_left_out(meeting, now, role)
    if reason is not None:
        # A meeting gone upstream or expired, or whose links the provider gave were
        # refused, is a failure (exit 1 on the command line); one that has no start, or
        # no such link, is refused as a usage error (exit 2): what was asked cannot be
        # had of it.
        expired = meeting.effective_status(now) == Status.EXPIRED
        failed = (meeting.missing or expired
                  or (meeting.starts_at is not None and meeting.refused_links))
        error = MeettuiError if failed else NotSupported
        if expired and not meeting.missing:
            from meettui.core.dead_links import refusal

            dead = refusal(meeting, now, "", no_new=no_new)
            hint: str | None = dead.hint if dead is not None else None
        elif meeting.missing:
            # As every command that hands a link out says it (`qr`, the MCP tools):
            # what to do with a meeting gone upstream.
            from meettui.core.service_checks import gone_advice

            hint = gone_advice(meeting)
        elif meeting.starts_at is None:
            hint = no_start_advice(meeting, role, start_settable=start_settable)
        else:
            hint = None
        raise error(
            f"{meeting.id} ({meeting.title or 'untitled'}) cannot be a calendar event: "
            f"{reason}.", hint=hint)
    return calendar([meeting], now, role, masked=masked)


def file_name(meeting: Meeting) -> str:
    """A file name for the meeting's calendar file: its title in lower-case words
    joined by '-' (letters and digits only), else its id, with `.ics`. Escape sequences
    go whole first (`display.plain`), not as words of their letters ("31m")."""
    words = re.findall(r"[^\W_]+", plain(meeting.title or "").lower())
    stem = "-".join(words)[:60].strip("-") or re.sub(r"[^\w.-]+", "-",
                                                      plain(meeting.id))[:60]
    return f"{stem or 'meeting'}.ics"


def default_path(meeting: Meeting, home: Path | None = None, cwd: Path | None = None) -> Path:
    """Where the app offers to save a meeting's calendar file: in ~/Downloads when
    there is one, else in the current directory."""
    downloads = (home or Path.home()) / "Downloads"
    folder = downloads if downloads.is_dir() else (cwd or Path.cwd())
    return folder / file_name(meeting)


def write_file(path: Path, data: bytes, *, replace: bool = False) -> Path:
    """Write `data` to `path` (`~` expanded), readable by its owner only (0600) as every
    file meettui creates (`core/private_file.py`: an existing file is replaced only when
    `replace`, else FileExistsError, and meettui's own files never). Returns the path
    written; OSError when it cannot be."""
    from meettui.core.private_file import write_private

    return write_private(path.expanduser(), data, replace=replace)
