"""The Whereby simulator's /v1/meetings contract, exercised over a real socket."""

from __future__ import annotations

import base64
import json
import re
from datetime import timedelta

import pytest

from meettui.simulators.whereby.app import HUMAN_SHORT_ALPHABET

NOW = "2026-03-02T09:00:00.000Z"  # SIM_NOW in tests/conftest.py, as the API prints it
LATER = "2026-03-02T10:00:00Z"
UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"


def create(api, **body):
    return api.post("/meetings", json={"endDate": LATER, **body})


def all_pages(api, limit: int, **params) -> tuple[list[dict], list[str | None]]:
    results, cursors, cursor = [], [], None
    while True:
        query = {"limit": limit, **params, **({"cursor": cursor} if cursor else {})}
        response = api.get("/meetings", params=query)
        assert response.status_code == 200, response.text
        page = response.json()
        assert set(page) == {"results", "cursor"}
        results += page["results"]
        cursors.append(page["cursor"])
        cursor = page["cursor"]
        if cursor is None:
            return results, cursors
        assert len(cursors) < 1000, "the cursor never ends"


# --- auth -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/meetings"),
        ("POST", "/meetings"),
        ("GET", "/meetings/x"),
        ("DELETE", "/meetings/x"),
    ],
)
@pytest.mark.parametrize("api_key", [None, "wrong", "demo2", "DEMO"])
def test_requests_without_a_valid_bearer_key_get_401(
    whereby_server, make_client, method, path, api_key
):
    client = make_client(whereby_server, api_key=api_key)
    response = client.request(method, path, json={"endDate": LATER})
    assert response.status_code == 401
    assert response.json() == {"error": "Access token is missing or invalid"}


def test_other_schemes_are_refused_and_the_scheme_is_case_insensitive(whereby_server, make_client):
    client = make_client(whereby_server, api_key=None)
    assert client.get("/meetings", headers={"Authorization": "Basic demo"}).status_code == 401
    assert client.get("/meetings", headers={"Authorization": "demo"}).status_code == 401
    assert client.get("/meetings", headers={"Authorization": "bearer demo"}).status_code == 200


def test_the_api_key_is_configurable(sim_server, sim_clock, make_client):
    server = sim_server("whereby", clock=sim_clock, api_key="s3cret", meetings=2)
    assert make_client(server, api_key="demo").get("/meetings").status_code == 401
    assert make_client(server, api_key="s3cret").get("/meetings").status_code == 200
    assert "s3cret" in server.sim.describe_credentials()


# --- create: accepted input -----------------------------------------------------------------


def test_create_returns_201_and_the_meeting_object(api, whereby_server):
    response = create(api)
    assert response.status_code == 201
    meeting = response.json()
    assert set(meeting) == {"meetingId", "roomName", "roomUrl", "startDate", "endDate"}
    assert re.fullmatch(r"/" + UUID, meeting["roomName"])
    assert meeting["roomUrl"] == "https://meettui-demo.whereby.com" + meeting["roomName"]
    assert meeting["startDate"] == NOW
    assert meeting["endDate"] == "2026-03-02T10:00:00.000Z"
    room = whereby_server.sim.rooms[meeting["meetingId"]]
    assert (room.room_mode, room.is_locked, room.template_type) == ("normal", False, None)


@pytest.mark.parametrize(
    ("sent", "returned"),
    [
        ("2026-03-02T10:00:00-05:00", "2026-03-02T15:00:00.000Z"),
        ("2026-03-02T12:30:00+02:30", "2026-03-02T10:00:00.000Z"),
        ("2026-03-02T10:00:00", "2026-03-02T10:00:00.000Z"),  # no offset: UTC
        ("2026-03-02T10:00:00.123456+01:00", "2026-03-02T09:00:00.123Z"),
        ("2026-03-02t10:00:00z", "2026-03-02T10:00:00.000Z"),
        ("2026-03-02T09:00:00Z", NOW),  # exactly now is allowed
    ],
)
def test_end_dates_are_normalised_to_utc(api, sent, returned):
    response = api.post("/meetings", json={"endDate": sent})
    assert response.status_code == 201, response.text
    assert response.json()["endDate"] == returned


def test_start_date_is_accepted_and_ignored(api):
    response = create(api, startDate="2030-01-01T00:00:00Z")
    assert response.status_code == 201
    assert response.json()["startDate"] == NOW


