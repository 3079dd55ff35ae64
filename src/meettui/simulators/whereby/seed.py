"""The rooms a Whereby simulator starts with (and `/_sim/reset` goes back to)."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from meettui.simulators import fakedata as seeds
from meettui.simulators.whereby.rules import CreateSpec

if TYPE_CHECKING:
    from meettui.simulators.whereby.app import WherebySimulator


def seed_rooms(sim: WherebySimulator) -> None:
    """`sim.seeded_meetings` rooms as a busy team would have them right now.

    Created over the past two days; ending from just now (inside the one-hour grace,
    so none is already gone) through the next three weeks, on quarter hours.
    Reproducible for the same seed and clock.
    """
    rng = random.Random(f"whereby:{sim.seed}:seed")
    now = sim.clock.now().replace(microsecond=0)
    drafts: list[tuple[datetime, CreateSpec]] = []
    for _ in range(sim.seeded_meetings):
        roll = rng.random()
        if roll < 0.10:  # ended within the last hour, still listed
            end = now - timedelta(minutes=rng.randint(1, 55))
        elif roll < 0.25:  # later today
            end = seeds.round_up(now + timedelta(minutes=rng.randint(10, 360)), 15)
        else:
            end = seeds.round_up(now + timedelta(minutes=rng.randint(360, 21 * 24 * 60)), 15)
        latest = min(now, end - timedelta(minutes=15))
        start = seeds.between(rng, now - timedelta(days=2), latest)
        viewer = rng.random() < 0.05
        spec = CreateSpec(
            end=end,
            room_mode="group" if viewer or rng.random() < 0.2 else "normal",
            prefix=seeds.room_prefix(rng),
            pattern="human-short" if rng.random() < 0.25 else "uuid",
            is_locked=viewer or rng.random() < 0.1,
            template_type="viewerMode" if viewer else None,
        )
        drafts.append((start, spec))
    drafts.sort(key=lambda draft: draft[0])  # creation order = the API's list order
    # Titles from their own generator: the rooms stay what this seed always made.
    names = random.Random(f"whereby:{sim.seed}:titles")
    for start, spec in drafts:
        room = sim.create_room(spec, rng=rng)
        room.start = start
        sim.titles[room.meeting_id] = seeds.title(names)
