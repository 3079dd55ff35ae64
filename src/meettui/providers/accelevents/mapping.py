"""Accelevents JSON to the neutral model, and a `MeetingSpec` to a session body. No HTTP
here: the client (`meettui.providers.accelevents`) fetches and sends.

Contract: the Join Session seed page (`seeds/002_…`: attribute names, the seven
formats, VISIBLE/HIDDEN, `YYYY/MM/DD HH:MM` times, the 65,024-character description,
the real misspelling `registerdHolderUsers`) and
`research/providers-eyeson-24sessions-events.md` §3.3–3.4.

Times: Accelevents writes session times as `yyyy/MM/dd HH:mm`, no seconds and no zone;
they are wall-clock times in the event's zone, which the account names
(`time_zone`). They are read into aware UTC datetimes and written back to the minute.
"""

from __future__ import annotations

import re
from datetime import datetime, tzinfo
from typing import Any
from urllib.parse import quote

from meettui.core.display import fact_time
from meettui.core.errors import ValidationError
from meettui.core.models import Link, Meeting, MeetingSpec, Role, SessionData, Status
from meettui.core.option_values import switch, whole_number
from meettui.providers.accelevents.capabilities import (
    DEFAULT_FORMAT,
    DESCRIPTION_MAX,
    FORMAT_NAMES,
    FORMATS,
    SWITCHES,
    VISIBILITY,
)

KIND = "accelevents"
TIME_FORMAT = "%Y/%m/%d %H:%M"
_TIME_RE = re.compile(r"^\d{4}/\d{2}/\d{2} \d{2}:\d{2}$")
# The attendee portal's page of one session. Unconfirmed: the path follows the virtual
# event hub's addresses (`/e/<eventurl>/portal`); the API returns no link.
PORTAL_PATH = "/e/{eventurl}/portal/sessions/{session_id}"
# The list pages name the switches `enableChat`/`enablePoll`/... (research §3.3): read
# either spelling.
_SWITCH_ALIASES = {"chatEnabled": "enableChat", "pollEnabled": "enablePoll",
                   "quesAndAnsEnabled": "enableQuesAndAns"}
# Kept server-side, never sent back in a full replace (registrations, counts, the
# current user's tickets).
READ_ONLY = ("sessionStats", "registerdHolderUsers", "currentUserRegisteredEventTicketId",
             "purchaserUserRegisteredEventTicketId", "meeting", "attendee",
             "speakersOrModeratorsUserIds", "eventAdmins")
JOIN_SECRET_KEYS = ("JoinToken",)
"""Keys of the join data whose values are credentials (a Chime attendee's JoinToken
lets anyone join as that attendee)."""


class MalformedItem(ValueError):
    """A session that does not match the contract; the message says how."""


# --- times -------------------------------------------------------------------------------


def parse_time(value: Any, zone: tzinfo) -> datetime | None:
    """`"2026/03/02 10:00"` in `zone` as an aware UTC datetime; None for a missing or
    unreadable value (the seed page also shows `YYY/MM/DD`, a typo)."""
    if not isinstance(value, str) or not _TIME_RE.match(value.strip()):
        return None
    try:
        naive = datetime.strptime(value.strip(), TIME_FORMAT)
    except ValueError:
        return None
    from datetime import UTC

    return naive.replace(tzinfo=zone).astimezone(UTC)


