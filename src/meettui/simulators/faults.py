"""Fault injection for the simulators: latency, 5xx, 429, malformed JSON, dropped connections.

Faults are drawn from a seeded `random.Random`, so a test that sets `Faults(seed=7,
error_rate=0.3)` sees the same failures in the same order every run. Tests that need
one precise failure queue it: `faults.queue("503", count=2)` makes exactly the next two
API requests answer 503, ahead of any random draw.

Where a fault happens matters to a client, so it is fixed per kind:
- "500", "503", "429": answered *before* the request reaches the simulator (nothing
  is created or deleted), the way a gateway or throttle in front of the API would.
- "malformed", "drop": the simulator *does* handle the request, then the answer is
  damaged. A POST that "drops" has created its meeting; clients must not assume a
  failed create did nothing (that is the real, harder case).
"""

from __future__ import annotations

import asyncio
import json
import random
import threading
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

FAULT_KINDS = ("500", "503", "429", "malformed", "drop")

# Fields that `update()` and the control endpoint may set, with their types.
_RATE_FIELDS = ("error_rate", "rate_limit_rate", "malformed_rate", "drop_rate")
_SETTABLE: dict[str, type | tuple[type, ...]] = {
    "latency": (int, float),
    **{name: (int, float) for name in _RATE_FIELDS},
    "seed": int,
    "retry_after_ms": (int, type(None)),
}

# A 503 as a load balancer in front of an API sends it: HTML, not the provider's JSON.
# Clients must cope with an error body they cannot parse.
_GATEWAY_503 = (
    b"<html>\r\n<head><title>503 Service Temporarily Unavailable</title></head>\r\n"
    b"<body>\r\n<center><h1>503 Service Temporarily Unavailable</h1></center>\r\n"
    b"</body>\r\n</html>\r\n"
)


class DroppedConnection(ConnectionResetError):
    """Raised inside the ASGI app after a partial body, so the server closes the socket.

    Over a real socket (uvicorn) the client sees `httpx.RemoteProtocolError` ("peer
    closed connection without sending complete message body"). In-process through
    `httpx.ASGITransport` the exception itself reaches the caller.
    """


@dataclass
class Faults:
    """What goes wrong, and how often. Rates are shares of requests, 0.0 to 1.0."""

    latency: float = 0.0  # seconds added before every API answer
    error_rate: float = 0.0  # answered 500 or 503, half each
    rate_limit_rate: float = 0.0  # answered 429 in the provider's own shape
    malformed_rate: float = 0.0  # body cut in half: invalid JSON
    drop_rate: float = 0.0  # connection closed mid-body
    seed: int = 0
    # Forced 429s normally report the simulator's real window (up to 60 s); a client
    # test can shorten what they announce so its retry loop stays fast.
    retry_after_ms: int | None = None

    _rng: random.Random = field(init=False, repr=False, compare=False)
    _queue: deque[str] = field(init=False, repr=False, compare=False)
    _lock: threading.Lock = field(init=False, repr=False, compare=False)
    injected: Counter[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # The server runs in another thread than the test steering it: one lock for both.
        self._lock = threading.Lock()
        self._queue = deque()
        self.injected = Counter()
        self._validate()
        self._rng = random.Random(self.seed)

    def _validate(self) -> None:
        if self.latency < 0:
            raise ValueError("latency must be >= 0 seconds")
        for name in _RATE_FIELDS:
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"{name} must be between 0 and 1")
        if sum(getattr(self, name) for name in _RATE_FIELDS) > 1.0:
            raise ValueError("the fault rates add up to more than 1")
        if self.retry_after_ms is not None and self.retry_after_ms < 1:
            raise ValueError("retry_after_ms must be >= 1")

    def queue(self, kind: str, count: int = 1) -> None:
        """Make the next `count` API requests fail as `kind`, before any random draw."""
        if kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {kind!r}; known: {', '.join(FAULT_KINDS)}")
        if count < 1:
            raise ValueError("count must be >= 1")
        with self._lock:
            self._queue.extend([kind] * count)

    def pending(self) -> list[str]:
        with self._lock:
            return list(self._queue)

    def clear_queue(self) -> None:
        with self._lock:
            self._queue.clear()

    def update(self, **changes: Any) -> None:
        """Change settings in place (the middleware holds this object). Reseeds on `seed`."""
        for name, value in changes.items():
            expected = _SETTABLE.get(name)
            if expected is None:
                raise ValueError(f"unknown fault setting {name!r}")
            if isinstance(value, bool) or not isinstance(value, expected):
                raise ValueError(f"{name} has the wrong type")
        with self._lock:
            before = {name: getattr(self, name) for name in changes}
            for name, value in changes.items():
                setattr(self, name, value)
            try:
                self._validate()
            except ValueError:
                for name, value in before.items():
                    setattr(self, name, value)
                raise
            if "seed" in changes:
                self._rng = random.Random(self.seed)

    def reset(self) -> None:
        """No faults, empty queue, counters cleared, random sequence restarted."""
        with self._lock:
            self.latency = 0.0
            for name in _RATE_FIELDS:
                setattr(self, name, 0.0)
            self.retry_after_ms = None
            self._queue.clear()
            self.injected.clear()
            self._rng = random.Random(self.seed)

    def next_fault(self) -> str | None:
        """The fault for the request being handled now, or None to answer normally."""
        with self._lock:
            kind = self._draw()
            if kind is not None:
                self.injected[kind] += 1
            return kind

    def _draw(self) -> str | None:
        if self._queue:
            return self._queue.popleft()
        rates = [getattr(self, name) for name in _RATE_FIELDS]
        if not any(rates):
            return None  # no draw at all: keeps the sequence stable while faults are off
        roll = self._rng.random()
        for kind, rate in zip(("error", "429", "malformed", "drop"), rates, strict=True):
            if roll < rate:
                if kind == "error":
                    return "500" if self._rng.random() < 0.5 else "503"
                return kind
            roll -= rate
        return None

    def to_dict(self) -> dict[str, Any]:
        with self._lock:
            data: dict[str, Any] = {name: getattr(self, name) for name in _SETTABLE}
            data["queue"] = list(self._queue)
            data["injected"] = dict(self.injected)
            return data


