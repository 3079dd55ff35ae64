"""The data a 24sessions simulator starts with (and `/_sim/reset` goes back to): a
financial advice team's advisors, their meeting types, and customers' appointments in
every status."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from meettui.simulators import fakedata as seeds
from meettui.simulators._24sessions.state import MeetingType, Store, User

JOB_TITLES = ("Mortgage advisor", "Financial planner", "Insurance advisor",
              "Customer success agent", "Pension specialist")
MEETING_TYPES = (("Mortgage advice", 45), ("Intro call", 15), ("Insurance review", 30),
                 ("Pension check-up", 60), ("Video consultation", 30))
ADVISORS = 8
# Advisors keep their ids whatever the seed (only their names change), so a script or a
# test can name a host (`/users/11`) without reading the list first.
FIRST_USER_ID = 11
# Most bookings carry no description (it is optional context).
DESCRIPTIONS = (
    *([""] * 12), "Second appointment: bring the signed offer",
    "Customer asked for a Dutch-speaking advisor", "Follow-up on last month's review",
    "Refinancing question", "Wants to compare two insurance packages",
)
RESCHEDULE_REASONS = ("Customer asked to move the appointment", "Advisor is ill",
                      "Overlapping appointment")
CANCEL_REASONS = {"canceled_user": ("Advisor unavailable", "Booked twice by mistake"),
                  "canceled_guest": ("Customer found another solution",
                                     "Customer did not need the appointment anymore")}


def email_of(name: str, domain: str) -> str:
    return f"{seeds.slug(name).replace('-', '.')}@{domain}"


def populate(store: Store, *, seed: int, meetings: int, now: datetime) -> None:
    """Advisors, meeting types and `meetings` appointments from 30 days ago to 30 days
    ahead, on slots of 15 minutes in office hours. Past ones are completed, missed or
    cancelled; future ones scheduled, some rescheduled, some cancelled. Reproducible for
    the same seed and clock."""
    rng = random.Random(f"24sessions:{seed}:seed")
    for number, (name, minutes) in enumerate(MEETING_TYPES, start=1):
        store.types[number] = MeetingType(number, name, minutes)
    for number in range(FIRST_USER_ID, FIRST_USER_ID + ADVISORS):
        name = seeds.person(rng)
        store.users[number] = User(number, name, email_of(name, "advice.example"),
                                   rng.choice(JOB_TITLES))
    store.last_id = rng.randint(100_000, 9_000_000)
    users, types = list(store.users.values()), list(store.types.values())
    today = now.replace(hour=0, minute=0, second=0, microsecond=0)
    for _ in range(meetings):
        day = today + timedelta(days=rng.randint(-30, 30))
        date = day + timedelta(hours=rng.randint(8, 17), minutes=15 * rng.randint(0, 3))
        guest = seeds.person(rng)
        status, cancel, reschedule = _fate(rng, date, now)
        store.add(
            rng,
            date=date,
            status=status,
            user=rng.choice(users),
            type=rng.choice(types),
            guest={"name": guest, "email": email_of(guest, "mail.example")},
            description=rng.choice(DESCRIPTIONS) or None,
            cancellation_reason=cancel,
            rescheduling_reason=reschedule,
            created_by_guest=rng.random() < 0.6,
        )


def _fate(rng: random.Random, date: datetime,
          now: datetime) -> tuple[str, str | None, str | None]:
    """(status, cancellation reason, rescheduling reason) of a seeded meeting."""
    reschedule = rng.choice(RESCHEDULE_REASONS) if rng.random() < 0.15 else None
    roll = rng.random()
    if roll < 0.15:
        status = rng.choice(("canceled_user", "canceled_guest"))
        return status, rng.choice(CANCEL_REASONS[status]), reschedule
    if date >= now:
        return "scheduled", None, reschedule
    return ("completed" if roll < 0.85 else "missed"), None, reschedule
