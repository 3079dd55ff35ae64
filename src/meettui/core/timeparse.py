"""Times in and out: ISO 8601 from providers, and what people type.

Providers send ISO 8601 in several dialects (with or without milliseconds, `Z` or an
offset, sometimes naive); `parse_iso` reads them all into aware UTC datetimes, and
`to_iso_z` writes the form most APIs document (`2026-03-02T09:00:00.000Z`). People type
ISO 8601 in their local zone or a relative time (`+30m`, `+2h`, `+1d`): `parse_when`.
"""

from __future__ import annotations

import os
import re
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from meettui.core.display import date_text

_RELATIVE = re.compile(r"^\+\s*(\d+)\s*([mhd])$")
_NEGATIVE = re.compile(r"^-\s*(\d+)\s*([mhd])$")
_UNITS = {"m": "minutes", "h": "hours", "d": "days"}
_SECONDS = {"m": 60, "h": 3600, "d": 86400}
# Meetings are planned months ahead, not decades: a time further out is a slip.
MAX_AHEAD = timedelta(days=3653)
MAX_AHEAD_TEXT = "10 years"
MAX_PAST = timedelta(days=366)
"""How far back a start given on a create or an edit may be: a meeting made today for
last year is almost surely a typo in the year (`0001-01-01`, `2000-01-01`)."""
MAX_PAST_TEXT = "a year"


def out_of_range(moment: datetime, now: datetime, *, start: bool) -> str | None:
    """Why `moment`, a time a person gave a meeting, cannot be meant, as a clause ("more
    than 10 years from now"): beyond MAX_AHEAD from `now`, or, for a start, more than
    MAX_PAST before it. None when it may be. The rule every front end's create and edit
    meet (`service_checks.check_times`)."""
    if moment - now > MAX_AHEAD:
        return f"more than {MAX_AHEAD_TEXT} from now"
    if start and now - moment > MAX_PAST:
        return f"more than {MAX_PAST_TEXT} ago"
    return None


def parse_iso(value: object) -> datetime | None:
    """An ISO 8601 date-time from a provider as an aware UTC datetime, else None.

    Accepts `Z`/`z` or an offset, with or without fractions of a second; a naive value
    is taken as UTC (the providers meettui speaks to send UTC when they omit the zone).
    Anything that is not a non-empty string, or does not parse, gives None: callers
    decide whether a missing time is an error.
    """
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    if text[-1:] in ("Z", "z"):
        text = text[:-1] + "+00:00"
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def to_iso_z(moment: datetime, timespec: str = "milliseconds") -> str:
    """`moment` in UTC as ISO 8601 with a `Z`: `2026-03-02T09:00:00.000Z` by default,
    `timespec="seconds"` for `2026-03-02T09:00:00Z`. Raises ValueError for a naive value."""
    if moment.tzinfo is None:
        raise ValueError(f"naive datetime {moment.isoformat()} has no timezone")
    return moment.astimezone(UTC).isoformat(timespec=timespec).replace("+00:00", "Z")


