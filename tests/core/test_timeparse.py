"""`parse_when`: what people type, read in the real local zone, clock changes included."""

import os
import time
from datetime import UTC, datetime, timedelta

import pytest

from meettui.core.timeparse import is_relative, local_zone, parse_when


@pytest.fixture
def local_tz(monkeypatch):
    """Set the process's zone (TZ and the C library's view of it) for one test."""

    def set_zone(name: str | None) -> None:
        if name is None:
            monkeypatch.delenv("TZ", raising=False)
        else:
            monkeypatch.setenv("TZ", name)
        time.tzset()

    yield set_zone
    monkeypatch.undo()
    time.tzset()


def test_a_time_the_clock_skips_is_refused_with_the_nearest_valid_times(local_tz):
    local_tz("Europe/Berlin")
    with pytest.raises(ValueError) as caught:
        parse_when("2026-03-29T02:30")
    message = str(caught.value)
    assert "Europe/Berlin" in message
    assert "2026-03-29 02:30 does not exist" in message
    assert "use 01:59 or 03:00" in message


def test_the_edges_of_the_gap(local_tz):
    local_tz("Europe/Berlin")
    assert parse_when("2026-03-29T01:59").astimezone(UTC) == datetime(2026, 3, 29, 0, 59,
                                                                      tzinfo=UTC)
    with pytest.raises(ValueError):
        parse_when("2026-03-29T02:00")
    assert parse_when("2026-03-29T03:00").astimezone(UTC) == datetime(2026, 3, 29, 1, 0,
                                                                      tzinfo=UTC)


def test_new_york_spring_forward(local_tz):
    local_tz("America/New_York")
    with pytest.raises(ValueError, match="America/New_York.*use 01:59 or 03:00"):
        parse_when("2026-03-08 02:30")


def test_a_time_the_clock_repeats_means_its_first_occurrence(local_tz):
    local_tz("Europe/Berlin")
    # 02:30 happens twice on 25 Oct 2026: first at +02:00 (CEST), then at +01:00 (CET).
    moment = parse_when("2026-10-25T02:30")
    assert moment.utcoffset() == timedelta(hours=2)
    assert moment.astimezone(UTC) == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)


def test_an_explicit_offset_is_taken_as_given_even_in_a_gap(local_tz):
    local_tz("Europe/Berlin")
    moment = parse_when("2026-10-25T02:30+01:00")
    assert moment.astimezone(UTC) == datetime(2026, 10, 25, 1, 30, tzinfo=UTC)


def test_the_result_has_a_fixed_offset_so_durations_count_real_time(local_tz):
    local_tz("Europe/Berlin")
    start = parse_when("2026-03-29T01:30")
    # One real hour later is 03:30 on the wall clock (02:30 does not exist that night).
    end = parse_when("+1h", now=start)
    assert end - start == timedelta(hours=1)
    assert end.astimezone(UTC) == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)


def test_summer_and_winter_offsets_come_from_the_zone(local_tz):
    local_tz("Europe/Berlin")
    assert parse_when("2026-07-01 10:00").utcoffset() == timedelta(hours=2)
    assert parse_when("2026-01-15 10:00").utcoffset() == timedelta(hours=1)


@pytest.mark.parametrize("tz", [":Europe/Berlin", "/usr/share/zoneinfo/Europe/Berlin"])
def test_tz_spellings(local_tz, tz):
    if tz.startswith("/") and not os.path.exists(tz):
        pytest.skip("no zone database files here")
    local_tz(tz)
    zone = local_zone()
    assert zone is not None and getattr(zone, "key", None) == "Europe/Berlin"
    with pytest.raises(ValueError, match="Europe/Berlin"):
        parse_when("2026-03-29T02:30")


def test_without_tz_the_zone_comes_from_etc_localtime(local_tz):
    if not os.path.exists("/etc/localtime"):
        pytest.skip("no /etc/localtime here")
    local_tz(None)
    assert local_zone() is not None


def test_a_posix_rule_the_database_lacks_still_refuses_a_skipped_time(local_tz):
    local_tz("CET-1CEST,M3.5.0,M10.5.0/3")
    assert local_zone() is None  # the C library's rules are the fallback
    with pytest.raises(ValueError, match="does not exist"):
        parse_when("2026-03-29T02:30")
    assert parse_when("2026-07-01 10:00").utcoffset() == timedelta(hours=2)


