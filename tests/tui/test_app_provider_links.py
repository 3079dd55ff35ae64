"""The app never opens, copies or encodes a link the link rule refuses
(`core/link_check.py`): `o` on a meeting whose provider gave `javascript:alert(1)` said
"Opened in the browser: javascript:alert(1)" and ran the browser with it."""

from __future__ import annotations

import webbrowser

from factories import make_meeting
from meettui.core.models import Link, Role
from meettui.tui.browser import open_in_browser
from meettui.tui.screens.qr_screen import QRScreen

KEY = "tui-links-key-77aa"
WHY = ("the provider's host, guest and viewer links were left out: each is a javascript: "
       "link; meettui uses only http:// and https:// links (other schemes can run code, "
       "read files or open other apps)")


class Browser(webbrowser.BackgroundBrowser):
    opened: list[str] = []

    def open(self, url, new=0, autoraise=True):
        Browser.opened.append(url)
        return True


def browser(monkeypatch) -> list[str]:
    Browser.opened = []
    monkeypatch.setattr(webbrowser, "get", lambda using=None: Browser("firefox"))
    return Browser.opened


async def test_o_says_why_a_provider_link_is_not_opened(make_app, sim_server, sim_clock,
                                                        monkeypatch):
    server = sim_server("whereby", clock=sim_clock, meetings=1, api_key=KEY,
                        rate_limit=1_000_000)
    monkeypatch.setattr(server.sim, "room_url", lambda room: "javascript:alert(1)")
    monkeypatch.setenv("WB_TUI_LINKS", KEY)
    opened = browser(monkeypatch)
    config = ('builtin_jitsi = false\n[[accounts]]\nname = "wb"\nprovider = "whereby"\n'
              f'base_url = "{server.base_url}"\nsecret_env = "WB_TUI_LINKS"\n')
    app = make_app([], config=config)
    async with app.run_test(size=(160, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        [room] = server.sim.rooms
        assert app.screen.selected is not None and app.screen.selected.id == room
        # The fetch said what it left out, as it says what it could not read.
        # Not "(… apps))": the reason ends in brackets of its own.
        assert ("warning", f"wb: 1 meeting is listed without links meettui refused"
                f"; meeting {room}: {WHY}. The rest of the list is fine.") in app.messages
        await pilot.press("o")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert opened == []
        assert app.messages[-1] == ("warning", f"This meeting has no link to open: {WHY}.")
        assert all("javascript:alert" not in text for _, text in app.messages)
        # The QR key says why too (it said only "no link that is safe to show a guest",
        # as for a meeting whose only link is the host's), where the user is: a full
        # screen only to say there was nothing to show had to be closed again.
        await pilot.press("Q")
        await pilot.pause()
        assert not isinstance(app.screen, QRScreen)
        severity, said = app.messages[-1]
        assert severity == "warning" and said.startswith(
            "This meeting has no link to show: the provider's host, guest and")
        assert "each is a javascript: link" in said and "javascript:alert" not in said
        assert said.endswith("The provider's own app or site shows the meeting.")


def test_the_browser_is_never_given_a_refused_link(monkeypatch):
    opened = browser(monkeypatch)
    assert open_in_browser("javascript:alert(1)") == (
        "meettui does not open this link: it is a javascript: link; meettui uses only "
        "http:// and https:// links (other schemes can run code, read files or open other "
        "apps).")
    assert open_in_browser("https://x.example/\u202eexe.pdf").startswith(
        "meettui does not open this link: it is a link holding a control")
    assert opened == []


async def test_a_refused_link_is_not_copied(make_app):
    # A link that slipped past the model (a copy made with model_copy is not checked
    # again): the copy command refuses it as well.
    app = make_app([make_meeting(0, account="team")])
    async with app.run_test(size=(120, 40)) as pilot:
        before = app.clipboard
        app.screen.copy_link(Link(role=Role.GUEST, url="file:///etc/passwd"))
        await pilot.pause()
        assert app.clipboard == before
        assert app.messages[-1][0] == "warning"
        assert app.messages[-1][1].endswith("was not copied: it is a file: link; meettui "
                                            "uses only http:// and https:// links (other "
                                            "schemes can run code, read files or open "
                                            "other apps).")


async def test_a_meeting_that_cannot_be_read_is_said_as_accounts_says_it(
        make_app, sim_server, sim_clock, monkeypatch):
    # The app's notice and `meettui accounts` say what a page left out in one wording
    # (`sync.left_out`).
    server = sim_server("whereby", clock=sim_clock, meetings=2, api_key=KEY,
                        rate_limit=1_000_000)
    unreadable = next(iter(server.sim.rooms))
    room_url = server.sim.room_url
    monkeypatch.setattr(server.sim, "room_url",
                        lambda room: "" if room.meeting_id == unreadable else room_url(room))
    monkeypatch.setenv("WB_TUI_LINKS", KEY)
    config = ('builtin_jitsi = false\n[[accounts]]\nname = "wb"\nprovider = "whereby"\n'
              f'base_url = "{server.base_url}"\nsecret_env = "WB_TUI_LINKS"\n')
    app = make_app([], config=config)
    async with app.run_test(size=(160, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        said = [text for _, text in app.messages if "could not be read" in text]
        assert said == [
            "wb: 1 meeting could not be read and was left out: whereby: GET /meetings "
            f"returned an unexpected response (meeting {unreadable} without `roomUrl`); "
            "meettui cannot read it. The rest of the list is fine."], app.messages
