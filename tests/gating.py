"""A simulator held part-way through a listing, for the tests that interrupt a walk
(`meettui list` under Ctrl+C or SIGTERM, `meettui mcp` under SIGTERM) at a moment they
can observe rather than time."""

from __future__ import annotations

import asyncio
import threading
from typing import Any


class GatedSimulator:
    """A simulator's ASGI app that answers the first `open_pages` list requests
    (`GET …/meetings`) and holds every later one until `release` is set; `reached` is
    set when the walk asks for the page after them, so it has read the pages before.

    Serve it with the `sim_server` fixture like the simulator itself (it carries the
    simulator's `base_path`)."""

    def __init__(self, sim: Any, open_pages: int) -> None:
        self.sim = sim
        self.base_path = sim.base_path
        self.open_pages = open_pages
        self.pages = 0
        self.reached = threading.Event()
        self.release = threading.Event()

    async def app(self, scope, receive, send) -> None:
        if (scope["type"] == "http" and scope["method"] == "GET"
                and scope["path"].endswith("/meetings")):
            self.pages += 1
            if self.pages > self.open_pages:
                self.reached.set()
                # The server runs on its own loop in another thread: poll the
                # threading.Event so the test's thread can release it.
                while not self.release.is_set():
                    await asyncio.sleep(0.01)
        await self.sim.app(scope, receive, send)
