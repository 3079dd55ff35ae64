"""Simulator of the Whereby Embedded REST API v1 (`/v1/meetings`).

Contract: `contracts/whereby/openapi.json` and `research/providers-whereby-vonage.md`
sections 1 and 3. Where no source settles a detail, the choice is marked "unconfirmed".
"""

from __future__ import annotations

import heapq
import hmac
import itertools
import math
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Mount, Route, Router
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from meettui.core.clock import Clock
from meettui.simulators import fakedata as seeds
from meettui.simulators.base import Simulator, error, iso_z
from meettui.simulators.faults import Faults
from meettui.simulators.ratelimit import Budget, PointsLimiter
from meettui.simulators.whereby.rules import (
    CreateSpec,
    Invalid,
    decode_cursor,
    encode_cursor,
    parse_create,
    parse_limit,
    parse_query_fields,
    to_ms,
)
from meettui.simulators.whereby.seed import seed_rooms

DEFAULT_MEETINGS = 300
DEFAULT_SUBDOMAIN = "meettui-demo"
DEFAULT_RATE_LIMIT = 100  # points per minute: the Build plan; Grow/Enterprise get 1000
# Points per request (OAS info block): read 1, delete 2, write 3.
COSTS = {"GET": 1, "HEAD": 1, "DELETE": 2}
WRITE_COST = 3
# A room is deactivated one hour after endDate and deleted within 24 h; the simulator
# drops it at the one-hour mark (the point after which it is no use to anyone).
ROOM_TTL_AFTER_END = timedelta(hours=1)
# "Six distinguishable characters": no 0/o, 1/l/i (the exact alphabet is unconfirmed).
HUMAN_SHORT_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
UNAUTHORIZED = "Access token is missing or invalid"
NOT_FOUND = "The requested resource doesn't exist"
THROTTLED = "Rate limit active for throttle key: organization:1"


@dataclass
class Room:
    meeting_id: str
    room_name: str  # with the leading "/"
    start: datetime  # creation time: Whereby ignores any requested start
    end: datetime
    room_mode: str = "normal"
    is_locked: bool = False
    template_type: str | None = None
    host_key: str = ""
    viewer_key: str = ""
    options: dict[str, Any] = field(default_factory=dict)


def throttled(budget: Budget, ms_left: int | None = None) -> Response:
    """Whereby's documented 429: `Retry-After` in seconds and `data.msLeft` in ms."""
    ms_left = ms_left or budget.ms_left
    headers = {**budget.headers(), "X-RateLimit-Remaining": "0"}
    headers["Retry-After"] = str(max(1, math.ceil(ms_left / 1000)))
    body = {"error": THROTTLED, "data": {"msLeft": ms_left}}
    return JSONResponse(body, status_code=429, headers=headers)


def _expiry_of(end: datetime) -> datetime:
    """When a room goes: an hour after its end; a room ending at the very end of the
    calendar (9999-12-31, which the API accepts) simply never goes."""
    try:
        return end + ROOM_TTL_AFTER_END
    except OverflowError:
        return datetime.max.replace(tzinfo=end.tzinfo)


