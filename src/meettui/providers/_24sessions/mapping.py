"""24sessions JSON-LD to the neutral model (`Meeting`, `Link`), and a `MeetingSpec` to
the request bodies. No HTTP here: the client fetches (and resolves the IRIs of users and
meeting types it needs through `Relations`).

Contract: the research contract (`research/`, 24sessions §2.3–2.4) and the seed page
"Joining a 24sessions meeting":

- host link `https://<instance>.24sessions.com/room/meeting/<id>`: only the host, logged
  in to 24sessions, can use it (others are sent to the login page), and only the host
  starts the meeting. It is no token, but it is the host's way in, so it is sensitive
  (masked until revealed, never the QR).
- guest link `https://<instance>.24sessions.com/join/<accessKey>`: made for the guest
  (the QR's link); guests wait in the waiting room until the host starts.
- `user` and `type` arrive as IRI strings (`/users/12`) or embedded objects
  (`{"@id": "/users/12", "name": …}`); the end is `date` plus the type's `duration`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from meettui.core.errors import NothingToChange, ValidationError
from meettui.core.models import Link, Meeting, MeetingSpec, Role, Status
from meettui.core.redact import hide_links_like
from meettui.core.timeparse import parse_iso
from meettui.providers._24sessions.capabilities import ref_match

KIND = "24sessions"
# A meeting type's `duration` is minutes (24sessions' email variable `type.duration`
# reads "30"; the unit is unconfirmed).
DURATION = timedelta(minutes=1)
STATUS = {
    "scheduled": Status.SCHEDULED,
    "completed": Status.ENDED,
    "missed": Status.ENDED,
    "canceled_user": Status.CANCELLED,
    "canceled_guest": Status.CANCELLED,
}
CANCELLED = ("canceled_user", "canceled_guest")
STATUS_SHOWN = {
    "scheduled": "scheduled",
    "completed": "completed",
    "missed": "missed (it did not take place)",
    "canceled_user": "cancelled by the advisor",
    "canceled_guest": "cancelled by the guest",
}
HOST_LINK_NOTE = "opens for the logged-in host only (their 24sessions login)"
WAITING_ROOM_NOTE = "wait in the waiting room until the host starts the meeting"
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class MalformedItem(ValueError):
    """An answer that does not match the contract; the message says how."""


@dataclass
class Relations:
    """Users and meeting types by IRI, as far as they are known (embedded in an answer,
    or fetched by the client)."""

    users: dict[str, dict[str, Any]] = field(default_factory=dict)
    types: dict[str, dict[str, Any]] = field(default_factory=dict)

    def learn(self, item: dict[str, Any]) -> None:
        """Keep the embedded `user` and `type` objects of a meeting."""
        for key, table in (("user", self.users), ("type", self.types)):
            value = item.get(key)
            if isinstance(value, dict) and isinstance(value.get("@id"), str):
                table[value["@id"]] = value

    def missing(self, items: list[Any]) -> list[str]:
        """The IRIs (users, then meeting types) that `items` name and are not known."""
        wanted: list[str] = []
        for key, table in (("user", self.users), ("type", self.types)):
            for item in items:
                iri = iri_of(item.get(key)) if isinstance(item, dict) else None
                if iri and iri not in table and iri not in wanted:
                    wanted.append(iri)
        return wanted


def iri_of(value: Any) -> str | None:
    """The IRI of a relation given as a string or as an object with `@id`."""
    if isinstance(value, dict):
        value = value.get("@id")
    return value if isinstance(value, str) and value.startswith("/") else None


def host_url(instance: str, meeting_id: str) -> str:
    return f"https://{instance}.24sessions.com/room/meeting/{meeting_id}"


# A host link is no token, only the meeting's path behind the host's login: masked in
# error text and the log by its shape (research/providers-eyeson-24sessions-events.md).
hide_links_like(r"(https?://[^/\s]+\.24sessions\.com/room/meeting/)[^\s/?#\"'<>]+")


def guest_url(instance: str, access_key: str) -> str:
    return f"https://{instance}.24sessions.com/join/{access_key}"


def _guest(item: dict[str, Any]) -> dict[str, Any]:
    guest = item.get("guest")
    return guest if isinstance(guest, dict) else {}


def title_of(item: dict[str, Any], kind: dict[str, Any] | None) -> str:
    """The description, else "<meeting type> with <guest>"."""
    description = item.get("description")
    if isinstance(description, str) and description.strip():
        return description.strip()
    guest = _guest(item)
    who = str(guest.get("name") or "a guest")
    name = (kind or {}).get("name")
    return f"{name} with {who}" if name else f"Meeting with {who}"


def _numbered(name: object, iri: str | None, setting: str, about: str = "") -> str:
    """`name` with `about` and its id as the account's setting `setting` takes it
    ("Ann Berg (user 12)", "Intro (15 min; meeting_type 2)"): the settings `user` and
    `meeting_type` are ids, and a meeting's detail is where to find them. The IRI alone
    when the name is unknown; "—" without either."""
    number = iri.rsplit("/", 1)[-1] if iri else ""
    if not name:
        return iri or "—"
    said = [part for part in (about, f"{setting} {number}" if number.isdigit() else "")
            if part]
    return f"{name} ({'; '.join(said)})" if said else str(name)


def to_meeting(item: Any, *, account: str, instance: str, relations: Relations) -> Meeting:
    """A meeting object as a Meeting. Raises MalformedItem without a numeric `id`."""
    if not isinstance(item, dict):
        raise MalformedItem("a meeting that is not an object")
    raw_id = item.get("id")
    if isinstance(raw_id, bool) or not isinstance(raw_id, int | str) or not str(raw_id).isdigit():
        raise MalformedItem("a meeting without a numeric id")
    mid = str(raw_id)
    relations.learn(item)
    user_iri, type_iri = iri_of(item.get("user")), iri_of(item.get("type"))
    user = relations.users.get(user_iri or "")
    kind = relations.types.get(type_iri or "")
    start = parse_iso(item.get("date"))
    duration = (kind or {}).get("duration")
    end = None
    if start is not None and isinstance(duration, int | float) and not isinstance(duration, bool):
        end = start + duration * DURATION
    wire_status = str(item.get("status") or "")
    links = [Link(role=Role.HOST, url=host_url(instance, mid),
                  label="Host (24sessions login)", sensitive=True)]
    key = item.get("accessKey")
    if isinstance(key, str) and key:
        links.append(Link(role=Role.GUEST, url=guest_url(instance, key), label="Guest link"))
    guest = _guest(item)
    details = {
        "24sessions status": STATUS_SHOWN.get(wire_status, wire_status or "—"),
        "Host": _numbered((user or {}).get("name"), user_iri, "user"),
        "Host link": HOST_LINK_NOTE,
        "Guest": " ".join(p for p in (str(guest.get("name") or ""),
                                      f"<{guest['email']}>" if guest.get("email") else "")
                          if p) or "—",
        "Guests": WAITING_ROOM_NOTE,
        "Meeting type": (_numbered(kind.get("name"), type_iri, "meeting_type",
                                   f"{duration:g} min")
                         if kind and isinstance(duration, int | float)
                         else str(type_iri or "—")),
    }
    if item.get("reschedulingReason"):
        details["Rescheduled"] = str(item["reschedulingReason"])
    if item.get("cancellationReason"):
        details["Cancellation reason"] = str(item["cancellationReason"])
    if item.get("isCreatedByGuest") is True:
        details["Booked by"] = "the guest"
    return Meeting(
        provider=KIND,
        account=account,
        id=mid,
        title=title_of(item, kind),
        starts_at=start,
        ends_at=end,
        status=STATUS.get(wire_status, Status.UNKNOWN),
        links=links,
        details=details,
        raw=_raw(item, user_iri, type_iri),
    )


def _raw(item: dict[str, Any], user_iri: str | None, type_iri: str | None) -> dict[str, Any]:
    """The provider's facts, plus the values under the form fields' names so an edit
    form starts from them."""
    guest = _guest(item)
    keep = ("id", "date", "status", "description", "guest", "cancellationReason",
            "reschedulingReason", "isCreatedByGuest")
    return {
        **{k: item.get(k) for k in keep if k in item},
        "user": user_iri,
        "meeting_type": type_iri,
        "guest_name": guest.get("name"),
        "guest_email": guest.get("email"),
    }


# --- the model to request bodies ---------------------------------------------------------


def ref(value: Any, collection: str, field_name: str) -> str | None:
    """An IRI (`/users/12`) from what a user typed (`12` or `/users/12`); None for
    nothing. Raises ValidationError at `field_name` for anything else."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    match = ref_match(str(value), collection)
    if match is None:
        raise ValidationError(f"Give an id (12) or /{collection}/12, not {value!r}.",
                              field=field_name, provider=KIND)
    return f"/{collection}/{match.group(2)}"