ThrottledHook = Callable[[], Response]


def _default_throttled() -> Response:
    body = {"error": "Too Many Requests"}
    return JSONResponse(body, status_code=429, headers={"Retry-After": "1"})


class FaultMiddleware:
    """ASGI middleware that applies a simulator's `Faults` to every API request.

    `get_faults` is read per request, so replacing `sim.faults` takes effect at once.
    `throttled` builds the provider's own 429 (headers and body) for forced 429s.
    Paths under `exempt` (the `/_sim` control endpoints) are never faulted.
    """

    def __init__(
        self,
        app: ASGIApp,
        get_faults: Callable[[], Faults],
        throttled: ThrottledHook | None = None,
        exempt: tuple[str, ...] = ("/_sim",),
    ) -> None:
        self.app = app
        self.get_faults = get_faults
        self.throttled = throttled or _default_throttled
        self.exempt = exempt

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(self.exempt):
            await self.app(scope, receive, send)
            return
        faults = self.get_faults()
        if faults.latency:
            await asyncio.sleep(faults.latency)
        kind = faults.next_fault()
        if kind is None:
            await self.app(scope, receive, send)
        elif kind == "500":
            await JSONResponse({"error": "Internal Server Error"}, 500)(scope, receive, send)
        elif kind == "503":
            await Response(_GATEWAY_503, 503, media_type="text/html")(scope, receive, send)
        elif kind == "429":
            await self.throttled()(scope, receive, send)
        else:
            status, headers, body = await _capture(self.app, scope, receive)
            if kind == "malformed":
                await _send_malformed(send, status, headers, body)
            else:
                await _send_dropped(send, status, headers, body)


async def _capture(app: ASGIApp, scope: Scope, receive: Receive) -> tuple[int, list, bytes]:
    """Run the app to completion and keep its answer, so it can be damaged afterwards."""
    start: Message = {}
    chunks: list[bytes] = []

    async def keep(message: Message) -> None:
        if message["type"] == "http.response.start":
            start.update(message)
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))

    await app(scope, receive, keep)
    headers = [(k, v) for k, v in start.get("headers", []) if k.lower() != b"content-length"]
    return start.get("status", 500), headers, b"".join(chunks)


def _bodied(status: int, body: bytes) -> tuple[int, bytes]:
    # 204/304 cannot carry a body; a damaged answer needs one, so it becomes a 200.
    if not body:
        body = json.dumps({"error": "Internal Server Error"}).encode()
    return (200 if status in (204, 304) else status), body


async def _send_malformed(send: Send, status: int, headers: list, body: bytes) -> None:
    status, body = _bodied(status, body)
    broken = body[: max(1, len(body) // 2)]
    # Half a document is almost never JSON, but half a bare number is ("107" -> "1"): a
    # trailing comma makes sure the answer cannot be read as something it is not.
    try:
        json.loads(broken)
    except ValueError:
        pass
    else:
        broken += b","
    headers = [(k, v) for k, v in headers if k.lower() != b"content-type"]
    headers += [(b"content-type", b"application/json"), (b"content-length", b"%d" % len(broken))]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": broken})


async def _send_dropped(send: Send, status: int, headers: list, body: bytes) -> None:
    # Announce the full length, send half, then fail: uvicorn closes the socket and the
    # client reads a short body. (Sending less and returning also works, but raising is
    # also clear in-process, where there is no socket to close.)
    status, body = _bodied(status, body)
    headers = [*headers, (b"content-length", b"%d" % len(body))]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body[: len(body) // 2], "more_body": True})
    raise DroppedConnection("fault injected: connection dropped mid-response")
