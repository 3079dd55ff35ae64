"""The Vonage Meetings entry of the provider conformance suite
(tests/providers/test_conformance.py) and the simulator conformance suite
(tests/simulators/test_sim_conformance.py).

Vonage authenticates with an RS256 application JWT: the simulator verifies with the
public key of `vonage_support`'s keypair, and the wrong secrets are another key. The
`sim_*` callables mint JWTs the way Vonage's JWT library does, independently of the
client.
"""

from __future__ import annotations

import importlib.util
import sys
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from provider_harness import Harness, sim_request

from meettui.core.clock import Clock
from meettui.core.models import MeetingSpec


def _support() -> Any:
    """`vonage_support`, loaded once under that name (this file is loaded by path, so
    the test directory may not be on sys.path yet); the tests import the same module."""
    name = "vonage_support"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(
            name, Path(__file__).with_name("vonage_support.py"))
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


_keys = _support()
APPLICATION_ID: str = _keys.APPLICATION_ID
PRIVATE_KEY: str = _keys.PRIVATE_KEY
PUBLIC_KEY: str = _keys.PUBLIC_KEY
WRONG_KEY: str = _keys.WRONG_KEY
auth = _keys.auth


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
