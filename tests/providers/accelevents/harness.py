"""The Accelevents entry of the provider conformance suite
(tests/providers/test_conformance.py) and the simulator conformance suite
(tests/simulators/test_sim_conformance.py)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import httpx
from provider_harness import Harness, sim_request

from meettui.core.clock import Clock
from meettui.core.models import MeetingSpec

ACCELEVENTS_KEY = "ae-conformance-key-5c81d0b7"
EVENT = "conformance-con"


def _start(sim_server: Any, clock: Clock, meetings: int) -> Any:
    return sim_server("accelevents", clock=clock, meetings=meetings, api_key=ACCELEVENTS_KEY,
                      event=EVENT)


def _spec(now: datetime) -> MeetingSpec:
    start = now.replace(second=0, microsecond=0) + timedelta(days=1)
    return MeetingSpec(title="Conformance workshop", starts_at=start,
                       ends_at=start + timedelta(hours=1),
                       options={"format": "WORKSHOP", "capacity": 30})


def _auth(secrets: dict[str, str] | None) -> dict[str, str]:
    # Accelevents: the API key in a `Key` header.
    return {"Key": secrets["api_key"]} if secrets else {}


def _host(server: Any) -> str:
    return f"{server.base_url}/host/event/{EVENT}/session"


def _list(server: Any, secrets: dict[str, str] | None) -> httpx.Response:
    return sim_request("GET", _host(server), headers=_auth(secrets),
                       params={"eventId": server.sim.event_id, "page": 0, "size": 100})


def _ids(response: httpx.Response) -> list[str]:
    return [str(item["sessionId"]) for item in response.json()["data"]]


def _create(server: Any, secrets: dict[str, str]) -> str:
    response = sim_request("POST", _host(server), headers=_auth(secrets), json={
        "title": "Conformance", "format": "MEET_UP",
        "startTime": "2026/03/03 10:00", "endTime": "2026/03/03 11:00"})
    response.raise_for_status()
    return str(response.json())


def _delete(server: Any, secrets: dict[str, str], session_id: str) -> httpx.Response:
    return sim_request("DELETE", f"{_host(server)}/{session_id}", headers=_auth(secrets))


def _error(response: httpx.Response) -> str:
    # `{errorCode, errorMessage, developerMessage}`.
    message: str = response.json()["errorMessage"]
    return message


HARNESS = Harness(
    kind="accelevents",
    secrets={"api_key": ACCELEVENTS_KEY},
    wrong_secrets={"api_key": "ae-not-the-right-key-00000"},
    start=_start,
    spec=_spec,
    unknown_id="1",
    account_extra={"settings": {"eventurl": EVENT}},
    sim_list=_list,
    sim_ids=_ids,
    sim_create=_create,
    sim_delete=_delete,
    sim_error=_error,
)
