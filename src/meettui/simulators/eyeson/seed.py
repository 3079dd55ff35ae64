"""The data an eyeson simulator starts with (and `/_sim/reset` goes back to)."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

from meettui.simulators import fakedata as seeds
from meettui.simulators.eyeson.rules import SeedRandom, object_id

if TYPE_CHECKING:
    from meettui.simulators.eyeson.state import EyesonState


def populate(state: EyesonState) -> None:
    """Permalinks as a team that books advisory calls would have them.

    Created over the past 90 days; about a third carry an expiry (some passed), a
    third have more than one host, some switch recording or broadcasting off, and
    about one in six runs right now with people in it. Plus a few running rooms
    made with `POST /rooms` elsewhere. Times are laid out relative to the clock; ids
    and tokens depend on the seed only (see `SeedRandom`), so a simulator built the next
    day has the same permalinks, hosts and links.
    """
    now = state.clock.now().replace(microsecond=0)
    rng = SeedRandom(f"eyeson:{state.seed}:seed", anchor=now)
    created = sorted(
        seeds.between(rng, now - timedelta(days=90), now - timedelta(hours=1))
        for _ in range(state.seeded_permalinks)
    )
    for when in created:
        options: dict[str, Any] = {}
        if rng.random() < 0.15:
            options["recording_available"] = False
        if rng.random() < 0.3:
            options["broadcast_available"] = False
        if rng.random() < 0.4:
            company = seeds.slug(rng.choice(seeds.COMPANIES))
            options["exit_url"] = f"https://www.{company}.example/thanks"
        roll = rng.random()
        if roll < 0.55:
            expires = None
        elif roll < 0.85:
            expires = seeds.round_up(now + timedelta(hours=rng.randint(1, 60 * 24)), 15)
        else:
            expires = seeds.between(rng, when + timedelta(hours=1), now)
        permalink = state.new_permalink(
            user={"name": seeds.person(rng)},
            name=seeds.title(rng),
            expires_at=expires,
            options=options,
            rng=rng,
            created_at=when,
        )
        for extra in range(rng.choices((0, 1, 2), weights=(65, 25, 10))[0]):
            at = when + timedelta(minutes=5 * (extra + 1))
            state.add_host(permalink, {"name": seeds.person(rng)}, rng=rng, at=at)
        if not permalink.expired(now) and rng.random() < 0.16:
            started = now - timedelta(minutes=rng.randint(2, 90))
            meeting = state.start_permalink(permalink, at=started, rng=rng, kept_alive=True)
            state.join(meeting, {"name": rng.choice(permalink.hosts).name}, guest=False,
                       rng=rng, at=started)
            for _ in range(rng.randint(0, 4)):
                state.join(meeting, {"name": seeds.person(rng)}, guest=True, rng=rng,
                           at=seeds.between(rng, started, now))
    for _ in range(state.seeded_rooms):
        started = now - timedelta(minutes=rng.randint(1, 120))
        host = seeds.person(rng)
        meeting = state.start_meeting(
            room_id=object_id(rng, started),
            name=f"{rng.choice(seeds.TOPICS)} ({host})",
            options={},
            widescreen=False,
            at=started,
            kept_alive=True,
            rng=rng,
        )
        state.join(meeting, {"name": host}, guest=False, rng=rng, at=started)
