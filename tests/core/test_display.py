"""`printable`: provider text can neither drive the terminal nor reorder or hide itself."""

import sys
import unicodedata

import pytest

from meettui.core.display import escape, is_hidden, printable, with_article

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
    assert printable("crlf\r\nbreak") == "crlf break"


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


# -- text handed to another program: plain() and plain_link() ----------------------------

from meettui.core.display import (  # noqa: E402 - the section's own names
    clipped,
    cut,
    ellipsize,
    fit,
    plain,
    plain_link,
)


def test_plain_drops_escape_sequences_whole_and_every_hidden_character():
    # Copied as an invitation, a title carried ESC sequences (an OSC 52 clipboard write
    # among them) and bidi overrides raw into chat, email and calendars.
    assert plain("ANSI \x1b[31mRED\x1b[0m osc\x1b]52;c;aGFja2Vk\x07 end") == "ANSI RED osc end"
    assert plain("safe\u202egnp.exe") == "safegnp.exe"
    assert plain(HOSTILE) == ("PayRED2Jevilisozerowidthzwjoinbomalmtag linesurrogate")
    assert hidden_in(plain(HOSTILE)) == []


def test_plain_keeps_lines_only_when_asked():
    text = "one\ntwo\r\nthree\u2028four\tfive\u200b"
    assert plain(text) == "one two three four five"
    assert plain(text, lines=True) == "one\ntwo\nthree\nfour\tfive"


def test_plain_leaves_ordinary_text_alone():
    for text in ["Weekly standup", "[bold red]x[/]", "日本語の会議", "🎉 Party", "שלום עולם",
                 "Café crème", "a\u00a0b", "back\\slash \\u202e typed"]:
        assert plain(text) == text


def test_no_hidden_character_survives_plain():
    # Of the whole of Unicode, a text of several lines keeps its line breaks and tabs.
    survivors = [hex(code) for code in range(sys.maxunicode + 1)
                 if hidden_in(plain(f"a{chr(code)}b"))
                 or hidden_in(plain(f"a{chr(code)}b", lines=True)) not in ([], ["\n"], ["\t"])]
    assert survivors == []


def test_plain_link_percent_encodes_what_it_cannot_carry():
    assert plain_link("https://x.example/r?a=1") == "https://x.example/r?a=1"
    assert plain_link("https://x.example/a\u202eb c\x1b[1m") == (
        "https://x.example/a%E2%80%AEb%20c%1B[1m")
    assert plain_link("https://x.example/\udcff") == "https://x.example/"


# -- cuts never split an escape ------------------------------------------------------------

_WHOLE_ESCAPE = __import__("re").compile(r"\\(x[0-9a-f]{2}|u[0-9a-f]{4}|U[0-9a-f]{8})")


def split_escapes(text: str) -> list[str]:
    """Escapes cut short in `text` (`\\u202…`): every backslash in the texts tested
    starts an escape printable() made."""
    return [text[i:i + 10] for i, char in enumerate(text)
            if char == "\\" and not _WHOLE_ESCAPE.match(text, i)]


SHOWN = printable("abc \u202eevil\x1b[31m \U000e0041tag and\u200bmore")


@pytest.mark.parametrize("width", range(1, len(SHOWN) + 2))
def test_fit_and_ellipsize_never_cut_inside_an_escape(width):
    # `meettui list` showed a title holding U+202E as "\u202…" in a narrow column.
    for shown in (fit(SHOWN, width), cut(SHOWN, width), ellipsize(SHOWN, width)):
        assert split_escapes(shown) == [], shown
        assert len(shown.rstrip(" ")) <= width
    assert len(fit(SHOWN, width)) == width


def test_a_cut_falls_before_the_escape_it_would_split():
    assert fit(printable("abc\u202edef"), 6) == "abc…  "
    assert ellipsize(printable("abc\u202edef"), 6) == "abc…"
    assert cut(printable("abc\u202edef"), 10) == "abc\\u202e…"


