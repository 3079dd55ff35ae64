"""What every simulator shares: a steerable clock, faults, and the `/_sim` control endpoints.

The control endpoints let a test or a person steer a simulator that runs in another
process (`meettui simulate ...`) over plain HTTP. They are never faulted, rate limited
or authenticated: the simulator only listens on loopback unless told otherwise.
"""

from __future__ import annotations

import json
import math
import os
import random
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from typing import Any, ClassVar

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from meettui.core.clock import SYSTEM_CLOCK, Clock
from meettui.simulators.account import SimAccount, SimSecret
from meettui.simulators.faults import FAULT_KINDS, FaultMiddleware, Faults


def iso_z(moment: datetime) -> str:
    """UTC with milliseconds and `Z`, like JavaScript's `Date.toISOString()`."""
    return f"{moment.year:04d}" + moment.strftime("-%m-%dT%H:%M:%S.") + \
        f"{moment.microsecond // 1000:03d}Z"


# How far the control endpoint may move a simulator's clock: far enough for any test of
# expiry, never so far that "now" plus a room's lifetime leaves the datetime range.
CLOCK_MIN = datetime(1970, 1, 1, tzinfo=UTC)
CLOCK_MAX = datetime(9000, 1, 1, tzinfo=UTC)


class SimClock:
    """A clock that follows `base` plus an offset that `advance()` moves.

    With a `FixedClock` base, tests may advance either one. With the system clock (a
    simulator run from the CLI) the offset is the only way to jump forward in time.
    """

    def __init__(self, base: Clock) -> None:
        self.base = base
        self.offset = timedelta(0)

    def now(self) -> datetime:
        return self.base.now() + self.offset

    def advance(self, seconds: float | timedelta) -> None:
        self.offset += seconds if isinstance(seconds, timedelta) else timedelta(seconds=seconds)

    def set(self, moment: datetime) -> None:
        self.offset = moment - self.base.now()

    def reset(self) -> None:
        self.offset = timedelta(0)


class Simulator:
    """Base for one provider's simulator. Subclasses set `kind`, `base_path`, `routes()`."""

    kind: ClassVar[str] = ""
    base_path: ClassVar[str] = ""  # prefix of the provider API, e.g. "/v1"
    # What is created while serving draws its ids from here (seeded data from its own
    # generator); subclasses set it to a `runtime_random()` in `reset_state`.
    _rng: random.Random

    def __init__(
        self,
        *,
        seed: int = 1,
        api_key: str = "demo",
        clock: Clock | None = None,
        faults: Faults | None = None,
    ) -> None:
        self.seed = seed
        self.api_key = api_key
        self.clock = SimClock(clock or SYSTEM_CLOCK)
        self.faults = faults if faults is not None else Faults()
        self._app: ASGIApp | None = None

    # --- to be provided by each provider ---------------------------------------------

    def routes(self) -> list[BaseRoute]:
        raise NotImplementedError

    def reset_state(self) -> None:
        """Back to the seeded data (at the clock's current time)."""
        raise NotImplementedError

    def describe_credentials(self) -> str:
        return f"API key: {self.api_key}"

    def account(self) -> SimAccount:
        """The account that uses this simulator, less its base URL: the key it accepts,
        in `<KIND>_API_KEY`. Simulators with other secrets, or settings, say theirs."""
        return SimAccount(secrets=(SimSecret("api_key", f"{self.kind.upper()}_API_KEY",
                                             self.api_key),))

    def throttled_response(self) -> Response:
        """The provider's 429 as the fault injector should send it."""
        return JSONResponse({"error": "Too Many Requests"}, 429, headers={"Retry-After": "1"})

    def demo_titles(self) -> dict[str, str]:
        """Titles for seeded meetings whose API has none , by meeting id,
        as a user would have typed them in meettui; the demo shows them."""
        return {}

    def info(self) -> dict[str, Any]:
        return {"kind": self.kind, "base_path": self.base_path, "now": iso_z(self.clock.now())}

    def close(self) -> None:
        """Remove what this simulator wrote for the run (a generated key file): `meettui
        simulate` calls it when the server stops, Ctrl+C, SIGTERM and SIGHUP (its
        terminal closed) included. Nothing by default."""

    # --- shared -----------------------------------------------------------------------

    def reseed_runtime(self, seed: int | str | bytes) -> None:
        """Draw what is created from now on (until a reset) from `seed`: for a test that
        pins what a run creates. A simulator that serves draws from the system's entropy
        (`runtime_random`). The seeded data stays as it is."""
        self._rng.seed(seed)

    @staticmethod
    def runtime_random() -> random.Random:
        """A generator for what is created while serving (ids, tokens, room names),
        drawn from the system's entropy, never from the seed. The seeded data is the
        same on every run, so that a client's cache finds it again; what a run creates
        must not be: a real provider never hands out an id twice, and a simulator
        restarted (or reset) with the same seed forgets what the last run made while
        the cache that saw it does not."""
        return random.Random(os.urandom(32))

    def reset(self) -> None:
        """Clock offset, faults and data back to how they were built."""
        self.clock.reset()
        self.faults.reset()
        self.reset_state()

    @property
    def app(self) -> ASGIApp:
        if self._app is None:
            starlette = Starlette(
                routes=[*control_routes(self), *self.routes()],
                exception_handlers={HTTPException: json_http_error},
            )
            faulty = FaultMiddleware(
                starlette, get_faults=lambda: self.faults, throttled=self.throttled_response
            )
            self._app = _ClockDate(faulty, self.clock)
        return self._app


