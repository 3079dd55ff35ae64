"""Fault injection, as an httpx client over a real socket experiences it."""

from __future__ import annotations

import json
import time

import httpx
import pytest

from meettui.simulators.faults import FAULT_KINDS, Faults

LATER = "2026-03-02T10:00:00Z"


# --- the Faults object -------------------------------------------------------------------


def draws(faults: Faults, n: int) -> list[str | None]:
    return [faults.next_fault() for _ in range(n)]


def test_the_same_seed_gives_the_same_faults():
    settings = {"error_rate": 0.2, "rate_limit_rate": 0.1, "malformed_rate": 0.1, "drop_rate": 0.1}
    first = draws(Faults(seed=7, **settings), 200)
    assert first == draws(Faults(seed=7, **settings), 200)
    assert first != draws(Faults(seed=8, **settings), 200)
    assert set(first) == {None, *FAULT_KINDS}


def test_rates_are_roughly_respected():
    sample = draws(Faults(seed=3, error_rate=0.25), 4000)
    errors = sum(kind in ("500", "503") for kind in sample)
    assert 850 < errors < 1150
    assert {kind for kind in sample if kind} == {"500", "503"}


def test_queued_faults_come_first_in_order_then_nothing():
    faults = Faults()
    faults.queue("503", count=2)
    faults.queue("drop")
    assert faults.pending() == ["503", "503", "drop"]
    assert draws(faults, 5) == ["503", "503", "drop", None, None]
    assert faults.injected == {"503": 2, "drop": 1}


@pytest.mark.parametrize(
    "settings",
    [
        {"error_rate": 1.5},
        {"drop_rate": -0.1},
        {"latency": -1},
        {"error_rate": 0.6, "drop_rate": 0.6},
    ],
)
def test_impossible_settings_are_refused(settings):
    with pytest.raises(ValueError):
        Faults(**settings)
    faults = Faults()
    with pytest.raises(ValueError):
        faults.update(**settings)
    assert faults.to_dict()["error_rate"] == 0.0  # a refused update changes nothing


def test_unknown_kinds_and_settings_are_refused():
    faults = Faults()
    with pytest.raises(ValueError):
        faults.queue("418")
    with pytest.raises(ValueError):
        faults.queue("503", count=0)
    with pytest.raises(ValueError):
        faults.update(jitter=1)
    with pytest.raises(ValueError):
        faults.update(error_rate="high")


def test_reset_clears_everything_and_restarts_the_sequence():
    faults = Faults(seed=5, error_rate=0.5)
    first = draws(faults, 10)
    faults.queue("drop")
    faults.reset()
    assert faults.pending() == [] and faults.error_rate == 0 and not faults.injected
    faults.update(error_rate=0.5)
    assert draws(faults, 10) == first


# --- over the wire ------------------------------------------------------------------------


def test_queued_503_then_recovery(whereby_server, api):
    whereby_server.sim.faults.queue("503", count=2)
    first, second, third = (api.get("/meetings", params={"limit": 1}) for _ in range(3))
    assert (first.status_code, second.status_code, third.status_code) == (503, 503, 200)
    assert first.headers["content-type"].startswith("text/html")  # a gateway's page, not JSON
    with pytest.raises(json.JSONDecodeError):
        first.json()


def test_queued_500_is_json(whereby_server, api):
    whereby_server.sim.faults.queue("500")
    response = api.get("/meetings")
    assert response.status_code == 500
    assert response.json() == {"error": "Internal Server Error"}


def test_errors_happen_before_the_api_so_nothing_is_created(whereby_server, api):
    before = len(whereby_server.sim.rooms)
    whereby_server.sim.faults.queue("503")
    assert api.post("/meetings", json={"endDate": LATER}).status_code == 503
    assert len(whereby_server.sim.rooms) == before


def test_malformed_json(whereby_server, api):
    whereby_server.sim.faults.queue("malformed")
    response = api.get("/meetings")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    with pytest.raises(json.JSONDecodeError):
        response.json()
    assert api.get("/meetings").json()["results"]  # the next answer is whole again


def test_malformed_empty_answers_still_break(whereby_server, api):
    whereby_server.sim.faults.queue("malformed")
    response = api.delete("/meetings/x")
    with pytest.raises(json.JSONDecodeError):
        response.json()


def test_dropped_connection_is_a_transport_error(whereby_server, api):
    whereby_server.sim.faults.queue("drop")
    with pytest.raises(httpx.TransportError) as caught:
        api.get("/meetings")
    assert isinstance(caught.value, httpx.RemoteProtocolError | httpx.ReadError)
    assert api.get("/meetings").status_code == 200  # the server itself is fine


def test_a_dropped_create_still_created_the_room(whereby_server, api):
    before = len(whereby_server.sim.rooms)
    whereby_server.sim.faults.queue("drop")
    with pytest.raises(httpx.TransportError):
        api.post("/meetings", json={"endDate": LATER})
    assert len(whereby_server.sim.rooms) == before + 1


async def test_dropped_connection_with_the_async_client(whereby_server):
    whereby_server.sim.faults.queue("drop")
    headers = {"Authorization": "Bearer demo"}
    async with httpx.AsyncClient(base_url=whereby_server.base_url, headers=headers) as client:
        with pytest.raises(httpx.TransportError):
            await client.get("/meetings")
        assert (await client.get("/meetings")).status_code == 200


def test_latency_is_added(whereby_server, api):
    def timed() -> float:
        start = time.perf_counter()
        assert api.get("/meetings", params={"limit": 1}).status_code == 200
        return time.perf_counter() - start

    baseline = timed()
    whereby_server.sim.faults.update(latency=0.3)
    slow = timed()
    assert slow >= 0.3
    assert slow > baseline
    with pytest.raises(httpx.ReadTimeout):
        api.get("/meetings", timeout=0.05)


def test_random_faults_over_http_follow_the_seed(sim_server, sim_clock, make_client):
    def statuses(seed: int) -> list[int]:
        faults = Faults(seed=seed, error_rate=0.5)
        server = sim_server("whereby", clock=sim_clock, meetings=5, faults=faults, rate_limit=1000)
        client = make_client(server)
        return [client.get("/meetings").status_code for _ in range(30)]

    first = statuses(11)
    assert first == statuses(11)
    assert set(first) == {200, 500, 503}
    expected = [
        {None: 200, "500": 500, "503": 503}[k] for k in draws(Faults(seed=11, error_rate=0.5), 30)
    ]
    assert first == expected


def test_replacing_the_faults_object_takes_effect(whereby_server, api):
    whereby_server.sim.faults = Faults(error_rate=1.0)
    assert api.get("/meetings").status_code in (500, 503)
    whereby_server.sim.faults = Faults()
    assert api.get("/meetings").status_code == 200