def test_the_start_date_is_the_request_time(api, sim_clock):
    sim_clock.advance(90.5)
    assert create(api).json()["startDate"] == "2026-03-02T09:01:30.500Z"


@pytest.mark.parametrize(
    ("prefix", "expected"),
    [
        ("Customer0348-", "customer0348-"),
        ("  Support Team\t", "supportteam"),
        ("EXAMPLE-prefix", "example-prefix"),
        ("a" * 39 + "  ", "a" * 39),
        ("", ""),
    ],
)
def test_room_name_prefix_is_normalised_and_joined_without_separator(api, prefix, expected):
    meeting = create(api, roomNamePrefix=prefix).json()
    assert re.fullmatch("/" + re.escape(expected) + UUID, meeting["roomName"]), meeting
    assert meeting["roomUrl"].endswith("/" + expected + meeting["roomName"][1 + len(expected) :])


def test_human_short_names_are_six_distinguishable_characters(api):
    body = {"roomNamePattern": "human-short", "roomNamePrefix": "desk-"}
    names = {create(api, **body).json()["roomName"] for _ in range(20)}
    assert len(names) == 20
    for name in names:
        assert re.fullmatch(f"/desk-[{HUMAN_SHORT_ALPHABET}]{{6}}", name), name
        assert not set(name[6:]) & set("0o1li")


def test_room_mode_and_lock_are_stored(api, whereby_server):
    meeting = create(api, roomMode="group", isLocked=True).json()
    room = whereby_server.sim.rooms[meeting["meetingId"]]
    assert (room.room_mode, room.is_locked) == ("group", True)


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        (None, set()),
        ([], set()),
        (["hostRoomUrl"], {"hostRoomUrl"}),
        (["viewerRoomUrl"], {"viewerRoomUrl"}),
        (["hostRoomUrl", "viewerRoomUrl"], {"hostRoomUrl", "viewerRoomUrl"}),
    ],
)
def test_host_and_viewer_links_only_when_asked(api, fields, expected):
    body = {} if fields is None else {"fields": fields}
    meeting = create(api, **body).json()
    assert {"hostRoomUrl", "viewerRoomUrl"} & set(meeting) == expected
    for key in expected:
        pattern = re.escape(meeting["roomUrl"]) + r"\?roomKey=[A-Za-z0-9_-]{20,}"
        assert re.fullmatch(pattern, meeting[key])


def test_host_and_viewer_keys_differ(api):
    meeting = create(api, fields=["hostRoomUrl", "viewerRoomUrl"]).json()
    assert meeting["hostRoomUrl"] != meeting["viewerRoomUrl"]


def test_viewer_mode_forces_lock_group_and_both_links(api, whereby_server):
    meeting = create(api, templateType="viewerMode", roomMode="normal", isLocked=False).json()
    assert {"hostRoomUrl", "viewerRoomUrl"} <= set(meeting)
    room = whereby_server.sim.rooms[meeting["meetingId"]]
    assert (room.room_mode, room.is_locked, room.template_type) == ("group", True, "viewerMode")
    # Later reads follow `fields` like any other room.
    assert "hostRoomUrl" not in api.get(f"/meetings/{meeting['meetingId']}").json()


def test_recording_streaming_and_transcription_options_are_accepted(api, whereby_server):
    response = create(
        api,
        recording={"type": "cloud", "destination": {"provider": "whereby"}, "startTrigger": None},
        liveTranscription={"destination": None, "startTrigger": "manual", "language": "de-CH"},
        streaming={"destination": {"url": "rtmp://a.rtmp.example/live2/k"}, "startTrigger": "none"},
    )
    assert response.status_code == 201, response.text
    room = whereby_server.sim.rooms[response.json()["meetingId"]]
    assert set(room.options) == {"recording", "liveTranscription", "streaming"}


def test_subdomain_is_configurable(sim_server, sim_clock, make_client):
    server = sim_server("whereby", clock=sim_clock, meetings=0, subdomain="acme")
    meeting = create(make_client(server)).json()
    assert meeting["roomUrl"].startswith("https://acme.whereby.com/")


