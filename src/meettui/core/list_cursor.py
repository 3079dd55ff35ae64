"""The continuation of a paged list (`meettui list --after`, the MCP `after`): where the
last page ended, as an opaque token the answer carries in `next_after`.

Paging by offset counts rows from where the list starts, so it goes wrong whenever
that start or the rows before the next page move between calls: with `upcoming` the
start is "what is on now or next", which moves with the clock, and a list that syncs
before each page gains or loses rows. Meetings were skipped without a word. A token
names the last row shown by its place in the start order (its start, account and id:
the list's key, unique per row), so the next page is the rows after it, whatever the
clock or the rows before it do. It also carries where the walk began (the first row
of an `upcoming` list, None for the whole list), so counts stay counted from the same
place, and the cache's write mark when the page was read (`Cache.write_mark`), so
the next page can say how many meetings were cached meanwhile at places the walk has
already passed (it cannot show them; it says so instead).

Plain Python, no pydantic: the quick `list --offline` (`cli/quick_list.py`) writes
tokens too.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass

PREFIX = "a1."
"""Every token starts with this (the version of its layout)."""

Key = tuple[float, str, str]
"""A row's place in the start order: its start key, account and id."""


class BadCursor(ValueError):
    """Text that is no token a list answer gave; the message says so for a person."""


@dataclass(frozen=True)
class ListCursor:
    """Where a walk over the list stands: `last`, the key of the last row shown; `first`,
    the key of the row the walk began at (None: the start of the list); `mark`, the
    cache's write mark when that page was read."""

    last: Key
    first: Key | None
    mark: int

    def token(self) -> str:
        """The cursor as the opaque text an answer carries."""
        data = [_compact(self.last), _compact(self.first) if self.first else None, self.mark]
        raw = json.dumps(data, separators=(",", ":"), ensure_ascii=True).encode()
        return PREFIX + base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _compact(key: Key) -> list[object]:
    """`key` as JSON data: a whole start as an integer (a shorter token, the same key)."""
    start, account, meeting_id = key
    return [int(start) if start.is_integer() else start, account, meeting_id]


def _key(value: object) -> Key | None:
    if (type(value) is list and len(value) == 3 and type(value[0]) in (int, float)
            and type(value[1]) is str and type(value[2]) is str):
        return (float(value[0]), value[1], value[2])
    return None


def parse_cursor(text: str) -> ListCursor:
    """The cursor `text` holds. Raises BadCursor for anything that is not a token a list
    answer gave (cut short, changed, or from another program)."""
    bad = BadCursor(f"{text[:40]!r} is not a continuation a list answer gave "
                    "(copy `next_after` from the previous answer whole)")
    if not text.startswith(PREFIX):
        raise bad
    body = text[len(PREFIX):]
    try:
        raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
        data = json.loads(raw)
    except (binascii.Error, ValueError, RecursionError):
        raise bad from None
    if type(data) is not list or len(data) != 3:
        raise bad
    last, first, mark = _key(data[0]), _key(data[1]), data[2]
    if last is None or (data[1] is not None and first is None) or type(mark) is not int:
        raise bad
    return ListCursor(last, first, mark)
