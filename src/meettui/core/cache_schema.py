"""The cache's schema: one SQL script per version, applied in order by `Cache.migrate`
(the file's `PRAGMA user_version` says how many have run). A new version is a new
script at the end; scripts already shipped never change, so every older cache can be
brought up to date."""

from __future__ import annotations

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
]
SCHEMA_VERSION = len(MIGRATIONS)
