"""Who a meeting link is for. Apart from `core/models.py` (which re-exports it) so that
the CLI's parser can name the roles without loading pydantic."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    """A link's audience: the host runs the meeting, a guest or attendee joins it, a
    viewer only watches."""

    HOST = "host"
    GUEST = "guest"
    VIEWER = "viewer"
    ATTENDEE = "attendee"
