"""The palette names each command once, the QR view always says how to leave, and the
demo's header says what is simulated in each scope."""

from __future__ import annotations

from states import DEMO_NOW, demo_app, settle
from tui_data import screen_text

from factories import make_meeting
from meettui import demo
from meettui.core.cache import Cache
from meettui.core.clock import FixedClock
from meettui.core.config import load_config
from meettui.core.models import Link, Role
from meettui.core.service import MeetingService
from meettui.tui.app import MeettuiApp
from meettui.tui.screens.qr_screen import QRScreen


async def test_the_palette_lists_each_command_once(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        from meettui.tui.commands import MeettuiCommands

        mine = [str(hit.text) async for hit in MeettuiCommands(app.screen).discover()]
        textuals = [c.title for c in app.get_system_commands(app.screen)]
        # Was "Theme" (Textual's) and "Change theme" (meettui's), "Keys" and "Keys (help)".
        themes = [t for t in mine + textuals if "theme" in t.lower() and "Remember" not in t]
        assert themes == ["Change theme"]
        assert [t for t in mine + textuals if t.startswith("Keys")] == ["Keys (help)"]
        assert len(mine + textuals) == len(set(mine + textuals))
        # Textual's Screenshot wrote revealed host links to a file anyone could read;
        # Maximize hid the column titles and the footer with no way back shown. Quit
        # said "Quit the application as soon as possible" and no key: meettui's own
        # takes its place.
        assert textuals == []
        assert [t for t in mine if t == "Quit"] == ["Quit"]


async def test_the_qr_view_with_no_safe_link_says_how_to_close(make_app):
    host_only = make_meeting(0, account="team", title="Host only").model_copy(update={
        "links": [Link(role=Role.HOST, url="https://x.whereby.com/r0?roomKey=k",
                       sensitive=True)]})
    app = make_app([host_only])
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.push_screen(QRScreen(host_only))
        await pilot.pause()
        text = screen_text(app)
        assert "This meeting has no link that is safe to show a guest." in text
        assert "esc close" in text  # was missing: the screen has no footer
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, QRScreen)


async def test_the_demo_header_says_what_is_simulated_in_each_scope(tmp_path):
    app = demo_app(tmp_path)
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        # Was "(simulated data, but jitsi real; …)", which read as broken English.
        assert app.scope_label() == ("DEMO — All accounts (simulated data except jitsi; "
                                     "configure accounts in config.toml)")
        app.set_scope("jitsi")
        await settle(pilot)
        # Was "(simulated data; …)": the demo's Jitsi rooms are real ones.
        assert app.scope_label() == ("DEMO — jitsi (real, not simulated; configure "
                                     "accounts in config.toml)")
        assert "DEMO — jitsi (real, not simulated;" in screen_text(app)
        app.set_scope("whereby-demo")
        await settle(pilot)
        assert app.scope_label() == ("DEMO — whereby-demo (simulated data; configure "
                                     "accounts in config.toml)")


async def test_the_demo_header_names_the_config_file_meettui_looked_for(tmp_path):
    # MEETTUI_CONFIG naming a file that is not there (a typo) runs the demo; the header
    # said "config.toml" whatever the name, so nothing showed which file was missing.
    config = load_config(tmp_path / "meettui-wrok.toml")
    service = MeetingService(config, Cache(tmp_path / "c.sqlite3"), clock=FixedClock(DEMO_NOW))
    demo.install(service, ("whereby",))
    app = MeettuiApp(service, clock=FixedClock(DEMO_NOW), show_toasts=False)
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        assert app.scope_label().endswith("configure accounts in meettui-wrok.toml)")
        assert "meettui-wrok.toml" in screen_text(app)
