"""A meeting gone upstream (`Meeting.missing`) in the app: its links are still handed
out when asked for (the user sees the meeting marked gone, and may want the link all
the same), but every way of handing one out says it is gone and most likely leads
nowhere, and what to do: a copy (`y`, `g`), the invitation (`I`), the full-screen QR
code (`Q`), which keeps saying it under the code. They said "Copied" and "Scan to join"
as of any meeting. The command line and the MCP tools refuse (tests/cli/test_gone_links_cli.py,
tests/agent/test_mcp_server.py)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from states import demo_app, settle, show_account
from tui_data import screen_text

from meettui.core.models import Status
from meettui.tui.screens.qr_screen import QRScreen


@pytest.fixture(autouse=True)
def _no_system_clipboard(monkeypatch):
    monkeypatch.setenv("SSH_TTY", "/dev/pts/9")  # keep the real system clipboard out of tests


def note(meeting, over: str = "") -> str:
    refresh = f"{over}refresh" if over else "Refresh"
    return (f"'{meeting.title}' ({meeting.id}) is gone upstream: '{meeting.account}' no "
            f"longer lists it, so its link most likely no longer works. {refresh} the list "
            "(^r) in case it is back; d forgets it here.")


@pytest.mark.parametrize("provider", ["whereby", "eyeson"])
async def test_links_of_a_meeting_gone_upstream_are_handed_out_with_a_warning(tmp_path,
                                                                             provider):
    app = demo_app(tmp_path, providers=(provider,))
    account = f"{provider}-demo"
    async with app.run_test(size=(120, 40)) as pilot:
        await show_account(pilot, account)
        main, service = app.screen, app.service
        meeting = main.selected
        # Present first: said as of any meeting.
        await pilot.press("y")
        assert app.messages[-1][0] == "information"
        assert app.messages[-1][1].startswith("Copied the guest link: ")
        service.cache.mark_missing(account, meeting.id)
        main.table.reload(keep=meeting)
        await settle(pilot)
        gone = main.selected
        assert gone.missing and gone.id == meeting.id
        guest = gone.shareable_link()
        for key, what in (("y", "the guest link"), ("g", "the guest link"),
                          ("I", "the invitation")):
            await pilot.press(key)
            severity, said = app.messages[-1]
            assert severity == "warning", said
            assert said.startswith(f"Copied {what}: ") and said.endswith(note(gone))
            assert guest.url in app.clipboard
        await pilot.press("Q")
        await settle(pilot)
        assert isinstance(app.screen, QRScreen)
        # Over the QR view, whose keys are not the list's: `d` and ^r did nothing there.
        assert app.messages[-1] == ("warning", note(gone, "Close this (esc), then "))
        shown = screen_text(app)
        assert "Scan to join" not in shown
        assert "is gone upstream" in " ".join(shown.split())  # the note, for a while
        app.screen._note_over()
        await pilot.pause()
        shown = screen_text(app)
        assert "Gone upstream: this link may no longer work" in shown
        assert "Scan to join" not in shown


async def test_the_qr_view_of_a_present_meeting_says_scan_to_join(tmp_path):
    app = demo_app(tmp_path, providers=("whereby",))
    async with app.run_test(size=(120, 40)) as pilot:
        await show_account(pilot, "whereby-demo")
        await pilot.press("Q")
        await settle(pilot)
        assert isinstance(app.screen, QRScreen)
        shown = screen_text(app)
        assert "Scan to join" in shown and "Gone upstream" not in shown


def _gone(app, meeting) -> None:
    app.service.cache.mark_missing(meeting.account, meeting.id)


def _expired(app, meeting) -> None:
    app.service.cache.upsert(meeting.model_copy(update={
        "expires_at": app.clock.now() - timedelta(hours=1)}))


@pytest.mark.parametrize("make, said", [
    # Refused, as `meettui ics ID` refuses it, with nothing to do said.
    (_gone, "This meeting cannot be a calendar event: no longer listed by the provider. "
     "Check whether the provider has it again with a refresh of the list (^r); if it was "
     "removed there, Delete (d) forgets it here (nothing is sent to the provider)."),
    # Written without a word, its event carrying a link that no longer works.
    (_expired, "This meeting cannot be a calendar event: expired: its link no longer "
     "works. To meet, make a new meeting (n)."),
])
async def test_a_calendar_file_of_a_gone_or_expired_meeting_says_what_to_do(tmp_path, make,
                                                                            said):
    from meettui.tui.screens.action import ActionFormScreen

    app = demo_app(tmp_path, providers=("whereby",))
    async with app.run_test(size=(120, 40)) as pilot:
        await show_account(pilot, "whereby-demo")
        main = app.screen
        meeting = main.selected
        make(app, meeting)
        main.table.reload(keep=meeting)
        await settle(pilot)
        await pilot.press("ctrl+p", *"save calendar", "enter")
        await settle(pilot)
        assert not isinstance(app.screen, ActionFormScreen)
        assert app.messages[-1] == ("warning", said)


@pytest.mark.parametrize("status, lead, why", [
    (Status.CANCELLED, "Cancelled: this link may no longer work",
     "was cancelled, so its link most likely leads nowhere. To meet, n makes a new one; "
     "refresh the list (^r) to read it again."),
    (Status.EXPIRED, "Expired: this link no longer works",
     "expired, so its link no longer works. To meet, n makes a new one; refresh the list "
     "(^r) to read it again."),
])
async def test_links_of_a_cancelled_or_expired_meeting_are_handed_out_with_a_warning(
        tmp_path, status, lead, why):
    # The full-screen QR said "Scan to join" of a cancelled meeting, and a copy said
    # "Copied" of an expired room's link, as of any meeting: a guest was shown a way
    # into a meeting that no longer takes place.
    app = demo_app(tmp_path, providers=("whereby",))
    async with app.run_test(size=(120, 40)) as pilot:
        await show_account(pilot, "whereby-demo")
        main, service = app.screen, app.service
        meeting = main.selected
        # The provider's word (a status read), its expiry still a day ahead.
        ahead = app.clock.now() + timedelta(days=1)
        service.cache.upsert(meeting.model_copy(update={"status": status,
                                                        "expires_at": ahead}))
        main.table.reload(keep=meeting)
        await settle(pilot)
        over = main.selected
        assert over.status == status and over.id == meeting.id
        # The pane says it under its code too (its status line was far from it).
        await app.wait_until_settled()
        notes = " ".join(str(main.query_one("#detail-notes").render()).split())
        assert f"{lead}." in notes, notes
        said = f"'{over.title}' ({over.id}) {why}"
        await pilot.press("y")
        severity, text = app.messages[-1]
        assert severity == "warning" and text.endswith(said), text
        assert over.shareable_link().url in app.clipboard
        await pilot.press("Q")
        await settle(pilot)
        assert isinstance(app.screen, QRScreen)
        assert app.messages[-1] == ("warning", said.replace(
            ". To meet,", ". Close this (esc), then to meet,"))
        app.screen._note_over()
        await pilot.pause()
        shown = screen_text(app)
        assert lead in shown and "Scan to join" not in shown
