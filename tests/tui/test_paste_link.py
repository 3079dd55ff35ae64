""""Paste a meeting link" (key p, and the palette): the modal prefilled from the
clipboard, what it says as a link is typed, hostile links refused in place, the import
selecting its meeting, and a link of a meeting already listed pointing to it."""

from __future__ import annotations

import pyperclip
import pytest
from textual.widgets import Button, Input, Static
from tui_data import default_meetings, screen_text

from meettui.core.models import MeetingSpec
from meettui.providers.jitsi import JitsiProvider
from meettui.tui.screens.main import MainScreen
from meettui.tui.screens.paste_link import PasteLinkScreen

ZOOM = "https://acme-corp.zoom.us/j/96385274100?pwd=aBcD3fGh1JkLmN0pQrStUv"
START = "https://acme-corp.zoom.us/s/96385274100?zak=eyJzdGFydCI6dHJ1ZX0.c2VjcmV0"


@pytest.fixture
def clipboard(monkeypatch):
    """What the system clipboard holds (pyperclip.paste answers it)."""
    held = {"text": ""}
    monkeypatch.setattr(pyperclip, "paste", lambda: held["text"])
    return held


def verdict(app) -> str:
    return str(app.screen.query_one("#paste-verdict", Static).render())


async def settle(pilot) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def test_the_clipboard_link_is_prefilled_and_imported_with_enter(make_app, clipboard):
    clipboard["text"] = f"  {ZOOM}\n"
    app = make_app(show_toasts=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("p")
        await settle(pilot)
        assert isinstance(app.screen, PasteLinkScreen)
        assert app.screen.query_one(Input).value == ZOOM
        assert verdict(app) == "Zoom meeting 96385274100: shareable (a guest link)."
        await pilot.press("enter")
        await settle(pilot)
        main = app.screen
        assert isinstance(main, MainScreen)
        selected = main.selected
        assert selected is not None and selected.account == "imported"
        assert selected.links[0].url == ZOOM and selected.title == "Zoom meeting 96385274100"
        assert app.service.cached("imported", selected.id) == selected
        assert any("Imported Zoom meeting into imported" in text for _, text in app.messages)


async def test_other_clipboard_text_is_not_prefilled(make_app, clipboard):
    clipboard["text"] = "call me at 5, thanks"
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("p")
        await settle(pilot)
        assert app.screen.query_one(Input).value == ""
        assert verdict(app) == "Paste or type a meeting link."
        assert app.screen.query_one("#paste-import", Button).disabled


async def test_a_hostile_link_is_refused_in_place(make_app, clipboard):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("p")
        await settle(pilot)
        app.screen.query_one(Input).value = "javascript:alert(document.cookie)"
        await pilot.pause()
        assert verdict(app).startswith("javascript: links are refused")
        assert app.screen.query_one("#paste-verdict").has_class("refused")
        assert app.screen.query_one("#paste-import", Button).disabled
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, PasteLinkScreen)  # still open, nothing imported
        app.screen.query_one(Input).value = "https://zoom.us/j/1\u202e00"
        await pilot.pause()
        assert "\\u202e at position" in verdict(app) and "\u202e" not in verdict(app)
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)
        assert app.service.count() == 40


async def test_a_start_link_is_kept_as_a_masked_host_link(make_app, clipboard):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("p")
        await settle(pilot)
        app.screen.query_one(Input).value = START
        await pilot.pause()
        assert "NOT shareable, kept as a host link (a Zoom start link" in verdict(app)
        await pilot.press("enter")
        await settle(pilot)
        selected = app.screen.selected
        assert selected.links[0].sensitive and selected.links[0].role.value == "host"
        screen = screen_text(app)
        assert "https://acme-corp.zoom.us/••••••••" in screen and "zak=" not in screen


async def test_a_link_of_a_listed_meeting_selects_it(make_app, clipboard):
    room = JitsiProvider.meeting_for("team", "FrontDesk-k3x9q2m7", "meet.jit.si",
                                     MeetingSpec(title="Front desk"))
    app = make_app([*default_meetings(), room])
    async with app.run_test(size=(100, 30)) as pilot:
        clipboard["text"] = room.links[0].url
        await pilot.press("p")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.selected.key == ("team", "FrontDesk-k3x9q2m7")
        assert ("information", "Already in team: FrontDesk-k3x9q2m7.") in app.messages
        assert app.service.count() == 41  # nothing copied


async def test_the_palette_offers_it_with_its_key(make_app, clipboard):
    from meettui.tui.commands import MeettuiCommands

    app = make_app()
    async with app.run_test(size=(120, 40)):
        provider = MeettuiCommands(app.screen)
        hits = {hit.text: hit.help async for hit in provider.discover()}
        assert hits["Paste a meeting link"].startswith("key p ·")


async def test_a_paste_of_two_links_is_refused_not_cut_to_the_first(make_app, clipboard):
    # Textual's Input keeps a paste's first line: Enter imported the first of two links
    # without a word about the second.
    from textual import events

    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("p")
        await settle(pilot)
        box = app.screen.query_one(Input)
        box.post_message(events.Paste(f"{ZOOM}\nhttps://meet.google.com/jjj-kkkk-lll\n"))
        await pilot.pause()
        assert box.value == f"{ZOOM} https://meet.google.com/jjj-kkkk-lll"
        assert "line break" in verdict(app) and "one link at a time" in verdict(app)
        assert app.screen.query_one("#paste-import", Button).disabled
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, PasteLinkScreen)  # nothing imported
        # One line (and the blank lines around it) is a link, as before.
        box.value = ""
        box.post_message(events.Paste(f"\n{ZOOM}\n"))
        await pilot.pause()
        assert box.value == ZOOM
    assert app.service.count() == 40
