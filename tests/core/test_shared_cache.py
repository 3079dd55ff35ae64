"""One cache, two processes: the app's thread never waits for the file's lock, a walk
another process restarted or finished is picked up quietly, and a second service sees
the accounts the other one added to the cache."""

from __future__ import annotations

import sqlite3
import threading

import httpx
import pytest

from cli_helpers import isolate_paths
from factories import T0, WHEREBY_CONFIG, WHEREBY_KEY, make_meeting, whereby_sim_service
from meettui.core.cache import Cache
from meettui.core.config import parse_config
from meettui.core.errors import CacheBusy, CacheError, NotFound, Unavailable
from meettui.core.http import RetryPolicy
from meettui.core.service import Health, MeetingService


def _held_by_another_thread(lock) -> bool:
    if lock.acquire(blocking=False):
        lock.release()
        return False
    return True


def test_the_apps_thread_reads_past_a_writer_waiting_for_the_file_and_never_writes_waiting(
        tmp_path):
    # A worker thread's write waited (BUSY_TIMEOUT) for another process holding the
    # file, holding the cache's lock meanwhile: every read on the app's thread queued
    # behind it, and the list froze for seconds, a key at a time.
    path = tmp_path / "c.sqlite3"
    cache = Cache(path)
    cache.upsert_page("a", [make_meeting(i, account="a") for i in range(5)])
    cache.never_wait_on()
    other = sqlite3.connect(path, isolation_level=None)  # another meettui, writing
    other.execute("BEGIN EXCLUSIVE")
    failed: list[BaseException] = []

    def write() -> None:
        try:
            cache.upsert(make_meeting(9, account="a"))
        except CacheError as exc:
            failed.append(exc)

    worker = threading.Thread(target=write)
    worker.start()
    try:
        while not _held_by_another_thread(cache._lock):
            if not worker.is_alive():
                pytest.fail(f"the worker's write did not wait for the file: {failed}")
        # On this thread: every read answers while the worker still waits.
        assert cache.count(["a"]) == 5
        assert cache.get("a", make_meeting(1, account="a").id) is not None
        assert len(cache.stored_rows(["a"], limit=10)) == 5
        assert cache.sync_state("a").account == "a"
        assert cache.locate(["a"], target=("a", make_meeting(2, account="a").id)).index == 2
        assert worker.is_alive()
        # A write asked for here is refused at once, as busy, not queued.
        with pytest.raises(CacheBusy, match="in use by another process"):
            cache.record_error("a", "x")
        assert worker.is_alive()
    finally:
        other.execute("ROLLBACK")
        worker.join()
        other.close()
    cache.close()


def test_a_write_on_the_apps_thread_while_another_process_writes_is_busy_at_once(tmp_path):
    path = tmp_path / "c.sqlite3"
    cache = Cache(path)
    cache.never_wait_on()
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(CacheBusy):
            cache.upsert(make_meeting(1, account="a"))
        # Reads go on (WAL): the other process's write is not visible yet.
        assert cache.count(["a"]) == 0
    finally:
        other.execute("ROLLBACK")
        other.close()
    cache.upsert(make_meeting(1, account="a"))  # free again: the same call works
    assert cache.count(["a"]) == 1
    cache.close()


@pytest.fixture
def two_services(tmp_path):
    """(a, b): two services on one cache file and one Whereby simulator (250 rooms:
    three pages), as two meettui processes."""
    a, _sim, transport = whereby_sim_service(tmp_path, seed=3, meetings=250)
    b = MeetingService(parse_config(WHEREBY_CONFIG, tmp_path / "config.toml"),
                       Cache(tmp_path / "c.sqlite3"), clock=a.clock,
                       env={"WB_TEST_KEY": WHEREBY_KEY}, transports={"wb": transport})
    yield a, b
    a.cache.close()
    b.cache.close()


async def _walk_to_the_end(service: MeetingService) -> None:
    await service.refresh("wb")
    while await service.load_more("wb") is not None:
        pass


