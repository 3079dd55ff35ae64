"""The Whereby Embedded entry of the provider conformance suite
(tests/providers/test_conformance.py) and the simulator conformance suite
(tests/simulators/test_sim_conformance.py)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import httpx
from provider_harness import Harness, sim_request

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


def _auth(secrets: dict[str, str] | None) -> dict[str, str]:
    # Whereby: `Authorization: Bearer <api key>`.
    return {"Authorization": f"Bearer {secrets['api_key']}"} if secrets else {}


def _whereby_list(server: Any, secrets: dict[str, str] | None) -> httpx.Response:
    return sim_request("GET", server.base_url + "/meetings", params={"limit": 100},
                       headers=_auth(secrets))


def _whereby_ids(response: httpx.Response) -> list[str]:
    return [meeting["meetingId"] for meeting in response.json()["results"]]


def _whereby_create(server: Any, secrets: dict[str, str]) -> str:
    end = server.sim.clock.now() + timedelta(hours=1)
    response = sim_request("POST", server.base_url + "/meetings", headers=_auth(secrets),
                           json={"endDate": end.strftime("%Y-%m-%dT%H:%M:%SZ")})
    response.raise_for_status()
    meeting_id: str = response.json()["meetingId"]
    return meeting_id


def _whereby_delete(server: Any, secrets: dict[str, str], meeting_id: str) -> httpx.Response:
    return sim_request("DELETE", f"{server.base_url}/meetings/{meeting_id}",
                       headers=_auth(secrets))


HARNESS = Harness(
    kind="whereby",
    secrets={"api_key": WHEREBY_KEY},
    wrong_secrets={"api_key": "wb-not-the-right-key-000000"},
    start=_whereby_start,
    spec=_whereby_spec,
    unknown_id="00000000-0000-4000-8000-000000000000",
    sim_list=_whereby_list,
    sim_ids=_whereby_ids,
    sim_create=_whereby_create,
    sim_delete=_whereby_delete,
)
