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

Auth: team-level calls send the raw key in `Authorization` (no `Bearer`). User-level
calls (starting a permalink with a host token) carry the token in the path and must not
send the key: they go through a second client without auth.

Link choice: host links are sensitive (they start the meeting and carry the host's
token). The guest link also carries a token, but it is made to be shared with guests
(eyeson: "only share guest links") and lets nobody start the meeting, so it is *not*
marked sensitive: it is the link the QR code and `meettui qr` show.
"""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

import httpx

from meettui.core.clock import SYSTEM_CLOCK, Clock
from meettui.core.config import AccountConfig
from meettui.core.errors import (
    AuthError,
    ConfigError,
    NotFound,
    NotSupported,
    ProviderError,
    RateLimited,
    Unavailable,
    ValidationError,
)
from meettui.core.http import ApiClient, HeaderAuth, RetryPolicy, parse_json
from meettui.core.models import (
    ActionSpec,
    Capabilities,
    DeleteMode,
    FieldKind,
    FieldSpec,
    Link,
    Meeting,
    MeetingSpec,
    Page,
    Role,
    Status,
    UpdateMode,
)
from meettui.core.redact import redact
from meettui.core.when import parse_when
from meettui.providers.base import Provider

APP_URL = "https://app.eyeson.team"
ROOM_PREFIX = "room:"
PERMALINK_CURSOR = "permalink:"
PAGE_DEFAULT, PAGE_MAX = 25, 100
DEFAULT_HOST_NAME = "Host"
BODY_ENCODINGS = ("form", "json")
TOKEN_RE = re.compile(r"^[A-Za-z0-9]{16,64}$")
HIDDEN = "•••"
# Options the create/edit forms offer, sent as options[...].
BOOL_OPTIONS = ("recording_available", "broadcast_available", "widescreen")

NOTES = (
    "A permalink exists before its meeting runs: a host starts it with their own link; "
    "guests who open the guest link wait until then.",
    "Every host has an own link; add or remove hosts with the add_host / remove_host actions.",
    "Running rooms made elsewhere (ids starting with 'room:') show their guest link only: "
    "eyeson lists no host link for them.",
    "The list shows the permalinks page by page; the last page adds the running rooms.",
)


def _eyeson_error(response: httpx.Response) -> tuple[str, str | None]:
    """eyeson answers `{"error": "..."}` or `{"errors": [...]}` ([E7], [E9])."""
    try:
        body = response.json()
    except ValueError:
        text = response.text.strip()
        return (text[:200] or response.reason_phrase or f"HTTP {response.status_code}", None)
    message = ""
    if isinstance(body, dict):
        if isinstance(body.get("error"), str):
            message = body["error"]
        elif isinstance(body.get("errors"), list):
            message = "; ".join(str(e) for e in body["errors"])
    message = message or response.reason_phrase or f"HTTP {response.status_code}"
    return message, _field_for(message)


def _field_for(message: str) -> str | None:
    """Which form field a validation message is about."""
    if "user[name]" in message:
        return "host_name"
    if "expires_at" in message:
        return "ends_at"
    option = re.search(r"options\[(\w+)\]", message)
    if option:
        return option.group(1)
    if message.startswith("name "):
        return "title"
    return None


def _time(value: Any) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _shown(moment: datetime | None) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC") if moment else "—"


def form_pairs(data: dict[str, Any], prefix: str = "") -> list[tuple[str, str]]:
    """Nested dicts as eyeson's bracket keys; booleans as "true"/"false"; None left out."""
    pairs: list[tuple[str, str]] = []
    for key, value in data.items():
        name = f"{prefix}[{key}]" if prefix else key
        if value is None:
            continue
        if isinstance(value, dict):
            pairs += form_pairs(value, name)
        elif isinstance(value, bool):
            pairs.append((name, "true" if value else "false"))
        else:
            pairs.append((name, str(value)))
    return pairs


