"""Simulator of the Vonage Meetings API v1 (`/v1/meetings`).

Contract: `research/providers-whereby-vonage.md` §2–3, `contracts/vonage/meetings-openapi-v1.yml`
and the recorded answers in `contracts/vonage/fixtures/`. Where no source settles a
detail the choice is marked "unconfirmed".

- Auth: `Authorization: Bearer <JWT>`, RS256, verified against the application's public
  key; `application_id` (this application's), `iat`, `jti` and `exp` required, `exp` and
  `nbf` checked on the simulator's clock. Refusals are the gateway's 401 bodies.
- Rooms keep an integer serial (what `start_id`/`end_id` page by, with gaps, as real
  serials are shared by every Vonage customer) apart from their UUID. Instant rooms
  expire 10 minutes after creation; an expired room stays listed with `is_available:
  false`. There is no room DELETE (the router answers 405).
- Themes: `{}` when there are none; a theme's `short_company_url` is a path segment of
  its rooms' links; a theme in use (or the default) is deleted only with `force=true`.
"""

from __future__ import annotations

import base64
import bisect
import json
import math
import random
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Mount, Route, Router

from meettui.core.clock import Clock
from meettui.simulators import fakedata as seeds
from meettui.simulators.base import Simulator, iso_z
from meettui.simulators.faults import Faults
from meettui.simulators.vonage import gateway, rules
from meettui.simulators.vonage.keys import (
    generated,
    load_public_key,
    remove_private_key,
    write_private_key,
)
from meettui.simulators.vonage.rules import Invalid, RoomSpec

DEFAULT_APPLICATION_ID = "6f1d9d7e-3b0a-4c52-9a51-2e1c7c0d5a10"
DEFAULT_ROOMS = 120
ACCOUNT_ID = "4f2b9c1d"  # the API key of the account owning the application
MEETINGS_HOST = "https://meetings.vonage.com"
# The host the list's `_links` hrefs name, as recorded: no scheme, no `/v1`, and not
# this server (clients read `start_id` from them and never follow them).
HREF_HOST = "api-eu.vonage.com"
# The first serial a fresh application sees; the recorded lists page from 2006648.
FIRST_SERIAL = 2_006_648
# "An application is limited to a thousand rooms" (spec, POST /rooms); whether expired
# rooms count is unconfirmed: only rooms still available count here.
MAX_ROOMS = 1000
# Whether a room created without a theme gets the application's default theme is
# unconfirmed; the default theme would make no sense otherwise, so it does.
DEFAULT_THEME_FOR_NEW_ROOMS = True


@dataclass
class Room:
    serial: int
    id: str
    display_name: str
    type: str
    created_at: datetime
    expires_at: datetime
    meeting_code: str
    participant_token: str
    metadata: str | None = None
    expire_after_use: bool = False
    theme_id: str | None = None
    closed: bool = False
    """Made unavailable before its expiry (a long-term room closed after use)."""
    settings: dict[str, Any] = field(default_factory=dict)


@dataclass
class Theme:
    theme_id: str
    theme_name: str
    main_color: str
    brand_text: str
    short_company_url: str | None = None


def service_error(status: int, message: str, name: str,
                  errors: list[Any] | None = None) -> JSONResponse:
    """The Meetings service's error shape: `{message, name, status, errors?}`."""
    body: dict[str, Any] = {"message": message, "name": name}
    if errors:
        body["errors"] = errors
    body["status"] = status
    return JSONResponse(body, status_code=status)


def invalid(exc: Invalid) -> JSONResponse:
    return service_error(400, exc.message, exc.name, exc.errors)


def not_found(message: str) -> JSONResponse:
    return service_error(404, message, "NotFoundError")


def participant_token(rng: random.Random) -> str:
    """A token shaped like the recorded ones: an HS256 JWT naming a participant."""
    def part(data: dict[str, Any]) -> str:
        raw = json.dumps(data, separators=(",", ":")).encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    header = part({"alg": "HS256", "typ": "JWT", "kid": seeds.uuid4(rng)})
    claims = part({"participantId": seeds.uuid4(rng), "iat": rng.randint(1_600_000_000,
                                                                         1_800_000_000)})
    return f"{header}.{claims}.{seeds.token(rng, 32)}"


