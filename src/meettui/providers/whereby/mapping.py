"""Whereby JSON to the neutral model, and a `MeetingSpec` to the create body. Pure
functions: no HTTP here (the client in `client.py` fetches and sends).

Contract: `contracts/whereby/openapi.json` (the Meeting schema and its examples) and
`research/providers-whereby-vonage.md` §1.2–1.4.
"""

from __future__ import annotations

import contextlib
import json
import re
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from meettui.core.errors import ValidationError
from meettui.core.models import KeptFacts, Meeting, MeetingSpec, Role, Status
from meettui.core.option_values import switch
from meettui.core.timeparse import parse_iso, to_iso_z
from meettui.core.wording import command
from meettui.core.wording import option as said_option
from meettui.providers.whereby.capabilities import ROOM_MODES, ROOM_NAME_PATTERNS, TEMPLATE_TYPES
from meettui.providers.whereby.errors import OBJECT_OPTIONS

KIND = "whereby"
# Ask for both extra links on every read and create.
FIELDS = ("hostRoomUrl", "viewerRoomUrl")
FIELDS_QUERY = ",".join(FIELDS)  # form style, explode=false: one comma-joined value
# "The room is deactivated 1 hour after endDate" (using-the-rest-api/README.md).
ROOM_TTL_AFTER_END = timedelta(hours=1)
OPTION_NAMES = ("roomMode", "roomNamePrefix", "roomNamePattern", "isLocked", "templateType")
PREFIX_MAX = 39
# user-roles-and-privileges.md: group rooms take up to 200 hosts and participants, and
# viewer mode adds up to 400 viewers; the API text says "normal" is for up to 4.
CAPACITY = {"normal": 4, "group": 200}
VIEWER_CAPACITY = 400


class MalformedItem(ValueError):
    """A meeting object that does not match the contract; the message says how."""


def parse_time(value: Any) -> datetime | None:
    """ISO 8601 with or without milliseconds, `Z` or an offset; naive means UTC."""
    return parse_iso(value)


def room_title(room_name: str | None, room_url: str | None, meeting_id: str) -> str:
    """The readable name of a room: its name without the leading slash."""
    name = (room_name or "").strip().lstrip("/")
    if not name and room_url:
        name = urlsplit(room_url).path.strip("/")
    return name or f"Whereby room {meeting_id[:8]}"


