"""Simulator of the eyeson REST API: permalinks and running rooms.

Contract: `research/providers-eyeson-24sessions-events.md` §1 and §4, the Permalink API
seed page, `contracts/README.md` (eyeson facts) and the recorded webhook payloads in
`contracts/eyeson/webhook-fixtures/` (their `room` objects are the shape `GET /rooms`
lists here). Request parsing lives in `eyeson_rules`, the state and the JSON objects it
is shown as in `eyeson_state`, the seeded data in `eyeson_seed`; this module holds the
routes. Where no source settles a detail, the choice is a named constant marked
"unconfirmed".

The lifecycle that makes eyeson different: a permalink exists long before its meeting
runs; each of its hosts has an own `user_token`; `POST /permalink/<user_token>` starts
the meeting (or joins it when it runs); guests (`POST /guests/<guest_token>`) are
refused until then. A running meeting nobody touches shuts down after an idle time;
its access keys then answer 410 Gone.
"""

from __future__ import annotations

import hmac
import math
from datetime import datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from meettui.core.clock import Clock
from meettui.simulators.base import error
from meettui.simulators.eyeson.rules import (
    LIMIT_DEFAULT,
    LIMIT_MAX,
    PAGE_DEFAULT,
    PERMALINK_WIDESCREEN_DEFAULT,
    Invalid,
    as_datetime,
    as_text,
    as_url,
    object_id,
    parse_body,
    parse_expired,
    parse_options,
    parse_positive,
    parse_user,
)
from meettui.simulators.eyeson.state import (
    DEFAULT_PERMALINKS,
    DEFAULT_TEAM,
    IDLE_SHUTDOWN_SECONDS,
    READY_AFTER_SECONDS,
    EyesonState,
    Meeting,
    Participant,
    Permalink,
)
from meettui.simulators.faults import Faults

# Guests on a permalink whose meeting does not run yet. eyeson documents 201, 400, 410
# and 423 for `POST /guests`; which one "not started" gets is unconfirmed. 423 Locked is
# the documented code that means "you may not enter now" (it also answers a locked room).
GUEST_BEFORE_START_STATUS = 423
GUEST_BEFORE_START = "meeting has not been started yet; guests can join once a host starts it"
# Starting an expired permalink: docs list 404 for "unknown or expired" [E1]; EyesonJS
# reports an error containing "expired" [E11].
EXPIRED_STATUS = 404
EXPIRED = "permalink expired"
# `DELETE /permalink/<id>` and `DELETE .../users/<token>` answer 200 per the PHP SDK.
DELETED_STATUS = 200
# Whether eyeson lets the last host go is undocumented; refusing keeps a permalink
# startable (unconfirmed).
LAST_HOST = "a permalink needs at least one host"
UNAUTHORIZED = "unauthorized"
NOT_FOUND = "not found"
GONE = "meeting has ended"


