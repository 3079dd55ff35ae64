"""Dates for tests that create meetings with the real clock: always ahead of it, since a
create whose meeting is over is refused (`service_checks.check_not_over`). A fixed date
(2026-12-01, 2027-01-04) passed, and its test failed from that day on."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

NEXT_YEAR = datetime.now(UTC).year + 1
"""A year every date of is ahead of today."""


def autumn_change(year: int = NEXT_YEAR) -> date:
    """The day the EU's clocks go back in `year` (Berlin: 03:00 CEST → 02:00 CET, at
    01:00 UTC): the last Sunday of October (Directive 2000/84/EC)."""
    last = date(year, 10, 31)
    return last - timedelta(days=(last.weekday() - 6) % 7)
