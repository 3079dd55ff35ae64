"""Reading times people type: ISO 8601 (local when no offset) or relative (+30m, +2h, +1d)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

_RELATIVE = re.compile(r"^\+\s*(\d+)\s*([mhd])$")
_UNITS = {"m": "minutes", "h": "hours", "d": "days"}


def parse_when(value: str | None, *, now: datetime | None = None) -> datetime | None:
    """None for empty input; ValueError with a usable message for anything unreadable."""
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
