"""A list page asked for before the user's own write and stored after it leaves that
write as it was: an MCP client that listed and edited at once saw the edit succeed,
then the old start back in the cache; a meeting deleted meanwhile came back, and one
created meanwhile was marked gone by the walk's end (`core/cache_own_writes.py`)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import timedelta

import httpx
import pytest

from factories import T0, make_meeting, whereby_sim_service
from meettui.core.cache import Cache
from meettui.core.models import MeetingSpec


@pytest.fixture
def cache(tmp_path):
    c = Cache(tmp_path / "c.sqlite3")
    c.upsert_page("acc", [make_meeting(i) for i in range(4)])
    yield c
    c.close()


def _page(cache: Cache, since: int, meetings, *, last: bool = True) -> None:
    generation = cache.begin_sync("acc", since)
    cache.record_page("acc", meetings, generation=generation,
                      next_cursor=None if last else "next", synced_at=T0, since=since)


def test_an_edit_stored_after_the_page_was_asked_for_stays(cache):
    since = cache.write_mark()
    moved = make_meeting(1).model_copy(update={"starts_at": T0 + timedelta(days=5)})
    cache.upsert(moved)                                   # the edit's answer
    _page(cache, since, [make_meeting(i) for i in range(4)])  # the page, as asked before
    assert cache.get("acc", "m000001").starts_at == T0 + timedelta(days=5)
    assert cache.get("acc", "m000002").starts_at == make_meeting(2).starts_at
    assert not cache.get("acc", "m000001").missing


def test_a_page_asked_for_after_the_edit_is_stored_as_it_came(cache):
    moved = make_meeting(1).model_copy(update={"starts_at": T0 + timedelta(days=5)})
    cache.upsert(moved)
    since = cache.write_mark()                            # asked for after the edit
    _page(cache, since, [make_meeting(i) for i in range(4)])
    assert cache.get("acc", "m000001").starts_at == make_meeting(1).starts_at


def test_a_meeting_deleted_meanwhile_does_not_come_back(cache):
    since = cache.write_mark()
    assert cache.delete("acc", "m000002")
    _page(cache, since, [make_meeting(i) for i in range(4)])
    assert cache.get("acc", "m000002") is None
    assert cache.count(["acc"]) == 3
    # A later walk, asked for after the delete, stores what the provider says.
    _page(cache, cache.write_mark(), [make_meeting(i) for i in range(4)])
    assert cache.get("acc", "m000002") is not None


def test_the_walks_end_marks_missing_what_it_missed_not_what_was_made_meanwhile(cache):
    since = cache.write_mark()
    cache.upsert(make_meeting(9))                         # created while the walk was out
    _page(cache, since, [make_meeting(i) for i in range(3)])  # m3 no longer listed
    assert not cache.get("acc", "m000009").missing
    assert cache.get("acc", "m000003").missing
    # The next walk, asked for after it, marks it as any other.
    _page(cache, cache.write_mark(), [make_meeting(i) for i in range(3)])
    assert cache.get("acc", "m000009").missing


class Gate(httpx.AsyncBaseTransport):
    """The simulator's transport; while `holding`, a list answer (made by the simulator
    when asked) is handed back only once `release` is set: a slow network."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.holding = False
        self.held = asyncio.Event()
        self.release = asyncio.Event()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self.inner.handle_async_request(request)
        if self.holding and request.method == "GET" and request.url.path.endswith("/meetings"):
            await response.aread()
            self.held.set()
            await self.release.wait()
        return response


async def test_a_refresh_under_way_keeps_an_edit_made_meanwhile(tmp_path):
    # As the MCP server runs list_meetings and edit_meeting at once. Whereby edits by
    # recreating: the new room must stay, and the old one stay deleted.
    service, _sim, gate = whereby_sim_service(tmp_path, seed=3, meetings=5, wrap=Gate)
    try:
        await service.refresh("wb")
        old = service.cache.window(["wb"], limit=10)[0]
        gate.holding = True
        listing = asyncio.create_task(service.refresh("wb"))
        await gate.held.wait()                            # its answer made, not yet back
        gate.holding = False
        result = await service.update("wb", old.id, MeetingSpec(
            title=old.title, starts_at=old.starts_at,
            ends_at=(old.ends_at or T0) + timedelta(hours=2)))
        new = result.meeting
        assert result.replaced_id == old.id and new.id != old.id
        gate.release.set()
        await listing
        assert service.cache.get("wb", old.id) is None     # the page listed it
        kept = service.cache.get("wb", new.id)
        assert kept is not None and not kept.missing       # the page did not list it
        assert kept.ends_at == new.ends_at
    finally:
        service.cache.close()


def _older_walk_page(cache: Cache, meetings) -> Callable[[], list[str]]:
    """A page of an older walk (another process's), asked for now, answered below."""
    generation = cache.begin_sync("acc", cache.write_mark())
    cache.record_page("acc", [], generation=generation, next_cursor="p2", synced_at=T0)
    asked = cache.write_mark()
    return lambda: cache.record_page("acc", meetings, generation=generation,
                                     next_cursor=None, synced_at=T0, since=asked)


@pytest.mark.parametrize("confirmed", [False, True], ids=["marked", "asked-after"])
def test_a_page_of_an_older_walk_does_not_bring_back_what_a_newer_walk_marked_gone(
        cache, confirmed):
    answered = _older_walk_page(cache, [make_meeting(i) for i in range(4)])
    # A newer walk (this process's refresh) reads the list without m000003 to its end.
    generation = cache.begin_sync("acc", cache.write_mark())
    unseen = cache.record_page("acc", [make_meeting(i) for i in range(3)],
                               generation=generation, next_cursor=None, synced_at=T0,
                               confirm_unseen=confirmed)
    if confirmed:
        assert unseen == ["m000003"]
        assert cache.mark_gone("acc", generation, unseen) == 1
    assert cache.get("acc", "m000003").missing
    answered()  # the older walk's page, read before m000003 was deleted
    assert cache.get("acc", "m000003").missing
    assert cache.count(["acc"]) == 4


def test_a_page_of_an_older_walk_does_not_bring_back_a_meeting_answered_gone(cache):
    answered = _older_walk_page(cache, [make_meeting(i) for i in range(4)])
    cache.mark_missing("acc", "m000002")  # a 404 to an edit, a refresh of it
    answered()
    assert cache.get("acc", "m000002").missing


def test_marking_gone_waits_for_no_walk_but_its_own(cache):
    generation = cache.begin_sync("acc", cache.write_mark())
    unseen = cache.record_page("acc", [make_meeting(i) for i in range(3)],
                               generation=generation, next_cursor=None, synced_at=T0,
                               confirm_unseen=True)
    assert unseen == ["m000003"] and not cache.get("acc", "m000003").missing
    cache.begin_sync("acc", cache.write_mark())  # another process's refresh began
    # The newer walk has its own word on m000003: the older one's check marks nothing.
    assert cache.mark_gone("acc", generation, unseen) == 0
    assert not cache.get("acc", "m000003").missing
