"""A meeting's status as its provider last reported it. Apart from `core/models.py`
(which re-exports it) so that code reading cached rows without pydantic
(`core/quicklist.py`) knows the same values."""

from __future__ import annotations

from enum import StrEnum


class Status(StrEnum):
    SCHEDULED = "scheduled"
    LIVE = "live"
    ENDED = "ended"
    CANCELLED = "cancelled"
    EXPIRED = "expired"
    UNKNOWN = "unknown"
