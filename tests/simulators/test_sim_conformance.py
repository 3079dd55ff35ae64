"""Simulator conformance: what every simulator promises, checked over real HTTP for each
one that has a provider harness (`tests/providers/<kind>/harness.py`).

The suite talks to a simulator directly, without the provider client: its `/_sim`
control routes, and its own API through the harness's `sim_list` / `sim_ids` (and
`sim_create` / `sim_delete` where given). A new provider's simulator is covered by
giving its harness those entries; nothing here names a provider.

(The file is not called `test_conformance.py`: tests/providers has one, and the test
directories have no `__init__.py`, so pytest would import both as one module.)
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from provider_harness import HARNESSES, Harness, sim_request

from meettui.core.clock import FixedClock
from meettui.simulators.faults import FAULT_KINDS
from meettui.simulators.registry import simulator_kinds

# SIM_NOW in tests/conftest.py (the `sim_clock` fixture), as the simulators print it.
NOW = "2026-03-02T09:00:00.000Z"
SIM_NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
MEETINGS = 6

# What `/_sim/faults` shows for a simulator built without faults (and after a reset).
NO_FAULTS: dict[str, Any] = {
    "latency": 0.0,
    "error_rate": 0.0,
    "rate_limit_rate": 0.0,
    "malformed_rate": 0.0,
    "drop_rate": 0.0,
    "seed": 0,
    "retry_after_ms": None,
    "queue": [],
    "injected": {},
}


def faults_shown(body: dict[str, Any]) -> dict[str, Any]:
    """The part of a `/_sim/faults` answer that NO_FAULTS describes."""
    return {name: body[name] for name in NO_FAULTS}


@dataclass(frozen=True)
class Sim:
    """One running simulator and the harness that knows how to talk to it."""

    harness: Harness
    server: Any  # RunningSim (tests/conftest.py)

    @property
    def kind(self) -> str:
        return self.harness.kind

    def listing(self, credential: str = "right") -> httpx.Response:
        """The harness's list request with the "right" secrets, the "wrong" ones or "none"."""
        secrets = {"right": self.harness.secrets, "wrong": self.harness.wrong_secrets,
                   "none": None}[credential]
        assert self.harness.sim_list is not None
        return self.harness.sim_list(self.server, secrets)

    def ids(self, response: httpx.Response | None = None) -> list[str]:
        """The ids of a successful list answer (a fresh one by default)."""
        response = response if response is not None else self.listing()
        assert response.status_code == 200, response.text
        assert self.harness.sim_ids is not None
        return self.harness.sim_ids(response)

    def control(self, method: str, path: str = "", **kwargs: Any) -> httpx.Response:
        return sim_request(method, self.server.control_url + path, **kwargs)

    def now(self) -> str:
        response = self.control("GET", "/clock")
        assert response.status_code == 200
        now: str = response.json()["now"]
        return now

    def faults(self) -> dict[str, Any]:
        response = self.control("GET", "/faults")
        assert response.status_code == 200
        body: dict[str, Any] = response.json()
        return body


@pytest.fixture(params=sorted(HARNESSES), ids=lambda kind: kind)
def harness(request) -> Harness:
    harness = HARNESSES[request.param]
    if harness.sim_list is None or harness.sim_ids is None:
        pytest.fail(f"the {harness.kind} harness needs sim_list and sim_ids for the "
                    "simulator conformance suite (see tests/providers/provider_harness.py)")
    return harness


@pytest.fixture
def sim(harness: Harness, sim_server, sim_clock: FixedClock) -> Sim:
    assert sim_clock.now() == SIM_NOW
    server = harness.start(sim_server, sim_clock, MEETINGS)
    assert server.sim.kind == harness.kind
    return Sim(harness, server)


def test_every_simulator_has_a_harness():
    missing = sorted(set(simulator_kinds()) - set(HARNESSES))
    assert not missing, f"simulators without a harness, so not in this suite: {missing}"


def test_the_seeded_list_answers_with_the_right_credential(sim):
    ids = sim.ids()
    assert len(ids) == MEETINGS
    assert len(set(ids)) == MEETINGS
    assert all(isinstance(i, str) and i for i in ids)


# -- 1. /_sim and the clock ---------------------------------------------------------------


def test_info_names_the_kind_and_the_time(sim):
    response = sim.control("GET")
    assert response.status_code == 200
    info = response.json()
    assert info["kind"] == sim.kind
    assert info["now"] == NOW
    assert info["base_path"] == sim.server.sim.base_path
    assert sim.control("GET", "/clock").json() == {"now": NOW}


