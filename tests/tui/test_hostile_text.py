"""Provider text that tries to drive the terminal, reorder a row or hide itself is shown
as visible escapes everywhere the app shows it: table, detail pane, dialogs, forms,
accounts, the QR screen and toasts."""

import dataclasses

from rich.style import Style
from states import open_edit_form
from tui_data import screen_text

from factories import make_meeting
from meettui.core.display import is_hidden
from meettui.tui.screens.accounts import AccountsScreen
from meettui.tui.screens.confirm import ConfirmScreen
from meettui.tui.screens.qr_screen import QRScreen
from meettui.tui.widgets.detail import DetailPane

# The bidi override comes first so that it is inside the table's title column too.
HOSTILE = ("\u202eevil\u202c \u2066iso\u2069 zero\u200bwidth zw\u200djoin "
           "\x1b[31mred\x1b[0m bell\x07 \x1b]0;pwned\x07")
VISIBLE = ["\\u202eevil\\u202c", "\\u2066iso\\u2069", "zero\\u200bwidth", "zw\\u200djoin",
           "\\x1b[31mred", "bell\\x07"]


def hidden_in(text: str) -> list[str]:
    return [c for c in text if is_hidden(c) and c != "\n"]


def assert_shown_safely(text: str, expected: list[str]) -> None:
    assert hidden_in(text) == []
    for piece in expected:
        assert piece in text


async def test_table_row_and_detail_pane(make_app):
    app = make_app([make_meeting(0, account="team", title=HOSTILE),
                    make_meeting(1, account="team", title="Next row")])
    async with app.run_test(size=(200, 40)) as pilot:
        await pilot.press("home")  # the list opens on what is on now: the second row
        await pilot.pause()  # the pane follows once the cursor rests
        text = screen_text(app)
        assert_shown_safely(text, VISIBLE)
        # The table row itself (the detail pane repeats the title).
        row = "".join(segment.text for segment in app.screen.table.render_line(0))
        assert_shown_safely(row, ["\\u202eevil"])


async def test_a_lone_surrogate_from_a_provider(make_app):
    meeting = make_meeting(0, account="team", title="bad\udcffbyte \u202eX")
    app = make_app([make_meeting(1, account="team")])
    async with app.run_test(size=(160, 40)) as pilot:
        await pilot.pause()
        app.screen.query_one(DetailPane).show(meeting, app.clock.now())
        await pilot.pause()
        assert_shown_safely(screen_text(app), ["bad\\udcffbyte \\u202eX"])
        table = app.screen.table
        strip = table._render_meeting(meeting, 5, 150, Style())
        assert_shown_safely("".join(segment.text for segment in strip),
                            ["bad\\udcffbyte \\u202eX"])


async def test_confirm_dialog_and_the_toast_after_it(make_app):
    app = make_app([make_meeting(0, account="team", title=HOSTILE)])
    async with app.run_test(size=(200, 40)) as pilot:
        await pilot.press("d")
        assert isinstance(app.screen, ConfirmScreen)
        assert_shown_safely(screen_text(app), ["'\\u202eevil"])
        await pilot.press("y")
        await app.workers.wait_for_complete()
        await pilot.pause()
        messages = [text for _, text in app.messages]
        # Quoted once: not repr(), which would double the escapes' backslashes.
        assert any("'\\u202eevil\\u202c " in text for text in messages)
        assert all(hidden_in(text) == [] for text in messages)


async def test_edit_form_heading(make_app):
    app = make_app([make_meeting(0, account="team", title=HOSTILE)])
    async with app.run_test(size=(200, 50)) as pilot:
        await open_edit_form(pilot)
        heading = app.screen.query_one("#form-title").render()
        assert_shown_safely(str(heading), ["Edit '\\u202eevil", "\\x1b[31mred"])
        assert "\\\\" not in str(heading)  # escaped once, not again by repr()


async def test_form_errors_from_a_provider_are_shown_safely(make_app):
    app = make_app([make_meeting(0, account="team", title="x")])
    async with app.run_test(size=(200, 50)) as pilot:
        await open_edit_form(pilot)
        app.screen.show_error(None, "the provider says \u202enope\x1b[2J")
        await pilot.pause()
        shown = str(app.screen.query_one("#form-error").render())
        assert_shown_safely(shown, ["\\u202enope\\x1b[2J"])


async def test_qr_screen_title(make_app):
    app = make_app([make_meeting(0, account="team", title=HOSTILE)])
    async with app.run_test(size=(120, 60)) as pilot:
        await pilot.press("Q")
        assert isinstance(app.screen, QRScreen)
        await pilot.pause()
        title = str(app.screen.query_one("#qr-title").render())
        assert_shown_safely(title, ["\\u202eevil"])


async def test_accounts_screen_message(make_app):
    app = make_app([make_meeting(0, account="team")])
    async with app.run_test(size=(140, 40)) as pilot:
        info = dataclasses.replace(app.service.account_info("team"),
                                   message="provider says \u202ereversed\u200b\x1b[5m")
        app.push_screen(AccountsScreen([info], {"team": 1}, app.clock.now(), None,
                                       demo=None))
        await pilot.pause()
        assert_shown_safely(screen_text(app), ["\\u202ereversed\\u200b\\x1b[5m"])


async def test_ctrl_c_says_how_to_quit_in_words(make_app):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("ctrl+c")
        await pilot.pause()
        assert app.messages[-1] == ("information", "Press ^q or q to quit.")  # no [b] tags
        assert app.is_running  # only a hint: it did not quit


async def test_every_toast_shows_control_and_bidi_characters(make_app):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        app.notify("Saved \x1b[31mred\x1b[0m \u202eevil\nsecond line")
        await pilot.pause()
        assert app.messages[-1][1] == "Saved \\x1b[31mred\\x1b[0m \\u202eevil\nsecond line"


def test_a_lone_surrogate_from_a_provider_does_not_fail_the_cache(tmp_path):
    from factories import make_meeting
    from meettui.core.cache import Cache

    cache = Cache(tmp_path / "c.sqlite3")
    try:
        cache.upsert_page("acc", [make_meeting(1, title="bad \udcff title"), make_meeting(2)])
        assert [m.title for m in cache.window(["acc"])] == ["bad \ufffd title", "Meeting 000002"]
    finally:
        cache.close()
