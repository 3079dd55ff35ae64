"""A full sync (`MeetingService.sync_all`, what `meettui list` runs) against the Whereby
simulator served in-process: the page size it asks for, and what the cache holds when
the walk fails midway (the next request is in flight while a page is written)."""


import httpx
import pytest

from factories import T0, whereby_sim_service
from meettui.core.cache import Cache
from meettui.core.errors import ConfigError, ProviderError, Unavailable
from meettui.core.http import RetryPolicy
from meettui.core.service import MeetingService

NOW = T0
MEETINGS = 250  # three pages of Whereby's largest (100)


class Recording(httpx.AsyncBaseTransport):
    """The simulator's transport, noting each list request's `limit`; the list request
    numbered `fail_at` (from 1) is answered 503, and the one numbered `bad_at` with
    items none of which is a Whereby meeting (and the simulator's own cursor)."""

    def __init__(self, inner: httpx.AsyncBaseTransport, fail_at: int | None = None,
                 bad_at: int | None = None) -> None:
        self.inner = inner
        self.fail_at = fail_at
        self.bad_at = bad_at
        self.limits: list[str | None] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        listing = request.url.path.endswith("/meetings") and request.method == "GET"
        if listing:
            self.limits.append(request.url.params.get("limit"))
            if len(self.limits) == self.fail_at:
                return httpx.Response(503, json={"error": "down for a moment"})
        response = await self.inner.handle_async_request(request)
        if listing and len(self.limits) == self.bad_at:
            await response.aread()
            body = response.json()
            body["results"] = [{"roomUrl": "no id"} for _ in body["results"]]
            return httpx.Response(200, json=body)
        return response


@pytest.fixture
def world(tmp_path):
    def make(fail_at: int | None = None,
             bad_at: int | None = None) -> tuple[MeetingService, Recording]:
        service, _sim, transport = whereby_sim_service(
            tmp_path, seed=3, meetings=MEETINGS,
            wrap=lambda inner: Recording(inner, fail_at, bad_at))
        service.provider("wb").policy = RetryPolicy(max_attempts=1)
        made.append(service)
        return service, transport

    made: list[MeetingService] = []
    yield make
    for service in made:
        service.cache.close()


async def test_a_full_sync_asks_for_the_largest_page(world):
    service, transport = world()
    assert await service.sync_all("wb") == MEETINGS
    assert transport.limits == ["100", "100", "100"]
    assert service.count(["wb"]) == MEETINGS
    assert service.sync_state("wb").complete


async def test_a_sync_failing_midway_keeps_the_pages_before_it_and_can_go_on(world):
    service, transport = world(fail_at=3)
    with pytest.raises(Unavailable):
        await service.sync_all("wb")
    state = service.sync_state("wb")
    # Pages one and two landed with the cursor after page two, then the failure was
    # noted (a page landing later would have wiped it).
    assert service.count(["wb"]) == 200
    assert state.cursor is not None and not state.complete
    assert state.last_error and "503" in state.last_error

    transport.fail_at = None
    while await service.load_more("wb") is not None:
        pass
    assert service.count(["wb"]) == MEETINGS
    rows = service.window(["wb"], limit=1000)
    assert not any(m.missing for m in rows)
    assert service.sync_state("wb").complete


async def test_a_cache_that_fails_mid_sync_ends_it_with_what_was_written(world, monkeypatch):
    service, transport = world()
    real = Cache.record_page
    calls = []

    def failing(self, *args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise ConfigError("The cache failed: disk full.")
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Cache, "record_page", failing)
    with pytest.raises(ConfigError, match="disk full"):
        await service.sync_all("wb")
    assert service.count(["wb"]) == 100  # page one only
    assert not service.sync_state("wb").complete


