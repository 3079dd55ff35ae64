"""The 24sessions simulator's state: users (advisors), meeting types, meetings and the
access tokens it has issued, and the JSON-LD objects they are shown as.

Contract: the research contract (`research/`, 24sessions) §2.3 (the meeting object).
Fields beyond `id`, `accessKey`, `date`, `status`, `description`, `user`, `guest`,
`type`, `cancellationReason` and `reschedulingReason` are not shown: nothing documents
them. Where no source settles a detail, the choice is a named constant marked
"unconfirmed".
"""

from __future__ import annotations

import random
import string
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

# Meeting type durations are minutes (24sessions' email variable `type.duration` reads
# "30"; the unit is unconfirmed).
DURATION_UNIT = "minutes"
# An access key's form is undocumented (the research's example: `a1b2c3d4e5`); 20
# lowercase letters and digits here (unconfirmed).
ACCESS_KEY_LENGTH = 20
_KEY_ALPHABET = string.ascii_lowercase + string.digits
# Meeting ids are numeric and never reused [S5]; how far apart consecutive ids are is
# irrelevant to clients, so they grow by a random step (several advisors book at once).
ID_STEP_MAX = 40
# Ids stay below 2**31 (a database INT; API Platform's default, unconfirmed here).
ID_MAX = 2**31 - 1
# Room left above the ids a run starts from, for what it creates.
RUNTIME_ID_ROOM = 10_000_000


@dataclass
class User:
    id: int
    name: str
    email: str
    job_title: str

    @property
    def iri(self) -> str:
        return f"/users/{self.id}"

    def json(self) -> dict[str, Any]:
        return {"@id": self.iri, "@type": "User", "id": self.id, "name": self.name,
                "email": self.email, "jobTitle": self.job_title}


@dataclass
class MeetingType:
    id: int
    name: str
    duration: int
    """Minutes (`DURATION_UNIT`)."""

    @property
    def iri(self) -> str:
        return f"/meeting_types/{self.id}"

    def json(self) -> dict[str, Any]:
        return {"@id": self.iri, "@type": "MeetingType", "id": self.id, "name": self.name,
                "duration": self.duration}


@dataclass
class Meeting:
    id: int
    access_key: str
    date: datetime
    status: str
    user: User
    type: MeetingType
    guest: dict[str, str]
    description: str | None = None
    cancellation_reason: str | None = None
    rescheduling_reason: str | None = None
    created_by_guest: bool = False

    @property
    def iri(self) -> str:
        return f"/meetings/{self.id}"


def date_json(moment: datetime) -> str:
    """API Platform's date-time form: `2026-03-02T10:00:00+00:00`."""
    return moment.astimezone(UTC).replace(microsecond=0).isoformat()


def meeting_json(meeting: Meeting, *, embed: bool, context: bool = False) -> dict[str, Any]:
    """A meeting as `GET /meetings/{id}` shows it (`context`: with `@context`, as a single
    item has and a collection member has not). `embed`: `user` and `type` as objects
    instead of IRI strings (serialization groups; both occur, unconfirmed which)."""
    data: dict[str, Any] = {}
    if context:
        data["@context"] = "/contexts/Meeting"
    data.update({
        "@id": meeting.iri,
        "@type": "Meeting",
        "id": meeting.id,
        "accessKey": meeting.access_key,
        "date": date_json(meeting.date),
        "status": meeting.status,
        "description": meeting.description,
        "user": meeting.user.json() if embed else meeting.user.iri,
        "guest": dict(meeting.guest),
        "type": meeting.type.json() if embed else meeting.type.iri,
        "cancellationReason": meeting.cancellation_reason,
        "reschedulingReason": meeting.rescheduling_reason,
        "isCreatedByGuest": meeting.created_by_guest,
    })
    return data


@dataclass
class Tokens:
    """Issued access tokens and when each expires (on the simulator's clock)."""

    expires: dict[str, datetime] = field(default_factory=dict)

    def issue(self, value: str, now: datetime, lifetime: timedelta) -> None:
        self.expires[value] = now + lifetime

    def check(self, value: str, now: datetime) -> str | None:
        """None when usable, else why not: "invalid" or "expired"."""
        until = self.expires.get(value)
        if until is None:
            return "invalid"
        return "expired" if now >= until else None


@dataclass
class Store:
    """Everything the API serves; `meetings` in creation order (as listed)."""

    users: dict[int, User] = field(default_factory=dict)
    types: dict[int, MeetingType] = field(default_factory=dict)
    meetings: dict[int, Meeting] = field(default_factory=dict)
    keys: set[str] = field(default_factory=set)
    last_id: int = 0

    def next_id(self, rng: random.Random) -> int:
        self.last_id += rng.randint(1, ID_STEP_MAX)
        return self.last_id

    def skip_ids(self, rng: random.Random) -> None:
        """Leap over a random stretch of ids, drawn from `rng` (the run's own source, not
        the seed): the seeded meetings end at the same id on every run, and a run after
        a restart, which forgets what the last one created, must not hand out its ids
        again. Two runs that create a thousand meetings each share an id by a chance
        of about one in 50,000."""
        if self.last_id < ID_MAX - RUNTIME_ID_ROOM:
            self.last_id = rng.randrange(self.last_id, ID_MAX - RUNTIME_ID_ROOM)

    def access_key(self, rng: random.Random) -> str:
        while True:
            key = "".join(rng.choice(_KEY_ALPHABET) for _ in range(ACCESS_KEY_LENGTH))
            if key not in self.keys:
                self.keys.add(key)
                return key

    def add(self, rng: random.Random, **fields: Any) -> Meeting:
        meeting = Meeting(id=self.next_id(rng), access_key=self.access_key(rng), **fields)
        self.meetings[meeting.id] = meeting
        return meeting
