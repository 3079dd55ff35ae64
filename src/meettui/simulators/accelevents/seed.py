"""The data an Accelevents simulator starts with (and `/_sim/reset` goes back to)."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from meettui.simulators import fakedata
from meettui.simulators.accelevents.rules import FORMATS, RESET
from meettui.simulators.accelevents.state import Person, Session

if TYPE_CHECKING:
    from meettui.simulators.accelevents.state import AcceleventsState

TICKET_TYPES = ("General Admission", "VIP", "Staff")
TRACKS = ("Product", "Customers", "Engineering", "Community")
TOPICS = ("Keynote", "Roadmap", "Hands-on lab", "Panel", "Ask me anything", "Networking",
          "Fireside chat", "Demo", "Lightning talks", "Coffee break")
# How much of each format's sessions are capped (expo halls and main stages are not).
UNCAPPED = ("MAIN_STAGE", "EXPO", "BREAK")


def _person(rng: random.Random, user_id: int, ticket_type: int) -> Person:
    first, last = rng.choice(fakedata.FIRST_NAMES), rng.choice(fakedata.LAST_NAMES)
    return Person(user_id=user_id, first=first, last=last,
                  email=f"{first}.{last}@{fakedata.slug(rng.choice(fakedata.COMPANIES))}"
                        ".example".lower(),
                  ticket_type=ticket_type, event_ticket_id=rng.randrange(10**6, 10**7))


def populate(state: AcceleventsState) -> None:
    """One event as event staff run it: sessions of every format (the first seven are
    one of each) from two days ago to five days ahead, about one in six live now;
    workshops and meet-ups capped, some of them full with registered holders; about one
    in ten HIDDEN; some open to VIP tickets only; speakers, tracks, switches. The API
    key's attendee holds a General Admission ticket. Reproducible for the same seed and
    clock; session ids depend on the seed."""
    rng = random.Random(f"accelevents:{state.seed}:seed")
    now = state.clock.now().replace(second=0, microsecond=0)
    state.event_id = rng.randrange(10_000, 100_000)
    state.event_name = f"{rng.choice(fakedata.COMPANIES)} Summit {now.year}"
    base = rng.randrange(100, 900) * 1000
    state.ticket_types = {base + i: name for i, name in enumerate(TICKET_TYPES)}
    general, vip, _staff = state.ticket_types
    state.attendee = _person(rng, rng.randrange(10**5, 10**6), general)
    state.admins = [rng.randrange(10**5, 10**6) for _ in range(2)]
    sid = rng.randrange(100_000, 900_000)
    for index in range(state.seeded_sessions):
        sid += rng.randint(1, 5)
        fmt = FORMATS[index] if index < len(FORMATS) else rng.choice(FORMATS)
        state.sessions[sid] = _session(state, rng, sid, fmt, now, vip)


def _session(state: AcceleventsState, rng: random.Random, sid: int, fmt: str,
             now: datetime, vip: int) -> Session:
    minutes = rng.choice((30, 45, 60, 90, 120)) if fmt != "BREAK" else 15
    if rng.random() < 0.17:  # live now, started on a five-minute mark
        start = (now - timedelta(minutes=now.minute % 5)
                 - timedelta(minutes=rng.randrange(0, minutes, 5)))
    else:
        start = fakedata.round_up(
            fakedata.between(rng, now - timedelta(days=2), now + timedelta(days=5)), 15)
    end = start + timedelta(minutes=minutes)
    capacity = 0 if fmt in UNCAPPED else rng.choice((10, 20, 25, 50, 100, 200))
    speakers = [_speaker(rng) for _ in range(rng.choice((0, 1, 1, 2, 3)))] \
        if fmt != "BREAK" else []
    fields: dict[str, Any] = {
        **RESET,
        "title": _title(rng, fmt),
        "format": fmt,
        "description": rng.choice(("", f"{rng.choice(TOPICS)} for everyone at the event.",
                                   "Bring your questions; the recording follows.")),
        "status": "HIDDEN" if rng.random() < 0.1 else "VISIBLE",
        "capacity": capacity,
        "location": rng.choice(("", "", "Hall A", "Room 2.14", "Expo floor")),
        "chatEnabled": rng.random() < 0.85,
        "pollEnabled": rng.random() < 0.5,
        "quesAndAnsEnabled": rng.random() < 0.6,
        "hideSessionFromAttendees": rng.random() < 0.05,
        "allowedMinutesToJoinLate": rng.choice((0, 0, 10, 15)),
        "ticketTypesThatCanBeRegistered": [vip] if rng.random() < 0.12 else [],
        "speakerList": speakers,
        "tracks": [{"id": i + 1, "name": n} for i, n in enumerate(TRACKS)
                   if rng.random() < 0.3],
        "subStreamProvider": "CHIME" if fmt in ("WORKSHOP", "MEET_UP") else None,
    }
    fields["startTime"] = fields["endTime"] = ""  # rendered from start/end when shown
    session = Session(id=sid, fields=fields, start=start, end=end)
    holders = 0
    if capacity:
        holders = capacity if rng.random() < 0.25 else rng.randrange(0, capacity)
    for _ in range(min(holders, 30) if holders < capacity else capacity):
        session.holders.append(_person(rng, rng.randrange(10**5, 10**6),
                                       next(iter(state.ticket_types))))
    session.interested = rng.randrange(0, 60)
    session.attendee_count = len(session.holders) // 2 if start <= now else 0
    return session


def _speaker(rng: random.Random) -> dict[str, Any]:
    first, last = rng.choice(fakedata.FIRST_NAMES), rng.choice(fakedata.LAST_NAMES)
    return {"speakerId": rng.randrange(10**4, 10**5), "firstName": first, "lastName": last,
            "userId": rng.randrange(10**5, 10**6), "title": rng.choice(("CTO", "Designer",
                                                                         "Founder", "Engineer")),
            "company": rng.choice(fakedata.COMPANIES), "moderator": rng.random() < 0.2}


def _title(rng: random.Random, fmt: str) -> str:
    if fmt == "BREAK":
        return rng.choice(("Coffee break", "Lunch", "Stretch break"))
    if fmt == "EXPO":
        return f"Expo booth: {rng.choice(fakedata.COMPANIES)}"
    if fmt == "MEET_UP":
        return f"Meet-up: {rng.choice(fakedata.TEAMS)} people"
    return f"{rng.choice(TOPICS)}: {rng.choice(TRACKS)}"
