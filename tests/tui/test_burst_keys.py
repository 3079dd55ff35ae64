"""Keys typed in one burst after a key that opens a screen (a form, a question, the
help) land on that screen, in order, as a fast typist or `tmux send-keys` sends them.
They were read by the list before the screen was there, and lost, or worse: acted on
by the list (`o` in a title opened the browser)."""

from __future__ import annotations

from test_forms_more import feed_terminal_bytes

from meettui.tui.screens.confirm import ConfirmScreen
from meettui.tui.screens.form import MeetingFormScreen


async def settled(pilot, rounds: int = 6) -> None:
    for _ in range(rounds):
        await pilot.pause()


async def test_n_then_a_title_in_one_burst_fills_the_new_form(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        main = app.screen
        await feed_terminal_bytes(app, "jjnHello\t+1h")
        await settled(pilot)
        form = app.screen
        assert isinstance(form, MeetingFormScreen)
        assert form.query_one("#field-title").value == "Hello"
        assert form.query_one("#field-starts_at").value == "+1h"
        assert main.table.cursor == 2  # the keys before `n` moved the list first


async def test_d_then_y_in_one_burst_answers_the_question(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        main = app.screen
        doomed = main.selected
        before = main.table.row_count
        await feed_terminal_bytes(app, "dy")
        await settled(pilot)
        assert not isinstance(app.screen, ConfirmScreen)
        assert app.screen is main
        assert main.table.row_count == before - 1
        assert all(m.id != doomed.id for m in main.service.window(main.scope, limit=100))
        # `y` answered the question: it did not copy the link as well.
        assert not any(text.startswith("Copied") for _, text in app.messages)


async def test_the_accounts_dialog_opened_and_used_in_one_burst(make_app):
    from test_keys_and_links import TWO_ACCOUNTS

    app = make_app(config=TWO_ACCOUNTS)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await feed_terminal_bytes(app, "ajjjk\r")  # open, down three, up one, Enter
        await settled(pilot)
        assert app.scope == "desk"
        assert app.screen is not None and app.screen.__class__.__name__ == "MainScreen"


async def test_a_title_with_e_and_o_does_not_edit_or_open_the_browser(make_app, monkeypatch):
    import webbrowser

    opened: list[str] = []
    monkeypatch.setattr(webbrowser, "open", lambda url, *a, **k: opened.append(url) or True)
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await feed_terminal_bytes(app, "nOpen demo")
        await settled(pilot)
        form = app.screen
        assert isinstance(form, MeetingFormScreen) and form._heading.startswith("New")
        assert form.query_one("#field-title").value == "Open demo"
        assert opened == []


async def test_keys_read_before_a_new_screen_takes_its_focus_wait_for_it(make_app):
    """tmux writes `n` and `Hello` apart: the app read the letters after the form was
    pushed but before its field had the focus, handed them to the form itself, and they
    were lost. They wait now, in the order read, until a widget of the new screen has
    the focus (here a field that takes it 0.1 s late)."""
    from textual import events
    from textual.screen import Screen
    from textual.widgets import Input

    class LateFocus(Screen[None]):
        AUTO_FOCUS = ""

        def compose(self):
            yield Input(id="late")

        def on_mount(self) -> None:
            self.set_timer(0.1, self.query_one(Input).focus)

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = LateFocus()
        app.push_screen(screen)
        for ch in "late keys":
            app.post_message(events.Key("space" if ch == " " else ch, ch))
        await pilot.wait_for_scheduled_animations()
        while screen.focused is None:  # the field's own timer, then the held keys
            await pilot.pause(0.02)
        await settled(pilot)
        assert screen.query_one(Input).value == "late keys"


async def test_p_then_a_pasted_link_in_one_burst_fills_the_dialog(make_app, monkeypatch):
    """`p` and a link typed in one burst: the first '/' of 'https://' opened the filter
    under the dialog (a priority key of the list's screen, run before the list had read
    `p`) and the dialog got '/zoom.us/…https:'. The '/' goes to the dialog now, and every
    key in the order read."""
    import pyperclip

    from meettui.tui.screens.paste_link import PasteLinkScreen

    monkeypatch.setattr(pyperclip, "paste", lambda: "")
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        main = app.screen
        await feed_terminal_bytes(app, "phttps://zoom.us/j/123456789")
        await settled(pilot)
        dialog = app.screen
        assert isinstance(dialog, PasteLinkScreen)
        assert dialog.query_one("#paste-link").value == "https://zoom.us/j/123456789"
        assert main._filter_box is None  # the filter never opened
