"""The 24sessions entry of the provider conformance suite
(tests/providers/test_conformance.py) and the simulator conformance suite
(tests/simulators/test_sim_conformance.py)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import httpx
from provider_harness import Harness, sim_request

from meettui.core.clock import Clock
from meettui.core.models import MeetingSpec

CLIENT_ID = "conformance-client-24s"
CLIENT_SECRET = "cs-conformance-24s-8d1f3b7a"
INSTANCE = "conf"
HOST_USER = "11"  # the simulator's first advisor, whatever the seed
MEETING_TYPE = "2"


def _start(sim_server: Any, clock: Clock, meetings: int) -> Any:
    return sim_server("24sessions", clock=clock, meetings=meetings, client_id=CLIENT_ID,
                      client_secret=CLIENT_SECRET, instance=INSTANCE)


def _spec(now: datetime) -> MeetingSpec:
    return MeetingSpec(
        title="Conformance check",
        starts_at=now + timedelta(days=1),
        options={"guest_name": "Conny Formance", "guest_email": "conny@example.com",
                 "user": HOST_USER, "meeting_type": MEETING_TYPE},
    )


def token(server: Any, secrets: dict[str, str]) -> httpx.Response:
    """The token request as 24sessions documents it: a GET with the credentials."""
    return sim_request("GET", server.base_url + "/oauth/v2/token", params={
        "client_id": secrets["client_id"], "client_secret": secrets["client_secret"],
        "grant_type": "client_credentials"})


def bearer(server: Any, secrets: dict[str, str] | None) -> dict[str, str] | httpx.Response:
    """`Authorization: Bearer <token>` for `secrets` (none for None), or the token
    endpoint's answer when it gave no token (a refusal, a fault, a broken body)."""
    if secrets is None:
        return {}
    answer = token(server, secrets)
    if answer.status_code != 200:
        return answer
    try:
        value = answer.json()["access_token"]
    except (ValueError, KeyError, TypeError):
        return answer
    return {"Authorization": f"Bearer {value}"}


def _list(server: Any, secrets: dict[str, str] | None) -> httpx.Response:
    headers = bearer(server, secrets)
    if isinstance(headers, httpx.Response):
        return headers
    return sim_request("GET", server.base_url + "/meetings",
                       params={"page": 1, "itemsPerPage": 100}, headers=headers)


def _ids(response: httpx.Response) -> list[str]:
    return [str(item["id"]) for item in response.json()["hydra:member"]]


def _create(server: Any, secrets: dict[str, str]) -> str:
    headers = bearer(server, secrets)
    assert isinstance(headers, dict)
    when = server.sim.clock.now() + timedelta(days=2)
    response = sim_request("POST", server.base_url + "/meetings", headers=headers, json={
        "date": when.isoformat(), "status": "scheduled", "user": f"/users/{HOST_USER}",
        "guest": {"name": "Reset Guest", "email": "reset@example.com"},
        "type": {"@id": f"/meeting_types/{MEETING_TYPE}"}})
    response.raise_for_status()
    return str(response.json()["id"])


def _delete(server: Any, secrets: dict[str, str], meeting_id: str) -> httpx.Response:
    headers = bearer(server, secrets)
    assert isinstance(headers, dict)
    return sim_request("DELETE", f"{server.base_url}/meetings/{meeting_id}", headers=headers)


HARNESS = Harness(
    kind="24sessions",
    secrets={"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET},
    wrong_secrets={"client_id": CLIENT_ID, "client_secret": "cs-not-the-right-secret-00"},
    start=_start,
    spec=_spec,
    unknown_id="1",
    account_extra={"settings": {"instance": INSTANCE}},
    sim_list=_list,
    sim_ids=_ids,
    sim_create=_create,
    sim_delete=_delete,
)