NOW = datetime(2026, 11, 29, 18, 0, tzinfo=UTC)


def test_relative_times():
    assert parse_when("+30m", now=NOW) == NOW + timedelta(minutes=30)
    assert parse_when("+2h", now=NOW) == NOW + timedelta(hours=2)
    assert parse_when("+1d", now=NOW) == NOW + timedelta(days=1)
    assert is_relative("+30m") and is_relative(" +1d ")
    assert not is_relative("2026-12-01 10:00") and not is_relative(None)


@pytest.mark.parametrize("zone", ["Europe/Berlin", "CET-1CEST,M3.5.0,M10.5.0/3"])
def test_days_keep_the_local_wall_time_across_a_clock_change(local_tz, zone):
    # `+1d` was 24 real hours: at 10:00 on 27 March 2027 in Berlin it landed on 11:00
    # the next day, past the spring change. Days are calendar days; hours stay real.
    local_tz(zone)
    spring = parse_when("2027-03-27T10:00")
    day = parse_when("+1d", now=spring)
    assert day - spring == timedelta(hours=23)
    assert day.astimezone().strftime("%Y-%m-%d %H:%M") == "2027-03-28 10:00"
    assert parse_when("+24h", now=spring) - spring == timedelta(hours=24)
    # Autumn: a day is 25 hours; a week of days keeps 10:00 too.
    autumn = parse_when("2027-10-30T10:00")
    assert parse_when("+1d", now=autumn) - autumn == timedelta(hours=25)
    assert parse_when("+7d", now=autumn).astimezone().strftime("%H:%M") == "10:00"
    # Counted from a start given in UTC (an end from the start, an agent's clock).
    assert parse_when("+1d", now=spring.astimezone(UTC)).astimezone().strftime(
        "%Y-%m-%d %H:%M") == "2027-03-28 10:00"
    # A wall time the next day skips is moved on by the skip, never refused.
    skipped = parse_when("+1d", now=parse_when("2027-03-27T02:30"))
    assert skipped.astimezone().strftime("%Y-%m-%d %H:%M") == "2027-03-28 03:30"


def test_negative_relative_times_are_refused_clearly():
    with pytest.raises(ValueError, match=r"counts backwards.*\+30m"):
        parse_when("-30m", now=NOW)


@pytest.mark.parametrize("text", ["+99999d", "+999999999999999999d", "+99999999999h",
                                  "2300-09-13T18:39", "9999-12-31T23:59"])
def test_times_decades_away_are_refused_not_overflowed(local_tz, text):
    local_tz("Europe/Berlin")
    with pytest.raises(ValueError, match="10 years|out of range"):
        parse_when(text, now=NOW)


def test_the_first_years_are_out_of_range_not_a_crash(local_tz):
    local_tz("Europe/Berlin")
    with pytest.raises(ValueError, match="out of range"):
        parse_when("0001-01-01T00:30", now=NOW)


def test_unreadable_text_says_what_to_type():
    with pytest.raises(ValueError, match="cannot read the time '2026-13-45 25:00'"):
        parse_when("2026-13-45 25:00", now=NOW)


@pytest.mark.parametrize(("now", "example"), [
    (NOW, "2026-11-30 14:30"),  # 19:00 in Berlin: the next day
    # 00:30 on 30 Nov in Berlin while still the 29th in UTC: the day after the local one.
    (datetime(2026, 11, 29, 23, 30, tzinfo=UTC), "2026-12-01 14:30"),
    (datetime(2027, 12, 31, 12, 0, tzinfo=UTC), "2028-01-01 14:30"),
])
def test_the_example_of_an_unreadable_time_is_the_next_day_of_the_clock(local_tz, now,
                                                                        example):
    # It was a fixed "2026-12-01 14:30", refused as in the past once that day had gone.
    local_tz("Europe/Berlin")
    with pytest.raises(ValueError) as caught:
        parse_when("tomorrow 3pm", now=now)
    assert str(caught.value) == (f"cannot read the time 'tomorrow 3pm'; use ISO 8601 like "
                                 f"{example} or a relative time like +2h")
    assert parse_when(example, now=now) > now  # typed as shown, it is ahead


def test_the_example_of_an_end_counts_from_the_start(local_tz):
    local_tz("UTC")
    start = datetime(2027, 3, 10, 9, 0, tzinfo=UTC)
    with pytest.raises(ValueError, match="like 2027-03-11 14:30 or"):
        parse_when("after lunch", now=start)
