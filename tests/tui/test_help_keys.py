"""The help's own keys: its footer names the key that closes it as the other dialogs
do, and it lists only keys that do something at the terminal's size."""

from __future__ import annotations

from tui_data import BASE_CONFIG

from meettui.tui.screens.help import HelpScreen
from meettui.tui.widgets.footer import KeyFooter


def footer_line(app) -> str:
    return app.screen.query_one(KeyFooter).render_line(0).text


async def test_the_help_s_footer_names_esc_as_the_other_dialogs_do(make_app):
    # The help's footer said only "? Close", though Esc (as on every other dialog:
    # "esc Close" on the accounts) closes it too.
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("a")
        await pilot.pause()
        assert "esc Close" in footer_line(app)
        await pilot.press("escape")
        for opening in ("question_mark", "f1"):
            await pilot.press(opening)
            await pilot.pause()
            assert isinstance(app.screen, HelpScreen)
            line = footer_line(app)
            assert "esc Close" in line and "? Close" not in line, (opening, line)
            await pilot.press("escape")
            await pilot.pause()
            assert not isinstance(app.screen, HelpScreen)


async def test_the_help_s_close_key_follows_the_keymap(make_app):
    app = make_app(config=BASE_CONFIG + '[keymap]\n"help.close" = "ctrl+w"\n')
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        assert "^w Close" in footer_line(app)


async def test_below_100_columns_the_help_says_the_pane_keys_need_a_wider_terminal(make_app):
    # At 80x24 the help listed "tab / shift+tab  Detail pane ↔ list (PgUp/PgDn scroll
    # there)", but below 100 columns there is no pane: the details show full screen.
    narrow = "Detail pane ↔ list (from 100 columns on)"
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        for size, key, said in (((80, 24), "question_mark", narrow),
                                ((120, 40), "question_mark",
                                 "Detail pane ↔ list (PgUp/PgDn scroll there)"),
                                ((99, 30), "f1", narrow)):
            await pilot.resize_terminal(*size)
            await pilot.pause()
            await pilot.press(key)
            await pilot.pause()
            keys = dict(app.screen._keys)
            assert keys["tab / shift+tab"] == said, size
            assert keys["i"] == "Details"
            await pilot.press("escape")


async def test_the_help_follows_a_resize(make_app):
    # Opened at 120 columns and the terminal narrowed to 80 while it was open, the help
    # still said Tab moves to the detail pane, which shows from 100 columns on only.
    from meettui.tui.screens.main_actions import PANE_KEYS, PANE_KEYS_NARROW

    narrow = PANE_KEYS_NARROW.format(columns=100)
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        assert ("tab / shift+tab", PANE_KEYS) in [
            (keys.lower(), said) for keys, said in help_screen._keys]
        for size, said in (((80, 24), narrow), ((120, 36), PANE_KEYS)):
            await pilot.resize_terminal(*size)
            await pilot.pause()
            await pilot.pause()
            assert app.screen is help_screen
            pane = [text for _keys, text in help_screen._keys if "Detail pane" in text]
            assert pane == [said], size
            table = help_screen.query_one("#help-keys").content  # what it draws
            assert [text for _keys, text in table.keys if "Detail pane" in text] == [said]
