"""The cache's schema: one SQL script per version, applied in order by `Cache.migrate`
(the file's `PRAGMA user_version` says how many have run). A new version is a new
script at the end; scripts already shipped never change, so every older cache can be
brought up to date."""

from __future__ import annotations

import sqlite3

MIGRATIONS: list[str] = [
    # v1: meetings and a per-account cursor.
    """
    CREATE TABLE meetings (
        account TEXT NOT NULL,
        id TEXT NOT NULL,
        provider TEXT NOT NULL,
        title TEXT NOT NULL,
        title_fold TEXT NOT NULL,
        start_key REAL NOT NULL,
        status TEXT NOT NULL,
        payload TEXT NOT NULL,
        updated_at REAL NOT NULL,
        PRIMARY KEY (account, id)
    );
    CREATE INDEX meetings_by_start ON meetings (start_key, account, id);
    CREATE TABLE sync_state (
        account TEXT PRIMARY KEY,
        cursor TEXT,
        last_synced REAL
    );
    """,
    # v2: missing-upstream marking, sync generations, per-account browsing order.
    """
    ALTER TABLE meetings ADD COLUMN missing INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE meetings ADD COLUMN seen_gen INTEGER NOT NULL DEFAULT 0;
    CREATE INDEX meetings_by_account_start ON meetings (account, start_key, id);
    ALTER TABLE sync_state ADD COLUMN complete INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE sync_state ADD COLUMN generation INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE sync_state ADD COLUMN last_error TEXT;
    """,
    # v3: end and expiry keys (what is on now, sorting by end, statuses in SQL), and the
    # text the filter searches (title, ids, room name, shareable links), each indexed
    # for its order. Rows cached before it get their keys from the payload.
    """
    ALTER TABLE meetings ADD COLUMN end_key REAL NOT NULL DEFAULT 1e18;
    ALTER TABLE meetings ADD COLUMN expires_key REAL NOT NULL DEFAULT 1e18;
    ALTER TABLE meetings ADD COLUMN search_fold TEXT NOT NULL DEFAULT '';
    UPDATE meetings SET
        end_key = COALESCE(CAST(strftime('%s', json_extract(payload, '$.ends_at')) AS REAL),
                           1e18),
        expires_key = COALESCE(
            CAST(strftime('%s', json_extract(payload, '$.expires_at')) AS REAL), 1e18),
        search_fold = title_fold || ' ' || lower(id);
    CREATE INDEX meetings_by_title ON meetings (title_fold, start_key, account, id);
    CREATE INDEX meetings_by_end ON meetings (end_key, start_key, account, id);
    CREATE INDEX meetings_by_account_title ON meetings (account, title_fold, start_key, id);
    """,
    # v4: the number of rows per account, kept by triggers whatever code writes (so the
    # list never counts an account's rows to learn its length), filled from the rows
    # already cached. The filter's full-text index is part of v4 too, when this
    # SQLite has FTS5 with trigrams: `cache_fts.py` creates it in the same transaction.
    """
    CREATE TABLE meeting_counts (
        account TEXT PRIMARY KEY,
        n INTEGER NOT NULL
    ) WITHOUT ROWID;
    INSERT INTO meeting_counts (account, n)
        SELECT account, COUNT(*) FROM meetings GROUP BY account;
    CREATE TRIGGER meetings_count_insert AFTER INSERT ON meetings BEGIN
        INSERT INTO meeting_counts (account, n) VALUES (new.account, 1)
            ON CONFLICT (account) DO UPDATE SET n = n + 1;
    END;
    CREATE TRIGGER meetings_count_delete AFTER DELETE ON meetings BEGIN
        UPDATE meeting_counts SET n = n - 1 WHERE account = old.account;
    END;
    CREATE TRIGGER meetings_count_move AFTER UPDATE OF account ON meetings
        WHEN old.account IS NOT new.account BEGIN
        UPDATE meeting_counts SET n = n - 1 WHERE account = old.account;
        INSERT INTO meeting_counts (account, n) VALUES (new.account, 1)
            ON CONFLICT (account) DO UPDATE SET n = n + 1;
    END;
    """,
    # v5: the per-account start index also holds each row's walk generation, so the
    # rows a complete walk did not see are found in the index alone (marked missing, or
    # dropped) instead of by reading every row of the account: 14 ms -> 0.7 ms for
    # 10k rows, at the end of every full sync. The order it gives is the same (`id`
    # is unique within an account), so every query that used it still does.
    """
    DROP INDEX meetings_by_account_start;
    CREATE INDEX meetings_by_account_start ON meetings (account, start_key, id, seen_gen);
    """,
    # v6: the search text holds only the details each provider calls data
    # (`Capabilities.searchable_details`), no longer every detail (meettui's own
    # explanations matched filter words). Remaking it here would read every row at
    # open (a million: tens of seconds): instead the rows cached so far, a rowid range
    # found by two lookups, are queued, and `cache_retext.py` remakes them in batches
    # with the index catch-up (the app's worker, the CLI before a filtered list); a
    # sync rewrites its rows meanwhile. A later change to what is searched queues them
    # again the same way, in a new version.
    """
    CREATE TABLE search_retext (next INTEGER NOT NULL, last INTEGER NOT NULL);
    INSERT INTO search_retext (next, last)
        SELECT (SELECT MIN(rowid) FROM meetings), (SELECT MAX(rowid) FROM meetings)
        WHERE (SELECT MAX(rowid) FROM meetings) IS NOT NULL;
    """,
    # v7: since when each row is known to exist upstream (`known_since`), counted in the
    # cache's row writes (`row_writes`: one more per transaction that writes rows). A
    # create whose answer was lost is looked for among the meetings not known before it
    # was sent (`Cache.write_mark`, `Cache.known_before`): one a sync cached meanwhile,
    # or one marked missing that shows up again, is a candidate, not "already known". A
    # row counts from its insert, or from the write that saw it again after it was
    # missing; the rows cached before v7 count from 0. Adding the column rewrites no row.
    """
    ALTER TABLE meetings ADD COLUMN known_since INTEGER NOT NULL DEFAULT 0;
    CREATE TABLE row_writes (n INTEGER NOT NULL);
    INSERT INTO row_writes (n) VALUES (0);
    """,
    # v8: beside the last error, the health it left the account in (a `Health` name:
    # "UNREACHABLE", "NO_ANSWER", ...), so that a later process (`meettui accounts`)
    # says what the app said then, not "error" for every failure. NULL (an error kept
    # before v8) still reads as an error.
    """
    ALTER TABLE sync_state ADD COLUMN last_error_health TEXT;
    """,
    # v9: which meeting an edit replaced with which (a provider that cannot edit in
    # place recreates: new id, new links), so the old id, typed or asked for later,
    # points to the new one instead of "No cached meeting with id …". One row per
    # replaced meeting; small (one per recreating edit), never read by the list.
    """
    CREATE TABLE replacements (
        account TEXT NOT NULL,
        old_id TEXT NOT NULL,
        new_id TEXT NOT NULL,
        replaced_at REAL NOT NULL,
        PRIMARY KEY (account, old_id)
    ) WITHOUT ROWID;
    """,
    # v10: beside a rate limit kept as the last error, when its wait ends (POSIX
    # seconds; NULL: none said), so that a later process (`meettui accounts`) says "Try
    # again in 12 min." as the failure did, until the wait has passed.
    """
    ALTER TABLE sync_state ADD COLUMN last_error_until REAL;
    """,
    # v11: what the user's own writes did, so that a list page requested before them
    # and stored after does not undo them (`Cache.record_page`'s `since`): `written`,
    # the write (`row_writes`) that last stored a meeting a create, edit or action
    # answered with (0: only pages ever wrote it), and `deletions`, the meetings deleted
    # here, by the write that deleted them (kept 30 days: `cache_own_writes.DELETIONS_KEPT`).
    # An MCP client that listed and edited at once saw the edit succeed, then the old
    # start back in the cache from the list's page. `walk_since`: the write mark before
    # the current walk's page one was asked for; a meeting the user's own write stored
    # after it is not marked missing by that walk's end (the pages may predate it).
    """
    ALTER TABLE meetings ADD COLUMN written INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE sync_state ADD COLUMN walk_since INTEGER NOT NULL DEFAULT 0;
    CREATE TABLE deletions (
        account TEXT NOT NULL,
        id TEXT NOT NULL,
        mark INTEGER NOT NULL,
        at REAL NOT NULL,
        PRIMARY KEY (account, id)
    ) WITHOUT ROWID;
    """,
]
SCHEMA_VERSION = len(MIGRATIONS)


def statements(script: str) -> list[str]:
    """`script` cut into single statements. A trigger's body holds `;`s of its own, so
    pieces are joined until SQLite calls the statement complete."""
    out: list[str] = []
    pending = ""
    for piece in script.split(";"):
        pending += piece + ";"
        if sqlite3.complete_statement(pending):
            if pending.strip(" \n;"):
                out.append(pending.strip())
            pending = ""
    if pending.strip(" \n;"):
        out.append(pending.strip())
    return out
