"""One edit that recreates a meeting at a time, across every meettui process sharing a
cache: the edit reads the old meeting, creates the new one, then deletes the old one.
Two such edits of one meeting at once (two `meettui edit` in a script, the app and a
command) both read the old meeting before either deleted it, and made two
replacements, each saying it had replaced it. Under this lock the second one reads the
old meeting after the first has deleted it, and stops there: nothing is made.

The lock is an advisory `flock` on a file next to the cache (`<cache>.replacing`),
released when the edit ends or its process dies. Where there is no such lock (another
system, a cache in memory) the edit goes on without it, as before.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
from collections.abc import AsyncIterator
from pathlib import Path

from meettui.core.errors import MeettuiError

try:
    import fcntl
except ImportError:  # (not on this system: no lock)
    fcntl = None  # type: ignore[assignment]

WAIT = 120.0
"""At most this many seconds to wait for another process's edit: each of its calls is
bounded far below that."""
POLL = 0.05
"""How often a waiting edit tries the lock again (seconds)."""


def lock_path(cache_path: Path) -> Path | None:
    """The lock file of the cache at `cache_path`; None for a cache in memory."""
    if str(cache_path) == ":memory:":
        return None
    return cache_path.with_name(f"{cache_path.name}.replacing")


@contextlib.asynccontextmanager
async def replacing(path: Path | None, *, wait: float = WAIT) -> AsyncIterator[None]:
    """Hold the lock at `path` (none when None or where `flock` is missing) while the
    block runs. Waits for another holder (without blocking the event loop); raises
    MeettuiError when it is still held after `wait` seconds."""
    if path is None or fcntl is None:
        yield
        return
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    except OSError:  # (a folder it cannot write in: the cache itself says so)
        yield
        return
    try:
        waited = 0.0
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if waited >= wait:
                    raise MeettuiError(
                        "Another meettui has been replacing a meeting for "
                        f"{int(wait)} s, and this edit waits for it to end.",
                        hint="Try again once the other edit has ended.") from None
                await asyncio.sleep(POLL)
                waited += POLL
        yield
    finally:
        os.close(fd)  # (closing it releases the lock)
