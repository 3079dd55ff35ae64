"""The Accelevents simulator's state: one event, its ticket types, the attendee the API
key belongs to, the sessions with their registrations, and the Chime meeting and
attendees a join creates; and the JSON objects they are shown as.

Contract: the Join Session seed page (`seeds/002_…`) and
`research/providers-eyeson-24sessions-events.md` §3. Where no source settles a detail the
choice is a named constant marked "unconfirmed".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

from meettui.core.clock import Clock
from meettui.simulators import fakedata
from meettui.simulators.accelevents.rules import SWITCHES, render_time
from meettui.simulators.base import Simulator
from meettui.simulators.faults import Faults

DEFAULT_SESSIONS = 42
DEFAULT_EVENT = "meettui-summit"
DEFAULT_ZONE = "UTC"
# Where the simulated Chime meetings live (Chime's `MediaRegion`). Unconfirmed which
# region Accelevents uses.
MEDIA_REGION = "us-east-1"
REGION_CODE = "ue1"


def zone_named(name: str) -> tzinfo:
    """The zone called `name` ("UTC" or an IANA name). Raises ValueError when unknown."""
    if name.upper() == "UTC":
        return UTC
    try:
        return ZoneInfo(name)
    except Exception as exc:  # noqa: BLE001 - ZoneInfoNotFoundError, or a bad key
        raise ValueError(f"unknown time zone {name!r}") from exc


@dataclass
class Person:
    """A user of the event: the key's attendee, a registered holder, a speaker."""

    user_id: int
    first: str
    last: str
    email: str
    ticket_type: int
    event_ticket_id: int

    def holder_json(self) -> dict[str, Any]:
        """As one of `registerdHolderUsers` (seed page: "event ticketing ID, user ID, first
        name, last name, email, phone number and others")."""
        return {"eventTicketingId": self.event_ticket_id, "userId": self.user_id,
                "firstName": self.first, "lastName": self.last, "email": self.email,
                "phoneNumber": f"+1555{self.user_id % 10_000_000:07d}",
                "ticketTypeId": self.ticket_type}


@dataclass
class Session:
    id: int
    fields: dict[str, Any]
    """Every writable field (`rules.WRITABLE`), as last written."""
    start: datetime
    end: datetime
    holders: list[Person] = field(default_factory=list)
    interested: int = 0
    attendee_count: int = 0
    chime: dict[str, Any] | None = None
    """The Chime meeting, made by the first join."""
    chime_attendees: dict[int, dict[str, Any]] = field(default_factory=dict)
    """Chime attendees by user id: the same user joining again gets the same one (as
    Chime's CreateAttendee does for the same ExternalUserId)."""

    @property
    def hidden(self) -> bool:
        return self.fields["status"] == "HIDDEN"


