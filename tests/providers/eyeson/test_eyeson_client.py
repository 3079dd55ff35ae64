"""The eyeson client against the eyeson simulator over real sockets.

What every provider must do is in test_conformance.py (eyeson's entry is in
provider_harness.py). Here: what only eyeson does — permalink pages plus running rooms
in one walk, hosts with own tokens, guests waiting for the start, 410 after shutdown,
options disabling actions, form and JSON bodies, the raw key and keyless user calls —
and failures on a later page leaving the cache as it was.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from urllib.parse import quote

import httpx
import pytest

from meettui.core.cache import Cache
from meettui.core.capabilities import DeleteMode, UpdateMode
from meettui.core.config import AccountConfig, Config
from meettui.core.errors import (
    AuthError,
    NotFound,
    NotSupported,
    ProviderError,
    Unavailable,
    ValidationError,
)
from meettui.core.models import MeetingSpec, Role, Status
from meettui.core.registry import provider_class
from meettui.core.service import MeetingService
from meettui.providers.eyeson import EyesonProvider
from meettui.providers.eyeson.mapping import ROOM_PREFIX

KEY = "demo-eyeson-key"
ENV = "MEETTUI_TEST_EYESON_KEY"


@dataclass
class Recorder(httpx.AsyncBaseTransport):
    """A real HTTP transport that notes every request (method, path, key sent?)."""

    requests: list[tuple[str, str, str | None, str | None]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.inner = httpx.AsyncHTTPTransport()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.requests.append((request.method, request.url.raw_path.decode(),
                              request.headers.get("authorization"),
                              request.headers.get("content-type")))
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self.inner.aclose()

    def paths(self, method: str | None = None) -> list[str]:
        return [p for m, p, _, _ in self.requests if method is None or m == method]


class Sleeps:
    def __init__(self) -> None:
        self.waits: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


@pytest.fixture
def eyeson(sim_server, sim_clock):
    return sim_server("eyeson", clock=sim_clock, meetings=30, rooms=2, api_key=KEY)


def make_account(server, **settings) -> AccountConfig:
    return AccountConfig(name="ey", provider="eyeson", base_url=server.base_url,
                         secret_env=ENV, settings=settings)


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


@pytest.fixture
async def provider(eyeson, sim_clock, recorder, sleeps) -> AsyncIterator[EyesonProvider]:
    p = EyesonProvider(make_account(eyeson), secrets={"api_key": KEY}, transport=recorder,
                       clock=sim_clock)
    p.sleep = sleeps
    yield p
    await p.aclose()


@pytest.fixture
async def service(eyeson, sim_clock, tmp_path, recorder, sleeps) -> AsyncIterator[MeetingService]:
    svc = MeetingService(
        config=Config(accounts=[make_account(eyeson)]),
        cache=Cache(tmp_path / "cache.sqlite3"),
        clock=sim_clock,
        env={ENV: KEY},
        transports={"ey": recorder},
    )
    svc.provider("ey").sleep = sleeps
    yield svc
    await svc.aclose()
    svc.cache.close()


async def walk(provider: EyesonProvider, limit: int | None = None, cursor=None):
    items, cursors = [], []
    while True:
        page = await provider.list_page(cursor, limit)
        items += page.items
        cursors.append(page.next_cursor)
        cursor = page.next_cursor
        if cursor is None:
            return items, cursors


def guest_token(meeting) -> str:
    return meeting.link(Role.GUEST).url.rsplit("guest=", 1)[1]


def host_tokens(meeting) -> dict[str, str]:
    return {lk.label: lk.url.rsplit("?", 1)[1] for lk in meeting.links_for(Role.HOST)
            if "/permalink?" in lk.url}


# --- registry and capabilities -------------------------------------------------------------


def test_registered_with_its_contract():
    cls = provider_class("eyeson")
    assert cls is EyesonProvider
    assert cls.secrets == ("api_key",)
    assert cls.default_base_url == "https://api.eyeson.team"
    caps = cls.capabilities
    assert caps.update == UpdateMode.IN_PLACE and caps.delete == DeleteMode.DELETE
    assert {a.name for a in caps.actions} == {"start", "add_host", "remove_host", "stop"}
    assert caps.action("remove_host").dangerous and not caps.action("add_host").dangerous
    assert caps.action("add_host").fields[0].required


def test_base_url_defaults_and_overrides():
    plain = EyesonProvider(AccountConfig(name="e", provider="eyeson"), secrets={"api_key": "k"})
    assert plain.base_url == "https://api.eyeson.team"
    other = EyesonProvider(AccountConfig(name="e", provider="eyeson",
                                         base_url="http://127.0.0.1:9/"), secrets={})
    assert other.base_url == "http://127.0.0.1:9"


# --- paging ------------------------------------------------------------------------------


async def test_every_page_is_fetched_once_and_every_meeting_listed_once(provider, eyeson,
                                                                       recorder):
    items, cursors = await walk(provider, limit=7)
    # The running rooms ride on the last permalink page: as many pages as permalinks need.
    assert cursors == ["permalink:2", "permalink:3", "permalink:4", "permalink:5", None]
    sim = eyeson.sim
    plain_ids = [m.room_id for m in sim.running.values() if not m.permalink_id]
    gets = recorder.paths("GET")
    # Running permalinks were seen on their pages; each other room is checked once.
    assert gets == [f"/permalink?page={n}&limit=7" for n in range(1, 6)] + ["/rooms"] + [
        f"/permalink/{rid}" for rid in plain_ids]
    ids = [m.id for m in items]
    assert len(ids) == len(set(ids))
    plain = {f"{ROOM_PREFIX}{rid}" for rid in plain_ids}
    assert set(ids) == set(sim.permalinks) | plain
    assert len(plain) == 2
    running = {pid for pid, m in sim.running.items() if m.permalink_id}
    assert running and {m.id for m in items if m.status == Status.LIVE} == running | plain


async def test_a_walk_resumed_elsewhere_still_lists_running_permalinks_once(eyeson, sim_clock):
    first = EyesonProvider(make_account(eyeson), secrets={"api_key": KEY}, clock=sim_clock)
    fresh = EyesonProvider(make_account(eyeson), secrets={"api_key": KEY}, clock=sim_clock)
    try:
        page1 = await first.list_page(None, 20)
        last = await fresh.list_page(page1.next_cursor, 20)  # another process goes on
    finally:
        await first.aclose()
        await fresh.aclose()
    assert last.next_cursor is None
    items = page1.items + last.items
    ids = [m.id for m in items]
    assert len(ids) == len(set(ids)) == 30 + 2
    running = {pid for pid, m in eyeson.sim.running.items() if m.permalink_id}
    live = {m.id for m in items if m.status == Status.LIVE}
    assert running <= live  # as permalinks, with their host links
    assert all(m.links_for(Role.HOST) for m in items if m.id in running)


async def test_service_sync_all_reads_every_page_into_the_cache(service, eyeson):
    seen = await service.sync_all("ey")
    assert seen == service.count(["ey"]) == len(eyeson.sim.permalinks) + 2
    assert service.cache.sync_state("ey").complete


@pytest.fixture
def pages_of_25(monkeypatch):
    """Walks ask for the largest page (100): at 25, the 32 meetings need two pages."""
    monkeypatch.setattr(EyesonProvider, "capabilities",
                        EyesonProvider.capabilities.model_copy(update={"page_size_max": 25}))


async def test_a_failed_refresh_does_not_make_running_permalinks_look_like_rooms(
        service, eyeson, pages_of_25):
    first = await service.refresh("ey")
    assert first.next_cursor is not None
    eyeson.sim.faults.queue("malformed")
    with pytest.raises(ProviderError):
        await service.refresh("ey")
    while await service.load_more("ey") is not None:
        pass
    rows = service.window(["ey"], limit=1000)
    assert len([m for m in rows if m.id.startswith(ROOM_PREFIX)]) == 2
    assert len(rows) == 30 + 2


async def test_a_bad_cursor_is_an_error(provider):
    with pytest.raises(ProviderError, match="cursor"):
        await provider.list_page("page-two")


# --- the model ---------------------------------------------------------------------------


async def test_permalink_as_a_meeting(provider, eyeson, sim_clock):
    meeting = await provider.create(MeetingSpec(
        title="Mortgage advice", ends_at=sim_clock.now().replace(hour=18),
        options={"host_name": "Ann Advisor", "exit_url": "https://bank.example/bye",
                 "recording_available": False}))
    assert meeting.provider == "eyeson" and meeting.account == "ey"
    assert meeting.id in eyeson.sim.permalinks
    assert meeting.title == "Mortgage advice"
    assert meeting.status == Status.SCHEDULED and meeting.starts_at is None
    assert meeting.expires_at == sim_clock.now().replace(hour=18)
    host = meeting.link(Role.HOST)
    assert host.sensitive and host.label == "Ann Advisor"
    assert host.url.startswith("https://app.eyeson.team/permalink?")
    guest = meeting.link(Role.GUEST)
    assert not guest.sensitive
    assert guest.url.startswith("https://app.eyeson.team/permalink?guest=")
    assert meeting.shareable_link() == guest  # what the QR code shows
    assert meeting.details["Guests"] == "wait until a host starts the meeting"
    assert meeting.details["Recording"] == "off"
    assert meeting.details["Exit URL"] == "https://bank.example/bye"
    stored = eyeson.sim.permalinks[meeting.id]
    assert stored.options["recording_available"] is False
    assert stored.hosts[0].name == "Ann Advisor"


async def test_raw_keeps_no_tokens_and_never_the_key(provider, eyeson):
    items, _ = await walk(provider, limit=100)
    tokens = {h.user_token for p in eyeson.sim.permalinks.values() for h in p.hosts}
    tokens |= {p.guest_token for p in eyeson.sim.permalinks.values()}
    tokens |= {m.guest_token for m in eyeson.sim.running.values() if m.guest_token}
    for meeting in items:
        raw = json.dumps(meeting.raw)
        assert KEY not in raw
        assert not any(tok in raw for tok in tokens), meeting.id
        assert KEY not in meeting.model_dump_json()


async def test_running_rooms_are_live_with_a_guest_link_only(provider, eyeson):
    items, _ = await walk(provider)
    rooms = [m for m in items if m.id.startswith(ROOM_PREFIX)]
    assert len(rooms) == 2
    for room in rooms:
        assert room.status == Status.LIVE and room.starts_at is not None
        assert [lk.role for lk in room.links] == [Role.GUEST]
        assert room.link(Role.GUEST).url.startswith("https://app.eyeson.team/?guest=")
        assert (await provider.get(room.id)).id == room.id


async def test_expired_permalinks_say_so(provider, eyeson, sim_clock):
    items, _ = await walk(provider, limit=100)
    now = sim_clock.now()
    expired = {p.id for p in eyeson.sim.permalinks.values()
               if p.expired(now) and p.id not in eyeson.sim.running}
    assert expired
    assert {m.id for m in items if m.status == Status.EXPIRED} == expired


# --- create, get, list, update, delete ---------------------------------------------------


async def test_create_get_list_update_delete(service, eyeson, recorder):
    created = await service.create("ey", MeetingSpec(title="Intro", options={"host_name": "Ann"}))
    assert recorder.requests[-1][:2] == ("POST", "/permalink")
    got = await service.fetch("ey", created.id)
    assert got.model_dump(exclude={"raw"}) == created.model_dump(exclude={"raw"})
    await service.sync_all("ey")
    assert service.cached("ey", created.id) is not None

    result = await service.update("ey", created.id, MeetingSpec(
        title="Intro (moved)", options={"broadcast_available": False}))
    assert not result.links_changed
    assert result.meeting.title == "Intro (moved)"
    assert result.meeting.links == created.links  # in place: every link stays
    assert recorder.requests[-1][:2] == ("PUT", f"/permalink/{created.id}")
    assert eyeson.sim.permalinks[created.id].options["broadcast_available"] is False

    assert await service.delete("ey", created.id) == DeleteMode.DELETE
    assert created.id not in eyeson.sim.permalinks
    assert service.cached("ey", created.id) is None
    with pytest.raises(NotFound):
        await service.fetch("ey", created.id)


@pytest.mark.parametrize("encoding", ["form", "json"])
async def test_form_and_json_bodies(eyeson, sim_clock, recorder, encoding):
    p = EyesonProvider(make_account(eyeson, body=encoding), secrets={"api_key": KEY},
                       transport=recorder, clock=sim_clock)
    try:
        meeting = await p.create(MeetingSpec(title="Both ways", options={
            "host_name": "Ann", "recording_available": False, "widescreen": "false",
            "expires_at": "+2h"}))
        await p.run_action(meeting.id, "add_host", {"name": "Bo"})
    finally:
        await p.aclose()
    kinds = {ct for m, _, _, ct in recorder.requests if m == "POST"}
    assert kinds == {"application/json" if encoding == "json"
                     else "application/x-www-form-urlencoded"}
    stored = eyeson.sim.permalinks[meeting.id]
    assert stored.name == "Both ways"
    assert stored.options == {"recording_available": False, "widescreen": False}
    assert [h.name for h in stored.hosts] == ["Ann", "Bo"]
    assert stored.expires_at == sim_clock.now().replace(hour=11)


async def test_an_unknown_body_setting_is_a_config_error(eyeson):
    from meettui.core.errors import ConfigError

    with pytest.raises(ConfigError, match="body"):
        EyesonProvider(make_account(eyeson, body="xml"), secrets={"api_key": KEY})


async def test_a_start_time_is_refused_at_its_field(provider, sim_clock):
    with pytest.raises(ValidationError) as caught:
        await provider.create(MeetingSpec(title="x", starts_at=sim_clock.now()))
    assert caught.value.field == "starts_at"


async def test_a_past_expiry_is_refused(provider, sim_clock):
    with pytest.raises(ValidationError) as caught:
        await provider.create(MeetingSpec(title="x", options={"expires_at": "2020-01-01T00:00"}))
    assert caught.value.field == "ends_at"


async def test_the_providers_400_message_reaches_the_field(provider):
    with pytest.raises(ValidationError) as caught:
        await provider.create(MeetingSpec(title="x", options={"host_name": "A" * 200}))
    assert caught.value.field == "host_name"
    assert "the host name (user[name]) is longer than 128 characters" in caught.value.message
    assert caught.value.status == 400


async def test_running_rooms_cannot_be_edited(provider):
    with pytest.raises(NotSupported):
        await provider.update(f"{ROOM_PREFIX}abc", MeetingSpec(title="x"))


# --- errors --------------------------------------------------------------------------------


async def test_the_raw_key_is_sent_and_a_wrong_one_is_an_auth_error(eyeson, sim_clock, recorder):
    good = EyesonProvider(make_account(eyeson), secrets={"api_key": KEY}, transport=recorder,
                          clock=sim_clock)
    bad = EyesonProvider(make_account(eyeson), secrets={"api_key": "wrong-key-123"},
                         clock=sim_clock)
    try:
        await good.list_page()
        assert recorder.requests[0][2] == KEY  # raw, no "Bearer"
        with pytest.raises(AuthError) as caught:
            await bad.list_page()
        assert caught.value.status == 401
        assert "wrong-key-123" not in str(caught.value)
    finally:
        await good.aclose()
        await bad.aclose()


async def test_unknown_ids_are_not_found(provider):
    with pytest.raises(NotFound):
        await provider.get("0123456789abcdef01234567")
    with pytest.raises(NotFound, match="has ended"):
        await provider.get(f"{ROOM_PREFIX}0123456789abcdef01234567")


async def assert_cache_untouched(service, before_count, before_state):
    assert service.count(["ey"]) == before_count
    after = service.cache.sync_state("ey")
    assert (after.cursor, after.generation, after.complete) == before_state


@pytest.mark.parametrize(
    ("fault", "count", "error", "match", "health"),
    [
        ("503", 4, Unavailable, "503", "error"),
        ("500", 4, Unavailable, "500", "error"),
        # The request reached the server, which dropped the answer: up, not answering.
        ("drop", 4, Unavailable, "connection", "not answering"),
        ("malformed", 1, ProviderError, "malformed", "error"),
    ],
)
async def test_failed_pages_leave_the_cache_as_it_was(service, eyeson, fault, count, error,
                                                       match, health, pages_of_25):
    await service.refresh("ey")
    before = service.count(["ey"])
    state = service.cache.sync_state("ey")
    eyeson.sim.faults.queue(fault, count)
    with pytest.raises(error, match=match):
        await service.load_more("ey")
    await assert_cache_untouched(service, before, (state.cursor, state.generation,
                                                   state.complete))
    assert service.account_info("ey").health.value == health


async def test_hosts_each_have_a_link_and_a_removed_one_stops_working(service, eyeson):
    m = await service.create("ey", MeetingSpec(title="Panel", options={"host_name": "Ann"}))
    m = await service.run_action("ey", m.id, "add_host", {"name": "Bo"})
    hosts = host_tokens(m)
    assert list(hosts) == ["Ann", "Bo"]
    assert all(lk.sensitive for lk in m.links_for(Role.HOST))
    assert service.cached("ey", m.id).links == m.links  # the cache follows the action

    m = await service.run_action("ey", m.id, "remove_host", {"host": "bo"})  # any case
    assert list(host_tokens(m)) == ["Ann"]
    async with httpx.AsyncClient(base_url=eyeson.base_url) as anon:
        assert (await anon.post(f"/permalink/{hosts['Bo']}")).status_code == 404
        assert (await anon.post(f"/permalink/{hosts['Ann']}")).status_code == 201
    with pytest.raises(ValidationError, match="No host named 'Bo'"):
        await service.run_action("ey", m.id, "start", {"host": "Bo"})


async def test_remove_host_by_token_and_ambiguous_names(provider, eyeson):
    m = await provider.create(MeetingSpec(title="Twins", options={"host_name": "Sam"}))
    # A second host of one name was taken without a word; starting as either, or
    # removing one, by name was then refused as ambiguous: refused before it is sent.
    with pytest.raises(ValidationError, match="has a host named 'Sam' already") as caught:
        await provider.run_action(m.id, "add_host", {"name": "sam"})
    assert caught.value.field == "name" and caught.value.exit_code == 2
    assert len(eyeson.sim.permalinks[m.id].hosts) == 1
    # eyeson itself takes one (from another tool): only the token tells them apart.
    async with httpx.AsyncClient(base_url=eyeson.base_url,
                                 headers={"Authorization": KEY}) as team:
        added = await team.post(f"/permalink/{m.id}/users", data={"user[name]": "Sam"})
    assert added.status_code == 201
    with pytest.raises(ValidationError, match="2 hosts are named 'Sam'"):
        await provider.run_action(m.id, "remove_host", {"host": "Sam"})
    second = eyeson.sim.permalinks[m.id].hosts[1].user_token
    m = await provider.run_action(m.id, "remove_host", {"user_token": second})
    assert len(m.links_for(Role.HOST)) == 1
    assert [h.user_token for h in eyeson.sim.permalinks[m.id].hosts] != [second]


async def test_a_removed_tokens_errors_never_show_it(provider, eyeson):
    m = await provider.create(MeetingSpec(title="Gone", options={"host_name": "Ann"}))
    m = await provider.run_action(m.id, "add_host", {"name": "Bo"})
    bo = host_tokens(m)["Bo"]
    await provider.run_action(m.id, "remove_host", {"host": bo})
    with pytest.raises(ValidationError) as caught:  # the token is unknown, not the meeting
        await provider.run_action(m.id, "start", {"host": bo})
    assert caught.value.field == "host"
    assert bo not in str(caught.value) and bo not in caught.value.body


async def test_guests_wait_until_a_host_starts_it(service, eyeson, recorder):
    m = await service.create("ey", MeetingSpec(title="Clinic", options={"host_name": "Dr Vera"}))
    guest = guest_token(m)
    async with httpx.AsyncClient(base_url=eyeson.base_url) as anon:
        early = await anon.post(f"/guests/{guest}", data={"name": "Pat"})
        assert early.status_code == 423
        started = await service.run_action("ey", m.id, "start", {})
        assert started.status == Status.LIVE and started.starts_at is not None
        assert started.details["Guests"] == "can join now"
        live = [lk for lk in started.links_for(Role.HOST) if "running meeting" in lk.label]
        assert len(live) == 1 and live[0].sensitive
        assert live[0].url.startswith("https://app.eyeson.team/?")
        assert started.shareable_link() == m.link(Role.GUEST)  # the guest link stays
        late = await anon.post(f"/guests/{guest}", data={"name": "Pat"})
        assert late.status_code == 201
    # The start went out without the key, the team calls with it.
    start = [r for r in recorder.requests if r[0] == "POST" and r[1].startswith("/permalink/")]
    assert len(start) == 1 and start[0][2] is None
    assert all(r[2] == KEY for r in recorder.requests if r not in start)
    assert eyeson.sim.user_calls_with_key == 0


async def test_starting_an_expired_permalink_fails_clearly(provider, eyeson, sim_clock):
    m = await provider.create(MeetingSpec(title="Soon over", options={"expires_at": "+1h"}))
    sim_clock.advance(7200)
    with pytest.raises(NotFound, match="permalink expired"):
        await provider.run_action(m.id, "start", {})
    assert (await provider.get(m.id)).status == Status.EXPIRED


async def test_410_after_shutdown(service, eyeson):
    m = await service.create("ey", MeetingSpec(title="Short", options={"host_name": "Ann"}))
    started = await service.run_action("ey", m.id, "start", {})
    key = next(lk for lk in started.links if "running meeting" in lk.label).url.split("?")[1]
    provider = service.provider("ey")
    await provider._call(provider.user, "GET", f"/rooms/{key}")
    stopped = await service.run_action("ey", m.id, "stop", {})
    assert stopped.status == Status.SCHEDULED  # the permalink can run again
    with pytest.raises(NotFound, match="meeting has ended") as caught:
        await provider._call(provider.user, "GET", f"/rooms/{key}", shown="/rooms/<key>")
    assert caught.value.status == 410 and key not in str(caught.value)
    with pytest.raises(ValidationError, match="not running"):
        await service.run_action("ey", m.id, "stop", {})


async def test_ending_a_running_room(service, eyeson):
    await service.sync_all("ey")
    room = next(m for m in service.window(["ey"], limit=1000) if m.id.startswith(ROOM_PREFIX))
    ended = await service.run_action("ey", room.id, "stop", {})
    assert ended.status == Status.ENDED and ended.links == []
    with pytest.raises(NotFound, match="has ended"):
        await service.fetch("ey", room.id)
    with pytest.raises(NotSupported):
        await service.run_action("ey", room.id, "add_host", {"name": "x"})


async def test_an_option_that_disables_an_action_is_a_clear_error(provider, eyeson):
    m = await provider.create(MeetingSpec(title="No rec", options={"recording_available": False}))
    started = await provider.run_action(m.id, "start", {})
    key = next(lk for lk in started.links if "running meeting" in lk.label).url.split("?")[1]
    with pytest.raises(ValidationError, match="disabled by option") as caught:
        await provider._call(provider.user, "POST", f"/rooms/{key}/recording")
    assert caught.value.status == 405


async def test_unknown_actions_are_not_supported(provider):
    with pytest.raises(NotSupported):
        await provider.run_action("x", "teleport", {})
    with pytest.raises(ValidationError):
        await provider.run_action("x", "add_host", {})


# --- the demo -----------------------------------------------------------------------------


async def test_the_demo_account_runs_the_simulator_in_process(tmp_path, sim_clock):
    from meettui import demo

    account = next(a for a in demo.demo_accounts() if a.provider == "eyeson")
    assert account.name == "eyeson-demo" and account.demo
    svc = MeetingService(config=Config(accounts=[account]),
                         cache=Cache(tmp_path / "demo.sqlite3"), clock=sim_clock)
    demo.attach(svc)
    try:
        seen = await svc.sync_all("eyeson-demo")
        meetings = svc.window(["eyeson-demo"], limit=1000)
        assert seen == len(meetings) == 60 + 3
        assert any(m.status == Status.LIVE for m in meetings)
        waiting = next(m for m in meetings if m.status == Status.SCHEDULED
                       and m.link(Role.GUEST))
        started = await svc.run_action("eyeson-demo", waiting.id, "start", {})
        assert started.status == Status.LIVE
    finally:
        await svc.aclose()
        svc.cache.close()


@pytest.mark.parametrize(("options", "field", "text"), [
    ({"exit_url": "bank.example/bye"}, "exit_url", "not 'bank.example/bye'"),
    ({"recording_available": "sometimes"}, "recording_available", "not 'sometimes'"),
])
async def test_an_option_given_but_refused_is_named(provider, eyeson, sim_clock, options,
                                                    field, text):
    before = set(eyeson.sim.permalinks)
    with pytest.raises(ValidationError) as info:
        await provider.create(MeetingSpec(title="Odd", ends_at=sim_clock.now().replace(hour=18),
                                          options=options))
    assert info.value.field == field
    assert text in info.value.message
    assert set(eyeson.sim.permalinks) == before


# --- ids from outside stay one path segment ---------------------------------------------------


def _one_segment(value: str) -> str:
    # Every reserved character encoded; a dot segment (removed by URL resolution) too.
    encoded = quote(value, safe="")
    return encoded.replace(".", "%2E") if encoded in (".", "..") else encoded


@pytest.mark.parametrize("hostile", ["../rooms", "..", ".", "ID?x=1", "x/../../rooms", "a#b"])
async def test_a_hostile_permalink_id_stays_one_path_segment_in_every_call(
        provider, recorder, hostile):
    # MCP get_meeting {"id": "../rooms", "account": "ey"} sent the team's API key to
    # /rooms, and "ID?x=1" added a query: ids went into paths as they were.
    calls = {
        "get": lambda: provider.get(hostile),
        "update": lambda: provider.update(hostile, MeetingSpec(title="New name")),
        "delete": lambda: provider.delete(hostile),
        "add_host": lambda: provider.run_action(hostile, "add_host", {"name": "Bo"}),
        "remove_host": lambda: provider.run_action(hostile, "remove_host", {"host": "Bo"}),
        "start": lambda: provider.run_action(hostile, "start", {}),
        "stop": lambda: provider.run_action(hostile, "stop", {}),
    }
    for name, call in calls.items():
        with pytest.raises(ProviderError):
            await call()
        sent = recorder.paths()
        recorder.requests.clear()
        assert sent, name
        # /permalink/<id>[/users] or /rooms/<id> (stop), the id one encoded segment.
        assert all(path.split("/")[1] in ("permalink", "rooms")
                   and path.split("/")[2] == _one_segment(hostile)
                   and len(path.split("/")) <= 4 and "?" not in path for path in sent), (
            name, sent)


@pytest.mark.parametrize("hostile", ["../permalink", "..", "ID?x=1"])
async def test_a_hostile_room_id_stays_one_path_segment(provider, recorder, hostile):
    with pytest.raises(ProviderError):
        await provider.delete(f"{ROOM_PREFIX}{hostile}")
    with pytest.raises(ProviderError):
        await provider.run_action(f"{ROOM_PREFIX}{hostile}", "stop", {})
    assert [(m, p) for m, p, _, _ in recorder.requests if m == "DELETE"] == [
        ("DELETE", f"/rooms/{_one_segment(hostile)}")]
