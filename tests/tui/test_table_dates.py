"""The list's dates: a date in another year says its year, so it cannot pass for this
year's (the app's clock is 24 Nov 2026, UTC)."""

from datetime import UTC, datetime

from factories import make_meeting


def row_text(app, row: int) -> str:
    return "".join(segment.text for segment in app.screen.table.render_line(row))


async def test_another_year_shows_its_year_this_year_its_weekday(make_app):
    far = make_meeting(0, account="team", title="Far future").model_copy(update={
        "starts_at": datetime(2300, 9, 13, 18, 39, tzinfo=UTC),
        "ends_at": datetime(2300, 9, 14, 19, 9, tzinfo=UTC),
    })
    soon = make_meeting(1, account="team", title="Soon")  # 24 Nov 2026 09:01–09:31
    app = make_app([far, soon])
    async with app.run_test(size=(160, 30)) as pilot:
        await pilot.pause()
        soon_row, far_row = row_text(app, 0), row_text(app, 1)
        assert "Soon" in soon_row and "Tue 24 Nov 09:01" in soon_row
        assert "Far future" in far_row
        assert "2300-09-13 18:39" in far_row
        assert "14 Sep 2300" in far_row
        assert "Thu 13 Sep" not in far_row
