"""The rooms routes of the simulated Meetings API (`/rooms`, `/rooms/{room_id}`) and the
HAL page of rooms they and `/themes/{theme_id}/rooms` answer with.

Contract: the v1 spec (`contracts/vonage/meetings-openapi-v1.yml`, POST and PATCH
/rooms), `research/providers-whereby-vonage.md` §2.5–2.6 (the endpoints, paging by
serial), and the recorded lists in `contracts/vonage/fixtures/`. There is no room
DELETE (the router answers 405).
"""

from __future__ import annotations

import bisect
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from meettui.simulators.vonage import rules
from meettui.simulators.vonage.answers import invalid, not_found, read_body, service_error
from meettui.simulators.vonage.rules import Invalid
from meettui.simulators.vonage.state import VonageState

# The host the list's `_links` hrefs name, as recorded: no scheme, no `/v1`, and not
# this server (clients read `start_id` from them and never follow them).
HREF_HOST = "api-eu.vonage.com"
# "An application is limited to a thousand rooms" (spec, POST /rooms); whether expired
# rooms count is unconfirmed: only rooms still available count here.
MAX_ROOMS = 1000


def page(sim: VonageState, request: Request, path: str,
         room_ids: list[str] | None = None) -> Response:
    """One HAL page of `sim`'s rooms (all, or those of `room_ids`) in serial order:
    `{page_size, _embedded: [...], _links: {first, self, prev?, next?}, total_items}`.
    Hrefs carry no scheme and no `/v1`, as the recorded ones (`HREF_HOST`). A 400 for
    paging parameters the rules refuse."""
    try:
        size, start, end = rules.parse_page(request.query_params)
    except Invalid as exc:
        return invalid(exc)
    rooms = [sim.rooms[i] for i in (sim.order if room_ids is None else room_ids)]
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
        "_embedded": [sim.room_json(r) for r in chosen],
        "_links": links,
        "total_items": len(rooms),
    })


class RoomRoutes:
    """The handlers of `sim`'s rooms: list and create (`/rooms`), read and update one
    (`/rooms/{room_id}`)."""

    def __init__(self, sim: VonageState) -> None:
        self.sim = sim

    def routes(self) -> list[BaseRoute]:
        """The routes, relative to the API's base path, in the order the router tries them."""
        return [
            Route("/rooms", self._rooms, methods=["GET", "POST"]),
            # No DELETE: Vonage removed it during the beta (rooms expire), so 405.
            Route("/rooms/{room_id}", self._room, methods=["GET", "PATCH"]),
        ]

    async def _rooms(self, request: Request) -> Response:
        sim = self.sim
        if request.method == "GET":
            return page(sim, request, "/meetings/rooms")
        try:
            spec = rules.parse_create(await read_body(request), sim.clock.now())
        except Invalid as exc:
            return invalid(exc)
        if spec.theme_id is not None and spec.theme_id not in sim.themes:
            return service_error(400, f"Failed to create room because theme id "
                                      f"{spec.theme_id} not found", rules.BAD_REQUEST)
        if sum(sim.is_available(r) for r in sim.rooms.values()) >= MAX_ROOMS:
            return service_error(403, "Maximum number of rooms for owner exceeded",
                                 "ForbiddenError")
        room = sim.add_room(spec, created=sim.clock.now())
        return JSONResponse(sim.room_json(room), status_code=201)

    async def _room(self, request: Request) -> Response:
        sim = self.sim
        room_id = request.path_params["room_id"]
        if request.method == "GET":
            room = sim.rooms.get(room_id)
            if room is None:
                return not_found(f"Failed to fetch resource with id {room_id}")
            return JSONResponse(sim.room_json(room))
        # Joi validates the body before the room is looked up.
        try:
            changes = rules.parse_update(await read_body(request), sim.clock.now())
        except Invalid as exc:
            return invalid(exc)
        room = sim.rooms.get(room_id)
        # "If you try to update a room which expired or not available anymore, you will
        # receive a 404 response" (spec, PATCH /rooms/:room_id).
        if room is None or not sim.is_available(room):
            return not_found(f"Failed to fetch resource with id {room_id}")
        if room.type != "long_term":
            return service_error(400, f"The room with id: {room.id} could not be updated "
                                      "because of its type: temporary", rules.BAD_REQUEST)
        theme_id = changes.pop("theme_id", room.theme_id)
        if theme_id is not None and theme_id not in sim.themes:
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
        return JSONResponse(sim.room_json(room))
