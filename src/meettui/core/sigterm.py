"""SIGTERM handled by the running event loop, for as long as a block runs.

`kill`, a session ending or a supervisor stopping meettui sends SIGTERM, which by
default ends the process at once: a refresh lost the pages it had read since its last
write, and the app left the terminal in raw mode. The command line's `list`, the MCP
server and the app each end their own way instead (`cli/listing.py`,
`agent/ending.py`, `tui/app_writes.py`).
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
from collections.abc import Callable, Iterator


@contextlib.contextmanager
def on_sigterm(callback: Callable[[], object]) -> Iterator[bool]:
    """Within it, SIGTERM calls `callback` on the running loop; the block is told
    whether it could be so (False without signal handlers: not the main thread, another
    platform, no running loop), in which case nothing changes."""
    try:
        loop = asyncio.get_running_loop()
        loop.add_signal_handler(signal.SIGTERM, callback)
    except (NotImplementedError, RuntimeError, ValueError):
        yield False
        return
    try:
        yield True
    finally:
        loop.remove_signal_handler(signal.SIGTERM)
