"""Every palette entry is meettui's, in its words, and shows its key where it has one
(README: "each entry shows its key"). "Quit" was Textual's: "Quit the application as
soon as possible", and no key."""

from __future__ import annotations

import pytest
from tui_data import default_meetings

from meettui.tui.commands import MeettuiCommands

TEXTUAL_WORDING = ("as soon as possible", "the application", "Change the current theme",
                   "focused widget", "SVG")


async def entries(app) -> dict[str, str]:
    """Every entry the palette lists on the screen on top (by its name), with its help
    line: meettui's and what is left of Textual's own."""
    from textual.system_commands import SystemCommandsProvider

    shown: dict[str, str] = {}
    for provider in (MeettuiCommands(app.screen), SystemCommandsProvider(app.screen)):
        async for hit in provider.discover():
            shown[str(hit.text)] = str(hit.help or "")
    return shown


@pytest.mark.parametrize("where", ["list", "details"])
async def test_every_palette_entry_is_worded_by_meettui_and_shows_its_key(make_app, where):
    app = make_app(default_meetings(3))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        if where == "details":
            await pilot.press("i")
            await pilot.pause()
        shown = await entries(app)
        # The detail's own `q` is Back: Ctrl+Q quits there.
        keys = "q / ^q" if where == "list" else "^q"
        assert shown["Quit"].startswith(f"key {keys} · "), shown["Quit"]
        for name, help_text in shown.items():
            assert not any(words in help_text for words in TEXTUAL_WORDING), (name, help_text)
        # Each entry that has a key here says it.
        provider = MeettuiCommands(app.screen)
        for name, _help, _callback, binding_id in provider._commands():
            if binding_id and provider._help("", binding_id):
                assert shown[name].startswith("key "), (name, shown[name])


async def test_the_palette_s_quit_quits(make_app):
    app = make_app(default_meetings(3))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p", *"quit", "enter")
        await pilot.pause()
        assert app._exit
