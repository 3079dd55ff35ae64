"""Keys that belong to the screen with focus, the palette that teaches them, per-host
copy, opening in the browser, the invitation, jumping to now, and each account view's
own cursor."""

from __future__ import annotations

import webbrowser
from pathlib import Path

import pytest
from tui_data import screen_text

from factories import make_meeting
from meettui.core.errors import ConfigError
from meettui.core.models import Link, Role
from meettui.tui.screens.choose import ChooseScreen
from meettui.tui.screens.confirm import ConfirmScreen
from meettui.tui.screens.help import HelpScreen
from meettui.tui.widgets.footer import KeyFooter

TWO_ACCOUNTS = ('builtin_jitsi = false\n[[accounts]]\nname = "team"\nprovider = "jitsi"\n'
                '[[accounts]]\nname = "desk"\nprovider = "jitsi"\n')


def with_hosts(i: int = 0):
    meeting = make_meeting(i, account="team", title="Advice with hosts")
    return meeting.model_copy(update={"links": [
        Link(role=Role.GUEST, url="https://app.eyeson.team/?guest=G", label="Guest link"),
        Link(role=Role.HOST, url="https://app.eyeson.team/permalink?ANN", label="Ann",
             sensitive=True),
        Link(role=Role.HOST, url="https://app.eyeson.team/permalink?BO", label="Bo Banker",
             sensitive=True),
    ]})


async def test_help_lists_every_working_key_of_the_list(make_app):
    app = make_app()
    async with app.run_test(size=(120, 50)) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        keys = dict(app.screen._keys)
        assert keys["Q / ⏎"] == "QR"
        assert keys["^r / f5"] == "Refresh"
        assert keys["↑ / k"] == "Up" and keys["↓ / j"] == "Down"
        assert "Detail pane" in keys["tab / shift+tab"]
        assert keys["."] == "Jump to now"
        assert keys["o"] == "Open link in browser"
        assert keys["I"] == "Copy as invitation"
        assert keys["i"] == "Details"


@pytest.mark.parametrize("size", [(20, 6), (30, 8)])
async def test_help_on_a_tiny_terminal_shows_keys(make_app, size):
    # At 20x6 the help box was empty: its border, padding, the title's gap and the
    # footer took every line, and no key showed.
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        lines = screen_text(app).splitlines()
        first_key = app.screen._keys[0]
        assert any(first_key[0] in line for line in lines[:size[1] - 1]), lines


