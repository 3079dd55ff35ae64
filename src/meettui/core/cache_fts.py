"""The filter's full-text index: an FTS5 table with the trigram tokenizer over the
meetings' search text, so a filter word of three or more characters finds its rows
through the index instead of testing `LIKE '%word%'` on every row.

The table holds no text of its own (`content='meetings'`): it indexes `search_fold`,
the casefolded text `cache_rows._search_text` builds (title, ids, room, shareable
links), and SQLite triggers keep it in step with every write to `meetings`, whatever
code path writes. Matching is case-sensitive on purpose: both the text and the words
are casefolded already, and the LIKE path it replaces only folds ASCII (which is
already lower case on both sides), so exact trigrams give the same rows as LIKE. The
tokenizer's own folding would also fold letters LIKE does not (Ä, Cherokee) and
change results.

An SQLite without FTS5 or trigrams (before 3.34) keeps the LIKE path: no index is
made, and the triggers of an index made by another SQLite are dropped, because a
write would otherwise fail on the missing module. The next SQLite that has FTS5
rebuilds the index, once.
"""

from __future__ import annotations

import sqlite3

from meettui.core.cache_schema import statements

# A word needs this many characters (code points) to be found through the index:
# trigrams cannot match less.
MIN_INDEXED = 3

_TABLE = "meetings_fts"
_TRIGGERS = ("meetings_fts_insert", "meetings_fts_delete", "meetings_fts_update")

_CREATE = """
CREATE VIRTUAL TABLE IF NOT EXISTS meetings_fts USING fts5(
    search_fold, content='meetings', content_rowid='rowid',
    tokenize='trigram case_sensitive 1', columnsize=0);
CREATE TRIGGER IF NOT EXISTS meetings_fts_insert AFTER INSERT ON meetings BEGIN
    INSERT INTO meetings_fts (rowid, search_fold) VALUES (new.rowid, new.search_fold);
END;
CREATE TRIGGER IF NOT EXISTS meetings_fts_delete AFTER DELETE ON meetings BEGIN
    INSERT INTO meetings_fts (meetings_fts, rowid, search_fold)
        VALUES ('delete', old.rowid, old.search_fold);
END;
CREATE TRIGGER IF NOT EXISTS meetings_fts_update AFTER UPDATE OF search_fold ON meetings
    WHEN old.search_fold IS NOT new.search_fold BEGIN
    INSERT INTO meetings_fts (meetings_fts, rowid, search_fold)
        VALUES ('delete', old.rowid, old.search_fold);
    INSERT INTO meetings_fts (rowid, search_fold) VALUES (new.rowid, new.search_fold);
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
    return {row[0] for row in conn.execute(
        "SELECT name FROM sqlite_master WHERE name IN (?, ?, ?, ?)", (_TABLE, *_TRIGGERS))}


def reconcile(conn: sqlite3.Connection, *, available: bool | None = None) -> bool:
    """Bring the index in line with this SQLite, inside the caller's transaction;
    returns True when filters may use it. With FTS5: create the index and its triggers
    if missing, and fill it from the rows when it was missing or its triggers were
    (one pass over the rows, only then). Without: drop the triggers, keep the rest.
    Reads only `sqlite_master` when all is in place (no scan on open)."""
    if available is None:
        available = fts_available(conn)
    names = _names(conn)
    if not available:
        for trigger in _TRIGGERS:
            if trigger in names:
                conn.execute(f"DROP TRIGGER {trigger}")
        return False
    if names == {_TABLE, *_TRIGGERS}:
        return True
    for statement in statements(_CREATE):
        conn.execute(statement)
    # The index missed the writes made without its triggers (or never had any rows).
    conn.execute(f"INSERT INTO {_TABLE} ({_TABLE}) VALUES ('rebuild')")
    return True


def needs_reconcile(conn: sqlite3.Connection, available: bool) -> bool:
    """Whether `reconcile` would change anything (so opening a cache in step writes
    nothing and takes no write lock)."""
    names = _names(conn)
    if available:
        return names != {_TABLE, *_TRIGGERS}
    return bool(names & set(_TRIGGERS))


def match_expression(words: list[str]) -> str:
    """An FTS5 query that matches rows holding every one of `words` as a substring:
    each word a quoted string (a `"` inside doubled), so nothing a user types (`*`,
    `-`, `OR`, `NEAR`, `:`, brackets) is read as FTS5 syntax. Every word must have at
    least MIN_INDEXED characters."""
    return " AND ".join('"' + word.replace('"', '""') + '"' for word in words)


def match_clause() -> str:
    """The SQL condition on `meetings` for a `match_expression` parameter."""
    return f"rowid IN (SELECT rowid FROM {_TABLE} WHERE {_TABLE} MATCH ?)"
