"""The filter's full-text index: an FTS5 table with the trigram tokenizer over the
meetings' search text, so a filter word of three or more characters finds its rows
through the index instead of testing `LIKE '%word%'` on every row.

The table holds no text of its own (`content='meetings'`): it indexes `search_fold`,
the casefolded text `cache_rows._search_text` builds (title, ids, the details a
provider calls data, shareable links and their codes). Matching is case-sensitive on
purpose: both the text and the words are casefolded already, and the LIKE path it
replaces only folds ASCII (which is already lower case on both sides), so exact
trigrams give the same rows as LIKE. The tokenizer's own folding would also fold
letters LIKE does not (Ä, Cherokee) and change results.

Indexing is deferred. Tokenizing a row in a trigger costs ~60 µs, which would double
the cost of writing a synced page, so writes only leave a trail and `catch_up` indexes
in batches (~7 µs a row): the TUI after a sync (in a worker), the CLI before a
filtered list, and a search itself when only a few rows wait (`settled`). New rows
leave no trail at all: SQLite gives a new row a rowid above every other, so the rows
above `meetings_fts_state.upto` are the ones the index has never seen. Triggers note
the rest (a change to or removal of a row at or below it, or a rowid reused after
the top row went) in `meetings_fts_pending`, whatever code path writes. What makes
that enough, for every rowid: above `upto` the index holds nothing; at or below it,
the index holds the note's `old_search` if the rowid has a note (NULL: nothing), else
the row's current `search_fold` (nothing when there is no row). So a note keeps the
text the index had when the rowid first changed (an external-content delete must be
given exactly the indexed text, or the index is damaged), and a later change to the
same rowid leaves the note as it is.

An SQLite without FTS5 or trigrams (before 3.34) keeps the LIKE path. The notes are
plain SQL, so a cache indexed by another SQLite goes on noting writes and is caught up
when it is next opened with FTS5; a cache never indexed makes no notes (they would
only pile up), and the next SQLite that has FTS5 builds its index, once.
"""

from __future__ import annotations

import sqlite3
import sys
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager

from meettui.core.cache_schema import statements
from meettui.core.errors import CacheBusy
from meettui.core.search import parse_query

# A word needs this many characters (code points) to be found through the index:
# trigrams cannot match less.
MIN_INDEXED = 3

# Rows applied per transaction by `Cache.catch_up_index` (~30 ms): a read on another
# thread waits for one batch at most.
BATCH = 500

# A search applies up to this many pending rows itself (~60 ms, the writes of a
# refresh or an edit); with more pending (a long sync the TUI's worker has not caught
# up yet) it tests its words with LIKE, which finds the same rows.
INLINE = 1000

_TABLE = "meetings_fts"
_PENDING = "meetings_fts_pending"
_STATE = "meetings_fts_state"
_NOTES = ("meetings_fts_note_insert", "meetings_fts_note_delete", "meetings_fts_note_update")
# The triggers of the first (unreleased) v4, which indexed at write time: a file that
# has them has an index in step with its rows.
_EAGER = ("meetings_fts_insert", "meetings_fts_delete", "meetings_fts_update")

_INDEX = """
CREATE VIRTUAL TABLE IF NOT EXISTS meetings_fts USING fts5(
    search_fold, content='meetings', content_rowid='rowid',
    tokenize='trigram case_sensitive 1', columnsize=0);
"""
# ON CONFLICT DO NOTHING: a rowid already noted keeps its first note (the indexed text);
# unlike OR IGNORE, an outer INSERT OR REPLACE cannot turn it into an overwrite. A
# row above `upto` is noted never: the index has nothing of it to take out.
_NOTING = """
CREATE TABLE IF NOT EXISTS meetings_fts_pending (
    rowid INTEGER PRIMARY KEY,
    old_search TEXT
);
CREATE TABLE IF NOT EXISTS meetings_fts_state (upto INTEGER NOT NULL);
CREATE TRIGGER IF NOT EXISTS meetings_fts_note_insert AFTER INSERT ON meetings
    WHEN new.rowid <= (SELECT upto FROM meetings_fts_state) BEGIN
    INSERT INTO meetings_fts_pending (rowid, old_search) VALUES (new.rowid, NULL)
        ON CONFLICT (rowid) DO NOTHING;
END;
CREATE TRIGGER IF NOT EXISTS meetings_fts_note_delete AFTER DELETE ON meetings
    WHEN old.rowid <= (SELECT upto FROM meetings_fts_state) BEGIN
    INSERT INTO meetings_fts_pending (rowid, old_search) VALUES (old.rowid, old.search_fold)
        ON CONFLICT (rowid) DO NOTHING;
END;
CREATE TRIGGER IF NOT EXISTS meetings_fts_note_update AFTER UPDATE OF search_fold ON meetings
    WHEN old.search_fold IS NOT new.search_fold
        AND old.rowid <= (SELECT upto FROM meetings_fts_state) BEGIN
    INSERT INTO meetings_fts_pending (rowid, old_search) VALUES (old.rowid, old.search_fold)
        ON CONFLICT (rowid) DO NOTHING;
END;
"""

