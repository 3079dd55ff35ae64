"""The Accelevents simulator over HTTP, without the client: what the contract says the
API does (seed page `seeds/002_…`, research §3), checked on the wire. The conformance
suites cover the shared parts (/_sim, faults, seeds, 401)."""

from __future__ import annotations

import re
from datetime import timedelta

import httpx
import pytest

KEY = "ae-sim-test-key-7d0c"
EVENT = "summit-26"
TIME_RE = re.compile(r"^\d{4}/\d{2}/\d{2} \d{2}:\d{2}$")


@pytest.fixture
def server(sim_server, sim_clock):
    return sim_server("accelevents", clock=sim_clock, meetings=30, api_key=KEY, event=EVENT)


@pytest.fixture
def rest(server):
    with httpx.Client(base_url=server.base_url, timeout=10, headers={"Key": KEY}) as client:
        yield client


@pytest.fixture
def anon(server):
    with httpx.Client(base_url=server.base_url, timeout=10) as client:
        yield client


def host_list(rest, server, **params):
    return rest.get(f"/host/event/{EVENT}/session",
                    params={"eventId": server.sim.event_id, **params})


def new_session(rest, **fields) -> int:
    body = {"title": "Lab", "format": "WORKSHOP", "startTime": "2026/03/02 08:30",
            "endTime": "2026/03/02 10:00", **fields}
    response = rest.post(f"/host/event/{EVENT}/session", json=body)
    assert response.status_code == 200, response.text
    assert isinstance(response.json(), int)  # the new id, bare
    return int(response.json())


def error(response) -> tuple[int, str]:
    body = response.json()
    assert set(body) == {"errorCode", "errorMessage", "developerMessage"}
    return response.status_code, body["errorCode"]


# --- auth, event, session lookups ---------------------------------------------------------


def test_the_key_is_checked_before_the_event(anon, server):
    assert error(anon.get("/host/event/nope/session")) == (401, "4010101")
    wrong = anon.get("/host/event/nope/session", headers={"Key": "wrong-key-123"})
    assert error(wrong) == (401, "4010101")
    right = anon.get("/host/event/nope/session", headers={"Key": KEY})
    assert error(right) == (404, "4040200")


def test_other_headers_the_docs_mention_and_bearer_failing_on_put(anon, server):
    path = f"/host/event/{EVENT}/session"
    params = {"eventId": server.sim.event_id}
    assert anon.get(path, params=params, headers={"Authorization": KEY}).status_code == 200
    assert anon.get(path, params=params, headers={"AUTHENTICATION": KEY}).status_code == 200
    bearer = {"Authorization": f"Bearer {KEY}"}
    assert anon.get(path, params=params, headers=bearer).status_code == 200
    sid = next(iter(server.sim.sessions))
    # Reported by integrators: Bearer works for GET, 401 on PUT.
    assert error(anon.put(f"/events/{EVENT}/session/{sid}", headers=bearer)) == (401, "4010101")


def test_unknown_sessions_are_404800(rest):
    for path in (f"/host/event/{EVENT}/session/1", f"/host/event/{EVENT}/session/abc",
                 f"/events/{EVENT}/session/1"):
        assert error(rest.get(path)) == (404, "404800")
    assert error(rest.put(f"/events/{EVENT}/session/1")) == (404, "404800")
    assert error(rest.delete(f"/host/event/{EVENT}/session/1")) == (404, "404800")


def test_the_host_list_needs_this_events_id(rest, server):
    path = f"/host/event/{EVENT}/session"
    assert error(rest.get(path)) == (400, "4000800")
    assert error(rest.get(path, params={"eventId": server.sim.event_id + 1})) == (404, "4040200")
    details = rest.get(f"/host/event/{EVENT}/eventDetails").json()
    assert details["eventId"] == server.sim.event_id and details["eventURL"] == EVENT


# --- lists --------------------------------------------------------------------------------