def test_advance_moves_now_by_exactly_that_much(sim):
    response = sim.control("POST", "/clock", json={"advance": 3600})
    assert response.status_code == 200
    assert response.json() == {"now": "2026-03-02T10:00:00.000Z"}
    assert sim.control("GET").json()["now"] == "2026-03-02T10:00:00.000Z"
    assert sim.server.sim.clock.now() == SIM_NOW + timedelta(hours=1)
    # The API answers on the same clock: its Date header moved too.
    assert sim.listing().headers["date"] == "Mon, 02 Mar 2026 10:00:00 GMT"

    assert sim.control("POST", "/clock", json={"advance": 0.25}).json() == {
        "now": "2026-03-02T10:00:00.250Z"
    }
    assert sim.now() == "2026-03-02T10:00:00.250Z"


@pytest.mark.parametrize(
    ("moment", "shown", "date"),
    [
        ("2026-03-02T12:00:00+02:00", "2026-03-02T10:00:00.000Z", "Mon, 02 Mar 2026 10:00:00 GMT"),
        ("2026-04-01T07:30:00Z", "2026-04-01T07:30:00.000Z", "Wed, 01 Apr 2026 07:30:00 GMT"),
    ],
)
def test_set_puts_the_clock_at_an_instant(sim, moment, shown, date):
    response = sim.control("POST", "/clock", json={"set": moment})
    assert response.status_code == 200
    assert response.json() == {"now": shown}
    assert sim.control("GET").json()["now"] == shown
    assert sim.listing().headers["date"] == date


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"{}",
        b"soon",
        b"[3600]",
        b'{"advance": "soon"}',
        b'{"advance": true}',
        b'{"advance": null}',
        b'{"set": "noon"}',
        b'{"set": "2026-03-02T12:00:00"}',  # no offset
        b'{"set": "2026-03-02"}',
        b'{"set": 1772442000}',
        b'{"advance": 1e300}',
        b'{"advance": NaN}',
        b'{"advance": 252288000000}',  # about 8,000 years: "now" would leave the range
        b'{"set": "9999-12-31T23:59:59Z"}',
        b'{"set": "0001-01-01T00:00:00Z"}',
    ],
    ids=lambda body: body.decode() or "empty",
)
def test_bad_clock_bodies_are_400_json_and_change_nothing(sim, body):
    response = sim.control("POST", "/clock", content=body,
                           headers={"Content-Type": "application/json"})
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/json"
    message = response.json()["error"]
    assert isinstance(message, str) and message
    assert sim.now() == NOW


# -- 2. /_sim/faults -----------------------------------------------------------------------


def test_faults_round_trip(sim):
    assert faults_shown(sim.faults()) == NO_FAULTS

    settings = {"latency": 0.25, "rate_limit_rate": 0.1, "drop_rate": 0.05, "seed": 9,
                "retry_after_ms": 1500}
    response = sim.control("POST", "/faults", json=settings)
    assert response.status_code == 200
    expected = {**NO_FAULTS, **settings}
    assert faults_shown(response.json()) == expected
    assert faults_shown(sim.faults()) == expected
    faults = sim.server.sim.faults
    assert (faults.latency, faults.rate_limit_rate, faults.drop_rate, faults.seed,
            faults.retry_after_ms) == (0.25, 0.1, 0.05, 9, 1500)

    # `reset` puts the settings back (the fault seed is kept, as documented).
    response = sim.control("POST", "/faults", json={"reset": True})
    assert response.status_code == 200
    assert faults_shown(response.json()) == {**NO_FAULTS, "seed": 9}
    assert sim.ids()  # no latency, no faults: answered at once


@pytest.mark.parametrize(
    "body",
    [
        {"jitter": 1},
        {"latency": 0.1, "jitter": 1},
        {"error_rate": 2},
        {"error_rate": "lots"},
        {"latency": -1},
        {"retry_after_ms": 0},
        {"error_rate": 0.6, "drop_rate": 0.6},
        {"queue": [{"kind": "418"}]},
        {"queue": [{"kind": "503", "count": "two"}]},
        {"queue": [{"kind": "503", "count": 0}]},
        {"queue": "503"},
        [1],
        # Mixed: the valid part must not be applied when the rest is refused.
        {"error_rate": 0.5, "queue": [{"kind": "418"}]},
        {"queue": [{"kind": "503"}, {"kind": "418"}]},
        {"clear_queue": True, "latency": -1},
    ],
    ids=json.dumps,
)
def test_bad_fault_settings_are_400_json_and_change_nothing(sim, body):
    before = sim.faults()
    response = sim.control("POST", "/faults", json=body)
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/json"
    message = response.json()["error"]
    assert isinstance(message, str) and message
    assert sim.faults() == before


def test_queued_faults_over_http_hit_the_next_requests_in_order(sim):
    seeded = sim.ids()
    response = sim.control("POST", "/faults",
                           json={"queue": [{"kind": "503", "count": 2}, {"kind": "500"}]})
    assert response.status_code == 200
    assert response.json()["queue"] == ["503", "503", "500"]
    assert sim.server.sim.faults.pending() == ["503", "503", "500"]

    assert [sim.listing().status_code for _ in range(3)] == [503, 503, 500]
    assert sim.ids() == seeded
    shown = sim.faults()
    assert shown["queue"] == []
    assert shown["injected"] == {"503": 2, "500": 1}