class EyesonSimulator(EyesonState):
    kind = "eyeson"
    base_path = ""  # api.eyeson.team has no version prefix

    def reset_state(self) -> None:
        # Requests to user-level routes that carried an Authorization header anyway:
        # clients must not send the team key there (tests read this).
        self.user_calls_with_key = 0
        super().reset_state()

    # --- HTTP ----------------------------------------------------------------------

    def describe_credentials(self) -> str:
        return (f"API key: {self.api_key}  (sent as 'Authorization: {self.api_key}', "
                "the raw key without 'Bearer')")

    def info(self) -> dict[str, Any]:
        self.sweep()
        return {**super().info(), "permalinks": len(self.permalinks),
                "running": len(self.running), "idle_shutdown": self.idle_shutdown.total_seconds()}

    def throttled_response(self) -> Response:
        # eyeson documents no rate limit; injected 429s say when to come back.
        ms = self.faults.retry_after_ms or 1000
        return JSONResponse({"error": "Too Many Requests"}, 429,
                            headers={"Retry-After": str(max(1, math.ceil(ms / 1000)))})

    def team_authorized(self, request: Request) -> bool:
        # The raw key, compared whole: "Bearer <key>" is a wrong key.
        header = request.headers.get("authorization")
        # As the bytes sent (the server reads a header as latin-1).
        return header is not None and hmac.compare_digest(header.encode("latin-1"),
                                                          self.api_key.encode())

    def routes(self) -> list[BaseRoute]:
        team, user = self._team, self._user
        return [
            Route("/permalink", team(self._permalinks), methods=["GET", "POST"]),
            Route("/permalink/{pid}/users", team(self._add_host), methods=["POST"]),
            Route("/permalink/{pid}/users/{user_token}", team(self._remove_host),
                  methods=["DELETE"]),
            Route("/permalink/{key}", self._permalink_or_start,
                  methods=["GET", "PUT", "DELETE", "POST"]),
            Route("/guests/{guest_token}", user(self._guest), methods=["POST"]),
            Route("/rooms", team(self._rooms), methods=["GET", "POST"]),
            Route("/rooms/{key}", self._room, methods=["GET", "DELETE"]),
            Route("/rooms/{access_key}/recording", user(self._recording),
                  methods=["POST", "DELETE"]),
            Route("/rooms/{access_key}/broadcasts", user(self._broadcast), methods=["POST"]),
            Route("/rooms/{access_key}/layout", user(self._layout), methods=["POST"]),
            Route("/rooms/{access_key}/lock", user(self._lock), methods=["POST"]),
        ]

    def _team(self, handler):
        async def guarded(request: Request) -> Response:
            if not self.team_authorized(request):
                return error(401, UNAUTHORIZED)
            return await self._handle(handler, request)

        return guarded

    def _user(self, handler):
        async def open_(request: Request) -> Response:
            if "authorization" in request.headers:
                self.user_calls_with_key += 1
            return await self._handle(handler, request)

        return open_

    async def _handle(self, handler, request: Request) -> Response:
        self.sweep()
        try:
            return await handler(request)
        except Invalid as exc:
            return error(exc.status, str(exc))

    @staticmethod
    async def _body(request: Request) -> dict[str, Any]:
        return parse_body(request.headers.get("content-type"), await request.body())

    def _permalink(self, pid: str) -> Permalink:
        permalink = self.permalinks.get(pid)
        if permalink is None:
            raise Invalid(NOT_FOUND, 404)
        return permalink

    def _future(self, moment: datetime | None, name: str = "expires_at") -> datetime | None:
        # A permalink that could never be started is a mistake (unconfirmed: refused).
        if moment is not None and moment <= self.clock.now():
            raise Invalid(f"{name} must be in the future")
        return moment

    # permalinks

    async def _permalinks(self, request: Request) -> Response:
        if request.method == "POST":
            body = await self._body(request)
            permalink = self.new_permalink(
                user=parse_user(body),
                name=as_text(body.get("name"), "name"),
                expires_at=self._future(as_datetime(body.get("expires_at"), "expires_at")),
                options=parse_options(body.get("options")),
            )
            return JSONResponse(self.permalink_json(permalink), 201)
        query = request.query_params
        page = parse_positive(query.get("page"), "page", PAGE_DEFAULT)
        limit = min(parse_positive(query.get("limit"), "limit", LIMIT_DEFAULT), LIMIT_MAX)
        expired = parse_expired(query.get("expired"))
        now = self.clock.now()
        items = [p for p in self.permalinks.values()
                 if expired is None or p.expired(now) == expired]
        chunk = items[(page - 1) * limit: page * limit]
        return JSONResponse({"page": page, "limit": limit, "total": len(items),
                             "items": [self.permalink_json(p) for p in chunk]})

    async def _permalink_or_start(self, request: Request) -> Response:
        if request.method == "POST":  # POST /permalink/<user_token>: user level
            return await self._user(self._start)(request)
        return await self._team(self._permalink_crud)(request)

    async def _permalink_crud(self, request: Request) -> Response:
        permalink = self._permalink(request.path_params["key"])
        if request.method == "GET":
            return JSONResponse(self.permalink_json(permalink))
        if request.method == "DELETE":
            self.delete_permalink(permalink)
            return Response(status_code=DELETED_STATUS)
        body = await self._body(request)  # PUT: a partial update
        if "name" in body:
            permalink.name = as_text(body["name"], "name") or permalink.name
        if "expires_at" in body:
            permalink.expires_at = self._future(as_datetime(body["expires_at"], "expires_at"))
        if "options" in body:
            changes = parse_options(body["options"])
            custom = {**permalink.options.get("custom_fields", {}),
                      **changes.pop("custom_fields", {})}
            permalink.options = {**permalink.options, **changes}
            if custom:
                permalink.options["custom_fields"] = custom
        # A running meeting keeps the options it started with (unconfirmed).
        return JSONResponse(self.permalink_json(permalink))

    async def _add_host(self, request: Request) -> Response:
        permalink = self._permalink(request.path_params["pid"])
        host = self.add_host(permalink, parse_user(await self._body(request)))
        return JSONResponse(self.permalink_json(permalink, shown=host), 201)

    async def _remove_host(self, request: Request) -> Response:
        permalink = self._permalink(request.path_params["pid"])
        user_token = request.path_params["user_token"]
        host = next((h for h in permalink.hosts if h.user_token == user_token), None)
        if host is None:
            raise Invalid(NOT_FOUND, 404)
        if len(permalink.hosts) == 1:
            raise Invalid(LAST_HOST)
        permalink.hosts.remove(host)
        self.host_tokens.pop(user_token, None)
        return Response(status_code=DELETED_STATUS)

    async def _start(self, request: Request) -> Response:
        pid = self.host_tokens.get(request.path_params["key"])
        if pid is None:
            raise Invalid(NOT_FOUND, 404)
        permalink = self.permalinks[pid]
        host = next(h for h in permalink.hosts if h.user_token == request.path_params["key"])
        meeting = self.running.get(permalink.id)
        if meeting is None:
            if permalink.expired(self.clock.now()):
                raise Invalid(EXPIRED, EXPIRED_STATUS)
            meeting = self.start_permalink(permalink)
        person = self.join(meeting, {"id": host.id, "name": host.name, "avatar": host.avatar},
                           guest=False)
        return JSONResponse(self.room_json(meeting, person), 201)

    # guests

    async def _guest(self, request: Request) -> Response:
        guest_token = request.path_params["guest_token"]
        body = await self._body(request)
        user = parse_user(body, nested=False)
        if guest_token in self.permalink_guests:
            permalink = self.permalinks[self.permalink_guests[guest_token]]
            meeting = self.running.get(permalink.id)
            if not permalink.guests_allowed:
                raise Invalid(NOT_FOUND, 404)
            if meeting is None:
                if permalink.expired(self.clock.now()):
                    raise Invalid(EXPIRED, EXPIRED_STATUS)
                raise Invalid(GUEST_BEFORE_START, GUEST_BEFORE_START_STATUS)
        elif guest_token in self.room_guests:
            meeting = self.room_guests[guest_token]
            if meeting.shutdown_at is not None:
                raise Invalid(GONE, 410)
        else:
            raise Invalid(NOT_FOUND, 404)
        if meeting.locked:
            raise Invalid("meeting is locked", 423)
        person = self.join(meeting, user, guest=True)
        return JSONResponse(self.room_json(meeting, person), 201)

    # rooms

    async def _rooms(self, request: Request) -> Response:
        if request.method == "GET":
            return JSONResponse([self.room_summary(m) for m in self.running.values()])
        body = await self._body(request)
        user = parse_user(body)
        room_id = as_text(body.get("id"), "id", max_len=128)
        name = as_text(body.get("name"), "name")
        options = parse_options(body.get("options"))
        meeting = self.running.get(room_id) if room_id else None
        if meeting is None:
            if room_id in self.permalinks:
                # Unconfirmed: the simulator keeps permalink rooms to their own start.
                raise Invalid("id belongs to a permalink; start it with its user token")
            meeting = self.start_meeting(
                room_id=room_id or object_id(self._rng, self.clock.now()),
                name=name or user["name"],  # default room name: unconfirmed, as above
                options=options,
                widescreen=options.get("widescreen", False),
            )
        person = self.join(meeting, user, guest=False)
        return JSONResponse(self.room_json(meeting, person), 201)

    async def _room(self, request: Request) -> Response:
        if request.method == "DELETE":  # DELETE /rooms/<room_id>: team level
            return await self._team(self._shutdown)(request)
        return await self._user(self._room_state)(request)

    async def _shutdown(self, request: Request) -> Response:
        meeting = self.running.get(request.path_params["key"])
        if meeting is None:
            raise Invalid(NOT_FOUND, 404)
        self.shutdown(meeting)
        return Response(status_code=204)

    def _by_access_key(self, access_key: str) -> tuple[Meeting, Participant]:
        meeting = self.access_keys.get(access_key)
        if meeting is None:
            raise Invalid(NOT_FOUND, 404)
        if meeting.shutdown_at is not None:
            raise Invalid(GONE, 410)
        self.touch(meeting)
        return meeting, meeting.participants[access_key]

    async def _room_state(self, request: Request) -> Response:
        meeting, person = self._by_access_key(request.path_params["key"])
        return JSONResponse(self.room_json(meeting, person))

    # option-gated actions: 405 when an `*_available` option is false, 403 for lock [E5]

    @staticmethod
    def _gate(meeting: Meeting, option: str, status: int = 405) -> None:
        default = option != "lock_available"
        if not meeting.options.get(option, default):
            raise Invalid(f"disabled by option {option}=false", status)

    async def _recording(self, request: Request) -> Response:
        meeting, _ = self._by_access_key(request.path_params["access_key"])
        self._gate(meeting, "recording_available")
        if request.method == "DELETE":
            if not meeting.recording:
                raise Invalid("no recording is active", 404)
            meeting.recording = False
            return Response(status_code=200)
        meeting.recording = True
        return Response(status_code=201)

    async def _broadcast(self, request: Request) -> Response:
        meeting, _ = self._by_access_key(request.path_params["access_key"])
        self._gate(meeting, "broadcast_available")
        body = await self._body(request)
        url = as_url(body.get("stream_url"), "stream_url")
        if url is None:
            raise Invalid("stream_url is required")
        meeting.broadcasts.append({"platform": "generic", "stream_url": url})
        return Response(status_code=201)

    async def _layout(self, request: Request) -> Response:
        meeting, _ = self._by_access_key(request.path_params["access_key"])
        self._gate(meeting, "layout_available")
        return Response(status_code=201)

    async def _lock(self, request: Request) -> Response:
        meeting, _ = self._by_access_key(request.path_params["access_key"])
        self._gate(meeting, "lock_available", 403)
        meeting.locked = True
        return Response(status_code=201)