# --- create: refused input ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "endDate"),
        ({"endDate": None}, "endDate"),
        ({"endDate": "tomorrow"}, "endDate"),
        ({"endDate": "2026-03-03"}, "endDate"),  # a date is not a date-time
        ({"endDate": "2026-02-30T10:00:00Z"}, "endDate"),
        ({"endDate": 1772442000}, "endDate"),
        ({"endDate": "2026-03-02T08:59:59Z"}, "endDate"),  # one second in the past
        ({"endDate": "2026-03-02T13:59:59+05:00"}, "endDate"),  # the past, via an offset
        ({"endDate": LATER, "roomMode": "huge"}, "roomMode"),
        ({"endDate": LATER, "roomMode": 1}, "roomMode"),
        ({"endDate": LATER, "roomNamePattern": "short"}, "roomNamePattern"),
        ({"endDate": LATER, "templateType": "viewer"}, "templateType"),
        ({"endDate": LATER, "roomNamePrefix": "café"}, "roomNamePrefix"),
        ({"endDate": LATER, "roomNamePrefix": "under_score"}, "roomNamePrefix"),
        ({"endDate": LATER, "roomNamePrefix": "a" * 40}, "roomNamePrefix"),
        ({"endDate": LATER, "roomNamePrefix": 12}, "roomNamePrefix"),
        ({"endDate": LATER, "isLocked": "yes"}, "isLocked"),
        ({"endDate": LATER, "fields": "hostRoomUrl"}, "fields"),
        ({"endDate": LATER, "fields": ["roomKey"]}, "fields"),
        ({"endDate": LATER, "recording": {"type": "cloud"}}, "recording.destination"),
        (
            {"endDate": LATER, "recording": {"type": "x", "destination": None, "startTrigger": 0}},
            "recording.type",
        ),
        (
            {"endDate": LATER, "streaming": {"destination": {}, "startTrigger": "none"}},
            "streaming.destination.url",
        ),
        (
            {"endDate": LATER, "liveTranscription": {"destination": None, "startTrigger": "x"}},
            "liveTranscription.startTrigger",
        ),
    ],
)
def test_invalid_create_bodies_get_400_naming_the_field(api, whereby_server, body, field):
    before = len(whereby_server.sim.rooms)
    response = api.post("/meetings", json=body)
    assert response.status_code == 400, response.text
    assert set(response.json()) == {"error"}
    assert f'"{field}"' in response.json()["error"]
    assert len(whereby_server.sim.rooms) == before


@pytest.mark.parametrize(
    ("content", "content_type"),
    [
        (b"{not json", "application/json"),
        (b"", "application/json"),
        (b'["endDate"]', "application/json"),
        (b"endDate=2026-03-02T10:00:00Z", "application/x-www-form-urlencoded"),
    ],
)
def test_non_json_or_non_object_bodies_get_400(api, content, content_type):
    response = api.post("/meetings", content=content, headers={"Content-Type": content_type})
    assert response.status_code == 400
    assert response.json()["error"]


# --- list -------------------------------------------------------------------------------


