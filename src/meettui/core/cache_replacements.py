"""Which meeting an edit replaced with which (the cache's `replacements`, schema v9): a
provider that cannot edit in place recreates, and the old id, typed later, points to the
new meeting (`Cache.replaced_by`, `ids.resolve`). Written one row per recreating edit,
pruned as new rows come (`prune`), dropped with their account, and carried over with the
rest of what existed only on this machine when a damaged cache is set aside
(`cache_salvage.py`).

The pruning rule: a replacement is dropped once the meeting that stands for it now (the
end of its chain, A -> B -> C: C) is no longer in the cache, or is marked missing, and
the edit is more than `KEEP_GONE` old. Why:
- while the new meeting is cached, the pointer is worth its few bytes: the old id is in
  invitations, calendars and scripts, and each row belongs to a meeting the cache holds
  anyway (so the table grows with the meetings kept, never on its own);
- once the new meeting is gone too, "replaced by X" leads to "no meeting X": still worth
  saying for a while (an id copied last week, the new meeting deleted since), not
  forever;
- only in an account walked to its end (`sync_state.complete`): before that, "not in the
  cache" may mean "not read yet" (a fresh cache after a damaged one was set aside, a
  first sync under way), not "gone". Only a provider that lists its meetings upstream
  recreates on edit, so every account with replacements has a walk.
The table only grows in `note`, so pruning there bounds it: at most the rows whose new
meeting is still cached, and those of the last `KEEP_GONE`.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta

KEEP_GONE = timedelta(days=30)
"""How long a replacement whose new meeting is gone is still kept (see the module)."""

Replacement = tuple[str, str, str, float]
"""(account, old id, new id, when it was replaced, as a POSIX timestamp)."""


def note(conn: sqlite3.Connection, account: str, old_id: str, new_id: str,
         at: datetime) -> None:
    """Keep that an edit replaced `old_id` with `new_id` in `account` at `at`, and prune
    the replacements that have outlived their use (`prune`). Inside the caller's
    transaction."""
    conn.execute("INSERT OR REPLACE INTO replacements (account, old_id, new_id, "
                 "replaced_at) VALUES (?, ?, ?, ?)",
                 (account, old_id, new_id, at.timestamp()))
    prune(conn, at)


def prune(conn: sqlite3.Connection, now: datetime) -> int:
    """Drop the replacements the module's rule says are done with, as of `now`; how
    many. Inside the caller's transaction."""
    cutoff = (now - KEEP_GONE).timestamp()
    old = conn.execute(
        "SELECT account, old_id FROM replacements WHERE replaced_at < ? AND account IN "
        "(SELECT account FROM sync_state WHERE complete = 1)", (cutoff,)).fetchall()
    done = [(account, old_id) for account, old_id in old
            if not _standing(conn, account, _end(conn, account, old_id))]
    conn.executemany("DELETE FROM replacements WHERE account = ? AND old_id = ?", done)
    return len(done)


def forget(conn: sqlite3.Connection, account: str) -> None:
    """Drop every replacement of `account` (the account is gone from the cache)."""
    conn.execute("DELETE FROM replacements WHERE account = ?", (account,))


def _end(conn: sqlite3.Connection, account: str, old_id: str) -> str:
    """The id that stands for `old_id` now: its chain of replacements followed to its
    end (as `Cache.replaced_by` does)."""
    seen = {old_id}
    current = old_id
    while True:
        row = conn.execute("SELECT new_id FROM replacements WHERE account = ? AND "
                           "old_id = ?", (account, current)).fetchone()
        if row is None or row[0] in seen:
            return current if row is None else str(row[0])
        current = str(row[0])
        seen.add(current)


def _standing(conn: sqlite3.Connection, account: str, meeting_id: str) -> bool:
    """The meeting is in the cache and not marked missing."""
    return conn.execute("SELECT 1 FROM meetings WHERE account = ? AND id = ? AND "
                        "missing = 0", (account, meeting_id)).fetchone() is not None


def read_all(conn: sqlite3.Connection) -> list[Replacement]:
    """Every replacement on `conn` that reads as one (a damaged row is left out), for a
    fresh cache to carry over. Raises sqlite3.Error when the table cannot be read; none
    when the file predates it (schema v9)."""
    try:
        rows = conn.execute(
            "SELECT account, old_id, new_id, replaced_at FROM replacements").fetchall()
    except sqlite3.OperationalError as exc:
        if "no such table" in str(exc):
            return []
        raise
    return [(account, old_id, new_id, float(at)) for account, old_id, new_id, at in rows
            if isinstance(account, str) and isinstance(old_id, str)
            and isinstance(new_id, str) and isinstance(at, int | float)]


def write_all(conn: sqlite3.Connection, rows: list[Replacement]) -> None:
    """`rows` (carried over from a moved cache) into the cache on `conn`, inside the
    caller's transaction; a replacement the cache already holds is kept as it is."""
    conn.executemany("INSERT OR IGNORE INTO replacements (account, old_id, new_id, "
                     "replaced_at) VALUES (?, ?, ?, ?)", rows)
