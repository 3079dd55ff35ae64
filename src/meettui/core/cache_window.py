"""Reading the list out of the cache by key, never by counting rows from the top.

A row's key is the tuple of its order's columns (`cache_rows._order_columns`: the
sorted column, then start, account, id), unique per row. A read continues from a
known row's key (`(cols) > (key)` through the order's index), forwards or backwards;
the last rows are read backwards from the end and turned round here, so the end of a
million rows costs what the top does. `skip` remains for a jump that lands far from
every known row (a click on the scrollbar); the caller passes the smallest distance it
knows, from its nearest known row or either end.

The number of rows comes from `meeting_counts` (kept by triggers, schema v4) unless
the view filters by status or words; then one query gives both the count and the
position of the row the cursor follows. `cache_transactions.py` holds the connection
and its lock; these functions take the connection.

A filter word of three or more characters is looked up in the full-text index
(`cache_fts.py`), which says first how many rows hold it. Few matches are fetched by
rowid and sorted, once until the file changes (`cache_sparse.py`: the count, the cursor's place
and the blocks around it then come from that list); many (a common word) are read, and
counted before a row near either end, by walking the order's index and testing the
words with LIKE (`cache_walk.py`), which stops once it has its rows; in between, the
order's index is walked against the index's list of matches.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, replace
from typing import Any

from meettui.core import cache_sparse, cache_walk
from meettui.core.cache_fts import MIN_INDEXED, match_expression
from meettui.core.cache_rows import (
    _NOT_OVER_SQL,
    _account_clauses,
    _meeting,
    _order_columns,
    _where,
)
from meettui.core.models import Meeting
from meettui.core.search import DEFAULT_ORDER, Order, parse_query

Key = tuple[object, ...]
"""A row's values of its view's order columns: its place in the list."""

Row = tuple[Key, "Meeting | None"]
"""A row's key and its meeting (None for a payload that no longer reads: the row still
holds its place, so positions stay right)."""


class Stored:
    """A row's stored payload, read into its meeting the first time `meeting()` is
    asked, then kept. The list reads blocks of 128 rows for a screen of 35 or so: a
    filter keystroke or a jump then decodes the rows it shows, not the whole block (a
    payload takes ~15 µs to validate)."""

    __slots__ = ("_row", "_meeting")

    def __init__(self, row: tuple[str, int]) -> None:
        self._row: tuple[str, int] | None = row
        self._meeting: Meeting | None = None

    def meeting(self) -> Meeting | None:
        """The meeting (None for a payload that no longer reads, as in `Row`)."""
        if self._row is not None:
            self._meeting, self._row = _meeting(self._row), None
        return self._meeting


StoredRow = tuple[Key, Stored]
"""A row's key and its payload, decoded when asked (`read`)."""


@dataclass(frozen=True)
class View:
    """Which rows, in which order: `accounts` (None: every account), a filter `query`
    (`core/search.py`), the `order`, `epoch` (now, in seconds since 1970: statuses
    move with it) and whether the full-text index may serve the query (`fts`)."""

    accounts: list[str] | None
    query: str
    order: Order = DEFAULT_ORDER
    epoch: float = 0.0
    fts: bool = False
    # Where the rows come from: "meetings", or "meetings NOT INDEXED" when the index
    # finds few rows (`_planned`): SQLite then fetches those by rowid and sorts them,
    # instead of walking the whole order index to test each row against the index.
    source: str = "meetings"

    @property
    def columns(self) -> list[str]:
        """The order's columns in SQL, the last three being start, account and id."""
        return _order_columns(self.order, self.epoch)

    def where(self) -> tuple[str, tuple[object, ...]]:
        """The WHERE clause ("" when none) and its parameters."""
        return _where(self.accounts, self.query, self.epoch, fts=self.fts)


@dataclass(frozen=True)
class Position:
    """How many rows a view has (`count`), and where a row is in it: `index` (from 0;
    None when the row is not in the view or none was asked for) and its `key`."""

    count: int
    index: int | None = None
    key: Key | None = None
    home: bool = False
    """The row is where the view opens (`home_key`), given in place of a target that is
    not in the view (`locate` with both)."""