_available: bool | None = None


def fts_available(conn: sqlite3.Connection) -> bool:
    """True when this SQLite has FTS5 with the trigram tokenizer (found out once per
    process: through the cache's own index when it has one, else with a throwaway table
    in the connection's temp schema, which costs some 0.7 ms of every start)."""
    global _available
    if _available is None:
        _available = _index_opens(conn) or _probe(conn)
    return _available


def _index_opens(conn: sqlite3.Connection) -> bool:
    """Whether the cache has an index this SQLite opens: opening it loads FTS5 and the
    trigram tokenizer it was made with (an SQLite without either refuses it)."""
    try:
        if conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                        (_TABLE,)).fetchone() is None:
            return False
        conn.execute(f"SELECT rowid FROM {_TABLE} WHERE 0").fetchall()
    except sqlite3.Error:
        return False
    return True


def _probe(conn: sqlite3.Connection) -> bool:
    try:
        conn.execute("CREATE VIRTUAL TABLE temp.meettui_fts_probe USING "
                     "fts5(x, tokenize='trigram case_sensitive 1')")
        conn.execute("DROP TABLE temp.meettui_fts_probe")
    except sqlite3.OperationalError:
        return False
    return True


def _names(conn: sqlite3.Connection) -> set[str]:
    wanted = (_TABLE, _PENDING, _STATE, *_NOTES, *_EAGER)
    return {row[0] for row in conn.execute(
        f"SELECT name FROM sqlite_master WHERE name IN ({','.join('?' * len(wanted))})",
        wanted)}


def _run(conn: sqlite3.Connection, script: str) -> None:
    for statement in statements(script):
        conn.execute(statement)


def _start_noting(conn: sqlite3.Connection) -> None:
    """Create the notes' tables and triggers (kept when there); new ones start at the
    top row, so the index must hold every row (in step, or just rebuilt)."""
    _run(conn, _NOTING)
    if conn.execute(f"SELECT 1 FROM {_STATE}").fetchone() is None:
        conn.execute(f"DELETE FROM {_PENDING}")
        conn.execute(f"INSERT INTO {_STATE} (upto) "
                     "SELECT COALESCE(MAX(rowid), 0) FROM meetings")


def reconcile(conn: sqlite3.Connection, *, available: bool | None = None) -> bool:
    """Bring the index and its notes in line with this SQLite, inside the caller's
    transaction; returns True when filters may use the index.

    The index is in step when every write since it was filled is in it or noted: the
    note triggers are all there (or the eager triggers of the first v4 were, which
    are swapped for them here). With FTS5: create what is missing, and fill the index
    from the rows (one pass over them, and the notes dropped) only when it was not in
    step. Without: keep noting for an index in step (a later SQLite with FTS5 catches
    up instead of rebuilding); otherwise drop the notes, which nothing would read. Reads
    only `sqlite_master` when all is in place (no scan on open)."""
    if available is None:
        available = fts_available(conn)
    names = _names(conn)
    eager = [trigger for trigger in _EAGER if trigger in names]
    for trigger in eager:
        conn.execute(f"DROP TRIGGER {trigger}")
    in_step = _TABLE in names and (
        bool(eager) or names.issuperset((*_NOTES, _PENDING, _STATE)))
    if not available:
        if in_step:
            try:
                _start_noting(conn)
                return False
            except sqlite3.OperationalError:
                pass  # an SQLite before 3.24 (no upsert): the index is rebuilt later
        if names & {*_NOTES, _PENDING, _STATE} or in_step:
            for trigger in _NOTES:
                conn.execute(f"DROP TRIGGER IF EXISTS {trigger}")
            for table in (_PENDING, _STATE):
                conn.execute(f"DROP TABLE IF EXISTS {table}")
        return False
    _run(conn, _INDEX)
    if not in_step:
        # The index missed writes made without its notes (or never had any rows).
        for table in (_PENDING, _STATE):
            conn.execute(f"DROP TABLE IF EXISTS {table}")
        conn.execute(f"INSERT INTO {_TABLE} ({_TABLE}) VALUES ('rebuild')")
    _start_noting(conn)
    return True


def needs_reconcile(conn: sqlite3.Connection, available: bool) -> bool:
    """Whether `reconcile` would change anything (so opening a cache in step writes
    nothing and takes no write lock)."""
    names = _names(conn)
    if names & set(_EAGER):
        return True
    full = {*_NOTES, _PENDING, _STATE}
    if available:
        return names != {_TABLE, *full}
    if _TABLE in names:
        return bool(names & full) and not names.issuperset(full)
    return bool(names & full)


def pending(conn: sqlite3.Connection, at_most: int = INLINE + 1) -> int:
    """How many rows wait to be indexed (noted, and new above `upto`), counting no
    further than `at_most` of each (so the question costs little however many wait)."""
    found: int = conn.execute(
        f"SELECT (SELECT COUNT(*) FROM (SELECT 1 FROM {_PENDING} LIMIT :n)) + "
        f"(SELECT COUNT(*) FROM (SELECT 1 FROM meetings WHERE rowid > "
        f"(SELECT upto FROM {_STATE}) LIMIT :n))", {"n": at_most}).fetchone()[0]
    return found


