"""Keys and palette entries where an account cannot do what they do: no `n New` where
no account in view makes meetings (the imported account showed it, and `n` said "No
account here can create meetings (read-only?)"), and what is pressed anyway says why in
the account's own terms."""

from __future__ import annotations

from tui_data import BASE_CONFIG, default_meetings

from meettui.tui.commands import MeettuiCommands
from meettui.tui.widgets.footer import KeyFooter

CONFIG = BASE_CONFIG + """
[[accounts]]
name = "imported"
provider = "imported"
"""


def described(screen) -> set[str]:
    return {hint.description for hint in screen.query_one(KeyFooter).hints}


async def palette(screen) -> set[str]:
    return {str(hit.text) async for hit in MeettuiCommands(screen).discover()}


async def test_no_new_key_where_no_account_in_view_creates(make_app):
    app = make_app(default_meetings(3), config=CONFIG)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        main = app.screen
        # Merged with an account that creates: offered.
        assert main.check_action("new", ()) is True and "New" in described(main)
        assert "New meeting" in await palette(main)
        app.set_scope("imported")
        await pilot.pause()
        await pilot.pause()
        assert main.check_action("new", ()) is False
        assert "New" not in described(main)
        assert "New meeting" not in await palette(main)
        assert "Paste a meeting link" in await palette(main)
        await pilot.press("n")
        await pilot.pause()
        assert app.screen is main
        assert app.messages[-1] == (
            "warning", "imported holds meeting links pasted in from other services; it "
                       "creates no meetings. To add one, press p (Paste a meeting link).")


async def test_a_read_only_account_says_so_with_what_to_do(make_app):
    app = make_app(default_meetings(3))
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        main = app.screen
        await pilot.press("L")
        await pilot.pause()
        assert main.check_action("new", ()) is False
        await pilot.press("n")
        await pilot.pause()
        assert app.messages[-1][1].startswith("Account 'team' is read-only.")
        assert app.messages[-1][1].endswith("To make it writable for this session, press L.")
