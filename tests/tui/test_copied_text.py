"""What the app copies is plain text (`display.plain`, `display.plain_link`): no escape
sequence, control, bidi or zero-width character from a provider reaches the clipboard,
and the toast shows what was copied. Text shown escaped is cut before an escape, never
inside it."""

from __future__ import annotations

import pytest

from factories import make_meeting
from meettui.core.display import is_hidden, printable
from meettui.core.models import Link, Role, SessionData
from meettui.tui.notifications import TOAST_LINE_MAX, toast_text
from meettui.tui.widgets.facts import FactsGrid

TITLE = "ANSI \x1b[31mRED\x1b[0m osc\x1b]52;c;aGFja2Vk\x07 end safe\u202egnp.exe"
CLEAN = "ANSI RED osc end safegnp.exe"


def hostile(url: str = "https://x.whereby.com/r0"):
    return make_meeting(0, account="team", title=TITLE).model_copy(update={"links": [
        Link(role=Role.GUEST, url=url),
        Link(role=Role.HOST, url=url + "?roomKey=k\u200b0", sensitive=True)]})


@pytest.fixture(autouse=True)
def _no_system_clipboard(monkeypatch):
    monkeypatch.setenv("SSH_TTY", "/dev/pts/9")  # keep the real system clipboard out of tests


async def test_the_invitation_is_copied_plain_and_the_toast_shows_it(make_app):
    # `I` copied raw ESC sequences (a nested OSC 52 among them) and the toast showed
    # "ANSI \x1b[31mRED…", not what was copied.
    app = make_app([hostile()])
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("I")
        assert app.clipboard == (f"{CLEAN}\nTue 24 Nov 2026 09:00–09:30 UTC\n"
                                 "Join: https://x.whereby.com/r0")
        assert app.messages[-1] == ("information", "Copied the invitation: "
                                    + app.clipboard.replace("\n", " "))


async def test_a_link_holding_a_hidden_character_is_never_copied(make_app):
    # It was copied percent-encoded, as a browser would send it: still a link that reads
    # as another (`…/r\u202e0`). The link rule (`link_check`) refuses it, and says so.
    app = make_app([hostile("https://x.whereby.com/r\u202e0")])
    async with app.run_test(size=(120, 40)) as pilot:
        before = app.clipboard
        for key, role in (("g", "guest"), ("h", "host")):
            await pilot.press(key)
            assert app.clipboard == before
            severity, text = app.messages[-1]
            assert (severity, text) == ("warning", (
                f"This meeting has no {role} link: the provider's guest and host links were "
                "left out: each is a link holding a control, invisible or space character "
                "(\\u202e at position 24), which can hide or reorder what it shows."))
            assert not any(is_hidden(c) for c in text)


async def test_join_data_is_copied_as_json_with_its_hidden_characters_escaped(make_app):
    meeting = hostile()
    app = make_app([meeting])
    async with app.run_test(size=(120, 40)) as pilot:
        main = app.screen
        main.session_data[meeting.key] = SessionData(
            label="Join data", secret_keys=(), data={"name": "a\u202eb\x1b[2J"})
        main.action_copy_session_data()
        await pilot.pause()
        await pilot.press("y")
        assert app.clipboard == '{\n  "name": "a\\u202eb\\u001b[2J"\n}'


def test_a_toast_cuts_a_long_line_before_an_escape():
    for extra in range(8):
        line = printable("x" * (TOAST_LINE_MAX - 6 + extra) + "\u202e" * 4)
        shown = toast_text([line])
        assert shown.endswith("…") and len(shown) <= TOAST_LINE_MAX
        assert shown.rstrip("…").rstrip("x").replace("\\u202e", "") == ""


@pytest.mark.parametrize("width", range(8, 16))
def test_the_detail_facts_cut_a_long_word_before_an_escape(width):
    # Textual's ellipsis cut "m-\u202e\u202e…" as "m-\u2…".
    grid = FactsGrid((("ID", printable("m-" + "\u202e" * 4)),))
    lines = grid.lines(width)
    assert lines is not None
    value = str(lines[0]).removeprefix("ID ").rstrip()
    assert value.endswith("…")
    assert value.removeprefix("m-").removesuffix("…").replace("\\u202e", "") == ""


def test_a_toast_is_cut_to_the_rows_a_small_terminal_has():
    from meettui.tui.notifications import fitted

    text = "Copied the guest link: https://meet.example.org/permalink?guest=abcdefghijkl"
    # 80x24 has the room: the text is as it was.
    assert fitted(text, 80, 24, title="Copied") == ("Copied", text)
    # 40x8: a toast of 19 columns (16 for text: the rack's scrollbar takes 2 of the 40),
    # 8 - 3 rows less the title's one.
    assert fitted(text, 40, 8, title="Copied")[1].split("\n") == [
        "Copied the guest", "link: ", "https://meet.exa", "mple.org/permal…"]
    # 20x6: 6 columns, 3 rows; a title that wraps to three keeps one for the text.
    assert fitted("No system clipboard found", 20, 6, title="Maybe not copied") == (
        "Maybe \nnot…", "No…")


@pytest.mark.parametrize("size", [(20, 6), (40, 12), (80, 24)])
async def test_a_long_toast_fits_the_screen_and_shows_its_beginning(make_app, size):
    # The start-up warnings' toast ("4 start-up warnings: ? lists them" over four long
    # warnings) ran off the bottom at 80x24 (its rows counted one column too wide) and
    # showed a piece of its title at 20x6 (the title was not cut).
    from textual.widgets._toast import Toast

    app = make_app(show_toasts=True)
    async with app.run_test(size=size, notifications=True) as pilot:
        app.notify("\n".join(f"Warning {i}: " + "a long sentence of words " * 6
                             for i in range(4)),
                   title="4 start-up warnings: ? lists them", severity="warning")
        await pilot.pause()
        toast = app.screen.query_one(Toast)
        assert app.screen.region.contains_region(toast.region), (size, toast.region)
        lines = [line.text for line in app.screen._compositor.render_strips()]
        inside = [lines[y][toast.region.x:toast.region.right]
                  for y in range(toast.region.y, toast.region.bottom)]
        assert any("4" in line for line in inside[:3]), inside  # the title's beginning


async def test_a_toast_on_a_tiny_terminal_shows_how_it_begins(make_app, monkeypatch):
    # At 20x6 a copy's toast showed a piece of the link's middle (".team/permal",
    # "ink?gu"): it was taller than the screen, and the rack showed its end.
    import pyperclip
    from textual.widgets._toast import Toast

    monkeypatch.setattr(pyperclip, "copy", lambda _text: None)
    monkeypatch.delenv("SSH_TTY", raising=False)
    monkeypatch.delenv("SSH_CONNECTION", raising=False)
    app = make_app(show_toasts=True)
    async with app.run_test(size=(20, 6), notifications=True) as pilot:
        await pilot.press("g")
        await pilot.pause()
        toast = app.screen.query_one(Toast)
        assert app.screen.region.contains_region(toast.region), toast.region
        assert str(toast._notification.message).startswith("Copied")
