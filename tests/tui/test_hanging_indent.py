"""Wrapped lines keep their indent: in the detail pane, a long notice's continuation
lines under its text (they ran on at the left edge, into the next notice), and a long
line of an action's join data (JSON) at its own indent, not at the edge; in the
accounts dialog, an account's message under its text, not at the entry's edge."""

from __future__ import annotations

from rich.text import Text
from tui_data import BASE_CONFIG, NOW, default_meetings, screen_text

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


VONAGE = BASE_CONFIG + """
[[accounts]]
name = "old-rooms"
provider = "vonage"
secret_env = "NO_SUCH_VONAGE_KEY"
[accounts.settings]
application_id = "app-1"
"""


async def test_an_account_s_message_wraps_under_its_text_in_the_accounts_dialog(make_app):
    # The message under an account's two lines (why it fails, a deprecation) wrapped to
    # the entry's left edge, where its lines read as another account's.
    app = make_app([], config=VONAGE)
    async with app.run_test(size=(70, 40)) as pilot:
        await pilot.pause()
        await pilot.press("a")
        await pilot.pause()
        await pilot.pause()
        message = app.service.account_info("old-rooms").message
        assert message and len(message) > 200
        # The entries, right of the list's edge ("▊ "), up to its right one.
        entries = [line.split("▊ ", 1)[1].rsplit("▎", 1)[0].rstrip()
                   for line in screen_text(app).splitlines() if "▊ " in line]
        start = next(i for i, line in enumerate(entries) if line.startswith("old-rooms"))
        lines = entries[start + 2:]
        lines = lines[:next((i for i, line in enumerate(lines) if not line.strip()),
                            len(lines))]
        assert len(lines) > 3, entries
        assert all(line.startswith("    ") and line[4] != " " for line in lines), lines
        # Every word of it there, none cut.
        assert " ".join(line.strip() for line in lines) == " ".join(message.split())
