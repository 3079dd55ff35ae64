"""Serve a simulator's ASGI app with uvicorn: in the foreground (CLI) or a thread (tests).

Both bind the listening socket themselves before uvicorn starts, so the real port is
known even for `port=0`, and nothing guesses with sleeps.
"""

from __future__ import annotations

import logging
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import uvicorn
from starlette.types import ASGIApp

from meettui.simulators.faults import DroppedConnection

LOOPBACK = "127.0.0.1"


class _HideDeliberateDrops(logging.Filter):
    """Uvicorn logs a traceback for every exception in an app; injected drops are not bugs."""

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        return not isinstance(exc, DroppedConnection)


def _quiet_logging() -> None:
    logger = logging.getLogger("uvicorn.error")
    if not any(isinstance(f, _HideDeliberateDrops) for f in logger.filters):
        logger.addFilter(_HideDeliberateDrops())


def _config(app: ASGIApp) -> uvicorn.Config:
    # log_config=None: leave the host program's logging alone (the TUI, pytest); uvicorn's
    # records then reach the root logger, and only warnings and errors are emitted.
    return uvicorn.Config(
        app,
        log_config=None,
        log_level="warning",
        access_log=False,
        lifespan="off",
        # The simulators send their own Date, from their (possibly pinned) clock.
        date_header=False,
        server_header=False,
        # Shutting down waits for in-flight requests (e.g. injected latency) this long at most.
        timeout_graceful_shutdown=2,
    )


def bind(host: str = LOOPBACK, port: int = 0) -> socket.socket:
    """A listening TCP socket; port 0 picks a free one."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # proto must be IPPROTO_TCP, not 0: asyncio only sets TCP_NODELAY on accepted sockets
    # whose proto says TCP, and without it every answer (headers, then body) waits ~40 ms
    # for a delayed ACK.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
        sock.listen(128)
    except OSError:
        sock.close()
        raise
    sock.set_inheritable(True)
    return sock


def url_of(sock: socket.socket) -> str:
    """The root URL (`http://host:port`, no trailing slash) of a bound socket."""
    host, port = sock.getsockname()[:2]
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def serve(
    app: ASGIApp,
    host: str = LOOPBACK,
    port: int = 0,
    *,
    ready: Callable[[str], None] | None = None,
) -> None:
    """Serve `app` in the foreground until interrupted (Ctrl+C / SIGTERM).

    `ready(root_url)` is called once the server has started (the socket bound, so the
    caller can print the URL even when `port=0` chose it): what it prints is then true
    (requests are served), and a Ctrl+C after it is uvicorn's to handle, its signal
    handlers in place, rather than landing in uvicorn's or asyncio's start-up.
    """
    _quiet_logging()
    sock = bind(host, port)
    try:
        _AnnouncingServer(_config(app), lambda: ready(url_of(sock)) if ready else None
                          ).run(sockets=[sock])
    finally:
        sock.close()


class _AnnouncingServer(uvicorn.Server):
    """uvicorn's server, calling `announce()` once started, inside its signal capture."""

    def __init__(self, config: uvicorn.Config, announce: Callable[[], None]) -> None:
        super().__init__(config)
        self._announce = announce

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets=sockets)
        if not self.should_exit:
            self._announce()


@contextmanager
def running(
    app: ASGIApp, host: str = LOOPBACK, port: int = 0, *, startup_timeout: float = 10.0
) -> Iterator[str]:
    """Run `app` on a loopback port in a background thread; yield its root URL.

    Returns only once uvicorn reports it has started; stops it and joins the thread on exit.
    """
    _quiet_logging()
    sock = bind(host, port)
    server = uvicorn.Server(_config(app))
    failure: list[BaseException] = []

    def run() -> None:
        try:
            server.run(sockets=[sock])
        except BaseException as exc:  # reported to the caller below, not lost in the thread
            failure.append(exc)

    thread = threading.Thread(target=run, name=f"sim-server-{url_of(sock)}", daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + startup_timeout
        # uvicorn offers no event for "started", only this flag; poll it briefly.
        while not server.started:
            if failure or not thread.is_alive():
                raise RuntimeError(f"simulator server failed to start: {failure[:1]!r}")
            if time.monotonic() > deadline:
                raise TimeoutError(f"simulator server did not start in {startup_timeout} s")
            time.sleep(0.002)
        yield url_of(sock)
    finally:
        server.should_exit = True
        thread.join(timeout=5)
        if thread.is_alive():  # a request still hanging past the graceful timeout
            server.force_exit = True
            thread.join(timeout=5)
        sock.close()
