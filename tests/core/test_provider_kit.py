"""The provider kit as a new provider uses it: an HttpProvider with a paging style and
an error map, against a real local server; the walk guard in the sync; per-meeting
capabilities in the service."""

from __future__ import annotations

import socket
from datetime import UTC, datetime
from typing import Any, ClassVar

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from meettui.core import registry
from meettui.core.auth import ApiKeyAuth
from meettui.core.cache import Cache
from meettui.core.capabilities import Capabilities, UpdateMode
from meettui.core.clock import FixedClock
from meettui.core.config import AccountConfig, Config
from meettui.core.errors import ConfigError, NotFound, NotSupported, ProviderError, Unavailable
from meettui.core.http import RetryPolicy
from meettui.core.http_errors import ErrorMap, ErrorRule
from meettui.core.http_provider import HttpProvider
from meettui.core.models import Link, Meeting, MeetingSpec, Role
from meettui.core.paging import CursorPaging, PageNumberPaging
from meettui.core.service import Health, MeetingService
from meettui.simulators.server import running

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


class KitProvider(HttpProvider):
    """A provider of the kind the kit is for: 0-based pages, a `Key` header, codes."""

    kind = "kit"
    display_name = "Kit"
    secrets = ("api_key",)
    capabilities = Capabilities(page_size_default=3, page_size_max=4,
                                update=UpdateMode.IN_PLACE)
    paging = PageNumberPaging(first=0, size_param="size", items_key="data",
                              total_key="recordsFiltered")
    errors = ErrorMap(codes={"4040200": ErrorRule(NotFound, hint="Check the event URL.")})
    list_path = "/sessions"
    seen_sizes: ClassVar[list[int]] = []

    def auth(self) -> httpx.Auth:
        return ApiKeyAuth(self.secret("api_key"), header="Key", scheme=None)

    def to_meeting(self, item: Any) -> Meeting:
        if not isinstance(item, dict) or "id" not in item:
            raise self.malformed("GET /sessions", "a session without id")
        return Meeting(provider=self.kind, account=self.account.name, id=str(item["id"]),
                       title=item.get("title", ""),
                       links=[Link(role=Role.GUEST, url=f"https://kit.example/{item['id']}")])

    @classmethod
    def capabilities_for(cls, meeting: Meeting) -> Capabilities:
        # Like a provider that cannot edit some of its meetings.
        if meeting.id.endswith("0"):
            return cls.capabilities.model_copy(update={"update": UpdateMode.NONE})
        return cls.capabilities

    async def get(self, meeting_id: str) -> Meeting:
        return self.to_meeting(await self.api.json("GET", f"/sessions/{meeting_id}"))

    async def create(self, spec: MeetingSpec) -> Meeting:
        raise NotSupported("not here")

    async def update(self, meeting_id: str, spec: MeetingSpec) -> Meeting:
        return (await self.get(meeting_id)).model_copy(update={"title": spec.title})


class CursorKit(KitProvider):
    """The same provider on opaque cursors (`{"data": [...], "next": "..."}`)."""

    paging = CursorPaging(items_key="data", cursor_key="next")
    list_path = "/by-cursor"


def kit_app(items: int) -> Starlette:
    sessions = [{"id": str(i), "title": f"Session {i}"} for i in range(items)]

    async def listing(request: Request) -> JSONResponse:
        if request.headers.get("key") != "kit-key-123":
            return JSONResponse({"errorCode": "4010101", "errorMessage": "no key"}, 401)
        page = int(request.query_params["page"])
        size = int(request.query_params["size"])
        KitProvider.seen_sizes.append(size)
        chunk = sessions[page * size:(page + 1) * size]
        return JSONResponse({"recordsTotal": items, "recordsFiltered": items, "data": chunk})

    async def one(request: Request) -> JSONResponse:
        sid = request.path_params["sid"]
        if not sid.isdigit() or int(sid) >= items:
            return JSONResponse({"errorCode": "4040200", "errorMessage": "Event not found",
                                 "developerMessage": "no such event"}, 404)
        return JSONResponse(sessions[int(sid)])

    async def by_cursor(request: Request) -> JSONResponse:
        # A server with a bug: every page says the next one is "p2", forever.
        return JSONResponse({"data": sessions[:3], "next": "p2"})

    return Starlette(routes=[Route("/sessions", listing), Route("/sessions/{sid}", one),
                             Route("/by-cursor", by_cursor)])


def kit_account(url: str) -> AccountConfig:
    return AccountConfig(name="kit-1", provider="kit", base_url=url)


