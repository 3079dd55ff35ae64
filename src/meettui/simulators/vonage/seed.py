"""The themes and rooms a Vonage simulator starts with (and `/_sim/reset` goes back to)."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from meettui.simulators import fakedata as seeds
from meettui.simulators.vonage.rules import RoomSpec

if TYPE_CHECKING:
    from meettui.simulators.vonage.state import VonageState

THEMES = (
    {"theme_name": "front-desk", "main_color": "#12f64e", "brand_text": "Front desk",
     "short_company_url": "front-desk"},
    {"theme_name": "advisory", "main_color": "#1f4e8c", "brand_text": "Advisory team",
     "short_company_url": "advisory"},
    {"theme_name": "plain", "main_color": "#333", "brand_text": "Meetings"},
)


def seed_state(sim: VonageState) -> None:
    """Three themes, then `sim.seeded_meetings` rooms as an application that ran for a
    while would have them: created over the past 60 days in serial order; a quarter
    instant rooms (most long expired, a few created minutes ago and still open), the
    rest long-term rooms expiring from days ago to months ahead, some themed, a few
    closed after use. Reproducible for the same seed and clock."""
    rng = random.Random(f"vonage:{sim.seed}:seed")
    themes = [sim.add_theme(values, rng) for values in THEMES]
    now = sim.clock.now().replace(microsecond=0)
    drafts: list[tuple[datetime, RoomSpec, bool]] = []
    for _ in range(sim.seeded_meetings):
        roll = rng.random()
        settings: dict[str, Any] = {}
        if rng.random() < 0.2:
            settings["join_approval_level"] = rng.choice(("after_owner_only",
                                                          "explicit_approval"))
        if rng.random() < 0.15:
            settings["available_features"] = {"is_chat_available": False}
        if roll < 0.2:  # instant, long expired
            created = now - timedelta(minutes=rng.randint(15, 60 * 24 * 60))
            spec = RoomSpec(display_name=seeds.title(rng), settings=settings)
        elif roll < 0.25:  # instant, created minutes ago: still open
            created = now - timedelta(seconds=rng.randint(10, 8 * 60))
            spec = RoomSpec(display_name=seeds.title(rng), settings=settings)
        else:
            created = now - timedelta(minutes=rng.randint(60, 60 * 24 * 60))
            ahead = timedelta(days=rng.randint(-5, 180), hours=rng.randint(0, 23))
            expires = seeds.round_up(max(created + timedelta(hours=1), now + ahead), 15)
            theme = rng.choice(themes).theme_id if rng.random() < 0.3 else None
            spec = RoomSpec(display_name=f"{rng.choice(seeds.TOPICS)} — "
                                         f"{seeds.person(rng)}",
                            type="long_term", expires_at=expires,
                            expire_after_use=rng.random() < 0.1, theme_id=theme,
                            metadata=f"crm:{rng.randrange(10**6):06d}"
                            if rng.random() < 0.3 else None,
                            settings=settings)
        drafts.append((created, spec, rng.random() < 0.03))
    drafts.sort(key=lambda draft: draft[0])  # creation order = serial order
    for created, spec, closed in drafts:
        room = sim.add_room(spec, created=created, rng=rng)
        room.closed = closed and spec.type == "long_term"
