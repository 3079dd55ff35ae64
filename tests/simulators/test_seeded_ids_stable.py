"""Seeded data keeps its ids whatever the clock says: the demo builds its simulators
again on every start, and the cache it fills must find the same meetings again."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from meettui.core.clock import FixedClock
from meettui.simulators.registry import build

MONDAY = datetime(2026, 11, 30, 9, 12, 34, 567_000, tzinfo=UTC)


def _eyeson(at: datetime, seed: int = 7):
    return build("eyeson", seed=seed, meetings=60, clock=FixedClock(at))


def _identity(sim) -> list[tuple]:
    return [
        (p.id, p.name, p.guest_token, [(h.id, h.name, h.user_token) for h in p.hosts])
        for p in sim.permalinks.values()
    ]


def test_eyeson_permalinks_keep_their_ids_a_day_later():
    today, tomorrow = _eyeson(MONDAY), _eyeson(MONDAY + timedelta(days=1, minutes=7))
    assert [p.id for p in today.permalinks.values()] == [
        p.id for p in tomorrow.permalinks.values()]
    # Tokens and hosts too (guest and host links are built from them), and running rooms.
    assert _identity(today) == _identity(tomorrow)
    assert sorted(today.running) == sorted(tomorrow.running)
    # The times still follow the clock: created "3 days ago" on either day.
    first_today = next(iter(today.permalinks.values()))
    first_tomorrow = next(iter(tomorrow.permalinks.values()))
    assert first_tomorrow.created_at - first_today.created_at == timedelta(days=1, minutes=7)


def test_seeded_ids_keep_the_object_id_shape_and_order():
    ids = [p.id for p in _eyeson(MONDAY).permalinks.values()]
    assert all(re.fullmatch(r"[0-9a-f]{24}", i) for i in ids)
    assert len(set(ids)) == len(ids)
    # The time part still orders them by creation, as eyeson's ids are.
    assert [i[:8] for i in ids] == sorted(i[:8] for i in ids)


def test_another_seed_gives_other_ids():
    assert not {p for p in _eyeson(MONDAY).permalinks} & {
        p for p in _eyeson(MONDAY, seed=8).permalinks}


def test_permalinks_created_at_run_time_still_carry_their_creation_time():
    sim = _eyeson(MONDAY)
    made = sim.new_permalink(user={"name": "Ann"}, name="Now", expires_at=None, options={})
    assert int(made.id[:8], 16) == int(MONDAY.timestamp())
