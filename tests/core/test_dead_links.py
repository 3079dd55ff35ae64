"""Which meetings' links most likely lead nowhere (`core/dead_links.py`): gone upstream,
cancelled, or expired as of now. Ended is not dead (rooms stay open after their planned
end), nor is a meeting whose expiry is still ahead."""

from __future__ import annotations

import contextvars
from datetime import UTC, datetime, timedelta

import pytest

from meettui.core.dead_links import dead_link, refusal
from meettui.core.models import Link, Meeting, Role, Status
from meettui.core.wording import speak_as

NOW = datetime(2026, 12, 2, 15, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)


def meeting(status: Status = Status.SCHEDULED, *, missing: bool = False,
            ends: datetime | None = None, expires: datetime | None = None) -> Meeting:
    return Meeting(provider="whereby", account="wb", id="m-1", title="Desk",
                   starts_at=NOW - 2 * HOUR, ends_at=ends, expires_at=expires,
                   status=status, missing=missing,
                   links=[Link(role=Role.GUEST, url="https://example.com/desk")])


@pytest.mark.parametrize("made", [
    meeting(Status.LIVE), meeting(Status.SCHEDULED),
    meeting(Status.ENDED, ends=NOW - HOUR),  # ended: the room may still take guests
    meeting(Status.LIVE, ends=NOW - HOUR, expires=NOW + HOUR),  # past its end, not expiry
])
def test_links_that_may_work_are_not_dead(made):
    assert dead_link(made, NOW) is None
    assert refusal(made, NOW, "No QR code was made.") is None


def test_a_cancelled_meeting_is_dead():
    dead = dead_link(meeting(Status.CANCELLED), NOW)
    assert dead is not None and dead.status == Status.CANCELLED
    assert dead.lead == "Cancelled: this link may no longer work"
    assert dead.why == "'Desk' (m-1) was cancelled, so its link most likely leads nowhere"


def test_a_meeting_past_its_expiry_is_dead_and_says_when():
    # The stored status says live; the expiry an hour ago says otherwise.
    dead = dead_link(meeting(Status.LIVE, ends=NOW - 2 * HOUR, expires=NOW - HOUR), NOW)
    assert dead is not None and dead.status == Status.EXPIRED
    assert dead.lead == "Expired: this link no longer works"
    # With its zone: an agent reading the MCP server's words cannot guess the server's.
    assert dead.why == "'Desk' (m-1) expired on 2026-12-02 14:00 UTC, so its link no " \
                       "longer works"


def test_one_the_provider_closed_before_its_expiry_says_no_date():
    dead = dead_link(meeting(Status.EXPIRED, expires=NOW + 24 * HOUR), NOW)
    assert dead is not None
    assert dead.why == "'Desk' (m-1) expired, so its link no longer works"


def test_gone_upstream_comes_first_with_its_own_advice():
    gone = meeting(Status.CANCELLED, missing=True)
    dead = dead_link(gone, NOW)
    assert dead is not None and dead.status is None and dead.lead.startswith("Gone upstream")
    error = refusal(gone, NOW, "No links were given.")
    assert error is not None and "is gone upstream" in error.message
    assert "forgets it here" in (error.hint or "")


def test_the_refusal_names_the_front_ends_way_to_a_new_meeting():
    made = meeting(Status.CANCELLED)
    error = refusal(made, NOW, "No links were given.")
    assert error is not None
    assert error.message == ("'Desk' (m-1) was cancelled, so its link most likely leads "
                             "nowhere. No links were given.")
    assert error.hint == ("To meet, make a new meeting with `meettui create -a wb …`; "
                          "`meettui show m-1 --refresh` reads its status from the "
                          "provider again.")

    def as_an_agent():
        speak_as("mcp")  # in this copied context only
        return refusal(made, NOW, "No links were given.")

    mcp = contextvars.copy_context().run(as_an_agent)
    assert mcp is not None and mcp.hint == (
        "To meet, make a new meeting with create_meeting; get_meeting with refresh: true "
        "reads its status from the provider again.")


def test_the_refusal_of_an_account_that_makes_no_meetings_does_not_send_to_create():
    error = refusal(meeting(Status.CANCELLED), NOW, "No QR code was made.",
                    no_new="it is read-only")
    assert error is not None
    assert error.hint == ("`meettui show m-1 --refresh` reads its status from the provider "
                          "again; 'wb' makes no new meetings (it is read-only).")
