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
added). The host links meettui learns are kept in `Meeting.kept.links` (`kept_facts`):
actions get them from the service (`run_action(..., kept=)`) to name and reach every
host and answer with the updated list; on a refresh the service puts back the links the
answer lacks. A host removed outside meettui keeps its (dead) link until
`remove_host` names it.

Auth: team-level calls send the raw key in `Authorization` (no `Bearer`). User-level
calls (starting a permalink with a host token) carry the token in the path and must not
send the key: they go through a second client without auth.

The mapping from eyeson JSON to the model is in `mapping`, the form fields, actions and
settings in `capabilities`, the error map in `errors`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from meettui.core.capabilities import Capabilities
from meettui.core.errors import (
    AlreadyDone,
    DoneUnread,
    NotFound,
    NotSupported,
    ValidationError,
)
from meettui.core.http import ApiClient, path_segment
from meettui.core.http_provider import HttpProvider
from meettui.core.models import KeptFacts, Link, Meeting, MeetingSpec, Page, Status
from meettui.core.paging import PageNumberPaging
from meettui.core.redact import MASK
from meettui.core.timeparse import parse_iso
from meettui.core.wording import option
from meettui.providers.eyeson import links, mapping
from meettui.providers.eyeson.capabilities import (
    CAPABILITIES,
    RUNNING_PERMALINK,
    RUNNING_ROOM,
    EyesonSettings,
)
from meettui.providers.eyeson.errors import ERRORS
from meettui.providers.eyeson.mapping import (
    DEFAULT_HOST_NAME,
    ROOM_PREFIX,
    Host,
    form_pairs,
    iso,
    list_hosts,
    pick_host,
    remembered_hosts,
    spec_expiry,
    spec_options,
)

if TYPE_CHECKING:
    import httpx

HIDDEN = MASK
"""A host's token in a path said (a message, a dry run's URL): masked as every
credential of a dry run is (`core/redact.py`)."""
Handler = Callable[[str, dict[str, Any], KeptFacts], Awaitable[Meeting]]