@pytest.fixture(autouse=True)
def _registered(monkeypatch):
    # For these tests only: the registry is left as it was afterwards.
    monkeypatch.setattr(registry, "_PROVIDERS", dict(registry._PROVIDERS))
    registry.register("kit", f"{__name__}:KitProvider")
    registry.register("cursorkit", f"{__name__}:CursorKit")
    KitProvider.seen_sizes.clear()


async def test_a_new_provider_pages_maps_errors_and_clamps_with_no_boilerplate():
    with running(kit_app(10)) as url:
        provider = KitProvider(kit_account(url), secrets={"api_key": "kit-key-123"})
        try:
            first = await provider.list_page()
            assert [m.id for m in first.items] == ["0", "1", "2"] and first.next_cursor == "1"
            assert first.total == 10
            big = await provider.list_page("1", limit=50)  # clamped to page_size_max
            assert [m.id for m in big.items] == ["4", "5", "6", "7"]
            assert KitProvider.seen_sizes == [3, 4]
            with pytest.raises(NotFound, match="Event not found") as caught:
                await provider.get("99")
            assert caught.value.hint == "Check the event URL." and caught.value.status == 404
        finally:
            await provider.aclose()


class NamingKit(KitProvider):
    """A client whose `list_page` does more than read the answer (as Vonage names
    themes): a walk must get its pages from it."""

    async def list_page(self, cursor: str | None = None, limit: int | None = None):
        page = await super().list_page(cursor, limit)
        return page.model_copy(update={"items": [
            m.model_copy(update={"title": f"named {m.title}"}) for m in page.items]})


async def test_an_answer_gives_its_cursor_first_and_its_meetings_when_read(monkeypatch):
    # `answer_page` (what a full sync asks): the next cursor at once, the items mapped
    # only by `read()`; a client with its own `list_page` answers through it.
    with running(kit_app(10)) as url:
        provider = KitProvider(kit_account(url), secrets={"api_key": "kit-key-123"})
        named = NamingKit(kit_account(url), secrets={"api_key": "kit-key-123"})
        try:
            mapped: list[str] = []
            real = KitProvider.to_meeting

            def counting(self: KitProvider, item: Any) -> Meeting:
                mapped.append(item["id"])
                return real(self, item)

            monkeypatch.setattr(KitProvider, "to_meeting", counting)
            answer = await provider.answer_page("1")
            assert answer.next_cursor == "2" and mapped == []
            page = answer.read()
            assert [m.id for m in page.items] == ["3", "4", "5"] and mapped == ["3", "4", "5"]
            assert page.next_cursor == "2" and page.total == 10
            assert page == await provider.list_page("1")

            other = (await named.answer_page("1")).read()
            assert [m.title for m in other.items] == [f"named Session {i}" for i in (3, 4, 5)]
        finally:
            await provider.aclose()
            await named.aclose()


async def test_a_missing_secret_names_the_account():
    provider = KitProvider(kit_account("http://127.0.0.1:9"), secrets={})
    with pytest.raises(ConfigError, match="'kit-1' needs its api key"):
        await provider.list_page()


async def test_a_server_repeating_its_cursor_stops_the_walk_and_keeps_the_cache(tmp_path):
    with running(kit_app(10)) as url:
        cache = Cache(tmp_path / "c.sqlite3")
        account = AccountConfig(name="kit-1", provider="cursorkit", base_url=url)
        service = MeetingService(Config(accounts=[account]), cache, clock=FixedClock(NOW),
                                 secrets={"kit-1": {"api_key": "kit-key-123"}})
        try:
            with pytest.raises(ProviderError, match="a second time"):
                await service.sync_all("kit-1")
            assert service.count(["kit-1"]) == 3  # what was read stays cached
            state = service.sync_state("kit-1")
            assert state.complete and "a second time" in (state.last_error or "")
            assert await service.load_more("kit-1") is None  # nothing loops on
        finally:
            await service.aclose()
            cache.close()


async def test_the_service_follows_each_meetings_own_capabilities(tmp_path):
    with running(kit_app(5)) as url:
        cache = Cache(tmp_path / "c.sqlite3")
        service = MeetingService(Config(accounts=[kit_account(url)]), cache,
                                 clock=FixedClock(NOW),
                                 secrets={"kit-1": {"api_key": "kit-key-123"}})
        try:
            await service.sync_all("kit-1")
            fixed, editable = service.cached("kit-1", "0"), service.cached("kit-1", "1")
            assert service.capabilities_for(fixed).update == UpdateMode.NONE
            assert service.capabilities_for(editable).update == UpdateMode.IN_PLACE
            with pytest.raises(NotSupported, match="cannot be edited"):
                await service.update("kit-1", "0", MeetingSpec(title="x"))
            result = await service.update("kit-1", "1", MeetingSpec(title="Renamed"))
            assert result.meeting.title == "Renamed"
            assert service.can_write("kit-1") is None
            service.set_read_only("kit-1", True)
            assert "read-only" in (service.can_write("kit-1") or "")
        finally:
            await service.aclose()
            cache.close()


