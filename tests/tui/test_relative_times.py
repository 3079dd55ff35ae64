"""How far off a time is, as the list (START), the detail pane and the command line say
it: counted from the nearest minute, so that a time seconds short of a whole unit shows
that unit. A meeting made to start in a day listed "in 23h", an expiry 14 days ahead
showed "(in 13d)" and one 7 days ahead "(in 6d 23h)", a few seconds after the save."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from factories import make_meeting
from meettui.core.display import countdown, since, whole_minutes
from meettui.tui.widgets.meeting_rows import relative_start

NOW = datetime(2026, 12, 2, 18, 0, tzinfo=UTC)
DAY = timedelta(days=1)
SECOND = timedelta(seconds=1)


@pytest.mark.parametrize(("ahead", "said"), [
    (DAY - 3 * SECOND, "in 1d"),
    (14 * DAY - 2 * SECOND, "in 14d"),
    (7 * DAY - SECOND, "in 7d"),
    (timedelta(hours=2) - 5 * SECOND, "in 2h"),
    (timedelta(hours=23, minutes=30), "in 23h"),  # half an hour short is not a day
    (timedelta(minutes=1, seconds=29), "in 1m"),
    (timedelta(minutes=1, seconds=30), "in 2m"),
])
def test_the_list_says_a_start_from_the_nearest_minute(ahead, said):
    meeting = make_meeting(1).model_copy(update={"starts_at": NOW + ahead})
    assert relative_start(meeting, NOW) == said


@pytest.mark.parametrize(("ago", "said"), [
    (DAY - 3 * SECOND, "1d ago"),
    (timedelta(minutes=5, seconds=50), "6m ago"),
])
def test_a_past_start_too(ago, said):
    meeting = make_meeting(1).model_copy(update={"starts_at": NOW - ago})
    assert relative_start(meeting, NOW) == said


@pytest.mark.parametrize(("ahead", "said"), [
    (DAY - 3 * SECOND, "in 1d"),
    (14 * DAY - 2 * SECOND, "in 14d"),
    (7 * DAY - SECOND, "in 7d"),  # as +14d: days alone, not "6d 23h"
    (7 * DAY + timedelta(hours=5), "in 7d 5h"),
    (timedelta(hours=2, minutes=59, seconds=59), "in 3h"),
    (timedelta(seconds=20), "in <1m"),
    (-(2 * DAY - SECOND), "2d ago"),
])
def test_a_countdown_is_said_from_the_nearest_minute(ahead, said):
    assert countdown(NOW + ahead, NOW) == said


def test_since_too():
    assert since(NOW - (timedelta(hours=1) - 2 * SECOND), NOW) == "1h ago"
    assert since(NOW - timedelta(seconds=50), NOW) == "just now"


def test_whole_minutes_rounds_half_a_minute_up():
    assert whole_minutes(timedelta(seconds=29)) == 0
    assert whole_minutes(timedelta(seconds=30)) == 1
    assert whole_minutes(DAY - SECOND) == 24 * 60