# At most this many full-text matches are fetched by rowid and sorted (a few ms);
# more are found by walking the order's index, which stops after a block of rows.
SPARSE = 4096

# A read walks the order's index testing words with LIKE (`cache_walk.py`) when it
# expects to test at most this share of the number of matches: listing the matches
# costs ~0.08 µs each, testing a row ~0.2 µs. It then tests at most WALK_SPREAD times
# the rows expected (the matches may be sparser there than on average).
WALK_SHARE = 0.5
WALK_SPREAD = 4
# Counting the matches before a row walks from the nearer end when the row is within
# this share of the number of matches of it (rows of the scope, found in the index).
COUNT_SHARE = 0.25


def _indexed_words(view: View) -> list[str]:
    if not view.fts:
        return []
    return [w for w in parse_query(view.query).words if len(w) >= MIN_INDEXED]


_matches_seen: dict[tuple[str, int, int, int], int] = {}


def _fts_matches(conn: sqlite3.Connection, words: list[str]) -> int:
    """How many rows of any account hold every one of `words`, from the index alone
    (a few ms even when broad). Remembered until the file changes: a reload asks for
    the count and a block with the same words."""
    memo = (match_expression(words), *cache_sparse.file_state(conn))
    if memo not in _matches_seen:
        _matches_seen.clear()
        _matches_seen[memo] = conn.execute(
            "SELECT COUNT(*) FROM meetings_fts WHERE meetings_fts MATCH ?",
            (memo[0],)).fetchone()[0]
    return _matches_seen[memo]


def _planned(conn: sqlite3.Connection, view: View) -> tuple[View, int | None]:
    """`view` with the way to read it (`View.source`), and the number of full-text
    matches when its words use the index."""
    words = _indexed_words(view)
    if not words:
        return view, None
    matches = _fts_matches(conn, words)
    if matches <= SPARSE:
        view = replace(view, source="meetings NOT INDEXED")
    return view, matches


def _only_words(conn: sqlite3.Connection, view: View) -> bool:
    """True when the view's words alone decide its rows: no status, no short word,
    and its accounts hold every cached row (the merged view, or a single account)."""
    search = parse_query(view.query)
    if search.statuses or search.accounts or len(_indexed_words(view)) != len(search.words):
        return False
    if view.accounts is None:
        return True
    marks = ",".join("?" * len(view.accounts))
    other = conn.execute(f"SELECT 1 FROM meeting_counts WHERE n > 0 AND account NOT IN "
                         f"({marks}) LIMIT 1", view.accounts).fetchone()
    return other is None


def read(conn: sqlite3.Connection, view: View, *, anchor: Key | None = None,
         backward: bool = False, inclusive: bool = False, skip: int = 0,
         limit: int = 100) -> list[StoredRow]:
    """Up to `limit` rows next to `anchor`, in the view's order: those after it, or
    with `backward` those before it (the ones closest to it). With no anchor, the
    first rows, or with `backward` the last. `inclusive` counts the anchor's own row
    in. `skip` passes over that many rows first (next to the anchor). Rows come back
    in the view's order whichever way they were read, each with its payload, decoded
    when first asked for (`Stored`)."""
    view, matches = _planned(conn, view)
    columns = view.columns
    rows: list[Any] | None = None
    width = len(columns)
    listed = cache_sparse.listing(conn, view)
    if listed is not None:
        rows = cache_sparse.read_listed(conn, listed, anchor, backward=backward,
                                        inclusive=inclusive, skip=skip, limit=limit)
        if rows is not None:  # in the view's order already
            return [(tuple(row[:width]), Stored(row[width:])) for row in rows]
    if matches and skip <= 0 and limit > 0:
        rows = _read_walking(conn, view, matches, anchor, backward=backward,
                             inclusive=inclusive, limit=limit)
    if rows is None:
        where, params = view.where()
        # Reading backwards walks the same index the other way.
        descending = view.order.descending != backward
        clauses = [where] if where else []
        if anchor is not None:
            compare = "<" if descending else ">"
            marks = ", ".join("?" * len(columns))
            clauses.append(f"{'AND' if where else 'WHERE'} ({', '.join(columns)}) "
                           f"{compare}{'=' if inclusive else ''} ({marks})")
            params = (*params, *anchor)
        direction = " DESC" if descending else ""
        by = ", ".join(c + direction for c in columns)
        offset = f" OFFSET {int(skip)}" if skip > 0 else ""
        rows = conn.execute(
            f"SELECT {', '.join(columns)}, payload, missing FROM {view.source} "
            f"{' '.join(clauses)} ORDER BY {by} LIMIT ?{offset}",
            (*params, max(0, limit)),
        ).fetchall()
    out: list[StoredRow] = [(tuple(row[:width]), Stored(row[width:])) for row in rows]
    if backward:
        out.reverse()
    return out