def format_time(moment: datetime, zone: tzinfo) -> str:
    """`moment` as the event's wall-clock time, `yyyy/MM/dd HH:mm` (seconds dropped:
    Accelevents keeps minutes only). Raises ValueError for a naive datetime."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime")
    local = moment.astimezone(zone)
    return f"{local.year:04d}/{local.month:02d}/{local.day:02d} {local.hour:02d}:{local.minute:02d}"


def repeated_hour(moment: datetime, zone: tzinfo) -> tuple[datetime, datetime] | None:
    """The two instants (UTC) that `moment`'s wall-clock time in `zone` names when it
    falls in the hour the clocks go back over (the autumn night: 02:30 in Berlin comes
    twice), earlier first; None when the time names one instant. Accelevents takes
    times without a zone, and how it reads such a time is not documented (its API
    guide says only "yyyy/MM/dd HH:mm"), so neither instant can be asked for."""
    from datetime import UTC

    local = moment.astimezone(zone).replace(second=0, microsecond=0)
    naive = local.replace(tzinfo=None)
    first, second = (naive.replace(tzinfo=zone, fold=f) for f in (0, 1))
    if first.utcoffset() == second.utcoffset():
        return None
    return first.astimezone(UTC), second.astimezone(UTC)


def _said(moment: datetime, zone: tzinfo) -> str:
    """An instant as `00:30 UTC (02:30 CEST)`."""
    from datetime import UTC

    local = moment.astimezone(zone)
    return f"{moment.astimezone(UTC):%H:%M} UTC ({local:%H:%M} {local.tzname()})"


def _flag(item: dict[str, Any], name: str) -> bool | None:
    for key in (name, _SWITCH_ALIASES.get(name, name)):
        value = item.get(key)
        if isinstance(value, bool):
            return value
    return None


def _int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    return None


def session_id(item: Any) -> str:
    """The session's id as text (`sessionId`; `id` in some answers). Raises
    MalformedItem when neither is an integer."""
    if not isinstance(item, dict):
        raise MalformedItem("a session that is not an object")
    sid = _int(item.get("sessionId"))
    if sid is None:
        sid = _int(item.get("id"))
    if sid is None:
        raise MalformedItem("a session without sessionId")
    return str(sid)


def portal_link(portal_url: str, eventurl: str, sid: str) -> Link:
    """The session's page in the attendee portal: the guest link (and the QR's)."""
    path = PORTAL_PATH.format(eventurl=quote(eventurl, safe=""), session_id=sid)
    return Link(role=Role.GUEST, url=portal_url.rstrip("/") + path,
                label="Attendee portal page")


def _people(items: Any) -> list[str]:
    names = []
    for person in items if isinstance(items, list) else ():
        if isinstance(person, dict):
            name = " ".join(str(person.get(k) or "").strip()
                            for k in ("firstName", "lastName")).strip()
            if name:
                names.append(name)
    return names


def _on(value: bool | None) -> str:
    return "—" if value is None else ("on" if value else "off")


# --- Accelevents JSON to the model -------------------------------------------------------


def session_meeting(item: Any, *, account: str, eventurl: str, zone: tzinfo, zone_name: str,
                    portal_url: str, now: datetime) -> Meeting:
    """A session object (host list, host get, or the session part of a join answer) as a
    Meeting. Raises MalformedItem without a usable `sessionId`."""
    sid = session_id(item)
    starts, ends = parse_time(item.get("startTime"), zone), parse_time(item.get("endTime"), zone)
    if starts is not None and ends is not None:
        status = (Status.SCHEDULED if now < starts else Status.LIVE if now < ends
                  else Status.ENDED)
    else:
        status = Status.UNKNOWN
    fmt = str(item.get("format") or "")
    capacity = _int(item.get("capacity"))
    stats = item.get("sessionStats") if isinstance(item.get("sessionStats"), dict) else {}
    holders = item.get("registerdHolderUsers")
    registered = _int(stats.get("registeredUserCount"))
    if registered is None and isinstance(holders, list):
        registered = len(holders)
    hidden = str(item.get("status") or "").upper() == "HIDDEN"
    speakers = _people(item.get("speakerList"))
    # The event's own wall times, in its zone (the app and the command line write them
    # as they write every date, `display.shown_dates`); "UTC" alone would mean an
    # instant, shown in the reader's zone.
    event_zone = "Etc/UTC" if zone_name.upper() == "UTC" else zone_name
    shown_times = (f"{fact_time(starts, event_zone)} – {fact_time(ends, event_zone)}"
                   if starts and ends else "not readable")
    details = {
        "Format": FORMAT_NAMES.get(fmt, fmt or "—"),
        "Time (event zone)": shown_times,
        "Time zone": f"{zone_name} (the account's time_zone; Accelevents sends no zone)",
        "Visibility": ("HIDDEN: staff only, not in the attendees' session list" if hidden
                       else "VISIBLE"),
        # Short enough for the pane's label column ("Hidden on landing page and hub"
        # took a line of its own at 100 columns); the value says which way.
        "Landing page, hub": "hidden" if item.get("hideSessionFromAttendees") else "shown",
        "Capacity": str(capacity) if capacity else "no limit",
        "Registered": "—" if registered is None else (
            f"{registered} of {capacity}" if capacity else str(registered)),
        "Attendees": _count(stats.get("attendeeCount")),
        "Interested": _count(stats.get("interestedUserCount")),
        "Chat": _on(_flag(item, "chatEnabled")),
        "Polls": _on(_flag(item, "pollEnabled")),
        "Q&A": _on(_flag(item, "quesAndAnsEnabled")),
        "Speakers": ", ".join(speakers) or "—",
    }
    late = _int(item.get("allowedMinutesToJoinLate"))
    if late:
        details["Join late"] = f"up to {late} min after the end"
    if item.get("location"):
        details["Location"] = str(item["location"])
    return Meeting(
        provider=KIND,
        account=account,
        id=sid,
        title=str(item.get("title") or ""),
        starts_at=starts,
        ends_at=ends,
        status=status,
        links=[portal_link(portal_url, eventurl, sid)],
        capacity=capacity or None,
        details=details,
        raw=_raw(item, registered, speakers),
    )


def _count(value: Any) -> str:
    number = _int(value)
    return "—" if number is None else str(number)


def _raw(item: dict[str, Any], registered: int | None, speakers: list[str]) -> dict[str, Any]:
    """The session's own facts under their Accelevents names (the edit form starts from
    them), without the registered people's personal data (names, emails, phone numbers
    would otherwise sit in the cache): only their count, and the speakers' names."""
    raw = {k: v for k, v in item.items()
           if k not in READ_ONLY and k != "speakerList" and not isinstance(v, dict | list)}
    for name in SWITCHES:
        flag = _flag(item, name)
        if flag is not None:
            raw[name] = flag
    raw["registeredCount"] = registered
    raw["speakers"] = speakers
    if isinstance(item.get("sessionStats"), dict):
        raw["sessionStats"] = item["sessionStats"]
    return raw