class AcceleventsState(Simulator):
    """Everything the simulated Accelevents knows; `AcceleventsSimulator` adds the API."""

    def __init__(self, *, seed: int = 1, meetings: int = DEFAULT_SESSIONS,
                 api_key: str = "demo", clock: Clock | None = None,
                 faults: Faults | None = None, event: str = DEFAULT_EVENT,
                 time_zone: str = DEFAULT_ZONE) -> None:
        super().__init__(seed=seed, api_key=api_key, clock=clock, faults=faults)
        if meetings < 0:
            raise ValueError("meetings must be at least 0")
        self.seeded_sessions = meetings
        self.eventurl = event
        self.zone_name = time_zone
        self.zone = zone_named(time_zone)
        self.reset_state()

    def reset_state(self) -> None:
        from meettui.simulators.accelevents.seed import populate

        self._rng = self.runtime_random()
        self.sessions: dict[int, Session] = {}
        self.ticket_types: dict[int, str] = {}
        self.event_id = 0
        self.event_name = ""
        self.admins: list[int] = []
        self.attendee: Person
        populate(self)

    # --- changes ---------------------------------------------------------------------

    def new_session_id(self) -> int:
        """A fresh id for a created session, drawn from the runtime generator (seeded
        sessions have smaller ids), from a range wide enough that a run after a restart,
        which forgets the sessions the last one created, all but never hands out one of
        their ids again (below 2**31, as a database INT would keep it)."""
        while True:
            sid = self._rng.randrange(1_000_000, 2**31)
            if sid not in self.sessions:
                return sid

    def chime_meeting(self, session: Session) -> dict[str, Any]:
        """The session's Chime meeting (AWS Chime `CreateMeeting` shape: MeetingId,
        ExternalMeetingId, MediaPlacement, MediaRegion), made on first use."""
        if session.chime is None:
            mid = fakedata.uuid4(self._rng)
            host = f"{self._rng.getrandbits(64):016x}.k.m1.{REGION_CODE}.app.chime.aws"
            session.chime = {
                "MeetingId": mid,
                "ExternalMeetingId": f"{self.eventurl}-{session.id}",
                "MediaPlacement": {
                    "AudioHostUrl": f"{host}:3478",
                    "AudioFallbackUrl": f"wss://haxrp.m1.{REGION_CODE}.app.chime.aws:443/calls/{mid}",
                    "ScreenDataUrl": f"wss://bitpw.m1.{REGION_CODE}.app.chime.aws:443/v2/screen/{mid}",
                    "ScreenSharingUrl": f"wss://bitpw.m1.{REGION_CODE}.app.chime.aws:443/v2/screen/{mid}",
                    "ScreenViewingUrl": f"wss://bitpw.m1.{REGION_CODE}.app.chime.aws:443/ws/connect"
                                        f"?passcode=null&viewer_uuid=null&X-BitHub-Call-Id={mid}",
                    "SignalingUrl": f"wss://signal.m1.{REGION_CODE}.app.chime.aws/control/{mid}",
                    "TurnControlUrl": f"https://ccp.cp.{REGION_CODE}.app.chime.aws/v2/turn_sessions",
                    "EventIngestionUrl": f"https://data.svc.{REGION_CODE}.ingest.chime.aws/v1/client-events",
                },
                "MediaRegion": MEDIA_REGION,
            }
        return session.chime

    def chime_attendee(self, session: Session, person: Person) -> dict[str, Any]:
        """The person's Chime attendee in the session's meeting (AttendeeId,
        ExternalUserId, JoinToken); the same one on every join."""
        found = session.chime_attendees.get(person.user_id)
        if found is None:
            found = {
                "AttendeeId": fakedata.uuid4(self._rng),
                "ExternalUserId": str(person.user_id),
                # The seed page: "JSON contains full name, attendee ID and Join Token";
                # the full name's key is unconfirmed.
                "fullName": f"{person.first} {person.last}",
                "JoinToken": fakedata.token(self._rng, 48),
            }
            session.chime_attendees[person.user_id] = found
        return found

    # --- JSON ----------------------------------------------------------------------------

    def stats_json(self, session: Session) -> dict[str, Any]:
        return {"id": session.id, "registeredUserCount": len(session.holders),
                "interestedUserCount": session.interested,
                "attendeeCount": session.attendee_count,
                "sessionSpeakerCount": len(session.fields["speakerList"])}

    def host_json(self, session: Session, *, stats: bool) -> dict[str, Any]:
        """The full session DTO staff read (host list and get): every writable field,
        the registered holders (misspelt `registerdHolderUsers`, as the API does), and
        `sessionStats` only when expanded."""
        data: dict[str, Any] = {"sessionId": session.id, "eventId": self.event_id,
                                **session.fields,
                                "startTime": render_time(session.start, self.zone),
                                "endTime": render_time(session.end, self.zone),
                                "duration": int((session.end - session.start).total_seconds()
                                                // 60),
                                "registerdHolderUsers": [p.holder_json()
                                                         for p in session.holders]}
        if stats:
            data["sessionStats"] = self.stats_json(session)
        return data

    def attendee_json(self, session: Session, *, stats: bool) -> dict[str, Any]:
        """A session as attendees list it (`/session/v2`): no registered people, and the
        switches named `enableChat`/`enablePoll`/`enableQuesAndAns` as the regular-session
        guide's list example names them (research §3.3; the Q&A spelling unconfirmed)."""
        data = self.host_json(session, stats=stats)
        del data["registerdHolderUsers"]
        for name, alias in zip(SWITCHES, ("enableChat", "enablePoll", "enableQuesAndAns"),
                               strict=True):
            data[alias] = data.pop(name)
        data["currentUserRegisteredEventTicketId"] = (
            [self.attendee.event_ticket_id] if self.attendee in session.holders else [])
        return data

    def event_json(self) -> dict[str, Any]:
        """The event details (`eventDetails`; the shape beyond `eventId`, `eventURL`,
        `name` and `timezoneId` is unconfirmed)."""
        return {"eventId": self.event_id, "eventURL": self.eventurl, "name": self.event_name,
                "timezoneId": self.zone_name,
                "ticketTypes": [{"id": t, "name": n} for t, n in self.ticket_types.items()]}

    def now(self) -> datetime:
        return self.clock.now()
