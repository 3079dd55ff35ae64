"""The list renders a row once per look it has (PgDn renders the new page, nothing more),
builds it without measuring its text again, and keeps the styles it computed until the
styles change."""

from __future__ import annotations

from datetime import timedelta

from rich.cells import cell_len
from rich.style import Style
from tui_data import NOW

from factories import make_meeting
from meettui.core.models import Status
from meettui.tui.widgets.meeting_table import MeetingTable


def _rows(count: int) -> list:
    """Rows of every status, some missing, some with expiring links and hostile titles."""
    statuses = list(Status)
    rows = []
    for i in range(count):
        extra = {}
        if i % 5 == 0:
            extra["expires_at"] = NOW + timedelta(hours=i - 40)
        title = ["", "wide 会議 title", "\u202eflip", None][i % 4]
        meeting = make_meeting(i, account="team", title=title, **extra)
        meeting.status = statuses[i % len(statuses)]
        meeting.starts_at = NOW + timedelta(minutes=37 * (i - 60))
        meeting.ends_at = meeting.starts_at + timedelta(minutes=30 + 700 * (i % 3))
        rows.append(meeting)
    return rows


async def test_a_page_down_renders_each_new_row_once(make_app, monkeypatch):
    app = make_app(_rows(300))
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        table = app.screen.table
        rendered: list[int] = []
        original = MeetingTable._render_meeting

        def counting(self, meeting, row, width, base):
            rendered.append(row)
            return original(self, meeting, row, width, base)

        monkeypatch.setattr(MeetingTable, "_render_meeting", counting)
        for _ in range(3):
            top = int(table.scroll_y)
            before = set(range(top, top + table.size.height))
            rendered.clear()
            await pilot.press("pagedown")
            await pilot.pause()
            top = int(table.scroll_y)
            shown = set(range(top, top + table.size.height))
            # The rows that came into view, once each, and the old cursor row (restyled).
            assert sorted(rendered) == sorted(set(rendered))
            assert shown - before <= set(rendered) <= (shown - before) | before
            assert len(rendered) <= len(shown - before) + 1


async def test_a_row_is_as_long_as_its_text_at_any_width(make_app):
    rows = _rows(40)
    app = make_app(rows)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        table = app.screen.table
        for width in (0, 1, 9, 20, 33, 47, 70, 80, 101, 150, 230):
            for account in (True, False):
                table.show_account = account
                for row, meeting in enumerate(rows):
                    meeting.missing = row % 7 == 0
                    strip = table._render_meeting(meeting, row, width, Style())
                    # The length the row declares is the one its text measures.
                    assert strip.cell_length == cell_len(strip.text) == width, (width, row)


async def test_row_styles_are_kept_until_the_styles_change(make_app, monkeypatch):
    app = make_app(_rows(300))
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        table = app.screen.table
        asked: list[str] = []
        original = MeetingTable.get_component_rich_style

        def counting(self, *names, partial=False):
            asked.extend(names)
            return original(self, *names, partial=partial)

        monkeypatch.setattr(MeetingTable, "get_component_rich_style", counting)
        await pilot.press("pagedown", "pagedown")
        await pilot.pause()
        await pilot.press("pagedown")
        await pilot.pause()
        # Every kind of row was seen on the first pages: the third one asks for nothing.
        asked.clear()
        await pilot.press("pagedown")
        await pilot.pause()
        assert asked == []
        cursor = table.render_line(table.cursor - int(table.scroll_y))
        app.theme = "textual-light"
        await pilot.pause()
        assert asked  # the new theme's styles were computed
        relit = table.render_line(table.cursor - int(table.scroll_y))
        assert relit.text == cursor.text
        assert [s.style for s in relit] != [s.style for s in cursor]