class WherebySimulator(Simulator):
    kind = "whereby"
    base_path = "/v1"

    def __init__(
        self,
        *,
        seed: int = 1,
        meetings: int = DEFAULT_MEETINGS,
        api_key: str = "demo",
        clock: Clock | None = None,
        faults: Faults | None = None,
        subdomain: str = DEFAULT_SUBDOMAIN,
        rate_limit: int = DEFAULT_RATE_LIMIT,
    ) -> None:
        super().__init__(seed=seed, api_key=api_key, clock=clock, faults=faults)
        self.seeded_meetings = meetings
        self.subdomain = subdomain
        self.limiter = PointsLimiter(rate_limit, self.clock)
        self.rooms: dict[str, Room] = {}
        self.titles: dict[str, str] = {}  # seeded rooms' titles (not in the API)
        self._names: set[str] = set()  # every room name handed out, never reused
        self._expiry: list[tuple[datetime, str]] = []  # heap: expiry is cheap at any size
        self.reset_state()

    # --- state ---------------------------------------------------------------------

    def reset_state(self) -> None:
        # Seeding and later creations draw from separate generators, so adding a room
        # never changes what a given seed produces; what is created is new on every run.
        self._rng = self.runtime_random()
        self.limiter.reset()
        self.rooms, self._names, self._expiry = {}, set(), []
        self.titles = {}
        self._seed_rooms()

    def room_url(self, room: Room) -> str:
        return f"https://{self.subdomain}.whereby.com{room.room_name}"

    def expire(self) -> None:
        """Forget rooms more than an hour past their endDate."""
        now = self.clock.now()
        while self._expiry and now >= self._expiry[0][0]:
            _, meeting_id = heapq.heappop(self._expiry)
            self.rooms.pop(meeting_id, None)

    def live_rooms(self) -> list[Room]:
        self.expire()
        return list(self.rooms.values())  # creation order (insertion order of the dict)

    def page(self, offset: int, limit: int) -> tuple[list[Room], bool]:
        """Rooms `offset` to `offset + limit` in creation order, and whether more follow."""
        self.expire()
        rooms = list(itertools.islice(self.rooms.values(), offset, offset + limit))
        return rooms, offset + limit < len(self.rooms)

    def create_room(self, spec: CreateSpec, *, rng: random.Random | None = None) -> Room:
        rng = rng or self._rng
        now = to_ms(self.clock.now())
        while True:
            if spec.pattern == "human-short":
                name = "".join(rng.choice(HUMAN_SHORT_ALPHABET) for _ in range(6))
            else:
                name = seeds.uuid4(rng)
            room_name = f"/{spec.prefix}{name}"  # prefix joined with no separator
            if room_name not in self._names:
                break
        room = Room(
            meeting_id=seeds.uuid4(rng),  # opaque; the current spec shows UUIDs
            room_name=room_name,
            start=now,
            end=spec.end,
            room_mode=spec.room_mode,
            is_locked=spec.is_locked,
            template_type=spec.template_type,
            host_key=seeds.token(rng),
            viewer_key=seeds.token(rng),
            options=dict(spec.options),
        )
        self.rooms[room.meeting_id] = room
        self._names.add(room_name)
        heapq.heappush(self._expiry, (_expiry_of(room.end), room.meeting_id))
        return room

    def meeting_json(self, room: Room, fields: tuple[str, ...] = ()) -> dict[str, Any]:
        url = self.room_url(room)
        data: dict[str, Any] = {
            "meetingId": room.meeting_id,
            "roomName": room.room_name,
            "roomUrl": url,
            "startDate": iso_z(room.start),
            "endDate": iso_z(room.end),
        }
        if "hostRoomUrl" in fields:
            data["hostRoomUrl"] = f"{url}?roomKey={room.host_key}"
        if "viewerRoomUrl" in fields:
            data["viewerRoomUrl"] = f"{url}?roomKey={room.viewer_key}"
        return data

    def _seed_rooms(self) -> None:
        seed_rooms(self)

    def demo_titles(self) -> dict[str, str]:
        """What each seeded room is for ("Onboarding call with Priya Shah"): Whereby
        keeps no title, so the demo gives its rooms the ones a user would have typed."""
        return dict(self.titles)

    # --- HTTP ----------------------------------------------------------------------

    def describe_credentials(self) -> str:
        return f"API key: {self.api_key}  (sent as 'Authorization: Bearer {self.api_key}')"

    def info(self) -> dict[str, Any]:
        self.expire()
        return {**super().info(), "meetings": len(self.rooms), "rate_limit": self.limiter.budget}

    def throttled_response(self) -> Response:
        return throttled(self.limiter.peek(), self.faults.retry_after_ms)

    def authorized(self, header: str | None) -> bool:
        scheme, _, key = (header or "").partition(" ")
        # The auth scheme is case-insensitive (RFC 9110); the key is compared in constant
        # time, as the bytes sent (the server reads a header as latin-1: compared as a
        # str, a key with other characters failed as a 500 instead of a 401).
        return scheme.lower() == "bearer" and hmac.compare_digest(
            key.strip().encode("latin-1"), self.api_key.encode())

    def routes(self) -> list[BaseRoute]:
        api = Router(
            routes=[
                Route("/meetings", self._meetings, methods=["GET", "POST"]),
                # No PUT/PATCH: Whereby has no update endpoint, so the router answers 405.
                Route("/meetings/{meeting_id}", self._meeting, methods=["GET", "DELETE"]),
            ]
        )
        return [Mount(self.base_path, app=_Gate(self, api))]

    async def _meetings(self, request: Request) -> Response:
        if request.method == "POST":
            return await self._create(request)
        try:
            limit = parse_limit(request.query_params.get("limit"))
            offset = decode_cursor(request.query_params.get("cursor"))
            fields = parse_query_fields(request.query_params.getlist("fields"))
        except Invalid as exc:
            return error(400, str(exc))
        page, more = self.page(offset, limit)
        # Offset cursors, as the real ones are: a delete between pages shifts later
        # rooms back by one, so a client paging while deleting may skip one.
        cursor = encode_cursor(offset + limit) if more else None
        return JSONResponse(
            {"results": [self.meeting_json(room, fields) for room in page], "cursor": cursor}
        )

    async def _create(self, request: Request) -> Response:
        content_type = request.headers.get("content-type", "")
        if content_type.split(";")[0].strip().lower() != "application/json":
            return error(400, "Content-Type must be application/json")
        try:
            body = await request.json()
        except ValueError:
            return error(400, "the request body is not valid JSON")
        try:
            spec = parse_create(body, self.clock.now())
        except Invalid as exc:
            return error(400, str(exc))
        room = self.create_room(spec)
        return JSONResponse(self.meeting_json(room, spec.fields), status_code=201)

    async def _meeting(self, request: Request) -> Response:
        meeting_id = request.path_params["meeting_id"]
        self.expire()
        if request.method == "DELETE":
            self.rooms.pop(meeting_id, None)  # idempotent: unknown ids are 204 too
            return Response(status_code=204)
        try:
            fields = parse_query_fields(request.query_params.getlist("fields"))
        except Invalid as exc:
            return error(400, str(exc))
        room = self.rooms.get(meeting_id)
        if room is None:
            return error(404, NOT_FOUND)
        return JSONResponse(self.meeting_json(room, fields))


