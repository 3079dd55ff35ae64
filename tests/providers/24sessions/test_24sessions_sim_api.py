"""The 24sessions simulator over real HTTP, without the client: its token endpoint,
bearer checks, Hydra collections, meetings and their error bodies (research contract
§2, `contracts/README.md`)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from meettui.simulators.base import SimClock

ID, SECRET = "sim-test-client", "sim-test-secret-5e1"


@pytest.fixture
def s24(sim_server, sim_clock):
    return sim_server("24sessions", clock=sim_clock, meetings=45, client_id=ID,
                      client_secret=SECRET, instance="acme")


def get_token(server, prefix: str = "", **overrides: str) -> httpx.Response:
    params = {"client_id": ID, "client_secret": SECRET, "grant_type": "client_credentials",
              **overrides}
    return httpx.get(f"{server.base_url}{prefix}/oauth/v2/token", params=params, timeout=10)


@pytest.fixture
def api(s24) -> Iterator[httpx.Client]:
    token = get_token(s24).json()["access_token"]
    with httpx.Client(base_url=s24.base_url, timeout=10,
                      headers={"Authorization": f"Bearer {token}",
                               "Accept": "application/json"}) as client:
        yield client


def new_meeting(api: httpx.Client, **fields: Any) -> httpx.Response:
    body = {"date": "2026-03-05T10:00:00+01:00", "status": "scheduled",
            "user": "/users/11", "guest": {"name": "Ann Lee", "email": "ann@example.com"},
            "type": "/meeting_types/2", **fields}
    return api.post("/meetings", json=body)


# -- tokens --------------------------------------------------------------------------------


@pytest.mark.parametrize("prefix", ["", "/v1"])
def test_a_token_for_the_right_client_lasts_an_hour(s24, prefix):
    answer = get_token(s24, prefix)
    assert answer.status_code == 200
    body = answer.json()
    assert (body["expires_in"], body["token_type"]) == (3600, "bearer")
    assert len(body["access_token"]) >= 32
    assert s24.sim.token_requests == 1


def test_a_wrong_secret_is_an_rfc6749_invalid_client(s24):
    answer = get_token(s24, client_secret="wrong-secret-123")
    assert answer.status_code == 401
    assert answer.json() == {"error": "invalid_client",
                             "error_description": "The client credentials are invalid"}
    assert SECRET not in answer.text and "wrong-secret-123" not in answer.text


def test_a_token_request_needs_the_client_credentials_grant(s24):
    missing = httpx.get(s24.base_url + "/oauth/v2/token",
                        params={"client_id": ID, "client_secret": SECRET}, timeout=10)
    assert missing.status_code == 400 and missing.json()["error"] == "invalid_request"
    other = get_token(s24, grant_type="password")
    assert other.status_code == 400 and other.json()["error"] == "unsupported_grant_type"


def test_the_api_wants_a_live_bearer_token(s24):
    url = s24.base_url + "/meetings"
    none = httpx.get(url, timeout=10)
    assert none.status_code == 401
    assert none.json()["error"] == "access_denied"
    assert none.headers["www-authenticate"].startswith('Bearer realm="Service"')
    bad = httpx.get(url, headers={"Authorization": "Bearer not-a-token"}, timeout=10)
    assert bad.json() == {"error": "invalid_grant",
                          "error_description": "The access token provided is invalid."}

    token = get_token(s24).json()["access_token"]
    auth = {"Authorization": f"Bearer {token}"}
    assert isinstance(s24.sim.clock, SimClock)
    s24.sim.clock.advance(3599)
    assert httpx.get(url, headers=auth, timeout=10).status_code == 200
    s24.sim.clock.advance(1)
    expired = httpx.get(url, headers=auth, timeout=10)
    assert expired.status_code == 401
    assert expired.json()["error_description"] == "The access token provided has expired."
    assert s24.sim.hits["401 expired"] == 1


# -- Hydra collections ---------------------------------------------------------------------


def test_pages_are_hydra_collections_whatever_the_accept_header(api):
    first = api.get("/meetings", params={"page": 1})
    assert first.headers["content-type"].startswith("application/ld+json")
    body = first.json()
    assert body["@type"] == "hydra:Collection" and body["@id"] == "/meetings?page=1"
    assert body["hydra:totalItems"] == 45 and len(body["hydra:member"]) == 30
    assert body["hydra:view"]["hydra:next"] == "/meetings?page=2"
    assert body["hydra:view"]["hydra:last"] == body["hydra:lastPage"] == "/meetings?page=2"
    assert body["@id"] != body["hydra:lastPage"]

    last = api.get("/meetings", params={"page": 2}).json()
    assert last["@id"] == last["hydra:lastPage"]  # where the working script stops
    assert "hydra:next" not in last["hydra:view"]
    assert len(last["hydra:member"]) == 15
    ids = [m["id"] for m in body["hydra:member"] + last["hydra:member"]]
    assert len(set(ids)) == 45 and all(isinstance(i, int) for i in ids)


def test_items_per_page_is_kept_in_every_iri_and_clamped(api):
    body = api.get("/meetings", params={"page": 3, "itemsPerPage": 10}).json()
    assert body["@id"] == "/meetings?itemsPerPage=10&page=3"
    assert body["hydra:view"]["hydra:next"] == "/meetings?itemsPerPage=10&page=4"
    assert body["hydra:lastPage"] == "/meetings?itemsPerPage=10&page=5"
    assert len(api.get("/meetings", params={"itemsPerPage": 1000}).json()["hydra:member"]) == 45
    bad = api.get("/meetings", params={"page": 0})
    assert bad.status_code == 400 and bad.json()["@type"] == "hydra:Error"


def test_the_seed_has_every_status_and_resolvable_relations(api):
    members = api.get("/meetings", params={"itemsPerPage": 100}).json()["hydra:member"]
    assert {m["status"] for m in members} == {"scheduled", "completed", "missed",
                                              "canceled_user", "canceled_guest"}
    assert all(m["cancellationReason"] for m in members if m["status"].startswith("cancel"))
    first = members[0]
    assert first["user"].startswith("/users/") and first["type"].startswith("/meeting_types/")
    user = api.get(first["user"]).json()
    kind = api.get(first["type"]).json()
    assert user["@id"] == first["user"] and " " in user["name"]
    assert kind["@id"] == first["type"] and kind["duration"] in (15, 30, 45, 60)
    assert len({m["accessKey"] for m in members}) == 45


def test_embedded_relations_on_request(sim_server, sim_clock):
    server = sim_server("24sessions", clock=sim_clock, meetings=3, embed=True)
    token = get_token_for(server)
    item = httpx.get(server.base_url + "/meetings", timeout=10,
                     headers={"Authorization": f"Bearer {token}"}).json()["hydra:member"][0]
    assert item["user"]["@id"].startswith("/users/") and item["user"]["name"]
    assert item["type"]["@type"] == "MeetingType" and item["type"]["duration"] > 0


def get_token_for(server) -> str:
    params = {"client_id": "demo-client", "client_secret": "demo-secret",
              "grant_type": "client_credentials"}
    token: str = httpx.get(server.base_url + "/oauth/v2/token", params=params,
                           timeout=10).json()["access_token"]
    return token


# -- meetings ------------------------------------------------------------------------------


def test_create_read_reschedule_cancel_delete(api):
    created = new_meeting(api, type={"@id": "/meeting_types/3"}, description="Loan")
    assert created.status_code == 201
    meeting = created.json()
    mid = meeting["id"]
    assert meeting["@id"] == f"/meetings/{mid}" and meeting["accessKey"]
    assert meeting["date"] == "2026-03-05T09:00:00+00:00"  # kept as the same instant
    assert meeting["type"] == "/meeting_types/3" and meeting["status"] == "scheduled"

    moved = api.put(f"/meetings/{mid}", json={"date": "2026-03-06T09:00:00Z",
                                              "reschedulingReason": "Advisor is ill"})
    assert moved.status_code == 200
    assert moved.json()["reschedulingReason"] == "Advisor is ill"
    assert moved.json()["description"] == "Loan"  # what was not sent stays

    cancelled = api.put(f"/meetings/{mid}", json={"status": "canceled_guest",
                                                  "cancellationReason": "No longer needed"})
    assert cancelled.json()["status"] == "canceled_guest"
    members = api.get("/meetings", params={"itemsPerPage": 100}).json()["hydra:member"]
    assert [m["status"] for m in members if m["id"] == mid] == ["canceled_guest"]
    refused = api.put(f"/meetings/{mid}", json={"date": "2026-03-07T09:00:00Z"})
    assert refused.status_code == 400
    assert refused.json()["violations"][0]["propertyPath"] == "date"

    assert api.delete(f"/meetings/{mid}").status_code == 204
    gone = api.get(f"/meetings/{mid}")
    assert gone.status_code == 404
    assert gone.json()["hydra:description"] == "Not Found"
    assert api.delete(f"/meetings/{mid}").status_code == 404


@pytest.mark.parametrize(("fields", "status", "expect"), [
    ({"date": None}, 400, ("violations", "date")),
    ({"date": "soon"}, 400, ("hydra:description", "Failed to parse time string (soon)")),
    ({"user": "/users/999"}, 400, ("hydra:description", 'Item not found for "/users/999".')),
    ({"user": "someone"}, 400, ("hydra:description", 'Invalid IRI "someone".')),
    ({"status": "postponed"}, 400, ("violations", "status")),
    ({"guest": {"name": "Ann"}}, 400, ("violations", "guest.email")),
    ({"guest": {"name": "Ann", "email": "nope"}}, 400, ("violations", "guest.email")),
])
def test_invalid_input_is_an_api_platform_400(api, fields, status, expect):
    answer = new_meeting(api, **fields)
    assert answer.status_code == status
    body = answer.json()
    assert body["hydra:title"] == "An error occurred"
    key, value = expect
    if key == "violations":
        assert body["violations"][0]["propertyPath"] == value
        assert body["hydra:description"].startswith(f"{value}: ")
    else:
        assert value in body[key]
    assert api.get("/meetings").json()["hydra:totalItems"] == 45  # nothing was created


def test_ids_and_access_keys_are_unique_and_new_ones_follow_the_seed(api, s24):
    seeded = {m["id"] for m in api.get("/meetings", params={"itemsPerPage": 100})
              .json()["hydra:member"]}
    made = [new_meeting(api).json() for _ in range(3)]
    assert len({m["id"] for m in made} | seeded) == 48
    assert min(m["id"] for m in made) > max(seeded)  # numeric ids grow, never reused
    assert len({m["accessKey"] for m in made}) == 3
    assert s24.sim.hits == Counter({"GET /meetings": 1, "POST /meetings": 3})
