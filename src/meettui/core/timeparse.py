"""Times in and out: ISO 8601 from providers, and what people type.

Providers send ISO 8601 in several dialects (with or without milliseconds, `Z` or an
offset, sometimes naive); `parse_iso` reads them all into aware UTC datetimes, and
`to_iso_z` writes the form most APIs document (`2026-03-02T09:00:00.000Z`). People type
ISO 8601 in their local zone or a relative time (`+30m`, `+2h`, `+1d`): `parse_when`.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

_RELATIVE = re.compile(r"^\+\s*(\d+)\s*([mhd])$")
_UNITS = {"m": "minutes", "h": "hours", "d": "days"}


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
    message fit to show for anything unreadable."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    now = (now or datetime.now().astimezone()).replace(microsecond=0)
    match = _RELATIVE.match(text)
    if match:
        return now + timedelta(**{_UNITS[match.group(2)]: int(match.group(1))})
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(
            f"cannot read the time {value!r}; use ISO 8601 like 2026-12-01 14:30 "
            "or a relative time like +2h"
        ) from None
    return parsed if parsed.tzinfo else parsed.astimezone()


def format_local(dt: datetime | None) -> str:
    """The form's editable representation: local time, minutes precision."""
    return dt.astimezone().strftime("%Y-%m-%d %H:%M") if dt else ""
