"""Help from every form and modal, as the README says of `?`: in a form `?` was typed
into the text field and the footer said only "esc Cancel ^s Save". F1 opens the help
everywhere (shown in the footer where `?` is typed), `?` where no text field has the
focus, and a form's help says the keys its fields take."""

from __future__ import annotations

import pytest
from textual.widgets import Input
from tui_data import default_meetings, screen_text

from meettui.tui.screens.action import ActionFormScreen
from meettui.tui.screens.base import MeettuiModal
from meettui.tui.screens.help import HelpScreen
from meettui.tui.widgets.footer import KeyFooter


def footer_hints(screen) -> list[tuple[str, str]]:
    footer = screen.query_one(KeyFooter)
    return [(hint.display, hint.description) for hint in footer.hints]


async def open_modal(pilot, how: str) -> MeettuiModal:
    """The modal `how` opens over the list: a meeting form, the calendar file's form,
    the paste-link dialog, a question, the accounts list."""
    keys = {"new": ["n"], "calendar": ["ctrl+p", *"save calendar", "enter"],
            "paste": ["p"], "delete": ["d"], "accounts": ["a"]}[how]
    await pilot.press(*keys)
    await pilot.pause()
    modal = pilot.app.screen
    assert isinstance(modal, MeettuiModal), modal
    return modal


@pytest.mark.parametrize("how", ["new", "calendar", "paste", "delete", "accounts"])
async def test_f1_opens_the_help_on_every_form_and_modal(make_app, how):
    app = make_app(default_meetings(3))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        modal = await open_modal(pilot, how)
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen), how
        await pilot.press("f1")  # and closes it again
        await pilot.pause()
        assert app.screen is modal


@pytest.mark.parametrize("how", ["new", "calendar"])
async def test_a_form_shows_f1_help_and_keeps_question_marks_typed(make_app, how):
    app = make_app(default_meetings(3))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        form = await open_modal(pilot, how)
        field = form.focused
        assert isinstance(field, Input)
        assert ("f1", "Help") in footer_hints(form)
        assert "f1 Help" in screen_text(app).splitlines()[-1]
        await pilot.press("end")  # (a path offered is selected: typing replaces it)
        before = field.value
        await pilot.press("question_mark")
        await pilot.pause()
        assert app.screen is form and field.value == before + "?"


async def test_where_no_text_field_has_the_focus_question_mark_opens_the_help(make_app):
    app = make_app(default_meetings(3))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        question = await open_modal(pilot, "delete")
        assert footer_hints(question)[-1] == ("?", "Help") or \
            ("?", "Help") in footer_hints(question)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)


@pytest.mark.parametrize(("how", "submit"), [("new", "^s (Save)"),
                                             ("calendar", "^s (Run)")])
async def test_a_forms_help_says_its_keys(make_app, how, submit):
    app = make_app(default_meetings(3))
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        form = await open_modal(pilot, how)
        await pilot.press("f1")
        await pilot.pause()
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        listed = dict((description, keys) for keys, description in help_screen._keys)
        assert listed["Help"] == "f1"
        assert listed["Next field"] == "tab"
        assert ("Save" if how == "new" else "Run") in listed
        assert help_screen._footnote.startswith(
            f"In a field: Enter in a text field does what {submit} does; Space ticks a "
            "box; Enter opens a choice, ↑ ↓ move in it and Enter takes one. `?` is typed "
            "into a text field: f1 opens this help there.")
        assert isinstance(form, MeettuiModal)
        if how == "calendar":
            assert isinstance(form, ActionFormScreen)


async def test_a_forms_help_names_a_save_the_keymap_moved(make_app):
    # `"form.save" = "ctrl+w"` (which a text field takes for itself: warned at start):
    # the help still said "Ctrl+S (Save)", a key that no longer saved.
    from tui_data import BASE_CONFIG

    app = make_app(default_meetings(3),
                   config=BASE_CONFIG + '[keymap]\n"form.save" = "ctrl+w"\n')
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        await open_modal(pilot, "new")
        await pilot.press("f1")
        await pilot.pause()
        assert app.screen._footnote.startswith(
            "In a field: Enter in a text field does what ^w (Save) does;")
