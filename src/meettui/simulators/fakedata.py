"""Realistic, reproducible seed data for the simulators.

Every helper takes the caller's `random.Random`, so one seed gives the same rooms,
names and links on every run and every machine (no `uuid4()`, no `secrets` here:
the point is reproducibility, not secrecy).
"""

from __future__ import annotations

import base64
import random
import re
import uuid
from datetime import datetime, timedelta

FIRST_NAMES = (
    "Amara", "Bjorn", "Chen", "Dalia", "Emeka", "Farah", "Giulia", "Hiro", "Ines", "Jonas",
    "Kavya", "Lars", "Mateo", "Nadia", "Oskar", "Priya", "Quentin", "Rosa", "Sami", "Tove",
    "Umar", "Vera", "Wen", "Ximena", "Yusuf", "Zofia",
)  # fmt: skip
LAST_NAMES = (
    "Okafor", "Lindqvist", "Wang", "Haddad", "Nwosu", "Rahman", "Bianchi", "Tanaka",
    "Moreau", "Becker", "Iyer", "Nilsen", "Alvarez", "Kowalski", "Berg", "Shah",
    "Dubois", "Ferreira", "Aziz", "Holm", "Qureshi", "Novak", "Liu", "Ortega", "Demir",
)  # fmt: skip
TEAMS = (
    "support", "sales", "onboarding", "advisory", "clinic", "helpdesk", "billing",
    "success", "events", "tutoring", "recruiting", "legal",
)  # fmt: skip
TOPICS = (
    "Onboarding call", "Account review", "Quarterly check-in", "Product demo",
    "Support session", "Consultation", "Follow-up", "Intro call", "Planning session",
    "Office hours", "Training", "Interview", "Contract walkthrough", "Workshop",
)  # fmt: skip
COMPANIES = (
    "Northwind", "Fabrikam", "Contoso", "Tailspin", "Lakeshore Dental", "Blue Yonder",
    "Greenfield Clinic", "Harbor Legal", "Alpine Tutors", "Riverbank Bank",
)  # fmt: skip


def person(rng: random.Random) -> str:
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"


def slug(text: str) -> str:
    """`"Lakeshore Dental"` -> `"lakeshore-dental"`."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def title(rng: random.Random) -> str:
    """A meeting title such as "Account review with Priya Shah (Contoso)"."""
    who = person(rng)
    if rng.random() < 0.4:
        return f"{rng.choice(TOPICS)} with {who} ({rng.choice(COMPANIES)})"
    return f"{rng.choice(TOPICS)} with {who}"


def room_prefix(rng: random.Random) -> str:
    """A room-name prefix the way teams use them, ending in "-" (or empty for none)."""
    roll = rng.random()
    if roll < 0.25:
        return ""
    if roll < 0.5:
        return f"{rng.choice(TEAMS)}-"
    if roll < 0.7:
        return f"{rng.choice(TEAMS)}-{slug(rng.choice(LAST_NAMES))}-"
    if roll < 0.85:
        return f"customer{rng.randrange(10_000):04d}-"
    return f"{slug(rng.choice(COMPANIES))}-"


def uuid4(rng: random.Random) -> str:
    """A well-formed version-4 UUID drawn from `rng`."""
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def token(rng: random.Random, nbytes: int = 24) -> str:
    """A URL-safe random token (like a room key) drawn from `rng`."""
    raw = rng.getrandbits(nbytes * 8).to_bytes(nbytes, "big")
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def between(rng: random.Random, start: datetime, end: datetime) -> datetime:
    """A time uniformly between `start` and `end`, whole seconds."""
    span = max(0, int((end - start).total_seconds()))
    return start + timedelta(seconds=rng.randint(0, span))


def round_up(moment: datetime, minutes: int) -> datetime:
    """Up to the next `minutes` boundary, as booked slots are (10:00, 10:15, ...)."""
    step = timedelta(minutes=minutes)
    floor = moment.replace(second=0, microsecond=0) - timedelta(minutes=moment.minute % minutes)
    return floor if floor == moment else floor + step
