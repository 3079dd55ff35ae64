"""Simulator of the eyeson REST API: permalinks and running rooms.

Contract: `research/providers-eyeson-24sessions-events.md` §1 and §4, the Permalink API
seed page, `contracts/README.md` (eyeson facts) and the recorded webhook payloads in
`contracts/eyeson/webhook-fixtures/` (their `room` objects are the shape `GET /rooms`
lists here). Request parsing lives in `eyeson_rules`. Where no source settles a detail,
the choice is a named constant marked "unconfirmed".

The lifecycle that makes eyeson different: a permalink exists long before its meeting
runs; each of its hosts has an own `user_token`; `POST /permalink/<user_token>` starts
the meeting (or joins it when it runs); guests (`POST /guests/<guest_token>`) are
refused until then. A running meeting nobody touches shuts down after an idle time;
its access keys then answer 410 Gone.
"""

from __future__ import annotations

import hmac
import math
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from meettui.core.clock import Clock
from meettui.simulators import seed as seeds
from meettui.simulators.base import Simulator, error, iso_z
from meettui.simulators.eyeson_rules import (
    LIMIT_DEFAULT,
    LIMIT_MAX,
    PAGE_DEFAULT,
    PERMALINK_WIDESCREEN_DEFAULT,
    Invalid,
    as_datetime,
    as_text,
    as_url,
    echo_options,
    object_id,
    parse_body,
    parse_expired,
    parse_options,
    parse_positive,
    parse_user,
    token,
)
from meettui.simulators.faults import Faults

DEFAULT_PERMALINKS = 60
API_URL = "https://api.eyeson.team"
APP_URL = "https://app.eyeson.team"
DEFAULT_TEAM = "meettui demo"
# "If nobody connects it shuts down after a short period" [E10, E12]: how short is not
# documented. Unconfirmed; configurable with `idle_shutdown`.
IDLE_SHUTDOWN_SECONDS = 300.0
# Rooms "become ready within seconds" (SDKs poll once a second for up to 30 s).
# Unconfirmed; configurable with `ready_after`.
READY_AFTER_SECONDS = 3.0
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
# The permalink object documents only the responding user's `user_token`; to let a
# client show every host's link, the simulator adds a `users` array (unconfirmed:
# not in any eyeson example). Clients must work without it.
USERS_KEY = "users"
UNAUTHORIZED = "unauthorized"
NOT_FOUND = "not found"
GONE = "meeting has ended"


@dataclass
class Host:
    user_token: str
    id: str
    name: str
    avatar: str | None
    added_at: datetime


@dataclass
class Permalink:
    id: str
    created_at: datetime
    name: str
    expires_at: datetime | None
    guest_token: str
    options: dict[str, Any]
    hosts: list[Host]

    def expired(self, now: datetime) -> bool:
        return self.expires_at is not None and now >= self.expires_at

    @property
    def guests_allowed(self) -> bool:
        return self.options.get("guest_token_available", True)


@dataclass
class Participant:
    access_key: str
    id: str
    name: str
    avatar: str | None
    guest: bool
    joined_at: datetime


@dataclass
class Meeting:
    """A running (or ended) meeting: what `/rooms` and a started permalink give."""

    room_id: str
    name: str
    started_at: datetime
    guest_token: str | None
    options: dict[str, Any]
    widescreen: bool
    last_activity: datetime
    permalink_id: str | None = None
    # Seeded meetings have people connected: they never go idle.
    kept_alive: bool = False
    participants: dict[str, Participant] = field(default_factory=dict)
    shutdown_at: datetime | None = None
    locked: bool = False
    recording: bool = False
    broadcasts: list[dict[str, Any]] = field(default_factory=list)