class _Gate:
    """Auth, then the points budget, for every request under /v1; adds the rate headers."""

    def __init__(self, sim: WherebySimulator, app: ASGIApp) -> None:
        self.sim, self.app = sim, app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        # Unauthenticated requests have no organization to charge, so they cost nothing.
        if not self.sim.authorized(Headers(scope=scope).get("authorization")):
            await error(401, UNAUTHORIZED)(scope, receive, send)
            return
        budget = self.sim.limiter.charge(COSTS.get(scope["method"], WRITE_COST))
        if not budget.allowed:
            await throttled(budget)(scope, receive, send)
            return
        extra = [(k.lower().encode(), v.encode()) for k, v in budget.headers().items()]

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        await self.app(scope, receive, send_with_headers)


def build(
    *,
    seed: int = 1,
    meetings: int | None = None,
    api_key: str = "demo",
    clock: Clock | None = None,
    faults: Faults | None = None,
    subdomain: str = DEFAULT_SUBDOMAIN,
    rate_limit: int | None = None,
) -> WherebySimulator:
    """The registry's factory: `None` means the provider's default."""
    return WherebySimulator(
        seed=seed,
        meetings=DEFAULT_MEETINGS if meetings is None else meetings,
        api_key=api_key,
        clock=clock,
        faults=faults,
        subdomain=subdomain,
        rate_limit=DEFAULT_RATE_LIMIT if rate_limit is None else rate_limit,
    )
