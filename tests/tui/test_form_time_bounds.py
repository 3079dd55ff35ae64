"""The app's form meets the same time rule as the command line and the agent
(`service_checks.check_times`): an end twenty years out was taken (measured from the
start), and so was a start in the year 1."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from textual.widgets import Static
from tui_data import NOW

from meettui.tui.screens.form import MeetingFormScreen


def error_text(screen, field: str) -> str:
    return str(screen.query_one(f"#error-{field}", Static).render())


async def fill_and_save(app, pilot, start: str, end: str) -> MeetingFormScreen:
    await pilot.press("n")
    form = app.screen
    assert isinstance(form, MeetingFormScreen)
    await pilot.press(*"Typo")
    form.query_one("#field-starts_at").value = start
    form.query_one("#field-ends_at").value = end
    await pilot.press("ctrl+s")
    await app.workers.wait_for_complete()
    await pilot.pause()
    return form


async def test_an_end_more_than_ten_years_from_now_is_refused_at_its_field(make_app):
    app = make_app()
    now = datetime.now(UTC)
    start = (now + timedelta(days=3640)).strftime("%Y-%m-%d %H:%M")
    end = (now + timedelta(days=7300)).strftime("%Y-%m-%d %H:%M")
    async with app.run_test(size=(120, 40)) as pilot:
        form = await fill_and_save(app, pilot, start, end)
        assert app.screen is form
        assert error_text(form, "ends_at") == (f"'{end}' is more than 10 years from now; "
                                               "check the year")


async def test_a_start_in_the_year_one_is_refused_at_its_field(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        main = app.screen
        rows = main.table.row_count
        form = await fill_and_save(app, pilot, "0001-01-01 00:00", "+1h")
        assert app.screen is form
        assert error_text(form, "starts_at").startswith(
            "The start (0001-01-01 00:00 UTC) is more than a year ago: meettui takes no "
            "start more than a year back, almost surely a typo in the year.")
        assert main.table.row_count == rows  # nothing made


async def test_an_end_that_has_passed_is_refused_at_its_field(make_app):
    app = make_app()
    now = NOW  # the app's fixed clock
    start = (now - timedelta(hours=3)).strftime("%Y-%m-%d %H:%M")
    end = (now - timedelta(hours=2)).strftime("%Y-%m-%d %H:%M")
    async with app.run_test(size=(120, 40)) as pilot:
        main = app.screen
        rows = main.table.row_count
        form = await fill_and_save(app, pilot, start, end)
        assert app.screen is form
        assert error_text(form, "ends_at").startswith(
            f"The end ({end} UTC) is 2 hours ago: the meeting would be over before it "
            "was made.")
        assert main.table.row_count == rows  # nothing made