def join_data(body: Any) -> SessionData:
    """The Chime join data of a Join Session answer: `meeting` (MeetingId,
    MediaPlacement, MediaRegion) and `attendee` (AttendeeId, ExternalUserId, JoinToken)
    as the Chime SDK takes them. Raises MalformedItem when either is missing."""
    if not isinstance(body, dict):
        raise MalformedItem("a join answer that is not an object")
    meeting, attendee = body.get("meeting"), body.get("attendee")
    if not isinstance(meeting, dict) or not meeting.get("MeetingId"):
        raise MalformedItem("no meeting.MeetingId")
    if not isinstance(attendee, dict) or not attendee.get("JoinToken"):
        raise MalformedItem("no attendee.JoinToken")
    return SessionData(
        label="Join data (Chime)",
        data={"meeting": meeting, "attendee": attendee},
        secret_keys=JOIN_SECRET_KEYS,
        help="The Chime meeting and attendee for a Chime SDK client; the JoinToken lets "
             "anyone join as this attendee.",
    )


def join_summary(data: SessionData) -> dict[str, str]:
    """Detail lines for a join, without the token."""
    meeting, attendee = data.data["meeting"], data.data["attendee"]
    return {
        "Joined as": f"attendee {attendee.get('AttendeeId', '—')} (user "
                     f"{attendee.get('ExternalUserId', '—')})",
        "Chime meeting": f"{meeting.get('MeetingId')} in {meeting.get('MediaRegion', '—')}",
        # Said for every front end, and for the cached detail after the join's answer
        # is gone: how to have it whole is each front end's to say beside the join data
        # ("copy the join data as JSON" was the app's words on the command line too).
        "JoinToken": "•••••••• (never stored; a join shows it again)",
    }


