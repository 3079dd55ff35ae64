"""The local SQLite cache: instant lists, offline reading, windowed queries.

Rows are keyed by (account, meeting id) and ordered by an indexed start key, so the
UI asks for a window (LIMIT/OFFSET over the index) instead of loading everything:
100,000 meetings open as fast as ten. A page from a provider is written in one
transaction. A full sync stamps each row it sees with a generation; rows a finished
sync did not see are marked missing rather than dropped.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from meettui.core.models import Meeting
from meettui.core.redact import redact, scrub_secrets

# Sorts meetings without a start after every dated one.
NO_START = 1e18

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
]
SCHEMA_VERSION = len(MIGRATIONS)


@dataclass(frozen=True)
class SyncState:
    account: str
    cursor: str | None = None
    complete: bool = False
    last_synced: datetime | None = None
    generation: int = 0
    last_error: str | None = None


def _start_key(meeting: Meeting) -> float:
    return meeting.starts_at.timestamp() if meeting.starts_at else NO_START


def _fold(text: str) -> str:
    return text.casefold()


def _like_pattern(query: str) -> str:
    escaped = query.casefold().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


class Cache:
    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        if str(path) != ":memory:":
            _create_private(self.path)
        self._lock = threading.RLock()
        self._conn = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute("PRAGMA synchronous=NORMAL")
        self._conn.execute("PRAGMA busy_timeout=5000")
        self.migrate()

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    # -- schema ---------------------------------------------------------------

    @property
    def schema_version(self) -> int:
        version: int = self._conn.execute("PRAGMA user_version").fetchone()[0]
        return version

    def migrate(self) -> None:
        with self._lock:
            current = self.schema_version
            if current > SCHEMA_VERSION:
                from meettui.core.errors import ConfigError

                raise ConfigError(
                    f"The cache at {self.path} was written by a newer meettui "
                    f"(schema {current}, this one knows {SCHEMA_VERSION}).",
                    hint="Upgrade meettui, or move the cache file aside to start afresh.",
                )
            for version in range(current, SCHEMA_VERSION):
                with self._transaction():
                    for statement in _statements(MIGRATIONS[version]):
                        self._conn.execute(statement)
                    self._conn.execute(f"PRAGMA user_version = {version + 1}")

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            else:
                self._conn.execute("COMMIT")

    # -- writes ---------------------------------------------------------------

    def upsert_page(self, account: str, meetings: Iterable[Meeting], *, generation: int = 0) -> int:
        """Write a page atomically: either every meeting lands or none does."""
        rows = list(meetings)
        with self._transaction() as conn:
            self._write_rows(conn, account, rows, generation)
        return len(rows)

    def upsert(self, meeting: Meeting) -> None:
        self.upsert_page(meeting.account, [meeting])

    def delete(self, account: str, meeting_id: str) -> bool:
        with self._transaction() as conn:
            cur = conn.execute(
                "DELETE FROM meetings WHERE account = ? AND id = ?", (account, meeting_id)
            )
            return cur.rowcount > 0

    def mark_missing(self, account: str, meeting_id: str) -> None:
        with self._transaction() as conn:
            conn.execute(
                "UPDATE meetings SET missing = 1 WHERE account = ? AND id = ?",
                (account, meeting_id),
            )

    def forget_account(self, account: str) -> None:
        with self._transaction() as conn:
            conn.execute("DELETE FROM meetings WHERE account = ?", (account,))
            conn.execute("DELETE FROM sync_state WHERE account = ?", (account,))

    # -- sync state -------------------------------------------------------------

    def sync_state(self, account: str) -> SyncState:
        with self._lock:
            row = self._conn.execute(
                "SELECT cursor, complete, last_synced, generation, last_error "
                "FROM sync_state WHERE account = ?",
                (account,),
            ).fetchone()
        if row is None:
            return SyncState(account)
        cursor, complete, last_synced, generation, last_error = row
        synced = datetime.fromtimestamp(last_synced, UTC) if last_synced is not None else None
        return SyncState(account, cursor, bool(complete), synced, generation, last_error)

    def begin_sync(self, account: str) -> int:
        """Start a walk from page one; returns its generation."""
        with self._transaction() as conn:
            conn.execute(
                "INSERT INTO sync_state (account, generation) VALUES (?, 1) "
                "ON CONFLICT (account) DO UPDATE SET generation = generation + 1",
                (account,),
            )
            generation: int = conn.execute(
                "SELECT generation FROM sync_state WHERE account = ?", (account,)
            ).fetchone()[0]
            return generation

    def record_page(
        self,
        account: str,
        meetings: list[Meeting],
        *,
        generation: int,
        next_cursor: str | None,
        synced_at: datetime,
    ) -> None:
        """One transaction: the page, the cursor, and (on the last page) missing marks."""
        with self._transaction() as conn:
            self._write_rows(conn, account, meetings, generation)
            complete = next_cursor is None
            conn.execute(
                "INSERT INTO sync_state (account, cursor, complete, last_synced, generation) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT (account) DO UPDATE SET "
                "cursor = excluded.cursor, complete = excluded.complete, "
                "last_synced = excluded.last_synced, last_error = NULL",
                (account, next_cursor, int(complete), synced_at.timestamp(), generation),
            )
            if complete:
                conn.execute(
                    "UPDATE meetings SET missing = 1 WHERE account = ? AND seen_gen < ?",
                    (account, generation),
                )

    def end_walk(self, account: str, message: str) -> None:
        """End the account's walk early (a server that repeats itself): nothing more to
        load, nothing marked missing (the walk did not see every page), and `message`
        kept as the last error."""
        with self._transaction() as conn:
            conn.execute(
                "UPDATE sync_state SET cursor = NULL, complete = 1, last_error = ? "
                "WHERE account = ?",
                (redact(message), account),
            )

    def record_error(self, account: str, message: str) -> None:
        with self._transaction() as conn:
            conn.execute(
                "INSERT INTO sync_state (account, last_error) VALUES (?, ?) "
                "ON CONFLICT (account) DO UPDATE SET last_error = excluded.last_error",
                (account, redact(message)),
            )

    # -- reads ------------------------------------------------------------------

    def get(self, account: str, meeting_id: str) -> Meeting | None:
        with self._lock:
            row = self._conn.execute(
                "SELECT payload, missing FROM meetings WHERE account = ? AND id = ?",
                (account, meeting_id),
            ).fetchone()
        return _meeting(row) if row else None

    def find(self, meeting_id: str) -> list[Meeting]:
        """Every cached meeting with this id, across accounts (ids are per provider)."""
        with self._lock:
            rows = self._conn.execute(
                "SELECT payload, missing FROM meetings WHERE id = ? ORDER BY account",
                (meeting_id,),
            ).fetchall()
        return [_meeting(r) for r in rows]

    def count(self, accounts: list[str] | None = None, query: str = "") -> int:
        where, params = _where(accounts, query)
        with self._lock:
            row = self._conn.execute(f"SELECT COUNT(*) FROM meetings {where}", params).fetchone()
        count: int = row[0]
        return count

    def window(
        self,
        accounts: list[str] | None = None,
        query: str = "",
        *,
        offset: int = 0,
        limit: int = 100,
    ) -> list[Meeting]:
        """Meetings sorted by start time, `limit` rows from `offset`, read through the index."""
        where, params = _where(accounts, query)
        with self._lock:
            rows = self._conn.execute(
                f"SELECT payload, missing FROM meetings {where} "
                "ORDER BY start_key, account, id LIMIT ? OFFSET ?",
                (*params, max(0, limit), max(0, offset)),
            ).fetchall()
        return [_meeting(r) for r in rows]

    def index_of(
        self, account: str, meeting_id: str, accounts: list[str] | None = None, query: str = ""
    ) -> int | None:
        """Row number of a meeting in the sorted view (to keep the cursor on it)."""
        meeting = self.get(account, meeting_id)
        if meeting is None:
            return None
        key = _start_key(meeting)
        where, params = _where(accounts, query)
        glue = "AND" if where else "WHERE"
        with self._lock:
            index: int = self._conn.execute(
                f"SELECT COUNT(*) FROM meetings {where} {glue} "
                "(start_key, account, id) < (?, ?, ?)",
                (*params, key, account, meeting_id),
            ).fetchone()[0]
        return index

    def _write_rows(
        self, conn: sqlite3.Connection, account: str, meetings: list[Meeting], generation: int
    ) -> None:
        now = time.time()
        rows = []
        for meeting in meetings:
            if meeting.account != account:
                raise ValueError(f"meeting {meeting.id} belongs to {meeting.account}")
            title = scrub_secrets(meeting.title)
            rows.append(
                (
                    account, meeting.id, meeting.provider, title, _fold(title),
                    _start_key(meeting), meeting.status.value, _payload(meeting), now, generation,
                )
            )
        conn.executemany(_UPSERT, rows)


_UPSERT = """
    INSERT INTO meetings (account, id, provider, title, title_fold, start_key,
                          status, payload, updated_at, missing, seen_gen)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?)
    ON CONFLICT (account, id) DO UPDATE SET
        provider = excluded.provider, title = excluded.title,
        title_fold = excluded.title_fold, start_key = excluded.start_key,
        status = excluded.status, payload = excluded.payload,
        updated_at = excluded.updated_at, missing = 0,
        seen_gen = MAX(meetings.seen_gen, excluded.seen_gen)
