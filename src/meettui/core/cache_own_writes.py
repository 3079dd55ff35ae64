"""The user's own writes against the list's pages (schema v11).

A page of the list is asked for, then answered seconds later; meanwhile the user may
edit, create or delete a meeting on it (the app's form, an MCP client listing and
editing at once, another meettui). Stored as it came, the page put back what the
provider said before the write: the old start of a meeting just moved, a meeting just
deleted. So a page carries the write mark taken before it was asked for (`since`,
`Cache.write_mark`), and leaves alone what a later own write stored (`written`) or
deleted (`deletions`); the walk's end marks missing none of what an own write stored
after the walk began (`walk_since`). The provider's answer to the write is the newer
word on those meetings; the next refresh reads them afresh.
"""

from __future__ import annotations

import sqlite3
import time

DELETIONS_KEPT = 30 * 86400.0
"""Seconds a deletion is remembered: far longer than any page's answer takes, and as
long as an id an edit replaced may still be asked for (`was_deleted`: "B has since been
deleted", not "use B")."""


def deleted(conn: sqlite3.Connection, account: str, meeting_id: str, mark: int) -> None:
    """Note that `account`'s `meeting_id` was deleted by the write `mark` (`next_write`),
    forgetting the deletions older than DELETIONS_KEPT."""
    now = time.time()
    conn.execute("DELETE FROM deletions WHERE at < ?", (now - DELETIONS_KEPT,))
    conn.execute("INSERT OR REPLACE INTO deletions (account, id, mark, at) "
                 "VALUES (?, ?, ?, ?)", (account, meeting_id, mark, now))


def stored_again(conn: sqlite3.Connection, account: str, meeting_id: str) -> None:
    """An own write stored `meeting_id` again (an import of a link deleted before): no
    longer deleted."""
    conn.execute("DELETE FROM deletions WHERE account = ? AND id = ?", (account, meeting_id))


def fresher(conn: sqlite3.Connection, account: str, ids: list[str], since: int) -> set[str]:
    """Those of `ids` (of `account`) an own write stored or deleted after the write mark
    `since`: a page asked for at `since` must not write them. One look-up per id
    through the primary key, and the (small) deletions table."""
    found: set[str] = set()
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        marks = ", ".join("?" * len(chunk))
        found.update(row[0] for row in conn.execute(
            f"SELECT id FROM meetings WHERE account = ? AND id IN ({marks}) AND written > ? "
            f"UNION SELECT id FROM deletions WHERE account = ? AND id IN ({marks}) "
            "AND mark > ?", (account, *chunk, since, account, *chunk, since)))
    return found


def was_deleted(conn: sqlite3.Connection, account: str, meeting_id: str) -> bool:
    """True when meettui deleted `account`'s `meeting_id` (within DELETIONS_KEPT) and
    nothing stored it since. A meeting merely not cached (a cache started afresh, not
    read again yet) is not."""
    return conn.execute("SELECT 1 FROM deletions WHERE account = ? AND id = ?",
                        (account, meeting_id)).fetchone() is not None