def catch_up(conn: sqlite3.Connection, limit: int = BATCH) -> int:
    """Apply up to `limit` waiting rows to the index, inside the caller's transaction,
    so the index, its notes and `upto` change together; returns how many were applied
    (fewer than `limit`: none is left). Noted rows first (lowest rowids first): each
    is taken out of the index with the text it was indexed with, then put back with its
    row's text if the row is still there. Then new rows above `upto`, which moves up
    to the last of them."""
    last = conn.execute(f"SELECT rowid FROM {_PENDING} ORDER BY rowid LIMIT 1 OFFSET ?",
                        (limit - 1,)).fetchone()
    bound = last[0] if last else sys.maxsize
    conn.execute(f"INSERT INTO {_TABLE} ({_TABLE}, rowid, search_fold) "
                 f"SELECT 'delete', rowid, old_search FROM {_PENDING} "
                 "WHERE rowid <= ? AND old_search IS NOT NULL", (bound,))
    # CROSS JOIN keeps the notes the outer loop: SQLite would otherwise walk every row
    # of `meetings` up to the bound (all of them when every note is taken).
    conn.execute(f"INSERT INTO {_TABLE} (rowid, search_fold) "
                 f"SELECT m.rowid, m.search_fold FROM {_PENDING} AS p "
                 "CROSS JOIN meetings AS m ON m.rowid = p.rowid WHERE p.rowid <= ?", (bound,))
    applied: int = conn.execute(f"DELETE FROM {_PENDING} WHERE rowid <= ?", (bound,)).rowcount
    if applied == limit:
        return applied
    seen = conn.execute(f"SELECT upto FROM {_STATE}").fetchone()[0]
    count, last = conn.execute(
        "SELECT COUNT(*), MAX(rowid) FROM (SELECT rowid FROM meetings WHERE rowid > ? "
        "ORDER BY rowid LIMIT ?)", (seen, limit - applied)).fetchone()
    if count:
        conn.execute(f"INSERT INTO {_TABLE} (rowid, search_fold) SELECT rowid, search_fold "
                     "FROM meetings WHERE rowid > ? AND rowid <= ?", (seen, last))
        conn.execute(f"UPDATE {_STATE} SET upto = ?", (last,))
    return applied + int(count)


def catch_up_all(transaction: Callable[[], AbstractContextManager[sqlite3.Connection]],
                 limit: int | None = None, batch: int = BATCH) -> int:
    """Apply every noted row (or up to `limit`), `batch` rows a `transaction()`, so a
    crash loses no note and readers wait for one batch at most; returns how many
    were applied."""
    done = 0
    while limit is None or done < limit:
        size = batch if limit is None else min(batch, limit - done)
        with transaction() as conn:
            applied = catch_up(conn, size)
        done += applied
        if applied < size:
            break
    return done


def indexed_words(query: str) -> list[str]:
    """The words of a filter `query` (`core/search.py`) long enough for the index."""
    return [w for w in parse_query(query).words if len(w) >= MIN_INDEXED]


@contextmanager
def settled(conn: sqlite3.Connection, query: str,
            transaction: Callable[[], AbstractContextManager[sqlite3.Connection]] | None,
            ) -> Iterator[bool]:
    """Around the reads of one search: yields whether the index may serve `query` ("":
    the index is not in use). When it has words for the index, the reads run in one
    snapshot (a read transaction) in which no row waits to be indexed, so no search
    sees an index behind its rows, even one written by another process meanwhile. Up
    to INLINE waiting rows are applied first, through `transaction()`; with more (or
    any, without `transaction`: a caller that must not write), it yields False and the
    search tests its words with LIKE, which finds the same rows. Without such words it
    yields False and opens no transaction."""
    if not query or not indexed_words(query):
        yield False
        return
    ready = False
    for attempt in range(2):
        conn.execute("BEGIN")
        try:
            waiting = pending(conn)
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        ready = waiting == 0
        if ready or waiting > INLINE or attempt or transaction is None:
            break
        conn.execute("COMMIT")
        try:
            catch_up_all(transaction, INLINE)  # then look again, in a fresh snapshot
        except CacheBusy:
            # Another process writes the cache: not indexed now, the words tested
            # with LIKE (which finds the same rows), rather than no answer.
            conn.execute("BEGIN")
            break
    try:
        yield ready
    finally:
        if conn.in_transaction:
            conn.execute("COMMIT")


def match_expression(words: list[str]) -> str:
    """An FTS5 query that matches rows holding every one of `words` as a substring:
    each word a quoted string (a `"` inside doubled), so nothing a user types (`*`,
    `-`, `OR`, `NEAR`, `:`, brackets) is read as FTS5 syntax. Every word must have at
    least MIN_INDEXED characters."""
    return " AND ".join('"' + word.replace('"', '""') + '"' for word in words)


def match_clause() -> str:
    """The SQL condition on `meetings` for a `match_expression` parameter."""
    return f"rowid IN (SELECT rowid FROM {_TABLE} WHERE {_TABLE} MATCH ?)"
