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


def terminal_keys(*writes: str) -> list:
    """The keys a terminal's reads of `writes` make (each read parsed to its end, as
    tmux writes each key of `send-keys` apart: an Esc alone is the Esc key)."""
    from textual import events
    from textual._xterm_parser import XTermParser

    keys = []
    for data in writes:
        parser = XTermParser()
        keys += [e for e in [*parser.feed(data), *parser.feed("")] if isinstance(e, events.Key)]
    return keys


def fields_of(screen) -> dict[str, str]:
    from textual.widgets import Input

    return {field.id: field.value for field in screen.query(Input)}


async def test_a_burst_read_before_the_app_is_ready_lands_where_meant(make_app):
    """Keys read before the list had its focus at start (a script sending keys right
    after launching the app) were held, then let go all at once: `n Hello Tab +1h`
    opened the form with "Hello" typed, but `+1h` went to the form before its field had
    the focus, and was lost. Every burst below now does what it does on an idle app."""
    bursts = [
        (("/Customer call 001\r", "dy"), "MainScreen", {"filter": "Customer call 001"},
         "Forgot (the link still works): 'Customer call 001'."),
        (("nHello\t+1h",), "MeetingFormScreen",
         {"field-title": "Hello", "field-starts_at": "+1h"}, None),
        (("?", "\x1b", "nHi\t+2h"), "MeetingFormScreen",
         {"field-title": "Hi", "field-starts_at": "+2h"}, None),
        (("jjd", "y"), "MainScreen", {},
         "Forgot (the link still works): 'Customer call 002'."),
        (("a", "\x1b", "eX"), "MeetingFormScreen", {"field-title": "Customer call 000X"},
         None),
    ]
    for writes, screen_name, fields, said in bursts:
        app = make_app()
        for key in terminal_keys(*writes):  # read before the app has even started
            app.post_message(key)
        async with app.run_test(size=(80, 24)) as pilot:
            await settled(pilot, 10)
            await app.wait_until_settled()
            await pilot.pause()
            assert type(app.screen).__name__ == screen_name, writes
            shown = fields_of(app.screen)
            assert {name: shown.get(name) for name in fields} == fields, writes
            assert (app.messages[-1][1] if app.messages else None) == said, writes


async def test_keys_after_the_key_that_closes_a_dialog_reach_the_screen_below(make_app):
    """`? Esc n Hello` in one burst: the keys after Esc were posted to the help's
    scrolling body before Esc closed it, and were lost with it (the New form opened
    empty). The same for every dialog a key closes: each key now goes once the one
    before has been handled."""
    for writes, fields in [
        (("?", "\x1b", "nHello\t+1h"), {"field-title": "Hello", "field-starts_at": "+1h"}),
        (("a", "\x1b", "nHello"), {"field-title": "Hello"}),
        (("n", "\x1b", "nAgain"), {"field-title": "Again"}),
    ]:
        app = make_app()
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            await app.wait_until_settled()
            for key in terminal_keys(*writes):
                app._driver.process_message(key)
            await settled(pilot, 10)
            assert isinstance(app.screen, MeetingFormScreen), writes
            shown = fields_of(app.screen)
            assert {name: shown.get(name) for name in fields} == fields, writes