def test_a_queue_can_be_cleared(sim):
    response = sim.control("POST", "/faults", json={"queue": {"kind": "drop", "count": 3}})
    assert response.json()["queue"] == ["drop", "drop", "drop"]
    response = sim.control("POST", "/faults", json={"clear_queue": True})
    assert response.status_code == 200
    assert response.json()["queue"] == []
    assert len(sim.ids()) == MEETINGS
    assert sim.faults()["injected"] == {}


# -- 3. credentials ------------------------------------------------------------------------


@pytest.mark.parametrize("credential", ["wrong", "none"])
def test_a_wrong_or_missing_credential_is_401(sim, credential):
    response = sim.listing(credential)
    assert response.status_code == 401
    message = sim.harness.sim_error(response)
    assert isinstance(message, str) and message
    secrets = [*sim.harness.secrets.values(), *sim.harness.wrong_secrets.values()]
    shown = response.text + "\n" + "\n".join(f"{k}: {v}" for k, v in response.headers.items())
    for secret in secrets:
        assert secret not in shown
    assert sim.listing().status_code == 200  # the right one still works


_CREDENTIAL_HEADERS = (b"authorization", b"key", b"authentication")


def test_a_credential_with_characters_beyond_ascii_is_401_not_500(sim, monkeypatch):
    # A key with "é" sent as UTF-8 bytes (what httpx sends for it): Whereby's
    # simulator compared it as a str and failed with a 500 ("comparing strings with
    # non-ASCII characters is not supported"), which meettui said as "server error,
    # try again later". Every credential a list request carries (headers, and the
    # OAuth client id in the token request's query) gets the bytes.
    real = httpx.Client.send

    def send(self, request: httpx.Request, **kwargs: Any) -> httpx.Response:
        request.headers = httpx.Headers([
            (key, value + "é".encode() if key.lower() in _CREDENTIAL_HEADERS else value)
            for key, value in request.headers.raw])
        if "client_id" in request.url.params:
            request.url = request.url.copy_set_param(
                "client_id", request.url.params["client_id"] + "é")
        return real(self, request, **kwargs)

    monkeypatch.setattr(httpx.Client, "send", send)
    response = sim.listing()
    assert response.status_code == 401, response.text
    assert sim.harness.sim_error(response)


# -- 4. faults on the list request -------------------------------------------------------


def _expect_500(sim: Sim) -> None:
    assert sim.listing().status_code == 500


def _expect_503(sim: Sim) -> None:
    assert sim.listing().status_code == 503  # the body may be a gateway's HTML page


def _expect_429(sim: Sim) -> None:
    response = sim.listing()
    assert response.status_code == 429
    wait = sim.harness.sim_retry_after(response)
    assert wait is not None and wait >= 1


def _expect_malformed(sim: Sim) -> None:
    response = sim.listing()
    assert response.status_code == 200  # handled, then damaged
    with pytest.raises(ValueError):
        json.loads(response.content)


def _expect_drop(sim: Sim) -> None:
    with pytest.raises((httpx.RemoteProtocolError, httpx.ReadError)):
        sim.listing()


EXPECT: dict[str, Callable[[Sim], None]] = {
    "500": _expect_500,
    "503": _expect_503,
    "429": _expect_429,
    "malformed": _expect_malformed,
    "drop": _expect_drop,
}


def test_every_fault_kind_has_a_case():
    assert set(EXPECT) == set(FAULT_KINDS)


@pytest.mark.parametrize("kind", FAULT_KINDS)
def test_a_queued_fault_hits_the_list_once_then_it_succeeds(sim, kind):
    seeded = sim.ids()
    sim.server.sim.faults.queue(kind)
    EXPECT[kind](sim)
    assert sim.server.sim.faults.pending() == []
    assert sim.server.sim.faults.injected == {kind: 1}
    assert sim.ids() == seeded


@pytest.mark.parametrize(("retry_after_ms", "low", "high"),
                         [(1500, 1.5, 2.0), (500, 0.5, 1.0), (4200, 4.2, 5.0)])
def test_a_429_announces_the_configured_wait(sim, retry_after_ms, low, high):
    sim.server.sim.faults.update(retry_after_ms=retry_after_ms)
    sim.server.sim.faults.queue("429")
    response = sim.listing()
    assert response.status_code == 429
    wait = sim.harness.sim_retry_after(response)
    assert wait is not None and low <= wait <= high
    assert sim.listing().status_code == 200