async def test_a_walk_another_process_restarted_is_picked_up_quietly(two_services):
    # A walked every page; B refreshed (page one again: the same cursors); A's `m` then
    # said "the server sent the page cursor 'eyJ0eX…' a second time" and marked the
    # account errored.
    a, b = two_services
    await _walk_to_the_end(a)
    assert a.sync_state("wb").complete
    await b.refresh("wb")
    page = await a.load_more("wb")  # B's walk, its page two
    assert page is not None and page.items
    info = a.account_info("wb")
    assert info.health == Health.OK and not info.sync.last_error
    while await a.load_more("wb") is not None:
        pass
    state = a.sync_state("wb")
    assert state.complete and state.last_error is None
    assert a.cache.count(["wb"]) == 250
    assert not [m for m in a.cache.window(["wb"], limit=300) if m.missing]


async def test_a_page_of_a_walk_restarted_elsewhere_leaves_the_new_walk_alone(two_services):
    # A's page of an older walk, landing after B began a new one, moved B's cursor (and
    # its last page marked B's walk complete).
    a, b = two_services
    await a.refresh("wb")
    old = a.sync_state("wb")
    await b.refresh("wb")
    new = b.sync_state("wb")
    assert new.generation == old.generation + 1
    a.cache.record_page("wb", [], generation=old.generation, next_cursor=None,
                        synced_at=T0)
    assert a.sync_state("wb") == new
    a.cache.end_walk("wb", "stopped", Health.ERROR.name, generation=old.generation)
    assert a.sync_state("wb") == new


def test_a_second_service_picks_up_the_imported_account_another_process_made(tmp_path):
    config = 'builtin_jitsi = false\n[[accounts]]\nname = "team"\nprovider = "jitsi"\n'
    cache = Cache(tmp_path / "c.sqlite3")
    service = MeetingService(parse_config(config, tmp_path / "config.toml"), cache)
    assert [a.name for a in service.config.accounts] == ["team"]
    assert not service.pick_up_accounts()
    # Another process imports a link: its meeting lands in the `imported` account.
    other = Cache(tmp_path / "c.sqlite3")
    other.upsert(make_meeting(1, account="imported").model_copy(update={"provider": "imported"}))
    other.close()
    assert service.pick_up_accounts()
    assert [a.name for a in service.config.accounts] == ["team", "imported"]
    assert not service.pick_up_accounts()  # once
    cache.close()


class Switch(httpx.AsyncBaseTransport):
    """The simulator's transport, or no connection at all while `down`."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.down = False

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if self.down:
            raise httpx.ConnectError("connection refused", request=request)
        return await self.inner.handle_async_request(request)


async def test_a_server_that_says_gone_has_answered(tmp_path):
    # After a simulator restart, "Gone" left "offline, last synced just now": the 404
    # was an answer, and the account reachable.
    service, _sim, switch = whereby_sim_service(tmp_path, seed=3, meetings=5, wrap=Switch)
    service.provider("wb").policy = RetryPolicy(max_attempts=1)
    await service.refresh("wb")
    switch.down = True
    with pytest.raises(Unavailable):
        await service.refresh("wb")
    assert service.account_info("wb").health == Health.UNREACHABLE
    switch.down = False
    with pytest.raises(NotFound):
        await service.fetch("wb", "no-such-room")
    info = service.account_info("wb")
    assert info.health == Health.OK
    # A later process says so too.
    assert service.sync_state("wb").last_error is None
    service.cache.close()


def test_a_start_with_accounts_drops_the_demos_rows_and_keeps_the_users(
        tmp_path, monkeypatch):
    # The demo (no config) wrote its simulated accounts into the user's cache; once
    # accounts were configured they stayed there, hidden, taking room.
    from meettui import bootstrap, demo

    isolate_paths(monkeypatch, tmp_path)
    demo_names = [a.name for a in demo.demo_accounts()]
    cache = Cache(tmp_path / "cache.sqlite3")
    for name in demo_names:
        cache.upsert_page(name, [make_meeting(i, account=name) for i in range(3)])
        cache.begin_sync(name)
    cache.upsert(make_meeting(1, account="jitsi").model_copy(update={"provider": "jitsi"}))
    cache.close()
    (tmp_path / "config.toml").write_text(
        '[[accounts]]\nname = "team"\nprovider = "jitsi"\n')
    service = bootstrap.open_service()
    held = service.cache.accounts_held()
    assert not held & set(demo_names)
    assert "jitsi" in held  # the built-in Jitsi's rooms are the user's own
    service.cache.close()
