"""SIGTERM to `meettui mcp` (a client ending its server, `kill`): the server ends its
own way instead of dying at once. Without it the process died on the spot: a refresh
under way lost the pages it had read since its last write (the walk writes them in
batches), and the client's stderr said nothing.

On SIGTERM the refreshes under way (`walk`) are cancelled, as Ctrl+C cancels `meettui
list`'s: each writes the pages it read (`Sync.sync_all`) before it ends. The server is
then stopped (`scope`), the service closed by `serve`, and `said` tells stderr what
happened. The client's lines are read by a daemon thread (`stdin_lines`): a read of
stdin never returns while the client keeps it open, and neither the server's stop nor
the process's exit may wait for one.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import AsyncIterator, Awaitable, Iterator
from typing import Any, TypeVar

import anyio

from meettui.core.sigterm import on_sigterm

T = TypeVar("T")


class Ending:
    """The server's end on SIGTERM (see the module)."""

    def __init__(self) -> None:
        self.signalled = False
        self.refreshing = False
        """A refresh was under way when SIGTERM came."""
        self._walks: set[asyncio.Future[Any]] = set()
        self._scope: anyio.CancelScope | None = None

    async def walk(self, refresh: Awaitable[T]) -> T:
        """`refresh` run so that an end cancels it once, leaving it to write what it
        read (a cancellation of the server's own, repeated at every await, would cut
        that write short). A call the client cancels cancels its refresh the same way."""
        task = asyncio.ensure_future(refresh)
        self._walks.add(task)
        task.add_done_callback(self._walks.discard)
        try:
            return await asyncio.shield(task)
        except asyncio.CancelledError:
            if not task.cancelling():
                # Once: a second cancel would cut short the write the first one began.
                task.cancel()
            raise

    @contextlib.contextmanager
    def on_sigterm(self, scope: anyio.CancelScope) -> Iterator[None]:
        """Within it, SIGTERM ends the server running in `scope`. Without signal
        handlers (not the main thread), nothing changes."""
        self._scope = scope
        with on_sigterm(self._terminated):
            yield

    def _terminated(self) -> None:
        self.signalled = True
        self.refreshing = bool(self._walks)
        for task in list(self._walks):
            task.cancel()
        if self._scope is not None:
            self._scope.cancel()

    async def settled(self) -> None:
        """Wait for the refreshes still running to end (having written what they read),
        whatever cancels the caller meanwhile."""
        with anyio.CancelScope(shield=True):
            await asyncio.gather(*self._walks, return_exceptions=True)

    def said(self) -> str:
        """What stderr is told once the server has ended on SIGTERM."""
        if self.refreshing:
            return ("meettui mcp: Stopped (SIGTERM) during a refresh: the pages it had "
                    "read are saved in the cache; the next list_meetings refreshes the "
                    "rest.")
        return "meettui mcp: Stopped (SIGTERM)."


async def stdin_lines(fd: int) -> AsyncIterator[str]:
    """The lines of `fd` (stdin), read by a daemon thread (see the module), until it
    ends. Only that thread holds the file it reads through: closing it elsewhere would
    wait for the read under way. `closefd=False`: fd 0 stays open for whatever reads it
    after the server."""
    loop = asyncio.get_running_loop()
    queue: asyncio.Queue[str | None] = asyncio.Queue()

    def read() -> None:
        try:
            with open(fd, encoding="utf-8", errors="replace", closefd=False) as raw:
                for line in iter(raw.readline, ""):
                    loop.call_soon_threadsafe(queue.put_nowait, line)
        except (OSError, ValueError, RuntimeError):
            pass  # stdin failed or closed, or the loop is gone: the end of input
        with contextlib.suppress(RuntimeError):
            loop.call_soon_threadsafe(queue.put_nowait, None)

    threading.Thread(target=read, name="meettui mcp stdin", daemon=True).start()
    while (line := await queue.get()) is not None:
        yield line
