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
import logging
import os
import re
import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from pydantic import ValidationError

from meettui.core.config import CACHE_ENV
from meettui.core.errors import ConfigError
from meettui.core.models import Meeting
from meettui.core.redact import redact, scrub_secrets

_log = logging.getLogger("meettui.cache")

# Next to an SQLite file: its write-ahead log, shared memory and rollback journal.
_SIDE_FILES = ("-wal", "-shm", "-journal")
SQLITE_MAGIC = b"SQLite format 3\x00"

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
    """The cache at `path`. `variable` names the environment variable that chose the
    path, for messages. A file that is not a database (or a damaged one) is moved aside
    and a fresh cache started: `notice` then says where it went, for the front end to
    show once. Anything else that stops it opening is a ConfigError naming the file."""

    def __init__(self, path: Path | str, *, variable: str | None = None) -> None:
        self.path = Path(path)
        self.variable = variable
        self.notice: str | None = None
        self._lock = threading.RLock()
        self._ready = False
        if str(path) == ":memory:":
            self._conn = _connect(str(path))
            self._prepare()
            self._ready = True
            return
        self._conn = self._open_file()
        self._ready = True
        # The cache holds host links: only its owner may read it (an existing file,
        # perhaps from before this rule, is tightened once it is known to be ours).
        with contextlib.suppress(OSError):
            os.chmod(self.path, 0o600)

    def _open_file(self) -> sqlite3.Connection:
        self._check_path()
        try:
            _create_private(self.path)
            header = _header(self.path)
        except OSError as exc:
            raise self._cannot_open(_reason(exc)) from None
        if header and not header.startswith(SQLITE_MAGIC):
            # Not an SQLite file at all: set aside before SQLite opens it (closing a
            # connection to such a file deletes the -wal and -shm beside it).
            self._start_afresh("it is not an SQLite file")
        else:
            conn = _connect(str(self.path))
            try:
                self._conn = conn
                self._prepare()
                return conn
            except sqlite3.DatabaseError as exc:
                if not _is_damage(exc):
                    conn.close()
                    raise self._cannot_open(str(exc)) from None
                try:
                    # Moved while still open, for the same reason.
                    self._start_afresh(str(exc))
                finally:
                    conn.close()
            except BaseException:
                conn.close()
                raise
        try:
            _create_private(self.path)
            conn = _connect(str(self.path))
            self._conn = conn
            self._prepare()
        except (OSError, sqlite3.DatabaseError) as exc:
            raise self._cannot_open(_reason(exc)) from None
        return conn

    def _start_afresh(self, reason: str) -> None:
        moved = self._move_aside()
        self.notice = (
            f"The cache {self.path} could not be read ({reason}), so meettui moved it to "
            f"{moved} and started a fresh cache. Meetings are fetched again from each "
            "account; what existed only on this machine (Jitsi meetings, host links "
            "meettui learned) is in the moved file."
        )
        _log.warning("%s", self.notice)

    def _prepare(self) -> None:
        """Settings, a check that the file is a meettui cache, then migrations. The
        check reads the file before anything writes to it."""
        self._conn.execute("PRAGMA busy_timeout=5000")
        self._check_ours()
        self._check_version()
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute("PRAGMA synchronous=NORMAL")
        self.migrate()

    def _check_path(self) -> None:
        if not _is_dir(self.path):
            return
        if self.variable:
            raise ConfigError(
                f"{self.variable} points at {self.path}, which is a directory, not a "
                "cache file.",
                hint=f"Set {self.variable} to a file, e.g. {self.path / 'cache.sqlite3'}, "
                "or unset it.",
            )
        raise ConfigError(
            f"The cache file {self.path} is a directory.",
            hint="Move it aside: meettui keeps its cache in a file of that name.",
        )

    def _check_ours(self) -> None:
        """A database meettui did not write (MEETTUI_CACHE pointed at someone else's
        file) is left exactly as it is."""
        if self.schema_version:
            return
        tables = [row[0] for row in self._conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        if tables:
            raise ConfigError(
                f"{self.path} is an SQLite database meettui did not write (it has the "
                f"tables {', '.join(tables[:5])}); meettui leaves it alone.",
                hint=f"Set {self._variable_name} to another file for the cache.",
            )

    def _cannot_open(self, reason: str) -> ConfigError:
        where = f"{self.path} (set by {self.variable})" if self.variable else str(self.path)
        return ConfigError(
            f"Cannot open the cache {where}: {reason}.",
            hint=f"Make it and its folder writable by you (chmod u+rw {self.path}), or "
            f"set {self._variable_name} to another file.",
        )

    @property
    def _variable_name(self) -> str:
        return self.variable or CACHE_ENV

    def _move_aside(self) -> Path:
        """Rename the file (and its -wal, -shm, -journal) to `<name>.broken-<UTC time>`:
        kept, never deleted, and out of the way of a fresh cache."""
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        target = self.path.with_name(f"{self.path.name}.broken-{stamp}")
        n = 1
        while any(_exists(Path(f"{target}{s}")) for s in ("", *_SIDE_FILES)):
            n += 1
            target = self.path.with_name(f"{self.path.name}.broken-{stamp}-{n}")
        try:
            os.rename(self.path, target)
            for suffix in _SIDE_FILES:
                side = Path(f"{self.path}{suffix}")
                if _exists(side):
                    os.rename(side, f"{target}{suffix}")
        except OSError as exc:
            raise ConfigError(
                f"The cache {self.path} could not be read (it is not a database or is "
                f"damaged), and moving it aside failed: {_reason(exc)}.",
                hint=f"Move {self.path} (and any {self.path.name}-wal, -shm next to it) "
                "somewhere else yourself; meettui then starts a fresh cache.",
            ) from None
        return target

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    # -- schema ---------------------------------------------------------------

    @property
    def schema_version(self) -> int:
        version: int = self._conn.execute("PRAGMA user_version").fetchone()[0]
        return version

    def _check_version(self) -> None:
        current = self.schema_version
        if current > SCHEMA_VERSION:
            raise ConfigError(
                f"The cache at {self.path} was written by a newer meettui "
                f"(schema {current}, this one knows {SCHEMA_VERSION}).",
                hint="Upgrade meettui, or move the cache file aside to start afresh.",
            )

    def migrate(self) -> None:
        with self._lock:
            self._check_version()
            current = self.schema_version
            for version in range(current, SCHEMA_VERSION):
                with self._transaction():
                    for statement in _statements(MIGRATIONS[version]):
                        self._conn.execute(statement)
                    self._conn.execute(f"PRAGMA user_version = {version + 1}")

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._using():
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
            except BaseException:
                if self._conn.in_transaction:  # SQLite may have rolled back already
                    self._conn.execute("ROLLBACK")
                raise
            else:
                self._conn.execute("COMMIT")

    @contextmanager
    def _using(self) -> Iterator[None]:
        """The lock, and SQLite's errors once the cache is open (a file damaged in the
        middle, a full disk, a file made read-only) as a ConfigError naming the file."""
        with self._lock:
            try:
                yield
            except sqlite3.DatabaseError as exc:
                if not self._ready:
                    raise  # while opening: `_open_file` decides
                raise self._failed(exc) from None

    def _failed(self, exc: sqlite3.DatabaseError) -> ConfigError:
        if _is_damage(exc):
            hint = (f"Quit meettui and move {self.path} aside (with its -wal and -shm); "
                    "meettui then starts a fresh cache, and the old file keeps what "
                    "existed only on this machine.")
        else:
            hint = (f"Check that the disk has room and that {self.path} and its folder "
                    f"are writable by you (chmod u+rw {self.path}).")
        return ConfigError(f"The cache {self.path} failed: {exc}.", hint=hint)

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
        with self._using():
            row = self._conn.execute(
                "SELECT cursor, complete, last_synced, generation, last_error "
                "FROM sync_state WHERE account = ?",
                (account,),
            ).fetchone()
        if row is None:
            return SyncState(account)
        cursor, complete, last_synced, generation, last_error = row
        # A value no meettui wrote (an edited or damaged file) reads as "unknown", never
        # as a crash: the sync state only informs, the next sync rewrites it.
        try:
            synced = (datetime.fromtimestamp(float(last_synced), UTC)
                      if last_synced is not None else None)
        except (OverflowError, ValueError, TypeError, OSError):
            synced = None
        return SyncState(
            account,
            cursor if isinstance(cursor, str) else None,
            bool(complete),
            synced,
            generation if isinstance(generation, int) else 0,
            last_error if isinstance(last_error, str) else None,
        )

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
        drop_unseen: bool = False,
    ) -> None:
        """One transaction: the page, the cursor, and (on the last page) missing marks
        for the rows the walk did not see; `drop_unseen` deletes those rows instead, for
        an account whose upstream is made afresh on every run (the demo's)."""
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
                    "DELETE FROM meetings WHERE account = ? AND seen_gen < ?" if drop_unseen
                    else "UPDATE meetings SET missing = 1 WHERE account = ? AND seen_gen < ?",
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
        with self._using():
            row = self._conn.execute(
                "SELECT payload, missing FROM meetings WHERE account = ? AND id = ?",
                (account, meeting_id),
            ).fetchone()
        return _meeting(row) if row else None

    def find(self, meeting_id: str) -> list[Meeting]:
        """Every cached meeting with this id, across accounts (ids are per provider)."""
        with self._using():
            rows = self._conn.execute(
                "SELECT payload, missing FROM meetings WHERE id = ? ORDER BY account",
                (meeting_id,),
            ).fetchall()
        return _meetings(rows)

    def count(self, accounts: list[str] | None = None, query: str = "") -> int:
        where, params = _where(accounts, query)
        with self._using():
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
        with self._using():
            rows = self._conn.execute(
                f"SELECT payload, missing FROM meetings {where} "
                "ORDER BY start_key, account, id LIMIT ? OFFSET ?",
                (*params, max(0, limit), max(0, offset)),
            ).fetchall()
        return _meetings(rows)

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
        with self._using():
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
            title = _storable(scrub_secrets(meeting.title))
            rows.append(
                (
                    account, _storable(meeting.id), meeting.provider, title, _fold(title),
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
    return _storable(scrub_secrets(json.dumps(data, separators=(",", ":"),
                                              ensure_ascii=False)))


_SURROGATE = re.compile("[\ud800-\udfff]")


def _storable(text: str) -> str:
    """`text` as SQLite can store it: a lone surrogate (a provider's broken JSON escape,
    or bytes that were not UTF-8) becomes U+FFFD instead of failing the whole page."""
    return _SURROGATE.sub("\ufffd", text)


def _meetings(rows: Iterable[tuple[str, int]]) -> list[Meeting]:
    return [m for m in map(_meeting, rows) if m is not None]


_unreadable_logged: set[int] = set()


def _meeting(row: tuple[str, int]) -> Meeting | None:
    """The row's meeting; None (and a log line, once) for a payload that no longer
    validates, say one written by another version: skipped, never a crash."""
    try:
        meeting = Meeting.model_validate_json(row[0])
    except (ValidationError, ValueError, TypeError) as exc:
        text = str(row[0])
        if hash(text) not in _unreadable_logged:
            _unreadable_logged.add(hash(text))
            first = exc.errors()[0] if isinstance(exc, ValidationError) else None
            what = f"{'.'.join(map(str, first['loc']))}: {first['msg']}" if first else str(exc)
            _log.warning("skipping a cached meeting that no longer reads (%s): %.200s",
                         what, text)
        return None
    if row[1]:
        meeting.missing = True
    return meeting


def _statements(script: str) -> list[str]:
    return [s.strip() for s in script.split(";") if s.strip()]


def _connect(path: str) -> sqlite3.Connection:
    return sqlite3.connect(path, check_same_thread=False, isolation_level=None)


def _is_damage(exc: sqlite3.DatabaseError) -> bool:
    """Not a database, or a damaged one (as opposed to locked, read-only, full...)."""
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in (sqlite3.SQLITE_NOTADB, sqlite3.SQLITE_CORRUPT)
    return not isinstance(exc, sqlite3.OperationalError)


def _reason(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror.lower()
    return str(exc) or type(exc).__name__


def _is_dir(path: Path) -> bool:
    try:
        return path.is_dir()
    except OSError:
        return False


def _header(path: Path) -> bytes:
    with open(path, "rb") as handle:
        return handle.read(len(SQLITE_MAGIC))


def _exists(path: Path) -> bool:
    try:
        return path.exists()
    except OSError:
        return False


def _create_private(path: Path) -> None:
    """Create the file readable by its owner only (it holds host links)."""
    # A new directory is private; an existing one (say /tmp) is left as the user has it.
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.close(os.open(path, os.O_CREAT | os.O_RDWR, 0o600))
