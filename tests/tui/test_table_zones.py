"""The list's Date column names one zone in its header; a row whose start is in the
zone's other time (summer time under a winter header) says its own zone in its cell.
"Date (CET)" stood above a 03:30 that was CEST, an hour off as read."""

import time
from datetime import UTC, datetime

import pytest

from factories import make_meeting


def _zone(monkeypatch, name: str) -> None:
    monkeypatch.setenv("TZ", name)
    time.tzset()  # the conftest sets it back to UTC after the test


def _rows(app) -> list[str]:
    table = app.screen.table
    return ["".join(segment.text for segment in table.render_line(row))
            for row in range(table.row_count)]


def _header(app) -> str:
    return app.screen.table.header_text(app.screen.table.scrollable_content_region.width)


@pytest.mark.parametrize(("zone", "winter", "summer", "summer_utc", "shown"), [
    # 2027-03-28 01:30 UTC is 03:30 CEST, the first hour of summer time in Berlin.
    ("Europe/Berlin", "CET", "CEST", datetime(2027, 3, 28, 1, 30, tzinfo=UTC),
     "2027-03-28 03:30 CEST"),
    ("America/St_Johns", "NST", "NDT", datetime(2026, 7, 1, 12, 0, tzinfo=UTC),
     "Wed 01 Jul 09:30 NDT"),
])
@pytest.mark.parametrize("size", [(80, 24), (160, 30)])
async def test_a_row_in_the_zone_s_other_time_says_its_zone(make_app, monkeypatch, zone,
                                                            winter, summer, summer_utc,
                                                            shown, size):
    _zone(monkeypatch, zone)
    other = make_meeting(0, account="team", title="In summer time").model_copy(
        update={"starts_at": summer_utc, "ends_at": summer_utc.replace(hour=summer_utc.hour + 1)})
    same = make_meeting(1, account="team", title="In winter time")  # the clock's day
    app = make_app([other, same])
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        assert f"Date ({winter})" in _header(app)  # the zone as of the app's clock
        rows = {row.split("  ")[0].strip(): row for row in _rows(app)}
        assert shown in rows["In summer time"]
        winter_row = rows["In winter time"]
        assert "Tue 24 Nov" in winter_row
        assert winter not in winter_row and summer not in winter_row


async def test_a_zone_with_one_name_keeps_the_date_column_as_it_was(make_app, monkeypatch):
    # UTC (and any zone without summer time): no room kept for a second name.
    app = make_app([make_meeting(0, account="team", title="Plain")])
    async with app.run_test(size=(160, 30)) as pilot:
        await pilot.pause()
        assert "Date (UTC)" in _header(app)
        row = _rows(app)[0]
        assert "Tue 24 Nov 09:00 " in row and "UTC" not in row


@pytest.mark.parametrize(("start_utc", "end_utc", "date", "end"), [
    # 01:30 CET to 03:30 CEST: one hour across the clock change, the end says its zone
    # (the start is in the header's).
    (datetime(2027, 3, 28, 0, 30, tzinfo=UTC), datetime(2027, 3, 28, 1, 30, tzinfo=UTC),
     "2027-03-28 01:30 ", "03:30 CEST"),
    # This year, the end on another day than the start: "29 Mar 03:30 CEST".
    (datetime(2026, 3, 28, 22, 0, tzinfo=UTC), datetime(2026, 3, 29, 1, 30, tzinfo=UTC),
     "Sat 28 Mar 23:00 ", "29 Mar 03:30 CEST"),
])
async def test_an_end_in_the_zone_s_other_time_says_its_zone(make_app, monkeypatch,
                                                             start_utc, end_utc, date, end):
    _zone(monkeypatch, "Europe/Berlin")
    across = make_meeting(0, account="team", title="Across the change").model_copy(
        update={"starts_at": start_utc, "ends_at": end_utc})
    same = make_meeting(1, account="team", title="In winter time")
    app = make_app([across, same])
    async with app.run_test(size=(200, 30)) as pilot:
        await pilot.pause()
        header = _header(app)
        assert "Date (CET)" in header and "End" in header
        rows = {row.split("  ")[0].strip(): row for row in _rows(app)}
        assert date in rows["Across the change"]
        assert f" {end} " in rows["Across the change"]
        assert "CEST" not in rows["In winter time"] and "CET" not in rows["In winter time"]


def test_the_cells_follow_a_change_of_zone_at_the_same_clock_reading(monkeypatch):
    # The header's zone and year are worked out once per clock reading, not per row:
    # a zone changed under the same reading (TZ set, `time.tzset`) is still seen.
    from meettui.tui.widgets.meeting_rows import DATE, _cell

    now = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
    summer = make_meeting(0, title="x").model_copy(
        update={"starts_at": datetime(2026, 7, 1, 12, 0, tzinfo=UTC), "ends_at": None})
    _zone(monkeypatch, "Europe/Berlin")
    assert _cell(DATE, summer, now) == "Wed 01 Jul 14:00 CEST"
    _zone(monkeypatch, "America/St_Johns")
    assert _cell(DATE, summer, now) == "Wed 01 Jul 09:30 NDT"
    _zone(monkeypatch, "UTC")
    assert _cell(DATE, summer, now) == "Wed 01 Jul 12:00"
