"""A field's error goes once the field's value changes, in every form with per-field
errors (the meeting form of every provider, a provider action's form, "Save calendar
file…"); Save or Run checks again as before. "Name is required." stayed under a name
typed since, after Tab away and back, until the next save."""

from __future__ import annotations

import pytest
from states import demo_app, show_account
from textual.widgets import Input, Static
from tui_data import default_meetings, screen_text

from meettui.tui.screens.action import ActionFormScreen
from meettui.tui.screens.form import MeetingFormScreen

DEMO_ACCOUNTS = {"whereby": "whereby-demo", "eyeson": "eyeson-demo",
                 "24sessions": "24sessions-demo", "accelevents": "accelevents-demo",
                 "vonage": "vonage-demo", "jitsi": "jitsi"}


def said(form, error_id: str) -> str:
    """What the error line `error_id` says, and "" when it takes no row."""
    line = form.query_one(f"#{error_id}", Static)
    return str(line.render()) if line.has_class("-said") else ""


def errors_said(form) -> dict[str, str]:
    return {line.id or "": str(line.render())
            for line in form.query(".field-error.-said").results(Static)}


async def new_form(pilot, account: str) -> MeetingFormScreen:
    await show_account(pilot, account)
    await pilot.press("n")
    await pilot.pause()
    form = pilot.app.screen
    assert isinstance(form, MeetingFormScreen)
    return form


@pytest.mark.parametrize("kind", list(DEMO_ACCOUNTS))
async def test_a_required_field_s_error_goes_once_something_is_typed(tmp_path, kind):
    app = demo_app(tmp_path, providers=(kind,) if kind != "jitsi" else ())
    async with app.run_test(size=(80, 24)) as pilot:
        form = await new_form(pilot, DEMO_ACCOUNTS[kind])
        for box in form.query("#form-body Input").results(Input):
            box.value = ""  # every text field empty: the required ones say so
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form
        # The first field with an error has the focus (Name, Title, Start, …).
        field = form.focused
        assert isinstance(field, Input) and field.id
        name = field.id.removeprefix("field-")
        required = said(form, f"error-{name}")
        assert required.endswith(" is required."), errors_said(form)
        others = {k: v for k, v in errors_said(form).items() if k != f"error-{name}"}
        await pilot.press(*"Board")
        await pilot.pause()
        assert said(form, f"error-{name}") == ""
        assert required not in screen_text(app)
        # Another field's error is its own: it stays until that field changes.
        assert {k: v for k, v in errors_said(form).items()
                if k != f"error-{name}"} == others
        await pilot.press("tab")
        await pilot.press("shift+tab")
        await pilot.pause()
        assert form.focused is field and said(form, f"error-{name}") == ""
        # Save checks again: emptied, the field says so again.
        field.value = ""
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert said(form, f"error-{name}") == required


async def test_an_error_said_for_what_a_burst_typed_stays(tmp_path):
    # The keys and Ctrl+S in one burst (a paste, tmux send-keys): the field's last
    # change can arrive after the save said what is wrong with it, and must not take
    # the error away.
    app = demo_app(tmp_path, providers=("whereby",))
    async with app.run_test(size=(80, 24)) as pilot:
        form = await new_form(pilot, "whereby-demo")
        form.query_one("#field-ends_at", Input).focus()
        await pilot.press(*"soon", "ctrl+s")
        await pilot.pause()
        assert said(form, "error-ends_at")
        assert form.query_one("#field-ends_at", Input).value == "soon"
        await pilot.press("backspace")
        await pilot.pause()
        assert said(form, "error-ends_at") == ""


async def test_a_title_too_long_is_said_as_typed_and_goes_when_short_again(tmp_path):
    app = demo_app(tmp_path, providers=("whereby",))
    async with app.run_test(size=(80, 24)) as pilot:
        form = await new_form(pilot, "whereby-demo")
        title = form.query_one("#field-title", Input)
        title.value = "x" * 201
        await pilot.pause()
        assert "characters long; at most" in said(form, "error-title")
        title.value = "x" * 200
        await pilot.pause()
        assert said(form, "error-title") == ""


async def test_an_action_form_s_field_error_goes_once_the_field_changes(tmp_path):
    app = demo_app(tmp_path, providers=("eyeson",))
    async with app.run_test(size=(80, 24)) as pilot:
        await show_account(pilot, "eyeson-demo")
        app.screen.run_provider_action("add_host")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ActionFormScreen)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert said(form, "action-error-name") == "Host name is required."
        await pilot.press(*"Bo")
        await pilot.pause()
        assert said(form, "action-error-name") == ""
        assert "Host name is required." not in screen_text(app)


async def test_the_calendar_file_path_s_error_goes_once_the_path_changes(make_app,
                                                                         tmp_path):
    app = make_app(default_meetings(2))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p", *"save calendar", "enter")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ActionFormScreen)
        path = form.query_one("#action-path", Input)
        path.value = str(tmp_path / "nowhere" / "x.ics")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form
        assert "does not exist" in said(form, "action-error-path")
        path.value = str(tmp_path / "x.ics")
        await pilot.pause()
        assert said(form, "action-error-path") == ""
