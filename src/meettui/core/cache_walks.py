"""Each account's walk through its provider's pages, as the cache keeps it: the cursor
for the next page, whether the walk is complete, when it last ran, its generation, and
the last error. `Cache` holds the lock and the transactions; these are the statements.

A walk's generation stamps every row it writes (`seen_gen`), so the last page of a
complete walk finds the rows it did not see (in the per-account start index, schema
v5) and marks them missing, or hands them over to be asked after first (`mark_gone`),
or drops them for an upstream made afresh on every run.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime

from meettui.core.cache_rows import next_write
from meettui.core.redact import redact


@dataclass(frozen=True)
class SyncState:
    """Where `account`'s walk stands (the defaults: never synced)."""

    account: str
    cursor: str | None = None
    complete: bool = False
    """Every page of the account is in the cache: a walk reached its last page (this
    one, or one before it that a refresh of page one restarted: the rows of its later
    pages are still cached, so the count is not "so far"; they are read again as the
    new walk goes on)."""
    last_synced: datetime | None = None
    generation: int = 0
    last_error: str | None = None
    last_error_health: str | None = None
    """The health `last_error` left the account in, by its `Health` name (None: not
    said, as before schema v8)."""
    last_error_until: datetime | None = None
    """When the wait a rate limit kept as `last_error` asked for ends (None: none said,
    or the last error is no rate limit)."""

    @property
    def to_fetch(self) -> bool:
        """A page is still to fetch: the walk under way has not reached its last page,
        or no walk has yet."""
        return self.cursor is not None or not self.complete


def read_state(conn: sqlite3.Connection, account: str) -> SyncState:
    """The account's state; a value no meettui wrote (an edited or damaged file) reads as
    unknown, never as a crash: the state only informs, the next sync rewrites it."""
    row = conn.execute(
        "SELECT cursor, complete, last_synced, generation, last_error, last_error_health, "
        "last_error_until FROM sync_state WHERE account = ?",
        (account,),
    ).fetchone()
    if row is None:
        return SyncState(account)
    cursor, complete, last_synced, generation, last_error, health, until = row
    try:
        synced = (datetime.fromtimestamp(float(last_synced), UTC)
                  if last_synced is not None else None)
    except (OverflowError, ValueError, TypeError, OSError):
        synced = None
    try:
        wait_ends = (datetime.fromtimestamp(float(until), UTC)
                     if until is not None and isinstance(last_error, str) else None)
    except (OverflowError, ValueError, TypeError, OSError):
        wait_ends = None
    return SyncState(
        account,
        cursor if isinstance(cursor, str) else None,
        bool(complete),
        synced,
        generation if isinstance(generation, int) else 0,
        last_error if isinstance(last_error, str) else None,
        health if isinstance(health, str) and isinstance(last_error, str) else None,
        wait_ends,
    )


def begin(conn: sqlite3.Connection, account: str, since: int = 0) -> int:
    """A new walk from page one, asked for at the write mark `since`; returns its
    generation (one more than the last)."""
    conn.execute(
        "INSERT INTO sync_state (account, generation, walk_since) VALUES (?, 1, ?) "
        "ON CONFLICT (account) DO UPDATE SET generation = generation + 1, "
        "walk_since = excluded.walk_since",
        (account, since),
    )
    generation: int = conn.execute(
        "SELECT generation FROM sync_state WHERE account = ?", (account,)
    ).fetchone()[0]
    return generation


def rows_of(conn: sqlite3.Connection, account: str) -> int:
    """How many rows `account` has (`meeting_counts`, kept by triggers: no count)."""
    row = conn.execute("SELECT n FROM meeting_counts WHERE account = ?",
                       (account,)).fetchone()
    return int(row[0]) if row else 0