def test_the_control_routes_are_never_faulted(sim):
    faults = sim.server.sim.faults
    faults.queue("drop")
    faults.queue("500")
    for _ in range(2):
        assert sim.control("GET").json()["kind"] == sim.kind
        assert sim.control("GET", "/clock").json() == {"now": NOW}
        assert sim.control("POST", "/clock", json={"advance": 0}).json() == {"now": NOW}
        assert sim.faults()["queue"] == ["drop", "500"]
    assert faults.injected == {}

    response = sim.control("POST", "/faults", json={"error_rate": 1.0, "clear_queue": True})
    assert response.status_code == 200
    assert sim.listing().status_code in (500, 503)
    for _ in range(5):
        assert sim.control("GET").status_code == 200
    assert sum(faults.injected.values()) == 1
    assert sim.control("POST", "/faults", json={"error_rate": 0.0}).status_code == 200
    assert sim.listing().status_code == 200


# -- 5. seeds ------------------------------------------------------------------------------


def test_the_same_seed_gives_the_same_data_and_another_seed_other_data(harness, sim_server):
    def start(seed: int) -> Sim:
        server = harness.start_with(sim_server, FixedClock(SIM_NOW), MEETINGS, seed=seed)
        assert server.sim.seed == seed
        return Sim(harness, server)

    first, again, other = start(7), start(7), start(8)
    first_list, again_list, other_list = first.listing(), again.listing(), other.listing()
    ids = first.ids(first_list)
    assert len(ids) == len(set(ids)) == MEETINGS
    assert again.ids(again_list) == ids
    assert again_list.json() == first_list.json()
    other_ids = other.ids(other_list)
    assert len(other_ids) == MEETINGS
    assert set(other_ids).isdisjoint(ids)


def _shape(meeting_id: str) -> str:
    """What an id looks like: "digits", or its hex digits as `h` (a UUID, an ObjectId)."""
    return "digits" if meeting_id.isdigit() else re.sub(r"[0-9a-f]", "h", meeting_id)


def test_a_simulator_started_again_with_its_seed_never_hands_out_an_id_again(
        harness, sim_server):
    # Restarted with the same (default) seed, Whereby's and Accelevents' simulators
    # gave a new meeting the id of one the last run had made: a client's cache still
    # held that one, and the new meeting took its place. The seeded data stays the same.
    if harness.sim_create is None:
        pytest.skip(f"the {harness.kind} harness creates nothing (no sim_create)")
    runs = [Sim(harness, harness.start(sim_server, FixedClock(SIM_NOW), MEETINGS))
            for _ in range(2)]
    seeded = [run.ids() for run in runs]
    assert seeded[0] == seeded[1]
    made = [{harness.sim_create(run.server, harness.secrets) for _ in range(3)}
            for run in runs]
    assert len(made[0]) == len(made[1]) == 3
    assert not made[0] & made[1] and not (made[0] | made[1]) & set(seeded[0])
    # In the provider's own form of id, as the seeded ones are.
    assert {_shape(i) for i in made[0] | made[1]} == {_shape(i) for i in seeded[0]}


# -- 6. /_sim/reset ------------------------------------------------------------------------


def test_reset_goes_back_to_the_seed(sim):
    harness = sim.harness
    seeded = sim.listing()
    seeded_ids = sim.ids(seeded)

    changed = list(seeded_ids)
    if harness.sim_delete is not None:
        assert harness.sim_delete(sim.server, harness.secrets, seeded_ids[0]).is_success
        changed.remove(seeded_ids[0])
    created = None
    if harness.sim_create is not None:
        created = harness.sim_create(sim.server, harness.secrets)
        assert created not in seeded_ids
        changed.append(created)
    assert sim.ids() == changed

    assert sim.control("POST", "/clock", json={"advance": 600}).json() == {
        "now": "2026-03-02T09:10:00.000Z"
    }
    sim.control("POST", "/faults", json={"queue": {"kind": "503"}})
    assert sim.listing().status_code == 503
    sim.control("POST", "/faults", json={"retry_after_ms": 1500, "rate_limit_rate": 0.1,
                                         "queue": {"kind": "drop", "count": 2}})
    assert sim.faults()["injected"] == {"503": 1}

    response = sim.control("POST", "/reset")
    assert response.status_code == 200
    info = response.json()
    assert (info["kind"], info["now"]) == (sim.kind, NOW)

    assert faults_shown(sim.faults()) == NO_FAULTS
    assert sim.now() == NOW
    assert sim.server.sim.clock.offset == timedelta(0)
    after = sim.listing()
    assert sim.ids(after) == seeded_ids
    assert after.json() == seeded.json()
    if created is not None:
        # What is created afterwards gets a new id: the reset forgot the meeting, but a
        # client that saw it may not have (a provider never hands out an id twice).
        again = harness.sim_create(sim.server, harness.secrets)
        assert again != created and again not in seeded_ids
