"""Provider text is untrusted: show it literally, never let it drive the terminal.

`printable()` is the one gate every front end puts provider (and user) text through
before it reaches a screen: control characters (ESC, BEL, CSI…) would drive the
terminal, and Unicode *format* characters (bidi overrides and isolates, zero-width
spaces and joiners, BOM, invisible operators, tag characters…) would reorder or hide
text, so one row could imitate another. Both are shown as visible escapes instead.
`json_text()` is the same gate for JSON: the command line's and the MCP server's.
"""

from __future__ import annotations

import json
import math
import unicodedata
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
    (`\\x1b`, `\\u202e`), lone surrogates too (`\\udcff`); newlines and tabs as spaces."""
    if text.isprintable():  # the common case, checked in C
        return text
    return "".join(
        _AS_SPACE.get(char) or (escape(char) if is_hidden(char) else char) for char in text
    )


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
    text = json.dumps(data, indent=2, ensure_ascii=False, default=str)
    # Outside strings json.dumps writes ASCII only, and inside them it escapes C0
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
    of a message) is kept."""
    if len(text) <= limit:
        return text
    head = limit * 2 // 3
    tail = limit - head
    return f"{text[:head]}…[{len(text) - head - tail} characters cut]…{text[-tail:]}"


def quoted(text: str) -> str:
    """`text` made printable, in quotes, for a message (`Saved 'Weekly standup'.`).
    Not `!r`: repr would double the backslashes of the escapes printable() made."""
    return f"'{printable(text)}'"


def ellipsize(text: str, limit: int) -> str:
    """`text` cut to at most `limit` characters, ending in "…" when it was cut."""
    if len(text) <= limit:
        return text
    return text[: max(limit - 1, 0)] + "…"


def fit(text: str, width: int) -> str:
    """`text` padded or cut to exactly `width` terminal cells (wide characters take two);
    a cut ends in "…", right after the last character kept, never in half a word without
    one: the list's cells in the app and in `meettui list`."""
    from rich.cells import cell_len, set_cell_size  # rich comes with textual

    length = cell_len(text)
    if length <= width:
        return text + " " * (width - length)
    if width < 1:
        return ""
    # A wide character cut in half leaves a space, as does a cut after a word: trimmed,
    # so that the ellipsis follows the last character kept.
    kept = set_cell_size(text, width - 1).rstrip()
    return kept + "…" + " " * (width - 1 - cell_len(kept))


def local_time(dt: datetime | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """`dt` in the local zone as `fmt`; "—" for None. A date at the edge of the calendar
    (year 1, year 9999) that the local zone would push out of range is shown in its own
    zone instead of failing: a stored or provider-given date never breaks a screen."""
    if dt is None:
        return "—"
    try:
        return dt.astimezone().strftime(fmt)
    except (OverflowError, ValueError, OSError):
        return dt.strftime(fmt)


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


def _short(delta: timedelta) -> str:
    seconds = int(delta.total_seconds())
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    if days:
        return f"{days}d {hours}h" if hours and days < 10 else f"{days}d"
    if hours:
        return f"{hours}h {minutes}m" if minutes else f"{hours}h"
    if minutes:
        return f"{minutes}m"
    return "<1m"