def build(
    *,
    seed: int = 1,
    meetings: int | None = None,
    api_key: str = "demo",
    clock: Clock | None = None,
    faults: Faults | None = None,
    rooms: int | None = None,
    idle_shutdown: float | None = None,
    ready_after: float | None = None,
    team: str | None = None,
    permalink_widescreen: bool | None = None,
    list_all_hosts: bool | None = None,
) -> EyesonSimulator:
    """The registry's factory: `None` means the provider's default. `meetings` counts
    permalinks; `rooms` the extra running rooms (default: one per 20 permalinks).
    `list_all_hosts=False` leaves out the invented `users` array (see `USERS_KEY`): a
    permalink object then shows only the responding host's token, as eyeson documents."""
    return EyesonSimulator(
        seed=seed,
        meetings=DEFAULT_PERMALINKS if meetings is None else meetings,
        rooms=rooms,
        api_key=api_key,
        clock=clock,
        faults=faults,
        idle_shutdown=IDLE_SHUTDOWN_SECONDS if idle_shutdown is None else idle_shutdown,
        ready_after=READY_AFTER_SECONDS if ready_after is None else ready_after,
        team=team or DEFAULT_TEAM,
        permalink_widescreen=(
            PERMALINK_WIDESCREEN_DEFAULT if permalink_widescreen is None else permalink_widescreen
        ),
        list_all_hosts=True if list_all_hosts is None else list_all_hosts,
    )