class EyesonProvider(HttpProvider):
    kind = "eyeson"
    link_rules = (links.RULE,)
    display_name = "eyeson"
    secrets = ("api_key",)
    default_base_url = "https://api.eyeson.team"
    capabilities = CAPABILITIES
    Settings = EyesonSettings
    errors = ERRORS
    list_path = "/permalink"
    # `GET /permalink?page=N&limit=L` answers `{page, limit, total, items}`; cursors read
    # `permalink:N` (as caches written by earlier versions hold them).
    paging = PageNumberPaging(first=1, page_param="page", size_param="limit",
                              items_key="items", total_key="total", size_key="limit",
                              prefix="permalink:")
    settings: EyesonSettings

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.app_url = self.settings.app_url.rstrip("/")
        # Permalink ids seen since this instance fetched page one: the running rooms on
        # the last page skip their meetings without asking.
        self._seen: set[str] = set()

    @classmethod
    def capabilities_for(cls, meeting: Meeting) -> Capabilities:
        """A running room only ends; a permalink whose meeting runs has its start named
        as the join it is (`RUNNING_PERMALINK`)."""
        if meeting.id.startswith(ROOM_PREFIX):
            return RUNNING_ROOM
        return RUNNING_PERMALINK if meeting.status == Status.LIVE else CAPABILITIES

    # --- HTTP ------------------------------------------------------------------------

    def auth(self) -> httpx.Auth:
        from meettui.core.auth import ApiKeyAuth  # httpx: loaded only for a real call

        # The raw key in Authorization, no "Bearer" ([E1]).
        return ApiKeyAuth(self.header_secret("api_key"), scheme=None)

    @property
    def team(self) -> ApiClient:
        """Team level: the API key in every request."""
        return self.api

    @property
    def user(self) -> ApiClient:
        """User level: the token is in the path; no API key is ever sent."""
        return self.client("user", lambda: None)

    def _body(self, data: dict[str, Any]) -> dict[str, Any]:
        if self.settings.body == "json":
            return {"json": {k: v for k, v in data.items() if v is not None}}
        return {"data": dict(form_pairs(data))}

    def _seg(self, value: str) -> str:
        """An id or token as one path segment (`path_segment`): an id from an agent or
        the command line such as `../rooms` or `ID?x=1` reached another endpoint, with
        the team's API key. Raises NotFound for an empty one."""
        return path_segment(value, provider=self.kind)

    def _room_seg(self, meeting_id: str) -> str:
        """A running room's id (`room:<id>`) as the segment of its `/rooms/<id>` path."""
        return self._seg(meeting_id.removeprefix(ROOM_PREFIX))

    async def _call(
        self, api: ApiClient, method: str, path: str, *, shown: str | None = None, **kw: Any
    ) -> Any:
        """Send and parse; a path holding a token is shown as `shown` in every error."""
        return await api.json(method, path, shown=shown or path, **kw)

    # --- reading ---------------------------------------------------------------------

    def to_meeting(self, item: Any) -> Meeting:
        return self._permalink_meeting(item)

    async def list_page(self, cursor: str | None = None, limit: int | None = None) -> Page:
        page = await super().list_page(cursor, limit)
        if cursor is None:  # a new walk, now that its first page has arrived
            self._seen.clear()
        self._seen.update(m.id for m in page.items)
        if page.next_cursor is not None:
            return page
        # The last permalink page also carries the running rooms that are no permalink's.
        return page.model_copy(update={"items": page.items + await self._plain_rooms()})

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
            raise self.malformed("GET /rooms", "expected a list of rooms")
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
        data = await self._call(self.team, "GET", f"/permalink/{self._seg(pid)}")
        if not isinstance(data, dict):
            raise self.malformed(f"GET /permalink/{self._seg(pid)}", "not an object")
        return data

    # --- the model (mapping) ---------------------------------------------------------

    def _known_hosts(self, data: dict[str, Any], kept: KeptFacts) -> list[Host]:
        """The hosts meettui remembers (`kept`), then those the answer shows that it did
        not: eyeson shows only one host's token per answer."""
        hosts = remembered_hosts(kept)
        tokens = {h.token for h in hosts}
        return hosts + [h for h in list_hosts(data, self.app_url) if h.token not in tokens]

    def _permalink_meeting(self, data: Any, live: list[Link] | None = None, *,
                           kept: KeptFacts | None = None, drop: str = "") -> Meeting:
        """The meeting; with `kept` (an action's `Meeting.kept`) its hosts are the
        remembered ones plus those shown, less the token `drop`, and its `kept` holds
        them all (the service stores it)."""
        hosts = None
        if kept is not None and isinstance(data, dict):
            hosts = [h for h in self._known_hosts(data, kept) if h.token != drop]
        try:
            return mapping.permalink_meeting(data, account=self.account.name,
                                             app_url=self.app_url, clock=self.clock,
                                             live=live, hosts=hosts, kept=kept)
        except mapping.MalformedItem as exc:
            raise self.malformed("permalink", str(exc)) from None

    def _room_meeting(self, room: dict[str, Any]) -> Meeting:
        return mapping.room_meeting(room, account=self.account.name, app_url=self.app_url)

    # --- writing ---------------------------------------------------------------------

    def _expiry(self, spec: MeetingSpec) -> datetime | None:
        return spec_expiry(spec, clock=self.clock)

    async def create(self, spec: MeetingSpec) -> Meeting:
        if spec.starts_at is not None:
            raise ValidationError(
                "eyeson permalinks have no start time: a host starts the meeting with their "
                f"link. Leave the start empty (set an expiry, {option('expires_at')}, if it "
                "should stop working).",
                field="starts_at", provider=self.kind)
        if not spec.title.strip():
            raise ValidationError("An eyeson permalink needs a name (the room name people "
                                  "see).", field="title", provider=self.kind)
        host = (str(spec.options.get("host_name") or "").strip()
                or (self.settings.host_name or "").strip()
                or DEFAULT_HOST_NAME)
        expires = self._expiry(spec)
        body = {
            "user": {"name": host},
            "name": spec.title.strip() or None,
            "expires_at": iso(expires) if expires else None,
            "options": spec_options(spec) or None,
        }
        data = await self._call(self.team, "POST", "/permalink", expected=(201,),
                                **self._body(body))
        return await self.read_back("POST /permalink", lambda: self._permalink_meeting(data))

    async def update(self, meeting_id: str, spec: MeetingSpec) -> Meeting:
        if meeting_id.startswith(ROOM_PREFIX):
            raise NotSupported("A running eyeson room cannot be edited; only permalinks can.")
        expires = self._expiry(spec)
        body = {
            "name": spec.title.strip() or None,
            "expires_at": iso(expires) if expires else None,
            "options": spec_options(spec) or None,
        }
        if not any(v is not None for v in body.values()):
            return await self.get(meeting_id)
        path = f"/permalink/{self._seg(meeting_id)}"
        data = await self._call(self.team, "PUT", path, **self._body(body))
        return await self.read_back(f"PUT {path}", lambda: self._permalink_meeting(data),
                                    meeting_id=meeting_id)

    async def delete(self, meeting_id: str) -> None:
        # The answer's body is not read: a cut one is no failure of a delete done.
        if meeting_id.startswith(ROOM_PREFIX):
            await self.team.request("DELETE", f"/rooms/{self._room_seg(meeting_id)}")
        else:
            await self.team.request("DELETE", f"/permalink/{self._seg(meeting_id)}")

    # --- actions ---------------------------------------------------------------------

    async def run_action(
        self, meeting_id: str, action: str, params: dict[str, Any], *,
        kept: KeptFacts | None = None,
    ) -> Meeting:
        handlers: dict[str, Handler] = {
            "start": self._start, "add_host": self._add_host,
            "remove_host": self._remove_host, "stop": self._stop,
        }
        handler = handlers.get(action)
        if handler is None:
            raise NotSupported(f"eyeson has no action {action!r}.")
        if meeting_id.startswith(ROOM_PREFIX) and action != "stop":
            raise NotSupported(
                f"{action} works on permalinks; {meeting_id} is a running room.",
                hint="A running room can only be ended (the stop action).")
        return await handler(meeting_id, dict(params or {}), kept or KeptFacts())

    @staticmethod
    def _param(params: dict[str, Any], *names: str) -> str:
        for name in names:
            value = params.get(name)
            if value not in (None, ""):
                return str(value).strip()
        return ""

    async def _add_host(self, meeting_id: str, params: dict[str, Any],
                        kept: KeptFacts) -> Meeting:
        name = self._param(params, "name", "host_name")
        if not name:
            raise ValidationError("A host needs a name.", field="name", provider=self.kind)
        # Two hosts of one name can be told apart by their tokens only: starting as
        # either, or removing one, by name was refused as ambiguous afterwards.
        hosts = self._known_hosts(await self._permalink(meeting_id), kept)
        same = next((h.name for h in hosts if h.name.casefold() == name.casefold()), None)
        if same is not None:
            raise ValidationError(
                f"This permalink has a host named {same!r} already; give the new host "
                "another name (two of one name can be told apart by their tokens only).",
                field="name", provider=self.kind)
        path = f"/permalink/{self._seg(meeting_id)}/users"
        try:
            data = await self._call(self.team, "POST", path, expected=(201,),
                                    **self._body({"user": {"name": name}}))
        except DoneUnread as exc:
            exc.answer_only = f"{name}'s host link"
            raise
        # The answer shows the new host's token only: the others come from `kept`.
        return await self.read_back(f"POST {path}",
                                    lambda: self._permalink_meeting(data, kept=kept),
                                    meeting_id=meeting_id,
                                    answer_only=f"{name}'s host link")

    async def _remove_host(self, meeting_id: str, params: dict[str, Any],
                           kept: KeptFacts) -> Meeting:
        wanted = self._param(params, "host", "user_token", "token", "name")
        if not wanted:
            raise ValidationError("Say which host to remove (name or token).", field="host",
                                  provider=self.kind)
        data = await self._permalink(meeting_id)
        hosts = self._known_hosts(data, kept)
        name, tok = pick_host(hosts, wanted, field="host")
        # The removed host's way into the running meeting goes with it.
        kept = kept.model_copy(update={"links": [
            lk for lk in kept.links
            if lk.run_started is None or not mapping.is_live_label_of(lk.label, name)]})
        try:
            pid = self._seg(meeting_id)
            await self.team.request("DELETE", f"/permalink/{pid}/users/{self._seg(tok)}",
                                    shown=f"/permalink/{pid}/users/{HIDDEN}")
        except NotFound:
            if tok not in {h.token for h in hosts}:
                raise _unknown_token() from None
            # A retried DELETE whose first attempt had already removed it, or a host
            # removed elsewhere: its link is dead either way, so it is forgotten.

        async def after() -> Meeting:
            return self._permalink_meeting(await self._permalink(meeting_id), kept=kept,
                                           drop=tok)

        # Removed whatever the read-back meets; until a refresh, the meeting as it was
        # read before, without the host.
        return await self.read_back(
            f"DELETE /permalink/{pid}/users/{HIDDEN}", after, meeting_id=meeting_id,
            known=lambda: self._permalink_meeting(data, kept=kept, drop=tok))

    async def _start(self, meeting_id: str, params: dict[str, Any], kept: KeptFacts) -> Meeting:
        data = await self._permalink(meeting_id)
        name, tok = pick_host(self._known_hosts(data, kept),
                              self._param(params, "host", "user_token", "name"), field="host")
        try:
            room = await self._call(self.user, "POST", f"/permalink/{self._seg(tok)}",
                                    shown=f"/permalink/{HIDDEN}", expected=(200, 201))
        except DoneUnread as exc:
            exc.answer_only = f"{name}'s link into the running meeting"
            raise
        except NotFound:
            if tok in {h.token for h in self._known_hosts(data, kept)}:
                raise
            raise _unknown_token() from None

        def started() -> Meeting:
            if not isinstance(room, dict) or not isinstance(room.get("room"), dict):
                raise self.malformed(f"POST /permalink/{HIDDEN}", "no room object")
            at = room["room"].get("started_at")
            gui = (room.get("links") or {}).get("gui")
            live = [mapping.live_link(name, str(gui), parse_iso(at), kept.links)] if gui else []
            return self._permalink_meeting(
                {**data, "room": {**(data.get("room") or {}), "started_at": at}},
                live=live, kept=kept)

        # Started (the answer is a 2xx) whatever its body holds.
        return await self.read_back(f"POST /permalink/{HIDDEN}", started,
                                    meeting_id=meeting_id,
                                    answer_only=f"{name}'s link into the running meeting")

    async def _stop(self, meeting_id: str, params: dict[str, Any], kept: KeptFacts) -> Meeting:
        if meeting_id.startswith(ROOM_PREFIX):
            current = await self.get(meeting_id)
            await self.team.request("DELETE", f"/rooms/{self._room_seg(meeting_id)}")
            return current.model_copy(update={
                "status": Status.ENDED, "links": [],
                "details": {**current.details, "State": "ended"},
            })
        try:
            await self.team.request("DELETE", f"/rooms/{self._seg(meeting_id)}")
        except NotFound:
            # Ended already (or never started): nothing was changed, as for a cancel of
            # a cancelled meeting. Unless the permalink itself is gone (its read raises
            # NotFound): "not running; start it first" sent the user to a dead link.
            await self._permalink(meeting_id)
            raise AlreadyDone("This permalink's meeting is not running.",
                              provider=self.kind,
                              hint="Nothing to end: start it first (the start action), "
                              "or pick a meeting that is live.") from None

        async def after() -> Meeting:
            return self._permalink_meeting(await self._permalink(meeting_id), kept=kept)

        return await self.read_back(f"DELETE /rooms/{self._seg(meeting_id)}", after,
                                    meeting_id=meeting_id)


def _unknown_token() -> ValidationError:
    """A host token given by hand that eyeson does not know (its 404): the permalink was
    just read, so "it may have been deleted upstream" (a NotFound's word) was wrong."""
    return ValidationError(
        "eyeson knows no host with that token on this permalink.",
        field="host", provider=mapping.KIND, status=404,
        hint="`meettui show ID --reveal` shows each host's link; the token follows '?'.")
