"""The Vonage Meetings entry of the provider conformance suite
(tests/providers/test_conformance.py) and the simulator conformance suite
(tests/simulators/test_sim_conformance.py).

Vonage authenticates with an RS256 application JWT: the harness has its own keypair
(the simulator verifies with its public key) and a second, wrong one. The `sim_*`
callables mint JWTs the way Vonage's JWT library does, independently of the client.
"""

from __future__ import annotations

import time
import uuid
from datetime import datetime, timedelta
from functools import cache
from typing import Any

import httpx
import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from provider_harness import Harness, sim_request

from meettui.core.clock import Clock
from meettui.core.models import MeetingSpec

APPLICATION_ID = "0d5c7a3e-9b41-4f8e-a2d6-1c3b5e7f9a20"


@cache
def keypair(name: str) -> tuple[str, str]:
    """(private PEM, public PEM) of a test keypair, one per `name` for the session."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption()).decode()
    public = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()
    return private, public


PRIVATE_KEY, PUBLIC_KEY = keypair("right")
WRONG_KEY, _ = keypair("wrong")


def mint(private_key: str, now: float, *, application_id: str = APPLICATION_ID,
         lifetime: int = 900, **extra: Any) -> str:
    """An application JWT as Vonage's JWT library builds one, issued at `now` (POSIX s)."""
    claims = {"application_id": application_id, "iat": int(now), "exp": int(now) + lifetime,
              "jti": str(uuid.uuid4()), **extra}
    return jwt.encode(claims, private_key, algorithm="RS256", headers={"typ": "JWT"})


def auth(server: Any, secrets: dict[str, str] | None) -> dict[str, str]:
    """`Authorization: Bearer <JWT>` signed with `secrets["private_key"]`, issued at the
    simulator's "now"; no header for None."""
    if not secrets:
        return {}
    now = server.sim.clock.now().timestamp() if server is not None else time.time()
    return {"Authorization": f"Bearer {mint(secrets['private_key'], now)}"}


def _start(sim_server: Any, clock: Clock, meetings: int) -> Any:
    return sim_server("vonage", clock=clock, meetings=meetings, application_id=APPLICATION_ID,
                      public_key=PUBLIC_KEY)


def _spec(now: datetime) -> MeetingSpec:
    return MeetingSpec(title="Conformance check", ends_at=now + timedelta(days=2),
                       options={"join_approval_level": "after_owner_only"})


def _list(server: Any, secrets: dict[str, str] | None) -> httpx.Response:
    return sim_request("GET", server.base_url + "/rooms", params={"page_size": 100},
                       headers=auth(server, secrets))


def _ids(response: httpx.Response) -> list[str]:
    return [room["id"] for room in response.json()["_embedded"]]


def _create(server: Any, secrets: dict[str, str]) -> str:
    response = sim_request("POST", server.base_url + "/rooms", headers=auth(server, secrets),
                           json={"display_name": "Conformance"})
    response.raise_for_status()
    room_id: str = response.json()["id"]
    return room_id


def _error(response: httpx.Response) -> str:
    """Either shape: the gateway's `detail`, or the service's `message`."""
    body = response.json()
    message: str = body["detail"] if "detail" in body else body["message"]
    return message


HARNESS = Harness(
    kind="vonage",
    secrets={"private_key": PRIVATE_KEY},
    wrong_secrets={"private_key": WRONG_KEY},
    start=_start,
    spec=_spec,
    unknown_id="00000000-0000-4000-8000-000000000000",
    account_extra={"settings": {"application_id": APPLICATION_ID}},
    sim_list=_list,
    sim_ids=_ids,
    sim_create=_create,
    sim_error=_error,
)
