"""The routes of the simulated Meetings API that are not rooms: themes (`/themes`,
`/themes/{theme_id}`, the rooms of one), the application's default theme
(`/applications`) and the dial-in numbers (`/dial-in-numbers`).

Contract: the v1 spec (`contracts/vonage/meetings-openapi-v1.yml`: CreateThemeDetails,
UpdateThemeDetails, UpdateApplicationDetails), `research/providers-whereby-vonage.md`
§2.5, and the recorded answers in `contracts/vonage/fixtures/`. Themes are `{}` when
there are none; a theme in use (or the default) is deleted only with `force=true`.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from meettui.simulators.vonage import rules
from meettui.simulators.vonage.answers import invalid, not_found, read_body, service_error
from meettui.simulators.vonage.rooms import page
from meettui.simulators.vonage.rules import Invalid
from meettui.simulators.vonage.state import ACCOUNT_ID, VonageState


class ThemeRoutes:
    """The handlers of `sim`'s themes, its application's default theme and its dial-in
    numbers."""

    def __init__(self, sim: VonageState) -> None:
        self.sim = sim

    def routes(self) -> list[BaseRoute]:
        """The routes, relative to the API's base path, in the order the router tries them."""
        return [
            Route("/themes", self._themes, methods=["GET", "POST"]),
            Route("/themes/{theme_id}", self._theme, methods=["GET", "PATCH", "DELETE"]),
            Route("/themes/{theme_id}/rooms", self._theme_rooms, methods=["GET"]),
            Route("/applications", self._application, methods=["PATCH"]),
            Route("/dial-in-numbers", self._dial_in, methods=["GET"]),
        ]

    def _taken(self, values: dict[str, Any], but: str | None = None) -> JSONResponse | None:
        for key in ("theme_name", "short_company_url"):
            value = values.get(key)
            if value is not None and any(getattr(t, key) == value and t.theme_id != but
                                         for t in self.sim.themes.values()):
                where = "in application" if key == "theme_name" else ""
                return service_error(409, f"{key} already exists {where}".strip(),
                                     "ConflictError")
        return None

    async def _themes(self, request: Request) -> Response:
        sim = self.sim
        if request.method == "GET":
            # `{}`, not `[]`, when there are none: the real API's quirk (empty_themes.json).
            themes = [sim.theme_json(t) for t in sim.themes.values()]
            return JSONResponse(themes if themes else {})
        try:
            values = rules.parse_theme(await read_body(request), create=True)
        except Invalid as exc:
            return invalid(exc)
        conflict = self._taken(values)
        if conflict is not None:
            return conflict
        return JSONResponse(sim.theme_json(sim.add_theme(values)), status_code=201)

    async def _theme(self, request: Request) -> Response:
        sim = self.sim
        theme_id = request.path_params["theme_id"]
        if request.method == "PATCH":
            try:
                values = rules.parse_theme(await read_body(request), create=False)
            except Invalid as exc:
                return invalid(exc)
        theme = sim.themes.get(theme_id)
        if theme is None:
            return not_found(f"could not find theme {theme_id}")
        if request.method == "GET":
            return JSONResponse(sim.theme_json(theme))
        if request.method == "PATCH":
            conflict = self._taken(values, but=theme_id)
            if conflict is not None:
                return conflict
            for key, value in values.items():
                setattr(theme, key, value)
            return JSONResponse(sim.theme_json(theme))
        try:
            force = rules.parse_force(request.query_params.get("force"))
        except Invalid as exc:
            return invalid(exc)
        users = [r for r in sim.rooms.values() if r.theme_id == theme_id]
        problems = []
        if users:
            problems.append(f"Theme {theme_id} is used by {len(users)} "
                            f"room{'s' if len(users) != 1 else ''}")
        if sim.default_theme_id == theme_id:
            problems.append(f"Theme {theme_id} is the default theme of the application")
        if problems and not force:
            return service_error(400, "could not delete theme", rules.BAD_REQUEST, problems)
        for room in users:
            room.theme_id = None
        if sim.default_theme_id == theme_id:
            sim.default_theme_id = None
        del sim.themes[theme_id]
        return Response(status_code=204)

    async def _theme_rooms(self, request: Request) -> Response:
        sim = self.sim
        theme_id = request.path_params["theme_id"]
        if theme_id not in sim.themes:
            return not_found(f"Failed to get rooms because theme id {theme_id} not found")
        ids = [i for i in sim.order if sim.rooms[i].theme_id == theme_id]
        return page(sim, request, f"/meetings/themes/{theme_id}/rooms", ids)

    async def _application(self, request: Request) -> Response:
        sim = self.sim
        try:
            details = rules.update_details(await read_body(request), ("default_theme_id",))
        except Invalid as exc:
            return invalid(exc)
        theme_id = details.get("default_theme_id")
        if not isinstance(theme_id, str) or theme_id not in sim.themes:
            return service_error(400, f"Failed to update application because theme id "
                                      f"{theme_id} not found", rules.BAD_REQUEST)
        sim.default_theme_id = theme_id
        return JSONResponse({"application_id": sim.application_id, "account_id": ACCOUNT_ID,
                             "default_theme_id": theme_id})

    async def _dial_in(self, request: Request) -> Response:
        return JSONResponse([
            {"number": "541139862166", "locale": "es-AR", "display_name": "Argentina"},
            {"number": "442381924626", "locale": "en-GB", "display_name": "United Kingdom"},
        ])