@pytest.mark.parametrize("url", ["ftp://files.example.org", "not a url", "https://",
                                 "http://[::1", "http://127.0.0.1:99999/v1"])
async def test_a_base_url_that_is_no_web_address_names_the_setting(url):
    from pydantic import ValidationError as PydanticValidationError

    # Refused when the config loads (tests/cli/test_config_urls.py), and by the account
    # model however it is made...
    with pytest.raises(PydanticValidationError, match="base_url"):
        kit_account(url)
    # ...and, should one get past (an account copied without validation), by the
    # provider before any request.
    account = kit_account("http://127.0.0.1:9").model_copy(update={"base_url": url})
    provider = KitProvider(account, secrets={"api_key": "kit-key-123"})
    with pytest.raises(ConfigError) as caught:
        await provider.list_page()
    assert "'kit-1'" in caught.value.message and "base_url" in caught.value.message
    assert "Fix `base_url`" in caught.value.hint


async def test_a_filter_too_long_to_be_one_is_said_so_not_blamed_on_the_disk(tmp_path):
    from meettui.core.errors import MeettuiError

    service = MeetingService(Config(accounts=[kit_account("http://127.0.0.1:9")]),
                             Cache(tmp_path / "c.sqlite3"), clock=FixedClock(NOW))
    try:
        with pytest.raises(MeettuiError, match="The filter is 60000 characters long") as caught:
            service.window(None, "%" * 60_000)
        assert "disk" not in str(caught.value)
        assert service.count(None, "standup") == 0  # an ordinary filter still works
    finally:
        service.cache.close()


def env_service(url: str, cache: Cache, key: str) -> MeetingService:
    """A service whose kit account reads its key from $KIT_TEST_KEY (`key`), as a new
    `meettui` process does: no call made yet, no secrets handed in."""
    account = AccountConfig(name="kit-1", provider="kit", base_url=url,
                            secret_env="KIT_TEST_KEY")
    return MeetingService(Config(accounts=[account]), cache, clock=FixedClock(NOW),
                          env={"KIT_TEST_KEY": key})


async def test_an_account_synced_before_reads_ok_in_a_new_process(tmp_path):
    # `meettui list` then `meettui accounts`: the second process made no call yet, but the
    # last sync went well, so the account is not "not synced yet".
    with running(kit_app(5)) as url:
        cache = Cache(tmp_path / "c.sqlite3")
        config = Config(accounts=[kit_account(url)])
        secrets = {"kit-1": {"api_key": "kit-key-123"}}
        first = MeetingService(config, cache, clock=FixedClock(NOW), secrets=secrets)
        await first.sync_all("kit-1")
        await first.aclose()
        later = env_service(url, cache, "kit-key-123")
        assert later.account_info("kit-1").health == Health.OK
        cache.close()


async def test_an_account_whose_last_sync_failed_says_why_in_a_new_process(tmp_path):
    # `meettui list` failed, then `meettui accounts` said "not synced yet" with no message.
    from meettui.core.errors import AuthError

    with running(kit_app(5)) as url:
        cache = Cache(tmp_path / "c.sqlite3")
        config = Config(accounts=[kit_account(url)])
        first = MeetingService(config, cache, clock=FixedClock(NOW),
                               secrets={"kit-1": {"api_key": "wrong-key-000"}})
        with pytest.raises(AuthError):
            await first.sync_all("kit-1")
        await first.aclose()
        said = first.account_info("kit-1")
        assert said.health == Health.AUTH_FAILED and "401" in said.message
        later = env_service(url, cache, "kit-key-123")
        info = later.account_info("kit-1")
        # What the app said of it then: "error" was said of every failure.
        assert (info.health, info.message) == (Health.AUTH_FAILED, said.message)
        cache.close()


async def test_an_account_not_reached_by_its_last_sync_is_unreachable_in_a_new_process(
        tmp_path):
    # `meettui list` could not connect: the app says "unreachable", and `meettui
    # accounts`, a new process, said "error".
    with socket.socket() as spare:
        spare.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{spare.getsockname()[1]}"  # nothing listens there now
    cache = Cache(tmp_path / "c.sqlite3")
    config = Config(accounts=[kit_account(url)])
    first = MeetingService(config, cache, clock=FixedClock(NOW),
                           secrets={"kit-1": {"api_key": "kit-key-123"}})
    first.provider("kit-1").policy = RetryPolicy(max_attempts=1)
    try:
        with pytest.raises(Unavailable):
            await first.sync_all("kit-1")
        said = first.account_info("kit-1")
        assert said.health == Health.UNREACHABLE
        await first.aclose()
        info = env_service(url, cache, "kit-key-123").account_info("kit-1")
        assert (info.health, info.message) == (Health.UNREACHABLE, said.message)
    finally:
        cache.close()


