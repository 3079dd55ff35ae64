"""A filter the full-text index finds few rows for (at most `cache_window.SPARSE`):
its rows' keys and rowids, listed once in the view's order and kept until the file
changes, so that one filter keystroke sorts its matches once.

A keystroke reloads the list: the count, the place of the cursor's meeting (or the
home, when the filter left it out), then the blocks above and below it. Asked of
SQLite each time, every one of them fetched the matches by rowid and sorted them again
(about 6 ms for 4,000 at a million rows, three or four times a keystroke); out of the
list, the count is its length, a place a dictionary lookup, and a block the rows'
payloads fetched by rowid.
"""

from __future__ import annotations

import bisect
import sqlite3
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from meettui.core.cache_window import Key, View


def file_state(conn: sqlite3.Connection) -> tuple[int, int, int]:
    """What changes whenever the file's rows may have: another connection's commits
    (`data_version`), this one's writes, and the connection itself (another file's
    connection may have made as many changes). What is read once per reload is
    remembered under it."""
    version = conn.execute("PRAGMA data_version").fetchone()[0]
    return int(version), conn.total_changes, id(conn)


@dataclass(frozen=True)
class Listed:
    """Every row of a view the index finds few rows for (`View.source` "meetings NOT
    INDEXED", at most `cache_window.SPARSE` of them), in the view's order: their `keys`
    and `rowids`, and each row's index by its rowid (`by_rowid`) and by its key
    (`by_key`)."""

    keys: list[Key]
    rowids: list[int]
    by_rowid: dict[int, int]
    by_key: dict[Key, int]


_seen: dict[tuple[object, ...], Listed] = {}


def listing(conn: sqlite3.Connection, view: View) -> Listed | None:
    """The rows of a sparse view (`Listed`), or None for any other view. One query
    fetches the matches by rowid and sorts them (a few ms for 4,000), remembered until
    the file changes: a filter keystroke asked for that same sort three times, to
    count the rows before the cursor's and to read the blocks above and below it."""
    if view.source == "meetings":
        return None
    where, params = view.where()
    columns = view.columns
    direction = " DESC" if view.order.descending else ""
    sql = (f"SELECT rowid, {', '.join(columns)} FROM {view.source} {where} "
           f"ORDER BY {', '.join(c + direction for c in columns)}")
    memo = (sql, params, *file_state(conn))
    found = _seen.get(memo)
    if found is None:
        rows = conn.execute(sql, params).fetchall()
        keys = [tuple(row[1:]) for row in rows]
        rowids = [row[0] for row in rows]
        found = Listed(keys, rowids, {rowid: i for i, rowid in enumerate(rowids)},
                       {key: i for i, key in enumerate(keys)})
        _seen.clear()
        _seen[memo] = found
    return found


def read_listed(conn: sqlite3.Connection, listed: Listed, anchor: Key | None, *,
                backward: bool, inclusive: bool, skip: int, limit: int) -> list[Any] | None:
    """`cache_window.read`'s rows, in the view's order, out of `listed`, each fetched by rowid; None
    when the anchor is not one of its rows (the caller asks SQLite)."""
    size = len(listed.keys)
    if anchor is None:
        at = size if backward else -1
    else:
        found = listed.by_key.get(tuple(anchor))
        if found is None:
            return None
        at = found
    skip = max(0, skip)
    if backward:
        end = max(0, at + (1 if inclusive and anchor is not None else 0) - skip)
        start = max(0, end - max(0, limit))
    else:
        start = min(size, at + (0 if inclusive and anchor is not None else 1) + skip)
        end = min(size, start + max(0, limit))
    rowids = listed.rowids[start:end]
    if not rowids:
        return []
    payloads = {row[0]: row[1:] for row in conn.execute(
        f"SELECT rowid, payload, missing FROM meetings WHERE rowid IN "
        f"({', '.join('?' * len(rowids))})", rowids)}
    # A row gone since the list was made cannot be: the file's state is part of the memo.
    return [(*key, *payloads[rowid]) for key, rowid in zip(listed.keys[start:end], rowids,
                                                            strict=True)]


def first_listed(conn: sqlite3.Connection, view: View, listed: Listed, condition: str,
                 since: float | None, batch: int = 64) -> list[Any] | None:
    """`cache_window.home_key`'s row (a list of at most one) out of a sparse view's `listed` rows,
    when they are in start order: the first from `since` (a start, in seconds; None:
    from the top) that meets `condition` (SQL), tested a batch of rows at a time by
    rowid; None in another order. Asked through SQLite, the home of a filter that left
    the cursor's meeting out fetched and sorted every match again (~10 ms at 4,000)."""
    if view.order.descending or view.columns != ["start_key", "account", "id"]:
        return None
    first = 0 if since is None else bisect.bisect_left(listed.keys, (since,))
    for start in range(first, len(listed.keys), batch):
        rowids = listed.rowids[start:start + batch]
        meets = {row[0] for row in conn.execute(
            f"SELECT rowid FROM meetings WHERE rowid IN ({', '.join('?' * len(rowids))}) "
            f"AND {condition}", rowids)}
        for key, rowid in zip(listed.keys[start:start + batch], rowids, strict=True):
            if rowid in meets:
                return [key]
    return []