# --- the model to a session body ---------------------------------------------------------


def _bool(value: Any, name: str) -> bool:
    return switch(value, name, provider=KIND)


def _nonnegative(value: Any, name: str) -> int:
    return whole_number(value, name, least=0, provider=KIND)


def session_body(spec: MeetingSpec, *, zone: tzinfo,
                 current: dict[str, Any] | None = None) -> dict[str, Any]:
    """The session body for a create (`current` None) or a full-replace update: the
    session as it is now (`current`, from a fresh GET) with what `spec` gives laid over
    it, so no field the form does not show is lost. Server-kept keys are left out.

    Raises ValidationError at the form field for a missing title or time, an end not
    after the start, an unknown format or visibility, a bad number or switch, or a
    description over 65,024 characters."""
    body = {k: v for k, v in (current or {}).items() if k not in READ_ONLY}
    if current is None:
        body.update({"format": DEFAULT_FORMAT, "status": "VISIBLE",
                     **{name: True for name in SWITCHES}})
    title = spec.title.strip()
    if title:
        body["title"] = title
    if not str(body.get("title") or "").strip():
        raise ValidationError("A session needs a title.", field="title", provider=KIND)
    for field, key in (("starts_at", "startTime"), ("ends_at", "endTime")):
        moment = getattr(spec, field)
        if moment is not None:
            twice = repeated_hour(moment, zone)
            if twice is not None:
                what = "start" if key == "startTime" else "end"
                name = getattr(zone, "key", str(zone))
                raise ValidationError(
                    f"The {what}, {format_time(moment, zone)} in the event's time zone "
                    f"({name}), comes twice that night (the clocks go back): it can mean "
                    f"{_said(twice[0], zone)} or {_said(twice[1], zone)}. Accelevents "
                    "takes times without a zone, so it could keep the other one.",
                    field=field, provider=KIND,
                    hint="Choose a time outside that hour; nothing was sent.")
            body[key] = format_time(moment, zone)
        elif not body.get(key):
            raise ValidationError(f"A session needs its {'start' if key == 'startTime' else 'end'}"
                                  " time.", field=field, provider=KIND)
    start, end = parse_time(body["startTime"], zone), parse_time(body["endTime"], zone)
    if start is not None and end is not None and end <= start:
        raise ValidationError("The end must be after the start (to the minute).",
                              field="ends_at", provider=KIND)
    given = {k: v for k, v in spec.options.items() if v is not None}
    if "format" in given:
        fmt = str(given["format"]).strip().upper()
        if fmt not in FORMATS:
            raise ValidationError(f"Format must be one of {', '.join(FORMATS)}, not "
                                  f"{given['format']!r}.",
                                  field="format", provider=KIND)
        body["format"] = fmt
    if "status" in given:
        status = str(given["status"]).strip().upper()
        if status not in VISIBILITY:
            raise ValidationError("Visibility must be VISIBLE or HIDDEN, not "
                                  f"{given['status']!r}.", field="status",
                                  provider=KIND)
        body["status"] = status
    if "capacity" in given and given["capacity"] != "":
        body["capacity"] = _nonnegative(given["capacity"], "capacity")
    if "allowedMinutesToJoinLate" in given and given["allowedMinutesToJoinLate"] != "":
        body["allowedMinutesToJoinLate"] = _nonnegative(given["allowedMinutesToJoinLate"],
                                                        "allowedMinutesToJoinLate")
    for name in (*SWITCHES, "hideSessionFromAttendees"):
        if name in given:
            body[name] = _bool(given[name], name)
    if "description" in given:
        text = str(given["description"])
        if len(text) > DESCRIPTION_MAX:
            raise ValidationError(
                f"The description has {len(text):,} characters; Accelevents allows "
                f"{DESCRIPTION_MAX:,}.", field="description", provider=KIND)
        body["description"] = text
    return body
