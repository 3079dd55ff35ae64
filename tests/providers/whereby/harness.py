"""The Whereby Embedded entry of the provider conformance suite
(tests/providers/test_conformance.py)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from provider_harness import Harness

from meettui.core.clock import Clock
from meettui.core.models import MeetingSpec

WHEREBY_KEY = "wb-conformance-key-7f3a9c1e5b"


def _whereby_start(sim_server: Any, clock: Clock, meetings: int) -> Any:
    # A points budget no test exhausts: 429s come only from injected faults.
    return sim_server(
        "whereby", clock=clock, meetings=meetings, api_key=WHEREBY_KEY, rate_limit=1_000_000
    )


def _whereby_spec(now: datetime) -> MeetingSpec:
    return MeetingSpec(
        title="Conformance check",
        ends_at=now + timedelta(hours=1),
        options={"roomMode": "group", "roomNamePrefix": "conf-"},
    )


HARNESS = Harness(
    kind="whereby",
    secrets={"api_key": WHEREBY_KEY},
    wrong_secrets={"api_key": "wb-not-the-right-key-000000"},
    start=_whereby_start,
    spec=_whereby_spec,
    unknown_id="00000000-0000-4000-8000-000000000000",
)
