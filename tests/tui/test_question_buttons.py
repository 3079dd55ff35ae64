"""A question's or an action form's way out never reads like the action it backs out of:
a 24sessions cancel asked "Cancel 'X'?" over "Cancel (n)" and "Cancel (y)"."""

from __future__ import annotations

from states import demo_app, settle, show_account
from tui_data import screen_text

from meettui.core.models import Status
from meettui.tui.screens.action import ActionFormScreen
from meettui.tui.screens.confirm import ConfirmScreen


def _buttons(screen) -> list[str]:
    return [str(button.label) for button in screen.query("Button")]


async def test_a_cancel_is_asked_with_a_way_out_that_keeps_the_meeting(tmp_path):
    app = demo_app(tmp_path, providers=("24sessions",))
    async with app.run_test(size=(120, 40)) as pilot:
        await show_account(pilot, "24sessions-demo")
        main = app.screen
        scheduled = next(m for m in main.service.window(["24sessions-demo"], limit=500)
                         if m.status == Status.SCHEDULED)
        main.table.reload(keep=scheduled)
        await pilot.pause()
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert _buttons(app.screen) == ["Keep meeting (n)", "Cancel meeting (y)"]
        assert "Keep meeting (n)" in screen_text(app)
        await pilot.press("n")
        await pilot.pause()
        assert app.screen is main
        assert main.service.cached("24sessions-demo", scheduled.id).status \
            == Status.SCHEDULED


async def test_cancel_with_a_reason_backs_out_with_back_not_cancel(tmp_path):
    app = demo_app(tmp_path, providers=("24sessions",))
    async with app.run_test(size=(120, 40)) as pilot:
        await show_account(pilot, "24sessions-demo")
        main = app.screen
        scheduled = next(m for m in main.service.window(["24sessions-demo"], limit=500)
                         if m.status == Status.SCHEDULED)
        main.table.reload(keep=scheduled)
        await pilot.pause()
        main.run_provider_action("cancel")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ActionFormScreen)
        assert _buttons(form) == ["Back (Esc)", "Cancel with a reason"]
        footer = screen_text(app).splitlines()[-1]
        assert "esc Back" in footer and "Cancel" not in footer
        await pilot.press(*"Moved abroad", "ctrl+s")
        await pilot.pause()
        question = app.screen
        assert isinstance(question, ConfirmScreen)
        assert _buttons(question) == ["Back (n)", "Cancel with a reason (y)"]
        await pilot.press("n")
        await settle(pilot)
        assert main.service.cached("24sessions-demo", scheduled.id).status \
            == Status.SCHEDULED


def test_a_way_out_that_reads_like_the_action_becomes_back():
    # Every caller is covered, present and future: the default is "Back", and a way out
    # naming the action's own verb is replaced.
    assert ConfirmScreen("Cancel 'X'?", "", yes="Cancel")._no == "Back"
    assert ConfirmScreen("Cancel 'X'?", "", yes="Cancel", no="cancel it")._no == "Back"
    assert ConfirmScreen("Copy?", "", yes="Copy", no="Not now")._no == "Not now"
