"""Provider text is untrusted: show it literally, never let it drive the terminal.

`printable()` is the one gate every front end puts provider (and user) text through
before it reaches a screen: control characters (ESC, BEL, CSI…) would drive the
terminal, and Unicode *format* characters (bidi overrides and isolates, zero-width
spaces and joiners, BOM, invisible operators, tag characters…) would reorder or hide
text, so one row could imitate another. Both are shown as visible escapes instead.
"""

from __future__ import annotations

import unicodedata
from datetime import datetime, timedelta

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