class EyesonSimulator(Simulator):
    kind = "eyeson"
    base_path = ""  # api.eyeson.team has no version prefix

    def __init__(
        self,
        *,
        seed: int = 1,
        meetings: int = DEFAULT_PERMALINKS,
        rooms: int | None = None,
        api_key: str = "demo",
        clock: Clock | None = None,
        faults: Faults | None = None,
        idle_shutdown: float = IDLE_SHUTDOWN_SECONDS,
        ready_after: float = READY_AFTER_SECONDS,
        team: str = DEFAULT_TEAM,
        permalink_widescreen: bool = PERMALINK_WIDESCREEN_DEFAULT,
    ) -> None:
        super().__init__(seed=seed, api_key=api_key, clock=clock, faults=faults)
        if idle_shutdown <= 0:
            raise ValueError("idle_shutdown must be > 0 seconds")
        self.seeded_permalinks = meetings
        self.seeded_rooms = max(1, meetings // 20) if rooms is None and meetings else rooms or 0
        self.idle_shutdown = timedelta(seconds=idle_shutdown)
        self.ready_after = timedelta(seconds=ready_after)
        self.team = team
        self.permalink_widescreen = permalink_widescreen
        # Requests to user-level routes that carried an Authorization header anyway:
        # clients must not send the team key there (tests read this).
        self.user_calls_with_key = 0
        self.reset_state()

    # --- state ---------------------------------------------------------------------

    def reset_state(self) -> None:
        self._rng = random.Random(f"eyeson:{self.seed}:runtime")
        self.permalinks: dict[str, Permalink] = {}  # creation order
        self.host_tokens: dict[str, str] = {}  # user_token -> permalink id
        self.permalink_guests: dict[str, str] = {}  # guest_token -> permalink id
        self.running: dict[str, Meeting] = {}  # room id -> running meeting
        self.access_keys: dict[str, Meeting] = {}  # every access key ever issued
        self.room_guests: dict[str, Meeting] = {}  # guest tokens of /rooms meetings
        self.user_calls_with_key = 0
        self._seed()

    def sweep(self) -> None:
        """Shut down meetings that nobody has touched for `idle_shutdown`."""
        now = self.clock.now()
        for meeting in list(self.running.values()):
            if not meeting.kept_alive and now >= meeting.last_activity + self.idle_shutdown:
                self.shutdown(meeting, at=meeting.last_activity + self.idle_shutdown)

    def shutdown(self, meeting: Meeting, at: datetime | None = None) -> None:
        meeting.shutdown_at = at or self.clock.now()
        self.running.pop(meeting.room_id, None)

    def touch(self, meeting: Meeting) -> None:
        meeting.last_activity = self.clock.now()

    def new_permalink(
        self,
        *,
        user: dict[str, Any],
        name: str | None,
        expires_at: datetime | None,
        options: dict[str, Any],
        rng: random.Random | None = None,
        created_at: datetime | None = None,
    ) -> Permalink:
        rng = rng or self._rng
        created = created_at or self.clock.now()
        permalink = Permalink(
            id=object_id(rng, created),
            created_at=created,
            # The default room name is undocumented; the host's name is used (unconfirmed).
            name=name or user["name"],
            expires_at=expires_at,
            guest_token=token(rng),
            options=options,
            hosts=[],
        )
        self.permalinks[permalink.id] = permalink
        self.permalink_guests[permalink.guest_token] = permalink.id
        self.add_host(permalink, user, rng=rng, at=created)
        return permalink

    def add_host(
        self, permalink: Permalink, user: dict[str, Any], *, rng: random.Random | None = None,
        at: datetime | None = None,
    ) -> Host:
        rng = rng or self._rng
        host = Host(
            user_token=token(rng),
            id=user.get("id") or object_id(rng, at or self.clock.now()),
            name=user["name"],
            avatar=user.get("avatar"),
            added_at=at or self.clock.now(),
        )
        permalink.hosts.append(host)
        self.host_tokens[host.user_token] = permalink.id
        return host

    def start_meeting(
        self,
        *,
        room_id: str,
        name: str,
        options: dict[str, Any],
        widescreen: bool,
        permalink: Permalink | None = None,
        guest_token: str | None = None,
        at: datetime | None = None,
        kept_alive: bool = False,
        rng: random.Random | None = None,
    ) -> Meeting:
        rng = rng or self._rng
        now = at or self.clock.now()
        if options.get("guest_token_available", True):
            guest_token = guest_token or token(rng)
        else:
            guest_token = None
        meeting = Meeting(
            room_id=room_id,
            name=name,
            started_at=now,
            guest_token=guest_token,
            options=dict(options),
            widescreen=widescreen,
            last_activity=now,
            permalink_id=permalink.id if permalink else None,
            kept_alive=kept_alive,
        )
        self.running[room_id] = meeting
        if guest_token and permalink is None:
            self.room_guests[guest_token] = meeting
        return meeting

    def join(
        self, meeting: Meeting, user: dict[str, Any], *, guest: bool,
        rng: random.Random | None = None, at: datetime | None = None,
    ) -> Participant:
        rng = rng or self._rng
        now = at or self.clock.now()
        person = Participant(
            access_key=token(rng),
            id=user.get("id") or object_id(rng, now),
            name=user["name"],
            avatar=user.get("avatar"),
            guest=guest,
            joined_at=now,
        )
        meeting.participants[person.access_key] = person
        self.access_keys[person.access_key] = meeting
        meeting.last_activity = max(meeting.last_activity, now)
        return person

    def delete_permalink(self, permalink: Permalink) -> None:
        meeting = self.running.get(permalink.id)
        if meeting is not None and meeting.permalink_id == permalink.id:
            self.shutdown(meeting)  # "all links and tokens become invalid afterwards"
        for host in permalink.hosts:
            self.host_tokens.pop(host.user_token, None)
        self.permalink_guests.pop(permalink.guest_token, None)
        del self.permalinks[permalink.id]

    # --- seed ----------------------------------------------------------------------

    def _seed(self) -> None:
        """Permalinks as a team that books advisory calls would have them.

        Created over the past 90 days; about a third carry an expiry (some passed), a
        third have more than one host, some switch recording or broadcasting off, and
        about one in six runs right now with people in it. Plus a few running rooms
        made with `POST /rooms` elsewhere. Reproducible for the same seed and clock.
        """
        rng = random.Random(f"eyeson:{self.seed}:seed")
        now = self.clock.now().replace(microsecond=0)
        created = sorted(
            seeds.between(rng, now - timedelta(days=90), now - timedelta(hours=1))
            for _ in range(self.seeded_permalinks)
        )
        for when in created:
            options: dict[str, Any] = {}
            if rng.random() < 0.15:
                options["recording_available"] = False
            if rng.random() < 0.3:
                options["broadcast_available"] = False
            if rng.random() < 0.4:
                company = seeds.slug(rng.choice(seeds.COMPANIES))
                options["exit_url"] = f"https://www.{company}.example/thanks"
            roll = rng.random()
            if roll < 0.55:
                expires = None
            elif roll < 0.85:
                expires = seeds.round_up(now + timedelta(hours=rng.randint(1, 60 * 24)), 15)
            else:
                expires = seeds.between(rng, when + timedelta(hours=1), now)
            permalink = self.new_permalink(
                user={"name": seeds.person(rng)},
                name=seeds.title(rng),
                expires_at=expires,
                options=options,
                rng=rng,
                created_at=when,
            )
            for extra in range(rng.choices((0, 1, 2), weights=(65, 25, 10))[0]):
                at = when + timedelta(minutes=5 * (extra + 1))
                self.add_host(permalink, {"name": seeds.person(rng)}, rng=rng, at=at)
            if not permalink.expired(now) and rng.random() < 0.16:
                started = now - timedelta(minutes=rng.randint(2, 90))
                meeting = self._start_permalink(permalink, at=started, rng=rng, kept_alive=True)
                self.join(meeting, {"name": rng.choice(permalink.hosts).name}, guest=False,
                          rng=rng, at=started)
                for _ in range(rng.randint(0, 4)):
                    self.join(meeting, {"name": seeds.person(rng)}, guest=True, rng=rng,
                              at=seeds.between(rng, started, now))
        for _ in range(self.seeded_rooms):
            started = now - timedelta(minutes=rng.randint(1, 120))
            host = seeds.person(rng)
            meeting = self.start_meeting(
                room_id=object_id(rng, started),
                name=f"{rng.choice(seeds.TOPICS)} ({host})",
                options={},
                widescreen=False,
                at=started,
                kept_alive=True,
                rng=rng,
            )
            self.join(meeting, {"name": host}, guest=False, rng=rng, at=started)

    def _start_permalink(
        self, permalink: Permalink, *, at: datetime | None = None,
        rng: random.Random | None = None, kept_alive: bool = False,
    ) -> Meeting:
        return self.start_meeting(
            room_id=permalink.id,
            name=permalink.name,
            options=permalink.options,
            widescreen=permalink.options.get("widescreen", self.permalink_widescreen),
            permalink=permalink,
            guest_token=permalink.guest_token,
            at=at,
            kept_alive=kept_alive,
            rng=rng,
        )

    # --- JSON ----------------------------------------------------------------------

    def permalink_json(self, p: Permalink, shown: Host | None = None) -> dict[str, Any]:
        """The documented permalink object; `user`/`user_token`/`links.gui` belong to
        `shown` (the host just added, else the first host)."""
        host = shown or p.hosts[0]
        meeting = self.running.get(p.id)
        started = meeting.started_at if meeting and meeting.permalink_id == p.id else None
        guest = p.guest_token if p.guests_allowed else None
        return {
            "permalink": {
                "id": p.id,
                "created_at": iso_z(p.created_at),
                "user_token": host.user_token,
                "guest_token": guest,
                "expires_at": iso_z(p.expires_at) if p.expires_at else None,
            },
            "room": {"id": p.id, "name": p.name, "started_at": iso_z(started) if started else None},
            "team": {"name": self.team},
            "user": self._host_user(host),
            USERS_KEY: [
                {**self._host_user(h), "user_token": h.user_token,
                 "links": {"gui": f"{APP_URL}/permalink?{h.user_token}"}}
                for h in p.hosts
            ],
            "options": echo_options(
                p.options, widescreen=p.options.get("widescreen", self.permalink_widescreen)
            ),
            "links": {
                "self": f"{API_URL}/permalink/{p.id}",
                "gui": f"{APP_URL}/permalink?{host.user_token}",
                "guest_join": f"{APP_URL}/permalink?guest={guest}" if guest else None,
            },
        }

    @staticmethod
    def _host_user(host: Host) -> dict[str, Any]:
        return {"id": host.id, "name": host.name, "avatar": host.avatar, "guest": False,
                "joined_at": iso_z(host.added_at)}

    def room_summary(self, m: Meeting) -> dict[str, Any]:
        """A room as webhooks carry it (contracts/eyeson/webhook-fixtures); `GET /rooms`
        lists these (its element shape is unconfirmed)."""
        return {
            "id": m.room_id,
            "name": m.name,
            "ready": self.clock.now() >= m.started_at + self.ready_after,
            "started_at": iso_z(m.started_at),
            "shutdown": m.shutdown_at is not None,
            "guest_token": m.guest_token,
        }

    def room_json(self, m: Meeting, person: Participant) -> dict[str, Any]:
        """The room/user object of `POST /rooms`, `GET /rooms/<access_key>`, guests and
        permalink starts ([E3], [E5])."""
        now = self.clock.now()
        room = self.room_summary(m)
        user_ready = now >= person.joined_at + self.ready_after
        # A permalink meeting's guests use the permalink's own guest link (unconfirmed:
        # the docs show the room form `/?guest=` only for /rooms meetings).
        guest_base = f"{APP_URL}/permalink" if m.permalink_id else f"{APP_URL}/"
        return {
            "access_key": person.access_key,
            "ready": room["ready"] and user_ready,
            "locked": m.locked,
            "room": room,
            "team": {"name": self.team},
            "user": {
                "id": person.id,
                "room_id": m.room_id,
                "name": person.name,
                "avatar": person.avatar,
                "guest": person.guest,
                "blocked": False,
                "ready": user_ready,
            },
            "links": {
                "self": f"{API_URL}/rooms/{person.access_key}",
                "gui": f"{APP_URL}/?{person.access_key}",
                "guest_join": f"{guest_base}?guest={m.guest_token}" if m.guest_token else None,
                "websocket": f"{API_URL}/rt?access_key={person.access_key}",
            },
            "options": echo_options(m.options, widescreen=m.widescreen),
            "playbacks": [],
            "presentation": None,
            "broadcasts": list(m.broadcasts),
            "recording": {"created_at": iso_z(m.started_at)} if m.recording else None,
            "snapshots": [],
            "signaling": {
                "type": "sepp",
                "options": {
                    "client_id": person.id,
                    "conf_id": m.room_id,
                    "endpoint": "wss://sig.eyeson.team/call",
                    "stun_servers": [],
                    "turn_servers": [],
                },
            },
        }

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
        return header is not None and hmac.compare_digest(header.encode(), self.api_key.encode())

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
            meeting = self._start_permalink(permalink)
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
) -> EyesonSimulator:
    """The registry's factory: `None` means the provider's default. `meetings` counts
    permalinks; `rooms` the extra running rooms (default: one per 20 permalinks)."""
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
    )