async def test_question_mark_works_on_the_accounts_screen_and_in_modals(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("a", "question_mark")
        assert isinstance(app.screen, HelpScreen)
        assert {"Close", "Switch to it"} <= set(dict(app.screen._keys).values())
        await pilot.press("escape", "escape", "d", "question_mark")
        assert isinstance(app.screen, HelpScreen)
        assert {"Yes", "No"} <= set(dict(app.screen._keys).values())


async def test_a_form_shows_its_own_footer_keys(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("n")
        footer = app.screen.query_one(KeyFooter)
        assert footer.screen is app.screen
        text = screen_text(app)
        bottom = text.rstrip("\n").splitlines()[-1]
        assert "Save" in bottom and "Cancel" in bottom
        assert "Filter" not in bottom and "Accounts" not in bottom


async def test_palette_entries_show_their_keys_and_change_theme_is_found(make_app):
    from meettui.tui.commands import MeettuiCommands
    from meettui.tui.palette import Palette

    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        provider = MeettuiCommands(app.screen)
        hits = {hit.text: hit.help async for hit in provider.discover()}
        assert hits["Copy guest link"].startswith("key g · ")
        assert hits["Show full-screen QR"].startswith("key Q / ⏎ · ")
        assert hits["Jump to now"].startswith("key .")
        found = [str(hit.text) async for hit in provider.search("Change theme")]
        assert "Change theme" in found
        await pilot.press("ctrl+p", *"change theme", "enter")
        await pilot.pause()
        # Textual's theme picker, as meettui's Palette (its backdrop left faded).
        assert isinstance(app.screen, Palette)
        assert app.screen._placeholder == "Search for themes…"


async def test_read_only_footer_hides_write_keys(make_app):
    app = make_app()
    async with app.run_test(size=(160, 40)) as pilot:
        await pilot.pause()
        bottom = screen_text(app).rstrip("\n").splitlines()[-1]
        # (d is named as a Jitsi room is deleted: forgotten here.)
        assert "New" in bottom and "Forget" in bottom
        await pilot.press("L")
        await pilot.pause()
        bottom = screen_text(app).rstrip("\n").splitlines()[-1]
        assert "New" not in bottom and "Edit" not in bottom and "Forget" not in bottom


async def test_h_with_several_hosts_asks_whose_and_names_the_host(make_app):
    app = make_app([with_hosts()])
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("h")
        assert isinstance(app.screen, ChooseScreen)
        await pilot.press("down", "enter")
        assert isinstance(app.screen, ConfirmScreen)
        assert app.screen._title == "Copy the host link of Bo Banker for 'Advice with hosts'?"
        await pilot.press("y")
        assert app.clipboard == "https://app.eyeson.team/permalink?BO"
        assert app.messages[-1][1].startswith("Copied the host link of Bo Banker: ")
        assert "BO" not in app.messages[-1][1]  # masked


async def test_palette_has_one_copy_entry_per_host(make_app):
    from meettui.tui.commands import MeettuiCommands

    app = make_app([with_hosts()])
    async with app.run_test(size=(120, 40)):
        names = [str(hit.text) async for hit in MeettuiCommands(app.screen).discover()]
        assert "Copy host link: Ann" in names and "Copy host link: Bo Banker" in names


async def test_open_link_uses_the_browser_off_the_ui_thread(make_app, monkeypatch):
    import threading

    opened: list[tuple[str, bool]] = []

    class Browser(webbrowser.BackgroundBrowser):
        def open(self, url, new=0, autoraise=True):
            opened.append((url, threading.current_thread() is threading.main_thread()))
            return True

    monkeypatch.setattr(webbrowser, "get", lambda using=None: Browser("firefox"))
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("o")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert opened == [("https://x.whereby.com/r0", False)]
        assert app.messages[-1] == ("information",
                                    "Opened in the browser: https://x.whereby.com/r0")


@pytest.mark.parametrize("browser, words", [
    (None, "No web browser was found"),
    (webbrowser.GenericBrowser("lynx"), "text-mode lynx"),
])
async def test_open_link_without_a_usable_browser_says_so(make_app, monkeypatch, browser,
                                                          words):
    def get(using=None):
        if browser is None:
            raise webbrowser.Error("could not locate runnable browser")
        return browser

    monkeypatch.setattr(webbrowser, "get", get)
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("o")
        await app.workers.wait_for_complete()
        await pilot.pause()
        severity, text = app.messages[-1]
        assert severity == "warning" and words in text
        assert "https://x.whereby.com/r0" in text


async def test_copy_as_invitation_uses_the_default_template(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("I")
        assert app.clipboard == ("Customer call 000\n"
                                 "Tue 24 Nov 2026 09:00–10:00 UTC\n"
                                 "Join: https://x.whereby.com/r0")


async def test_copy_as_invitation_uses_the_configured_template(make_app):
    config = 'invitation = "Join {title} at {start} ({account}): {link}"\n' + TWO_ACCOUNTS
    meetings = [make_meeting(0, account="team", title="Call")]
    app = make_app(meetings, config=config)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("I")
        assert app.clipboard == ("Join Call at Tue 24 Nov 2026 09:00 UTC (team): "
                                 "https://x.whereby.com/r0")


def test_an_invitation_template_is_checked_when_the_config_loads():
    from meettui.core.config import parse_config

    with pytest.raises(ConfigError) as caught:
        parse_config('invitation = """\nHi {titel}\n"""\n', Path("c.toml"))
    assert "c.toml, line 1" in str(caught.value) and "{titel}" in str(caught.value)
    with pytest.raises(ConfigError, match="literal brace"):
        parse_config('invitation = "{title"\n', Path("c.toml"))
    # A format or conversion after a placeholder loaded, then failed at `I` ("Unknown
    # format code 'd' for object of type 'str'", naming neither file nor setting); a
    # width of half a billion built half a gigabyte.
    for written in ("{title:d}", "{title!r}", "{link:>500000000}"):
        with pytest.raises(ConfigError) as caught:
            parse_config(f'invitation = "Hi {written} {{link}}"\n', Path("c.toml"))
        name = written[1:].split("!")[0].split(":")[0]
        assert "c.toml, line 1" in str(caught.value)
        assert (f"{written} formats its placeholder; placeholders take no format (write "
                f"{{{name}}})") in str(caught.value), written


async def test_jump_to_now_goes_to_the_first_meeting_not_yet_ended(make_app):
    meetings = [make_meeting(i, account="team", title=f"Customer call {i:03d}")
                for i in range(40)]
    app = make_app(meetings)  # meeting i: 09:00+i for 30 min; now is 09:30
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("end", "full_stop")
        assert app.screen.selected.id == "m000001"


async def test_each_account_view_keeps_its_own_cursor(make_app):
    meetings = [make_meeting(i, account="team") for i in range(10)]
    meetings += [make_meeting(100 + i, account="desk") for i in range(10)]
    app = make_app(meetings, config=TWO_ACCOUNTS)
    async with app.run_test(size=(120, 40)) as pilot:
        app.set_scope("team")
        await pilot.pause()
        # A new view opens on now or next (m000000 ended at 09:30, now).
        assert app.screen.selected.id == "m000001"
        await pilot.press("down", "down", "down")
        assert app.screen.selected.id == "m000004"
        app.set_scope("desk")
        await pilot.pause()
        assert app.screen.selected.id == "m000100"  # next, and its first row
        await pilot.press("down")
        app.set_scope("team")
        await pilot.pause()
        assert app.screen.selected.id == "m000004"
        app.set_scope("desk")
        await pilot.pause()
        assert app.screen.selected.id == "m000101"


async def test_the_view_the_app_starts_in_keeps_its_cursor_too(make_app):
    # "All accounts", shown from the start, came back on its first row after the first
    # round trip to another view (later round trips kept it).
    meetings = [make_meeting(i, account="team") for i in range(10)]
    meetings += [make_meeting(100 + i, account="desk") for i in range(10)]
    app = make_app(meetings, config=TWO_ACCOUNTS)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert app.scope is None
        await pilot.press("down", "down", "down")
        chosen = app.screen.selected
        app.set_scope("desk")
        await pilot.pause()
        app.set_scope(None)
        await pilot.pause()
        assert app.screen.selected == chosen


async def test_keys_typed_ahead_on_the_accounts_screen_land_in_order(make_app):
    from test_forms_more import feed_terminal_bytes

    app = make_app(config=TWO_ACCOUNTS)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("a")
        await feed_terminal_bytes(app, "\x1b[B\x1b[B\r")  # ↓ ↓ Enter in one read
        for _ in range(5):
            await pilot.pause()
        assert app.scope == "desk"


async def test_jump_to_now_counts_a_live_meeting_without_an_end(make_app):
    from datetime import timedelta

    from tui_data import NOW

    from meettui.core.models import Status

    past = make_meeting(0, account="team", title="Over")
    live = make_meeting(1, account="team", title="Running").model_copy(update={
        "starts_at": NOW - timedelta(hours=1), "ends_at": None, "status": Status.LIVE})
    timeless = make_meeting(2, account="team", title="Any time").model_copy(update={
        "starts_at": None, "ends_at": None})
    app = make_app([past, timeless, live])
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("full_stop")
        assert app.screen.selected.title == "Running"


async def test_j_and_k_move_in_the_accounts_dialog_in_order(make_app):
    # j/k move everywhere else; here `a j j Enter` opened "All accounts" silently.
    from test_forms_more import feed_terminal_bytes

    app = make_app(config=TWO_ACCOUNTS)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("a")
        await feed_terminal_bytes(app, "jjjk\r")  # one read: down three, up one, Enter
        for _ in range(5):
            await pilot.pause()
        assert app.scope == "desk"


async def test_ctrl_z_gives_the_terminal_back_then_stops_the_whole_job(make_app, monkeypatch):
    """Under `uv run meettui` Ctrl+Z stopped this process alone: uv, its parent in the
    same process group, went on waiting, and the shell never came back. The terminal is
    given back first, then the group stops (SIGSTOP, which uv cannot pass on or miss);
    back from `fg`, the screen is laid out and painted whole."""
    import os
    import signal

    from meettui.tui import app_keys as app_module

    calls: list[object] = []
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        driver = app._driver
        monkeypatch.setattr(type(driver), "can_suspend", property(lambda _self: True))
        monkeypatch.setattr(driver, "suspend_application_mode",
                            lambda: calls.append("terminal given back"))
        monkeypatch.setattr(app_module.os, "killpg",
                            lambda group, sig: calls.append((group, sig)), raising=False)
        await pilot.press("ctrl+z")
        assert calls == ["terminal given back", (os.getpgrp(), signal.SIGSTOP)]

        laid_out: list[bool] = []
        monkeypatch.setattr(app, "refresh",
                            lambda **kw: laid_out.append(kw.get("layout", False)))
        app.app_resume_signal.publish(app)
        await pilot.pause()
        assert True in laid_out


async def test_an_account_view_opens_where_jump_to_now_puts_it(tmp_path):
    # The view the app starts in opened on now; every other opened on its first row
    # (59 days ago on Vonage), and `.` then went elsewhere again: it walked to the first
    # meeting not ended (a room live since the morning) rather than the list's home.
    from states import demo_app, settle

    from meettui.tui.screens.accounts import AccountsScreen

    app = demo_app(tmp_path, providers=("vonage", "24sessions", "accelevents", "eyeson"))
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        main = app.screen
        now = app.clock.now()
        for account in ("vonage-demo", "24sessions-demo", "accelevents-demo", "eyeson-demo",
                        None):
            await pilot.press("a")
            await pilot.pause()
            assert isinstance(app.screen, AccountsScreen)
            app.screen.dismiss(account or "__all__")
            await settle(pilot)
            opened = main.table.cursor
            assert opened > 0, account
            assert main.selected.effective_status(now) not in ("ended", "cancelled"), account
            await pilot.press("home", "full_stop")
            assert main.table.cursor == opened, account


async def test_palette_entries_say_what_they_do(make_app):
    # "Filter by title" (the filter searches ids, accounts, links and the provider's
    # data too) and "Jump to now: the first meeting not yet ended" (it goes where the
    # list opens: what began within the hour before an older room still running).
    from meettui.tui.commands import MeettuiCommands

    app = make_app()
    async with app.run_test(size=(120, 40)):
        hits = {str(hit.text): str(hit.help)
                async for hit in MeettuiCommands(app.screen).discover()}
        assert "Filter by title" not in hits
        assert hits["Filter meetings"].startswith("key / · words in the title, id, account")
        assert "begun at most an hour ago" in hits["Jump to now"]