def date_text(moment: datetime) -> str:
    """ISO 8601 with an offset (`2026-03-02T10:00:00+00:00`), as 24sessions shows it."""
    return moment.astimezone(UTC).replace(microsecond=0).isoformat()


def create_body(spec: MeetingSpec, *, default_user: str | None,
                default_type: str | None) -> dict[str, Any]:
    """`POST /meetings`'s body. Raises ValidationError at the form field for a missing
    start, host, meeting type or guest name or email ("required"), and for an email given
    that is not an address ("not a valid address", naming it)."""
    options = spec.options
    if spec.starts_at is None:
        raise ValidationError("A 24sessions meeting needs a start.", field="starts_at",
                              provider=KIND)
    user = ref(options.get("user"), "users", "user") or ref(default_user, "users", "user")
    if user is None:
        raise ValidationError("Say who hosts it: a user id, or set `user` in the "
                              "account's settings.", field="user", provider=KIND)
    kind = (ref(options.get("meeting_type"), "meeting_types", "meeting_type")
            or ref(default_type, "meeting_types", "meeting_type"))
    if kind is None:
        raise ValidationError("Say which meeting type: an id, or set `meeting_type` in "
                              "the account's settings.", field="meeting_type", provider=KIND)
    name = str(options.get("guest_name") or "").strip()
    email = str(options.get("guest_email") or "").strip()
    if not name:
        raise ValidationError("The guest's name is required.", field="guest_name",
                              provider=KIND)
    if not email:
        raise ValidationError("The guest's email is required (name@example.com).",
                              field="guest_email", provider=KIND)
    if not _EMAIL.match(email):
        # Given but malformed: saying "required" would send the user looking for a
        # missing option they did type.
        raise ValidationError(f"The guest's email {email!r} is not a valid address "
                              "(name@example.com).", field="guest_email", provider=KIND)
    body: dict[str, Any] = {
        "date": date_text(spec.starts_at),
        "status": "scheduled",
        "user": user,
        "guest": {"name": name, "email": email},
        "type": kind,
    }
    if spec.title.strip():
        body["description"] = spec.title.strip()
    return body


def update_body(current: Meeting, spec: MeetingSpec) -> dict[str, Any]:
    """`PUT /meetings/{id}`'s body: only what changes. A new start reschedules, with the
    form's reason; a new title is the description. Empty when nothing changes. A reason
    given without a new start is the rescheduling's reason (`reschedulingReason`, S4),
    dropped without a word, the edit answered as done: raises NothingToChange at
    `reason` when it is all the edit gives, ValidationError there beside a new
    description."""
    body: dict[str, Any] = {}
    reason = str(spec.options.get("reason") or "").strip()
    if spec.starts_at is not None and spec.starts_at != current.starts_at:
        body["date"] = date_text(spec.starts_at)
        if reason:
            body["reschedulingReason"] = reason
    title = spec.title.strip()
    if title and title != current.title:
        body["description"] = title
    if reason and "date" not in body:
        # Beside a new description, a value refused (the edit changes something); on
        # its own, nothing to change. Both before anything is sent (exit 2).
        refusal = ValidationError if body else NothingToChange
        raise refusal(
            "A reason for rescheduling goes with a new start, and the start is "
            "unchanged.", field="reason",
            hint="Give a new start with it, or leave the reason out; nothing was sent.")
    return body