@pytest.mark.parametrize("limit", range(6, 40))
def test_clipped_keeps_escapes_whole_at_both_cuts(limit):
    text = printable("\u202e" * 30)
    shown = clipped(text, limit)
    head, _, rest = shown.partition("…[")
    tail = rest.partition("]…")[2]
    assert split_escapes(head) == [] and split_escapes(tail) == []
    cut_count = int(rest.split(" ")[0])
    assert len(head) + cut_count + len(tail) == len(text)


@pytest.mark.parametrize(("word", "said"), [
    ("SVG", "an SVG"), ("PNG", "a PNG"), ("JPG", "a JPG"), ("ICO", "an ICO"),
    ("Ed25519PrivateKey", "an Ed25519PrivateKey"), ("X25519PrivateKey", "an X25519PrivateKey"),
    ("DSAPrivateKey", "a DSAPrivateKey"), ("javascript", "a javascript"), ("ftp", "an ftp"),
    ("about", "an about"), ("file", "a file"), ("ms-settings", "an ms-settings"),
])
def test_with_article_says_a_or_an_as_the_word_is_said(word, said):
    # `qr --png x.svg` said "is named as a SVG file".
    assert with_article(word) == said


def test_a_refused_scheme_takes_the_article_it_is_said_with():
    from meettui.core.link_check import refusal

    assert refusal("ftp://files.example/x").startswith("an ftp: link; ")
    assert refusal("javascript:alert(1)").startswith("a javascript: link; ")


def test_dates_in_a_providers_facts_are_written_as_meettui_writes_dates(monkeypatch):
    # A provider's facts wrote "2026-11-01 18:07 UTC" or "2026/12/01 01:40 – …" beside
    # meettui's "Tue 01 Dec 01:40 UTC".
    from datetime import UTC, datetime

    from meettui.core.display import fact_time, shown_dates

    monkeypatch.setenv("TZ", "UTC")
    now = datetime(2026, 11, 30, 12, tzinfo=UTC)
    start, end = datetime(2026, 12, 1, 1, 40, tzinfo=UTC), datetime(2026, 12, 1, 2, 40,
                                                                    tzinfo=UTC)
    assert fact_time(start) == "2026-12-01 01:40 UTC"
    assert shown_dates(f"running since {fact_time(start)}", now) == \
        "running since Tue 01 Dec 01:40 UTC"
    assert shown_dates(fact_time(datetime(2027, 1, 26, 11, tzinfo=UTC)), now) == \
        "Tue 26 Jan 2027 11:00 UTC"
    # A range in an event's own zone stays in it, its day said once.
    berlin = f"{fact_time(start, 'Europe/Berlin')} – {fact_time(end, 'Europe/Berlin')}"
    assert berlin == "2026-12-01 02:40 Europe/Berlin – 2026-12-01 03:40 Europe/Berlin"
    assert shown_dates(berlin, now) == "Tue 01 Dec 02:40 – 03:40 CET"
    # The command line's text writes them its way; an unknown zone is left as written.
    assert shown_dates(berlin, now, "%Y-%m-%d %H:%M %Z") == \
        "2026-12-01 02:40 CET – 2026-12-01 03:40 CET"
    assert shown_dates("2026-12-01 02:40 Nowhere/Land", now) == "2026-12-01 02:40 Nowhere/Land"


@pytest.mark.parametrize("text", ["Weekly standup", "", "x" * 40, "tab\there", "esc\x1b[1m",
                                  "del\x7f", "日本語の会議", "🎉 Party", "Café", "a\u200bb",
                                  printable("bidi\u202eevil")])
def test_fit_is_exactly_width_cells_for_every_kind_of_text(text):
    # ASCII that prints takes a quick path (one cell a character); text that is not
    # (a tab, ESC, DEL take no cell in rich's count; wide characters take two) goes
    # through the measuring one: both give exactly `width` cells, the text cut with "…"
    # only when it does not fit.
    from rich.cells import cell_len

    for width in range(0, 45):
        shown = fit(text, width)
        assert cell_len(shown) == width, (text, width, shown)
        if cell_len(text) <= width:
            assert shown.rstrip(" ") == text.rstrip(" ")
        elif width:
            assert shown.rstrip(" ").endswith("…")