def count(conn: sqlite3.Connection, view: View) -> int:
    """The number of rows in `view`: from the kept counts (no scan) unless it filters
    by status or words."""
    search = parse_query(view.query)
    if not (search.statuses or search.words):
        clauses, names = _account_clauses(view.accounts, search.accounts)
        where = "WHERE " + " AND ".join(clauses) if clauses else ""
        total = conn.execute(f"SELECT SUM(n) FROM meeting_counts {where}", names).fetchone()
        return int(total[0] or 0)
    view, matches = _planned(conn, view)
    if matches is not None and _only_words(conn, view):
        return matches
    listed = cache_sparse.listing(conn, view)
    if listed is not None:
        return len(listed.keys)
    where, params = view.where()
    n: int = conn.execute(f"SELECT COUNT(*) FROM {view.source} {where}", params).fetchone()[0]
    return n


def count_range(conn: sqlite3.Connection, view: View, low: Key | None, high: Key | None, *,
                since: int | None = None) -> int:
    """How many rows of `view` (in start order: keys are (start, account, id)) lie from
    `low` up to and with `high` (None: from the start, to the end); with `since`, only
    those first known
    after that write mark (`known_since`): rows cached since a page was read. One
    count over the start index's range."""
    where, params = view.where()
    clauses = [where.removeprefix("WHERE ")] if where else []
    if low is not None:
        clauses.append("(start_key, account, id) >= (?, ?, ?)")
        params = (*params, *low)
    if high is not None:
        clauses.append("(start_key, account, id) <= (?, ?, ?)")
        params = (*params, *high)
    if since is not None:
        clauses.append("known_since > ?")
        params = (*params, since)
    where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
    n: int = conn.execute(f"SELECT COUNT(*) FROM meetings {where}", params).fetchone()[0]
    return n


def locate(conn: sqlite3.Connection, view: View, target: tuple[str, str] | None = None, *,
           home: bool = False, near: int | None = None) -> Position:
    """The view's count and where `target` (account, meeting id) is in it; with
    `home`, where the first meeting on now or next is (`home_key`); with both, the
    target's place, else (it is not in the view) the home's, marked `Position.home`. A
    filtered view answers in one pass over its matches. Unfiltered, the count is kept,
    and the rows before the target are counted from whichever end `near` (the row the
    caller last saw it at) says is closer."""
    found = _target(conn, view, target) if target is not None else None
    fallback = home and target is not None
    if home and found is None:
        position = _position(conn, view, _home(conn, view), near)
        return replace(position, home=fallback)
    position = _position(conn, view, found, near)
    if fallback and position.index is None and position.count:
        # The target is cached but not in this view (a filter left it out): where the
        # view opens instead, its count kept (one count at a million rows is ms).
        position = replace(_position(conn, view, _home(conn, view), near,
                                     total=position.count), home=True)
    return position


def _home(conn: sqlite3.Connection, view: View) -> tuple[int, Key] | None:
    """The row where the view opens (`home_key`), as `_target` gives it."""
    first = home_key(conn, view)
    return _target(conn, view, (str(first[1]), str(first[2]))) if first else None