class EyesonProvider(Provider):
    kind = "eyeson"
    display_name = "eyeson"
    secrets = ("api_key",)
    default_base_url = "https://api.eyeson.team"
    capabilities = Capabilities(
        create=True,
        update=UpdateMode.IN_PLACE,
        delete=DeleteMode.DELETE,
        link_roles=(Role.HOST, Role.GUEST),
        page_size_default=PAGE_DEFAULT,
        page_size_max=PAGE_MAX,
        fields=(
            FieldSpec(name="title", label="Name",
                      help="Room name people see; empty uses the host's name."),
            FieldSpec(name="starts_at", label="Start", kind=FieldKind.DATETIME,
                      help="Leave empty: eyeson has no start time; a host starts the "
                           "meeting with their link."),
            FieldSpec(name="ends_at", label="Expires", kind=FieldKind.DATETIME,
                      help="Optional: after this the permalink can no longer be started. "
                           "Empty keeps it as it is."),
            FieldSpec(name="host_name", label="Host name", editable=False,
                      help="The first host (default: the account's host_name setting). "
                           "Add more with the add_host action."),
            FieldSpec(name="exit_url", label="Exit URL",
                      help="Where people land after leaving (http or https)."),
            FieldSpec(name="recording_available", label="Recording allowed",
                      kind=FieldKind.BOOL, default=True),
            FieldSpec(name="broadcast_available", label="Broadcasting allowed",
                      kind=FieldKind.BOOL, default=True),
            FieldSpec(name="widescreen", label="Widescreen (16:9)", kind=FieldKind.BOOL,
                      default=True),
        ),
        actions=(
            ActionSpec(
                name="start", label="Start the meeting now",
                fields=(FieldSpec(name="host", label="As host",
                                  help="A host's name or token; empty: the first host."),),
                help="Starts the permalink's meeting (or joins it when it runs) and "
                     "adds that host's live link. Guests can join from then on.",
            ),
            ActionSpec(
                name="add_host", label="Add a host",
                fields=(FieldSpec(name="name", label="Host name", required=True),),
                help="A new host with an own link that can start the meeting.",
            ),
            ActionSpec(
                name="remove_host", label="Remove a host",
                fields=(FieldSpec(name="host", label="Host", required=True,
                                  help="The host's name (as in the link label) or token."),),
                help="That host's link stops working at once.",
                dangerous=True,
            ),
            ActionSpec(
                name="stop", label="End the running meeting",
                help="Shuts the meeting down for everyone; a permalink can be started again.",
                dangerous=True,
            ),
        ),
        notes=NOTES,
    )

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
        # Set these before the first request to change retries (tests wait for nothing).
        self.policy = RetryPolicy()
        self.sleep: Callable[[float], Awaitable[None]] = asyncio.sleep
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
            error_parser=_eyeson_error,
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
            raise self._translate(exc, method, path, shown) from None

    def _translate(self, exc: ProviderError, method: str, path: str, shown: str) -> ProviderError:
        text = exc.message.replace(redact(path), shown).replace(path, shown)
        status = exc.status
        common: dict[str, Any] = {"provider": self.kind, "status": status, "body": exc.body}
        reason = _eyeson_error_text(exc.body) or text
        where = f"{method} {shown}"
        if status == 410:
            return NotFound(f"{where} → 410: the meeting has ended ({reason}).",
                            hint="A permalink can be started again; a room cannot.", **common)
        if status == 405:
            return ValidationError(
                f"{reason} — disabled by option for this meeting (405).",
                hint="Enable the matching *_available option on the permalink.", **common)
        if status == 403:
            return ValidationError(
                f"{reason} — refused (403): an option may disable this, or a parameter is "
                "not allowed.", **common)
        if status == 423:
            return ProviderError(f"{where} → 423: {reason}",
                                 hint="The meeting is locked or has not been started.", **common)
        if isinstance(exc, ValidationError):
            return ValidationError(text.removeprefix(f"{self.kind}: "), field=exc.field,
                                   **common)
        if isinstance(exc, RateLimited):
            return RateLimited(text.removeprefix(f"{self.kind}: "),
                               retry_after=exc.retry_after, **common)
        for cls in (AuthError, NotFound, Unavailable):
            if isinstance(exc, cls):
                return cls(text.removeprefix(f"{self.kind}: "), **common)
        return ProviderError(text.removeprefix(f"{self.kind}: "), hint=exc.hint or None,
                             **common)

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
        return ProviderError(
            f"{where} returned an unexpected response ({why})", provider=self.kind,
            hint="The provider sent something meettui cannot read; the cache was left as it was.")

    # --- the model -------------------------------------------------------------------

    def _hosts(self, data: dict[str, Any]) -> list[tuple[str, str, str]]:
        """(name, user_token, gui link) for every host the response shows.

        eyeson documents one `user` and `user_token` per response; a `users` list (which
        the simulator adds) gives all hosts. Without it only the shown host is known."""
        links = data.get("links") or {}
        hosts: list[tuple[str, str, str]] = []
        users = data.get("users")
        if isinstance(users, list):
            for u in users:
                if isinstance(u, dict) and u.get("user_token"):
                    tok = str(u["user_token"])
                    gui = (u.get("links") or {}).get("gui") or f"{self.app_url}/permalink?{tok}"
                    hosts.append((str(u.get("name") or DEFAULT_HOST_NAME), tok, gui))
        tok = (data.get("permalink") or {}).get("user_token")
        if tok and all(h[1] != tok for h in hosts):
            name = str((data.get("user") or {}).get("name") or DEFAULT_HOST_NAME)
            hosts.insert(0, (name, str(tok), links.get("gui") or f"{self.app_url}/permalink?{tok}"))
        return hosts

    def _permalink_meeting(self, data: Any, live: list[Link] | None = None) -> Meeting:
        if not isinstance(data, dict) or not isinstance(data.get("permalink"), dict) or not (
            data["permalink"].get("id")
        ):
            raise self._malformed("permalink", "no permalink.id")
        p, room = data["permalink"], data.get("room") or {}
        options = data.get("options") or {}
        started, expires = _time(room.get("started_at")), _time(p.get("expires_at"))
        created = _time(p.get("created_at"))
        now = self.clock.now()
        if started:
            status = Status.LIVE
        elif expires is not None and now >= expires:
            status = Status.EXPIRED
        else:
            status = Status.SCHEDULED
        hosts = self._hosts(data)
        links = [Link(role=Role.HOST, url=gui, label=name, sensitive=True)
                 for name, _, gui in hosts]
        links += live or []
        guest = (data.get("links") or {}).get("guest_join")
        if not guest and p.get("guest_token"):
            guest = f"{self.app_url}/permalink?guest={p['guest_token']}"
        if guest:
            links.append(Link(role=Role.GUEST, url=guest, label="Guest link"))
        details = {
            "Kind": "permalink",
            "State": f"running since {_shown(started)}" if started
            else ("expired: it can no longer be started" if status == Status.EXPIRED
                  else "not running: a host starts it with their link"),
            "Guests": "can join now" if started else "wait until a host starts the meeting",
            "Hosts": ", ".join(name for name, _, _ in hosts) or "—",
            "Created": _shown(created),
        }
        if expires:
            details["Expires"] = _shown(expires)
        details["Recording"] = "allowed" if options.get("recording_available", True) else "off"
        details["Broadcasting"] = ("allowed" if options.get("broadcast_available", True)
                                   else "off")
        if options.get("exit_url"):
            details["Exit URL"] = str(options["exit_url"])
        if not guest:
            details["Guest link"] = "none (guest tokens are off for this permalink)"
        team = (data.get("team") or {}).get("name")
        if team:
            details["Team"] = str(team)
        return Meeting(
            provider=self.kind,
            account=self.account.name,
            id=str(p["id"]),
            title=str(room.get("name") or ""),
            starts_at=started,
            expires_at=expires,
            status=status,
            links=links,
            details=details,
            raw=self._raw(data, hosts),
        )

    @staticmethod
    def _raw(data: dict[str, Any], hosts: list[tuple[str, str, str]]) -> dict[str, Any]:
        """The provider's facts without tokens (they live only inside the links), plus the
        option values under the form fields' names so an edit form starts from them."""
        p, options = data["permalink"], data.get("options") or {}
        return {
            "permalink": {k: p.get(k) for k in ("id", "created_at", "expires_at")},
            "room": {k: (data.get("room") or {}).get(k) for k in ("id", "name", "started_at")},
            "team": data.get("team"),
            "options": {k: v for k, v in options.items() if k != "custom_fields"},
            "hosts": [name for name, _, _ in hosts],
            "host_name": hosts[0][0] if hosts else None,
            "exit_url": options.get("exit_url"),
            **{k: options.get(k, True) for k in BOOL_OPTIONS},
        }

    def _room_meeting(self, room: dict[str, Any]) -> Meeting:
        started = _time(room.get("started_at"))
        ended = bool(room.get("shutdown"))
        links = []
        if room.get("guest_token") and not ended:
            links.append(Link(role=Role.GUEST, url=f"{self.app_url}/?guest={room['guest_token']}",
                              label="Guest link"))
        return Meeting(
            provider=self.kind,
            account=self.account.name,
            id=f"{ROOM_PREFIX}{room['id']}",
            title=str(room.get("name") or room["id"]),
            starts_at=started,
            status=Status.ENDED if ended else Status.LIVE,
            links=links,
            details={
                "Kind": "running room (not a permalink)",
                "State": "ended" if ended else f"running since {_shown(started)}",
                "Host link": "only the people in the room have one; eyeson lists none",
            },
            raw={k: room.get(k) for k in ("id", "name", "ready", "started_at", "shutdown")},
        )

    # --- writing ---------------------------------------------------------------------

    def _options(self, spec: MeetingSpec) -> dict[str, Any]:
        out: dict[str, Any] = {}
        given = spec.options
        if given.get("exit_url") not in (None, ""):
            url = str(given["exit_url"]).strip()
            if not re.match(r"^https?://\S+$", url):
                raise ValidationError("Exit URL must start with http:// or https://.",
                                      field="exit_url", provider=self.kind)
            out["exit_url"] = url
        for name in BOOL_OPTIONS:
            if name in given and given[name] is not None:
                value = given[name]
                if isinstance(value, str) and value.lower() in ("true", "false"):
                    value = value.lower() == "true"
                if not isinstance(value, bool):
                    raise ValidationError(f"{name} must be true or false.", field=name,
                                          provider=self.kind)
                out[name] = value
        return out

    def _expiry(self, spec: MeetingSpec) -> datetime | None:
        expires = spec.ends_at
        text = spec.options.get("expires_at")
        if expires is None and text not in (None, ""):
            try:
                expires = parse_when(str(text), now=self.clock.now())
            except ValueError as exc:
                raise ValidationError(str(exc), field="ends_at", provider=self.kind) from None
        if expires is not None and expires <= self.clock.now():
            raise ValidationError("The expiry must be in the future.", field="ends_at",
                                  provider=self.kind)
        return expires

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
            "expires_at": _iso(expires) if expires else None,
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
            "expires_at": _iso(expires) if expires else None,
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

    async def run_action(self, meeting_id: str, action: str, params: dict) -> Meeting:
        handlers = {"start": self._start, "add_host": self._add_host,
                    "remove_host": self._remove_host, "stop": self._stop}
        handler = handlers.get(action)
        if handler is None:
            raise NotSupported(f"eyeson has no action {action!r}.")
        if meeting_id.startswith(ROOM_PREFIX) and action != "stop":
            raise NotSupported(
                f"{action} works on permalinks; {meeting_id} is a running room.",
                hint="A running room can only be ended (the stop action).")
        return await handler(meeting_id, params or {})

    @staticmethod
    def _param(params: dict, *names: str) -> str:
        for name in names:
            value = params.get(name)
            if value not in (None, ""):
                return str(value).strip()
        return ""

    def _pick_host(self, data: dict[str, Any], wanted: str, *, field: str) -> tuple[str, str]:
        """(name, token) of the host named `wanted` (or with that token); first if empty."""
        hosts = self._hosts(data)
        if not wanted:
            if not hosts:
                raise ValidationError("This permalink shows no host.", field=field,
                                      provider=self.kind)
            return hosts[0][0], hosts[0][1]
        for name, tok, _ in hosts:
            if tok == wanted:
                return name, tok
        named = [(name, tok) for name, tok, _ in hosts if name.casefold() == wanted.casefold()]
        if len(named) == 1:
            return named[0]
        if named:
            raise ValidationError(
                f"{len(named)} hosts are named {wanted!r}; give the host's token instead "
                "(`meettui show ID --reveal` shows each host's link; the token follows '?').",
                field=field, provider=self.kind)
        if TOKEN_RE.match(wanted):
            # eyeson may not list every host; a token can still be used as given.
            return wanted, wanted
        known = ", ".join(name for name, _, _ in hosts) or "none"
        raise ValidationError(f"No host named {wanted!r} (hosts: {known}).", field=field,
                              provider=self.kind)

    async def _add_host(self, meeting_id: str, params: dict) -> Meeting:
        name = self._param(params, "name", "host_name")
        if not name:
            raise ValidationError("A host needs a name.", field="name", provider=self.kind)
        data = await self._call(self.team, "POST", f"/permalink/{meeting_id}/users",
                                expected=(201,), **self._body({"user": {"name": name}}))
        return self._permalink_meeting(data)

    async def _remove_host(self, meeting_id: str, params: dict) -> Meeting:
        wanted = self._param(params, "host", "user_token", "token", "name")
        if not wanted:
            raise ValidationError("Say which host to remove (name or token).", field="host",
                                  provider=self.kind)
        data = await self._permalink(meeting_id)
        _, tok = self._pick_host(data, wanted, field="host")
        try:
            await self._call(self.team, "DELETE", f"/permalink/{meeting_id}/users/{tok}",
                             shown=f"/permalink/{meeting_id}/users/{HIDDEN}")
        except NotFound:
            if tok in {h[1] for h in self._hosts(data)}:
                pass  # a retried DELETE whose first attempt had already removed it
            else:
                raise
        return await self.get(meeting_id)

    async def _start(self, meeting_id: str, params: dict) -> Meeting:
        data = await self._permalink(meeting_id)
        name, tok = self._pick_host(data, self._param(params, "host", "user_token", "name"),
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
        return self._permalink_meeting(data, live=live)

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
        return await self.get(meeting_id)


def _eyeson_error_text(body: str) -> str:
    if not body:
        return ""
    try:
        data = json.loads(body)
    except ValueError:
        return ""
    if isinstance(data, dict):
        if isinstance(data.get("error"), str):
            return data["error"]
        if isinstance(data.get("errors"), list):
            return "; ".join(str(e) for e in data["errors"])
    return ""
