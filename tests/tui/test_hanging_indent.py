"""The detail pane's wrapped lines keep their indent: a long notice's continuation
lines under its text (they ran on at the left edge, into the next notice), and a long
line of an action's join data (JSON) at its own indent, not at the edge."""

from __future__ import annotations

from rich.text import Text
from tui_data import NOW, default_meetings, screen_text

from meettui.core.models import SessionData
from meettui.tui.widgets.detail import DetailPane

NOTICE = ("This service was switched off on 30 June 2025 (no new applications since 31 "
          "August 2024). meettui keeps this client for old integrations and recorded data.")


def test_continuation_lines_keep_the_indent():
    from meettui.tui.widgets.hanging import Hanging

    text = Text(f"• {NOTICE}\n{{\n  \"MediaPlacement\": {{\n    \"AudioHostUrl\": "
                "\"https://abcdefabcdef.k.m3.ue1.app.chime.aws:3478/0123456789\"\n  }\n}")
    lines = [line.plain for line in Hanging(text).lines(30)]
    notice = lines[:lines.index("{")]
    assert notice[0].startswith("• ") and len(notice) > 2
    assert all(line.startswith("  ") and line[2] != " " for line in notice[1:]), notice
    url = lines[lines.index("  \"MediaPlacement\": {") + 1:-2]
    assert len(url) > 1 and all(line.startswith("    ") for line in url), url


async def test_the_pane_s_notes_and_join_data_keep_their_indent(make_app):
    app = make_app(default_meetings(2))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        main = app.screen
        meeting = main.selected
        session = SessionData(label="Join data (Chime)", data={"Meeting": {
            "MediaPlacement": {"AudioHostUrl": "https://abcdefabcdef.k.m3.ue1.app.chime.aws"
                               ":3478/0123456789abcdef0123456789abcdef"}}})
        main.session_data[meeting.key] = session
        pane = main.query_one(DetailPane)
        pane.show(meeting, NOW, notes=(NOTICE, "A second note."), session=session)
        await pilot.pause()
        # The pane as the terminal shows it: right of its edge.
        await pane.settled()
        pane.scroll_end(animate=False, immediate=True)
        await pilot.pause()
        shown = [line.split("▏", 1)[1][1:] for line in screen_text(app).splitlines()
                 if "▏" in line]
        first = next(i for i, line in enumerate(shown) if line.startswith("• This service"))
        second = next(i for i, line in enumerate(shown) if line.startswith("• A second"))
        assert second - first > 1
        assert all(line.startswith("  ") for line in shown[first + 1:second]), shown
        pane.scroll_home(animate=False, immediate=True)
        await pilot.pause()
        shown = [line.split("▏", 1)[1][1:] for line in screen_text(app).splitlines()
                 if "▏" in line]
        deep = next(i for i, line in enumerate(shown) if '"AudioHostUrl"' in line)
        assert shown[deep].startswith("      \"AudioHostUrl\"")
        assert shown[deep + 1].startswith("      "), shown[deep:deep + 3]