@pytest.mark.parametrize("limit", [100, 7, 1])
def test_paging_returns_every_room_exactly_once_in_creation_order(api, whereby_server, limit):
    results, cursors = all_pages(api, limit)
    ids = [meeting["meetingId"] for meeting in results]
    assert len(ids) == 300 == len(set(ids))
    assert ids == list(whereby_server.sim.rooms)
    assert cursors[-1] is None and None not in cursors[:-1]
    assert len(cursors) == -(-300 // limit)
    assert [m["startDate"] for m in results] == sorted(m["startDate"] for m in results)


def test_cursors_are_base64_offsets_and_the_default_limit_is_50(api):
    page = api.get("/meetings").json()
    assert len(page["results"]) == 50
    assert json.loads(base64.b64decode(page["cursor"])) == {"type": "offset", "value": "50"}


def test_a_cursor_past_the_end_gives_an_empty_last_page(api):
    cursor = base64.b64encode(b'{"type":"offset","value":"999"}').decode()
    assert api.get("/meetings", params={"cursor": cursor}).json() == {"results": [], "cursor": None}


@pytest.mark.parametrize("limit", ["0", "101", "-1", "ten", "", "1.5"])
def test_limit_out_of_bounds_is_400(api, limit):
    response = api.get("/meetings", params={"limit": limit})
    assert response.status_code == 400
    assert '"limit"' in response.json()["error"]


@pytest.mark.parametrize("limit", ["1", "100"])
def test_limit_bounds_are_inclusive(api, limit):
    assert len(api.get("/meetings", params={"limit": limit}).json()["results"]) == int(limit)


@pytest.mark.parametrize(
    "cursor",
    [
        "not base64!",
        base64.b64encode(b"not json").decode(),
        base64.b64encode(b'{"type":"page","value":"2"}').decode(),
        base64.b64encode(b'{"type":"offset","value":"-3"}').decode(),
        base64.b64encode(b'{"type":"offset","value":"three"}').decode(),
        base64.b64encode(b'["offset", 3]').decode(),
    ],
)
def test_a_bad_cursor_is_400(api, cursor):
    response = api.get("/meetings", params={"cursor": cursor})
    assert response.status_code == 400
    assert '"cursor"' in response.json()["error"]


def test_list_fields_are_comma_joined(api):
    both = api.get("/meetings", params={"limit": 5, "fields": "hostRoomUrl,viewerRoomUrl"}).json()
    assert all({"hostRoomUrl", "viewerRoomUrl"} <= set(m) for m in both["results"])
    host = api.get("/meetings", params={"limit": 5, "fields": "hostRoomUrl"}).json()
    assert all("hostRoomUrl" in m and "viewerRoomUrl" not in m for m in host["results"])
    plain = api.get("/meetings", params={"limit": 5}).json()
    assert all(not {"hostRoomUrl", "viewerRoomUrl"} & set(m) for m in plain["results"])
    assert api.get("/meetings", params={"fields": "hostRoomUrl,secret"}).status_code == 400


def test_a_created_room_is_listed_last(api):
    meeting = create(api).json()
    results, _ = all_pages(api, 100)
    assert results[-1] == meeting


# --- get, delete, no update ----------------------------------------------------------------


def test_get_returns_the_same_meeting_and_fields_on_request(api):
    meeting = create(api, fields=["hostRoomUrl"]).json()
    got = api.get(f"/meetings/{meeting['meetingId']}", params={"fields": "hostRoomUrl"})
    assert got.status_code == 200
    assert got.json() == meeting
    plain = api.get(f"/meetings/{meeting['meetingId']}").json()
    assert "hostRoomUrl" not in plain


def test_get_unknown_is_404_json(api):
    response = api.get("/meetings/does-not-exist")
    assert response.status_code == 404
    assert response.json() == {"error": "The requested resource doesn't exist"}


def test_delete_is_204_and_idempotent(api, whereby_server):
    meeting_id = create(api).json()["meetingId"]
    first = api.delete(f"/meetings/{meeting_id}")
    second = api.delete(f"/meetings/{meeting_id}")
    assert (first.status_code, first.content) == (204, b"")
    assert (second.status_code, second.content) == (204, b"")
    assert api.delete("/meetings/never-existed").status_code == 204
    assert api.get(f"/meetings/{meeting_id}").status_code == 404
    assert meeting_id not in whereby_server.sim.rooms
    assert meeting_id not in {m["meetingId"] for m in all_pages(api, 100)[0]}


@pytest.mark.parametrize("method", ["PATCH", "PUT", "POST"])
def test_there_is_no_update_endpoint(api, method):
    meeting_id = create(api).json()["meetingId"]
    response = api.request(method, f"/meetings/{meeting_id}", json={"endDate": LATER})
    assert response.status_code == 405
    assert method not in response.headers["allow"]
    assert "error" in response.json()


def test_unknown_paths_are_404_json(api):
    response = api.get("/rooms-that-do-not-exist")
    assert response.status_code == 404
    assert "error" in response.json()


# --- lifecycle --------------------------------------------------------------------------


def test_a_room_disappears_one_hour_after_its_end_date(api, sim_clock):
    meeting_id = create(api, endDate="2026-03-02T09:10:00Z").json()["meetingId"]
    sim_clock.advance(timedelta(minutes=10, hours=1) - timedelta(seconds=1))
    assert api.get(f"/meetings/{meeting_id}").status_code == 200
    assert meeting_id in {m["meetingId"] for m in all_pages(api, 100)[0]}
    sim_clock.advance(1)
    assert api.get(f"/meetings/{meeting_id}").status_code == 404
    assert meeting_id not in {m["meetingId"] for m in all_pages(api, 100)[0]}


def test_seeded_rooms_expire_with_the_clock(api, whereby_server, sim_clock):
    ends = [room.end for room in whereby_server.sim.rooms.values()]
    sim_clock.advance(timedelta(days=2))
    still = [end for end in ends if end + timedelta(hours=1) > sim_clock.now()]
    results, _ = all_pages(api, 100)
    assert 0 < len(results) == len(still) < 300


def test_responses_carry_the_simulator_clock_as_date(api, sim_clock):
    sim_clock.advance(3600)
    response = api.get("/meetings", params={"limit": 1})
    assert response.headers["date"] == "Mon, 02 Mar 2026 10:00:00 GMT"
