"""eyeson: permalinks (meetings defined ahead, started by a host) and running rooms.

Contract: `research/providers-eyeson-24sessions-events.md` §1, the Permalink API seed
page, `contracts/README.md`. What matters for the model:

- A **permalink** is a meeting that exists long before it runs. Each host has an own
  `user_token` and GUI link (`https://app.eyeson.team/permalink?<user_token>`) that
  starts the meeting, or joins it when it runs. Guests share one guest link
  (`...permalink?guest=<guest_token>`) and wait until a host has started it.
- A **running room** (`POST /rooms` elsewhere) exists only while it runs; the API lists
  those without any host access key, so meettui shows them with their guest link only.

Listing: the permalink pages (`GET /permalink?page=N&limit=L`; the cursor after page N
is `permalink:N+1`); the last one also carries the running rooms (`GET /rooms`) that
are no permalink's meeting, so the walk has as many pages as the permalink list. A
room's id in meettui is `room:<room id>`; a permalink's id is the permalink id (which
is also its room id, so a permalink's running meeting is not listed twice).

Hosts: an answer shows one host's `user_token` (the first host's, or the one just
added). The host links meettui learns are kept in `Meeting.local["links"]`
(`local_facts`): actions get them from the service (`run_action(..., local=)`) to name and reach
every host and answer with the updated list; on a refresh the service puts back the
links the answer lacks. A host removed outside meettui keeps its (dead) link until
`remove_host` names it.

Auth: team-level calls send the raw key in `Authorization` (no `Bearer`). User-level
calls (starting a permalink with a host token) carry the token in the path and must not
send the key: they go through a second client without auth.

The mapping from eyeson JSON to the model is in `eyeson_mapping`, the form fields and
actions in `eyeson_capabilities`, error translation in `eyeson_errors`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import httpx

from meettui.core.clock import SYSTEM_CLOCK, Clock
from meettui.core.config import AccountConfig
from meettui.core.errors import ConfigError, NotFound, NotSupported, ProviderError, ValidationError
from meettui.core.http import ApiClient, HeaderAuth, parse_json
from meettui.core.models import Link, Meeting, MeetingSpec, Page, Role, Status
from meettui.providers.base import Provider
from meettui.providers.eyeson_capabilities import CAPABILITIES, PAGE_DEFAULT, PAGE_MAX
from meettui.providers.eyeson_errors import eyeson_error, malformed, translate
from meettui.providers.eyeson_mapping import (
    DEFAULT_HOST_NAME,
    ROOM_PREFIX,
    Host,
    form_pairs,
    iso,
    list_hosts,
    permalink_meeting,
    pick_host,
    remembered_hosts,
    room_meeting,
    spec_expiry,
    spec_options,
)

APP_URL = "https://app.eyeson.team"
PERMALINK_CURSOR = "permalink:"
BODY_ENCODINGS = ("form", "json")
HIDDEN = "•••"


# Where run_action hands its handlers the service's `local` (never a user option).
LOCAL_PARAM = "_local"


class EyesonProvider(Provider):
    kind = "eyeson"
    display_name = "eyeson"
    secrets = ("api_key",)
    default_base_url = "https://api.eyeson.team"
    capabilities = CAPABILITIES

    def __init__(
        self,
        account: AccountConfig,
        *,
        secrets: dict[str, str] | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        clock: Clock = SYSTEM_CLOCK,
    ) -> None:
        super().__init__(account, secrets=secrets, transport=transport, clock=clock)
        encoding = str(account.settings.get("body", "form"))
        if encoding not in BODY_ENCODINGS:
            raise ConfigError(
                f"Account {account.name!r}: body = {encoding!r} is not one of "
                f"{', '.join(BODY_ENCODINGS)}."
            )
        self.encoding = encoding
        self.app_url = str(account.settings.get("app_url") or APP_URL).rstrip("/")
        self._team: ApiClient | None = None
        self._user: ApiClient | None = None
        # Permalink ids seen since this instance fetched page one: the running rooms on
        # the last page skip their meetings without asking.
        self._seen: set[str] = set()

    # --- HTTP ------------------------------------------------------------------------

    def _client(self, auth: httpx.Auth | None) -> ApiClient:
        return ApiClient(
            provider=self.kind,
            base_url=self.base_url,
            auth=auth,
            policy=self.policy,
            error_parser=eyeson_error,
            transport=self.transport,
            sleep=self.sleep,
        )

    @property
    def team(self) -> ApiClient:
        if self._team is None:
            key = self._secrets.get("api_key")
            if not key:
                raise ConfigError(f"Account {self.account.name!r} needs its api key.")
            self._team = self._client(HeaderAuth("Authorization", key))
        return self._team

    @property
    def user(self) -> ApiClient:
        """User level: the token is in the path; no API key is ever sent."""
        if self._user is None:
            self._user = self._client(None)
        return self._user

    async def aclose(self) -> None:
        for client in (self._team, self._user):
            if client is not None:
                await client.aclose()
        self._team = self._user = None

    def _body(self, data: dict[str, Any]) -> dict[str, Any]:
        if self.encoding == "json":
            return {"json": {k: v for k, v in data.items() if v is not None}}
        return {"data": dict(form_pairs(data))}

    async def _call(
        self, api: ApiClient, method: str, path: str, *, shown: str | None = None, **kw: Any
    ) -> Any:
        """Send and parse; errors in the taxonomy, tokens in the path never in the text."""
        shown = shown or path
        try:
            response = await api.request(method, path, shown=shown, **kw)
            return parse_json(response, self.kind, f"{method} {shown}")
        except ProviderError as exc:
            raise translate(exc, method, path, shown, provider=self.kind) from None

    # --- reading ---------------------------------------------------------------------

    async def list_page(self, cursor: str | None = None, limit: int | None = None) -> Page:
        limit = max(1, min(limit or PAGE_DEFAULT, PAGE_MAX))
        if cursor is None:
            page = 1
        else:
            number = cursor.removeprefix(PERMALINK_CURSOR)
            if not cursor.startswith(PERMALINK_CURSOR) or not number.isdigit():
                raise ProviderError(f"unreadable list cursor {cursor!r}", provider=self.kind,
                                    hint="Refresh the list to start again.")
            page = int(number)
        data = await self._call(self.team, "GET", "/permalink",
                                params={"page": page, "limit": limit})
        if not isinstance(data, dict) or not isinstance(data.get("items"), list):
            raise self._malformed("GET /permalink", "no items list")
        items = [self._permalink_meeting(item) for item in data["items"]]
        if page == 1:  # a new walk, now that its first page has arrived
            self._seen.clear()
        self._seen.update(m.id for m in items)
        total, size = data.get("total"), data.get("limit") or limit
        more = bool(items) and isinstance(total, int) and isinstance(size, int) and (
            page * size < total)
        if more:
            return Page(items=items, next_cursor=f"{PERMALINK_CURSOR}{page + 1}", total=total)
        # The last permalink page also carries the running rooms that are no permalink's.
        items += await self._plain_rooms()
        return Page(items=items, next_cursor=None, total=total)

    async def _plain_rooms(self) -> list[Meeting]:
        items: list[Meeting] = []
        for room in await self._running_rooms():
            rid = str(room["id"])
            if rid in self._seen:
                continue
            # Not seen in this walk (it began in another process, or the permalink is
            # newer than its page): ask whether the meeting is a permalink's. If so it is
            # listed on its own page, so it is skipped here. Costs one request per
            # running room that is no permalink's.
            try:
                await self._permalink(rid)
                continue
            except NotFound:
                pass
            items.append(self._room_meeting(room))
        return items

    async def _running_rooms(self) -> list[dict[str, Any]]:
        data = await self._call(self.team, "GET", "/rooms")
        if not isinstance(data, list) or not all(
            isinstance(r, dict) and r.get("id") for r in data
        ):
            raise self._malformed("GET /rooms", "expected a list of rooms")
        return data

    async def get(self, meeting_id: str) -> Meeting:
        if meeting_id.startswith(ROOM_PREFIX):
            rid = meeting_id.removeprefix(ROOM_PREFIX)
            room = next((r for r in await self._running_rooms() if str(r["id"]) == rid), None)
            if room is None:
                raise NotFound(f"room {rid}: the meeting has ended (it no longer runs).",
                               provider=self.kind)
            return self._room_meeting(room)
        return self._permalink_meeting(await self._permalink(meeting_id))

    async def _permalink(self, pid: str) -> dict[str, Any]:
        data = await self._call(self.team, "GET", f"/permalink/{pid}")
        if not isinstance(data, dict):
            raise self._malformed(f"GET /permalink/{pid}", "not an object")
        return data

    def _malformed(self, where: str, why: str) -> ProviderError:
        return malformed(where, why, provider=self.kind)

    # --- the model (eyeson_mapping) --------------------------------------------------

    def _hosts(self, data: dict[str, Any]) -> list[Host]:
        return list_hosts(data, self.app_url)

    def _known_hosts(self, data: dict[str, Any], known: dict[str, Any]) -> list[Host]:
        """The hosts meettui remembers (`known`, its `Meeting.local`), then those the
        answer shows that it did not: eyeson shows only one host's token per answer."""
        hosts = remembered_hosts(known)
        tokens = {h[1] for h in hosts}
        return hosts + [h for h in self._hosts(data) if h[1] not in tokens]

    def _permalink_meeting(self, data: Any, live: list[Link] | None = None, *,
                           known: dict[str, Any] | None = None, drop: str = "") -> Meeting:
        """The meeting; with `known` (an action's `Meeting.local`) its hosts are the
        remembered ones plus those shown, less the token `drop`, and its `local` keeps
        them all (the service stores it)."""
        hosts = None
        if known is not None and isinstance(data, dict):
            hosts = [h for h in self._known_hosts(data, known) if h[1] != drop]
        return permalink_meeting(data, provider=self.kind, account=self.account.name,
                                 app_url=self.app_url, clock=self.clock, live=live,
                                 hosts=hosts, local=known)

    def _room_meeting(self, room: dict[str, Any]) -> Meeting:
        return room_meeting(room, provider=self.kind, account=self.account.name,
                            app_url=self.app_url)

    # --- writing ---------------------------------------------------------------------

    def _options(self, spec: MeetingSpec) -> dict[str, Any]:
        return spec_options(spec, provider=self.kind)

    def _expiry(self, spec: MeetingSpec) -> datetime | None:
        return spec_expiry(spec, clock=self.clock, provider=self.kind)

    async def create(self, spec: MeetingSpec) -> Meeting:
        if spec.starts_at is not None:
            raise ValidationError(
                "eyeson permalinks have no start time: a host starts the meeting with their "
                "link. Leave the start empty (set an expiry if it should stop working).",
                field="starts_at", provider=self.kind)
        host = (str(spec.options.get("host_name") or "").strip()
                or str(self.account.settings.get("host_name") or "").strip()
                or DEFAULT_HOST_NAME)
        expires = self._expiry(spec)
        body = {
            "user": {"name": host},
            "name": spec.title.strip() or None,
            "expires_at": iso(expires) if expires else None,
            "options": self._options(spec) or None,
        }
        data = await self._call(self.team, "POST", "/permalink", expected=(201,),
                                **self._body(body))
        return self._permalink_meeting(data)

    async def update(self, meeting_id: str, spec: MeetingSpec) -> Meeting:
        if meeting_id.startswith(ROOM_PREFIX):
            raise NotSupported("A running eyeson room cannot be edited; only permalinks can.")
        expires = self._expiry(spec)
        body = {
            "name": spec.title.strip() or None,
            "expires_at": iso(expires) if expires else None,
            "options": self._options(spec) or None,
        }
        if not any(v is not None for v in body.values()):
            return await self.get(meeting_id)
        data = await self._call(self.team, "PUT", f"/permalink/{meeting_id}",
                                **self._body(body))
        return self._permalink_meeting(data)

    async def delete(self, meeting_id: str) -> None:
        if meeting_id.startswith(ROOM_PREFIX):
            await self._call(self.team, "DELETE", f"/rooms/{meeting_id.removeprefix(ROOM_PREFIX)}")
        else:
            await self._call(self.team, "DELETE", f"/permalink/{meeting_id}")

    # --- actions ---------------------------------------------------------------------

    async def run_action(
        self, meeting_id: str, action: str, params: dict, *, local: dict | None = None
    ) -> Meeting:
        handlers = {"start": self._start, "add_host": self._add_host,
                    "remove_host": self._remove_host, "stop": self._stop}
        handler = handlers.get(action)
        if handler is None:
            raise NotSupported(f"eyeson has no action {action!r}.")
        if meeting_id.startswith(ROOM_PREFIX) and action != "stop":
            raise NotSupported(
                f"{action} works on permalinks; {meeting_id} is a running room.",
                hint="A running room can only be ended (the stop action).")
        # The handlers read what meettui keeps from a private key of their params.
        return await handler(meeting_id, {**(params or {}), LOCAL_PARAM: local or {}})

    @staticmethod
    def _known(params: dict) -> dict[str, Any]:
        """What the service keeps about the meeting (its `Meeting.local`), if it said."""
        known = params.get(LOCAL_PARAM)
        return dict(known) if isinstance(known, dict) else {}

    @staticmethod
    def _param(params: dict, *names: str) -> str:
        for name in names:
            value = params.get(name)
            if value not in (None, ""):
                return str(value).strip()
        return ""

    def _pick_host(self, hosts: list[Host], wanted: str, *, field: str) -> tuple[str, str]:
        return pick_host(hosts, wanted, field=field, provider=self.kind)

    async def _add_host(self, meeting_id: str, params: dict) -> Meeting:
        name = self._param(params, "name", "host_name")
        if not name:
            raise ValidationError("A host needs a name.", field="name", provider=self.kind)
        data = await self._call(self.team, "POST", f"/permalink/{meeting_id}/users",
                                expected=(201,), **self._body({"user": {"name": name}}))
        # The answer shows the new host's token only: the others come from `known`.
        return self._permalink_meeting(data, known=self._known(params))

    async def _remove_host(self, meeting_id: str, params: dict) -> Meeting:
        wanted = self._param(params, "host", "user_token", "token", "name")
        if not wanted:
            raise ValidationError("Say which host to remove (name or token).", field="host",
                                  provider=self.kind)
        data, known = await self._permalink(meeting_id), self._known(params)
        hosts = self._known_hosts(data, known)
        _, tok = self._pick_host(hosts, wanted, field="host")
        try:
            await self._call(self.team, "DELETE", f"/permalink/{meeting_id}/users/{tok}",
                             shown=f"/permalink/{meeting_id}/users/{HIDDEN}")
        except NotFound:
            if tok in {h[1] for h in hosts}:
                # A retried DELETE whose first attempt had already removed it, or a host
                # removed elsewhere: its link is dead either way, so it is forgotten.
                pass
            else:
                raise
        return self._permalink_meeting(await self._permalink(meeting_id), known=known,
                                       drop=tok)

    async def _start(self, meeting_id: str, params: dict) -> Meeting:
        data, known = await self._permalink(meeting_id), self._known(params)
        name, tok = self._pick_host(self._known_hosts(data, known),
                                    self._param(params, "host", "user_token", "name"),
                                    field="host")
        room = await self._call(self.user, "POST", f"/permalink/{tok}",
                                shown=f"/permalink/{HIDDEN}", expected=(200, 201))
        if not isinstance(room, dict) or not isinstance(room.get("room"), dict):
            raise self._malformed("POST /permalink/<user_token>", "no room object")
        live = []
        gui = (room.get("links") or {}).get("gui")
        if gui:
            live.append(Link(role=Role.HOST, url=gui, label=f"{name} (in the running meeting)",
                             sensitive=True))
        data = {**data, "room": {**(data.get("room") or {}),
                                 "started_at": room["room"].get("started_at")}}
        return self._permalink_meeting(data, live=live, known=known)

    async def _stop(self, meeting_id: str, params: dict) -> Meeting:
        if meeting_id.startswith(ROOM_PREFIX):
            current = await self.get(meeting_id)
            await self._call(self.team, "DELETE", f"/rooms/{meeting_id.removeprefix(ROOM_PREFIX)}")
            return current.model_copy(update={
                "status": Status.ENDED, "links": [],
                "details": {**current.details, "State": "ended"},
            })
        try:
            await self._call(self.team, "DELETE", f"/rooms/{meeting_id}")
        except NotFound:
            raise ValidationError("This permalink's meeting is not running.",
                                  provider=self.kind) from None
        return self._permalink_meeting(await self._permalink(meeting_id),
                                       known=self._known(params))
