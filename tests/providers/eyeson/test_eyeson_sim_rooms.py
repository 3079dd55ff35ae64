"""The eyeson simulator's meeting lifecycle over a real socket: starting permalinks,
guests, running rooms, idle shutdown, 410 Gone, option gates, seed, faults."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import httpx
import pytest

from meettui.simulators.eyeson.app import GUEST_BEFORE_START_STATUS, IDLE_SHUTDOWN_SECONDS
from meettui.simulators.registry import build

KEY = "demo"
TOKEN = re.compile(r"^[A-Za-z0-9]{24}$")


@pytest.fixture
def eyeson(sim_server, sim_clock):
    return sim_server("eyeson", clock=sim_clock, meetings=8, rooms=1)


def permalink(team, **form) -> dict:
    response = team.post("/permalink", data={"user[name]": "Ann Host", **form})
    assert response.status_code == 201, response.text
    return response.json()


def room(team, **form) -> dict:
    response = team.post("/rooms", data={"user[name]": "Rita Room", **form})
    assert response.status_code == 201, response.text
    return response.json()


# --- permalinks: start, guests ---------------------------------------------------------------


def test_guests_are_refused_until_a_host_starts_the_meeting(team, anon):
    p = permalink(team, name="Advice")
    guest_token, user_token = p["permalink"]["guest_token"], p["permalink"]["user_token"]
    before = anon.post(f"/guests/{guest_token}", data={"name": "Gus"})
    assert before.status_code == GUEST_BEFORE_START_STATUS == 423
    assert "not been started" in before.json()["error"]

    started = anon.post(f"/permalink/{user_token}")
    assert started.status_code == 201
    body = started.json()
    assert body["room"]["id"] == p["permalink"]["id"]
    assert body["room"]["name"] == "Advice"
    assert body["room"]["guest_token"] == guest_token
    assert body["user"]["name"] == "Ann Host" and body["user"]["guest"] is False
    assert TOKEN.match(body["access_key"])
    assert body["links"]["gui"] == f"https://app.eyeson.team/?{body['access_key']}"
    assert body["links"]["guest_join"] == f"https://app.eyeson.team/permalink?guest={guest_token}"
    assert team.get(f"/permalink/{p['permalink']['id']}").json()["room"]["started_at"] == (
        "2026-03-02T09:00:00.000Z")

    after = anon.post(f"/guests/{guest_token}", json={"name": "Gus"})
    assert after.status_code == 201
    assert after.json()["user"]["guest"] is True
    assert after.json()["room"]["id"] == p["permalink"]["id"]


def test_guest_name_is_required_top_level(team, anon):
    p = permalink(team)
    anon.post(f"/permalink/{p['permalink']['user_token']}")
    response = anon.post(f"/guests/{p['permalink']['guest_token']}", data={"user[name]": "x"})
    assert response.status_code == 400 and response.json() == {"error": "name is required"}
    assert anon.post("/guests/unknown", data={"name": "x"}).status_code == 404


def test_a_second_host_joins_the_running_meeting(team, anon):
    p = permalink(team)
    pid = p["permalink"]["id"]
    second = team.post(f"/permalink/{pid}/users", data={"user[name]": "Bo"}).json()
    first = anon.post(f"/permalink/{p['permalink']['user_token']}").json()
    joined = anon.post(f"/permalink/{second['permalink']['user_token']}").json()
    assert joined["room"]["id"] == first["room"]["id"] == pid
    assert joined["room"]["started_at"] == first["room"]["started_at"]
    assert joined["access_key"] != first["access_key"]
    assert joined["user"]["name"] == "Bo"


def test_an_expired_permalink_cannot_be_started(team, anon, sim_clock):
    p = permalink(team, expires_at="2026-03-02T10:00:00Z")
    sim_clock.advance(timedelta(hours=1))
    response = anon.post(f"/permalink/{p['permalink']['user_token']}")
    assert response.status_code == 404
    assert response.json() == {"error": "permalink expired"}
    guest = anon.post(f"/guests/{p['permalink']['guest_token']}", data={"name": "G"})
    assert guest.json() == {"error": "permalink expired"}
    # Still listed (and readable), as the `expired` filter implies.
    assert team.get(f"/permalink/{p['permalink']['id']}").status_code == 200


def test_a_permalink_meeting_can_run_again_after_it_ends(team, anon, sim_clock):
    p = permalink(team)
    start = anon.post(f"/permalink/{p['permalink']['user_token']}").json()
    sim_clock.advance(IDLE_SHUTDOWN_SECONDS + 1)
    assert anon.get(f"/rooms/{start['access_key']}").status_code == 410
    pid = p["permalink"]["id"]
    assert team.get(f"/permalink/{pid}").json()["room"]["started_at"] is None
    guest = anon.post(f"/guests/{p['permalink']['guest_token']}", data={"name": "G"})
    assert guest.status_code == 423
    again = anon.post(f"/permalink/{p['permalink']['user_token']}").json()
    assert again["room"]["id"] == pid
    assert again["room"]["started_at"] == "2026-03-02T09:05:01.000Z"
    # The guest token is the permalink's: it works for every run.
    guest = anon.post(f"/guests/{p['permalink']['guest_token']}", data={"name": "G"})
    assert guest.status_code == 201


def test_deleting_a_running_permalink_ends_its_meeting(team, anon):
    p = permalink(team)
    start = anon.post(f"/permalink/{p['permalink']['user_token']}").json()
    team.delete(f"/permalink/{p['permalink']['id']}")
    assert anon.get(f"/rooms/{start['access_key']}").status_code == 410


# --- running rooms ----------------------------------------------------------------------------


def test_post_rooms_returns_the_room_object(team, sim_clock):
    data = room(team, name="Standup", **{"options[widescreen]": "true"})
    assert {"access_key", "links", "room", "user", "ready", "options", "team", "locked"} <= set(
        data)
    assert set(data["links"]) == {"self", "gui", "guest_join", "websocket"}
    assert set(data["room"]) == {"id", "name", "ready", "started_at", "shutdown", "guest_token"}
    key, guest = data["access_key"], data["room"]["guest_token"]
    assert data["links"] == {
        "self": f"https://api.eyeson.team/rooms/{key}",
        "gui": f"https://app.eyeson.team/?{key}",
        "guest_join": f"https://app.eyeson.team/?guest={guest}",
        "websocket": f"https://api.eyeson.team/rt?access_key={key}",
    }
    assert data["room"]["name"] == "Standup" and data["room"]["shutdown"] is False
    assert data["ready"] is False and data["options"]["widescreen"] is True


def test_rooms_default_to_narrow_video_and_need_a_user_name(team):
    assert room(team)["options"]["widescreen"] is False
    response = team.post("/rooms", json={"name": "x"})
    assert response.status_code == 400 and response.json() == {"error": "user[name] is required"}


def test_ready_flips_after_a_few_seconds(team, anon, sim_clock):
    data = room(team)
    sim_clock.advance(3)
    state = anon.get(f"/rooms/{data['access_key']}").json()
    assert state["ready"] is True and state["room"]["ready"] is True


def test_joining_by_id_lands_in_the_same_room(team):
    first = room(team, id="weekly-sync")
    second = room(team, id="weekly-sync", **{"user[name]": "Sam"})
    assert first["room"]["id"] == second["room"]["id"] == "weekly-sync"
    assert first["access_key"] != second["access_key"]
    assert first["room"]["guest_token"] == second["room"]["guest_token"]


def test_get_rooms_lists_running_meetings_as_room_objects(team, eyeson):
    data = room(team, name="Listed")
    listed = team.get("/rooms").json()
    assert isinstance(listed, list)
    mine = next(r for r in listed if r["id"] == data["room"]["id"])
    # The shape of the `room` in recorded webhook payloads (contracts/eyeson/webhook-fixtures).
    assert set(mine) == {"id", "name", "ready", "started_at", "shutdown", "guest_token"}
    assert len(listed) == len(eyeson.sim.running)


def test_shutdown_then_410_gone(team, anon):
    data = room(team)
    rid, key = data["room"]["id"], data["access_key"]
    assert anon.get(f"/rooms/{key}").status_code == 200
    response = team.delete(f"/rooms/{rid}")
    assert response.status_code == 204
    gone = anon.get(f"/rooms/{key}")
    assert gone.status_code == 410 and gone.json() == {"error": "meeting has ended"}
    guest = anon.post(f"/guests/{data['room']['guest_token']}", data={"name": "Late"})
    assert guest.status_code == 410
    assert team.delete(f"/rooms/{rid}").status_code == 404
    assert rid not in [r["id"] for r in team.get("/rooms").json()]


def test_a_new_meeting_in_the_same_room_gets_a_new_guest_token(team, anon):
    first = room(team, id="clinic")
    team.delete("/rooms/clinic")
    second = room(team, id="clinic")
    assert second["room"]["guest_token"] != first["room"]["guest_token"]
    old = anon.post(f"/guests/{first['room']['guest_token']}", data={"name": "G"})
    assert old.status_code == 410


def test_rooms_nobody_joins_shut_down_after_the_idle_time(team, anon, sim_clock):
    data = room(team)
    sim_clock.advance(IDLE_SHUTDOWN_SECONDS - 1)
    assert data["room"]["id"] in [r["id"] for r in team.get("/rooms").json()]
    sim_clock.advance(2)
    assert data["room"]["id"] not in [r["id"] for r in team.get("/rooms").json()]
    assert anon.get(f"/rooms/{data['access_key']}").status_code == 410


def test_activity_keeps_a_room_alive(team, anon, sim_clock):
    data = room(team)
    for _ in range(3):
        sim_clock.advance(IDLE_SHUTDOWN_SECONDS - 10)
        assert anon.get(f"/rooms/{data['access_key']}").status_code == 200
    sim_clock.advance(IDLE_SHUTDOWN_SECONDS + 1)
    assert anon.get(f"/rooms/{data['access_key']}").status_code == 410


def test_the_idle_time_is_configurable(sim_server, sim_clock):
    server = sim_server("eyeson", clock=sim_clock, meetings=0, idle_shutdown=5)
    with httpx.Client(base_url=server.base_url, headers={"Authorization": KEY}) as team:
        data = room(team)
        sim_clock.advance(6)
        assert team.get(f"/rooms/{data['access_key']}").status_code == 410


def test_seeded_running_meetings_stay_up(team, sim_clock):
    before = {r["id"] for r in team.get("/rooms").json()}
    sim_clock.advance(timedelta(hours=3))
    assert {r["id"] for r in team.get("/rooms").json()} == before


# --- option gates -------------------------------------------------------------------------------


def test_actions_disabled_by_an_option_answer_405(team, anon):
    data = room(team, **{"options[recording_available]": "false",
                         "options[broadcast_available]": "false"})
    key = data["access_key"]
    response = anon.post(f"/rooms/{key}/recording")
    assert response.status_code == 405
    assert response.json() == {"error": "disabled by option recording_available=false"}
    response = anon.post(f"/rooms/{key}/broadcasts", data={"stream_url": "rtmp://x"})
    assert response.status_code == 405
    assert anon.post(f"/rooms/{key}/layout").status_code == 201


def test_recording_and_lock_when_allowed(team, anon):
    data = room(team, **{"options[lock_available]": "true"})
    key = data["access_key"]
    assert anon.post(f"/rooms/{key}/recording").status_code == 201
    assert anon.get(f"/rooms/{key}").json()["recording"] is not None
    assert anon.delete(f"/rooms/{key}/recording").status_code == 200
    assert anon.post(f"/rooms/{key}/lock").status_code == 201
    guest = anon.post(f"/guests/{data['room']['guest_token']}", data={"name": "G"})
    assert guest.status_code == 423 and guest.json() == {"error": "meeting is locked"}


def test_lock_is_403_when_not_allowed(team, anon):
    data = room(team)  # lock_available defaults to false
    assert anon.post(f"/rooms/{data['access_key']}/lock").status_code == 403


def test_a_permalink_meeting_keeps_its_options(team, anon):
    p = permalink(team, **{"options[recording_available]": "false"})
    start = anon.post(f"/permalink/{p['permalink']['user_token']}").json()
    assert start["options"]["recording_available"] is False
    assert anon.post(f"/rooms/{start['access_key']}/recording").status_code == 405


# --- seed, faults, control ------------------------------------------------------------------------


def listing(sim) -> str:
    items = [sim.permalink_json(p) for p in sim.permalinks.values()]
    rooms = [sim.room_summary(m) for m in sim.running.values()]
    return json.dumps([items, rooms], sort_keys=True)


def test_the_seed_is_reproducible_and_realistic(sim_clock):
    a = build("eyeson", seed=3, clock=sim_clock)
    b = build("eyeson", seed=3, clock=sim_clock)
    c = build("eyeson", seed=4, clock=sim_clock)
    assert listing(a) == listing(b) != listing(c)
    now = sim_clock.now()
    perms = list(a.permalinks.values())
    assert len(perms) == 60
    assert any(len(p.hosts) > 1 for p in perms)
    assert any(p.expired(now) for p in perms)
    assert any(p.expires_at and not p.expired(now) for p in perms)
    running_permalinks = [m for m in a.running.values() if m.permalink_id]
    plain_rooms = [m for m in a.running.values() if not m.permalink_id]
    assert 3 <= len(running_permalinks) <= 20 and len(plain_rooms) == 3
    assert all(m.participants for m in a.running.values())
    assert any(p.options.get("recording_available") is False for p in perms)


def test_reset_restores_the_seed(team, eyeson):
    before = listing(eyeson.sim)
    permalink(team)
    assert listing(eyeson.sim) != before
    httpx.post(eyeson.control_url + "/reset")
    assert listing(eyeson.sim) == before
    info = httpx.get(eyeson.control_url).json()
    assert info["kind"] == "eyeson" and info["permalinks"] == 8


def test_faults_apply_with_eyesons_429(team, eyeson):
    eyeson.sim.faults.queue("503")
    eyeson.sim.faults.queue("429")
    assert team.get("/permalink").status_code == 503
    throttled = team.get("/permalink")
    assert throttled.status_code == 429
    assert throttled.headers["Retry-After"] == "1"
    assert throttled.json() == {"error": "Too Many Requests"}
    assert team.get("/permalink").status_code == 200
