"""The detail leaves out the facts that only mean something while a meeting can be
opened (`Capabilities.open_only_details`: a waiting room, a lobby, join and recording
settings) once it is cancelled, ended, expired or gone upstream. A cancelled 24sessions
meeting said "Guests: wait in the waiting room until the host starts the meeting"."""

from __future__ import annotations

from datetime import timedelta

import pytest
from states import demo_app, settle
from tui_data import NOW

from factories import make_meeting
from meettui.core import registry
from meettui.core.models import Status
from meettui.tui.widgets.detail import DetailPane

WAITING = "wait in the waiting room until the host starts the meeting"
DETAILS = {"24sessions status": "scheduled", "Host link": "opens for the logged-in host only",
           "Guest": "Cy Dahl <cy@example.com>", "Guests": WAITING}


def appointment(**update):
    meeting = make_meeting(1, account="team").model_copy(update={
        "provider": "24sessions", "details": DETAILS, "starts_at": NOW + timedelta(hours=1),
        "ends_at": NOW + timedelta(hours=2)})
    return meeting.model_copy(update=update)


def facts_of(pane: DetailPane) -> str:
    grid = pane.query_one("#detail-facts").content
    return " ".join(f"{label} {value}" for label, value in grid.rows)


@pytest.mark.parametrize(("update", "left_out"), [
    ({}, False),
    ({"status": Status.LIVE}, False),
    ({"status": Status.CANCELLED}, True),
    ({"status": Status.ENDED}, True),
    # Over by the clock, whatever was cached.
    ({"starts_at": NOW - timedelta(hours=2), "ends_at": NOW - timedelta(hours=1)}, True),
    ({"status": Status.EXPIRED}, True),
    ({"missing": True}, True),
])
def test_what_only_an_open_meeting_means_is_left_out_once_it_is_closed(update, left_out):
    labels = [label for label, _ in DetailPane._fact_rows(appointment(**update), NOW)]
    assert ("Guests" not in labels and "Host link" not in labels) is left_out, labels
    assert "Guest" in labels and "24sessions status" in labels


async def test_the_pane_of_a_cancelled_meeting_has_no_waiting_room(make_app):
    app = make_app([appointment(status=Status.CANCELLED)])
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        pane = app.screen.query_one(DetailPane)
        await pane.settled()
        facts = facts_of(pane)
        assert "Cy" in facts and "waiting room" not in facts, facts
        await pilot.press("i")
        await pilot.pause()
        full = app.screen.query_one(DetailPane)
        facts = facts_of(full)
        assert "Cy" in facts and "waiting room" not in facts, facts


async def test_every_provider_names_facts_its_meetings_have(tmp_path):
    # A label misspelled in `open_only_details` would leave nothing out.
    app = demo_app(tmp_path, providers=("24sessions", "accelevents", "eyeson", "vonage",
                                        "whereby"))
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        seen: dict[str, set[str]] = {}
        for meeting in app.service.cache.window(limit=10_000):
            seen.setdefault(meeting.provider, set()).update(meeting.details)
    for kind in ("24sessions", "accelevents", "eyeson", "vonage", "whereby"):
        named = set(registry.open_only_details(kind))
        assert named, kind
        # (Whereby says whether a room is locked only of rooms meettui made.)
        assert named <= seen[kind] | {"Locked"}, (kind, named - seen[kind])
