"""The cursor after a change: on the meeting changed while it is still listed (a cancel,
an edit, a provider's action), on a neighbour once it has left the list (a delete, a
forget). The list the user has not moved in follows its opening row (the first meeting
on now or next); a meeting cancelled there was no longer that row, and the cursor went
on to the next meeting: a second `d` asked to cancel that one."""

from __future__ import annotations

from states import demo_app, open_edit_form, settle, show_account

from meettui.core.models import Role, Status
from meettui.tui.screens.action import ActionFormScreen
from meettui.tui.screens.confirm import ConfirmScreen

PROVIDERS = ("whereby", "eyeson", "24sessions", "accelevents")


async def opened(pilot, account: str):
    """`account`'s view, the cursor where the list opened (the user has not moved)."""
    await show_account(pilot, account)
    main = pilot.app.screen
    assert not main.table._user_moved
    return main, main.selected


async def test_a_cancel_keeps_the_cursor_on_the_cancelled_meeting(tmp_path):
    app = demo_app(tmp_path, providers=PROVIDERS)
    async with app.run_test(size=(120, 40)) as pilot:
        main, target = await opened(pilot, "24sessions-demo")
        assert target.status == Status.SCHEDULED
        row = main.table.cursor
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen) and app.screen._yes == "Cancel meeting"
        await pilot.press("y")
        await settle(pilot)
        assert main.selected.key == target.key
        assert main.selected.status == Status.CANCELLED
        assert main.table.cursor == row
        # `d` again is about the same meeting: what is left to do with it.
        await pilot.press("d")
        await pilot.pause()
        assert app.screen._title == f"Delete for good: '{target.title}'?"
        # Removed for good, it leaves the list: the next meeting takes its row.
        following = main.table.meeting_at(row + 1)
        await pilot.press("y")
        await settle(pilot)
        assert app.service.cached(target.account, target.id) is None
        assert main.table.cursor == row
        assert main.selected.key == following.key


async def test_a_cancel_with_a_reason_keeps_the_cursor_on_the_meeting(tmp_path):
    app = demo_app(tmp_path, providers=PROVIDERS)
    async with app.run_test(size=(120, 40)) as pilot:
        main, target = await opened(pilot, "24sessions-demo")
        main.run_provider_action("cancel")
        await pilot.pause()
        assert isinstance(app.screen, ActionFormScreen)
        await pilot.press(*"Moved away", "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(pilot)
        assert app.screen is main
        assert main.selected.key == target.key
        assert main.selected.status == Status.CANCELLED


async def test_a_stop_keeps_the_cursor_on_the_meeting_stopped(tmp_path):
    app = demo_app(tmp_path, providers=PROVIDERS)
    async with app.run_test(size=(120, 40)) as pilot:
        main, target = await opened(pilot, "eyeson-demo")
        main.run_provider_action("stop")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(pilot)
        assert app.messages[-1][1].startswith("End the running meeting: done")
        assert main.selected.key == target.key


async def test_host_changes_and_a_start_keep_the_cursor_on_the_meeting(tmp_path):
    app = demo_app(tmp_path, providers=PROVIDERS)
    async with app.run_test(size=(120, 40)) as pilot:
        main, target = await opened(pilot, "eyeson-demo")
        main.run_provider_action("add_host")
        await pilot.pause()
        await pilot.press(*"Bo Banker", "enter")
        await settle(pilot)
        assert main.selected.key == target.key
        assert any("Bo Banker" in link.label for link in main.selected.links_for(Role.HOST))
        main.run_provider_action("remove_host")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ActionFormScreen)
        form.query_one("#action-host").value = "Bo Banker"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(pilot)
        assert main.selected.key == target.key
        assert not any("Bo Banker" in link.label
                       for link in main.selected.links_for(Role.HOST))
        main.run_provider_action("start")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is main
        assert main.selected.key == target.key


async def test_an_action_without_a_form_keeps_the_cursor_on_the_meeting(tmp_path):
    app = demo_app(tmp_path, providers=PROVIDERS)
    async with app.run_test(size=(120, 40)) as pilot:
        main, target = await opened(pilot, "accelevents-demo")
        main.run_provider_action("join")
        await settle(pilot)
        assert main.selected.key == target.key


async def test_an_edit_keeps_the_cursor_on_the_meeting_edited(tmp_path):
    app = demo_app(tmp_path, providers=PROVIDERS)
    async with app.run_test(size=(120, 40)) as pilot:
        main, target = await opened(pilot, "24sessions-demo")
        form = await open_edit_form(pilot)
        # Rescheduled a week on: the meeting moves down the list, the cursor with it.
        form.query_one("#field-starts_at").value = "+7d"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is main
        assert main.selected.key == target.key


async def test_a_recreating_edit_puts_the_cursor_on_the_new_meeting(tmp_path):
    app = demo_app(tmp_path, providers=PROVIDERS)
    async with app.run_test(size=(120, 40)) as pilot:
        main, old = await opened(pilot, "whereby-demo")
        form = await open_edit_form(pilot)
        form.query_one("#field-starts_at").value = ""
        form.query_one("#field-ends_at").value = "+2h"
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("y")  # replace the room
        await settle(pilot)
        await pilot.press("n")  # the new link: not copied
        await settle(pilot)
        assert app.screen is main
        new = main.selected
        assert new.id != old.id and new.title == old.title
        assert app.service.cached(old.account, old.id) is None


async def test_a_delete_moves_the_cursor_to_the_neighbour(tmp_path):
    app = demo_app(tmp_path, providers=PROVIDERS)
    async with app.run_test(size=(120, 40)) as pilot:
        main, target = await opened(pilot, "whereby-demo")
        await pilot.press("down")
        target, row = main.selected, main.table.cursor
        following = main.table.meeting_at(row + 1)
        await pilot.press("d", "y")
        await settle(pilot)
        assert app.service.cached(target.account, target.id) is None
        assert main.table.cursor == row
        assert main.selected.key == following.key


async def test_a_forget_moves_the_cursor_to_the_neighbour(tmp_path):
    app = demo_app(tmp_path, providers=PROVIDERS)
    async with app.run_test(size=(120, 40)) as pilot:
        main, target = await opened(pilot, "jitsi")
        row = main.table.cursor
        following = main.table.meeting_at(row + 1)
        assert following is not None
        await pilot.press("d", "y")
        await settle(pilot)
        assert app.service.cached(target.account, target.id) is None
        assert main.table.cursor == row
        assert main.selected.key == following.key