def test_host_pages_are_0_based_in_the_records_envelope(rest, server):
    first = host_list(rest, server, page=0, size=12).json()
    assert set(first) == {"recordsTotal", "recordsFiltered", "data"}
    assert (first["recordsTotal"], first["recordsFiltered"], len(first["data"])) == (30, 30, 12)
    pages = [host_list(rest, server, page=n, size=12).json()["data"] for n in range(4)]
    ids = [s["sessionId"] for page in pages for s in page]
    assert [len(p) for p in pages] == [12, 12, 6, 0]
    assert ids == list(server.sim.sessions)
    assert error(host_list(rest, server, page=-1)) == (400, "4000800")
    assert error(host_list(rest, server, size=0)) == (400, "4000800")


def test_search_filters_and_stats_come_only_when_expanded(rest, server):
    title = next(iter(server.sim.sessions.values())).fields["title"]
    found = host_list(rest, server, searchString=title.upper(), size=100).json()
    assert found["recordsTotal"] == 30
    assert 1 <= found["recordsFiltered"] == len(found["data"]) < 30
    assert all(title.casefold() in s["title"].casefold() for s in found["data"])
    plain = host_list(rest, server, size=1).json()["data"][0]
    assert "sessionStats" not in plain
    expanded = host_list(rest, server, size=1, expand="sessionStats").json()["data"][0]
    assert set(expanded["sessionStats"]) >= {"registeredUserCount", "interestedUserCount",
                                             "attendeeCount"}


def test_seeded_sessions_as_documented(rest, server):
    data = host_list(rest, server, size=100, expand="sessionStats").json()["data"]
    assert {s["format"] for s in data[:7]} == {"MAIN_STAGE", "BREAKOUT_SESSION", "MEET_UP",
                                                "WORKSHOP", "EXPO", "BREAK", "OTHER"}
    assert {s["status"] for s in data} == {"VISIBLE", "HIDDEN"}
    for s in data:
        assert TIME_RE.match(s["startTime"]) and TIME_RE.match(s["endTime"])
        assert isinstance(s["registerdHolderUsers"], list)  # the real misspelling
        assert all(isinstance(u["userId"], int) for u in s["registerdHolderUsers"])
        assert s["sessionStats"]["registeredUserCount"] == len(s["registerdHolderUsers"])
        assert {"chatEnabled", "pollEnabled", "quesAndAnsEnabled", "capacity",
                "speakerList", "hideSessionFromAttendees"} <= set(s)
    assert any(s["capacity"] and len(s["registerdHolderUsers"]) == s["capacity"]
               for s in data), "a full session to refuse joins"


def test_the_attendee_list_leaves_hidden_sessions_out(rest, server):
    hidden = {s.id for s in server.sim.sessions.values() if s.hidden}
    assert hidden
    body = rest.get(f"/events/{EVENT}/session/v2", params={"size": 100}).json()
    ids = {s["sessionId"] for s in body["data"]}
    assert ids == set(server.sim.sessions) - hidden
    assert body["recordsTotal"] == body["recordsFiltered"] == 30 - len(hidden)
    shown = body["data"][0]
    assert "registerdHolderUsers" not in shown and "enableChat" in shown
    hidden_id = next(iter(hidden))
    assert error(rest.get(f"/events/{EVENT}/session/{hidden_id}")) == (404, "404800")
    assert rest.get(f"/host/event/{EVENT}/session/{hidden_id}").status_code == 200


def test_join_session_takes_a_hidden_session_as_any_other(rest):
    # Its rules are the ticket type, the live window and the capacity (research §3.2),
    # no visibility: the simulator answered a HIDDEN session "404800 Session not found".
    sid = new_session(rest, status="HIDDEN")  # 08:30–10:00, live now (09:00)
    assert error(rest.get(f"/events/{EVENT}/session/{sid}")) == (404, "404800")  # a read
    joined = rest.put(f"/events/{EVENT}/session/{sid}")
    assert joined.status_code == 200, joined.text
    assert joined.json()["sessionId"] == sid and joined.json()["attendee"]["JoinToken"]


