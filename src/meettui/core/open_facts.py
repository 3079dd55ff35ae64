"""A meeting's details as a reader sees them: without the facts that only mean
something while the meeting can still be opened (how guests get in, a waiting room, a
lobby, recording and join settings: `Capabilities.open_only_details`) once it is
cancelled, ended, expired or gone upstream. "Guests wait in the waiting room until the
host starts the meeting" read as advice on a cancelled meeting.

The app's detail (pane and full screen) and the command line's text show these; the
JSON (`meettui show --json`, the MCP tools) keeps every detail: it is data, and a
script reads the facts the provider last gave whatever the meeting's state.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from meettui.core import registry
from meettui.core.models import Meeting, Status

CLOSED = frozenset({Status.CANCELLED, Status.ENDED, Status.EXPIRED})
"""The statuses of a meeting no one can open any more (`Meeting.effective_status`)."""


def can_still_open(meeting: Meeting, now: datetime) -> bool:
    """Whether `meeting` may still be opened at `now`: not gone upstream
    (`Meeting.missing`), and neither cancelled, ended nor expired as of `now`."""
    return not meeting.missing and meeting.effective_status(now) not in CLOSED


def shown_details(meeting: Meeting, now: datetime,
                  open_only: Callable[[str], tuple[str, ...]] = registry.open_only_details,
                  ) -> dict[str, str]:
    """`meeting.details` in their order, without the labels its provider's
    `open_only(kind)` names (`Capabilities.open_only_details`) once it can no longer be
    opened (`can_still_open`); all of them while it can. A kind not registered leaves
    out nothing."""
    if can_still_open(meeting, now):
        return dict(meeting.details)
    left_out = set(open_only(meeting.provider))
    return {label: value for label, value in meeting.details.items()
            if label not in left_out}
