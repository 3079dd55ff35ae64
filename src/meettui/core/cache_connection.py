"""The connection under the cache (`Cache`, `cache.py`, extends `CacheConnection`):
opening the file (a file that is not a database, or a damaged one, moved aside and a
fresh cache started with what only it held, as far as it still reads:
`cache_salvage.py`; anything else a ConfigError naming it), its settings, the check
that it is a meettui cache and its migrations, and starting afresh from a file found
damaged while open. The lock and transactions every read and write goes through are
`CacheTransactions` (`cache_transactions.py`), which this extends.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
from pathlib import Path

from meettui.core import cache_file, cache_fts, cache_salvage, cache_transactions
from meettui.core.cache_file import SQLITE_MAGIC
from meettui.core.cache_rows import SearchLabels
from meettui.core.cache_schema import MIGRATIONS, SCHEMA_VERSION, statements
from meettui.core.cache_transactions import CacheTransactions
from meettui.core.errors import CacheError, ConfigError

_log = logging.getLogger("meettui.cache")

# The schema version that brought the full-text index.
FTS_SINCE = 4

PAGE_SIZE = 16384
"""Bytes per database page of a cache file created from now on."""


class CacheConnection(CacheTransactions):
    """The cache file at `path` open, with its lock: what `Cache` reads and writes
    through (`Cache` says what `path`, `variable` and `notice` are). ConfigError when
    the file cannot be opened, is not a meettui cache, or was written by a newer
    meettui (see the module docstring for what is moved aside instead)."""

    def __init__(self, path: Path | str, *, variable: str | None = None) -> None:
        super().__init__(path, variable=variable)
        self.notice: str | None = None
        # The file just moved aside, until `_carry_over` reads it.
        self._moved: cache_salvage.Moved | None = None
        # Whether filters may use the full-text index (`cache_fts.py`): set by `migrate`.
        self._fts = False
        # Which details the search text holds, per provider: given by the service.
        self._labels = SearchLabels()
        # Rows queued to have their search text remade (`cache_retext.py`): nothing
        # queues them after the cache opened, so once none is found none is asked for.
        self._retext_done = False
        if str(path) == ":memory:":
            self._conn = cache_transactions.connect(str(path))
            self._prepare()
            self._ready = True
            return
        self._conn = self._open_file()
        self._ready = True
        if self.read_only is not None:
            return  # left exactly as it is (root's chmod would make it writable again)
        # The cache holds host links: only its owner may read it (an existing file,
        # perhaps from before this rule, is tightened once it is known to be ours).
        with contextlib.suppress(OSError):
            os.chmod(self.path, 0o600)

    def _open_file(self) -> sqlite3.Connection:
        cache_file.check_path(self.path, self.variable)
        reason = cache_file.read_only_reason(self.path)
        if reason is not None:
            return self._open_read_only(reason)
        try:
            cache_file.create_private(self.path)
            header = cache_file.header(self.path)
        except OSError as exc:
            raise cache_file.open_failed(self.path, self.variable, exc) from None
        if header and not header.startswith(SQLITE_MAGIC):
            # Not an SQLite file at all: set aside before SQLite opens it (closing a
            # connection to such a file deletes the -wal and -shm beside it).
            self._start_afresh("it is not an SQLite file", readable=False)
        else:
            conn = cache_transactions.connect(str(self.path))
            try:
                self._conn = conn
                self._prepare()
                return conn
            except sqlite3.DatabaseError as exc:
                if not cache_file.is_damage(exc):
                    conn.close()
                    raise cache_file.open_failed(self.path, self.variable, exc) from None
                try:
                    # Moved while still open, for the same reason.
                    self._start_afresh(str(exc))
                finally:
                    conn.close()
            except BaseException:
                conn.close()
                raise
        try:
            cache_file.create_private(self.path)
            conn = cache_transactions.connect(str(self.path))
            self._conn = conn
            self._prepare()
        except (OSError, sqlite3.DatabaseError) as exc:
            raise cache_file.open_failed(self.path, self.variable, exc) from None
        self._carry_over()
        return conn

    def _open_read_only(self, reason: str) -> sqlite3.Connection:
        """The file, which cannot be written (`reason`), opened to read what it holds:
        nothing is created, migrated, tightened, indexed or set aside, and `notice`
        says what that means. ConfigError when it cannot be read that way (empty, not
        an SQLite file, damaged, written by another meettui version, or its -wal not
        readable without a writable folder): the file is left as it is."""
        self.read_only = reason
        try:
            header = cache_file.header(self.path)
        except OSError as exc:
            raise cache_file.open_failed(self.path, self.variable, exc) from None
        if not header.startswith(SQLITE_MAGIC):
            raise cache_file.read_only_unreadable(
                self.path, self.variable, reason, "empty" if not header else None)
        self._target, self._uri = cache_file.read_only_uri(self.path), True
        try:
            conn = cache_transactions.connect(self._target, uri=True)
        except sqlite3.Error as exc:
            raise self._unreadable(exc) from None
        try:
            self._conn = conn
            self._prepare()
        except sqlite3.DatabaseError as exc:
            conn.close()
            raise self._unreadable(exc) from None
        except BaseException:
            conn.close()
            raise
        self.notice = cache_file.read_only_notice(self.path, self.variable, reason)
        return conn

    def _unreadable(self, exc: sqlite3.Error) -> ConfigError:
        """The error for a read-only cache SQLite could not read (`exc`): a -wal it
        cannot use is said as such."""
        pending = not self._target.endswith("immutable=1") and cache_file.is_cant_open(exc)
        return cache_file.read_only_unreadable(
            self.path, self.variable, self.read_only or "", None, exc=exc, pending=pending)

    def _start_afresh(self, reason: str, *, readable: bool = True) -> None:
        """Move the file aside (`cache_salvage.move_aside`); `_carry_over` then brings
        what only it held into the fresh one (`readable`: it is an SQLite file, worth
        reading) and says so."""
        self._moved = cache_salvage.move_aside(self.path, reason, readable=readable)
        self.notice = cache_salvage.moved_notice(self.path, self._moved,
                                                 cache_salvage.Salvage(), "")

    def _carry_over(self) -> None:
        """Bring what existed only on this machine from the file just moved aside into
        the fresh cache (`cache_salvage.carry_over`), `notice` saying what came over."""
        if self._moved is None:
            return
        moved, self._moved = self._moved, None
        self.notice = cache_salvage.carry_over(self.path, moved, self._write_carried)

    def _write_carried(self, found: cache_salvage.Salvage) -> None:
        """`cache_salvage.write_carried` under the writer's lock; rows left for their
        search text are looked for again (`cache_retext.py`)."""
        with self._lock:
            if cache_salvage.write_carried(self._conn, found, self._labels):
                self._retext_done = False

    def _prepare(self) -> None:
        """Settings, a check that the file is a meettui cache, then migrations. The
        check reads the file before anything writes to it."""
        # Only a new (empty) file takes the page size; an existing one keeps its own.
        # A stored meeting is about 2 KB (payload and search text), so a 4 KB page holds
        # one and wastes nearly half: 16 KB pages hold seven, and a full sync of 10k
        # meetings writes (and checkpoints) 28 MB instead of 38.
        if self.read_only is None:
            self._conn.execute(f"PRAGMA page_size={PAGE_SIZE}")
        self._settle_connection()
        self._check_ours()
        self._check_version()
        if self.read_only is not None:
            self._check_current()
            # Read as it is: no index to catch up (its writes), no search text remade;
            # filters use LIKE over the stored text.
            self._fts, self._retext_done = False, True
            return
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute("PRAGMA synchronous=NORMAL")
        self.migrate()

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
                hint=f"Set {cache_file.variable_name(self.variable)} to another file for "
                "the cache.",
            )

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

    def _check_current(self) -> None:
        """A read-only cache must be at this version already: bringing it up to date
        writes it."""
        current = self.schema_version
        if current < SCHEMA_VERSION:
            what = ("holds no meettui cache yet" if current == 0 else
                    f"was written by an older meettui (schema {current}, this one reads "
                    f"{SCHEMA_VERSION}), and bringing it up to date writes it")
            raise ConfigError(f"The cache {self.path} is read-only ({self.read_only}) and "
                              f"{what}.",
                              hint=cache_file.read_only_advice(self.path, self.variable))

    @property
    def _fts_ok(self) -> bool:
        return cache_fts.fts_available(self._conn)

    def migrate(self) -> None:
        """Bring the file to SCHEMA_VERSION, one transaction per version, and the
        full-text index in line with this SQLite (`cache_fts.reconcile`)."""
        with self._lock:
            self._check_version()
            current = self.schema_version
            for version in range(current, SCHEMA_VERSION):
                with self._transaction():
                    for statement in statements(MIGRATIONS[version]):
                        self._conn.execute(statement)
                    if version + 1 == FTS_SINCE:
                        # The index is part of v4 (when this SQLite can make it).
                        self._fts = cache_fts.reconcile(self._conn, available=self._fts_ok)
                    self._conn.execute(f"PRAGMA user_version = {version + 1}")
            if cache_fts.needs_reconcile(self._conn, self._fts_ok):
                with self._transaction():
                    self._fts = cache_fts.reconcile(self._conn, available=self._fts_ok)
            else:
                self._fts = self._fts_ok

    def start_afresh(self, error: CacheError) -> str | None:
        """`error` found the file damaged while it was open: move it aside (with its
        -wal and -shm) and start a fresh cache in its place, as the next start would,
        instead of reading on from a damaged file (a running app's filter over the
        damage said "0 meetings", its list the old count). Returns the notice saying
        where the file went; None when `error` was about a file set aside already.
        Raises ConfigError when the file cannot be moved (it is then read on) or a
        fresh one cannot be made (the cache is then held in memory until the end)."""
        with self._lock:
            if error.damaged != self.opening or str(self.path) == ":memory:":
                return None
            if self.read_only is not None:
                # Not moved: a read-only cache stays as it is (and is read on).
                raise ConfigError(error.message, hint=error.hint)
            old = self._conn
            self._start_afresh(error.message.removeprefix(f"The cache {self.path} failed: ")
                               .removesuffix("."))
            # Closed once moved: closing it first would remove the -wal beside it.
            with contextlib.suppress(sqlite3.Error):
                old.close()
            self.opening += 1
            self._ready = False
            try:
                cache_file.create_private(self.path)
                self._conn = cache_transactions.connect(str(self.path))
                self._prepare()
            except (OSError, sqlite3.DatabaseError) as exc:
                self._conn = cache_transactions.connect(":memory:")
                self._prepare()
                self._moved = None
                raise cache_file.open_failed(self.path, self.variable, exc) from None
            finally:
                self._ready = True
            self._carry_over()
            self._retext_done = False
            with self._quick_lock:
                if self._quick is not None:
                    # Onto the fresh file too (the old one, moved, is let go).
                    with contextlib.suppress(sqlite3.Error):
                        self._quick.close()
                    self._quick = cache_transactions.connect_quick(str(self.path))
            with contextlib.suppress(OSError):
                os.chmod(self.path, 0o600)
            return self.notice

