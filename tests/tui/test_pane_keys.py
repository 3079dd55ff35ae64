"""The detail pane, the full-screen detail and the QR view name the keys in effect after
a [keymap], and a tip only where its key does something: the pane said "(g copy, r
reveal)" and "press n to create one" with `c`, `R` and `N` bound in their place, and "n
to create" on a read-only account, where `n` is hidden."""

from __future__ import annotations

from tui_data import BASE_CONFIG, default_meetings

from factories import make_meeting
from meettui.tui.widgets.detail import DetailPane
from meettui.tui.widgets.facts import GLUE

KEYMAP = BASE_CONFIG + """
[keymap]
"copy.guest" = "c"
"copy.host" = "x"
"detail.reveal" = "R"
"meeting.new" = "N"
"qr.close" = "z"
"""


def links_text(screen) -> str:
    # (Glued runs read as written: `facts.glued`.)
    return str(screen.query_one(DetailPane).query_one("#detail-links").content).replace(
        GLUE, " ")


def facts_text(screen) -> str:
    return str(screen.query_one(DetailPane).query_one("#detail-facts").content)


async def test_the_pane_and_the_detail_name_the_keys_in_effect(make_app):
    app = make_app([make_meeting(i, account="team") for i in range(3)], config=KEYMAP)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        main = app.screen
        await main.query_one(DetailPane).settled()
        text = links_text(main)
        assert "guest  (c copy)" in text and "host  (x copy, R reveal)" in text, text
        assert "g copy" not in text and "r reveal" not in text
        await pilot.press("R")
        await pilot.pause()
        assert "host  (x copy, R hide)" in links_text(main)
        # The full-screen detail binds the same ids: the same keys.
        await pilot.press("i")
        await pilot.pause()
        text = links_text(app.screen)
        assert "guest  (c copy)" in text and "host  (x copy, R hide)" in text, text
        await pilot.press("escape")
        await pilot.pause()
        # No meeting: the key that creates one, as bound now; none where it is hidden.
        await pilot.press("slash", *"zzzqqq")
        await pilot.pause()
        await pilot.pause()
        assert main.selected is None
        await main.query_one(DetailPane).settled()
        assert facts_text(main) == "Pick a meeting in the list, or press N to create one."
        main.service.set_read_only("team", True)
        main.show_detail(None)
        assert facts_text(main) == "Pick a meeting in the list."


async def test_the_qr_view_names_its_keys_in_effect(make_app):
    app = make_app(default_meetings(2), config=KEYMAP)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("Q")
        await pilot.pause()
        caption = str(app.screen.query_one("#qr-caption").render())
        assert caption.endswith("guest link  ·  z close"), caption
        await pilot.press("z")
        await pilot.pause()
        assert type(app.screen).__name__ == "MainScreen"