_PREFIXED_UUID = re.compile(
    r"/?(?P<prefix>[a-z0-9-]{1,39}?)"
    r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def prefix_of(room_name: object) -> str | None:
    """The `roomNamePrefix` a room's name shows, or None: Whereby joins the prefix and
    the generated id with no separator (`customer0348-` + a uuid gives
    `/customer0348-72b919c2-…`, research §1.2, name-prefixes.md). Read only from the
    uuid pattern (the default), whose id has a fixed form; a `human-short` name's six
    characters cannot be told from a prefix's end, so none is read from it."""
    if not isinstance(room_name, str):
        return None
    found = _PREFIXED_UUID.fullmatch(room_name)
    return found.group("prefix") if found else None


def status_at(now: datetime, start: datetime | None, end: datetime,
              expires: datetime | None) -> Status:
    """A room is live from creation until its end, ended until it expires an hour later."""
    if expires is not None and now >= expires:
        return Status.EXPIRED
    if now >= end:
        return Status.ENDED
    if start is not None and now < start:
        return Status.SCHEDULED  # never seen: rooms open at creation
    return Status.LIVE


def to_meeting(data: Any, *, account: str, now: datetime,
               kept: KeptFacts | None = None) -> Meeting:
    """A Whereby meeting object as a Meeting. Unknown fields are kept in `raw` (the API
    asks clients to ignore them). Raises MalformedItem for a missing `meetingId`,
    `roomUrl` or `endDate`."""
    if not isinstance(data, dict):
        raise MalformedItem(f"a meeting that is not an object ({type(data).__name__})")
    meeting_id = data.get("meetingId")
    if isinstance(meeting_id, int) and not isinstance(meeting_id, bool):
        meeting_id = str(meeting_id)  # older docs show numeric ids
    if not isinstance(meeting_id, str) or not meeting_id:
        raise MalformedItem("a meeting without `meetingId`")
    room_url = data.get("roomUrl")
    if not isinstance(room_url, str) or not room_url:
        raise MalformedItem(f"meeting {meeting_id} without `roomUrl`")
    end = parse_time(data.get("endDate"))
    if end is None:
        raise MalformedItem(f"meeting {meeting_id} without a valid `endDate`")
    start = parse_time(data.get("startDate"))
    room_name = data.get("roomName")
    room = room_title(room_name if isinstance(room_name, str) else None, room_url, meeting_id)
    try:
        expires: datetime | None = end + ROOM_TTL_AFTER_END
    except OverflowError:  # an end at the calendar's last hour: the room never expires
        expires = None
    # Known only for rooms meettui created (the API never returns them).
    options = kept.options if kept is not None else None

    # The links as the fields of `Link`, validated with the meeting in one call (a
    # `Link` each is a call more per link: a tenth of a sync's reading).
    links: list[dict[str, Any]] = [{"role": Role.GUEST, "url": room_url, "label": "room link"}]
    host_url = data.get("hostRoomUrl")
    if isinstance(host_url, str) and host_url:
        links.insert(0, {"role": Role.HOST, "url": host_url, "label": "roomKey: host powers",
                         "sensitive": True})
    viewer_url = data.get("viewerRoomUrl")
    if isinstance(viewer_url, str) and viewer_url:
        links.append({"role": Role.VIEWER, "url": viewer_url, "label": "roomKey: watch only"})

    if options is not None:
        mode, details = _created_details(room, options)
    else:
        # A room read from the API (every room of a sync): nothing known of its mode.
        mode, details = None, {"Room": room, **_ALWAYS}

    meeting: Meeting = _validate({
        "provider": KIND,
        "account": account,
        "id": meeting_id,
        "title": (kept.title if kept is not None else None) or room,
        "starts_at": start,
        "ends_at": end,
        "expires_at": expires,
        "status": status_at(now, start, end, expires),
        "links": links,
        "capacity": CAPACITY.get(mode) if mode else None,
        "details": details,
        "raw": data,
        # Nothing kept: the validator builds the empty KeptFacts itself, without the
        # Python-level `KeptFacts()` call (a sync reads 10k rooms that keep nothing).
        "kept": kept if kept is not None else {},
    })
    return meeting


_validate = Meeting.__pydantic_validator__.validate_python
"""What `Meeting.model_validate` calls, without its wrapper: the same checks, and the
same ValidationError for an item they refuse."""


_ALWAYS = {
    "Opens": "at creation (Whereby ignores start times)",
    "Host rights": "while the meeting is on, with some slack either side",
}
"""The details every room shows, after those of its options."""


def _created_details(room: str, options: dict[str, Any]) -> tuple[Any, dict[str, str]]:
    """The mode and the details of a room meettui created with `options`."""
    viewer_mode = options.get("templateType") == "viewerMode"
    mode = "group" if viewer_mode else options.get("roomMode")
    if mode is None:
        mode = "normal"  # created by meettui without a mode: Whereby's default
    details = {"Room": room}
    if mode in CAPACITY:
        details["Room mode"] = f"{mode} (up to {CAPACITY[mode]})"
    if viewer_mode:
        details["Template"] = f"viewerMode (up to {VIEWER_CAPACITY} viewers)"
    locked = viewer_mode or bool(options.get("isLocked", False))
    details["Locked"] = "yes (hosts let people in)" if locked else "no"
    return mode, {**details, **_ALWAYS}


def create_body(spec: MeetingSpec) -> tuple[dict[str, Any], dict[str, Any]]:
    """The POST /meetings body, and the options as sent (kept in `Meeting.kept`).
    Raises ValidationError at the field for an end that is missing or an option that is
    not Whereby's."""
    if spec.ends_at is None:
        raise ValidationError(
            "Whereby needs an end time: the room stops working one hour after it.",
            field="ends_at",
            provider=KIND,
        )
    options: dict[str, Any] = {}
    for name, value in spec.options.items():
        if value is None or value == "":
            continue
        options[name] = option(name, value)
    body: dict[str, Any] = {
        # UTC with milliseconds, as Whereby's own examples; never the deprecated startDate.
        "endDate": to_iso_z(spec.ends_at),
        **options,
        "fields": list(FIELDS),
    }
    return body, options


def option(name: str, value: Any) -> Any:
    """One create option as Whereby takes it. Raises ValidationError at its field."""

    def invalid(message: str) -> ValidationError:
        return ValidationError(message, field=name, provider=KIND)

    if name == "roomMode":
        return _choice(name, value, ROOM_MODES, invalid)
    if name == "roomNamePattern":
        return _choice(name, value, ROOM_NAME_PATTERNS, invalid)
    if name == "templateType":
        return _choice(name, value, TEMPLATE_TYPES, invalid)
    if name == "isLocked":
        return switch(value, name, provider=KIND)
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
        # An object; typed on the command line (or as an agent's string) it is its JSON
        # text, which was refused as "not an object" with no way to give one.
        if isinstance(value, str):
            with contextlib.suppress(ValueError):
                value = json.loads(value)
        if not isinstance(value, dict):
            example = command(f"-o {name}='{{\"startTrigger\": …}}'",
                              f'options.{name}: {{"startTrigger": …}}',
                              f'{{"startTrigger": …}} in {said_option(name)}')
            raise invalid(f"{name} must be a JSON object, as {example} (its fields are in "
                          "Whereby's API reference).")
        return value
    accepted = ", ".join((*OPTION_NAMES, *OBJECT_OPTIONS))
    raise ValidationError(f"Whereby has no option {name!r}; it accepts: {accepted}.",
                          provider=KIND)


def _choice(name: str, value: Any, allowed: tuple[str, ...],
            invalid: Any) -> str:
    if value not in allowed:
        raise invalid(f"{name} must be one of: {', '.join(allowed)} (not {value!r}).")
    return str(value)
