"""Meetings whose links most likely lead nowhere, and what each front end says before
handing such a link to someone: a QR code shown to a guest, a link copied, the links an
agent asks for. Three kinds, one rule: gone upstream (`Meeting.missing`), cancelled, and
expired (`Meeting.effective_status`: its expiry passed, or the provider said so). A
guest given such a link finds a dead or cancelled room; the command line and the MCP
tools refuse (`refusal`), the terminal UI hands it out as asked with the warning
(`DeadLink.lead` under the code, `DeadLink.why` in the toast). No I/O."""

from __future__ import annotations

import shlex
from dataclasses import dataclass
from datetime import datetime

from meettui.core.display import local_time, plain, titled_id
from meettui.core.errors import MeettuiError
from meettui.core.models import Meeting, Status
from meettui.core.service_checks import gone_link, gone_sentence
from meettui.core.wording import command, key


@dataclass(frozen=True)
class DeadLink:
    """Why a meeting's links most likely no longer work."""

    lead: str
    """A few words for the line under a QR code: "Cancelled: this link may no longer
    work"."""
    why: str
    """One sentence naming the meeting: "'Check-up' (ab12) was cancelled, so its link
    most likely leads nowhere"."""
    status: Status | None
    """CANCELLED or EXPIRED; None for a meeting gone upstream."""


def dead_link(meeting: Meeting, now: datetime) -> DeadLink | None:
    """Why `meeting`'s links most likely lead nowhere at `now` (UTC), or None when
    they may work. Ended is not dead: a room stays open after its planned end (until it
    expires, or for good at some providers), so only an expiry or a cancellation is
    taken as the provider's word that the link stopped working."""
    if meeting.missing:
        return DeadLink("Gone upstream: this link may no longer work",
                        gone_sentence(meeting), None)
    what = titled_id(meeting.title, meeting.id)
    status = meeting.effective_status(now)
    if status == Status.CANCELLED:
        return DeadLink("Cancelled: this link may no longer work",
                        f"{what} was cancelled, so its link most likely leads nowhere",
                        status)
    if status == Status.EXPIRED:
        # The provider's "expired" may come before the expiry it gave (a room closed by
        # hand): "on" a date only when that date has passed.
        when = (f" on {local_time(meeting.expires_at, '%Y-%m-%d %H:%M %Z')}"
                if meeting.expires_at is not None and meeting.expires_at <= now else "")
        return DeadLink("Expired: this link no longer works",
                        f"{what} expired{when}, so its link no longer works", status)
    return None


def refusal(meeting: Meeting, now: datetime, outcome: str, *,
            no_new: str | None = None) -> MeettuiError | None:
    """The refusal (exit 1: the command was right, the meeting is over for good) to hand
    `meeting`'s link to someone else when `dead_link` says it leads nowhere, `outcome`
    saying what was not done ("No QR code was made."); None when the links may work.
    The hint says how to read the status again and, for a cancelled or expired
    meeting, how to make a new one (a gone one: `gone_advice`), unless its account
    makes none: `no_new` says why then ("it is read-only":
    `MeetingService.no_new_meetings`)."""
    dead = dead_link(meeting, now)
    if dead is None:
        return None
    if dead.status is None:
        return gone_link(meeting, outcome)
    shown = shlex.quote(plain(meeting.id))
    check = command(f"`meettui show {shown} --refresh`", "get_meeting with refresh: true",
                    f"a refresh of the list ({key('list.refresh', 'Ctrl+R')})")
    if no_new is not None:
        # "make a new meeting with `meettui create -a ro`" was refused in turn.
        return MeettuiError(f"{dead.why}. {outcome}",
                            hint=f"{check[:1].upper()}{check[1:]} reads its status from "
                            f"the provider again; {meeting.account!r} makes no new "
                            f"meetings ({no_new}).")
    new = command(f"`meettui create -a {shlex.quote(plain(meeting.account))} …`",
                  "create_meeting", f"New ({key('meeting.new', 'n')})")
    return MeettuiError(f"{dead.why}. {outcome}",
                        hint=f"To meet, make a new meeting with {new}; {check} reads "
                        "its status from the provider again.")

