"""Provider text is untrusted: show it literally, never let it drive the terminal."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def printable(text: str) -> str:
    """Make control characters (ESC, BEL, CSI…) visible instead of acted upon."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text).replace("\n", " ")


def local_time(dt: datetime | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    return dt.astimezone().strftime(fmt) if dt else "—"


def countdown(until: datetime | None, now: datetime) -> str:
    """Short human duration until `until` ("in 2h 5m", "expired 3d ago")."""
    if until is None:
        return "—"
    delta = until - now
    text = _short(abs(delta))
    return f"in {text}" if delta >= timedelta(0) else f"{text} ago"


def since(then: datetime | None, now: datetime) -> str:
    """How long ago ("just now", "12m ago"); "never" for None."""
    if then is None:
        return "never"
    if now - then < timedelta(minutes=1):
        return "just now"
    return f"{_short(now - then)} ago"


def _short(delta: timedelta) -> str:
    seconds = int(delta.total_seconds())
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    if days:
        return f"{days}d {hours}h" if hours and days < 10 else f"{days}d"
    if hours:
        return f"{hours}h {minutes}m" if minutes else f"{hours}h"
    if minutes:
        return f"{minutes}m"
    return "<1m"