"""


def _where(accounts: list[str] | None, query: str) -> tuple[str, tuple[object, ...]]:
    clauses: list[str] = []
    params: list[object] = []
    if accounts is not None:
        clauses.append(f"account IN ({','.join('?' * len(accounts))})" if accounts else "0")
        params.extend(accounts)
    if query:
        clauses.append("title_fold LIKE ? ESCAPE '\\'")
        params.append(_like_pattern(query))
    return ("WHERE " + " AND ".join(clauses) if clauses else ""), tuple(params)


def _payload(meeting: Meeting) -> str:
    data = meeting.model_dump(mode="json", exclude={"missing"})
    return scrub_secrets(json.dumps(data, separators=(",", ":"), ensure_ascii=False))


def _meeting(row: tuple[str, int]) -> Meeting:
    meeting = Meeting.model_validate_json(row[0])
    if row[1]:
        meeting.missing = True
    return meeting


def _statements(script: str) -> list[str]:
    return [s.strip() for s in script.split(";") if s.strip()]


def _create_private(path: Path) -> None:
    """The cache holds host links: only its owner may read it."""
    # A new directory is private; an existing one (say /tmp) is left as the user has it.
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.close(os.open(path, os.O_CREAT | os.O_RDWR, 0o600))
    # An existing file keeps its mode on open: tighten it too.
    with contextlib.suppress(OSError):
        os.chmod(path, 0o600)
