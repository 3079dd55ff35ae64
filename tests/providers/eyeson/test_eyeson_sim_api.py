"""The eyeson simulator's permalink API, over a real socket: auth, bodies, CRUD, paging."""

from __future__ import annotations

import re
from datetime import timedelta

import httpx
import pytest

from meettui.simulators.eyeson.app import EyesonSimulator

NOW = "2026-03-02T09:00:00.000Z"  # SIM_NOW in tests/conftest.py, as the API prints it
TOKEN = re.compile(r"^[A-Za-z0-9]{24}$")
OBJECT_ID = re.compile(r"^[0-9a-f]{24}$")
KEY = "demo"


@pytest.fixture
def eyeson(sim_server, sim_clock):
    return sim_server("eyeson", clock=sim_clock, meetings=12)


def create(team, **form) -> dict:
    response = team.post("/permalink", data={"user[name]": "Ann Host", **form})
    assert response.status_code == 201, response.text
    return response.json()


# --- auth -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path"),
    [("GET", "/permalink"), ("POST", "/permalink"), ("GET", "/permalink/x"),
     ("PUT", "/permalink/x"), ("DELETE", "/permalink/x"), ("POST", "/permalink/x/users"),
     ("DELETE", "/permalink/x/users/y"), ("GET", "/rooms"), ("POST", "/rooms"),
     ("DELETE", "/rooms/x")],
)
@pytest.mark.parametrize("header", [None, "wrong", "Bearer demo", "DEMO", "demo2"])
def test_team_calls_need_the_raw_key(anon, method, path, header):
    headers = {"Authorization": header} if header is not None else {}
    response = anon.request(method, path, headers=headers, data={"user[name]": "x"})
    assert response.status_code == 401
    assert response.json() == {"error": "unauthorized"}


def test_the_raw_key_is_accepted_and_configurable(sim_server, sim_clock):
    server = sim_server("eyeson", clock=sim_clock, meetings=1, api_key="s3cret-key")
    ok = httpx.get(server.base_url + "/permalink", headers={"Authorization": "s3cret-key"})
    assert ok.status_code == 200
    bad = httpx.get(server.base_url + "/permalink", headers={"Authorization": "demo"})
    assert bad.status_code == 401
    assert "no 'Bearer'" not in server.sim.describe_credentials()
    assert "without 'Bearer'" in server.sim.describe_credentials()


def test_user_level_calls_need_no_header_and_headers_sent_there_are_counted(team, anon, eyeson):
    p = create(team)
    assert anon.post(f"/permalink/{p['permalink']['user_token']}").status_code == 201
    assert eyeson.sim.user_calls_with_key == 0
    response = team.post(f"/guests/{p['permalink']['guest_token']}", data={"name": "Gus"})
    assert response.status_code == 201
    assert eyeson.sim.user_calls_with_key == 1


# --- bodies -------------------------------------------------------------------------------


def test_form_and_json_bodies_give_the_same_permalink(team):
    form = create(team, name="Talk", expires_at="2026-04-01T10:00:00Z",
                  **{"options[recording_available]": "false", "options[widescreen]": "false",
                     "options[exit_url]": "https://example.org/bye",
                     "options[custom_fields][locale]": "de"})
    response = team.post("/permalink", json={
        "user": {"name": "Ann Host"}, "name": "Talk", "expires_at": "2026-04-01T10:00:00Z",
        "options": {"recording_available": False, "widescreen": "false",
                    "exit_url": "https://example.org/bye", "custom_fields": {"locale": "de"}},
    })
    assert response.status_code == 201, response.text
    as_json = response.json()
    for data in (form, as_json):
        assert data["room"]["name"] == "Talk"
        assert data["permalink"]["expires_at"] == "2026-04-01T10:00:00.000Z"
        assert data["options"]["recording_available"] is False
        assert data["options"]["widescreen"] is False
        assert data["options"]["exit_url"] == "https://example.org/bye"
        assert data["options"]["custom_fields"] == {"locale": "de"}
        assert data["user"]["name"] == "Ann Host"
    assert form["options"] == as_json["options"]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"name": "no host"}, "user[name] is required"),
        ({"user[name]": "  "}, "user[name] is required"),
        ({"user[name]": "A", "options[recording_available]": "maybe"},
         "options[recording_available] must be true or false"),
        ({"user[name]": "A", "options[exit_url]": "javascript:alert(1)"},
         "options[exit_url] must be an http(s) URL"),
        ({"user[name]": "A", "options[sfu_mode]": "mesh"}, "options[sfu_mode] must be one of"),
        ({"user[name]": "A", "expires_at": "tomorrow"}, "expires_at must be an ISO 8601"),
        ({"user[name]": "A", "expires_at": "2026-03-01T00:00:00Z"}, "must be in the future"),
        ({"user[name]": "A", "user[name][x]": "B"}, "clashes"),
    ],
)
def test_bad_input_is_400_naming_the_parameter(team, body, message):
    response = team.post("/permalink", data=body)
    assert response.status_code == 400
    assert message in response.json()["error"]


