"""The eyeson entry of the provider conformance suite
(tests/providers/test_conformance.py) and the simulator conformance suite
(tests/simulators/test_sim_conformance.py)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import httpx
from provider_harness import Harness, sim_request

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


def _auth(secrets: dict[str, str] | None) -> dict[str, str]:
    # eyeson team level: the raw API key in Authorization, no "Bearer".
    return {"Authorization": secrets["api_key"]} if secrets else {}


def _eyeson_list(server: Any, secrets: dict[str, str] | None) -> httpx.Response:
    return sim_request("GET", server.base_url + "/permalink", params={"limit": 100},
                       headers=_auth(secrets))


def _eyeson_ids(response: httpx.Response) -> list[str]:
    return [item["permalink"]["id"] for item in response.json()["items"]]


def _eyeson_create(server: Any, secrets: dict[str, str]) -> str:
    response = sim_request("POST", server.base_url + "/permalink", headers=_auth(secrets),
                           data={"user[name]": "Conformance Host", "name": "Conformance"})
    response.raise_for_status()
    permalink_id: str = response.json()["permalink"]["id"]
    return permalink_id


def _eyeson_delete(server: Any, secrets: dict[str, str], permalink_id: str) -> httpx.Response:
    return sim_request("DELETE", f"{server.base_url}/permalink/{permalink_id}",
                       headers=_auth(secrets))


HARNESS = Harness(
    kind="eyeson",
    secrets={"api_key": EYESON_KEY},
    wrong_secrets={"api_key": "ey-not-the-right-key-0000000"},
    start=_eyeson_start,
    spec=_eyeson_spec,
    unknown_id="000000000000000000000000",
    sim_list=_eyeson_list,
    sim_ids=_eyeson_ids,
    sim_create=_eyeson_create,
    sim_delete=_eyeson_delete,
)