def test_the_attendee_list_filters_by_format_and_past(rest, server):
    path = f"/events/{EVENT}/session/v2"
    workshops = rest.get(path, params={"sessionFormat": "WORKSHOP", "size": 100}).json()
    assert workshops["data"] and all(s["format"] == "WORKSHOP" for s in workshops["data"])
    now = server.sim.clock.now()
    visible = [s for s in server.sim.sessions.values() if not s.hidden]
    past = rest.get(path, params={"past": "true", "size": 100}).json()
    assert {s["sessionId"] for s in past["data"]} == {s.id for s in visible if s.end <= now}
    upcoming = rest.get(path, params={"past": "false", "size": 100}).json()
    assert past["recordsFiltered"] + upcoming["recordsFiltered"] == len(visible)
    assert error(rest.get(path, params={"sessionFormat": "KEYNOTE"})) == (400, "4000800")


# --- writes -------------------------------------------------------------------------------


@pytest.mark.parametrize(("change", "named"), [
    ({"startTime": "2026-03-02T10:00:00Z"}, "startTime"),
    ({"startTime": "2026/03/02 10:00:00"}, "startTime"),
    ({"endTime": "2026/3/2 11:00"}, "endTime"),
    ({"endTime": "2026/02/30 11:00"}, "endTime"),
    ({"endTime": "2026/03/02 08:30"}, "endTime"),
    ({"format": "KEYNOTE"}, "format"),
    ({"status": "SECRET"}, "status"),
    ({"title": " "}, "title"),
    ({"capacity": -1}, "capacity"),
    ({"chatEnabled": "yes"}, "chatEnabled"),
    ({"description": "x" * 65_025}, "description"),
    ({"ticketTypesThatCanBeRegistered": [1]}, "ticketTypesThatCanBeRegistered"),
])
def test_bad_session_bodies_are_400_naming_the_field(rest, change, named):
    body = {"title": "Lab", "format": "WORKSHOP", "startTime": "2026/03/02 08:30",
            "endTime": "2026/03/02 10:00", **change}
    response = rest.post(f"/host/event/{EVENT}/session", json=body)
    assert error(response) == (400, "4000800")
    assert named in response.json()["errorMessage"]


def test_the_longest_description_is_taken(rest):
    sid = new_session(rest, description="y" * 65_024)
    stored = rest.get(f"/host/event/{EVENT}/session/{sid}").json()
    assert len(stored["description"]) == 65_024


def test_put_is_a_full_replace_that_resets_what_is_left_out(rest):
    sid = new_session(rest, description="Keep me", chatEnabled=True, capacity=12,
                      location="Hall A")
    path = f"/host/event/{EVENT}/session/{sid}"
    response = rest.put(path, json={"title": "Only this", "format": "WORKSHOP",
                                    "startTime": "2026/03/02 08:30",
                                    "endTime": "2026/03/02 10:00"})
    assert response.status_code == 200 and response.content == b""
    after = rest.get(path).json()
    assert after["title"] == "Only this"
    assert (after["description"], after["chatEnabled"], after["capacity"], after["location"]) \
        == ("", False, 0, "")


def test_delete(rest):
    sid = new_session(rest)
    assert rest.delete(f"/host/event/{EVENT}/session/{sid}").status_code == 200
    assert error(rest.get(f"/host/event/{EVENT}/session/{sid}")) == (404, "404800")


# --- join ---------------------------------------------------------------------------------