def test_bad_json_bodies_are_400(team):
    headers = {"Content-Type": "application/json"}
    assert team.post("/permalink", content=b"{nope", headers=headers).status_code == 400
    assert team.post("/permalink", content=b"[1]", headers=headers).json() == {
        "error": "the request body must be a JSON object"}
    response = team.post("/permalink", content=b"x", headers={"Content-Type": "text/plain"})
    assert response.status_code == 415


def test_unknown_options_are_ignored_not_echoed(team):
    data = create(team, **{"options[teleport]": "true"})
    assert "teleport" not in data["options"]


# --- the permalink object ----------------------------------------------------------------


def test_create_returns_the_documented_permalink_object(team, eyeson):
    data = create(team, name="Advisory call")
    assert set(data) == {"permalink", "room", "team", "user", "users", "options", "links"}
    p = data["permalink"]
    assert set(p) == {"id", "created_at", "user_token", "guest_token", "expires_at"}
    assert OBJECT_ID.match(p["id"]) and TOKEN.match(p["user_token"])
    assert TOKEN.match(p["guest_token"])
    assert p["created_at"] == NOW and p["expires_at"] is None
    assert data["room"] == {"id": p["id"], "name": "Advisory call", "started_at": None}
    assert data["team"] == {"name": "meettui demo"}
    assert data["user"]["name"] == "Ann Host" and data["user"]["guest"] is False
    assert data["links"] == {
        "self": f"https://api.eyeson.team/permalink/{p['id']}",
        "gui": f"https://app.eyeson.team/permalink?{p['user_token']}",
        "guest_join": f"https://app.eyeson.team/permalink?guest={p['guest_token']}",
    }
    # Defaults: the permalink page's widescreen=true; the rest as in the examples.
    assert data["options"]["widescreen"] is True
    assert data["options"]["recording_available"] is True
    assert data["options"]["sfu_mode"] == "ptp"


def test_room_name_defaults_to_the_host_name(team):
    assert create(team)["room"]["name"] == "Ann Host"


def test_no_guest_link_when_guest_tokens_are_off(team, anon):
    data = create(team, **{"options[guest_token_available]": "false"})
    assert data["permalink"]["guest_token"] is None
    assert data["links"]["guest_join"] is None


def test_get_put_delete(team, anon):
    data = create(team, name="Before", **{"options[broadcast_available]": "false"})
    pid = data["permalink"]["id"]
    assert team.get(f"/permalink/{pid}").json() == data
    response = team.put(f"/permalink/{pid}", data={"name": "After"})
    assert response.status_code == 200
    assert response.json()["room"]["name"] == "After"
    assert response.json()["options"]["broadcast_available"] is False  # partial update
    response = team.put(f"/permalink/{pid}", json={
        "options": {"recording_available": False}, "expires_at": "2026-05-01T00:00:00Z"})
    after = response.json()
    assert after["options"]["recording_available"] is False
    assert after["options"]["broadcast_available"] is False
    assert after["permalink"]["expires_at"] == "2026-05-01T00:00:00.000Z"
    assert after["permalink"]["guest_token"] == data["permalink"]["guest_token"]
    response = team.delete(f"/permalink/{pid}")
    assert response.status_code == 200 and response.content == b""
    assert team.get(f"/permalink/{pid}").status_code == 404
    assert team.put(f"/permalink/{pid}", data={"name": "x"}).status_code == 404
    assert team.delete(f"/permalink/{pid}").json() == {"error": "not found"}
    # Every token dies with it.
    assert anon.post(f"/permalink/{data['permalink']['user_token']}").status_code == 404
    guest = anon.post(f"/guests/{data['permalink']['guest_token']}", data={"name": "G"})
    assert guest.status_code == 404


# --- paging -----------------------------------------------------------------------------


