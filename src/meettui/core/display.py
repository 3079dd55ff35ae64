"""Provider text is untrusted: show it literally, never let it drive the terminal.

`printable()` is the one gate every front end puts provider (and user) text through
before it reaches a screen: control characters (ESC, BEL, CSI…) would drive the
terminal, and Unicode *format* characters (bidi overrides and isolates, zero-width
spaces and joiners, BOM, invisible operators, tag characters…) would reorder or hide
text, so one row could imitate another. Both are shown as visible escapes instead.
`json_text()` is the same gate for JSON: the command line's and the MCP server's.

Text that leaves meettui for another program (the clipboard, an invitation pasted into
chat or email, a calendar file) goes through `plain()` instead: there the escapes would
be noise, so escape sequences are dropped whole and every other hidden character is
dropped; a link goes through `plain_link()`, which percent-encodes them, as a browser
would send them. Either way what is copied is what a toast shows of it.

Text shown escaped is cut (`ellipsize`, `fit`, `clipped`) before or after an escape,
never inside one: `\\u202…` would name no character.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from collections.abc import Callable
from datetime import datetime, timedelta
from json.encoder import encode_basestring
from typing import Any

# Unicode categories never shown raw: controls (Cc), format characters (Cf: U+061C,
# U+200B–U+200F, U+202A–U+202E, U+2060–U+2069, U+FEFF, tags…), lone surrogates (Cs, what
# Python makes of bytes that are not UTF-8) and the line and paragraph separators.
HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})
# Layout characters that are harmless as a plain space in one line of output.
_AS_SPACE = {"\n": " ", "\t": " "}


def is_hidden(char: str) -> bool:
    """True for a character that must not reach a terminal as it is (see HIDDEN_CATEGORIES)."""
    # isprintable() is False for every hidden category (and for spaces other than " ",
    # private use and unassigned code points, which are shown as they are).
    return not char.isprintable() and unicodedata.category(char) in HIDDEN_CATEGORIES


def escape(char: str) -> str:
    """The visible form of one character: `\\x1b`, `\\u202e`, `\\udcff`, `\\U000e0041`."""
    code = ord(char)
    if code < 0x100:
        return f"\\x{code:02x}"
    if code < 0x10000:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def printable(text: str) -> str:
    """`text` safe to print on one line: control and format characters made visible
    (`\\x1b`, `\\u202e`), lone surrogates too (`\\udcff`); newlines and tabs as spaces,
    a CR LF line break as one space too (a lone CR is shown: `\\x0d`)."""
    if text.isprintable():  # the common case, checked in C
        return text
    # A title typed on Windows ("a\r\nb") showed "a\x0d b": one line break, one space.
    text = text.replace("\r\n", "\n")
    return "".join(
        _AS_SPACE.get(char) or (escape(char) if is_hidden(char) else char) for char in text
    )


# Terminal escape sequences, dropped whole by `plain()` (ECMA-48): CSI (`ESC [`,
# parameters, intermediates, a final byte); the strings OSC, DCS, SOS, PM and APC up to
# their terminator (BEL or ST: a clipboard write `ESC ] 52 ; c ; …` goes with its
# payload); and the two- and three-character escapes (`ESC c`, `ESC ( B`). An
# unterminated string is not matched: its ESC goes as any other control character. So
# does a C1 introducer (U+009B): UTF-8 terminals mostly show what follows it as text, so
# that text is kept.
_ESCAPE_SEQUENCE = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"
    r"|\x1b[\]PX^_][^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)"
    r"|\x1b[ -/]*[0-~]"
)
# Line breaks in every spelling (CR LF, CR, LF, NEL, VT, FF, U+2028, U+2029).
_LINE_BREAK = re.compile("\r\n|[\r\n\x0b\x0c\x85\u2028\u2029]")


def plain(text: str, *, lines: bool = False) -> str:
    """`text` for another program to show (the clipboard, an invitation for chat or
    email, a calendar's title): escape sequences (`ESC [31m`, an OSC 52 clipboard write
    with its payload) dropped whole, and every other hidden character (controls, bidi
    overrides and isolates, zero-width characters: `is_hidden`) dropped, so it can
    neither drive a terminal it is pasted into nor reorder or hide text. Line breaks
    and tabs become spaces (one line), unless `lines`: then a text of several lines
    keeps them, each line break as one "\\n"."""
    if text.isprintable():  # the common case, checked in C
        return text
    text = _LINE_BREAK.sub("\n", _ESCAPE_SEQUENCE.sub("", text))
    if not lines:
        return "".join(" " if char in "\n\t" else char for char in text
                       if not is_hidden(char) or char in "\n\t")
    return "".join(char for char in text if not is_hidden(char) or char in "\n\t")


def plain_link(url: str) -> str:
    """`url` for another program (the clipboard, an invitation, a calendar file, a QR
    code): its hidden characters and spaces percent-encoded in UTF-8, as a browser sends
    them, so the link leads where it led and cannot drive a terminal or reorder the text
    around it. A lone surrogate, which no browser can send, is dropped."""
    if url.isprintable() and " " not in url:
        return url
    from urllib.parse import quote

    return "".join(
        "" if "\ud800" <= char <= "\udfff"
        else quote(char, safe="") if char.isspace() or is_hidden(char) else char
        for char in url)


def json_text(data: Any) -> str:
    """`data` as indented JSON that is safe to show on a terminal: the strings keep
    every character, but control and format characters (ESC, U+202E, U+200B…) and lone
    surrogates are written as `\\uXXXX` escapes, so the text decodes to the same data
    and cannot drive or reorder the terminal that shows it.

    The text is `json.dumps(data, indent=2, ensure_ascii=False)` with those escapes.
    With an indent, json.dumps takes its pure-Python encoder; `_indented` writes the
    same text about twice as fast (its strings through json's C escaper), for the
    types documents hold; anything else goes the general way (`_general_json_text`)."""
    parts: list[str] = []
    try:
        _indented(data, "\n", parts)
    except _Unsupported:
        return _general_json_text(data)
    return "".join(parts)


class _Unsupported(Exception):
    """A value `_indented` leaves to json.dumps (a float that is not finite, a key that
    is not a string, an object written through `default`)."""


def _indented(value: Any, newline: str, out: list[str]) -> None:
    """Append `value` as json.dumps(indent=2) writes it at the depth whose line break
    and indent is `newline`. Raises _Unsupported (see there)."""
    kind = type(value)
    if kind is str:
        out.append(_json_string(value))
    elif kind is dict:
        if not value:
            out.append("{}")
            return
        inner = newline + "  "
        opening = "{"
        for key, item in value.items():
            if not isinstance(key, str):
                raise _Unsupported
            out.append(f"{opening}{inner}{_json_string(key)}: ")
            opening = ","
            _indented(item, inner, out)
        out.append(newline + "}")
    elif kind is list or kind is tuple:
        if not value:
            out.append("[]")
            return
        inner = newline + "  "
        opening = "["
        for item in value:
            out.append(opening + inner)
            opening = ","
            _indented(item, inner, out)
        out.append(newline + "]")
    elif value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif isinstance(value, int):
        out.append(int.__repr__(value))
    elif isinstance(value, float) and math.isfinite(value):
        out.append(float.__repr__(value))
    elif isinstance(value, str):
        out.append(_json_string(value))
    else:
        raise _Unsupported


def _json_string(text: str) -> str:
    """`text` as a JSON string: json's own escapes (quotes, backslashes, C0 controls),
    then every hidden character left as `\\uXXXX` (`_json_escape`)."""
    quoted = encode_basestring(text)
    return quoted if quoted.isprintable() else "".join(_json_escape(c) for c in quoted)


def _general_json_text(data: Any) -> str:
    """`json_text` for any data json.dumps takes (`default=str` for the rest)."""
    return json_escaped(json.dumps(data, indent=2, ensure_ascii=False, default=str))


def json_escaped(text: str) -> str:
    """JSON text a JSON encoder wrote (json.dumps, pydantic's `model_dump_json`), with
    every hidden character left in it written as `\\uXXXX`, as `json_text` writes them:
    it decodes to the same data, and cannot drive or reorder the terminal or the log
    that shows it. Its line breaks stay: an encoder escapes those inside strings, so
    one left is its own, between values or ending the text (a JSON-RPC line)."""
    # Outside strings an encoder writes ASCII only, and inside them it escapes C0
    # controls itself: every hidden character left is inside a string.
    return "\n".join(
        line if line.isprintable() else "".join(_json_escape(c) for c in line)
        for line in text.split("\n")
    )


def _json_escape(char: str) -> str:
    if not is_hidden(char):
        return char
    code = ord(char)
    if code < 0x10000:
        return f"\\u{code:04x}"
    code -= 0x10000  # JSON spells characters beyond the BMP as a surrogate pair
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"


CLIP_AT = 2000
"""`clipped` keeps at most this many characters of a text (about 20 lines' worth)."""


def clipped(text: str, limit: int = CLIP_AT) -> str:
    """`text` as it is when it has at most `limit` characters; else its start and its
    end with the middle cut out, saying how much: a 5 MB argument echoed back in an
    error message or a log line is cut there, and what follows it (the hint at the end
    of a message) is kept. Neither cut falls inside an escape `printable` made."""
    if len(text) <= limit:
        return text
    head = cut_index(text, limit * 2 // 3)
    tail = cut_index(text, len(text) - (limit - limit * 2 // 3), forward=True)
    return f"{text[:head]}…[{tail - head} characters cut]…{text[tail:]}"


def quoted(text: str) -> str:
    """`text` made printable, in quotes, for a message (`Saved 'Weekly standup'.`).
    Not `!r`: repr would double the backslashes of the escapes printable() made."""
    return f"'{printable(text)}'"


_SPELLED_AN = frozenset("aefhilmnorsx8")
"""Letters (and the digit) whose names begin with a vowel sound: "an SVG", "an ftp:"."""
_SPELLED = re.compile(r"[A-Z][A-Z0-9]*(?![a-z])")
"""A word said letter by letter: capitals (and digits) not followed by lower case."""


def with_article(word: str) -> str:
    """`word` after "a" or "an", as it is said: a word by its first letter ("an
    Ed25519PrivateKey", "a javascript: link"), letters said one by one (capitals, or
    a word without a vowel) by the letter's name ("an SVG file", "a PNG file", "an
    X25519PrivateKey", "an ftp: link"). For names put into a message (a file format, a
    type, a link's scheme), where a fixed "a" read "a SVG"."""
    head = re.split(r"[^A-Za-z0-9]", word, maxsplit=1)[0]
    first = head[:1].lower()
    if first.isdigit():
        an = first == "8" or head[:2] in ("11", "18")
    elif _SPELLED.match(head) or not re.search(r"[aeiouy]", head.lower()):
        an = first in _SPELLED_AN
    else:
        an = first in "aeiou"
    return f"{'an' if an else 'a'} {word}"


def titled_id(title: str, meeting_id: str) -> str:
    """A meeting named with its id, for a message the id must make certain (a refusal):
    `'Weekly standup' (abc123)`, or the id alone for one without a title."""
    return f"{quoted(title)} ({printable(meeting_id)})" if title else printable(meeting_id)


def named(title: str, meeting_id: str) -> str:
    """How a question or message names a meeting: its title quoted (`quoted`), or, for
    one without a title, "the untitled meeting ID" ("Delete ''?" named nothing)."""
    return quoted(title) if title else f"the untitled meeting {printable(meeting_id)}"


# An escape as `escape()` writes it: the longest is 10 characters (`\U000e0041`).
_SHOWN_ESCAPE = re.compile(r"\\(?:x[0-9a-f]{2}|u[0-9a-f]{4}|U[0-9a-f]{8})")
_ESCAPE_MAX = 10


def _escape_at(text: str, index: int) -> re.Match[str] | None:
    """The escape (`\\u202e`) that `index` falls strictly inside, if any: a cut there
    would split it. (A backslash typed as such before `u202e` reads the same, and is
    kept whole the same way.)"""
    start = max(0, index - _ESCAPE_MAX + 1)
    for match in _SHOWN_ESCAPE.finditer(text, start, min(len(text), index + _ESCAPE_MAX)):
        if match.start() < index < match.end():
            return match
        if match.start() >= index:
            break
    return None


def cut_index(text: str, index: int, *, forward: bool = False) -> int:
    """Where a cut of `text` at `index` may fall: `index` itself, or, when that is
    inside an escape `printable` made, the escape's start (its end when `forward`)."""
    match = _escape_at(text, index)
    if match is None:
        return index
    return match.end() if forward else match.start()


def ellipsize(text: str, limit: int) -> str:
    """`text` cut to at most `limit` characters, ending in "…" when it was cut (before
    an escape `printable` made, never inside it)."""
    if len(text) <= limit:
        return text
    return text[: cut_index(text, max(limit - 1, 0))] + "…"


def cut(text: str, width: int) -> str:
    """`text` cut to at most `width` terminal cells (wide characters take two), ending in
    "…" right after the last character kept when it was cut: never in half a word
    without one, nor inside an escape `printable` made (`\\u202…` names nothing)."""
    from rich.cells import cell_len, get_character_cell_size  # rich comes with textual

    if cell_len(text) <= width:
        return text
    if width < 1:
        return ""
    used = 0
    index = len(text)  # (not reached: the text is wider than `width`)
    for at, char in enumerate(text):
        used += get_character_cell_size(char)
        if used > width - 1:  # one cell is the ellipsis's
            index = at
            break
    # A cut after a word leaves a space: trimmed, so that the ellipsis follows the last
    # character kept.
    return text[: cut_index(text, index)].rstrip() + "…"


def fit(text: str, width: int) -> str:
    """`text` padded or cut (as `cut` cuts) to exactly `width` terminal cells: the list's
    cells in the app and in `meettui list`."""
    if width <= 0:
        return ""
    # Printable ASCII is one cell a character, which CPython checks in C: most cells of
    # the list (its rows repaint on every page) need no measuring character by character.
    if len(text) <= width and text.isascii() and text.isprintable():
        return text + " " * (width - len(text))
    from rich.cells import cell_len

    shown = cut(text, width)
    return shown + " " * (width - cell_len(shown))


def seconds(value: float) -> str:
    """A number of seconds as people read it, without the unit: at most two significant
    digits below 10 ("4.9", "0.15", "5"), whole seconds from 10 on ("15"). A timeout
    clipped to what a deadline left (4.87352 s) reads "4.9"."""
    if value >= 9.5:
        return str(int(value + 0.5))  # (round() gives 12 for 12.5)
    return f"{value:.2g}"


def wait_text(value: float) -> str:
    """A wait as people say it, with its unit: "17 s" up to a minute and a half, then
    "12 min", "2 h 5 min", "3 days" (a provider's Retry-After read "2300183278 s")."""
    whole = max(1, round(value)) if math.isfinite(value) else 10**12
    if whole < 90:
        return f"{whole} s"
    minutes = round(whole / 60)
    if minutes < 90:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 36:
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    return f"{round(whole / 86400):,} days"


def date_text(dt: datetime, fmt: str) -> str:
    """`dt.strftime(fmt)` with every `%Y` four digits: the C library writes the year 1
    as "1" (glibc), and a start typed as 0001-01-01 was shown "1-01-01 00:00". Every
    date meettui shows is formatted through this."""
    if dt.year < 1000 and "%Y" in fmt:
        fmt = "%%".join(part.replace("%Y", f"{dt.year:04d}") for part in fmt.split("%%"))
    return dt.strftime(fmt)


def local_time(dt: datetime | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """`dt` in the local zone as `fmt` (`date_text`); "—" for None. A date at the edge of
    the calendar (year 1, year 9999) that the local zone would push out of range is shown
    in its own zone instead of failing: a stored or provider-given date never breaks a
    screen."""
    if dt is None:
        return "—"
    try:
        return date_text(dt.astimezone(), fmt)
    except (OverflowError, ValueError, OSError):
        return date_text(dt, fmt)


def countdown(until: datetime | None, now: datetime) -> str:
    """Short human duration until `until` ("in 2h 5m", "expired 3d ago")."""
    if until is None:
        return "—"
    delta = until - now
    text = _short(abs(delta))
    return f"in {text}" if delta >= timedelta(0) else f"{text} ago"


def since(then: datetime | None, now: datetime) -> str:
    """How long ago ("just now", "12m ago"); "never" for None."""
    if then is None:
        return "never"
    if now - then < timedelta(minutes=1):
        return "just now"
    return f"{_short(now - then)} ago"


def whole_minutes(delta: timedelta) -> int:
    """`delta` (not negative) in whole minutes, to the nearest one (half a minute up):
    what a duration shown to the minute or coarser is counted from. Cut down to the
    minute, a meeting made to start in a day was "in 23h" seconds later, and an expiry
    14 days ahead "in 13d"."""
    return int((delta.total_seconds() + 30) // 60)


def _short(delta: timedelta) -> str:
    # From the nearest minute (`whole_minutes`), so that a duration seconds short of a
    # whole hour or day shows it, in the same units as that whole one: +7d read back
    # "in 6d 23h" where +14d read "in 13d".
    hours, minutes = divmod(whole_minutes(delta), 60)
    days, hours = divmod(hours, 24)
    if days:
        return f"{days}d {hours}h" if hours and days < 10 else f"{days}d"
    if hours:
        return f"{hours}h {minutes}m" if minutes else f"{hours}h"
    if minutes:
        return f"{minutes}m"
    return "<1m"


# -- dates inside a provider's facts ----------------------------------------------------

FACT_TIME = "%Y-%m-%d %H:%M"
"""How a date is written inside a meeting's details (`fact_time`), before its zone."""

_ONE_TIME = (r"(\d{4}-\d{2}-\d{2} \d{2}:\d{2}) "
             r"(UTC|[A-Z][A-Za-z_+-]*/[A-Za-z_+-]+(?:/[A-Za-z_+-]+)?)\b")
_FACT_TIMES = re.compile(rf"\b{_ONE_TIME}(?: – {_ONE_TIME})?")
"""One `fact_time`, or a range of two ("A – B"), read in one pass."""


def fact_time(moment: datetime, zone: str = "UTC") -> str:
    """`moment` as a provider writes it into a meeting's details: "2026-12-01 03:24 UTC"
    (an instant: front ends show it in the local zone, as every other time), or with an
    IANA zone ("2026-12-01 04:24 Europe/Berlin", "… Etc/UTC") for a wall time that
    belongs to that zone (front ends keep it there). Plain and sortable in the JSON;
    the app and the command line's text show it in their own format (`shown_dates`)."""
    if zone == "UTC":
        from datetime import UTC

        return f"{date_text(moment.astimezone(UTC), FACT_TIME)} UTC"
    from zoneinfo import ZoneInfo

    return f"{date_text(moment.astimezone(ZoneInfo(zone)), FACT_TIME)} {zone}"


def _fact_moment(text: str, zone: str) -> datetime | None:
    """The date of one `fact_time`, in the zone it is shown in: the local one for an
    instant ("UTC"), else its own; None when it cannot be read (left as written)."""
    from datetime import UTC

    try:
        moment = datetime.strptime(text, FACT_TIME)
        if zone == "UTC":
            return local_moment(moment.replace(tzinfo=UTC))
        from zoneinfo import ZoneInfo

        return moment.replace(tzinfo=ZoneInfo(zone))
    except (ValueError, KeyError, OverflowError, OSError):
        return None


def local_moment(moment: datetime) -> datetime:
    """`moment` in the local zone; as it is when the local zone would push it out of the
    calendar's range (year 1, year 9999)."""
    try:
        return moment.astimezone()
    except (OverflowError, ValueError, OSError):
        return moment


def day_format(moment: datetime | None, now: datetime) -> str:
    """The strftime format of meettui's dates on screen ("Tue 01 Dec 01:40 UTC"): the
    year only when it is not this year's (in `moment`'s zone), as calendars write it.
    With it, "Tue 01 Dec 2026 00:29 UTC" wrapped its zone onto a line of its own in the
    detail pane at 100 columns."""
    try:
        same_year = moment is not None and \
            moment.year == now.astimezone(moment.tzinfo).year
    except (OverflowError, ValueError, OSError):  # a date at the calendar's edge
        same_year = False
    return "%a %d %b %H:%M %Z" if same_year else "%a %d %b %Y %H:%M %Z"


def screen_time(moment: datetime | None, now: datetime) -> str:
    """`moment` in the local zone in meettui's one on-screen format (`day_format`); "—"
    for None."""
    if moment is None:
        return "—"
    shown = local_moment(moment)
    return date_text(shown, day_format(shown, now))


def shown_dates(value: str, now: datetime, fmt: str | None = None,
                mark: Callable[[str], str] | None = None) -> str:
    """A fact's `value` with every `fact_time` in it written as meettui writes dates:
    `fmt` when given (the command line's text), else the screen's (`day_format`).
    A range of two on one day in one zone is said once ("Tue 01 Dec 01:40 – 02:40
    UTC"). Anything else in `value` is left as it is. `mark` is given each date (or
    range) as written, and what it returns is put in its place (the app keeps a date
    whole on a line)."""

    def one(text: str, zone: str) -> tuple[datetime, str] | None:
        moment = _fact_moment(text, zone)
        if moment is None:
            return None
        return moment, date_text(moment, fmt or day_format(moment, now))

    def shown(match: re.Match[str]) -> str:
        keep = mark or (lambda text: text)
        start = one(match[1], match[2])
        if start is None:
            return match[0]
        if match[3] is None:
            return keep(start[1])
        end = one(match[3], match[4])
        if end is None:
            return f"{keep(start[1])} – {match[3]} {match[4]}"
        zone = f" {start[0].strftime('%Z')}"
        if fmt is None and start[0].date() == end[0].date() and zone.strip() and \
                start[0].utcoffset() == end[0].utcoffset() and start[1].endswith(zone):
            # "Tue 01 Dec 01:40 UTC – Tue 01 Dec 02:40 UTC" said the day and zone twice.
            return keep(f"{start[1].removesuffix(zone)} – {date_text(end[0], '%H:%M')}"
                        f"{zone}")
        return f"{keep(start[1])} – {keep(end[1])}"

    return _FACT_TIMES.sub(shown, value)
