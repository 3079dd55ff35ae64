"""Whereby Embedded: the REST API v1 (`/v1/meetings`), transient rooms.

Contract: `contracts/whereby/openapi.json` and `research/providers-whereby-vonage.md` §1.

What shapes this client:

- A room opens the moment it is created (`startDate` is deprecated and ignored, so it is
  never sent) and is deactivated one hour after `endDate`; Whereby then deletes it. So
  `endDate` is required and `expires_at` is `endDate + 1 h`.
- There is no update endpoint. Capabilities say `RECREATE`: the service creates a new
  room and deletes the old one, and every link changes.
- Rooms have no title. The title shown for a room is its name (`/support-72b9…` without
  the slash). A title the user types is kept on this machine only (`Meeting.local`,
  carried over by the service), as are the creation options the API never returns
  (room mode, lock, template), so edits can recreate the room as it was.
- Host and viewer links (`?roomKey=…`) only come back when asked for through `fields`;
  every request asks. The host link gives host powers and is sensitive. The viewer link
  is *not* marked sensitive: its key only lets people watch (no camera, microphone or
  host rights) and it is meant to be handed to an audience, which makes it less powerful
  than the plain guest link.
"""

from __future__ import annotations

import math
import re
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import quote, urlsplit

import httpx

from meettui.core.errors import ConfigError, NotFound, ProviderError, ValidationError
from meettui.core.http import ApiClient, BearerAuth, default_error_parser
from meettui.core.models import (
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
from meettui.providers.base import Provider

DEFAULT_BASE_URL = "https://api.whereby.dev/v1"
PAGE_DEFAULT, PAGE_MAX = 50, 100
# Ask for both extra links on every read and create.
FIELDS = ("hostRoomUrl", "viewerRoomUrl")
FIELDS_QUERY = ",".join(FIELDS)  # form style, explode=false: one comma-joined value
# "The room is deactivated 1 hour after endDate" (using-the-rest-api/README.md).
ROOM_TTL_AFTER_END = timedelta(hours=1)
ROOM_MODES = ("normal", "group")
ROOM_NAME_PATTERNS = ("uuid", "human-short")
TEMPLATE_TYPES = ("viewerMode",)
OPTION_NAMES = ("roomMode", "roomNamePrefix", "roomNamePattern", "isLocked", "templateType")
PREFIX_MAX = 39
# user-roles-and-privileges.md: group rooms take up to 200 hosts and participants, and
# viewer mode adds up to 400 viewers; the API text says "normal" is for up to 4.
CAPACITY = {"normal": 4, "group": 200}
VIEWER_CAPACITY = 400
# Creation options passed through unchanged when given as objects (API users, not forms).
OBJECT_OPTIONS = ("recording", "liveTranscription", "streaming")
# A Whereby request field named in a 400 message -> the spec/form field it came from.
FIELD_FOR = {
    "endDate": "ends_at",
    "startDate": "starts_at",
    "roomMode": "roomMode",
    "roomNamePrefix": "roomNamePrefix",
    "roomNamePattern": "roomNamePattern",
    "isLocked": "isLocked",
    "templateType": "templateType",
    **{name: name for name in OBJECT_OPTIONS},
}
_QUOTED_NAME = re.compile(r"[\"'`]([A-Za-z][A-Za-z0-9]*)(?:\.[A-Za-z0-9.]+)?[\"'`]")
_BARE_NAME = re.compile(r"\b(" + "|".join(map(re.escape, FIELD_FOR)) + r")\b")
_TRUE = {"1", "true", "yes", "on", "y"}
_FALSE = {"0", "false", "no", "off", "n", ""}


def whereby_error(response: httpx.Response) -> tuple[str, str | None]:
    """Whereby's error body is `{"error": "..."}` (documented for 429 only); the field a
    400 is about is read from the message, where the API names it (`"endDate" ...`)."""
    message, field_name = default_error_parser(response)
    if field_name is None:
        found = _QUOTED_NAME.search(message) or _BARE_NAME.search(message)
        if found is not None:
            field_name = FIELD_FOR.get(found.group(1))
    return message, field_name


def ms_left(response: httpx.Response) -> float | None:
    """The 429 body's `data.msLeft` in seconds, when there is no `Retry-After`."""
    try:
        value = response.json()["data"]["msLeft"]
    except (ValueError, KeyError, TypeError, IndexError):
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return None
    return max(0.0, value / 1000)


def parse_time(value: Any) -> datetime | None:
    """ISO 8601 with or without milliseconds, `Z` or an offset; naive means UTC."""
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    if text[-1:] in ("Z", "z"):
        text = text[:-1] + "+00:00"
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def room_title(room_name: str | None, room_url: str | None, meeting_id: str) -> str:
    """The readable name of a room: its name without the leading slash."""
    name = (room_name or "").strip().lstrip("/")
    if not name and room_url:
        name = urlsplit(room_url).path.strip("/")
    return name or f"Whereby room {meeting_id[:8]}"


class WherebyProvider(Provider):
    kind = "whereby"
    display_name = "Whereby Embedded"
    secrets = ("api_key",)
    default_base_url = DEFAULT_BASE_URL
    capabilities = Capabilities(
        create=True,
        update=UpdateMode.RECREATE,
        delete=DeleteMode.DELETE,
        link_roles=(Role.HOST, Role.GUEST, Role.VIEWER),
        page_size_default=PAGE_DEFAULT,
        page_size_max=PAGE_MAX,
        local_facts=True,
        # Edit = recreate, so every field can be given again on edit (editable=True).
        # No defaults on the choices: left blank, an edit keeps what the room was made
        # with (the service merges Meeting.local's options) and a create gets Whereby's
        # own default.
        fields=(
            FieldSpec(
                name="title",
                label="Title",
                help="Whereby rooms have no title: meettui keeps this one on this machine "
                "only. Left empty, the room name is shown.",
            ),
            FieldSpec(
                name="starts_at",
                label="Start",
                kind=FieldKind.DATETIME,
                help="Not sent: Whereby opens the room as soon as it is created. Only used "
                "to count a relative end (+1h) from.",
            ),
            FieldSpec(
                name="ends_at",
                label="End",
                kind=FieldKind.DATETIME,
                required=True,
                help="Required. The room stops working one hour after this and cannot be "
                "extended (an edit creates a new room). YYYY-MM-DD HH:MM or +1h.",
            ),
            FieldSpec(
                name="roomMode",
                label="Room mode",
                kind=FieldKind.CHOICE,
                choices=ROOM_MODES,
                help="normal (the default): up to 4 people; group: up to 200.",
            ),
            FieldSpec(
                name="roomNamePrefix",
                label="Room name prefix",
                help="Optional start of the room name: a-z, 0-9 and '-', at most 39 "
                "characters (upper case is lower-cased, spaces removed). It is joined to "
                "the generated name directly, so end it with '-'.",
            ),
            FieldSpec(
                name="roomNamePattern",
                label="Room name pattern",
                kind=FieldKind.CHOICE,
                choices=ROOM_NAME_PATTERNS,
                help="uuid (the default): long and unguessable; human-short: six "
                "easy-to-read characters.",
            ),
            FieldSpec(
                name="isLocked",
                label="Locked",
                kind=FieldKind.BOOL,
                default=False,
                help="Only hosts can let people in (and unlock the room).",
            ),
            FieldSpec(
                name="templateType",
                label="Template",
                kind=FieldKind.CHOICE,
                choices=TEMPLATE_TYPES,
                help="viewerMode: a locked group room plus a watch-only viewer link "
                "(up to 400 viewers).",
            ),
        ),
        notes=(
            "Whereby cannot edit a room: saving an edit creates a new room and deletes "
            "the old one, so every link changes.",
            "Whereby rooms have no title: the title is the room name, unless you typed "
            "one in meettui (kept on this machine only).",
            "A room opens when it is created (a start time is ignored) and stops working "
            "one hour after its end; Whereby then deletes it.",
            "Room mode, lock and template are not returned by the API: meettui shows them "
            "for rooms it created itself.",
            "Viewer links carry a room key but only let people watch, so they are shown "
            "unmasked; host links are masked.",
        ),
    )

    _api: ApiClient | None = None

    # -- HTTP -------------------------------------------------------------------------

    @property
    def api(self) -> ApiClient:
        """Built on first use, so `policy` and `sleep` can still be changed before it."""
        if self._api is None:
            key = self._secrets.get("api_key")
            if not key:
                raise ConfigError(
                    f"Account {self.account.name!r} has no Whereby API key.",
                    hint="Set `secret_env` on the account and put the key in that variable.",
                )
            self._api = ApiClient(
                provider=self.kind,
                base_url=self.base_url,
                auth=BearerAuth(key),
                policy=self.policy,
                error_parser=whereby_error,
                transport=self.transport,
                retry_after_from_body=ms_left,
                sleep=self.sleep,
            )
        return self._api

    async def aclose(self) -> None:
        if self._api is not None:
            api, self._api = self._api, None
            await api.aclose()

    # -- reads --------------------------------------------------------------------------

    async def list_page(self, cursor: str | None = None, limit: int | None = None) -> Page:
        size = PAGE_DEFAULT if limit is None else max(1, min(PAGE_MAX, int(limit)))
        params: dict[str, Any] = {"limit": size, "fields": FIELDS_QUERY}
        if cursor:
            params["cursor"] = cursor
        where = "GET /meetings"
        body = await self.api.json("GET", "/meetings", params=params)
        if not isinstance(body, dict) or not isinstance(body.get("results"), list):
            raise self._malformed(where, "a list without `results`")
        next_cursor = body.get("cursor")
        if next_cursor is not None and not isinstance(next_cursor, str):
            raise self._malformed(where, "a `cursor` that is not a string or null")
        items = [self.to_meeting(item, where) for item in body["results"]]
        return Page(items=items, next_cursor=next_cursor or None)

    async def get(self, meeting_id: str) -> Meeting:
        if not meeting_id:
            raise NotFound("No meeting id given.", provider=self.kind)
        path = f"/meetings/{quote(meeting_id, safe='')}"
        body = await self.api.json("GET", path, params={"fields": FIELDS_QUERY})
        return self.to_meeting(body, "GET /meetings/{id}")

    # -- writes -------------------------------------------------------------------------

    async def create(self, spec: MeetingSpec) -> Meeting:
        body, options = self.create_body(spec)
        data = await self.api.json("POST", "/meetings", json=body)
        local: dict[str, Any] = {"options": options}
        if spec.title.strip():
            local["title"] = spec.title.strip()
        return self.to_meeting(data, "POST /meetings", local=local)

    async def delete(self, meeting_id: str) -> None:
        if not meeting_id:
            raise NotFound("No meeting id given.", provider=self.kind)
        # 204 whether or not the room still exists (documented as idempotent); a 404
        # from a stricter server means the same thing: the room is gone.
        await self.api.request(
            "DELETE", f"/meetings/{quote(meeting_id, safe='')}", expected=(404,)
        )

    def create_body(self, spec: MeetingSpec) -> tuple[dict[str, Any], dict[str, Any]]:
        """The POST /meetings body, and the options as sent (kept in `Meeting.local`)."""
        if spec.ends_at is None:
            raise ValidationError(
                "Whereby needs an end time: the room stops working one hour after it.",
                field="ends_at",
                provider=self.kind,
            )
        options: dict[str, Any] = {}
        for name, value in spec.options.items():
            if value is None or value == "":
                continue
            options[name] = self._option(name, value)
        body: dict[str, Any] = {
            # UTC with milliseconds, as Whereby's own examples; never the deprecated startDate.
            "endDate": spec.ends_at.astimezone(UTC).isoformat(timespec="milliseconds").replace(
                "+00:00", "Z"
            ),
            **options,
            "fields": list(FIELDS),
        }
        return body, options

    def _option(self, name: str, value: Any) -> Any:
        def invalid(message: str) -> ValidationError:
            return ValidationError(message, field=name, provider=self.kind)

        if name == "roomMode":
            return self._choice(name, value, ROOM_MODES, invalid)
        if name == "roomNamePattern":
            return self._choice(name, value, ROOM_NAME_PATTERNS, invalid)
        if name == "templateType":
            return self._choice(name, value, TEMPLATE_TYPES, invalid)
        if name == "isLocked":
            if isinstance(value, bool):
                return value
            text = str(value).strip().lower()
            if text in _TRUE or text in _FALSE:
                return text in _TRUE
            raise invalid(f"Locked must be true or false, not {value!r}.")
        if name == "roomNamePrefix":
            if not isinstance(value, str):
                raise invalid("The room name prefix must be text.")
            # Whereby lower-cases the prefix and removes whitespace; doing it here too
            # keeps a strict server from refusing what the docs say it accepts.
            prefix = re.sub(r"\s+", "", value).lower()
            if len(prefix) > PREFIX_MAX:
                raise invalid(
                    f"The room name prefix is {len(prefix)} characters; at most {PREFIX_MAX}."
                )
            return prefix
        if name in OBJECT_OPTIONS:
            if not isinstance(value, dict):
                raise invalid(f"{name} must be an object (see Whereby's API reference).")
            return value
        accepted = ", ".join((*OPTION_NAMES, *OBJECT_OPTIONS))
        raise ValidationError(
            f"Whereby has no option {name!r}; it accepts: {accepted}.", provider=self.kind
        )

    @staticmethod
    def _choice(name: str, value: Any, allowed: tuple[str, ...], invalid) -> str:
        if value not in allowed:
            raise invalid(f"{name} must be one of: {', '.join(allowed)} (not {value!r}).")
        return value

    # -- mapping ------------------------------------------------------------------------

    def _malformed(self, where: str, what: str) -> ProviderError:
        return ProviderError(
            f"{where} returned {what}; meettui cannot read it.",
            provider=self.kind,
            hint="The response does not match Whereby's API; the cache was left as it was.",
        )

    def to_meeting(
        self, data: Any, where: str = "Whereby", *, local: dict[str, Any] | None = None
    ) -> Meeting:
        """A Whereby meeting object -> Meeting. Unknown fields are ignored (as the API
        asks); a missing `meetingId`, `roomUrl` or `endDate` is a ProviderError."""
        if not isinstance(data, dict):
            raise self._malformed(where, f"a meeting that is not an object ({type(data).__name__})")
        meeting_id = data.get("meetingId")
        if isinstance(meeting_id, int) and not isinstance(meeting_id, bool):
            meeting_id = str(meeting_id)  # older docs show numeric ids
        if not isinstance(meeting_id, str) or not meeting_id:
            raise self._malformed(where, "a meeting without `meetingId`")
        room_url = data.get("roomUrl")
        if not isinstance(room_url, str) or not room_url:
            raise self._malformed(where, f"meeting {meeting_id} without `roomUrl`")
        end = parse_time(data.get("endDate"))
        if end is None:
            raise self._malformed(where, f"meeting {meeting_id} without a valid `endDate`")
        start = parse_time(data.get("startDate"))
        room_name = data.get("roomName") if isinstance(data.get("roomName"), str) else None
        expires = end + ROOM_TTL_AFTER_END
        local = dict(local or {})
        # Known only for rooms meettui created (the API never returns them).
        created_here = "options" in local
        options = local.get("options") or {}

        links = [Link(role=Role.GUEST, url=room_url, label="room link")]
        host_url = data.get("hostRoomUrl")
        if isinstance(host_url, str) and host_url:
            links.insert(0, Link(role=Role.HOST, url=host_url, label="roomKey: host powers",
                                 sensitive=True))
        viewer_url = data.get("viewerRoomUrl")
        if isinstance(viewer_url, str) and viewer_url:
            links.append(Link(role=Role.VIEWER, url=viewer_url, label="roomKey: watch only"))

        viewer_mode = options.get("templateType") == "viewerMode"
        mode = "group" if viewer_mode else options.get("roomMode")
        if mode is None and created_here:
            mode = "normal"  # created by meettui without a mode: Whereby's default
        details = {"Room": room_title(room_name, room_url, meeting_id)}
        if mode in CAPACITY:
            details["Room mode"] = f"{mode} (up to {CAPACITY[mode]})"
        if viewer_mode:
            details["Template"] = f"viewerMode (up to {VIEWER_CAPACITY} viewers)"
        if created_here:
            locked = viewer_mode or bool(options.get("isLocked", False))
            details["Locked"] = "yes (hosts let people in)" if locked else "no"
        details["Opens"] = "at creation (Whereby ignores start times)"
        details["Host rights"] = "while the meeting is on, with some slack either side"

        return Meeting(
            provider=self.kind,
            account=self.account.name,
            id=meeting_id,
            title=local.get("title") or room_title(room_name, room_url, meeting_id),
            starts_at=start,
            ends_at=end,
            expires_at=expires,
            status=self._status(start, end, expires),
            links=links,
            capacity=CAPACITY.get(mode) if mode else None,
            details=details,
            raw=data,
            local=local,
        )

    def _status(self, start: datetime | None, end: datetime, expires: datetime) -> Status:
        now = self.clock.now()
        if now >= expires:
            return Status.EXPIRED
        if now >= end:
            return Status.ENDED
        if start is not None and now < start:
            return Status.SCHEDULED  # never seen: rooms open at creation
        return Status.LIVE