async def test_a_sync_that_left_a_meeting_out_is_ok_here_and_later(tmp_path):
    # The account answered, so the app says "ok"; the note of what was left out is
    # kept as the last error, which a new process read as "error".
    async def listing(request: Request) -> JSONResponse:
        return JSONResponse({"recordsTotal": 2, "recordsFiltered": 2,
                             "data": [{"id": "1"}, {"title": "no id"}]})

    with running(Starlette(routes=[Route("/sessions", listing)])) as url:
        cache = Cache(tmp_path / "c.sqlite3")
        first = MeetingService(Config(accounts=[kit_account(url)]), cache,
                               clock=FixedClock(NOW),
                               secrets={"kit-1": {"api_key": "kit-key-123"}})
        try:
            assert await first.sync_all("kit-1") == 1
            assert first.account_info("kit-1").health == Health.OK
            info = env_service(url, cache, "kit-key-123").account_info("kit-1")
            assert info.health == Health.OK and "1 meeting could not be read" in info.message
        finally:
            await first.aclose()
            cache.close()


async def test_a_walk_stopped_for_a_repeated_cursor_is_an_error_here_and_later(tmp_path):
    # The stopped walk left the account "ok" in the process that saw it, while a new
    # process read the kept message as an error.
    with running(kit_app(10)) as url:
        cache = Cache(tmp_path / "c.sqlite3")
        account = AccountConfig(name="kit-1", provider="cursorkit", base_url=url)
        service = MeetingService(Config(accounts=[account]), cache, clock=FixedClock(NOW),
                                 secrets={"kit-1": {"api_key": "kit-key-123"}})
        try:
            with pytest.raises(ProviderError, match="a second time"):
                await service.sync_all("kit-1")
            said = service.account_info("kit-1")
            assert said.health == Health.ERROR and "a second time" in said.message
            from_env = account.model_copy(update={"secret_env": "KIT_TEST_KEY"})
            later = MeetingService(Config(accounts=[from_env]), cache, clock=FixedClock(NOW),
                                   env={"KIT_TEST_KEY": "kit-key-123"}).account_info("kit-1")
            assert later.health == Health.ERROR and "a second time" in later.message
        finally:
            await service.aclose()
            cache.close()


def test_a_429_after_a_failure_says_the_account_answers_again(tmp_path):
    # A 429 is about one request, but the server answered: the account stayed "offline".
    from meettui.core.errors import AuthError, RateLimited, Unavailable

    service = MeetingService(Config(accounts=[kit_account("http://127.0.0.1:9")]),
                             Cache(tmp_path / "c.sqlite3"), clock=FixedClock(NOW))
    try:
        pool = service.pool
        pool.note_failure("kit-1", Unavailable("GET /sessions failed: connection problem"))
        assert pool.health("kit-1")[0] == Health.UNREACHABLE
        # Kept as the last error, so that a later process says it too.
        assert pool.note_failure("kit-1", RateLimited("GET /sessions → 429")) \
            == "GET /sessions → 429"
        assert pool.health("kit-1") == (Health.RATE_LIMITED, "GET /sessions → 429")
        pool.note_failure("kit-1", AuthError("GET /sessions → 401: no key"))
        assert pool.health("kit-1")[0] == Health.AUTH_FAILED
        assert pool.note_failure("kit-1", RateLimited("GET /sessions → 429")) is None
        assert pool.health("kit-1")[0] == Health.AUTH_FAILED  # a 429 proves no key
        # Sent and not answered: up, but not answering; an answer ends it.
        pool.note_failure("kit-1", Unavailable("GET /sessions got no answer", reached=True))
        assert pool.health("kit-1")[0] == Health.NO_ANSWER
        pool.note_answered("kit-1")
        assert pool.health("kit-1")[0] == Health.OK
    finally:
        service.cache.close()



async def test_refused_credentials_name_where_they_come_from(tmp_path):
    # "Check the account's credentials" named neither the account's variable nor keyring.
    from meettui.core.errors import AuthError

    with running(kit_app(2)) as url:
        service = env_service(url, Cache(tmp_path / "c.sqlite3"), "stale-key-000")
        with pytest.raises(AuthError) as caught:
            await service.refresh("kit-1")
        assert caught.value.hint == ("The provider refused the credentials of account "
                                     "'kit-1' ($KIT_TEST_KEY): check that they are current "
                                     "and belong to this account.")
        await service.aclose()
        service.cache.close()
