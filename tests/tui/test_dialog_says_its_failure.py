"""A dialog that says a failure in place (the meeting form's save, a provider action's
value refused, a calendar file that cannot be written) raises no toast over itself: the
toast was drawn over the bottom of the form, hiding the error it repeated and the Cancel
and Save buttons. What was said is still kept in the app's messages (and the log)."""

from __future__ import annotations

import pytest
from states import settle
from textual.widgets import Input, Static
from textual.widgets._toast import Toast
from tui_data import default_meetings, screen_text

from meettui.tui.screens.action import ActionFormScreen
from meettui.tui.screens.form import MeetingFormScreen

EYESON_CONFIG = """
builtin_jitsi = false
[[accounts]]
name = "eyeson-sim"
provider = "eyeson"
base_url = "{url}"
secret_env = "MEETTUI_TEST_EYESON_KEY"
"""


@pytest.fixture
def eyeson_app(make_app, monkeypatch, sim_server, sim_clock):
    """An app with one eyeson account on a real simulator (127.0.0.1), toasts shown."""
    server = sim_server("eyeson", clock=sim_clock, meetings=6, rooms=0)
    monkeypatch.setenv("MEETTUI_TEST_EYESON_KEY", "demo")
    app = make_app([], config=EYESON_CONFIG.format(url=server.root_url), show_toasts=True)
    return app, server


def toasts_anywhere(app) -> list[Toast]:
    return [toast for screen in app.screen_stack for toast in screen.query(Toast)]


async def test_a_save_that_fails_is_said_in_the_form_without_a_toast_over_it(eyeson_app):
    app, server = eyeson_app
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, MeetingFormScreen)
        await pilot.press(*" X")
        server.sim.faults.queue("503", count=20)  # the simulator stops answering
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form
        said = str(form.query_one("#form-error", Static).render())
        assert said.startswith("Not saved: eyeson-sim (eyeson): PUT /permalink/"), said
        assert not toasts_anywhere(app)
        assert "Not saved: eyeson-sim" in screen_text(app), screen_text(app)
        assert any(severity == "error" and message.startswith("eyeson-sim (eyeson): PUT")
                   for severity, message in app.messages)
        assert form.query_one("#field-title", Input).value.endswith(" X")


async def test_an_action_refused_is_said_in_its_form_and_kept_without_a_toast(eyeson_app):
    app, _server = eyeson_app
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(pilot)
        app.screen.run_provider_action("add_host")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ActionFormScreen)
        form.query_one("#action-name", Input).value = "Bo " * 50  # longer than eyeson takes
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form
        shown = str(form.query_one("#action-error-name", Static).render()) or \
            str(form.query_one("#action-error", Static).render())
        assert "longer than" in shown, shown
        assert not toasts_anywhere(app)
        assert any(severity == "error" and "longer than" in message
                   for severity, message in app.messages)


async def test_a_calendar_file_not_written_is_said_at_the_path_without_a_toast(
        make_app, tmp_path):
    app = make_app(default_meetings(2), show_toasts=True)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p", *"save calendar", "enter")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ActionFormScreen)
        form.query_one("#action-path", Input).value = str(tmp_path / "nowhere" / "x.ics")
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.pause()
        assert app.screen is form
        assert "does not exist" in str(form.query_one("#action-error-path", Static).render())
        assert not toasts_anywhere(app)
        assert any("does not exist" in message for _, message in app.messages)