async def test_a_full_sync_writes_with_a_large_page_cache_and_gives_it_back(world,
                                                                             monkeypatch):
    # The app's memory must not grow with the cache (#16): only the walk's writes get
    # the larger page cache, and SQLite is told to free it after the walk.
    from meettui.core import cache_transactions

    service, _ = world()
    cache = service.cache

    def cache_kib() -> int:
        with cache._lock:
            return -cache._conn.execute("PRAGMA cache_size").fetchone()[0]

    seen: list[int] = []
    record = cache.record_page

    def temp_store() -> int:
        with cache._lock:
            return int(cache._conn.execute("PRAGMA temp_store").fetchone()[0])

    stores: list[int] = []

    def recording(*args, **kwargs):
        seen.append(cache_kib())
        stores.append(temp_store())
        return record(*args, **kwargs)

    monkeypatch.setattr(cache, "record_page", recording)
    assert cache_kib() == cache_transactions.CACHE_KIB
    before = temp_store()
    assert await service.sync_all("wb") == MEETINGS
    assert seen[0] == cache_transactions.CACHE_KIB  # page one: a refresh, not the walk
    assert seen[1:] and set(seen[1:]) == {cache_transactions.BULK_CACHE_KIB}
    assert cache_kib() == cache_transactions.CACHE_KIB
    # The walk's statement journals stay in memory (2 = MEMORY); sorts go back to files.
    assert set(stores[1:]) == {2} and temp_store() == before != 2



async def test_a_page_that_cannot_be_read_midway_ends_the_walk_after_the_pages_before_it(
        world):
    # The next request goes out before a page's items are read (`answer_page`): when
    # they cannot be, that request is dropped, the pages before land, the failure is
    # noted after them, and the walk can go on from the unreadable page.
    service, transport = world(bad_at=2)
    with pytest.raises(ProviderError, match="unexpected response"):
        await service.sync_all("wb")
    assert service.count(["wb"]) == 100
    state = service.sync_state("wb")
    assert state.cursor is not None and not state.complete
    assert state.last_error and "unexpected response" in state.last_error

    transport.bad_at = None
    while await service.load_more("wb") is not None:  # page two is asked for again
        pass
    assert service.count(["wb"]) == MEETINGS
    assert service.sync_state("wb").complete


async def test_a_full_sync_sets_the_old_objects_aside_and_leaves_a_freeze_alone(world,
                                                                               monkeypatch):
    # The walk freezes what existed before it and unfreezes after (its collections skip
    # the old heap); objects someone froze already (the TUI does at start) stay frozen.
    import gc

    service, _ = world()
    seen: list[int] = []
    record = service.cache.record_page

    def recording(*args, **kwargs):
        seen.append(gc.get_freeze_count())
        return record(*args, **kwargs)

    monkeypatch.setattr(service.cache, "record_page", recording)
    assert gc.get_freeze_count() == 0
    await service.sync_all("wb")
    assert seen[0] == 0 and min(seen[1:]) > 0  # page one is a refresh, not the walk
    assert gc.get_freeze_count() == 0

    gc.freeze()
    try:
        await service.sync_all("wb")
        assert gc.get_freeze_count() > 0  # not unfrozen (objects freed leave it, though)
    finally:
        gc.unfreeze()


async def test_a_refresh_after_a_full_walk_keeps_the_account_complete(world):
    # Page one of a new walk left the later pages of the last one cached: the account
    # said `complete: false`, and the app "250 meetings so far (m loads more)", with
    # nothing more to load, until the new walk had read every page again.
    service, transport = world()
    await service.sync_all("wb")
    await service.refresh("wb")
    state = service.sync_state("wb")
    assert state.complete and state.cursor is not None
    assert state.to_fetch  # the new walk goes on: its pages are read again
    assert service.count(["wb"]) == MEETINGS
    before = len(transport.limits)
    while await service.load_more("wb") is not None:
        pass
    assert len(transport.limits) == before + 2  # pages two and three
    state = service.sync_state("wb")
    assert state.complete and state.cursor is None and not state.to_fetch


async def test_a_first_walk_is_not_complete_until_its_last_page(world):
    service, _ = world()
    assert service.sync_state("wb").to_fetch  # never synced: page one is to fetch
    await service.refresh("wb")
    state = service.sync_state("wb")
    assert not state.complete and state.to_fetch
