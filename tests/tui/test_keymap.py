"""config.toml's [keymap]: a key no one can press is named in a warning at start and its
entry left out, the default keys staying; keys written as the app shows them work."""

from __future__ import annotations

import pytest
from tui_data import BASE_CONFIG, screen_text

from meettui.tui.keymap import BadKey, check_keymap, key_name


def keymap_config(*entries: str) -> str:
    return BASE_CONFIG + "[keymap]\n" + "".join(f"{entry}\n" for entry in entries)


def warnings(app) -> list[str]:
    return [text for severity, text in app.messages if severity == "warning"]


async def test_keys_no_one_can_press_are_said_and_the_defaults_stay(make_app):
    # "notakey" took ↑ and k from the list and help listed "notakey  Up"; "" was
    # dropped without a word; "[reverse]Z[/]" was bound as it is.
    app = make_app(config=keymap_config('"list.up" = "notakey"', '"meeting.new" = ""',
                                        '"copy.guest" = "[reverse]Z[/]"'))
    async with app.run_test(size=(120, 36)) as pilot:
        assert warnings(app) == [
            "[keymap] entries left out, their default keys stay:\n"
            "list.up = 'notakey': not a key Textual knows\n"
            "meeting.new = '': no key (leave the line out to keep the default key; the "
            "space bar is `space`)\n"
            "copy.guest = '[reverse]Z[/]': not a key Textual knows\n"
            "A key is one character (k, K, ?), a key's name (f1, up, pageup, enter, escape, "
            "tab, space, delete) or modifiers and a key (ctrl+x, alt+x, shift+up)."]
        await pilot.press("j", "j", "up")
        assert app.screen.table.cursor == 1
        await pilot.press("k")
        assert app.screen.table.cursor == 0
        await pilot.press("question_mark")
        keys = dict(app.screen._keys)
        assert keys["↑ / k"] == "Up" and "notakey" not in keys
        await pilot.press("escape", "n")
        assert type(app.screen).__name__ == "MeetingFormScreen"


async def test_a_key_written_as_the_footer_shows_it_works(make_app):
    # "F1" showed "F1 Help" in the footer and F1 did nothing: Textual names it f1.
    app = make_app(config=keymap_config('"app.help" = "F1"', '"qr.open" = "Ctrl+O"'))
    async with app.run_test(size=(120, 36)) as pilot:
        assert warnings(app) == []
        await pilot.pause()
        footer = screen_text(app).rstrip("\n").splitlines()[-1]
        assert "f1 Help" in footer and "^o QR" in footer
        await pilot.press("f1")
        assert type(app.screen).__name__ == "HelpScreen"
        await pilot.press("escape", "ctrl+o")
        assert type(app.screen).__name__ == "QRScreen"


@pytest.mark.parametrize(("written", "name"), [
    ("k", "k"), ("K", "K"), ("?", "question_mark"), ("question_mark", "question_mark"),
    ("é", "é"), ("+", "plus"),
    ("f1", "f1"), ("F1", "f1"), ("PageUp", "pageup"), ("Ctrl+R", "ctrl+r"),
    ("shift+ctrl+up", "ctrl+shift+up"), ("alt+shift+a", "alt+shift+a"),
    ("ctrl+?", "ctrl+question_mark"),
    ("ctrl++", "ctrl+plus"), ("shift+tab", "shift+tab"), ("ctrl+@", "ctrl+@"), ("f25", "f25"),
    # As the footer and the help show keys.
    ("esc", "escape"), ("pgdn", "pagedown"), ("del", "delete"), ("⏎", "enter"), ("↑", "up"),
    ("^q", "ctrl+q"),
])
def test_key_names(written, name):
    assert key_name(written) == name


@pytest.mark.parametrize(("written", "problem"), [
    ("notakey", "not a key Textual knows"),
    ("page_up", "not a key Textual knows; did you mean 'pageup'?"),
    ("return", "not a key Textual knows; did you mean 'enter'?"),
    ("control+x", "'control' is not a modifier (alt, ctrl, hyper, meta, shift, super); did "
                  "you mean 'ctrl'?"),
    ("ctrl+", "no key after the modifiers"),
    ("shift+a", "Shift with a character arrives as the character it types: write 'A'"),
    ("shift+/", "Shift with a character arrives as the character it types: write that "
                "character ('?' rather than shift+/)"),
    ("\x1b", "a control character: write the key's name (tab, enter, escape…)"),
    ("left_shift", "not a key Textual knows"),
])
def test_keys_no_one_can_press(written, problem):
    with pytest.raises(BadKey) as caught:
        key_name(written)
    assert str(caught.value) == problem


def test_check_keymap_leaves_out_whole_entries():
    assert check_keymap({"qr.open": "f2, Q", "list.up": "up,notakey", "copy.guest": "c,,d"}) == (
        {"qr.open": "f2,Q"},
        ["list.up = 'up,notakey': not a key Textual knows",
         "copy.guest = 'c,,d': a comma with no key beside it (the comma key is `comma`)"])


async def test_the_hint_line_shows_the_keys_in_effect(make_app):
    # After a keymap the footer showed the new keys, the hint line the default ones.
    app = make_app(config=keymap_config('"qr.open" = "f2"', '"app.help" = "F1"',
                                        '"list.filter" = "ctrl+f"'))
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        hint = next(line.strip() for line in screen_text(app).splitlines() if "Try:" in line)
        assert hint == ("Try: f2 QR for a guest · y copy the link · n new meeting · ^f filter · "
                        "i details · f1 keys")


@pytest.mark.parametrize("written, sent", [("ctrl+h", "Backspace"), ("^H", "Backspace"),
                                           ("ctrl+i", "Tab"), ("Ctrl+M", "Enter"),
                                           ("ctrl+[", "Escape")])
def test_a_ctrl_key_the_terminal_sends_as_another_is_refused(written, sent):
    # `"help.close" = "ctrl+h"`: no warning, the help's footer said `^h Close`, and
    # Ctrl+H (Backspace's byte) never closed it.
    usable, problems = check_keymap({"help.close": written})
    assert usable == {}
    assert problems == [f"help.close = {written!r}: a terminal sends it as {sent}: choose "
                        "another key"]
