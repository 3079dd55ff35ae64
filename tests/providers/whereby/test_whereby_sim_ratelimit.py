"""Whereby's points budget: GET 1, DELETE 2, POST 3 per 60-second window, 429 when spent."""

from __future__ import annotations

from email.utils import parsedate_to_datetime

import pytest

from meettui.simulators.whereby.app import THROTTLED

LATER = "2026-03-02T10:00:00Z"


@pytest.fixture
def limited(sim_server, sim_clock):
    """A Whereby simulator with a 10-point budget."""
    return sim_server("whereby", clock=sim_clock, rate_limit=10, meetings=3)


@pytest.fixture
def client(limited, make_client):
    return make_client(limited)


def test_headers_count_down_and_429_when_spent(client, sim_clock):
    for spent in range(1, 11):
        response = client.get("/meetings")
        assert response.status_code == 200
        assert response.headers["x-ratelimit-limit"] == "10"
        assert response.headers["x-ratelimit-remaining"] == str(10 - spent)
        reset = parsedate_to_datetime(response.headers["x-ratelimit-reset"])
        assert (reset - sim_clock.now()).total_seconds() == 60

    throttled = client.get("/meetings")
    assert throttled.status_code == 429
    assert throttled.headers["retry-after"] == "60"
    assert throttled.headers["x-ratelimit-remaining"] == "0"
    assert throttled.json() == {"error": THROTTLED, "data": {"msLeft": 60_000}}
    assert THROTTLED == "Rate limit active for throttle key: organization:1"


def test_retry_after_shrinks_with_the_window_and_never_drops_below_one(client, sim_clock):
    for _ in range(10):
        client.get("/meetings")
    sim_clock.advance(30.5)
    response = client.get("/meetings")
    assert (response.headers["retry-after"], response.json()["data"]["msLeft"]) == ("30", 29_500)
    sim_clock.advance(29.4999)
    response = client.get("/meetings")
    assert response.status_code == 429
    assert (response.headers["retry-after"], response.json()["data"]["msLeft"]) == ("1", 1)


def test_the_budget_recovers_after_the_window(client, sim_clock):
    for _ in range(10):
        client.get("/meetings")
    assert client.get("/meetings").status_code == 429
    sim_clock.advance(60)
    response = client.get("/meetings")
    assert response.status_code == 200
    assert response.headers["x-ratelimit-remaining"] == "9"


def test_costs_by_method(client, limited):
    assert client.post("/meetings", json={"endDate": LATER}).headers["x-ratelimit-remaining"] == "7"
    assert client.delete("/meetings/x").headers["x-ratelimit-remaining"] == "5"
    assert client.get("/meetings/x").headers["x-ratelimit-remaining"] == "4"
    assert client.post("/meetings", json={"endDate": LATER}).headers["x-ratelimit-remaining"] == "1"
    # 1 point left: a POST (3) or DELETE (2) is refused and costs nothing, a GET (1) passes.
    before = len(limited.sim.rooms)
    assert client.post("/meetings", json={"endDate": LATER}).status_code == 429
    assert len(limited.sim.rooms) == before
    assert client.delete("/meetings/x").status_code == 429
    last = client.get("/meetings/x")
    assert (last.status_code, last.headers["x-ratelimit-remaining"]) == (404, "0")


def test_unauthenticated_requests_cost_nothing(limited, make_client):
    anonymous = make_client(limited, api_key=None)
    for _ in range(20):
        assert anonymous.get("/meetings").status_code == 401
    response = make_client(limited).get("/meetings")
    assert response.headers["x-ratelimit-remaining"] == "9"


def test_the_default_budget_is_100_points(sim_server, sim_clock, make_client):
    server = sim_server("whereby", clock=sim_clock, meetings=1)
    assert make_client(server).get("/meetings").headers["x-ratelimit-limit"] == "100"


def test_forced_429_uses_the_same_shape(limited, client):
    limited.sim.faults.queue("429")
    response = client.get("/meetings")
    assert response.status_code == 429
    assert response.json() == {"error": THROTTLED, "data": {"msLeft": 60_000}}
    assert response.headers["retry-after"] == "60"
    rate_headers = {"x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset"}
    assert rate_headers <= set(response.headers)
    # It was answered in front of the API: no points spent, nothing else changed.
    assert client.get("/meetings").headers["x-ratelimit-remaining"] == "9"


def test_forced_429_can_announce_a_short_wait(limited, client):
    limited.sim.faults.update(retry_after_ms=1500)
    limited.sim.faults.queue("429")
    response = client.get("/meetings")
    assert (response.headers["retry-after"], response.json()["data"]["msLeft"]) == ("2", 1500)
