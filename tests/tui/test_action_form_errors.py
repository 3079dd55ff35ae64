"""A one-form dialog (a provider's action, "Save calendar file…") stays open on an error
about a value: the error is said at the field, the values stay as typed, and a "Back"
from the question that follows returns to it. A field whose choices the meeting holds
(the hosts of an eyeson permalink) offers them, and a question before a dangerous
action names what was given."""

from __future__ import annotations

import os

from states import demo_app, settle, show_account
from textual.widgets import Input, Select, Static
from tui_data import default_meetings, screen_text

from meettui.core.errors import ValidationError
from meettui.core.models import Status
from meettui.tui.app_failures import failure_title
from meettui.tui.screens.action import ActionFormScreen
from meettui.tui.screens.confirm import ConfirmScreen


def field_error(form: ActionFormScreen, name: str) -> str:
    return str(form.query_one(f"#action-error-{name}", Static).render())


async def open_calendar_form(pilot) -> ActionFormScreen:
    await pilot.press("ctrl+p", *"save calendar", "enter")
    await pilot.pause()
    form = pilot.app.screen
    assert isinstance(form, ActionFormScreen)
    return form


async def save_as(pilot, form: ActionFormScreen, path: str) -> None:
    form.query_one("#action-path", Input).value = path
    await pilot.press("ctrl+s")
    await pilot.pause()


async def test_a_folder_that_does_not_exist_is_said_at_the_path_the_dialog_open(
        make_app, tmp_path):
    # The toast said "Not saved … Create it first" and the dialog was gone, the path
    # typed lost with it.
    app = make_app(default_meetings(2))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        form = await open_calendar_form(pilot)
        path = str(tmp_path / "nowhere" / "x.ics")
        await save_as(pilot, form, path)
        assert app.screen is form
        assert form.query_one("#action-path", Input).value == path
        assert form.focused is form.query_one("#action-path")
        said = field_error(form, "path")
        assert said.startswith(f"Cannot write {path}: the folder {tmp_path / 'nowhere'} "
                               "does not exist. Create it first"), said
        assert "does not exist" in screen_text(app)
        # Corrected, it saves and closes.
        (tmp_path / "nowhere").mkdir()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, ActionFormScreen)
        assert app.messages[-1] == ("information", f"Saved calendar file {path}")


async def test_meettuis_config_file_is_refused_at_the_path(make_app):
    app = make_app(default_meetings(2))
    config = os.environ["MEETTUI_CONFIG"]  # the conftest points it into tmp_path
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        form = await open_calendar_form(pilot)
        await save_as(pilot, form, config)
        assert app.screen is form
        assert form.query_one("#action-path", Input).value == config
        assert "it is meettui's config file. Give another path" in field_error(form, "path")


async def test_keep_it_returns_to_the_dialog_with_the_path(make_app, tmp_path):
    # "Replace existing.ics?" → n (Keep it) closed everything without a word.
    path = tmp_path / "existing.ics"
    path.write_text("the user's notes")
    app = make_app(default_meetings(2))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        form = await open_calendar_form(pilot)
        await save_as(pilot, form, str(path))
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await pilot.pause()
        assert app.screen is form
        assert form.query_one("#action-path", Input).value == str(path)
        assert path.read_text() == "the user's notes"
        form.query_one("#action-path", Input).value = str(tmp_path / "other.ics")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, ActionFormScreen | ConfirmScreen)
        assert (tmp_path / "other.ics").exists()


async def open_remove_host(pilot) -> ActionFormScreen:
    app = pilot.app
    await show_account(pilot, "eyeson-demo")
    main = app.screen
    main.run_provider_action("remove_host")
    await pilot.pause()
    form = app.screen
    assert isinstance(form, ActionFormScreen)
    return form