def page_recorded(conn: sqlite3.Connection, account: str, *, generation: int,
                  next_cursor: str | None, synced_at: datetime, drop_unseen: bool,
                  grew: bool = False, confirm_unseen: bool = False) -> list[str]:
    """After a page's rows: the cursor after it, and on the last page (no cursor) the
    rows of `account` the walk did not see marked missing, or deleted with
    `drop_unseen`. Nothing, when a newer walk of the account has begun since (another
    process's refresh): its cursor is not this walk's to move, nor its end to mark.
    An account complete stays so (`SyncState.complete`): page one of a new walk left
    every later page of the last one cached, and a list of them all said "so far"
    until the new walk had read them all again. Unless the page `grew` the account
    (meetings the cache did not hold) before the walk's last page: the server holds
    more than the last walk saw, maybe on pages not read yet ("every page loaded" was
    said at 1,100 of 3,000 meetings once such a walk stopped, rate limited). The price:
    one meeting made elsewhere, met on page one of a refresh, makes the account "so
    far" (and its replaced ids unknown, `cache_replacements`) until the walk reaches
    its end, though its later pages may hold nothing new; meettui says "so far" rather
    than claim a list complete that may not be.

    With `confirm_unseen`, the rows the complete walk did not see are not marked but
    returned (their ids, present ones only) for the caller to ask after one by one
    (`mark_gone`): a list read by offset skips a meeting each time one before it is
    deleted during the walk, and a walk that counts as complete does not prove the
    meetings it missed gone. Returns [] otherwise, and on any page but a current
    walk's last."""
    complete = next_cursor is None
    cur = conn.execute(
        "INSERT INTO sync_state (account, cursor, complete, last_synced, generation) "
        "VALUES (?, ?, ?, ?, ?) ON CONFLICT (account) DO UPDATE SET "
        "cursor = excluded.cursor, complete = CASE WHEN ? THEN 0 "
        "ELSE MAX(sync_state.complete, excluded.complete) END, "
        "last_synced = excluded.last_synced, last_error = NULL, last_error_health = NULL, "
        "last_error_until = NULL WHERE sync_state.generation <= excluded.generation",
        (account, next_cursor, int(complete), synced_at.timestamp(), generation,
         int(grew and not complete)),
    )
    if not complete or cur.rowcount == 0:
        return []
    if drop_unseen:
        conn.execute(f"DELETE FROM meetings WHERE {_UNSEEN}", (account, generation, account))
        return []
    if confirm_unseen:
        return [row[0] for row in conn.execute(
            f"SELECT id FROM meetings WHERE {_UNSEEN} AND missing = 0",
            (account, generation, account))]
    conn.execute(f"UPDATE meetings SET missing = 1, written = ? WHERE {_UNSEEN}",
                 (next_write(conn), account, generation, account))
    return []


_UNSEEN = ("account = ? AND seen_gen < ? AND written <= "
           "(SELECT walk_since FROM sync_state WHERE account = ?)")
"""The rows of an account (1st parameter) that its walk (the generation, 2nd) did not
see. Not what the user's own write stored after the walk's page one was asked for
(`cache_own_writes.py`): a meeting made meanwhile may be on no page of it."""


def mark_gone(conn: sqlite3.Connection, account: str, generation: int,
              ids: list[str]) -> int:
    """Mark those of `ids` missing that the complete walk `generation` of `account` did
    not see (`page_recorded`'s `confirm_unseen`), while that walk is still the
    account's last: a newer one (another process's) has its own word on them. Each
    mark is a write (`written`), so a page asked for before it, answered after (an
    older walk's, another process's), does not put the meeting back as present.
    Returns how many rows were marked."""
    marked = 0
    mark = next_write(conn)
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        marked += conn.execute(
            f"UPDATE meetings SET missing = 1, written = ? WHERE {_UNSEEN} "
            f"AND id IN ({', '.join('?' * len(chunk))}) AND EXISTS (SELECT 1 FROM "
            "sync_state WHERE account = ? AND generation = ? AND cursor IS NULL)",
            (mark, account, generation, account, *chunk, account, generation),
        ).rowcount
    return marked


def end(conn: sqlite3.Connection, account: str, message: str,
        health: str | None = None, generation: int | None = None) -> None:
    """The walk ends early: nothing more to load, nothing marked missing, `message` kept
    (redacted) as the last error, with the `health` (a `Health` name) it left. With
    `generation`, only while that walk is the account's current one."""
    conn.execute(
        "UPDATE sync_state SET cursor = NULL, complete = 1, last_error = ?, "
        "last_error_health = ?, last_error_until = NULL "
        "WHERE account = ? AND (? IS NULL OR generation = ?)",
        (redact(message), health, account, generation, generation),
    )


def error_recorded(conn: sqlite3.Connection, account: str, message: str,
                   health: str | None = None, until: datetime | None = None) -> None:
    """`message` (redacted) as the account's last error, with the `health` (a `Health`
    name) it left the account in and, for a rate limit, when its wait ends (`until`)."""
    conn.execute(
        "INSERT INTO sync_state (account, last_error, last_error_health, last_error_until) "
        "VALUES (?, ?, ?, ?) ON CONFLICT (account) DO UPDATE SET "
        "last_error = excluded.last_error, last_error_health = excluded.last_error_health, "
        "last_error_until = excluded.last_error_until",
        (account, redact(message), health, until.timestamp() if until else None),
    )


def error_over(conn: sqlite3.Connection, account: str, healths: tuple[str, ...]) -> None:
    """The account's last error is forgotten if the health kept with it is one of
    `healths` (the failing kinds a call that went through has ended); a note kept
    with another health (meetings a sync left out, "ok") stays."""
    marks = ", ".join("?" * len(healths))
    conn.execute(
        "UPDATE sync_state SET last_error = NULL, last_error_health = NULL "
        f"WHERE account = ? AND last_error_health IN ({marks})",
        (account, *healths),
    )
