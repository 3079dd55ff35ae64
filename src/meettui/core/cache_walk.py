"""Reading a broad filter's rows by walking the order's index, a few rows at a time.

When the index (`cache_fts.py`) finds many rows (a word in 1 row of 8: 125,000 of a
million), asking it for them costs before SQLite can order them: `rowid IN (matches)`
builds a list of every matching rowid (~10 ms at 125,000) for each read, however few
rows the read wants. Walking the order's index instead, and testing each row's search
text with LIKE (which finds the same rows: `cache_fts.py`), stops once the read has its
rows: about `limit × rows / matches` rows walked (~1,000 for a block of 128), ~0.2 µs
each. Counting the matches before a row near either end of the list is the same walk.

Every walk has a bound: at most `most` rows of the view's scope (its accounts, before
any word or status), found through the same index without reading a row. When the
matches are sparser there than the estimate said, the walk stops at the bound and says
so (None), and the caller asks the index instead: a walk costs at most its bound.

`cache_window.py` decides when to walk and passes the SQL pieces in.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Any

Key = tuple[object, ...]
Clause = tuple[str, tuple[object, ...]]
"""A condition in SQL ("" for none) and its parameters."""


@dataclass(frozen=True)
class Walk:
    """How to walk a view: its order's `columns` (the key), whether the order is
    `descending`, its `scope` (accounts only: bounds are counted in it) and its `test`
    (every condition of the view, words as LIKE), each a condition without WHERE."""

    columns: list[str]
    descending: bool
    scope: Clause
    test: Clause


def _where(*clauses: Clause) -> Clause:
    parts = [sql for sql, _ in clauses if sql]
    params = tuple(p for _, ps in clauses for p in ps)
    return ("WHERE " + " AND ".join(parts) if parts else ""), params


def _beside(walk: Walk, key: Key, *, after: bool, inclusive: bool = False) -> Clause:
    """The rows after `key` in the walk's order (before it, not `after`)."""
    forward = after != walk.descending
    compare = (">" if forward else "<") + ("=" if inclusive else "")
    marks = ", ".join("?" * len(key))
    return f"({', '.join(walk.columns)}) {compare} ({marks})", tuple(key)


def _bound(conn: sqlite3.Connection, walk: Walk, anchor: Key | None, *, after: bool,
           inclusive: bool, most: int) -> Key | None:
    """The key of the `most`-th row of the scope from `anchor` (None: from the start,
    or the end when not `after`) the way the walk goes; None when fewer rows are left.
    Reads the order's index only."""
    forward = after != walk.descending
    near = _beside(walk, anchor, after=after, inclusive=inclusive) if anchor else ("", ())
    where, params = _where(walk.scope, near)
    by = ", ".join(c + ("" if forward else " DESC") for c in walk.columns)
    row = conn.execute(f"SELECT {', '.join(walk.columns)} FROM meetings {where} "
                       f"ORDER BY {by} LIMIT 1 OFFSET ?", (*params, most - 1)).fetchone()
    return tuple(row) if row is not None else None


def read(conn: sqlite3.Connection, walk: Walk, anchor: Key | None, *, after: bool,
         inclusive: bool, limit: int, most: int) -> list[Any] | None:
    """Up to `limit` rows of the view next to `anchor` (after it, or before it when
    not `after`; from the start or the end with no anchor), closest first, each its
    key's columns then `payload` and `missing`, testing at most `most` rows of the
    scope; None when those held fewer than `limit` matches and more rows were left
    (the caller then reads through the index)."""
    forward = after != walk.descending
    bound = _bound(conn, walk, anchor, after=after, inclusive=inclusive, most=most)
    near = _beside(walk, anchor, after=after, inclusive=inclusive) if anchor else ("", ())
    # The bound's own row is one of the `most`: the walk takes it in.
    end = _beside(walk, bound, after=not after, inclusive=True) if bound else ("", ())
    where, params = _where(walk.test, near, end)
    by = ", ".join(c + ("" if forward else " DESC") for c in walk.columns)
    rows = conn.execute(f"SELECT {', '.join(walk.columns)}, payload, missing FROM meetings "
                        f"{where} ORDER BY {by} LIMIT ?", (*params, limit)).fetchall()
    if len(rows) < limit and bound is not None:
        return None
    return rows


def count_beyond(conn: sqlite3.Connection, walk: Walk, key: Key, *, after: bool,
                 most: int) -> int | None:
    """How many rows of the view come before `key` (after it, `after`), when the
    scope holds fewer than `most` rows on that side; None otherwise (not counted)."""
    side = _beside(walk, key, after=after)
    where, params = _where(walk.scope, side)
    # No ORDER BY: any `most` rows of that side tell whether there are that many.
    seen = conn.execute(f"SELECT COUNT(*) FROM (SELECT 1 FROM meetings {where} LIMIT ?)",
                        (*params, most)).fetchone()[0]
    if seen >= most:
        return None
    where, params = _where(walk.test, side)
    found: int = conn.execute(f"SELECT COUNT(*) FROM meetings {where}", params).fetchone()[0]
    return found


def holds(conn: sqlite3.Connection, walk: Walk, rowid: int) -> bool:
    """Whether the row `rowid` is in the view (one row tested, no index list built)."""
    where, params = _where(walk.test, ("rowid = ?", (rowid,)))
    return conn.execute(f"SELECT 1 FROM meetings {where}", params).fetchone() is not None
