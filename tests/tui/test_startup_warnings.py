"""Every warning the app has at start (config.toml's [keymap], the theme files, a cache
set aside) is seen: one toast lists them all, `?` lists them whole for the session, and
the status line says how many and where until `?` has shown them. Three [keymap]
warnings were three toasts: at 80x24 the first went off the top of the screen, seen only
in the log, though the README says an unknown id "is reported when the app starts"."""

from __future__ import annotations

import pytest
from tui_data import BASE_CONFIG, screen_text

from meettui.tui.screens.help import HelpScreen
from meettui.tui.screens.main import MainScreen

THREE = BASE_CONFIG + """[keymap]
"copy.gest" = "x"
"qr.open" = "q"
"list.filter" = "shift+a"
"""
SAID = ("[keymap] has unknown key ids: copy.gest (did you mean copy.guest?)",
        "list.filter = 'shift+a'", "[keymap] gives 'q' to qr.open")


def status_line(app) -> str:
    main = app.screen_stack[0]
    assert isinstance(main, MainScreen)
    return str(main.query_one("#status-line").render())


async def test_three_warnings_at_80x24_show_in_one_toast(make_app):
    app = make_app(config=THREE, show_toasts=True)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause()
        # Each kept and logged on its own...
        warnings = [text for severity, text in app.messages if severity == "warning"]
        assert len(warnings) == 3
        assert [any(said in text for text in warnings) for said in SAID] == [True] * 3
        # ...and shown in one toast, all three of them on the screen.
        [toast] = app._notifications
        assert toast.title == "3 start-up warnings: ? lists them"
        text = screen_text(app)
        for said in ("copy.gest (did you mean", "list.filter = 'shift+a'", "gives 'q' to qr.open"):
            assert said in text, said
        assert status_line(app).startswith("3 start-up warnings: ? lists them · ")


@pytest.mark.parametrize("size", [(80, 24), (40, 12), (20, 6)])
async def test_the_help_lists_every_start_up_warning_and_the_status_line_says_so(make_app,
                                                                                size):
    app = make_app(config=THREE)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        # The toast is cut to the rows it has, and it goes: the status line stays.
        assert status_line(app).startswith("3 start-up warnings: ? lists them")
        await pilot.press("question_mark")
        await pilot.pause()
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        listed = [str(w.render()) for w in help_screen.query(".help-warning")]
        assert len(listed) == 3
        assert all(any(said in text for text in listed) for said in SAID)
        assert str(help_screen.query_one("#help-warnings-title").render()) == (
            "3 start-up warnings (also in the log):")
        await pilot.press("escape")
        await pilot.pause()
        # Read: the status line no longer points to them; `?` still lists them.
        assert not status_line(app).startswith("3 start-up warnings")
        await pilot.press("question_mark")
        await pilot.pause()
        assert len(app.screen.query(".help-warning")) == 3


async def test_one_warning_is_its_own_toast_and_the_status_line_points_to_it(make_app):
    app = make_app(config=BASE_CONFIG + '[keymap]\n"copy.gest" = "x"\n', show_toasts=True)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause()
        [toast] = app._notifications
        assert str(toast.message).startswith(
            "[keymap] has unknown key ids: copy.gest (did you mean copy.guest?)")
        assert status_line(app).startswith("1 start-up warning: ? lists them · ")


async def test_no_warning_no_pointer(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert status_line(app).startswith("40 meetings")
        await pilot.press("question_mark")
        await pilot.pause()
        assert not app.screen.query(".help-warning")


async def test_a_log_that_cannot_be_written_is_a_start_up_warning(make_app):
    # It was said on stderr only, hidden behind the app until it ended; a failure's
    # toast still sent the user to the log.
    app = make_app(show_toasts=True)
    app.log_problem = ("Cannot write the log /x/somefile/sub/log (not a directory); "
                       "running without a log this time. Point MEETTUI_LOG at a file "
                       "meettui can write, or unset it.")
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause()
        [toast] = app._notifications
        assert toast.title == "Log" and str(toast.message) == app.log_problem
        assert status_line(app).startswith("1 start-up warning: ? lists them · ")
        app.report_failure(RuntimeError("boom"), "a worker")
        said = app.messages[-1][1]
        assert said == ("Something went wrong: RuntimeError: boom. Its details are not "
                        "kept: the log cannot be written this run (see the start-up "
                        "warnings).")
        await pilot.press("question_mark")
        await pilot.pause()
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        assert str(help_screen.query_one("#help-warnings-title").render()) == (
            "1 start-up warning (no log this run):")
        listed = [str(w.render()) for w in help_screen.query(".help-warning")]
        assert listed == [f"• {app.log_problem}"]
