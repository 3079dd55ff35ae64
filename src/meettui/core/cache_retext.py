"""Search text written by an older meettui, made again in the background.

What the filter searches is stored per row (`search_fold`, and the full-text index
built from it), so a change to what is searched (v6: only the details a provider
calls data) leaves older rows with the old text. A sync rewrites its account's rows,
but local accounts (Jitsi rooms, imported links) are never rewritten, and remaking
every row when the cache opens would cost seconds at a million rows (opening reads
nothing per row). So the migration queues the rows cached before it, the rowid range
`search_retext.next`..`last` (new rows get rowids above it, with the new text), and
`retext_all` remakes them a batch a transaction, from each row's stored title, id,
account and payload (`cache_rows._payload_search_text`, JSON without the model: some
15 µs a row). A row whose text changes is noted for the full-text index by its
trigger, like any write, and indexed by the catch-up that follows (as much again).
Until a row's turn comes, a filter may still match it by its old text.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from contextlib import AbstractContextManager

from meettui.core.cache_rows import LabelsOf, _payload_search_text
from meettui.core.redact import secret_scrubber

# Rows remade per transaction (~10 ms): a read on another thread waits for one at most.
BATCH = 500

_TABLE = "search_retext"


def waiting(conn: sqlite3.Connection) -> bool:
    """Whether rows wait to have their search text remade (one lookup)."""
    return conn.execute(f"SELECT 1 FROM {_TABLE} LIMIT 1").fetchone() is not None


def retext(conn: sqlite3.Connection, labels_of: LabelsOf, limit: int = BATCH) -> int:
    """Remake the search text of up to `limit` queued rows, the lowest rowids first,
    inside the caller's transaction (so the text and the queue change together);
    returns how many rows were read (fewer than `limit`: none is left, and the queue
    is gone). Only a text that differs is written: a row a sync rewrote since the
    migration already has it, and is not noted for the index again. A payload that is
    not JSON keeps its text. Raises sqlite3.Error as the connection does."""
    queued = conn.execute(f"SELECT next, last FROM {_TABLE}").fetchone()
    if queued is None:
        return 0
    start, last = queued
    rows = conn.execute(
        "SELECT rowid, provider, account, id, title, payload FROM meetings "
        "WHERE rowid >= ? AND rowid <= ? ORDER BY rowid LIMIT ?",
        (start, last, limit)).fetchall()
    scrub = secret_scrubber()
    changed = []
    for rowid, provider, account, meeting_id, title, payload in rows:
        text = _payload_search_text(title, meeting_id, account, payload,
                                    labels_of(provider), scrub)
        if text is not None:
            changed.append((text, rowid, text))
    conn.executemany("UPDATE meetings SET search_fold = ? WHERE rowid = ? "
                     "AND search_fold IS NOT ?", changed)
    if len(rows) < limit:
        conn.execute(f"DELETE FROM {_TABLE}")
    else:
        conn.execute(f"UPDATE {_TABLE} SET next = ?", (rows[-1][0] + 1,))
    return len(rows)


def retext_all(transaction: Callable[[], AbstractContextManager[sqlite3.Connection]],
               labels_of: LabelsOf, limit: int | None = None, batch: int = BATCH) -> int:
    """Remake every queued row's search text (or up to `limit` rows), `batch` rows a
    `transaction()`, so readers wait for one batch at most and a crash loses only the
    batch under way; returns how many rows were read."""
    done = 0
    while limit is None or done < limit:
        size = batch if limit is None else min(batch, limit - done)
        with transaction() as conn:
            read = retext(conn, labels_of, size)
        done += read
        if read < size:
            break
    return done