async def test_the_hosts_of_the_meeting_are_offered_and_the_question_names_the_host(
        tmp_path):
    # "Host" was free text though the permalink's hosts are known, and the question
    # "Remove a host: 'Account review …'?" never said which host.
    app = demo_app(tmp_path, providers=("eyeson",))
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_remove_host(pilot)
        hosts = form.meeting.raw["hosts"]
        assert hosts
        host = form.query_one("#action-host", Select)
        assert [value for _label, value in host._options if value is not Select.NULL] \
            == hosts
        # None chosen for the user: a hasty Ctrl+S is refused at the field.
        assert host.value is Select.NULL
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form and field_error(form, "host") == "Host is required."
        host.value = hosts[-1]
        await pilot.press("ctrl+s")
        await pilot.pause()
        question = app.screen
        assert isinstance(question, ConfirmScreen)
        assert question._body.startswith(f"Host: {hosts[-1]}\n\n")
        assert f"Host: {hosts[-1]}" in screen_text(app)
        await pilot.press("n")  # back to the form, as it was
        await pilot.pause()
        assert app.screen is form and host.value == hosts[-1]


async def test_start_now_offers_the_hosts_with_the_first_one_as_the_empty_choice(tmp_path):
    app = demo_app(tmp_path, providers=("eyeson",))
    async with app.run_test(size=(80, 24)) as pilot:
        await show_account(pilot, "eyeson-demo")
        main = app.screen
        main.run_provider_action("start")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ActionFormScreen)
        host = form.query_one("#action-host", Select)
        assert host.value is Select.NULL  # empty: the first host
        assert host._allow_blank


async def test_a_host_not_found_is_said_at_the_field_and_the_form_stays(tmp_path):
    # Typed `nobody` → Ctrl+S → y: "Provider error … No host named 'nobody' … Correct
    # the value and submit again." and the form was gone: five steps to retry. The
    # hosts are not known here (none cached), so the field is typed.
    app = demo_app(tmp_path, providers=("eyeson",))
    async with app.run_test(size=(80, 24)) as pilot:
        await show_account(pilot, "eyeson-demo")
        main = app.screen
        meeting = main.selected
        cache = app.service.cache
        cache.upsert(meeting.model_copy(update={
            "raw": {**meeting.raw, "hosts": []}}))
        main.table.reload(keep=meeting)
        await settle(pilot)
        form = await open_remove_host(pilot)
        assert isinstance(form.query_one("#action-host"), Input)
        await pilot.press(*"nobody", "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert app.screen._body.startswith("Host: nobody\n\n")
        await pilot.press("y")
        await settle(pilot)
        assert app.screen is form
        assert form.query_one("#action-host", Input).value == "nobody"
        assert form.focused is form.query_one("#action-host")
        said = field_error(form, "host")
        assert said.startswith("No host named 'nobody' (hosts: "), said
        assert "No host named 'nobody'" in screen_text(app)
        assert not form.busy


async def test_every_providers_action_form_stays_open_on_a_value_refused(tmp_path,
                                                                         monkeypatch):
    # The same for any provider: 24sessions' cancel, a reason refused upstream.
    app = demo_app(tmp_path, providers=("24sessions",))

    async def refused(account, meeting_id, action, params=None):
        raise ValidationError("The reason is too long for 24sessions.", field="reason",
                              provider="24sessions", status=422)

    async with app.run_test(size=(100, 30)) as pilot:
        await show_account(pilot, "24sessions-demo")
        main, service = app.screen, app.service
        target = next(m for m in service.window(["24sessions-demo"], "", offset=0,
                                                limit=500)
                      if m.status == Status.SCHEDULED)
        main.table.move_to(main._index_of(target))
        await settle(pilot)
        monkeypatch.setattr(service, "run_action", refused)
        main.run_provider_action("cancel")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ActionFormScreen)
        await pilot.press(*"Guest is ill", "ctrl+s")
        await pilot.pause()
        question = app.screen
        assert isinstance(question, ConfirmScreen)
        assert question._body.startswith("Reason: Guest is ill\nCancelled by: advisor\n\n")
        await pilot.press("y")
        await settle(pilot)
        assert app.screen is form
        assert form.query_one("#action-reason", Input).value == "Guest is ill"
        assert field_error(form, "reason") == "The reason is too long for 24sessions."


def test_a_value_refused_is_not_titled_a_provider_error():
    # meettui's own check ("No host named 'x'") was titled "Provider error".
    own = ValidationError("No host named 'x' (hosts: Ann).", field="host", provider="eyeson")
    assert failure_title(own) == "Not accepted"
    assert failure_title(ValidationError("Bad value.", provider="x", status=422)) == \
        "Not accepted"
