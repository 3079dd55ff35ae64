"""Every provider's meetings pass the link rule (`core/link_check.py`): a server that
answers `javascript:` links, or keys that put a bidi override into a link, has its
meetings listed and read without those links, each saying why, and never loses a
meeting for it. Run against each provider's simulator over 127.0.0.1, through a
transport that rewrites the answers as a hostile server would write them."""

from __future__ import annotations

import json
from typing import Any

import httpx

from meettui.core.link_check import REFUSED_LINKS, usable
from meettui.core.models import Meeting

HOSTILE = "javascript:alert(1)"


def poisoned(value: Any, key: str = "") -> Any:
    """`value` with every web address that is no API call (the simulator's own,
    127.0.0.1) made `javascript:`, and every access key given a bidi override."""
    if isinstance(value, dict):
        return {k: poisoned(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [poisoned(v, key) for v in value]
    if isinstance(value, str):
        if value.startswith(("https://", "http://")) and "127.0.0.1" not in value:
            return HOSTILE
        if key == "accessKey":
            return value + "\u202eexe"
    return value


class Hostile(httpx.AsyncBaseTransport):
    """The real transport, its JSON answers `poisoned`."""

    def __init__(self) -> None:
        self.inner = httpx.AsyncHTTPTransport()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self.inner.handle_async_request(request)
        body = await response.aread()
        try:
            data = json.loads(body)
        except ValueError:
            return httpx.Response(response.status_code, headers=response.headers, content=body)
        headers = {k: v for k, v in response.headers.items()
                   if k.lower() not in ("content-length", "content-encoding")}
        return httpx.Response(response.status_code, headers=headers,
                              content=json.dumps(poisoned(data)).encode())

    async def aclose(self) -> None:
        await self.inner.aclose()


async def every(provider) -> list[Meeting]:
    seen: list[Meeting] = []
    cursor = None
    while True:
        page = await provider.list_page(cursor)
        assert page.skipped == []  # no meeting is lost for its links
        seen.extend(page.items)
        cursor = page.next_cursor
        if cursor is None:
            return seen


async def test_no_provider_hands_out_a_refused_link(harness, sim_server, sim_clock,
                                                    make_provider):
    server = harness.start(sim_server, sim_clock, 12)
    plain = await every(make_provider(harness, server))
    hostile = make_provider(harness, server, transport=Hostile())
    meetings = await every(hostile)
    assert [m.id for m in meetings] == [m.id for m in plain]
    for meeting in meetings:
        assert all(usable(link.url) for link in meeting.links + meeting.kept.links)
        assert HOSTILE not in meeting.model_dump_json(include={"links", "kept"})
    refused = [m for m in meetings if REFUSED_LINKS in m.details]
    if harness.kind == "accelevents":
        # Its links are the attendee portal's pages, made of the account's settings and
        # a numeric session id: nothing of the answer's reaches them.
        assert refused == [] and all(m.links for m in meetings)
        return
    assert refused == [m for m in meetings if any(m2.id == m.id and m2.links
                                                  for m2 in plain)]
    for meeting in refused:
        assert meeting.details[REFUSED_LINKS].startswith("the provider's ")
    one = await hostile.get(meetings[0].id)
    assert all(usable(link.url) for link in one.links)
    assert (REFUSED_LINKS in one.details) == (REFUSED_LINKS in meetings[0].details)
