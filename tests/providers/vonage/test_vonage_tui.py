"""The app with the Vonage demo account (its simulator in-process): the deprecation notice
in the detail pane and on the accounts screen, the meeting code with the guest link,
per-room editing (long-term rooms edit in place, instant rooms are refused)."""

from __future__ import annotations

from datetime import timedelta

from states import demo_app, open_edit_form, settle, show_account
from tui_data import screen_text

from meettui.tui.screens.form import MeetingFormScreen


def notes(app) -> str:
    """The detail pane's notes (below the QR code, so often scrolled out of view)."""
    return " ".join(str(app.screen.query_one("#detail-notes").render()).split())


async def select(app, pilot, kind: str):
    """Put the cursor on the first open room of `kind` ("instant" or "long_term")."""
    main = app.screen
    now = app.clock.now()
    await main.service.sync_all("vonage-demo")  # every page, not only the first view's
    meeting = next(m for m in main.service.window(["vonage-demo"], limit=1000)
                   if m.raw["type"] == kind and m.raw["is_available"]
                   and m.expires_at > now + timedelta(hours=1 if kind == "long_term" else 0))
    main.table.reload(keep=meeting)
    await settle(pilot)
    assert main.selected.id == meeting.id
    return meeting


async def test_the_detail_pane_shows_the_code_and_the_sunset(tmp_path):
    app = demo_app(tmp_path, providers=("vonage",))
    async with app.run_test(size=(140, 60)) as pilot:
        await show_account(pilot, "vonage-demo")
        room = await select(app, pilot, "long_term")
        text = " ".join(screen_text(app).split())
        assert f"meeting code {room.raw['meeting_code']}" in text
        assert "Meeting code" in text
        assert "participant_token" not in text  # the host link is masked
        assert "switched off on 30 June 2025" in notes(app)

        await pilot.press("a")
        await settle(pilot)
        assert type(app.screen).__name__ == "AccountsScreen"
        shown = " ".join(screen_text(app).split())
        assert "vonage-demo" in shown and "Vonage Meetings was switched off" in shown


async def test_long_term_rooms_edit_in_place_and_instant_ones_do_not(tmp_path):
    app = demo_app(tmp_path, providers=("vonage",))
    async with app.run_test(size=(140, 60)) as pilot:
        await show_account(pilot, "vonage-demo")
        main = app.screen
        instant = await select(app, pilot, "instant")
        assert "This is an instant room" in notes(app)
        await pilot.press("e")
        await settle(pilot)
        assert app.screen is main  # no form for an instant room

        room = await select(app, pilot, "long_term")
        form = await open_edit_form(pilot)
        assert form.query_one("#field-title").disabled  # the name is fixed
        form.query_one("#field-ends_at").value = "+30d"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is main
        saved = main.service.cached("vonage-demo", room.id)
        assert saved.expires_at.date() == (app.clock.now() + timedelta(days=30)).date()
        assert saved.link("guest").url == room.link("guest").url
        assert main.service.cached("vonage-demo", instant.id).raw == instant.raw


async def test_the_full_screen_qr_gives_the_code_to_type(tmp_path):
    # A guest whose phone will not scan types the meeting code: it stands under the code.
    app = demo_app(tmp_path, providers=("vonage",))
    async with app.run_test(size=(120, 50)) as pilot:
        await show_account(pilot, "vonage-demo")
        room = await select(app, pilot, "long_term")
        await pilot.press("Q")
        await settle(pilot)
        assert type(app.screen).__name__ == "QRScreen"
        shown = str(app.screen.query_one("#qr-link").render())
        assert f"or enter the code {room.raw['meeting_code']}" in shown


async def test_the_accounts_screen_says_deprecated_even_when_the_account_answers(tmp_path):
    app = demo_app(tmp_path, providers=("vonage",))
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)  # the demo's simulator answered: health is ok
        assert app.service.account_info("vonage-demo").health.value == "ok"
        await pilot.press("a")
        await settle(pilot)
        line = next(ln for ln in screen_text(app).splitlines()
                    if "vonage-demo" in ln and "Vonage Meetings" in ln)
        assert "ok" in line and "DEPRECATED" in line


async def test_an_instant_room_is_made_from_the_form_with_its_boxes_untouched(tmp_path):
    # The form sends every box: an unticked "Close after use" was refused as "applies to
    # long-term rooms only", so no instant room could be made from the app.
    app = demo_app(tmp_path, providers=("vonage",))
    async with app.run_test(size=(140, 60)) as pilot:
        await show_account(pilot, "vonage-demo")
        main = app.screen
        await pilot.press("n")
        form = app.screen
        assert isinstance(form, MeetingFormScreen)
        form.query_one("#field-title").value = "Walk-in now"
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await settle(pilot)
        assert app.screen is main
        made = main.selected
        assert (made.title, made.raw["type"]) == ("Walk-in now", "instant")


async def test_the_edit_form_opens_on_the_expiry_showing_the_room_s_own(tmp_path):
    # It opened focused on the fixed "Room name": typed keys went nowhere, and after a
    # Tab into an empty Expires, though Vonage gives every long-term room's expiry back.
    from meettui.core.timeparse import format_local

    app = demo_app(tmp_path, providers=("vonage",))
    async with app.run_test(size=(140, 60)) as pilot:
        await show_account(pilot, "vonage-demo")
        main = app.screen
        room = await select(app, pilot, "long_term")
        form = await open_edit_form(pilot)
        expires = form.query_one("#field-ends_at")
        assert form.focused is expires
        assert expires.value == format_local(room.expires_at)
        await pilot.press(*"x")
        assert expires.value == format_local(room.expires_at) + "x"
        # Left as it opened, the expiry is not sent: it stays exactly as it was.
        expires.value = format_local(room.expires_at)
        form.query_one("#field-expire_after_use").value = \
            not form.query_one("#field-expire_after_use").value
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is main
        saved = main.service.cached("vonage-demo", room.id)
        assert saved.expires_at == room.expires_at
        assert saved.raw["expire_after_use"] != room.raw.get("expire_after_use", False)
