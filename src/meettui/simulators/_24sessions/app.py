"""Simulator of one 24sessions instance's API (`https://<instance>.api.24sessions.com`):
OAuth2 client-credentials tokens, Hydra (JSON-LD) collections, meetings with a host
(user), a guest and a meeting type, rescheduling, cancelling and deleting.

Contract: the research contract (`research/`, 24sessions) §2 and `contracts/README.md`
(24sessions facts): token by `GET /oauth/v2/token?client_id&client_secret&grant_type=
client_credentials` (the docs show a `/v1` prefix, the working script none: both are
served), `Authorization: Bearer <token>` on every other call, `GET /meetings?page=N`
answering `hydra:member` with `hydra:lastPage` at the top level (as the working script
reads it) and `hydra:view` (first, last, next), `POST /meetings` (201), `GET`/`PUT`/
`DELETE /meetings/{id}`, relations as IRIs (`/users/12`, `/meeting_types/2`). Request
rules and error bodies are in `rules`, the objects in `state`, the seed in `seed`. Where
no source settles a detail, the choice is a named constant marked "unconfirmed".
"""

from __future__ import annotations

import hmac
import json
import math
import secrets
from collections import Counter
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from meettui.core.clock import Clock
from meettui.simulators._24sessions.rules import (
    CANCELLED,
    CANCELLED_RESCHEDULE,
    Refused,
    hydra_error,
    item_not_found,
    not_found,
    parse_date,
    parse_guest,
    parse_iri,
    parse_positive,
    parse_status,
    parse_text,
    violations,
)
from meettui.simulators._24sessions.seed import populate
from meettui.simulators._24sessions.state import Meeting, Store, Tokens, meeting_json
from meettui.simulators.account import SimAccount, SimSecret
from meettui.simulators.base import Simulator
from meettui.simulators.faults import Faults

DEFAULT_MEETINGS = 80
DEFAULT_INSTANCE = "demo"
DEFAULT_CLIENT_ID = "demo-client"
DEFAULT_CLIENT_SECRET = "demo-secret"
# "The token is valid for 1 hour" [S1, S2].
TOKEN_LIFETIME_S = 3600
# API Platform's defaults: 30 items a page, `itemsPerPage` to ask for another size
# (client-side page sizes must be enabled per resource), clamped to a maximum. All three
# unconfirmed for 24sessions.
PAGE_SIZE_DEFAULT = 30
PAGE_SIZE_PARAM = "itemsPerPage"
PAGE_SIZE_MAX = 100
# RFC 6749 §5.2 lets a token endpoint answer invalid_client with 401; the PHP OAuth2
# library behind FOSOAuthServerBundle uses 400. Which one 24sessions sends is
# unconfirmed; 401 here, so a wrong secret reads as an authentication failure.
INVALID_CLIENT_STATUS = 401
# FOSOAuthServerBundle's (oauth2-php) texts.
INVALID_CLIENT = "The client credentials are invalid"
AUTH_REQUIRED = "OAuth2 authentication required"
TOKEN_INVALID = "The access token provided is invalid."
TOKEN_EXPIRED = "The access token provided has expired."
LD_JSON = "application/ld+json; charset=utf-8"
PREFIXES = ("", "/v1")

Handler = Callable[[Request], Awaitable[Response]]


def ld(data: Any, status: int = 200) -> Response:
    """A JSON-LD answer, as API Platform sends whatever the Accept header asked for."""
    return JSONResponse(data, status, media_type=LD_JSON)


def oauth_error(status: int, code: str, description: str) -> Response:
    """An RFC 6749 §5.2 error body; 401s carry the `WWW-Authenticate` challenge."""
    headers = {}
    if status == 401:
        headers["WWW-Authenticate"] = (f'Bearer realm="Service", error="{code}", '
                                       f'error_description="{description}"')
    return JSONResponse({"error": code, "error_description": description}, status,
                        headers=headers)


