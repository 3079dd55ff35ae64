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

A token belongs to one walk: the accounts, the query and whether it is `upcoming`
define it, and the token carries a short digest of each (`Walk`). Continuing it with
other ones mixed two walks' counts, or paged the whole list as `upcoming`; the list
refuses that now, naming what differs (`ListCursor.differs`). Every field is checked
when a token is read: a hand-edited one (a mark past SQLite's integers, a start of NaN
or 1e400) is refused as no token a list answer gave, never passed on to SQLite.

Plain Python, no pydantic: the quick `list --offline` (`cli/quick_list.py`) writes
tokens too.
"""

from __future__ import annotations

import binascii
import json
import math
from typing import NamedTuple

# Named tuples, not dataclasses, and base64 and hashlib imported where a token is made or
# read: `meettui list --offline --json` imports this module for every list, and those
# imports were ~15 ms of its ~100 (`dataclasses` alone imports `inspect`).

PREFIX = "a2."
"""Every token starts with this (the version of its layout: "a1." had no `Walk`)."""

LARGEST_INT = 2**63 - 1
"""SQLite's largest integer: no write mark is larger."""
LARGEST_START = 1e18
"""No start key is further from 0 (`cache_rows.NO_START`, a meeting without a start)."""

Key = tuple[float, str, str]
"""A row's place in the start order: its start key, account and id."""


class BadCursor(ValueError):
    """Text that is no token a list answer gave; the message says so for a person."""


class OtherWalk(ValueError):
    """A token of another walk than the one asked for: `fields` names what differs
    (of "accounts", "query", "upcoming"), `upcoming` is whether the token's walk was;
    each front end says it in its own words (`said`)."""

    def __init__(self, fields: list[str], upcoming: bool) -> None:
        super().__init__(f"the continuation is of a list with other {', '.join(fields)}")
        self.fields = fields
        self.upcoming = upcoming

    def said(self, names: dict[str, str]) -> str:
        """What differs, in the front end's `names` of the accounts, the query and
        upcoming (the token's walk was upcoming) and not upcoming: "a list of other
        accounts (--account) and without --upcoming"."""
        words = {"accounts": f"of other accounts ({names['accounts']})",
                 "query": f"with another {names['query']}",
                 "upcoming": names["upcoming"] if self.upcoming else names["not upcoming"]}
        return "a list " + " and ".join(words[field] for field in self.fields)


WALK_FIELDS = ("accounts", "query", "upcoming")


class Walk(NamedTuple):
    """What defines a walk over the list: the accounts listed (None: every account
    cached), the query, and whether it starts at what is on now or next."""

    accounts: tuple[str, ...] | None
    query: str
    upcoming: bool

    @classmethod
    def of(cls, accounts: list[str] | None, query: str, upcoming: bool) -> Walk:
        return cls(None if accounts is None else tuple(sorted(set(accounts))), query,
                   upcoming)

    def marks(self) -> tuple[str, str, bool]:
        """The digests a token carries: short, and saying nothing of the query."""
        return (_digest(self.accounts), _digest(self.query), self.upcoming)


def _digest(value: object) -> str:
    import base64
    import hashlib

    raw = json.dumps(value, ensure_ascii=True, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(hashlib.blake2s(raw, digest_size=6).digest()).decode()


class ListCursor(NamedTuple):
    """Where a walk over the list stands: `last`, the key of the last row shown; `first`,
    the key of the row the walk began at (None: the start of the list); `mark`, the
    cache's write mark when that page was read; `walk`, the marks of the walk it
    belongs to (`Walk.marks`)."""

    last: Key
    first: Key | None
    mark: int
    walk: tuple[str, str, bool]

    def differs(self, walk: Walk) -> list[str]:
        """What of `walk` is not what this cursor's walk was (`WALK_FIELDS`)."""
        return [name for name, mine, asked in zip(WALK_FIELDS, self.walk, walk.marks(),
                                                  strict=True) if mine != asked]

    def token(self) -> str:
        """The cursor as the opaque text an answer carries."""
        data = [_compact(self.last), _compact(self.first) if self.first else None, self.mark,
                list(self.walk)]
        import base64

        raw = json.dumps(data, separators=(",", ":"), ensure_ascii=True).encode()
        return PREFIX + base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _compact(key: Key) -> list[object]:
    """`key` as JSON data: a whole start as an integer (a shorter token, the same key)."""
    start, account, meeting_id = key
    return [int(start) if start.is_integer() else start, account, meeting_id]


def _key(value: object) -> Key | None:
    if (type(value) is list and len(value) == 3 and _start(value[0])
            and _text(value[1]) and _text(value[2])):
        return (float(value[0]), value[1], value[2])
    return None


def _start(value: object) -> bool:
    """Whether `value` is a start key a row can have: a finite number within range
    (JSON's 1e400 is read as infinity, NaN compares with nothing)."""
    if type(value) is int:
        return abs(value) <= LARGEST_START
    return type(value) is float and math.isfinite(value) and abs(value) <= LARGEST_START


def _text(value: object) -> bool:
    """Whether `value` is text SQLite can take (no lone surrogate)."""
    if type(value) is not str:
        return False
    try:
        value.encode()
    except UnicodeEncodeError:
        return False
    return True


def _mark(value: object) -> bool:
    return type(value) is int and 0 <= value <= LARGEST_INT


def _walk(value: object) -> tuple[str, str, bool] | None:
    if (type(value) is list and len(value) == 3 and _text(value[0]) and _text(value[1])
            and type(value[2]) is bool):
        return (value[0], value[1], value[2])
    return None


def parse_cursor(text: str) -> ListCursor:
    """The cursor `text` holds. Raises BadCursor for anything that is not a token a list
    answer gave (cut short, changed, or from another program)."""
    bad = BadCursor(f"{text[:40]!r} is not a continuation a list answer gave "
                    "(copy `next_after` from the previous answer whole)")
    if not text.startswith(PREFIX):
        raise bad
    body = text[len(PREFIX):]
    import base64

    try:
        raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
        data = json.loads(raw)
    except (binascii.Error, ValueError, RecursionError):
        raise bad from None
    if type(data) is not list or len(data) != 4:
        raise bad
    last, first, mark, walk = _key(data[0]), _key(data[1]), data[2], _walk(data[3])
    if (last is None or (data[1] is not None and first is None) or not _mark(mark)
            or walk is None or (first is not None and not walk[2])):
        raise bad
    return ListCursor(last, first, mark, walk)