class _ClockDate:
    """Sets the `Date` header from the simulator's clock (the server's own is turned off).

    Clients may compare `X-RateLimit-Reset` or expiry times with `Date`; with a pinned or
    advanced clock, the wall-clock date a server would send would contradict them.
    """

    def __init__(self, app: ASGIApp, clock: Clock) -> None:
        self.app, self.clock = app, clock

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def dated(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"date"]
                date = format_datetime(self.clock.now(), usegmt=True).encode()
                message = {**message, "headers": [*headers, (b"date", date)]}
            await send(message)

        await self.app(scope, receive, dated)


def error(status: int, message: str, **headers: str) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status, headers=headers or None)


async def json_http_error(request: Request, exc: Exception) -> Response:
    # Routers answer unknown paths (404) and wrong methods (405, with Allow) through
    # HTTPException; providers speak JSON, so those answers do too.
    assert isinstance(exc, HTTPException)
    if exc.status_code in (204, 304):
        return Response(status_code=exc.status_code, headers=exc.headers)
    return JSONResponse({"error": exc.detail}, exc.status_code, headers=exc.headers)


async def _json_object(request: Request) -> dict[str, Any]:
    raw = await request.body()
    if not raw.strip():
        return {}
    try:
        data = json.loads(raw)
    except ValueError as exc:
        raise HTTPException(400, "body must be a JSON object") from exc
    if not isinstance(data, dict):
        raise HTTPException(400, "body must be a JSON object")
    return data


def control_routes(sim: Simulator) -> list[BaseRoute]:
    async def info(request: Request) -> Response:
        return JSONResponse(sim.info())

    async def faults(request: Request) -> Response:
        if request.method == "POST":
            body = await _json_object(request)
            try:
                _apply_faults(sim.faults, body)
            except ValueError as exc:
                return error(400, str(exc))
        return JSONResponse(sim.faults.to_dict())

    async def clock(request: Request) -> Response:
        if request.method == "POST":
            body = await _json_object(request)
            advance, at = body.get("advance"), body.get("set")
            if advance is not None:
                if (isinstance(advance, bool) or not isinstance(advance, int | float)
                        or not math.isfinite(advance)):
                    return error(400, '"advance" must be a number of seconds')
                try:
                    target = sim.clock.now() + timedelta(seconds=advance)
                except OverflowError:
                    target = CLOCK_MAX
                if not CLOCK_MIN <= target < CLOCK_MAX:
                    return error(400, f'"advance" would move the clock out of {CLOCK_MIN.year}'
                                      f"–{CLOCK_MAX.year - 1}")
                sim.clock.advance(advance)
            elif at is not None:
                try:
                    moment = datetime.fromisoformat(str(at).replace("Z", "+00:00"))
                    if moment.tzinfo is None:
                        raise ValueError("no offset")
                except (ValueError, TypeError):
                    return error(400, '"set" must be an ISO 8601 date-time with an offset')
                if not CLOCK_MIN <= moment < CLOCK_MAX:
                    return error(400, f'"set" must be within {CLOCK_MIN.year}'
                                      f"–{CLOCK_MAX.year - 1}")
                sim.clock.set(moment)
            else:
                return error(400, 'send {"advance": seconds} or {"set": "<date-time>"}')
        return JSONResponse({"now": iso_z(sim.clock.now())})

    async def reset(request: Request) -> Response:
        sim.reset()
        return JSONResponse(sim.info())

    return [
        Route("/_sim", info, methods=["GET"]),
        Route("/_sim/", info, methods=["GET"]),
        Route("/_sim/faults", faults, methods=["GET", "POST"]),
        Route("/_sim/clock", clock, methods=["GET", "POST"]),
        Route("/_sim/reset", reset, methods=["POST"]),
    ]


def _apply_faults(faults: Faults, body: dict[str, Any]) -> None:
    """`{"error_rate": 0.1, ..., "clear_queue": true, "queue": [{"kind": "503", "count": 2}]}`.

    All or nothing: everything is checked before anything changes, so a 400 leaves the
    faults as they were. Raises ValueError saying what is wrong."""
    body = dict(body)
    reset, clear = bool(body.pop("reset", False)), bool(body.pop("clear_queue", False))
    queued = body.pop("queue", [])
    if isinstance(queued, dict):
        queued = [queued]
    if not isinstance(queued, list) or not all(isinstance(q, dict) for q in queued):
        raise ValueError('"queue" must be a list of {"kind": ..., "count": ...}')
    entries: list[tuple[str, int]] = []
    for item in queued:
        kind, count = str(item.get("kind")), item.get("count", 1)
        if kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {kind!r}; known: {', '.join(FAULT_KINDS)}")
        if isinstance(count, bool) or not isinstance(count, int) or count < 1:
            raise ValueError('"count" must be an integer of at least 1')
        entries.append((kind, count))
    # The settings are checked on a scratch copy, which refuses as the real one would.
    scratch = Faults(**{k: v for k, v in faults.to_dict().items()
                        if k not in ("queue", "injected")})
    scratch.update(**body)
    if reset:
        faults.reset()
    if clear:
        faults.clear_queue()
    faults.update(**body)
    for kind, count in entries:
        faults.queue(kind, count)