def parse_when(value: str | None, *, now: datetime | None = None) -> datetime | None:
    """What a person typed: ISO 8601 (their local zone when it has no offset) or a time
    relative to `now` (`+30m`, `+2h`, `+1d`). None for empty input; ValueError with a
    message fit to show for anything unreadable.

    A local time is read in the real local zone (`local_zone()`), so the clock changes
    count: a time the clock skips (02:30 on the night clocks go forward) is refused with
    the nearest valid times, and a time the clock repeats (the autumn hour that happens
    twice) means its first occurrence (`fold=0`, as PEP 495 intends); give an offset
    (`2026-10-25T02:30+01:00`) for the second. The result has a fixed offset, so adding
    a duration to it counts real time. A relative time of more than MAX_AHEAD, and a
    time more than MAX_AHEAD after the real time now (not `now`, which may be the start
    an end counts from), are refused as typing slips (`+99999d`, `2300-01-01`)."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    now = (now or datetime.now().astimezone()).replace(microsecond=0)
    match = _RELATIVE.match(text)
    if match:
        amount, unit = int(match.group(1)), match.group(2)
        if amount * _SECONDS[unit] > MAX_AHEAD.total_seconds():
            raise ValueError(f"{text!r} is more than {MAX_AHEAD_TEXT} ahead; "
                             "check the number")
        if unit == "d":
            return days_later(now, amount)
        return now + timedelta(**{_UNITS[unit]: amount})
    if _NEGATIVE.match(text):
        raise ValueError(
            f"{text!r} counts backwards; relative times count forward from now "
            "(an end from the start): +30m, +2h, +1d"
        )
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(
            f"cannot read the time {value!r}; use ISO 8601 like {example_time(now)} "
            "or a relative time like +2h"
        ) from None
    try:
        moment = parsed if parsed.tzinfo else resolve_local(parsed)
        if moment - datetime.now(UTC) > MAX_AHEAD:
            raise ValueError(f"{text!r} is more than {MAX_AHEAD_TEXT} from now; check the "
                             "year")
        moment.astimezone(UTC)  # a time next to year 1 or 9999 may not exist in UTC
    except OverflowError:
        raise ValueError(f"the time {text!r} is out of range; check the year") from None
    return moment


def example_time(now: datetime) -> str:
    """A time to show as an example of what to type, as `YYYY-MM-DD HH:MM` (`parse_when`
    reads it): 14:30 local on the day after `now` (aware; the clock in use, or the start
    an end counts from), so it is always ahead of `now` and never refused as past. A
    fixed example ("2026-12-01 14:30") went stale: typed in as shown, it was refused as
    in the past. "YYYY-MM-DD 14:30" for a `now` at the very end of the calendar."""
    zone = local_zone()
    try:
        local = now.astimezone(zone) if zone is not None else now.astimezone()
        return f"{date_text(local + timedelta(days=1), '%Y-%m-%d')} 14:30"
    except (OverflowError, ValueError, OSError):
        return "YYYY-MM-DD 14:30"


def days_later(moment: datetime, days: int) -> datetime:
    """The same local wall time `days` calendar days after `moment` (aware), in
    `moment`'s zone: a day across a clock change is 23 or 25 hours. A wall time the
    clock skips that day is moved on by the skip (02:30 → 03:30), one it repeats is its
    first occurrence."""
    zone = local_zone()
    if zone is None:
        wall = moment.astimezone().replace(tzinfo=None) + timedelta(days=days)
        later = wall.astimezone()  # the C library's reading of the local zone
        if later.replace(tzinfo=None) != wall:  # skipped: the offset before the skip
            before = (wall - timedelta(days=1)).astimezone().utcoffset() or timedelta()
            later = (wall - before).replace(tzinfo=UTC)
    else:
        wall = moment.astimezone(zone).replace(tzinfo=None) + timedelta(days=days)
        # Through UTC: a skipped wall time (fold 0 takes the offset before the
        # change) comes back as the time after the skip.
        later = wall.replace(tzinfo=zone, fold=0).astimezone(UTC)
    return later.astimezone(moment.tzinfo)


def resolve_local(naive: datetime) -> datetime:
    """`naive` read as a wall-clock time in the local zone, with a fixed offset.

    ValueError naming the zone and the nearest valid times when the clock skips
    `naive`; the first occurrence when the clock repeats it. Without a zone database
    entry for the local zone, the C library's reading (its current offset rules)."""
    zone = local_zone()
    if zone is None:
        try:
            moment = naive.astimezone()
        except ValueError as exc:  # mktime's "year 0 is out of range"
            raise OverflowError(str(exc)) from None
        if moment.replace(tzinfo=None) != naive:  # mktime moved a skipped time
            raise ValueError(f"{date_text(naive, '%Y-%m-%d %H:%M')} does not exist in the local "
                             "time zone "
                             "(the clock skips it); give another time")
        return moment
    first = naive.replace(tzinfo=zone, fold=0)
    if not _exists(first):
        before, after = _nearest_valid(naive, zone)
        fmt = "%H:%M" if before.date() == after.date() == naive.date() else "%Y-%m-%d %H:%M"
        raise ValueError(
            f"{date_text(naive, '%Y-%m-%d %H:%M')} does not exist in {zone_name(zone)}: the "
            f"clock skips from {date_text(before + timedelta(minutes=1), fmt)} to "
            f"{date_text(after, fmt)} (a clock change); use {date_text(before, fmt)} or "
            f"{date_text(after, fmt)}"
        )
    offset = first.utcoffset()
    assert offset is not None  # a ZoneInfo always knows its offset
    name = first.tzname()
    fixed = timezone(offset, name) if name else timezone(offset)
    return first.replace(tzinfo=fixed, fold=0)


def local_zone() -> tzinfo | None:
    """The local time zone as the zone database knows it: `TZ` when set (a name like
    `Europe/Berlin`, or `:name`, or a file path), else `/etc/localtime`. None when
    neither names a zone the database has (e.g. a POSIX rule like `CET-1CEST`)."""
    tz = os.environ.get("TZ")
    try:
        if tz is not None:
            name = tz.removeprefix(":") or "UTC"  # an empty TZ means UTC
            if name.startswith("/"):
                return _zone_file(Path(name))
            return ZoneInfo(name)
        return _zone_file(Path("/etc/localtime"))
    except (OSError, ValueError, ZoneInfoNotFoundError):
        return None


def zone_name(zone: tzinfo) -> str:
    """`Europe/Berlin` when the zone has a name, else its abbreviation now (`CET`)."""
    key = getattr(zone, "key", None)
    if isinstance(key, str) and key:
        return key
    return datetime.now(zone).tzname() or "the local time zone"


def _zone_file(path: Path) -> ZoneInfo:
    # /etc/localtime is usually a link into the zone database: its target names the zone.
    key = None
    resolved = str(path.resolve())
    _, sep, rest = resolved.partition("/zoneinfo/")
    if sep:
        key = rest
    with path.open("rb") as handle:
        return ZoneInfo.from_file(handle, key=key)


def _exists(aware: datetime) -> bool:
    """Whether a wall-clock time survives the round trip through UTC unchanged."""
    back = aware.astimezone(UTC).astimezone(aware.tzinfo)
    return back.replace(tzinfo=None) == aware.replace(tzinfo=None)


def _nearest_valid(naive: datetime, zone: tzinfo) -> tuple[datetime, datetime]:
    """The last valid minute before `naive` and the first valid one after it."""
    step = timedelta(minutes=1)
    minute = naive.replace(second=0, microsecond=0)
    before, after = minute - step, minute + step
    # Gaps are an hour or two; the widest on record (Samoa, 2011) skipped a whole day.
    for _ in range(2 * 24 * 60):
        if _exists(before.replace(tzinfo=zone)):
            break
        before -= step
    for _ in range(2 * 24 * 60):
        if _exists(after.replace(tzinfo=zone)):
            break
        after += step
    return before, after


def is_relative(value: str | None) -> bool:
    """Whether `value` is a relative time (`+30m`), which counts from a base time."""
    return bool(value and _RELATIVE.match(value.strip()))


def format_local(dt: datetime | None) -> str:
    """The form's editable representation: local time, minutes precision."""
    return date_text(dt.astimezone(), "%Y-%m-%d %H:%M") if dt else ""