class VonageSimulator(Simulator):
    kind = "vonage"
    base_path = "/v1/meetings"

    def __init__(
        self,
        *,
        seed: int = 1,
        meetings: int = DEFAULT_ROOMS,
        application_id: str = DEFAULT_APPLICATION_ID,
        public_key: str | None = None,
        clock: Clock | None = None,
        faults: Faults | None = None,
        api_key: str = "",
    ) -> None:
        super().__init__(seed=seed, api_key=api_key, clock=clock, faults=faults)
        self.seeded_meetings = meetings
        self.application_id = application_id
        # Without a public key: this process's generated pair; its private key is
        # written to a file the first time the credentials are described.
        self.generated = public_key is None
        self.public_key = public_key if public_key is not None else generated().public
        self._private_key_path: str | None = None
        self.rooms: dict[str, Room] = {}
        self.serials: list[int] = []  # ascending; parallel to `self.order`
        self.order: list[str] = []
        self.themes: dict[str, Theme] = {}
        self.default_theme_id: str | None = None
        self.reset_state()

    # --- state ---------------------------------------------------------------------

    def reset_state(self) -> None:
        from meettui.simulators.vonage.seed import seed_state

        self._rng = random.Random(f"vonage:{self.seed}:runtime")
        self.rooms, self.serials, self.order = {}, [], []
        self.themes, self.default_theme_id = {}, None
        self._codes: set[str] = set()
        self._next_serial = FIRST_SERIAL
        seed_state(self)

    def is_available(self, room: Room) -> bool:
        return not room.closed and self.clock.now() < room.expires_at

    def add_room(self, spec: RoomSpec, *, created: datetime,
                 rng: random.Random | None = None) -> Room:
        """A new room with the next serial (gaps of 1 to 5: other customers' rooms)."""
        rng = rng or self._rng
        while True:
            code = str(rng.randint(100_000_000, 999_999_999))
            if code not in self._codes:
                break
        self._codes.add(code)
        theme_id = spec.theme_id
        if theme_id is None and DEFAULT_THEME_FOR_NEW_ROOMS:
            theme_id = self.default_theme_id
        room = Room(
            serial=self._next_serial,
            id=seeds.uuid4(rng),
            display_name=spec.display_name,
            type=spec.type,
            created_at=created,
            expires_at=spec.expires_at or created + rules.INSTANT_LIFETIME,
            meeting_code=code,
            participant_token=participant_token(rng),
            metadata=spec.metadata,
            expire_after_use=spec.expire_after_use,
            theme_id=theme_id,
            settings=dict(spec.settings),
        )
        self._next_serial += rng.randint(1, 5)
        self.rooms[room.id] = room
        self.serials.append(room.serial)
        self.order.append(room.id)
        return room

    def links(self, room: Room) -> dict[str, Any]:
        theme = self.themes.get(room.theme_id or "")
        prefix = f"/{theme.short_company_url}" if theme and theme.short_company_url else ""
        return {
            "host_url": {"href": f"{MEETINGS_HOST}{prefix}/?room_token={room.meeting_code}"
                                 f"&participant_token={room.participant_token}"},
            "guest_url": {"href": f"{MEETINGS_HOST}{prefix}/{room.meeting_code}"},
        }

    def room_json(self, room: Room) -> dict[str, Any]:
        """A room as `meeting_room.json` / `long_term_room.json` show one."""
        s = room.settings
        features = {"is_recording_available": True, "is_chat_available": True,
                    "is_whiteboard_available": True, "is_locale_switcher_available": False,
                    **s.get("available_features", {})}
        data: dict[str, Any] = {
            "id": room.id,
            "display_name": room.display_name,
            "metadata": room.metadata,
            "type": room.type,
            "expires_at": iso_z(room.expires_at),
            "recording_options": {"auto_record": False, "record_only_owner": False,
                                  **s.get("recording_options", {})},
            "meeting_code": room.meeting_code,
            "_links": self.links(room),
            "created_at": iso_z(room.created_at),
            "is_available": self.is_available(room),
            "expire_after_use": room.expire_after_use,
            "theme_id": room.theme_id,
            "initial_join_options": {"microphone_state": "default",
                                     **s.get("initial_join_options", {})},
            "join_approval_level": s.get("join_approval_level", "none"),
            "ui_settings": {"language": "default", **s.get("ui_settings", {})},
            "available_features": features,
        }
        if s.get("callback_urls"):
            data["callback_urls"] = s["callback_urls"]
        return data

    def theme_json(self, theme: Theme) -> dict[str, Any]:
        """A theme as `theme.json` shows one (logos are never uploaded here)."""
        return {
            "theme_id": theme.theme_id,
            "theme_name": theme.theme_name,
            "domain": "VCP",
            "account_id": ACCOUNT_ID,
            "application_id": self.application_id,
            "main_color": theme.main_color,
            "short_company_url": theme.short_company_url,
            "brand_text": theme.brand_text,
            "brand_image_colored": None,
            "brand_image_white": None,
            "branded_favicon": None,
            "brand_image_white_url": None,
            "brand_image_colored_url": None,
            "branded_favicon_url": None,
        }

    def add_theme(self, values: dict[str, Any], rng: random.Random | None = None) -> Theme:
        rng = rng or self._rng
        theme_id = seeds.uuid4(rng)
        theme = Theme(theme_id=theme_id, theme_name=values.get("theme_name") or theme_id,
                      main_color=values["main_color"], brand_text=values["brand_text"],
                      short_company_url=values.get("short_company_url"))
        self.themes[theme_id] = theme
        return theme

    def page(self, request: Request, path: str, room_ids: list[str] | None = None) -> Response:
        """One HAL page of rooms (all, or those of `room_ids`) in serial order:
        `{page_size, _embedded: [...], _links: {first, self, prev?, next?}, total_items}`.
        Hrefs carry no scheme and no `/v1`, as the recorded ones (`HREF_HOST`)."""
        try:
            size, start, end = rules.parse_page(request.query_params)
        except Invalid as exc:
            return invalid(exc)
        rooms = [self.rooms[i] for i in (self.order if room_ids is None else room_ids)]
        serials = [r.serial for r in rooms]
        first = bisect.bisect_left(serials, start) if start is not None else 0
        stop = bisect.bisect_left(serials, end) if end is not None else len(rooms)
        chosen = rooms[first:min(stop, first + size)]
        href = f"{HREF_HOST}{path}?page_size={size}"
        links: dict[str, Any] = {"first": {"href": href}}
        self_href = href + (f"&start_id={start}" if start is not None else "")
        links["self"] = {"href": self_href + (f"&end_id={end}" if end is not None else "")}
        if first > 0:
            before = serials[first] if first < len(serials) else serials[-1] + 1
            links["prev"] = {"href": f"{href}&end_id={before}"}
        following = first + len(chosen)
        if chosen and following < stop:
            links["next"] = {"href": f"{href}&start_id={serials[following]}"}
        return JSONResponse({
            "page_size": size,
            "_embedded": [self.room_json(r) for r in chosen],
            "_links": links,
            "total_items": len(rooms),
        })

    # --- auth ----------------------------------------------------------------------

    def refusal(self, header: str | None) -> JSONResponse | None:
        """The gateway's 401 for a request that carries no valid application JWT, or None
        (`gateway.refusal`, on the simulator's clock)."""
        return gateway.refusal(header, public_key=self.public_key,
                               application_id=self.application_id,
                               now=self.clock.now().timestamp())

    # --- describing itself ---------------------------------------------------------

    def private_key_path(self) -> str | None:
        """Where the generated private key was written (written on first call); None
        when the simulator was given a public key."""
        if not self.generated:
            return None
        if self._private_key_path is None:
            self._private_key_path = str(write_private_key(generated().private))
        return self._private_key_path

    def close(self) -> None:
        """Delete the generated private key and its folder: a private key left in /tmp
        after the run outlives the simulator it is for."""
        if self._private_key_path is not None:
            remove_private_key(Path(self._private_key_path))
            self._private_key_path = None

    def describe_credentials(self) -> str:
        """The application id, where the private key is, and the account to configure."""
        path = self.private_key_path()
        key = (f"{path}  (generated for this run)" if path
               else "the one matching the public key given (--public-key)")
        lines = [
            f"application id: {self.application_id}  (RS256 application JWTs)",
            f"  private key: {key}",
            "  account (config.toml; base_url is the base URL above):",
            "    [[accounts]]",
            '    name = "vonage-sim"',
            '    provider = "vonage"',
            '    base_url = "<base URL>"',
        ]
        if not path:
            lines.append('    secret_env = "VONAGE_PRIVATE_KEY"   # holding the PEM text')
        lines += ["    [accounts.settings]", f'    application_id = "{self.application_id}"']
        if path:
            lines.append(f'    private_key_path = "{path}"')
        return "\n".join(lines)

    def throttled_response(self) -> Response:
        # No Meetings rate limit is documented (unconfirmed): a gateway-shaped 429.
        wait = math.ceil((self.faults.retry_after_ms or 1000) / 1000)
        return JSONResponse({"title": "Too Many Requests",
                             "detail": "Rate limit exceeded, try again later"},
                            status_code=429, headers={"Retry-After": str(max(1, wait))})

    def info(self) -> dict[str, Any]:
        return {**super().info(), "meetings": len(self.rooms), "themes": len(self.themes),
                "application_id": self.application_id}

    # --- HTTP ----------------------------------------------------------------------

    def routes(self) -> list[BaseRoute]:
        api = Router(routes=[
            Route("/rooms", self._rooms, methods=["GET", "POST"]),
            # No DELETE: Vonage removed it during the beta (rooms expire), so 405.
            Route("/rooms/{room_id}", self._room, methods=["GET", "PATCH"]),
            Route("/themes", self._themes, methods=["GET", "POST"]),
            Route("/themes/{theme_id}", self._theme, methods=["GET", "PATCH", "DELETE"]),
            Route("/themes/{theme_id}/rooms", self._theme_rooms, methods=["GET"]),
            Route("/applications", self._application, methods=["PATCH"]),
            Route("/dial-in-numbers", self._dial_in, methods=["GET"]),
        ])
        return [Mount(self.base_path, app=gateway.Gate(self, api))]

    async def _body(self, request: Request) -> Any:
        raw = await request.body()
        try:
            return json.loads(raw) if raw.strip() else {}
        except ValueError:
            raise Invalid("Invalid JSON body") from None

    async def _rooms(self, request: Request) -> Response:
        if request.method == "GET":
            return self.page(request, "/meetings/rooms")
        try:
            spec = rules.parse_create(await self._body(request), self.clock.now())
        except Invalid as exc:
            return invalid(exc)
        if spec.theme_id is not None and spec.theme_id not in self.themes:
            return service_error(400, f"Failed to create room because theme id "
                                      f"{spec.theme_id} not found", rules.BAD_REQUEST)
        if sum(self.is_available(r) for r in self.rooms.values()) >= MAX_ROOMS:
            return service_error(403, "Maximum number of rooms for owner exceeded",
                                 "ForbiddenError")
        room = self.add_room(spec, created=self.clock.now())
        return JSONResponse(self.room_json(room), status_code=201)

    async def _room(self, request: Request) -> Response:
        room_id = request.path_params["room_id"]
        if request.method == "GET":
            room = self.rooms.get(room_id)
            if room is None:
                return not_found(f"Failed to fetch resource with id {room_id}")
            return JSONResponse(self.room_json(room))
        # Joi validates the body before the room is looked up.
        try:
            changes = rules.parse_update(await self._body(request), self.clock.now())
        except Invalid as exc:
            return invalid(exc)
        room = self.rooms.get(room_id)
        # "If you try to update a room which expired or not available anymore, you will
        # receive a 404 response" (spec, PATCH /rooms/:room_id).
        if room is None or not self.is_available(room):
            return not_found(f"Failed to fetch resource with id {room_id}")
        if room.type != "long_term":
            return service_error(400, f"The room with id: {room.id} could not be updated "
                                      "because of its type: temporary", rules.BAD_REQUEST)
        theme_id = changes.pop("theme_id", room.theme_id)
        if theme_id is not None and theme_id not in self.themes:
            return service_error(400, f"Failed to update room because theme id {theme_id} "
                                      "not found", rules.BAD_REQUEST)
        room.theme_id = theme_id
        if "expires_at" in changes:
            room.expires_at = changes.pop("expires_at")
        if "expire_after_use" in changes:
            room.expire_after_use = changes.pop("expire_after_use")
        for key, value in changes.items():
            current = room.settings.get(key)
            room.settings[key] = {**current, **value} if isinstance(current, dict) \
                and isinstance(value, dict) else value
        return JSONResponse(self.room_json(room))

    def _taken(self, values: dict[str, Any], but: str | None = None) -> JSONResponse | None:
        for key in ("theme_name", "short_company_url"):
            value = values.get(key)
            if value is not None and any(getattr(t, key) == value and t.theme_id != but
                                         for t in self.themes.values()):
                where = "in application" if key == "theme_name" else ""
                return service_error(409, f"{key} already exists {where}".strip(),
                                     "ConflictError")
        return None

    async def _themes(self, request: Request) -> Response:
        if request.method == "GET":
            # `{}`, not `[]`, when there are none: the real API's quirk (empty_themes.json).
            themes = [self.theme_json(t) for t in self.themes.values()]
            return JSONResponse(themes if themes else {})
        try:
            values = rules.parse_theme(await self._body(request), create=True)
        except Invalid as exc:
            return invalid(exc)
        conflict = self._taken(values)
        if conflict is not None:
            return conflict
        return JSONResponse(self.theme_json(self.add_theme(values)), status_code=201)

    async def _theme(self, request: Request) -> Response:
        theme_id = request.path_params["theme_id"]
        if request.method == "PATCH":
            try:
                values = rules.parse_theme(await self._body(request), create=False)
            except Invalid as exc:
                return invalid(exc)
        theme = self.themes.get(theme_id)
        if theme is None:
            return not_found(f"could not find theme {theme_id}")
        if request.method == "GET":
            return JSONResponse(self.theme_json(theme))
        if request.method == "PATCH":
            conflict = self._taken(values, but=theme_id)
            if conflict is not None:
                return conflict
            for key, value in values.items():
                setattr(theme, key, value)
            return JSONResponse(self.theme_json(theme))
        try:
            force = rules.parse_force(request.query_params.get("force"))
        except Invalid as exc:
            return invalid(exc)
        users = [r for r in self.rooms.values() if r.theme_id == theme_id]
        problems = []
        if users:
            problems.append(f"Theme {theme_id} is used by {len(users)} "
                            f"room{'s' if len(users) != 1 else ''}")
        if self.default_theme_id == theme_id:
            problems.append(f"Theme {theme_id} is the default theme of the application")
        if problems and not force:
            return service_error(400, "could not delete theme", rules.BAD_REQUEST, problems)
        for room in users:
            room.theme_id = None
        if self.default_theme_id == theme_id:
            self.default_theme_id = None
        del self.themes[theme_id]
        return Response(status_code=204)

    async def _theme_rooms(self, request: Request) -> Response:
        theme_id = request.path_params["theme_id"]
        if theme_id not in self.themes:
            return not_found(f"Failed to get rooms because theme id {theme_id} not found")
        ids = [i for i in self.order if self.rooms[i].theme_id == theme_id]
        return self.page(request, f"/meetings/themes/{theme_id}/rooms", ids)

    async def _application(self, request: Request) -> Response:
        try:
            details = rules.update_details(await self._body(request), ("default_theme_id",))
        except Invalid as exc:
            return invalid(exc)
        theme_id = details.get("default_theme_id")
        if not isinstance(theme_id, str) or theme_id not in self.themes:
            return service_error(400, f"Failed to update application because theme id "
                                      f"{theme_id} not found", rules.BAD_REQUEST)
        self.default_theme_id = theme_id
        return JSONResponse({"application_id": self.application_id, "account_id": ACCOUNT_ID,
                             "default_theme_id": theme_id})

    async def _dial_in(self, request: Request) -> Response:
        return JSONResponse([
            {"number": "541139862166", "locale": "es-AR", "display_name": "Argentina"},
            {"number": "442381924626", "locale": "en-GB", "display_name": "United Kingdom"},
        ])


def build(
    *,
    seed: int = 1,
    meetings: int | None = None,
    application_id: str | None = None,
    public_key: str | None = None,
    public_key_file: str | None = None,
    clock: Clock | None = None,
    faults: Faults | None = None,
    api_key: str = "",
) -> VonageSimulator:
    """The registry's factory. `public_key` is PEM text, `public_key_file` a path to one
    (`--public-key`); with neither, the process's generated keypair is used. Raises
    ValueError for an unreadable public key. `None` means the provider's default."""
    if public_key is None and public_key_file is not None:
        public_key = load_public_key(public_key_file)
    return VonageSimulator(
        seed=seed,
        meetings=DEFAULT_ROOMS if meetings is None else meetings,
        application_id=application_id or DEFAULT_APPLICATION_ID,
        public_key=public_key,
        clock=clock,
        faults=faults,
        api_key=api_key,
    )

