"""The app's messages name what its user gives in the app's words: the form's fields by
their labels and the keys to press, not the command line's options (`-o type=long_term`)
nor the MCP tools' (`options.type`)."""

from __future__ import annotations

import contextvars

from states import demo_app, show_account

from meettui.core.wording import argument, command, option, speak_as, spoken
from meettui.tui.screens.form import MeetingFormScreen


def _in(front, label_of=None):
    """Run the wording functions as front end `front` (in a context of their own)."""
    def run(fn, *args):
        def inner():
            speak_as(front, label_of)
            return fn(*args)
        return contextvars.copy_context().run(inner)
    return run


def test_each_front_end_names_an_option_flag_and_command_in_its_own_words():
    labels = {"type": "Room type", "expires_at": "Expires"}.get
    app, cli, mcp = _in("app", labels), _in("cli"), _in("mcp")
    assert app(option, "type", "long_term") == "Room type: long_term"
    assert app(option, "expires_at") == "the Expires field"
    assert app(option, "meeting_type") == "the Meeting type field"  # no label known
    assert app(spoken, "set an expiry ({option:expires_at})") == \
        "set an expiry (the Expires field)"
    assert app(argument, "--start") == "the Start field"
    assert app(command, "`meettui list`", "list_meetings", "Ctrl+R") == "Ctrl+R"
    # A command the app has no way to: the command line's words, which do work.
    assert app(command, "`meettui schema`", "schema") == "`meettui schema`"
    assert cli(option, "type", "long_term") == "-o type=long_term"
    assert cli(command, "`meettui list`", "list_meetings", "Ctrl+R") == "`meettui list`"
    assert mcp(option, "type", "long_term") == "options.type: long_term"
    assert mcp(command, "`meettui list`", "list_meetings", "Ctrl+R") == "list_meetings"


async def test_a_form_error_names_the_field_by_its_label(tmp_path):
    # An instant room with an expiry: the error said "choose the long_term type
    # (-o type=long_term)", a command-line option, under a form field.
    app = demo_app(tmp_path, providers=("vonage",))
    async with app.run_test(size=(140, 60)) as pilot:
        await show_account(pilot, "vonage-demo")
        await pilot.press("n")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, MeetingFormScreen)
        form.query_one("#field-title").value = "Walk-in with an expiry"
        form.query_one("#field-type").value = "instant"
        form.query_one("#field-ends_at").value = "+1d"
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.screen is form  # not saved
        error = str(form.query_one("#error-ends_at").render())
        assert "long_term type (Room type: long_term)" in error, error
        assert "-o " not in error and "options." not in error


def test_the_command_line_keeps_its_own_words_outside_the_app():
    # The app's setting stays in the app's context: a command run in this process
    # afterwards (the tests do) still speaks the command line.
    assert option("type", "long_term") == "-o type=long_term"
