"""A dialog or full-screen view opens without the toasts said before it, and background
news said while a dialog is open waits until it closes; what the user's own doing in
the dialog says shows at once.

`v` on a meeting without a viewer link said "This meeting has no viewer link."; `?`
or `n` a second later opened the help or the form with that toast still beside it:
the list's own toasts were left on the list, which a dialog draws under itself. And a
sync's result, or a failure of background work, said while a form was open covered
its fields and buttons."""

from __future__ import annotations

import pytest
from textual.command import CommandPalette
from textual.widgets._toast import Toast
from tui_data import default_meetings, screen_text

from meettui.core.errors import ProviderError
from meettui.tui.messages import WorkerFailed
from meettui.tui.screens.base import MeettuiModal
from meettui.tui.screens.detail_screen import DetailScreen
from meettui.tui.screens.form import MeetingFormScreen

NO_VIEWER = "This meeting has no viewer link."


def toasts_anywhere(app) -> list[Toast]:
    """The toasts of every screen on the stack: a dialog draws the one under it."""
    return [toast for screen in app.screen_stack for toast in screen.query(Toast)]


@pytest.mark.parametrize(("keys", "opens"), [
    (["question_mark"], MeettuiModal), (["n"], MeetingFormScreen), (["e"], MeetingFormScreen),
    (["a"], MeettuiModal), (["p"], MeettuiModal), (["d"], MeettuiModal),
    (["i"], DetailScreen), (["ctrl+p"], CommandPalette)])
@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_a_dialog_or_view_opens_without_the_toast_said_before_it(make_app, keys,
                                                                       opens, size):
    app = make_app(default_meetings(3), show_toasts=True)
    async with app.run_test(size=size, notifications=True) as pilot:
        await pilot.pause()
        await pilot.press("v")
        await pilot.pause()
        await pilot.pause()
        assert NO_VIEWER in screen_text(app)
        await pilot.press(*keys)
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, opens), app.screen
        assert not toasts_anywhere(app)
        assert NO_VIEWER not in screen_text(app)
        assert ("warning", NO_VIEWER) in app.messages  # kept


async def background_news(app, main) -> None:
    """What background work says while the form is open: a refresh's result (the
    list's doing) and a worker's failure (the app's handler of it)."""
    main.call_later(main.action_refresh)
    app.post_message(WorkerFailed(ProviderError("The provider did not answer.",
                                                provider="team"), "fetch team"))


async def test_background_news_waits_until_the_dialog_closes(make_app):
    app = make_app(default_meetings(3), show_toasts=True)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause()
        main = app.screen
        await pilot.press("n")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, MeetingFormScreen)
        await background_news(app, main)
        await pilot.pause()
        await pilot.pause()
        await pilot.pause()
        said = [message for _, message in app.messages]
        assert any(message.startswith("Refresh:") for message in said)
        assert any("did not answer" in message for message in said)
        # Not over the form's fields and buttons.
        assert app.screen is form and not toasts_anywhere(app)
        text = screen_text(app)
        assert "Refresh" not in text and "did not answer" not in text
        # Shown once the form closes.
        await pilot.press("escape")
        await pilot.pause()
        await pilot.pause()
        assert app.screen is main
        text = screen_text(app)
        assert "Refresh" in text and "did not answer" in text


async def test_what_the_user_does_in_the_dialog_shows_at_once(make_app):
    app = make_app(default_meetings(3), show_toasts=True)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, MeetingFormScreen)
        form.busy = True  # a save under way: Esc says the form waits for it
        await pilot.press("escape")
        await pilot.pause()
        await pilot.pause()
        assert app.screen is form
        assert [toast for toast in form.query(Toast)]
        assert "The form closes when" in screen_text(app)
        form.busy = False