def walk(team, limit: int, **params) -> list[dict]:
    items, page = [], 1
    while True:
        body = team.get("/permalink", params={"page": page, "limit": limit, **params}).json()
        assert set(body) == {"page", "limit", "total", "items"}
        assert body["page"] == page and body["limit"] == limit
        items += body["items"]
        if page * limit >= body["total"]:
            assert len(items) == body["total"]
            return items
        page += 1


def test_pages_cover_every_permalink_once_in_creation_order(team, eyeson):
    items = walk(team, 5)
    ids = [i["permalink"]["id"] for i in items]
    assert len(ids) == len(set(ids)) == 12
    assert ids == list(eyeson.sim.permalinks)
    created = [i["permalink"]["created_at"] for i in items]
    assert created == sorted(created)


def test_defaults_and_limits(team):
    body = team.get("/permalink").json()
    assert (body["page"], body["limit"], body["total"]) == (1, 25, 12)
    assert team.get("/permalink", params={"limit": 1000}).json()["limit"] == 100
    assert team.get("/permalink", params={"page": 9}).json()["items"] == []
    for bad in ({"page": 0}, {"page": "x"}, {"limit": -1}, {"expired": "maybe"}):
        response = team.get("/permalink", params=bad)
        assert response.status_code == 400, bad


def test_the_expired_filter_splits_the_list(team, sim_clock):
    create(team, expires_at="2026-03-02T10:00:00Z")
    every = walk(team, 100)
    expired = walk(team, 100, expired="true")
    alive = walk(team, 100, expired="false")
    assert len(expired) + len(alive) == len(every)
    sim_clock.advance(timedelta(hours=2))
    assert len(walk(team, 100, expired="true")) == len(expired) + 1


# --- hosts ------------------------------------------------------------------------------


def test_every_host_has_an_own_token_and_link(team, anon):
    data = create(team)
    pid, first = data["permalink"]["id"], data["permalink"]["user_token"]
    response = team.post(f"/permalink/{pid}/users", data={"user[name]": "Bo Second"})
    assert response.status_code == 201
    added = response.json()
    second = added["permalink"]["user_token"]
    assert second != first and TOKEN.match(second)
    assert added["user"]["name"] == "Bo Second"
    assert added["links"]["gui"] == f"https://app.eyeson.team/permalink?{second}"
    assert [(u["name"], u["user_token"]) for u in added["users"]] == [
        ("Ann Host", first), ("Bo Second", second)]
    # GET shows the first host as the permalink's user again.
    assert team.get(f"/permalink/{pid}").json()["permalink"]["user_token"] == first
    assert anon.post(f"/permalink/{second}").status_code == 201


def test_a_removed_host_token_stops_working(team, anon):
    data = create(team)
    pid = data["permalink"]["id"]
    second = team.post(f"/permalink/{pid}/users", json={"user": {"name": "Bo"}}).json()
    token = second["permalink"]["user_token"]
    response = team.delete(f"/permalink/{pid}/users/{token}")
    assert response.status_code == 200 and response.content == b""
    assert anon.post(f"/permalink/{token}").status_code == 404
    assert team.delete(f"/permalink/{pid}/users/{token}").status_code == 404
    assert [u["name"] for u in team.get(f"/permalink/{pid}").json()["users"]] == ["Ann Host"]


def test_the_last_host_cannot_be_removed(team):
    data = create(team)
    pid, token = data["permalink"]["id"], data["permalink"]["user_token"]
    response = team.delete(f"/permalink/{pid}/users/{token}")
    assert response.status_code == 400
    assert response.json() == {"error": "a permalink needs at least one host"}


def test_host_tokens_belong_to_their_permalink(team):
    a, b = create(team), create(team)
    response = team.delete(
        f"/permalink/{a['permalink']['id']}/users/{b['permalink']['user_token']}")
    assert response.status_code == 404


def test_unknown_routes_and_methods_answer_json(team):
    assert team.get("/nope").json() == {"error": "Not Found"}
    response = team.patch("/permalink")
    assert response.status_code == 405 and "error" in response.json()


def test_simulator_options_go_through_the_registry(sim_clock):
    from meettui.simulators.registry import build

    sim = build("eyeson", clock=sim_clock, meetings=3, rooms=0, idle_shutdown=30,
                ready_after=0, team="Acme", permalink_widescreen=False)
    assert isinstance(sim, EyesonSimulator)
    assert (len(sim.permalinks), sim.idle_shutdown.total_seconds(), sim.team) == (3, 30.0, "Acme")
    with pytest.raises(ValueError):
        build("eyeson", idle_shutdown=0)
