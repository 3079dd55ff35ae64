"""The filter's full-text index: an FTS5 table with the trigram tokenizer over the
meetings' search text, so a filter word of three or more characters finds its rows
through the index instead of testing `LIKE '%word%'` on every row.

The table holds no text of its own (`content='meetings'`): it indexes `search_fold`,
the casefolded text `cache_rows._search_text` builds (title, ids, room, shareable
links). Matching is case-sensitive on purpose: both the text and the words are
casefolded already, and the LIKE path it replaces only folds ASCII (which is already
lower case on both sides), so exact trigrams give the same rows as LIKE. The
tokenizer's own folding would also fold letters LIKE does not (Ä, Cherokee) and
change results.

Indexing is deferred. Tokenizing costs ~60 µs a row, which would double the cost of
writing a synced page, so the triggers on `meetings` only note which rows changed, in
`meetings_fts_pending`, whatever code path writes; `catch_up` applies the notes in
batches: the TUI after a sync (in a worker), the CLI before a filtered list, and a
search itself when only a few are pending (`settled`). The invariant that makes the
notes enough: for every rowid, the index holds the note's `old_search` if the rowid
has a note (NULL: nothing), else the row's current `search_fold` (nothing when there
is no row). So a note keeps the text the index had when the rowid was first changed
(an external-content delete must be given exactly the indexed text), and a later
change to the same rowid leaves the note as it is.

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
_NOTES = ("meetings_fts_note_insert", "meetings_fts_note_delete", "meetings_fts_note_update")
# The triggers of the first (unreleased) v4, which indexed at write time: a file that
# has them has an index in step with its rows.
_EAGER = ("meetings_fts_insert", "meetings_fts_delete", "meetings_fts_update")

_INDEX = """
CREATE VIRTUAL TABLE IF NOT EXISTS meetings_fts USING fts5(
    search_fold, content='meetings', content_rowid='rowid',
    tokenize='trigram case_sensitive 1', columnsize=0);
"""
# ON CONFLICT DO NOTHING: a rowid already noted keeps its first note (the indexed text).
_NOTING = """
CREATE TABLE IF NOT EXISTS meetings_fts_pending (
    rowid INTEGER PRIMARY KEY,
    old_search TEXT
);
CREATE TRIGGER IF NOT EXISTS meetings_fts_note_insert AFTER INSERT ON meetings BEGIN
    INSERT INTO meetings_fts_pending (rowid, old_search) VALUES (new.rowid, NULL)
        ON CONFLICT (rowid) DO NOTHING;
END;
CREATE TRIGGER IF NOT EXISTS meetings_fts_note_delete AFTER DELETE ON meetings BEGIN
    INSERT INTO meetings_fts_pending (rowid, old_search) VALUES (old.rowid, old.search_fold)
        ON CONFLICT (rowid) DO NOTHING;
END;
CREATE TRIGGER IF NOT EXISTS meetings_fts_note_update AFTER UPDATE OF search_fold ON meetings
    WHEN old.search_fold IS NOT new.search_fold BEGIN
    INSERT INTO meetings_fts_pending (rowid, old_search) VALUES (old.rowid, old.search_fold)
        ON CONFLICT (rowid) DO NOTHING;
