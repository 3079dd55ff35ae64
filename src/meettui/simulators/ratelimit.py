"""A points budget per time window, as APIs with a rate limit keep one (points per minute:
a read costs 1, a delete 2, a write 3, say).

Where a provider's window is documented as neither fixed nor sliding, a fixed window is
used: it gives a `Retry-After` that is exact, which is what clients are told to honour
(unconfirmed; each simulator that uses it says so).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import format_datetime

from meettui.core.clock import Clock

RATE_WINDOW = timedelta(seconds=60)


@dataclass
class Budget:
    """The rate-limit state one request sees."""

    allowed: bool
    limit: int
    remaining: int
    reset_at: datetime
    ms_left: int

    def headers(self) -> dict[str, str]:
        # HTTP dates have whole seconds; round the reset up so waiting until it is enough.
        reset = self.reset_at + timedelta(microseconds=-self.reset_at.microsecond % 1_000_000)
        return {
            "X-RateLimit-Limit": str(self.limit),
            "X-RateLimit-Remaining": str(self.remaining),
            "X-RateLimit-Reset": format_datetime(reset, usegmt=True),
        }


class PointsLimiter:
    """A fixed window of points (60 s by default) that opens with the first request in it."""

    def __init__(self, budget: int, clock: Clock, window: timedelta = RATE_WINDOW) -> None:
        if budget < 1:
            raise ValueError("the rate-limit budget must be at least 1 point")
        self.budget, self.clock, self.window = budget, clock, window
        self.reset()

    def reset(self) -> None:
        self._start: datetime | None = None
        self._used = 0

    def _current(self, now: datetime) -> datetime:
        if self._start is None or now >= self._start + self.window:
            self._start, self._used = now, 0
        return self._start + self.window

    def charge(self, cost: int) -> Budget:
        now = self.clock.now()
        reset_at = self._current(now)
        allowed = self._used + cost <= self.budget
        if allowed:  # a refused request costs nothing
            self._used += cost
        return self._budget(allowed, now, reset_at)

    def peek(self) -> Budget:
        now = self.clock.now()
        return self._budget(True, now, self._current(now))

    def _budget(self, allowed: bool, now: datetime, reset_at: datetime) -> Budget:
        ms_left = max(1, math.ceil((reset_at - now).total_seconds() * 1000))
        return Budget(allowed, self.budget, self.budget - self._used, reset_at, ms_left)
