"""The column titles are painted for the table's width in the first frame, and again
only when that width changes."""

from __future__ import annotations

from meettui.tui.widgets.table_header import TableHeader


async def test_the_titles_fit_the_table_and_repaint_only_when_its_width_changes(
    make_app, monkeypatch
):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        header = app.screen.query_one(TableHeader)
        table = app.screen.table
        width = table.scrollable_content_region.width
        text = str(header.render())
        assert text.startswith("Title") and len(text) <= width
        assert text == table.header_text(width)

        repaints: list[int] = []
        original = TableHeader.refresh

        def counting(self, *args, **kwargs):
            repaints.append(1)
            return original(self, *args, **kwargs)

        monkeypatch.setattr(TableHeader, "refresh", counting)
        header.refresh_if_stale()
        assert repaints == []  # same width: nothing to paint
        table.styles.scrollbar_size_vertical = 4  # the table narrows, the header does not
        await pilot.pause()
        assert table.scrollable_content_region.width != width
        header.refresh_if_stale()
        assert repaints == [1]
        assert str(header.render()) == table.header_text(table.scrollable_content_region.width)
