"""A meeting deleted upstream during a walk (every provider whose simulator can delete):
a list read by offset shifts every later meeting back one place, so the meeting at the
next page boundary is on no page the walk reads. The walk still reaches its last page;
the meeting it skipped is still listed upstream and must not be marked gone, while one
deleted before the walk still is (`core/sync_gone.py`)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from meettui.core import sync_gone
from meettui.core.sync import Sync

PAGE = 5
MEETINGS = 13


@pytest.fixture(autouse=True)
def small_pages(monkeypatch):
    # Pages of PAGE meetings: a walk of MEETINGS crosses two page boundaries.
    monkeypatch.setattr(Sync, "_page_size", lambda self, account: PAGE)


def _listed(harness, server) -> list[str]:
    answer = harness.sim_list(server, harness.secrets)
    assert answer.status_code == 200, answer.text
    return harness.sim_ids(answer)


def _delete(harness, server, meeting_id: str) -> None:
    answer = harness.sim_delete(server, harness.secrets, meeting_id)
    assert answer.status_code < 300, answer.text


def _started(harness, sim_server, sim_clock, make_service, **options: Any):
    if harness.sim_delete is None or harness.sim_list is None:
        pytest.skip("the harness cannot delete on the simulator")
    server = harness.start(sim_server, sim_clock, MEETINGS)
    service, name = make_service(harness, server, **options)
    if not service.capabilities(name).remote_list:
        pytest.skip("no list upstream")
    return server, service, name


def _gone(service, name: str) -> set[str]:
    return {m.id for m in service.cache.window([name], limit=1000) if m.missing}


async def test_a_meeting_skipped_by_a_deletion_during_the_app_walk_is_not_marked_gone(
        harness, sim_server, sim_clock, make_service):
    server, service, name = _started(harness, sim_server, sim_clock, make_service)
    await service.sync_all(name)
    listed = _listed(harness, server)
    assert len(listed) == MEETINGS
    _delete(harness, server, listed[-1])  # before the walk: truly gone

    await service.refresh(name)  # page one, as the app's refresh reads it
    _delete(harness, server, listed[0])  # during the walk: the rest shift back one
    while await service.load_more(name) is not None:
        pass

    # listed[PAGE] moved onto page one after it was read: on no page of the walk, still
    # listed upstream, and read alone it answers.
    assert listed[PAGE] in _listed(harness, server)
    assert service.cached(name, listed[PAGE]).missing is False
    assert _gone(service, name) == {listed[-1]}


async def test_a_meeting_skipped_during_a_full_sync_is_not_marked_gone(
        harness, sim_server, sim_clock, make_service):
    deletions: list[str] = []
    lists = 0

    class DeleteAfterPageOne(httpx.AsyncHTTPTransport):
        """Deletes `deletions` on the simulator once page one of the walk is answered."""

        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            nonlocal lists
            response = await super().handle_async_request(request)
            if request.method == "GET" and server.base_url.split("//")[1] in str(request.url):
                lists += 1
                if lists == 1 and deletions:
                    await response.aread()
                    for meeting_id in deletions:
                        _delete(harness, server, meeting_id)
            return response

    server = None
    server, service, name = _started(harness, sim_server, sim_clock, make_service,
                                     transport=DeleteAfterPageOne())
    await service.sync_all(name)
    listed = _listed(harness, server)
    _delete(harness, server, listed[-1])
    deletions.append(listed[0])
    lists = 0

    assert await service.sync_all(name) == MEETINGS - 2  # one row fewer: one skipped

    assert service.cached(name, listed[PAGE]).missing is False
    assert _gone(service, name) == {listed[-1]}


async def test_a_clean_up_elsewhere_is_marked_gone_with_a_sample_asked_after(
        harness, sim_server, sim_clock, make_service, monkeypatch):
    # More unseen than CHECK_MAX, each of those asked after gone: all are marked.
    monkeypatch.setattr(sync_gone, "CHECK_MAX", 3)
    server, service, name = _started(harness, sim_server, sim_clock, make_service)
    await service.sync_all(name)
    listed = _listed(harness, server)
    for meeting_id in listed[2:9]:
        _delete(harness, server, meeting_id)

    await service.sync_all(name)

    assert _gone(service, name) == set(listed[2:9])


async def test_unseen_meetings_stay_when_the_check_cannot_tell(
        harness, sim_server, sim_clock, make_service):
    class RefuseSingleReads(httpx.AsyncHTTPTransport):
        """The list goes through; every read of one meeting answers 503."""

        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            if request.method == "GET" and request.url.path.rstrip("/").endswith(tuple(
                    f"/{meeting_id}" for meeting_id in listed)):
                return httpx.Response(503, json={"error": "down"}, request=request)
            return await super().handle_async_request(request)

    listed: list[str] = []
    server, service, name = _started(harness, sim_server, sim_clock, make_service,
                                     transport=RefuseSingleReads())
    await service.sync_all(name)
    listed.extend(_listed(harness, server))
    _delete(harness, server, listed[4])

    await service.sync_all(name)

    # Nothing said it is gone: it stays as it was, for the next walk to see to.
    assert _gone(service, name) == set()
    assert service.cached(name, listed[4]).missing is False