def _position(conn: sqlite3.Connection, view: View, found: tuple[int, Key] | None,
              near: int | None, *, total: int | None = None) -> Position:
    """The view's count (`total` when known) and `found`'s place in it."""
    search = parse_query(view.query)
    if search.statuses or search.words:
        return _locate_filtered(conn, view, found, total=total)
    if total is None:
        total = count(conn, view)
    if found is None:
        return Position(total)
    rowid, key = found
    where, params = view.where()
    glue = "AND" if where else "WHERE"
    inside = conn.execute(f"SELECT 1 FROM meetings {where} {glue} rowid = ?",
                          (*params, rowid)).fetchone()
    if inside is None:
        return Position(total)
    from_end = near is not None and near > total // 2
    before = _beyond(view, from_end)
    marks = ", ".join("?" * len(key))
    n: int = conn.execute(
        f"SELECT COUNT(*) FROM meetings {where} {glue} ({', '.join(view.columns)}) "
        f"{before} ({marks})", (*params, *key)).fetchone()[0]
    return Position(total, total - 1 - n if from_end else n, key)


def _walk(view: View) -> cache_walk.Walk:
    """`view` as `cache_walk` walks it: its scope (accounts) and its every condition
    with the words tested by LIKE (the same rows as through the index)."""
    clauses, names = _account_clauses(view.accounts, parse_query(view.query).accounts)
    test, params = replace(view, fts=False).where()
    return cache_walk.Walk(view.columns, view.order.descending,
                           (" AND ".join(clauses), tuple(names)),
                           (test.removeprefix("WHERE "), params))


def _walkable(view: View, *, ordered: bool = False) -> bool:
    """Whether the view's order has an index to walk (the status order is computed
    per row: every row is sorted); with `ordered`, also read in that order: with
    several accounts (`account IN (…)`), SQLite reads each account's rows and sorts
    them all, so a walk would sort its whole bound first."""
    if view.order.key == "status":
        return False
    return not ordered or view.accounts is None or len(view.accounts) <= 1


def _scope_size(conn: sqlite3.Connection, walk: cache_walk.Walk) -> int:
    where = f"WHERE {walk.scope[0]}" if walk.scope[0] else ""
    total = conn.execute(f"SELECT SUM(n) FROM meeting_counts {where}", walk.scope[1]).fetchone()
    return int(total[0] or 0)


def _read_walking(conn: sqlite3.Connection, view: View, matches: int, anchor: Key | None, *,
                  backward: bool, inclusive: bool, limit: int) -> list[Any] | None:
    """`read`'s rows (closest to the anchor first) by walking the order's index, when
    the matches are dense enough for that to be the cheaper way; None otherwise."""
    if view.source != "meetings" or not _walkable(view, ordered=True):
        return None
    walk = _walk(view)
    expected = limit * _scope_size(conn, walk) / matches
    if expected > WALK_SHARE * matches:
        return None
    return cache_walk.read(conn, walk, anchor, after=not backward, inclusive=inclusive,
                           limit=limit, most=int(WALK_SPREAD * expected) + limit)


def _count_walking(conn: sqlite3.Connection, view: View, walk: cache_walk.Walk, key: Key,
                   total: int, matches: int) -> int | None:
    """How many of the view's `total` rows come before `key` (one of them), counted
    by walking from the nearer end when it is close to one; None when it is not."""
    if not _walkable(view):
        return None
    most = max(int(COUNT_SHARE * matches), 1)
    before = cache_walk.count_beyond(conn, walk, key, after=False, most=most)
    if before is not None:
        return before
    after = cache_walk.count_beyond(conn, walk, key, after=True, most=most)
    return None if after is None else total - 1 - after


def _beyond(view: View, after: bool) -> str:
    """The comparison that selects rows before a key in the view (after it, `after`)."""
    return ">" if view.order.descending != after else "<"


