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



def facts_lines(app) -> list[str]:
    facts = app.screen.query_one("#detail-facts")
    return ["".join(segment.text for segment in facts.render_line(y)).rstrip()
            for y in range(facts.size.height)]


async def test_the_detail_pane_gives_a_year_only_when_it_is_not_this_one(make_app):
    # "Tue 24 Nov 2026 09:01 UTC" took more than the pane's value column at 100
    # columns: its zone wrapped onto a line of its own. This year's dates read as the
    # list's do; another year's keep their year.
    far = make_meeting(0, account="team", title="Far future").model_copy(update={
        "starts_at": datetime(2300, 9, 13, 18, 39, tzinfo=UTC),
        "ends_at": datetime(2300, 9, 14, 19, 9, tzinfo=UTC),
    })
    soon = make_meeting(1, account="team", title="Soon")
    app = make_app([far, soon])
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await app.screen.query_one("DetailPane").settled()
        lines = facts_lines(app)
        assert any(line.startswith("Starts") and line.endswith("Tue 24 Nov 09:01 UTC")
                   for line in lines), lines
        assert any(line.startswith("Ends") and line.endswith("Tue 24 Nov 09:31 UTC")
                   for line in lines), lines
        await pilot.press("down")
        await pilot.pause()
        await app.screen.query_one("DetailPane").settled()
        text = " ".join(" ".join(facts_lines(app)).split())
        assert "Thu 13 Sep 2300 18:39 UTC" in text and "Fri 14 Sep 2300 19:09 UTC" in text
