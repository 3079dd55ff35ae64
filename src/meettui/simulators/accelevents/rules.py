"""Request rules of the Accelevents simulator: the error body and codes, times, and the
session body a create or a full-replace update must hold.

Contract: the Join Session seed page (`seeds/002_…`: attribute names, the seven
formats, VISIBLE/HIDDEN, `YYYY/MM/DD HH:MM` times, at most 65,024 characters of
description, error codes 4010101 / 4040200 / 404800) and
`research/providers-eyeson-24sessions-events.md` §3. Where no source settles a detail
the choice is a named constant marked "unconfirmed".
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, tzinfo
from typing import Any

from starlette.responses import JSONResponse

# --- errors ----------------------------------------------------------------------------

NOT_AUTHORIZED = ("4010101", "Not authorized.")
EVENT_NOT_FOUND = ("4040200", "Event not found.")
SESSION_NOT_FOUND = ("404800", "Session not found.")  # six digits, as the page gives it
# The codes below are not documented; they follow Accelevents' pattern (HTTP status,
# then a resource and a case number; e.g. 4068906 for a duplicate speaker email).
# Unconfirmed, all of them.
INVALID = "4000800"
"""A session body or query the API refuses (400)."""
TICKET_NOT_ALLOWED = ("4030801", "Your ticket type cannot register for this session.")
NOT_STARTED = ("4060801", "Session is not live yet: it has not started.")
ENDED = ("4060802", "Session is not live: it has ended.")
FULL = ("4060803", "Session is full: its capacity is reached.")
# Refusals of a well-formed request by a rule: 406, as the duplicate-email case (research
# §3.5). Unconfirmed for join.
RULE_STATUS = 406


class ApiError(Exception):
    """An answer in Accelevents' error shape: `{errorCode, errorMessage,
    developerMessage}` (research §3.2: the common Accelevents shape)."""

    def __init__(self, status: int, code: str, message: str, developer: str = "") -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message
        self.developer = developer or message

    def response(self) -> JSONResponse:
        return JSONResponse({"errorCode": self.code, "errorMessage": self.message,
                             "developerMessage": self.developer}, self.status)


def invalid(message: str) -> ApiError:
    return ApiError(400, INVALID, message)


# --- times ------------------------------------------------------------------------------

TIME_FORMAT = "%Y/%m/%d %H:%M"
_TIME_RE = re.compile(r"^\d{4}/\d{2}/\d{2} \d{2}:\d{2}$")


def render_time(moment: datetime, zone: tzinfo) -> str:
    """An instant as the event's wall clock, `yyyy/MM/dd HH:mm`."""
    local = moment.astimezone(zone)
    return f"{local.year:04d}/{local.month:02d}/{local.day:02d} {local.hour:02d}:{local.minute:02d}"


def read_time(value: Any, name: str, zone: tzinfo) -> datetime:
    """`yyyy/MM/dd HH:mm` in the event's zone as an aware datetime; ApiError (400)
    naming the field for anything else (ISO 8601, seconds, a zone, a number)."""
    if not isinstance(value, str) or not _TIME_RE.match(value):
        raise invalid(f"{name} must be in yyyy/MM/dd HH:mm format")
    try:
        naive = datetime.strptime(value, TIME_FORMAT)
    except ValueError:
        raise invalid(f"{name} is not a valid date: {value}") from None
    return naive.replace(tzinfo=zone)


# --- the session body ---------------------------------------------------------------------

FORMATS = ("MAIN_STAGE", "BREAKOUT_SESSION", "MEET_UP", "WORKSHOP", "EXPO", "BREAK", "OTHER")
STATUSES = ("VISIBLE", "HIDDEN")
DESCRIPTION_MAX = 65_024
SWITCHES = ("chatEnabled", "pollEnabled", "quesAndAnsEnabled")
# What a key left out of a create or a full-replace PUT becomes: the DTO's empty value
# (research §3.5: "PUT replaces whole record; omitted fields reset"). Unconfirmed per
# field; false for every switch.
RESET: dict[str, Any] = {
    "description": "",
    "status": "VISIBLE",
    "capacity": 0,
    "location": "",
    "chatEnabled": False,
    "pollEnabled": False,
    "quesAndAnsEnabled": False,
    "hideSessionFromAttendees": False,
    "allowedMinutesToJoinLate": 0,
    "ticketTypesThatCanBeRegistered": [],
    "speakerList": [],
    "tracks": [],
    "sessionVisibilityType": "PUBLIC",
    "streamProvider": "ACCELEVENTS",
    "subStreamProvider": None,
    "streamUrl": None,
}
WRITABLE = ("title", "format", "startTime", "endTime", *RESET)


def _int(value: Any, name: str, *, low: int = 0) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < low:
        raise invalid(f"{name} must be an integer of at least {low}")
    return value


def session_fields(body: Any, zone: tzinfo,
                   ticket_types: set[int]) -> tuple[dict[str, Any], datetime, datetime]:
    """The writable fields of a create or full-replace body, every one present (left-out
    keys take their `RESET` value), and the start and end instants. Unknown keys and
    server-kept ones (`sessionStats`, `registerdHolderUsers`, ...) are ignored. Raises
    ApiError (400) naming the first bad field."""
    if not isinstance(body, dict):
        raise invalid("request body must be a session object")
    title = body.get("title")
    if not isinstance(title, str) or not title.strip():
        raise invalid("title is required")
    fmt = body.get("format")
    if fmt not in FORMATS:
        raise invalid(f"format must be one of {', '.join(FORMATS)}")
    start = read_time(body.get("startTime"), "startTime", zone)
    end = read_time(body.get("endTime"), "endTime", zone)
    if end <= start:
        raise invalid("endTime must be after startTime")
    fields: dict[str, Any] = {"title": title.strip(), "format": fmt,
                              "startTime": body["startTime"], "endTime": body["endTime"]}
    for key, empty in RESET.items():
        value = body.get(key, empty)
        fields[key] = empty if value is None else value
    if fields["status"] not in STATUSES:
        raise invalid("status must be VISIBLE or HIDDEN")
    description = fields["description"]
    if not isinstance(description, str):
        raise invalid("description must be text")
    if len(description) > DESCRIPTION_MAX:
        raise invalid(f"description may hold at most {DESCRIPTION_MAX:,} characters")
    fields["capacity"] = _int(fields["capacity"], "capacity")
    fields["allowedMinutesToJoinLate"] = _int(fields["allowedMinutesToJoinLate"],
                                              "allowedMinutesToJoinLate")
    for key in (*SWITCHES, "hideSessionFromAttendees"):
        if not isinstance(fields[key], bool):
            raise invalid(f"{key} must be true or false")
    tickets = fields["ticketTypesThatCanBeRegistered"]
    if not isinstance(tickets, list) or not all(
        isinstance(t, int) and not isinstance(t, bool) and t in ticket_types for t in tickets
    ):
        raise invalid("ticketTypesThatCanBeRegistered must list ticket type ids of the event")
    for key in ("speakerList", "tracks"):
        if not isinstance(fields[key], list) or not all(isinstance(x, dict) for x in fields[key]):
            raise invalid(f"{key} must be a list of objects")
    if not isinstance(fields["location"], str):
        raise invalid("location must be text")
    return fields, start, end


# --- queries ---------------------------------------------------------------------------

PAGE_SIZE_DEFAULT = 10
# No maximum is documented; a larger `size` is cut to this one (unconfirmed).
PAGE_SIZE_MAX = 500


def page_params(query: Any) -> tuple[int, int]:
    """(page, size) from `?page=&size=`: page 0-based (research §3.4: "page index is
    0-based in all third-party clients"). ApiError (400) for a bad number."""
    def number(name: str, default: int, low: int) -> int:
        text = query.get(name)
        if text is None or text == "":
            return default
        if not text.isdigit() or int(text) < low:
            raise invalid(f"{name} must be an integer of at least {low}")
        return int(text)

    return number("page", 0, 0), min(number("size", PAGE_SIZE_DEFAULT, 1), PAGE_SIZE_MAX)


def expands(query: Any) -> set[str]:
    """The comma-separated `expand` names, lower-cased."""
    return {p.strip().lower() for p in (query.get("expand") or "").split(",") if p.strip()}


def late_window(end: datetime, minutes: int) -> datetime:
    """Until when a session can be joined: its end, plus `allowedMinutesToJoinLate`
    (research §3.2: "session is live ... or within allowedMinutesToJoinLate"; read as a
    grace time after the end. Unconfirmed)."""
    return end + timedelta(minutes=minutes)
