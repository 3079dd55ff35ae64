"""The eyeson entry of the provider conformance suite
(tests/providers/test_conformance.py)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from provider_harness import Harness

from meettui.core.clock import Clock
from meettui.core.models import MeetingSpec

EYESON_KEY = "ey-conformance-key-4d2b8e1f"


def _eyeson_start(sim_server: Any, clock: Clock, meetings: int) -> Any:
    # `meetings` permalinks and no extra running rooms, so the suite's counts hold.
    return sim_server("eyeson", clock=clock, meetings=meetings, rooms=0, api_key=EYESON_KEY)


def _eyeson_spec(now: datetime) -> MeetingSpec:
    # A permalink has no start time; it expires instead (ends_at is the form's "Expires").
    return MeetingSpec(
        title="Conformance check",
        ends_at=now + timedelta(days=1),
        options={"host_name": "Conformance Host", "recording_available": False},
    )


HARNESS = Harness(
    kind="eyeson",
    secrets={"api_key": EYESON_KEY},
    wrong_secrets={"api_key": "ey-not-the-right-key-0000000"},
    start=_eyeson_start,
    spec=_eyeson_spec,
    unknown_id="000000000000000000000000",
)