class TwentyFourSessionsSimulator(Simulator):
    kind = "24sessions"
    base_path = ""  # the working script calls the instance's API root without `/v1`

    def __init__(
        self,
        *,
        seed: int = 1,
        meetings: int = DEFAULT_MEETINGS,
        client_id: str = DEFAULT_CLIENT_ID,
        client_secret: str = DEFAULT_CLIENT_SECRET,
        instance: str = DEFAULT_INSTANCE,
        clock: Clock | None = None,
        faults: Faults | None = None,
        embed: bool = False,
        hydra_view: bool = True,
        top_level_last_page: bool = True,
        token_lifetime: float = TOKEN_LIFETIME_S,
    ) -> None:
        super().__init__(seed=seed, clock=clock, faults=faults)
        self.seeded_meetings = meetings
        self.client_id = client_id
        self.client_secret = client_secret
        self.instance = instance
        self.embed = embed
        self.hydra_view = hydra_view
        self.top_level_last_page = top_level_last_page
        self.token_lifetime = timedelta(seconds=token_lifetime)
        self.tokens = Tokens()
        self.store = Store()
        self.token_requests = 0
        self.hits: Counter[str] = Counter()
        self.reset_state()

    # --- state --------------------------------------------------------------------------

    def reset_state(self) -> None:
        self.store = Store()
        self.tokens = Tokens()
        self.token_requests = 0
        # Authorised API requests by "METHOD /collection" (tests read how often a client
        # asked for what, e.g. that it resolves each IRI once).
        self.hits = Counter()
        populate(self.store, seed=self.seed, meetings=self.seeded_meetings,
                 now=self.clock.now())
        self._rng = self.runtime_random()
        self.store.skip_ids(self._rng)

    def describe_credentials(self) -> str:
        return (f"client id: {self.client_id}  client secret: {self.client_secret}  "
                f"(token: GET /oauth/v2/token; instance {self.instance!r} for the links)")

    def account(self) -> SimAccount:
        """The OAuth client, and the instance with its first advisor and meeting type
        (so a meeting made there needs only a guest and a start)."""
        return SimAccount(
            secrets=(SimSecret("client_id", "S24_CLIENT_ID", self.client_id),
                     SimSecret("client_secret", "S24_CLIENT_SECRET", self.client_secret)),
            settings={"instance": self.instance, "user": min(self.store.users),
                      "meeting_type": min(self.store.types)})

    def info(self) -> dict[str, Any]:
        return {**super().info(), "instance": self.instance,
                "meetings": len(self.store.meetings), "tokens": len(self.tokens.expires)}

    def throttled_response(self) -> Response:
        # 24sessions documents no rate limit; injected 429s say when to come back.
        ms = self.faults.retry_after_ms or 1000
        refused = hydra_error(429, "Too Many Requests")
        return JSONResponse(refused.body, 429, media_type=LD_JSON,
                            headers={"Retry-After": str(max(1, math.ceil(ms / 1000)))})

    # --- routes -------------------------------------------------------------------------

    def routes(self) -> list[BaseRoute]:
        found: list[BaseRoute] = []
        for prefix in PREFIXES:
            found += [
                Route(f"{prefix}/oauth/v2/token", self._token, methods=["GET"]),
                Route(f"{prefix}/meetings", self._guard(self._meetings),
                      methods=["GET", "POST"]),
                Route(f"{prefix}/meetings/{{mid}}", self._guard(self._meeting),
                      methods=["GET", "PUT", "DELETE"]),
                Route(f"{prefix}/users", self._guard(self._users), methods=["GET"]),
                Route(f"{prefix}/users/{{uid}}", self._guard(self._user), methods=["GET"]),
                Route(f"{prefix}/meeting_types", self._guard(self._types), methods=["GET"]),
                Route(f"{prefix}/meeting_types/{{tid}}", self._guard(self._type),
                      methods=["GET"]),
            ]
        return found

    async def _token(self, request: Request) -> Response:
        self.token_requests += 1
        query = request.query_params
        grant = query.get("grant_type")
        if not grant:
            return oauth_error(400, "invalid_request",
                               "Invalid grant_type parameter or parameter missing")
        client_ok = (hmac.compare_digest(query.get("client_id", "").encode(),
                                         self.client_id.encode())
                     and hmac.compare_digest(query.get("client_secret", "").encode(),
                                             self.client_secret.encode()))
        if not client_ok:
            return oauth_error(INVALID_CLIENT_STATUS, "invalid_client", INVALID_CLIENT)
        if grant != "client_credentials":
            return oauth_error(400, "unsupported_grant_type",
                               "Invalid grant_type parameter or parameter missing")
        # Tokens are credentials, not seeded data: never reproducible.
        value = secrets.token_urlsafe(32)
        self.tokens.issue(value, self.clock.now(), self.token_lifetime)
        return JSONResponse({"access_token": value,
                             "expires_in": int(self.token_lifetime.total_seconds()),
                             "token_type": "bearer", "scope": None})

    def _guard(self, handler: Handler) -> Handler:
        async def guarded(request: Request) -> Response:
            header = request.headers.get("authorization", "")
            scheme, _, value = header.partition(" ")
            if scheme.lower() != "bearer" or not value.strip():
                return oauth_error(401, "access_denied", AUTH_REQUIRED)
            why = self.tokens.check(value.strip(), self.clock.now())
            if why is not None:
                self.hits[f"401 {why}"] += 1
                return oauth_error(401, "invalid_grant",
                                   TOKEN_EXPIRED if why == "expired" else TOKEN_INVALID)
            collection = request.url.path.removeprefix("/v1").split("/")[1]
            self.hits[f"{request.method} /{collection}"] += 1
            try:
                return await handler(request)
            except Refused as refused:
                return ld(refused.body, refused.status)

        return guarded

    # meetings

    async def _meetings(self, request: Request) -> Response:
        if request.method == "POST":
            return ld(self._json(self._create(await self._body(request)), context=True), 201)
        query = request.query_params
        page = parse_positive(query.get("page"), "page", 1)
        size_given = query.get(PAGE_SIZE_PARAM)
        size = min(parse_positive(size_given, PAGE_SIZE_PARAM, PAGE_SIZE_DEFAULT),
                   PAGE_SIZE_MAX)
        items = list(self.store.meetings.values())
        return ld(self._collection(
            "/meetings", [self._json(m) for m in items[(page - 1) * size: page * size]],
            total=len(items), page=page, size=size if size_given else None))

    def _collection(self, path: str, members: list[dict[str, Any]], *, total: int,
                    page: int, size: int | None) -> dict[str, Any]:
        """A Hydra collection page; its `@id` is the page's own IRI (`/meetings?page=N`,
        so `@id == hydra:lastPage` on the last page)."""
        per_page = size or PAGE_SIZE_DEFAULT
        last = max(1, -(-total // per_page))

        def iri(number: int) -> str:
            params: dict[str, Any] = {PAGE_SIZE_PARAM: size} if size else {}
            return f"{path}?{urlencode({**params, 'page': number})}"

        body: dict[str, Any] = {
            "@context": f"/contexts/{'Meeting' if path == '/meetings' else path[1:]}",
            "@id": iri(page),
            "@type": "hydra:Collection",
            "hydra:member": members,
            "hydra:totalItems": total,
        }
        if self.hydra_view:
            view: dict[str, Any] = {"@id": iri(page), "@type": "hydra:PartialCollectionView",
                                    "hydra:first": iri(1), "hydra:last": iri(last)}
            if page > 1:
                view["hydra:previous"] = iri(page - 1)
            if page < last:
                view["hydra:next"] = iri(page + 1)
            body["hydra:view"] = view
        if self.top_level_last_page:
            body["hydra:lastPage"] = iri(last)
        return body

    async def _meeting(self, request: Request) -> Response:
        meeting = self._find(request.path_params["mid"])
        if request.method == "GET":
            return ld(self._json(meeting, context=True))
        if request.method == "DELETE":
            del self.store.meetings[meeting.id]
            return Response(status_code=204)
        self._update(meeting, await self._body(request))
        return ld(self._json(meeting, context=True))

    def _find(self, mid: str) -> Meeting:
        meeting = self.store.meetings.get(int(mid)) if mid.isdigit() else None
        if meeting is None:
            raise not_found()
        return meeting

    def _json(self, meeting: Meeting, *, context: bool = False) -> dict[str, Any]:
        return meeting_json(meeting, embed=self.embed, context=context)

    @staticmethod
    async def _body(request: Request) -> dict[str, Any]:
        raw = await request.body()
        try:
            data = json.loads(raw) if raw.strip() else None
        except ValueError:
            raise hydra_error(400, "Syntax error") from None
        if not isinstance(data, dict):
            raise hydra_error(400, "The input data is misformatted.")
        return data

    def _relation(self, value: Any, collection: str) -> Any:
        number = parse_iri(value, collection)
        table: dict[int, Any] = (self.store.users if collection == "users"
                                 else self.store.types)
        if number not in table:
            raise item_not_found(f"/{collection}/{number}")
        return table[number]

    def _create(self, body: dict[str, Any]) -> Meeting:
        missing = [(name, "This value should not be blank.")
                   for name in ("date", "user", "type") if body.get(name) in (None, "")]
        if missing:
            raise violations(missing)
        date = parse_date(body["date"])
        user = self._relation(body["user"], "users")
        kind = self._relation(body["type"], "meeting_types")
        guest = parse_guest(body.get("guest"))
        status = parse_status(body.get("status", "scheduled"))
        return self.store.add(
            self._rng, date=date, status=status, user=user, type=kind, guest=guest,
            description=parse_text(body.get("description"), "description"),
            cancellation_reason=parse_text(body.get("cancellationReason"),
                                           "cancellationReason"),
            rescheduling_reason=parse_text(body.get("reschedulingReason"),
                                           "reschedulingReason"),
        )

    def _update(self, meeting: Meeting, body: dict[str, Any]) -> None:
        """Only the fields sent change; everything is checked before anything does."""
        changes: dict[str, Any] = {}
        if "status" in body:
            changes["status"] = parse_status(body["status"])
        if "date" in body:
            changes["date"] = parse_date(body["date"])
            if changes.get("status", meeting.status) in CANCELLED:
                raise violations([("date", CANCELLED_RESCHEDULE)])
        if "user" in body:
            changes["user"] = self._relation(body["user"], "users")
        if "type" in body:
            changes["type"] = self._relation(body["type"], "meeting_types")
        if "guest" in body:
            changes["guest"] = parse_guest(body["guest"])
        for wire, attr in (("description", "description"),
                           ("cancellationReason", "cancellation_reason"),
                           ("reschedulingReason", "rescheduling_reason")):
            if wire in body:
                changes[attr] = parse_text(body[wire], wire)
        for attr, value in changes.items():
            setattr(meeting, attr, value)

    # users and meeting types (what the IRIs resolve to)

    async def _users(self, request: Request) -> Response:
        users = [u.json() for u in self.store.users.values()]
        return ld(self._collection("/users", users, total=len(users), page=1, size=None))

    async def _user(self, request: Request) -> Response:
        uid = request.path_params["uid"]
        user = self.store.users.get(int(uid)) if uid.isdigit() else None
        if user is None:
            raise not_found()
        return ld({"@context": "/contexts/User", **user.json()})

    async def _types(self, request: Request) -> Response:
        kinds = [t.json() for t in self.store.types.values()]
        return ld(self._collection("/meeting_types", kinds, total=len(kinds), page=1,
                                   size=None))

    async def _type(self, request: Request) -> Response:
        tid = request.path_params["tid"]
        kind = self.store.types.get(int(tid)) if tid.isdigit() else None
        if kind is None:
            raise not_found()
        return ld({"@context": "/contexts/MeetingType", **kind.json()})


def build(
    *,
    seed: int = 1,
    meetings: int | None = None,
    client_id: str | None = None,
    client_secret: str | None = None,
    instance: str | None = None,
    clock: Clock | None = None,
    faults: Faults | None = None,
    embed: bool | None = None,
    hydra_view: bool | None = None,
    top_level_last_page: bool | None = None,
    token_lifetime: float | None = None,
) -> TwentyFourSessionsSimulator:
    """The registry's factory: `None` means the default. `embed=True` shows `user` and
    `type` as objects instead of IRIs; `hydra_view=False` / `top_level_last_page=False`
    leave out that paging signal (a client must page with either); `token_lifetime` is
    seconds (default 3600)."""
    return TwentyFourSessionsSimulator(
        seed=seed,
        meetings=DEFAULT_MEETINGS if meetings is None else meetings,
        client_id=client_id or DEFAULT_CLIENT_ID,
        client_secret=client_secret or DEFAULT_CLIENT_SECRET,
        instance=instance or DEFAULT_INSTANCE,
        clock=clock,
        faults=faults,
        embed=bool(embed),
        hydra_view=True if hydra_view is None else hydra_view,
        top_level_last_page=True if top_level_last_page is None else top_level_last_page,
        token_lifetime=TOKEN_LIFETIME_S if token_lifetime is None else token_lifetime,
    )