def test_join_answers_the_session_with_chime_meeting_and_attendee(rest, server):
    sid = new_session(rest, capacity=2, speakerList=[{"speakerId": 5, "firstName": "A",
                                                      "lastName": "B", "userId": 4242}])
    response = rest.put(f"/events/{EVENT}/session/{sid}")
    assert response.status_code == 200
    body = response.json()
    assert body["sessionId"] == sid and body["capacity"] == 2
    assert {"chatEnabled", "pollEnabled", "quesAndAnsEnabled", "duration", "format",
            "hideSessionFromAttendees", "registerdHolderUsers", "speakerList", "startTime",
            "endTime", "status", "title", "description"} <= set(body)
    meeting, attendee = body["meeting"], body["attendee"]
    assert set(meeting["MediaPlacement"]) >= {"AudioHostUrl", "AudioFallbackUrl",
                                             "ScreenDataUrl", "ScreenViewingUrl",
                                             "SignalingUrl", "TurnControlUrl"}
    assert meeting["MeetingId"] in meeting["MediaPlacement"]["SignalingUrl"]
    assert meeting["MediaRegion"] == "us-east-1"
    person = server.sim.attendee
    assert attendee["ExternalUserId"] == str(person.user_id) and attendee["JoinToken"]
    assert body["speakersOrModeratorsUserIds"] == [4242]
    assert body["eventAdmins"] == server.sim.admins
    assert body["currentUserRegisteredEventTicketId"] == [person.event_ticket_id]
    assert [u["userId"] for u in body["registerdHolderUsers"]] == [person.user_id]
    again = rest.put(f"/events/{EVENT}/session/{sid}").json()
    assert again["attendee"] == attendee and again["meeting"] == meeting
    assert len(again["registerdHolderUsers"]) == 1


def test_join_refusals(rest, server, sim_clock):
    sim = server.sim
    later = new_session(rest, startTime="2026/03/02 09:30", endTime="2026/03/02 10:00",
                        allowedMinutesToJoinLate=5)
    vip = new_session(rest, ticketTypesThatCanBeRegistered=[list(sim.ticket_types)[1]])
    full = new_session(rest, capacity=1)
    sim.sessions[full].holders.append(
        next(p for s in sim.sessions.values() for p in s.holders))
    assert error(rest.put(f"/events/{EVENT}/session/{later}")) == (406, "4060801")
    assert error(rest.put(f"/events/{EVENT}/session/{vip}")) == (403, "4030801")
    assert error(rest.put(f"/events/{EVENT}/session/{full}")) == (406, "4060803")
    sim_clock.advance(timedelta(minutes=64))  # 10:04: ended, within 5 minutes late
    assert rest.put(f"/events/{EVENT}/session/{later}").status_code == 200
    sim_clock.advance(timedelta(minutes=1))
    assert error(rest.put(f"/events/{EVENT}/session/{later}")) == (406, "4060802")


def test_a_429_has_the_error_shape_and_a_retry_after(rest, server):
    server.sim.faults.update(retry_after_ms=2500)
    server.sim.faults.queue("429")
    response = host_list(rest, server)
    assert response.status_code == 429 and response.headers["retry-after"] == "3"
    assert error(response)[0] == 429


def test_times_follow_the_event_zone(sim_server, sim_clock):
    berlin = sim_server("accelevents", clock=sim_clock, meetings=0, api_key=KEY, event=EVENT,
                        time_zone="Europe/Berlin")
    with httpx.Client(base_url=berlin.base_url, timeout=10, headers={"Key": KEY}) as rest:
        sid = new_session(rest, startTime="2026/03/02 10:00", endTime="2026/03/02 11:00")
        # 10:00 in Berlin is 09:00 UTC: live now (the clock is at 09:00 UTC).
        assert rest.put(f"/events/{EVENT}/session/{sid}").status_code == 200
    session = berlin.sim.sessions[sid]
    assert session.start == sim_clock.now()


def test_an_unknown_time_zone_is_refused():
    from meettui.simulators.registry import build

    with pytest.raises(ValueError, match="Mars/Olympus"):
        build("accelevents", time_zone="Mars/Olympus")
