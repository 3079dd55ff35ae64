"""What only Whereby does, client side: links through `fields`, rooms that expire an hour
after their end, prefixes, viewer mode, 400s at form fields, edit = recreate, and the
API key kept out of everything. Most tests run against the simulator on a real socket.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from provider_harness import FAST_POLICY, HARNESSES

from meettui.core.capabilities import DeleteMode, UpdateMode
from meettui.core.config import AccountConfig
from meettui.core.errors import (
    NotFound,
    ProviderError,
    RateLimited,
    ValidationError,
)
from meettui.core.models import MeetingSpec, Role, Status
from meettui.core.redact import clear_registered_secrets
from meettui.providers.whereby import WherebyProvider
from meettui.providers.whereby.errors import ms_left, whereby_error
from meettui.providers.whereby.mapping import parse_time

WHEREBY = HARNESSES["whereby"]
WHEREBY_KEY = WHEREBY.secrets["api_key"]

SPEC_FILE = Path(__file__).parent / "openapi.json"


class Recorder(httpx.AsyncBaseTransport):
    """A real HTTP transport that keeps every request it sends."""

    def __init__(self) -> None:
        self.inner = httpx.AsyncHTTPTransport()
        self.requests: list[httpx.Request] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        await request.aread()
        self.requests.append(request)
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self.inner.aclose()


@pytest.fixture
def server(sim_server, sim_clock):
    return WHEREBY.start(sim_server, sim_clock, 20)


@pytest.fixture
async def client(server, sim_clock, sleeps):
    """(provider, recorder): the Whereby client on the running simulator."""
    recorder = Recorder()
    provider = WherebyProvider(
        WHEREBY.account(server), secrets=dict(WHEREBY.secrets), transport=recorder,
        clock=sim_clock,
    )
    provider.policy, provider.sleep = FAST_POLICY, sleeps
    yield provider, recorder
    await provider.aclose()
    await recorder.aclose()


def offline(handler, clock=None) -> WherebyProvider:
    """A client on an in-memory transport, for responses no honest simulator sends."""
    provider = WherebyProvider(
        AccountConfig(name="wb", provider="whereby"),
        secrets={"api_key": WHEREBY_KEY},
        transport=httpx.MockTransport(handler),
        **({"clock": clock} if clock else {}),
    )
    provider.policy = FAST_POLICY

    async def no_wait(seconds: float) -> None:
        provider.waits.append(seconds)  # type: ignore[attr-defined]

    provider.waits = []  # type: ignore[attr-defined]
    provider.sleep = no_wait
    return provider


def in_an_hour(clock) -> datetime:
    return clock.now() + timedelta(hours=1)


# -- links, times, mapping ------------------------------------------------------------


async def test_host_and_viewer_links_come_because_fields_were_asked(client, server):
    provider, recorder = client
    page = await provider.list_page()
    assert len(page.items) == 20 and page.next_cursor is None

    sent = recorder.requests[0]
    assert sent.headers["authorization"] == f"Bearer {WHEREBY_KEY}"
    assert parse_qs(urlsplit(str(sent.url)).query) == {
        "limit": ["50"], "fields": ["hostRoomUrl,viewerRoomUrl"]
    }
    meeting = page.items[0]
    host, guest, viewer = (meeting.link(r) for r in (Role.HOST, Role.GUEST, Role.VIEWER))
    assert host.sensitive and "roomKey=" in host.url and host.url.startswith(guest.url + "?")
    assert not guest.sensitive and "?" not in guest.url
    assert not viewer.sensitive and "roomKey=" in viewer.url and viewer.url != host.url
    assert meeting.shareable_link() == guest
    assert "roomKey" in host.label

    # Without `fields`, Whereby leaves both out, and so does the meeting built from it.
    bare = httpx.get(f"{server.base_url}/meetings/{meeting.id}",
                     headers={"Authorization": f"Bearer {WHEREBY_KEY}"}).json()
    assert "hostRoomUrl" not in bare and "viewerRoomUrl" not in bare
    plain = provider.to_meeting(bare)
    assert [lk.role for lk in plain.links] == [Role.GUEST]


async def test_times_status_and_expiry_follow_the_room(client, server, sim_clock):
    provider, _ = client
    created = await provider.create(MeetingSpec(ends_at=sim_clock.now() + timedelta(minutes=30)))
    room = server.sim.rooms[created.id]
    assert created.starts_at == room.start  # Whereby starts rooms at creation
    assert created.ends_at == room.end
    assert created.expires_at == room.end + timedelta(hours=1)
    assert created.status == Status.LIVE

    sim_clock.advance(timedelta(minutes=31))
    assert (await provider.get(created.id)).status == Status.ENDED
    sim_clock.advance(timedelta(minutes=30))
    assert (await provider.get(created.id)).status == Status.ENDED  # host links still work
    sim_clock.advance(timedelta(minutes=30))
    with pytest.raises(NotFound):  # deactivated one hour after endDate, then gone
        await provider.get(created.id)
    assert created.effective_status(sim_clock.now()) == Status.EXPIRED


def test_mapping_is_tolerant_of_what_the_contract_allows():
    provider = offline(lambda r: httpx.Response(500))
    m = provider.to_meeting({
        "meetingId": 52755922,  # older docs show numeric ids
        "roomUrl": "https://org.whereby.com/sales-abc123",
        "startDate": "2022-02-17T14:24:00.000Z",
        "endDate": "2022-02-17T15:24:00Z",
        "somethingNew": {"nested": True},
    })
    assert m.id == "52755922"
    assert m.title == "sales-abc123"  # no roomName: taken from the room URL
    assert m.starts_at == datetime(2022, 2, 17, 14, 24, tzinfo=UTC)
    assert m.expires_at == datetime(2022, 2, 17, 16, 24, tzinfo=UTC)
    assert m.raw["somethingNew"] == {"nested": True}
    assert m.capacity is None and "Room mode" not in m.details  # not returned by the API
    assert parse_time("2025-05-07T17:42:49-05:00") == datetime(2025, 5, 7, 22, 42, 49, tzinfo=UTC)
    assert parse_time("2025-05-07T17:42:49.123456") == datetime(
        2025, 5, 7, 17, 42, 49, 123456, tzinfo=UTC
    )
    assert parse_time("next tuesday") is None and parse_time(None) is None


@pytest.mark.parametrize(
    ("data", "says"),
    [
        ([], "not an object"),
        ("oops", "not an object"),
        ({"roomUrl": "https://x.whereby.com/r", "endDate": "2030-01-01T00:00:00Z"}, "meetingId"),
        ({"meetingId": "m1", "endDate": "2030-01-01T00:00:00Z"}, "roomUrl"),
        ({"meetingId": "m1", "roomUrl": "https://x.whereby.com/r"}, "endDate"),
        ({"meetingId": "m1", "roomUrl": 7, "endDate": "2030-01-01T00:00:00Z"}, "roomUrl"),
        ({"meetingId": "m1", "roomUrl": "https://x", "endDate": "soon"}, "endDate"),
        ({"meetingId": None, "roomUrl": "https://x", "endDate": "2030-01-01"}, "meetingId"),
    ],
)
async def test_a_meeting_of_the_wrong_shape_is_a_clear_provider_error(data, says):
    provider = offline(lambda request: httpx.Response(200, json=data))
    with pytest.raises(ProviderError) as info:
        await provider.get("m1")
    assert type(info.value) is ProviderError
    assert says in info.value.message and "meettui cannot read it" in info.value.message


@pytest.mark.parametrize(
    "body",
    [
        [],
        {"cursor": None},
        {"results": {"meetingId": "m1"}, "cursor": None},
        {"results": [], "cursor": 5},
        {"results": [{"meetingId": "m1"}], "cursor": None},
    ],
)
async def test_a_list_of_the_wrong_shape_is_a_clear_provider_error(body):
    provider = offline(lambda request: httpx.Response(200, json=body))
    with pytest.raises(ProviderError, match="GET /meetings returned"):
        await provider.list_page()


def test_the_official_openapi_examples_parse():
    spec = json.loads(SPEC_FILE.read_text())
    meeting_example = spec["components"]["schemas"]["Meeting"]["example"]
    provider = offline(lambda r: httpx.Response(500))
    m = provider.to_meeting(meeting_example)
    assert m.id == "9cf691bf-f2d5-4420-bda9-ee8607bb558b"
    assert m.title == "room-prefix-793e9ec1-c686-423d-9043-9b7a10c553fd"
    assert m.starts_at == datetime(2025, 5, 12, 16, 42, 49, tzinfo=UTC)
    assert m.ends_at == datetime(2025, 5, 12, 17, 42, 49, tzinfo=UTC)
    assert m.expires_at == datetime(2025, 5, 12, 18, 42, 49, tzinfo=UTC)
    assert [lk.role for lk in m.links] == [Role.GUEST]

    # The room name as the schema shows it, with its leading slash.
    room_name = spec["components"]["schemas"]["Meeting"]["properties"]["roomName"]["example"]
    named = provider.to_meeting({**meeting_example, "roomName": room_name})
    assert named.title == room_name.lstrip("/") == named.details["Room"]

    throttle = spec["components"]["responses"]["ThrottleError"]["content"]["application/json"]
    response = httpx.Response(429, json=throttle["schema"]["example"])
    assert ms_left(response) == pytest.approx(38.689)
    assert whereby_error(response) == (
        "Rate limit active for throttle key: organization:1", None
    )


async def test_429_without_retry_after_waits_data_ms_left():
    answers = iter([
        httpx.Response(429, json={"error": "Rate limit active", "data": {"msLeft": 1234}}),
        httpx.Response(200, json={"results": [], "cursor": None}),
    ])
    provider = offline(lambda request: next(answers))
    assert (await provider.list_page()).items == []
    assert provider.waits == [pytest.approx(1.234)]

    provider = offline(lambda request: httpx.Response(
        429, json={"error": "Rate limit active", "data": {"msLeft": 38689}}))
    with pytest.raises(RateLimited) as info:
        await provider.list_page()
    assert info.value.retry_after == pytest.approx(38.689)


# -- create options ---------------------------------------------------------------------


async def test_the_create_body_follows_the_contract(client, sim_clock):
    provider, recorder = client
    end = datetime(2026, 3, 2, 11, 30, tzinfo=UTC)
    created = await provider.create(MeetingSpec(
        title="Onboarding with Priya", starts_at=sim_clock.now() + timedelta(days=1),
        ends_at=end, options={"roomMode": "group", "isLocked": "true",
                              "roomNamePattern": "human-short"},
    ))
    body = json.loads(recorder.requests[-1].content)
    assert body == {
        "endDate": "2026-03-02T11:30:00.000Z",
        "roomMode": "group",
        "isLocked": True,
        "roomNamePattern": "human-short",
        "fields": ["hostRoomUrl", "viewerRoomUrl"],
    }  # no startDate: deprecated, and Whereby opens the room now anyway
    assert created.title == "Onboarding with Priya"
    assert created.capacity == 200
    assert created.details["Room mode"].startswith("group") and created.details["Locked"] != "no"
    assert len(created.details["Room"]) == 6  # human-short


async def test_the_prefix_is_normalised_and_round_trips(client, server, sim_clock):
    provider, recorder = client
    created = await provider.create(MeetingSpec(
        ends_at=in_an_hour(sim_clock), options={"roomNamePrefix": "Customer 0348-"}
    ))
    assert json.loads(recorder.requests[-1].content)["roomNamePrefix"] == "customer0348-"
    room = server.sim.rooms[created.id]
    assert room.room_name.startswith("/customer0348-")
    # No title typed: the title is the room name, without the slash.
    assert created.title == room.room_name[1:] == created.details["Room"]
    assert created.link(Role.GUEST).url.endswith(room.room_name)
    again = await provider.get(created.id)
    assert again.title == created.title and again.link(Role.GUEST) == created.link(Role.GUEST)


async def test_viewer_mode(client, server, sim_clock):
    provider, _ = client
    created = await provider.create(MeetingSpec(
        ends_at=in_an_hour(sim_clock), options={"templateType": "viewerMode"}
    ))
    room = server.sim.rooms[created.id]
    assert room.template_type == "viewerMode" and room.is_locked and room.room_mode == "group"
    assert created.capacity == 200
    assert "400 viewers" in created.details["Template"]
    assert created.details["Locked"].startswith("yes")
    assert created.link(Role.HOST).sensitive and not created.link(Role.VIEWER).sensitive


@pytest.mark.parametrize(
    ("options", "ends_in", "field", "says"),
    [
        ({}, None, "ends_at", "needs an end time"),
        ({}, -timedelta(minutes=5), "ends_at", '"endDate" must be now or later'),
        ({"roomNamePrefix": "team_a-"}, timedelta(hours=1), "roomNamePrefix", "a-z, 0-9"),
        ({"roomNamePrefix": "x" * 40}, timedelta(hours=1), "roomNamePrefix", "at most 39"),
        ({"roomMode": "huge"}, timedelta(hours=1), "roomMode", "normal, group"),
        ({"roomNamePattern": "words"}, timedelta(hours=1), "roomNamePattern", "uuid"),
        ({"templateType": "webinar"}, timedelta(hours=1), "templateType", "viewerMode"),
        ({"isLocked": "maybe"}, timedelta(hours=1), "isLocked", "true or false"),
        ({"recording": "cloud"}, timedelta(hours=1), "recording", "object"),
        ({"recording": {"type": "cloud"}}, timedelta(hours=1), "recording", "recording.dest"),
        ({"colour": "red"}, timedelta(hours=1), None, "no option 'colour'"),
    ],
)
async def test_validation_errors_name_the_form_field(client, server, sim_clock, options,
                                                     ends_in, field, says):
    provider, _ = client
    ends_at = None if ends_in is None else sim_clock.now() + ends_in
    before = len(server.sim.rooms)
    with pytest.raises(ValidationError) as info:
        await provider.create(MeetingSpec(ends_at=ends_at, options=options))
    assert info.value.field == field
    assert says in info.value.message
    assert len(server.sim.rooms) == before


def test_error_messages_are_read_for_their_field():
    def parse(body):
        return whereby_error(httpx.Response(400, json=body))

    assert parse({"error": '"endDate" is required'}) == ('"endDate" is required', "ends_at")
    assert parse({"error": "roomMode must be one of: normal, group"})[1] == "roomMode"
    assert parse({"error": '"liveTranscription.language" must be one of'})[1] == (
        "liveTranscription"
    )
    assert parse({"error": '"limit" must be an integer'})[1] is None
    assert parse({"error": "Something went wrong"})[1] is None
    assert whereby_error(httpx.Response(400, text="<html>Bad Request</html>"))[1] is None


# -- lifecycle through the service --------------------------------------------------------


async def test_a_room_gone_an_hour_after_its_end_is_marked_missing(server, sim_clock,
                                                                 make_service):
    service, name = make_service(WHEREBY, server)
    short = await service.create(name, MeetingSpec(ends_at=sim_clock.now() + timedelta(minutes=10)))
    long = await service.create(name, MeetingSpec(ends_at=sim_clock.now() + timedelta(days=30)))
    assert await service.sync_all(name) == 22

    sim_clock.advance(timedelta(minutes=10, hours=1))
    await service.sync_all(name)
    assert service.cached(name, short.id).missing
    assert not service.cached(name, long.id).missing
    # Still readable offline, with its (now past) expiry.
    assert service.cached(name, short.id).effective_status(sim_clock.now()) == Status.EXPIRED


async def test_a_lost_create_whose_id_was_gone_before_is_found_not_said_safe(
        server, sim_clock, make_service):
    # A provider hands out an id the cache holds as missing (a simulator restarted with
    # its seed did: Whereby's forgot a room, then made one with the same id). The look
    # for the lost create skipped every cached id, so it said "nothing was made, safe to
    # try again", and the room later showed as live under the old room's title.
    service, name = make_service(WHEREBY, server)
    await service.sync_all(name)
    ends = in_an_hour(sim_clock)
    replay = server.sim._rng.getstate()
    old = await service.create(name, MeetingSpec(title="Old room", ends_at=ends))
    server.sim.reset()  # forgets the room
    server.sim._rng.setstate(replay)  # and will hand out its id again
    await service.sync_all(name)
    assert service.cached(name, old.id).missing
    server.sim.faults.queue("drop")
    made = await service.create(name, MeetingSpec(title="New room", ends_at=ends))
    assert made.id == old.id and made.id in server.sim.rooms
    cached = service.cached(name, made.id)
    assert not cached.missing and cached.title == "New room"


async def test_edit_recreates_the_room_with_new_links(server, sim_clock, make_service):
    service, name = make_service(WHEREBY, server)
    caps = service.capabilities(name)
    assert caps.update == UpdateMode.RECREATE and caps.update_changes_links
    assert caps.delete == DeleteMode.DELETE
    assert all(f.editable for f in caps.fields)

    old = await service.create(name, MeetingSpec(
        title="Account review", ends_at=in_an_hour(sim_clock),
        options={"roomMode": "group", "roomNamePrefix": "review-", "isLocked": True},
    ))
    result = await service.update(name, old.id, MeetingSpec(
        title="Account review", ends_at=sim_clock.now() + timedelta(hours=3)
    ))
    new = result.meeting
    assert result.links_changed and result.replaced_id == old.id and not result.warning
    assert new.id != old.id
    assert not {lk.url for lk in new.links} & {lk.url for lk in old.links}
    assert new.ends_at == sim_clock.now() + timedelta(hours=3)

    # Old room gone upstream and locally; the new one kept what the old one was made with.
    assert old.id not in server.sim.rooms
    with pytest.raises(NotFound):
        await service.provider(name).get(old.id)
    assert service.cached(name, old.id) is None
    room = server.sim.rooms[new.id]
    assert (room.room_mode, room.is_locked) == ("group", True)
    assert room.room_name.startswith("/review-")
    assert new.title == "Account review" and new.capacity == 200


async def test_an_edit_of_a_room_made_elsewhere_keeps_its_name_prefix(server, sim_clock,
                                                                      make_service):
    # A room made outside meettui (no options kept) came back from an edit as a bare
    # uuid: `customer4679-4d32…` became `8407…`, and its title (its name) with it.
    from meettui.simulators.whereby.rules import CreateSpec

    service, name = make_service(WHEREBY, server)
    made = server.sim.create_room(CreateSpec(end=in_an_hour(sim_clock),
                                             prefix="customer4679-"))
    await service.sync_all(name)
    assert service.cached(name, made.meeting_id).kept.options is None  # not meettui's
    result = await service.update(name, made.meeting_id, MeetingSpec(
        ends_at=in_an_hour(sim_clock) + timedelta(hours=1)))
    room = server.sim.rooms[result.meeting.id]
    assert room.room_name.startswith("/customer4679-") and room.room_name != made.room_name
    assert result.meeting.title.startswith("customer4679-")


async def test_the_typed_title_survives_refreshes_and_a_derived_one_is_not_copied(
    server, sim_clock, make_service
):
    service, name = make_service(WHEREBY, server)
    titled = await service.create(name, MeetingSpec(title="Intro call with Rosa Berg",
                                                    ends_at=in_an_hour(sim_clock)))
    untitled = await service.create(name, MeetingSpec(ends_at=in_an_hour(sim_clock)))
    await service.sync_all(name)
    await service.fetch(name, titled.id)
    assert service.cached(name, titled.id).title == "Intro call with Rosa Berg"
    assert service.count([name], "rosa berg") == 1  # searchable by the typed title
    room_name = server.sim.rooms[untitled.id].room_name[1:]
    assert service.cached(name, untitled.id).title == room_name

    # Editing a room that only had its room name as title (as the CLI does: title =
    # the old one) must not make the new room carry the old room's name.
    result = await service.update(name, untitled.id, MeetingSpec(
        title=room_name, ends_at=in_an_hour(sim_clock) + timedelta(minutes=30)
    ))
    new_room = server.sim.rooms[result.meeting.id].room_name[1:]
    assert result.meeting.title == new_room != room_name


async def test_delete_is_idempotent(client, server, sim_clock, make_service):
    provider, recorder = client
    created = await provider.create(MeetingSpec(ends_at=in_an_hour(sim_clock)))
    await provider.delete(created.id)
    await provider.delete(created.id)
    await provider.delete(WHEREBY.unknown_id)
    assert [r.method for r in recorder.requests].count("DELETE") == 3
    assert created.id not in server.sim.rooms

    service, name = make_service(WHEREBY, server)
    again = await service.create(name, MeetingSpec(ends_at=in_an_hour(sim_clock)))
    await service.provider(name).delete(again.id)  # gone upstream behind the cache's back
    assert await service.delete(name, again.id) == DeleteMode.DELETE
    assert service.cached(name, again.id) is None


# -- secrets ------------------------------------------------------------------------------


class Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


async def test_the_api_key_never_leaves_the_process(server, sim_clock, make_service,
                                                   tmp_path):
    collect = Collect()
    loggers = [logging.getLogger(n) for n in ("meettui", "httpx", "httpcore")]
    levels = [lg.level for lg in loggers]
    for lg in loggers:
        lg.addHandler(collect)
        lg.setLevel(logging.DEBUG)
    try:
        service, name = make_service(WHEREBY, server)
        await service.sync_all(name)
        created = await service.create(name, MeetingSpec(title="Secret check",
                                                         ends_at=in_an_hour(sim_clock)))
        await service.update(name, created.id, MeetingSpec(ends_at=in_an_hour(sim_clock)))
        errors = []
        for fault in ("500", "429", "malformed"):
            server.sim.faults.queue(fault, FAST_POLICY.max_attempts)
            with pytest.raises(ProviderError) as info:
                await service.refresh(name)
            server.sim.faults.clear_queue()
            errors.append(info.value)
        with pytest.raises(NotFound) as info:
            await service.fetch(name, WHEREBY.unknown_id)
        errors.append(info.value)
        with pytest.raises(ValidationError) as info:
            await service.create(name, MeetingSpec(ends_at=sim_clock.now() - timedelta(days=1)))
        errors.append(info.value)
        provider = service.provider(name)
        texts = [f"{e} {e.body} {e!r}" for e in errors]
        texts += [repr(provider), repr(provider.api), repr(provider.api.auth), *collect.lines]
        files = [p.read_bytes() for p in tmp_path.glob("cache-*")]  # with -wal and -shm
    finally:
        for lg, level in zip(loggers, levels, strict=True):
            lg.removeHandler(collect)
            lg.setLevel(level)
        clear_registered_secrets()
    assert collect.lines, "nothing was logged: the check proves nothing"
    # The retries of a provider's call are logged under its account's name.
    assert any(line.startswith(f"{name} (whereby) GET /meetings") and "retry" in line
               for line in collect.lines), collect.lines
    assert files and sum(len(f) for f in files) > 10_000
    for text in texts:
        assert WHEREBY_KEY not in text
    for data in files:
        assert WHEREBY_KEY.encode() not in data
    # The host links, which may be cached, are there.
    assert any(b"roomKey=" in data for data in files)


async def test_a_recreate_that_returns_the_same_id_deletes_nothing(tmp_path, sim_clock):
    # Not something Whereby does; but if an id ever came back unchanged, deleting "the
    # old one" would delete the meeting just created.
    from meettui.core.cache import Cache
    from meettui.core.config import Config
    from meettui.core.service import MeetingService

    seen: list[str] = []
    room = {"meetingId": "same", "roomUrl": "https://x.whereby.com/r",
            "endDate": "2026-03-02T12:00:00Z"}

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request.method)
        return httpx.Response(201, json=room)

    account = AccountConfig(name="wb", provider="whereby", secret_env="WB_KEY_SAME")
    service = MeetingService(
        config=Config(accounts=[account]), cache=Cache(tmp_path / "c.sqlite3"),
        clock=sim_clock, env={"WB_KEY_SAME": WHEREBY_KEY},
        transports={"wb": httpx.MockTransport(answer)},
    )
    try:
        await service.create("wb", MeetingSpec(ends_at=in_an_hour(sim_clock)))
        result = await service.update("wb", "same", MeetingSpec(ends_at=in_an_hour(sim_clock)))
        assert seen == ["POST", "GET", "POST"]  # (the GET: is the old room still there?)
        assert not result.links_changed and service.cached("wb", "same") is not None
    finally:
        await service.aclose()
        service.cache.close()
        clear_registered_secrets()


# -- odd items and lost answers ------------------------------------------------------------


async def test_a_room_ending_at_the_end_of_the_calendar_is_listed(server, sim_clock,
                                                                  make_service):
    # Whereby accepts any future endDate; one hour after 9999-12-31T23:59:59Z does not
    # exist, so the room simply never expires. It must not reject its page.
    service, name = make_service(WHEREBY, server)
    made = httpx.post(f"{server.base_url}/meetings", json={"endDate": "9999-12-31T23:59:59Z"},
                      headers={"Authorization": f"Bearer {WHEREBY_KEY}"})
    assert made.status_code == 201
    assert await service.sync_all(name) == 21
    far = service.cached(name, made.json()["meetingId"])
    assert far.ends_at == datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC)
    assert far.expires_at is None and far.status == Status.LIVE


async def test_one_unreadable_room_does_not_reject_its_page():
    good = {"meetingId": "m1", "roomUrl": "https://x.whereby.com/r1",
            "endDate": "2030-01-01T00:00:00Z"}
    body = {"results": [good, {"meetingId": "m2"}, {**good, "meetingId": "m3"}],
            "cursor": None}
    provider = offline(lambda request: httpx.Response(200, json=body))
    page = await provider.list_page()
    assert [m.id for m in page.items] == ["m1", "m3"]
    assert len(page.skipped) == 1 and "m2 without `roomUrl`" in page.skipped[0]


async def test_an_edit_whose_new_room_answer_is_lost_leaves_no_orphan(server, sim_clock,
                                                                      make_service):
    service, name = make_service(WHEREBY, server)
    old = await service.create(name, MeetingSpec(title="Review", ends_at=in_an_hour(sim_clock)))
    before = set(server.sim.rooms)
    server.sim.faults.queue("drop")  # the create half: made upstream, answer lost
    result = await service.update(name, old.id, MeetingSpec(
        title="Review", ends_at=sim_clock.now() + timedelta(hours=2)))
    assert result.replaced_id == old.id and not result.warning
    assert set(server.sim.rooms) - before == {result.meeting.id}  # one new room, no orphan
    assert old.id not in server.sim.rooms
    assert service.cached(name, result.meeting.id) is not None
    assert result.meeting.title == "Review"  # what meettui keeps came along


async def test_an_edit_whose_new_room_cannot_be_checked_says_so_in_sentences(
        server, sim_clock, make_service, monkeypatch):
    # The lost create's own composed message was quoted in parentheses inside the edit's,
    # with the check's error and its hint inside that: "… upstream (whereby: POST … check).
    # The list could not be read to check (whereby: GET … — The provider …).)."
    from meettui.core.errors import OutcomeUnknown, Unavailable

    service, name = make_service(WHEREBY, server)
    old = await service.create(name, MeetingSpec(title="Review", ends_at=in_an_hour(sim_clock)))
    provider = service.provider(name)

    async def lost(spec):
        raise OutcomeUnknown("POST /meetings got no answer within 4.9 s; it may or may not "
                             "have been saved", provider="whereby")

    async def unreadable(cursor=None):
        raise Unavailable("GET /meetings got no good answer within 20 s; the last try got no "
                          "answer within 15 s", provider="whereby", reached=True,
                          hint="The provider gave no answer in time.")

    monkeypatch.setattr(provider, "create", lost)
    monkeypatch.setattr(provider, "list_page", unreadable)
    with pytest.raises(OutcomeUnknown) as caught:
        await service.update(name, old.id, MeetingSpec(
            title="Review", ends_at=sim_clock.now() + timedelta(hours=2)))
    assert caught.value.message == (
        f"{name} (whereby): The edit was not finished: the old meeting {old.id} is "
        "unchanged, but its "
        "replacement may exist upstream. POST /meetings got no answer within 4.9 s; it may "
        "or may not have been saved. The list could not be read to check: GET /meetings got "
        "no good answer within 20 s; the last try got no answer within 15 s.")