def _locate_filtered(conn: sqlite3.Connection, view: View,
                     found: tuple[int, Key] | None, *, total: int | None = None) -> Position:
    view, matches = _planned(conn, view)
    where, params = view.where()
    if matches is not None:
        # Through the index: count the matches, then (only when the target is one of
        # them) those before it. Both read matches, not the account's every row.
        if total is None:
            total = count(conn, view)
        if found is None:
            return Position(total)
        rowid, key = found
        listed = cache_sparse.listing(conn, view)
        if listed is not None:
            index = listed.by_rowid.get(rowid)
            return Position(total) if index is None else Position(total, index, key)
        walk = _walk(view)
        # One row's words tested with LIKE, not a list of every match built.
        if not cache_walk.holds(conn, walk, rowid):
            return Position(total)
        before = _count_walking(conn, view, walk, key, total, matches)
        if before is not None:
            return Position(total, before, key)
        glue = "AND" if where else "WHERE"
        marks = ", ".join("?" * len(key))
        n: int = conn.execute(
            f"SELECT COUNT(*) FROM {view.source} {where} {glue} "
            f"({', '.join(view.columns)}) {_beyond(view, False)} ({marks})",
            (*params, *key)).fetchone()[0]
        return Position(total, n, key)
    if found is None:
        n = conn.execute(f"SELECT COUNT(*) FROM meetings {where}", params).fetchone()[0]
        return Position(n)
    # LIKE (or status) only: one pass gives the count, the place and the membership.
    rowid, key = found
    marks = ", ".join("?" * len(key))
    total, before, present = conn.execute(
        f"SELECT COUNT(*), SUM(({', '.join(view.columns)}) {_beyond(view, False)} ({marks})), "
        f"SUM(rowid = ?) FROM meetings {where}", (*key, rowid, *params)).fetchone()
    if not present:
        return Position(total)
    return Position(total, int(before or 0), key)


def _target(conn: sqlite3.Connection, view: View,
            target: tuple[str, str]) -> tuple[int, Key] | None:
    row = conn.execute(f"SELECT rowid, {', '.join(view.columns)} FROM meetings "
                       "WHERE account = ? AND id = ?", target).fetchone()
    return (row[0], tuple(row[1:])) if row is not None else None


def home_key(conn: sqlite3.Connection, view: View) -> Key | None:
    """The key, in start order, of what is on now or next: the first meeting not over
    that started at most an hour ago (rooms open for weeks would otherwise keep the
    cursor days in the past), else the first not over at all (one with no end counts
    as on for an hour); None when every one is over. The view's order must be the
    start order (the key is (start, account, id))."""
    view, matches = _planned(conn, view)
    where, params = view.where()
    glue = "AND" if where else "WHERE"
    epoch = view.epoch
    not_over = _NOT_OVER_SQL.format(now=epoch)
    listed = cache_sparse.listing(conn, view)
    for since, recent in ((epoch - 3600, f"start_key >= {epoch - 3600}"), (None, "")):
        rows = None
        if listed is not None:
            rows = cache_sparse.first_listed(conn, view, listed, not_over, since)
        if rows is None and matches:
            rows = _first_walking(conn, view, matches, not_over, recent)
        if rows is None:
            rows = conn.execute(
                f"SELECT start_key, account, id FROM meetings {where} {glue} {not_over} "
                f"{'AND ' + recent if recent else ''} ORDER BY start_key, account, id LIMIT 1",
                params).fetchall()
        if rows:
            return tuple(rows[0][:3])
    return None


def _first_walking(conn: sqlite3.Connection, view: View, matches: int, condition: str,
                   start: str) -> list[Any] | None:
    """The first row (a list of at most one) of `view` in start order that also meets
    `condition` and `start` (SQL; "" for none), by walking the start order's index when
    a broad word makes that the cheaper way; None when it does not, or the walk did
    not settle it (the caller then asks the index)."""
    if view.source != "meetings" or not _walkable(view, ordered=True):
        return None
    like = _walk(view)
    expected = _scope_size(conn, like) / matches
    if expected > WALK_SHARE * matches:
        return None
    scope, test = like.scope, like.test
    walk = cache_walk.Walk(
        like.columns, False,
        (" AND ".join(c for c in (scope[0], start) if c), scope[1]),
        (" AND ".join(c for c in (test[0], condition, start) if c), test[1]))
    return cache_walk.read(conn, walk, None, after=True, inclusive=False, limit=1,
                           most=int(WALK_SPREAD * expected) + 1)
