"""The Accelevents client against the Accelevents simulator over real sockets.

What every provider must do is in test_conformance.py (Accelevents' entry is
harness.py). Here: what only Accelevents does — the `Key` header, 0-based pages that end
at `recordsFiltered`, the event id looked up once, the three documented error codes, the
event's time zone on the way in and out, a full-replace PUT done as fetch-merge-put,
and the join action with its JoinToken kept out of the cache, the log and reprs.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from meettui.core.cache import Cache
from meettui.core.capabilities import DeleteMode, UpdateMode
from meettui.core.config import AccountConfig, Config
from meettui.core.errors import (
    AuthError,
    ConfigError,
    NotFound,
    ProviderError,
    ValidationError,
    WrongAddress,
)
from meettui.core.models import MeetingSpec, Role, Status
from meettui.core.redact import redact
from meettui.core.registry import provider_class
from meettui.core.service import MeetingService
from meettui.providers.accelevents import AcceleventsProvider
from meettui.providers.accelevents.errors import accelevents_error

KEY = "ae-client-test-key-19f2"
ENV = "MEETTUI_TEST_ACCELEVENTS_KEY"
EVENT = "spring-con"
BERLIN = "Europe/Berlin"


@dataclass
class Recorder(httpx.AsyncBaseTransport):
    """A real HTTP transport that notes every request: (method, path with query, headers)."""

    requests: list[tuple[str, str, httpx.Headers]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.inner = httpx.AsyncHTTPTransport()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.requests.append((request.method, request.url.raw_path.decode(), request.headers))
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self.inner.aclose()

    def paths(self, method: str | None = None) -> list[str]:
        return [p for m, p, _ in self.requests if method is None or m == method]


@pytest.fixture
def server(sim_server, sim_clock):
    return sim_server("accelevents", clock=sim_clock, meetings=23, api_key=KEY, event=EVENT,
                      time_zone=BERLIN)


def account(server, **settings) -> AccountConfig:
    return AccountConfig(name="ae", provider="accelevents", base_url=server.base_url,
                         secret_env=ENV,
                         settings={"eventurl": EVENT, "time_zone": BERLIN, **settings})


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


@pytest.fixture
async def provider(server, sim_clock, recorder) -> AsyncIterator[AcceleventsProvider]:
    p = AcceleventsProvider(account(server), secrets={"api_key": KEY}, transport=recorder,
                            clock=sim_clock)
    yield p
    await p.aclose()


@pytest.fixture
def api(server):
    """Staff calls straight to the simulator, to set up and to check what it stores."""
    with httpx.Client(base_url=f"{server.base_url}/host/event/{EVENT}", timeout=10,
                      headers={"Key": KEY}) as client:
        yield client


def make_session(api, **fields) -> str:
    body = {"title": "Set up", "format": "WORKSHOP", "startTime": "2026/03/02 09:30",
            "endTime": "2026/03/02 11:00", **fields}
    response = api.post("/session", json=body)
    assert response.status_code == 200, response.text
    return str(response.json())


def stored(api, sid: str) -> dict:
    response = api.get(f"/session/{sid}")
    assert response.status_code == 200
    return response.json()


# --- registry, settings -------------------------------------------------------------------


def test_registered_with_its_contract():
    cls = provider_class("accelevents")
    assert cls is AcceleventsProvider
    assert cls.secrets == ("api_key",)
    assert cls.default_base_url == "https://api.accelevents.com/rest"
    caps = cls.capabilities
    assert caps.update == UpdateMode.IN_PLACE and caps.delete == DeleteMode.DELETE
    assert caps.link_roles == (Role.GUEST,)
    assert [a.name for a in caps.actions] == ["join"]
    assert caps.action("join").aliases[0].words == ("join",)
    assert caps.field("format").choices == ("MAIN_STAGE", "BREAKOUT_SESSION", "MEET_UP",
                                            "WORKSHOP", "EXPO", "BREAK", "OTHER")


@pytest.mark.parametrize(("settings", "problem"), [
    ({}, "eventurl"),
    ({"eventurl": "x", "time_zone": "Mars/Olympus"}, "time_zone"),
    ({"eventurl": "x", "timezone": "UTC"}, "unknown setting"),
    ({"eventurl": "a/b"}, "eventurl"),
])
def test_bad_settings_are_config_errors(settings, problem):
    with pytest.raises(ConfigError, match=problem):
        AcceleventsProvider(AccountConfig(name="ae", provider="accelevents",
                                          settings=settings), secrets={"api_key": "k"})


# --- auth, paging, the event id -----------------------------------------------------------


async def test_pages_are_0_based_and_end_at_records_filtered(provider, server, recorder):
    seen, cursor, cursors = [], None, []
    while True:
        page = await provider.list_page(cursor, 10)
        seen += page.items
        cursors.append(page.next_cursor)
        assert page.total == 23
        cursor = page.next_cursor
        if cursor is None:
            break
    assert cursors == ["1", "2", None]
    event_id = server.sim.event_id
    # The event id is read once from the event's details, then sent with every page.
    assert recorder.paths("GET") == [f"/rest/host/event/{EVENT}/eventDetails"] + [
        f"/rest/host/event/{EVENT}/session?page={n}&size=10&eventId={event_id}"
        "&expand=sessionStats" for n in range(3)]
    assert [m.id for m in seen] == [str(s) for s in server.sim.sessions]
    # Every request carried the key in `Key` and nothing in Authorization.
    assert all(h.get("key") == KEY and "authorization" not in h for _, _, h in recorder.requests)


async def test_a_known_event_id_skips_the_details(server, sim_clock, recorder):
    p = AcceleventsProvider(account(server, event_id=server.sim.event_id),
                            secrets={"api_key": KEY}, transport=recorder, clock=sim_clock)
    try:
        page = await p.list_page(None, 50)
    finally:
        await p.aclose()
    assert len(page.items) == 23 and page.next_cursor is None
    assert [p for p in recorder.paths() if "eventDetails" in p] == []


async def test_every_format_hidden_sessions_and_the_detail_facts(provider, server):
    page = await provider.list_page(None, 50)
    by_id = {m.id: m for m in page.items}
    sim = server.sim
    formats = {s.fields["format"] for s in sim.sessions.values()}
    assert len(formats) == 7
    hidden = [str(s.id) for s in sim.sessions.values() if s.hidden]
    assert hidden, "the seed has HIDDEN sessions"
    for sid in hidden:
        assert by_id[sid].details["Visibility"].startswith("HIDDEN")
    full = next(s for s in sim.sessions.values()
                if s.fields["capacity"] and len(s.holders) == s.fields["capacity"])
    meeting = by_id[str(full.id)]
    cap = full.fields["capacity"]
    assert meeting.capacity == cap
    assert meeting.details["Registered"] == f"{cap} of {cap}"
    assert meeting.details["Attendees"] == str(full.attendee_count)
    assert meeting.details["Chat"] == ("on" if full.fields["chatEnabled"] else "off")
    assert meeting.details["Time zone"].startswith(BERLIN)
    names = [f"{s['firstName']} {s['lastName']}" for s in full.fields["speakerList"]]
    assert meeting.details["Speakers"] == (", ".join(names) or "—")
    # The raw copy keeps the count, not the registered people's personal data.
    assert "registerdHolderUsers" not in meeting.raw and meeting.raw["registeredCount"] == cap
    assert not any(p.email in meeting.model_dump_json() for p in full.holders)
    # The guest link is the session's portal page, safe to show (the QR's link).
    guest = meeting.shareable_link()
    assert guest is not None and guest.role == Role.GUEST and not guest.sensitive
    assert guest.url == f"https://www.accelevents.com/e/{EVENT}/portal/sessions/{full.id}"


# --- the three documented error codes -----------------------------------------------------


async def test_a_wrong_key_is_4010101_auth_error(server, sim_clock):
    p = AcceleventsProvider(account(server), secrets={"api_key": "not-the-key-0000"},
                            clock=sim_clock)
    try:
        with pytest.raises(AuthError) as info:
            await p.list_page()
    finally:
        await p.aclose()
    assert info.value.status == 401 and "4010101" in info.value.body
    assert "not-the-key-0000" not in str(info.value)


async def test_an_unknown_event_is_4040200_and_names_the_setting(server, sim_clock):
    p = AcceleventsProvider(account(server, eventurl="autumn-con"), secrets={"api_key": KEY},
                            clock=sim_clock)
    try:
        with pytest.raises(WrongAddress) as info:
            await p.list_page()
    finally:
        await p.aclose()
    # Not a NotFound: that would mark sessions missing; the account is misconfigured
    # (the service names `eventurl` and the rest in the hint:
    # tests/cli/test_wrong_address.py).
    assert type(info.value) is WrongAddress and info.value.status == 404
    assert "4040200" in info.value.body


async def test_a_wrong_event_id_setting_is_the_event_error(server, sim_clock):
    p = AcceleventsProvider(account(server, event_id=server.sim.event_id + 1),
                            secrets={"api_key": KEY}, clock=sim_clock)
    try:
        with pytest.raises(WrongAddress) as info:
            await p.list_page()
    finally:
        await p.aclose()
    assert type(info.value) is WrongAddress and "4040200" in info.value.body


async def test_an_unknown_session_is_404800_not_found(provider):
    with pytest.raises(NotFound) as info:
        await provider.get("42")
    assert info.value.status == 404 and "404800" in info.value.body
    with pytest.raises(NotFound):
        await provider.get("../eventDetails")  # no path of another endpoint is reached
    with pytest.raises(NotFound):
        await provider.delete("42")


def test_error_bodies_name_the_form_field():
    def parse(status, body):
        return accelevents_error(httpx.Response(status, json=body))

    info = parse(400, {"errorCode": "4000800",
                       "errorMessage": "startTime must be in yyyy/MM/dd HH:mm format"})
    assert info == ("startTime must be in yyyy/MM/dd HH:mm format", "starts_at", "4000800")
    assert parse(404, {"code": 404800, "message": "Session not found."}).code == "404800"
    assert accelevents_error(httpx.Response(502, text="<html>")).message == "502 Bad Gateway"


# --- times in the event's zone ------------------------------------------------------------


async def test_times_round_trip_through_the_event_zone(provider, api):
    # 09:00 UTC is 10:00 in Berlin in March (CET) and 11:00 in July (CEST); seconds go.
    winter = datetime(2026, 3, 3, 9, 0, 42, tzinfo=UTC)
    created = await provider.create(MeetingSpec(title="Winter", starts_at=winter,
                                                ends_at=winter + timedelta(minutes=45)))
    body = stored(api, created.id)
    assert (body["startTime"], body["endTime"]) == ("2026/03/03 10:00", "2026/03/03 10:45")
    assert created.starts_at == winter.replace(second=0)
    assert created.ends_at == datetime(2026, 3, 3, 9, 45, tzinfo=UTC)
    assert created.details["Time (event zone)"] == ("2026-03-03 10:00 Europe/Berlin – "
                                                    "2026-03-03 10:45 Europe/Berlin")

    summer = datetime(2026, 7, 1, 9, 0, tzinfo=UTC)
    edited = await provider.update(created.id, MeetingSpec(starts_at=summer,
                                                           ends_at=summer + timedelta(hours=1)))
    assert stored(api, created.id)["startTime"] == "2026/07/01 11:00"
    assert (edited.starts_at, edited.ends_at) == (summer, summer + timedelta(hours=1))


async def test_a_session_made_elsewhere_reads_in_the_event_zone(provider, api):
    sid = make_session(api, startTime="2026/10/25 02:30", endTime="2026/10/25 03:30")
    meeting = await provider.get(sid)
    # The night the clocks go back: 02:30 is read as the first (summer time) 02:30.
    assert meeting.starts_at == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)


# --- create, edit (full replace), delete --------------------------------------------------


async def test_create_sends_the_form_and_reads_the_session_back(provider, api, sim_clock):
    start = sim_clock.now() + timedelta(days=1)
    created = await provider.create(MeetingSpec(
        title="Hands-on lab", starts_at=start, ends_at=start + timedelta(hours=2),
        options={"format": "workshop", "capacity": "25", "chatEnabled": False,
                 "pollEnabled": True, "quesAndAnsEnabled": "false", "status": "HIDDEN",
                 "description": "Bring a laptop."}))
    body = stored(api, created.id)
    assert {k: body[k] for k in ("title", "format", "capacity", "chatEnabled", "pollEnabled",
                                 "quesAndAnsEnabled", "status", "description")} == {
        "title": "Hands-on lab", "format": "WORKSHOP", "capacity": 25, "chatEnabled": False,
        "pollEnabled": True, "quesAndAnsEnabled": False, "status": "HIDDEN",
        "description": "Bring a laptop."}
    assert created.status == Status.SCHEDULED and created.capacity == 25
    assert created.details["Format"].startswith("Workshop")
    assert created.raw["format"] == "WORKSHOP" and created.raw["chatEnabled"] is False


@pytest.mark.parametrize(("spec", "field"), [
    (MeetingSpec(title="", starts_at=datetime(2026, 4, 1, tzinfo=UTC),
                 ends_at=datetime(2026, 4, 1, 1, tzinfo=UTC)), "title"),
    (MeetingSpec(title="No start", ends_at=datetime(2026, 4, 1, 1, tzinfo=UTC)), "starts_at"),
    (MeetingSpec(title="Backwards", starts_at=datetime(2026, 4, 1, 1, tzinfo=UTC),
                 ends_at=datetime(2026, 4, 1, 1, 0, 30, tzinfo=UTC)), "ends_at"),
    (MeetingSpec(title="Odd", starts_at=datetime(2026, 4, 1, tzinfo=UTC),
                 ends_at=datetime(2026, 4, 1, 1, tzinfo=UTC),
                 options={"format": "KEYNOTE"}), "format"),
    (MeetingSpec(title="Big", starts_at=datetime(2026, 4, 1, tzinfo=UTC),
                 ends_at=datetime(2026, 4, 1, 1, tzinfo=UTC),
                 options={"capacity": -3}), "capacity"),
    (MeetingSpec(title="Long", starts_at=datetime(2026, 4, 1, tzinfo=UTC),
                 ends_at=datetime(2026, 4, 1, 1, tzinfo=UTC),
                 options={"description": "x" * 65_025}), "description"),
])
async def test_bad_input_is_refused_at_its_field_before_sending(provider, recorder, spec,
                                                               field):
    with pytest.raises(ValidationError) as info:
        await provider.create(spec)
    assert info.value.field == field
    assert recorder.paths("POST") == []


async def test_the_longest_description_is_accepted(provider, api):
    start = datetime(2026, 4, 1, tzinfo=UTC)
    created = await provider.create(MeetingSpec(
        title="Long read", starts_at=start, ends_at=start + timedelta(hours=1),
        options={"description": "x" * 65_024}))
    assert len(stored(api, created.id)["description"]) == 65_024


async def test_edit_is_a_full_replace_that_keeps_every_field_not_edited(provider, api,
                                                                       server, recorder):
    vip = list(server.sim.ticket_types)[1]
    speaker = {"speakerId": 77, "firstName": "Rosa", "lastName": "Berg", "userId": 555}
    sid = make_session(api, description="Everything about it.", capacity=40,
                       chatEnabled=False, pollEnabled=True, quesAndAnsEnabled=True,
                       location="Room 2.14", allowedMinutesToJoinLate=15,
                       hideSessionFromAttendees=True, ticketTypesThatCanBeRegistered=[vip],
                       speakerList=[speaker], tracks=[{"id": 2, "name": "Customers"}],
                       status="HIDDEN", streamProvider="YOUTUBE",
                       streamUrl="https://youtube.example/watch?v=1")
    before = stored(api, sid)

    edited = await provider.update(sid, MeetingSpec(title="Renamed",
                                                    options={"pollEnabled": False}))
    after = stored(api, sid)
    assert after["title"] == "Renamed" and after["pollEnabled"] is False
    unchanged = {k: v for k, v in before.items() if k not in ("title", "pollEnabled")}
    assert {k: after[k] for k in unchanged} == unchanged
    assert edited.title == "Renamed" and edited.details["Polls"] == "off"
    # Fetch, merge, put: the GET before the PUT, the PUT to the host path.
    host = f"/rest/host/event/{EVENT}/session/{sid}"
    assert [(m, p.split("?")[0]) for m, p, _ in recorder.requests] == [
        ("GET", host), ("PUT", host), ("GET", host)]


async def test_delete_removes_the_session(provider, api):
    sid = make_session(api)
    await provider.delete(sid)
    assert api.get(f"/session/{sid}").status_code == 404
    with pytest.raises(NotFound):
        await provider.get(sid)


# --- join ---------------------------------------------------------------------------------


async def test_join_returns_chime_data_with_the_token_kept_out_of_sight(provider, api, server,
                                                                       caplog):
    sid = make_session(api, capacity=5)  # 09:30–11:00 Berlin; now is 10:00 Berlin: live
    caplog.set_level(logging.DEBUG)
    joined = await provider.run_action(sid, "join", {})
    data = joined.session_data
    assert data is not None
    meeting, attendee = data.data["meeting"], data.data["attendee"]
    assert set(meeting) >= {"MeetingId", "MediaPlacement", "MediaRegion"}
    assert set(meeting["MediaPlacement"]) >= {"AudioHostUrl", "AudioFallbackUrl",
                                             "ScreenDataUrl", "ScreenViewingUrl",
                                             "SignalingUrl", "TurnControlUrl"}
    token = attendee["JoinToken"]
    assert len(token) > 20
    assert attendee["ExternalUserId"] == str(server.sim.attendee.user_id)
    # Masked on screen and in reprs; whole in the JSON to copy.
    assert data.masked()["attendee"]["JoinToken"] == "••••••••"
    assert token not in repr(joined) and token not in str(data)
    assert token in data.as_json(reveal=True) and token not in data.as_json()
    # Never in a dump (the cache's and the CLI's JSON), never a link (so never a QR).
    assert token not in joined.model_dump_json() and "session_data" not in joined.model_dump()
    assert all(token not in lk.url for lk in joined.links)
    assert joined.details["JoinToken"].startswith("••••")
    assert joined.details["Chime meeting"].startswith(meeting["MeetingId"])
    # Registered for redaction the moment it was read.
    assert redact(f"token is {token}") == "token is ***"
    assert token not in caplog.text
    # The attendee is registered now.
    assert joined.details["Registered"] == "1 of 5"

    again = await provider.run_action(sid, "join", {})
    assert again.session_data.data["attendee"]["JoinToken"] == token  # same Chime attendee
    assert again.details["Registered"] == "1 of 5"  # not twice


async def test_join_is_refused_before_the_start_and_after_the_late_window(provider, api,
                                                                          sim_clock):
    # Now is 2026-03-02 09:00 UTC = 10:00 Berlin.
    sid = make_session(api, startTime="2026/03/02 10:30", endTime="2026/03/02 11:00",
                       allowedMinutesToJoinLate=10)
    with pytest.raises(ValidationError, match="not live") as info:
        await provider.run_action(sid, "join", {})
    assert info.value.status == 406 and info.value.field is None
    sim_clock.advance(timedelta(minutes=65))  # 11:05: ended, within the 10 minutes late
    assert (await provider.run_action(sid, "join", {})).session_data is not None
    sim_clock.advance(timedelta(minutes=5))  # 11:10: past the late window
    with pytest.raises(ValidationError, match="ended"):
        await provider.run_action(sid, "join", {})


async def test_join_is_refused_when_full(provider, api, server):
    full = next(s for s in server.sim.sessions.values()
                if s.fields["capacity"] and len(s.holders) == s.fields["capacity"]
                and not s.hidden and not s.fields["ticketTypesThatCanBeRegistered"])
    full.start = server.sim.clock.now() - timedelta(minutes=5)
    full.end = server.sim.clock.now() + timedelta(minutes=30)
    with pytest.raises(ValidationError, match="full") as info:
        await provider.run_action(str(full.id), "join", {})
    assert info.value.status == 406
    assert "4060803" in info.value.body


async def test_join_needs_a_ticket_the_session_admits(provider, api, server):
    vip = list(server.sim.ticket_types)[1]
    sid = make_session(api, startTime="2026/03/02 09:30", endTime="2026/03/02 11:00",
                       ticketTypesThatCanBeRegistered=[vip])
    with pytest.raises(ValidationError) as info:
        await provider.run_action(sid, "join", {})
    # One of Join Session's rules, as a full session's: no credential hint.
    assert not isinstance(info.value, AuthError)
    assert info.value.status == 403 and "ticket type" in info.value.message
    assert info.value.hint == ("Accelevents refused this by one of its rules; the message "
                               "says which.")


async def test_a_refusal_by_a_rule_leaves_the_account_healthy(server, sim_clock, tmp_path,
                                                              api):
    # A 403 "Your ticket type cannot register for this session." marked the account
    # "auth failed" (status line, accounts screen, `meettui accounts`).
    vip = list(server.sim.ticket_types)[1]
    sid = make_session(api, startTime="2026/03/02 09:30", endTime="2026/03/02 11:00",
                       ticketTypesThatCanBeRegistered=[vip])
    svc = MeetingService(config=Config(accounts=[account(server)]),
                         cache=Cache(tmp_path / "cache.sqlite3"), clock=sim_clock,
                         env={ENV: KEY})
    try:
        await svc.sync_all("ae")
        with pytest.raises(ValidationError):
            await svc.run_action("ae", sid, "join")
        info = svc.account_info("ae")
        assert (info.health.value, info.message) == ("ok", "")
        assert svc.cache.sync_state("ae").last_error is None
    finally:
        await svc.aclose()
        svc.cache.close()


async def test_a_403_without_accelevents_code_is_about_the_key():
    # A gateway's 403 (no `errorCode`) says nothing of a rule: the credentials'.
    from meettui.providers.accelevents.errors import ERRORS
    response = httpx.Response(403, json={"message": "Forbidden"})
    assert isinstance(ERRORS.error_for(response, "GET /x", "accelevents"), AuthError)


async def test_a_hidden_session_is_joined_as_any_other(provider, api):
    # `edit ID -o status=HIDDEN`, then `join ID`: "404: Session not found. It may have
    # been deleted or expired upstream". Join Session's rules name no visibility.
    sid = make_session(api, startTime="2026/03/02 09:30", endTime="2026/03/02 11:00",
                       status="HIDDEN")
    assert (await provider.get(sid)).details["Visibility"].startswith("HIDDEN")
    joined = await provider.run_action(sid, "join", {})
    assert joined.session_data is not None and joined.details["Registered"].startswith("1")


@dataclass
class AttendeeBlind(Recorder):
    """The simulator behind an attendee API that does not show `blind` to the key's
    attendee, as a real one may (the contract leaves open which sessions it hides):
    Join Session for it is sent for a session no one has, which the simulator answers
    with its own 404800."""

    blind: str = ""

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path
        if request.method == "PUT" and path.endswith(f"/events/{EVENT}/session/{self.blind}"):
            request.url = request.url.copy_with(path=path.rsplit("/", 1)[0] + "/1")
        return await super().handle_async_request(request)


async def test_a_404_to_a_join_is_no_deletion_while_the_session_exists(server, sim_clock,
                                                                       api):
    sid = make_session(api, startTime="2026/03/02 09:30", endTime="2026/03/02 11:00",
                       status="HIDDEN")
    provider = AcceleventsProvider(account(server), secrets={"api_key": KEY},
                                   transport=AttendeeBlind(blind=sid), clock=sim_clock)
    try:
        with pytest.raises(ProviderError) as info:
            await provider.run_action(sid, "join", {})
        # Not NotFound: "It may have been deleted or expired upstream; refresh the list."
        assert not isinstance(info.value, NotFound) and info.value.status == 404
        assert info.value.message == (
            f"accelevents: The join of session {sid} was refused (PUT /events/{EVENT}/"
            f"session/{sid} → 404: Session not found), yet the session exists: staff see it, "
            "the API key's attendee does not, as it is HIDDEN from attendees.")
        assert info.value.hint == (
            "Nothing was joined and the session is as it was. Set its Visibility to "
            f"VISIBLE (meettui edit {sid} -o status=VISIBLE) to join it.")
        # Gone for staff too: then it is the deletion the 404 suggests.
        api.delete(f"/session/{sid}").raise_for_status()
        with pytest.raises(NotFound) as gone:
            await provider.run_action(sid, "join", {})
        assert gone.value.hint == NotFound.hint
    finally:
        await provider.aclose()


async def test_the_join_token_reaches_neither_the_cache_nor_the_log(server, sim_clock, tmp_path,
                                                                   api, caplog):
    sid = make_session(api, startTime="2026/03/02 09:30", endTime="2026/03/02 11:00")
    svc = MeetingService(config=Config(accounts=[account(server)]),
                         cache=Cache(tmp_path / "cache.sqlite3"), clock=sim_clock,
                         env={ENV: KEY})
    caplog.set_level(logging.DEBUG)
    try:
        await svc.sync_all("ae")
        joined = await svc.run_action("ae", sid, "join")
        token = joined.session_data.data["attendee"]["JoinToken"]
        cached = svc.cached("ae", sid)
        assert cached is not None and cached.session_data is None
        assert cached.details["JoinToken"].startswith("••••")
    finally:
        await svc.aclose()
        svc.cache.close()
    for path in tmp_path.iterdir():
        assert token.encode() not in path.read_bytes(), path.name
    assert token not in caplog.text


@pytest.mark.parametrize(("options", "text"), [
    ({"format": "KEYNOTE"}, "not 'KEYNOTE'"),
    ({"status": "secret"}, "not 'secret'"),
    ({"capacity": "lots"}, "not 'lots'"),
    ({"capacity": -3}, "not -3"),
    ({"allowedMinutesToJoinLate": "5m"}, "not '5m'"),
    ({"hideSessionFromAttendees": "maybe"}, "not 'maybe'"),
])
async def test_a_value_given_but_refused_is_named(provider, recorder, options, text):
    start = datetime(2026, 4, 1, tzinfo=UTC)
    with pytest.raises(ValidationError) as info:
        await provider.create(MeetingSpec(title="Odd", starts_at=start,
                                          ends_at=start + timedelta(hours=1), options=options))
    assert info.value.field == next(iter(options))
    assert text in info.value.message
    assert recorder.paths("POST") == []


@pytest.mark.parametrize("other", ["²", "١٢", "1 ", "../1", "1?x=1"])
async def test_a_session_id_that_is_no_ascii_number_is_refused_before_sending(
        provider, recorder, other):
    # str.isdigit() took "²" and other scripts' digits, which went out in the path.
    for call in (provider.get(other), provider.delete(other),
                 provider.update(other, MeetingSpec(title="x"))):
        with pytest.raises(NotFound, match="is no Accelevents session id"):
            await call
    assert recorder.requests == []


class AnswersAboutAnother(httpx.AsyncBaseTransport):
    """Real HTTP, except that answers to requests about session `asked` come back
    about session `other` (its id said in their place)."""

    def __init__(self, asked: str, other: str) -> None:
        self.inner = httpx.AsyncHTTPTransport()
        self.asked, self.other = asked, other

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self.inner.handle_async_request(request)
        if not request.url.path.endswith(f"/{self.asked}"):
            return response
        body = (await response.aread()).replace(self.asked.encode(), self.other.encode())
        headers = [(k, v) for k, v in response.headers.raw if k.lower() != b"content-length"]
        return httpx.Response(response.status_code, headers=headers, content=body)

    async def aclose(self) -> None:
        await self.inner.aclose()


async def test_a_join_answered_about_another_session_is_refused(server, sim_clock, tmp_path,
                                                                api):
    # An action's answer is cached as the meeting it was run on: one about another
    # session took its place without a word.
    sid = make_session(api, startTime="2026/03/02 09:30", endTime="2026/03/02 11:00")
    other = make_session(api, title="Another", startTime="2026/03/02 09:30",
                         endTime="2026/03/02 11:00")
    svc = MeetingService(config=Config(accounts=[account(server)]),
                         cache=Cache(tmp_path / "cache.sqlite3"), clock=sim_clock,
                         env={ENV: KEY}, transports={"ae": AnswersAboutAnother(sid, other)})
    try:
        await svc.sync_all("ae")
        before = (svc.cached("ae", sid), svc.cached("ae", other))
        with pytest.raises(ProviderError) as info:
            await svc.run_action("ae", sid, "join")
        assert info.value.message == (
            f"ae (accelevents): The action 'join' on meeting {sid!r} was answered with "
            f"another meeting ({other!r}); nothing of that answer was cached.")
        assert (svc.cached("ae", sid), svc.cached("ae", other)) == before
    finally:
        await svc.aclose()
        svc.cache.close()
