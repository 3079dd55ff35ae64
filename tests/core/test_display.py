"""`printable`: provider text can neither drive the terminal nor reorder or hide itself."""

import sys
import unicodedata

import pytest

from meettui.core.display import escape, is_hidden, printable

# One of every kind of character that must not reach a terminal as it is.
HOSTILE = (
    "Pay\x1b[31mRED\x1b[0m\x1b]0;pwned\x07"  # CSI and OSC escape sequences, BEL
    "\x9b2J"  # C1 CSI
    "\u202eevil"  # RIGHT-TO-LEFT OVERRIDE
    "\u2066iso\u2069"  # LEFT-TO-RIGHT ISOLATE … POP DIRECTIONAL ISOLATE
    "zero\u200bwidth"  # ZERO WIDTH SPACE
    "zw\u200djoin"  # ZERO WIDTH JOINER
    "\ufeffbom"  # BYTE ORDER MARK
    "\u061calm"  # ARABIC LETTER MARK
    "\U000e0041tag"  # TAG LATIN CAPITAL LETTER A
    "\u2028line"  # LINE SEPARATOR
    "\udcffsurrogate"  # a byte that was not UTF-8, as Python decodes it
)


def hidden_in(text: str) -> list[str]:
    return [c for c in text if is_hidden(c)]


def test_every_hostile_character_is_shown_as_an_escape():
    shown = printable(HOSTILE)
    assert hidden_in(shown) == []
    assert shown == (
        "Pay\\x1b[31mRED\\x1b[0m\\x1b]0;pwned\\x07"
        "\\x9b2J"
        "\\u202eevil"
        "\\u2066iso\\u2069"
        "zero\\u200bwidth"
        "zw\\u200djoin"
        "\\ufeffbom"
        "\\u061calm"
        "\\U000e0041tag"
        "\\u2028line"
        "\\udcffsurrogate"
    )


@pytest.mark.parametrize("char", ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e",
                                  "\u200b", "\u200c", "\u200d", "\u200e", "\u200f",
                                  "\u2060", "\u2061", "\u2062", "\u2063", "\u2064",
                                  "\u2066", "\u2067", "\u2068", "\u2069", "\ufeff", "\u061c"])
def test_bidi_and_zero_width_characters_are_visible(char):
    assert printable(f"a{char}b") == f"a\\u{ord(char):04x}b"


def test_every_format_character_and_surrogate_is_escaped():
    # The whole of Unicode: no Cc, Cf, Cs, Zl or Zp character survives printable().
    survivors = []
    for code in range(sys.maxunicode + 1):
        char = chr(code)
        if unicodedata.category(char) in ("Cc", "Cf", "Cs", "Zl", "Zp"):
            shown = printable(char)
            if shown not in (" ", escape(char)) or not shown.isascii():
                survivors.append(hex(code))
    assert survivors == []


def test_newlines_and_tabs_become_spaces_so_a_row_stays_one_row():
    assert printable("one\ntwo\tthree") == "one two three"
    assert printable("cr\rlf") == "cr\\x0dlf"


def test_ordinary_text_is_untouched():
    for text in ["Weekly standup", "[bold red]x[/]", "日本語の会議", "🎉 Party", "שלום עולם",
                 "Café crème", "a\u00a0b", "\u3000wide space"]:
        assert printable(text) == text


def test_is_hidden():
    assert is_hidden("\u202e") and is_hidden("\x1b") and is_hidden("\udcff")
    assert not is_hidden("a") and not is_hidden("日") and not is_hidden("\u00a0")


def test_a_date_at_the_edge_of_the_calendar_never_breaks_a_screen(monkeypatch):
    # Year 1 in New York would be year 0 (out of range): shown in its own zone instead.
    import time
    from datetime import UTC, datetime

    from meettui.core.display import local_time

    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    try:
        assert local_time(datetime(1, 1, 1, tzinfo=UTC)).endswith("1-01-01 00:00")
        assert local_time(datetime(9999, 12, 31, 23, 0, tzinfo=UTC)).startswith("9999-12-31")
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()
