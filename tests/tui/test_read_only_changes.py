"""A read-only account hides what changes its meetings, in the footer, the hint line and
the palette, and refuses it when run anyway; what changes nothing still runs there
(Accelevents' join as an attendee: `ActionSpec.changes`). The palette listed "Edit
meeting", "Delete meeting", "Add a host" and "End the running meeting" on a read-only
eyeson account, and the hint line "n new meeting"."""

from __future__ import annotations

from states import DEMO_NOW, demo_app, settle, show_account
from tui_data import default_meetings

from meettui.core.errors import ProviderError
from meettui.core.models import Status
from meettui.tui.commands import MeettuiCommands

CHANGING_EYESON = {"Start the meeting now", "Join the running meeting as host", "Add a host",
                   "Remove a host", "End the running meeting", "Edit meeting",
                   "Delete meeting"}


async def palette(screen) -> set[str]:
    return {str(hit.text) async for hit in MeettuiCommands(screen).discover()}


def _hint(app) -> str:
    return str(app.screen.query_one("#hint").render())


async def test_a_read_only_account_hides_its_changes_in_the_palette(tmp_path):
    app = demo_app(tmp_path, providers=("eyeson",))
    async with app.run_test(size=(120, 40)) as pilot:
        await show_account(pilot, "eyeson-demo")
        main = app.screen
        writable = await palette(main)
        assert {"Add a host", "Edit meeting", "Delete meeting", "New meeting"} <= writable
        main.service.set_read_only("eyeson-demo", True)
        main.write_keys_follow()
        shown = await palette(main)
        assert not shown & (CHANGING_EYESON | {"New meeting"}), shown & CHANGING_EYESON
        # What changes no meeting stays.
        assert {"Copy guest link", "Show full-screen QR", "Toggle read-only"} <= shown
        # On the full-screen detail too.
        await pilot.press("i")
        await pilot.pause()
        assert not await palette(app.screen) & CHANGING_EYESON
        await pilot.press("escape")
        await pilot.pause()
        # Run anyway (an entry chosen before the toggle): refused, with what to do.
        main.run_provider_action("add_host")
        await pilot.pause()
        assert app.screen is main
        assert app.messages[-1] == (
            "warning", "Account 'eyeson-demo' is read-only. To make it writable for this "
                       "session, press L.")


async def test_a_read_only_account_still_joins_a_session(tmp_path):
    app = demo_app(tmp_path, providers=("accelevents",))
    async with app.run_test(size=(140, 40)) as pilot:
        await show_account(pilot, "accelevents-demo")
        main = app.screen
        service = main.service
        service.set_read_only("accelevents-demo", True)
        # A live session the demo's attendee may join, found through the service: the
        # read-only account runs the join (it changes nothing).
        live = None
        for candidate in service.window(["accelevents-demo"], limit=1000):
            if candidate.effective_status(DEMO_NOW) != Status.LIVE:
                continue
            try:
                await service.run_action("accelevents-demo", candidate.id, "join")
            except ProviderError:
                continue
            live = candidate
            break
        assert live is not None
        main.table.reload(keep=live)
        await settle(pilot)
        shown = await palette(main)
        assert "Join as attendee (Chime join data)" in shown
        assert "Edit meeting" not in shown and "Delete meeting" not in shown
        main.run_provider_action("join")
        await settle(pilot)
        assert [sev for sev, _ in app.messages] == ["information"], app.messages
        assert live.key in main.session_data


async def test_the_hint_offers_no_tip_whose_key_does_nothing_there(make_app):
    app = make_app(default_meetings(3))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        main = app.screen
        assert "n new meeting" in _hint(app)
        await pilot.press("L")
        await pilot.pause()
        # `n` is hidden on a read-only account: its tip goes too, the others stay.
        hint = _hint(app)
        assert "new meeting" not in hint, hint
        assert "Q QR for a guest" in hint and "y copy the link" in hint
        await pilot.press("L")
        await pilot.pause()
        assert "n new meeting" in _hint(app)
        # A meeting with no link to share: no QR, no copy of the link.
        linkless = main.selected.model_copy(update={"links": []})
        main.service.cache.upsert(linkless)
        main.table.reload(keep=linkless)
        await pilot.pause()
        await pilot.pause()
        hint = _hint(app)
        assert "QR for a guest" not in hint and "copy the link" not in hint, hint
        assert "n new meeting" in hint and "i details" in hint