END;
"""

_available: bool | None = None


def fts_available(conn: sqlite3.Connection) -> bool:
    """True when this SQLite has FTS5 with the trigram tokenizer (probed once per
    process, with a throwaway table in the connection's temp schema)."""
    global _available
    if _available is None:
        try:
            conn.execute("CREATE VIRTUAL TABLE temp.meettui_fts_probe USING "
                         "fts5(x, tokenize='trigram case_sensitive 1')")
            conn.execute("DROP TABLE temp.meettui_fts_probe")
            _available = True
        except sqlite3.OperationalError:
            _available = False
    return _available


def _names(conn: sqlite3.Connection) -> set[str]:
    wanted = (_TABLE, _PENDING, *_NOTES, *_EAGER)
    return {row[0] for row in conn.execute(
        f"SELECT name FROM sqlite_master WHERE name IN ({','.join('?' * len(wanted))})",
        wanted)}


def _run(conn: sqlite3.Connection, script: str) -> None:
    for statement in statements(script):
        conn.execute(statement)


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
    in_step = _TABLE in names and (bool(eager) or names.issuperset(_NOTES))
    if not available:
        if in_step:
            try:
                _run(conn, _NOTING)
                return False
            except sqlite3.OperationalError:
                pass  # an SQLite before 3.24 (no upsert): the index is rebuilt later
        for trigger in _NOTES:
            if trigger in names:
                conn.execute(f"DROP TRIGGER {trigger}")
        if _PENDING in names:
            conn.execute(f"DELETE FROM {_PENDING}")
        return False
    _run(conn, _INDEX + _NOTING)
    if not in_step:
        # The index missed writes made without its notes (or never had any rows).
        conn.execute(f"DELETE FROM {_PENDING}")
        conn.execute(f"INSERT INTO {_TABLE} ({_TABLE}) VALUES ('rebuild')")
    return True


def needs_reconcile(conn: sqlite3.Connection, available: bool) -> bool:
    """Whether `reconcile` would change anything (so opening a cache in step writes
    nothing and takes no write lock)."""
    names = _names(conn)
    if names & set(_EAGER):
        return True
    notes = names & set(_NOTES)
    if available:
        return names != {_TABLE, _PENDING, *_NOTES}
    if _TABLE in names:
        return bool(notes) and (len(notes) < len(_NOTES) or _PENDING not in names)
    return bool(notes)


def pending(conn: sqlite3.Connection, at_most: int = INLINE + 1) -> int:
    """How many rows wait to be indexed, counting no further than `at_most` (so the
    question costs little however many wait)."""
    found: int = conn.execute(f"SELECT COUNT(*) FROM (SELECT 1 FROM {_PENDING} LIMIT ?)",
                              (at_most,)).fetchone()[0]
    return found


def catch_up(conn: sqlite3.Connection, limit: int = BATCH) -> int:
    """Apply up to `limit` noted rows (lowest rowids first) to the index, inside the
    caller's transaction, so the index and its notes change together; returns how many
    were applied (fewer than `limit`: none is left). Each is taken out of the index
    with the text it was indexed with, then put back with its row's text if the row
    is still there."""
    last = conn.execute(f"SELECT rowid FROM {_PENDING} ORDER BY rowid LIMIT 1 OFFSET ?",
                        (limit - 1,)).fetchone()
    upto = last[0] if last else sys.maxsize
    conn.execute(f"INSERT INTO {_TABLE} ({_TABLE}, rowid, search_fold) "
                 f"SELECT 'delete', rowid, old_search FROM {_PENDING} "
                 "WHERE rowid <= ? AND old_search IS NOT NULL", (upto,))
    conn.execute(f"INSERT INTO {_TABLE} (rowid, search_fold) "
                 f"SELECT m.rowid, m.search_fold FROM {_PENDING} AS p "
                 "JOIN meetings AS m ON m.rowid = p.rowid WHERE p.rowid <= ?", (upto,))
    applied: int = conn.execute(f"DELETE FROM {_PENDING} WHERE rowid <= ?", (upto,)).rowcount
    return applied


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
            transaction: Callable[[], AbstractContextManager[sqlite3.Connection]],
            ) -> Iterator[bool]:
    """Around the reads of one search: yields whether the index may serve `query` ("":
    the index is not in use). When it has words for the index, the reads run in one
    snapshot (a read transaction) in which no row waits to be indexed, so no search
    sees an index behind its rows, even one written by another process meanwhile. Up
    to INLINE waiting rows are applied first, through `transaction()`; with more, it
    yields False and the search tests its words with LIKE, which finds the same rows.
    Without such words it yields False and opens no transaction."""
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
        if ready or waiting > INLINE or attempt:
            break
        conn.execute("COMMIT")
        catch_up_all(transaction, INLINE)  # then look again, in a fresh snapshot
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
