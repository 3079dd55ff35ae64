"""The connection under the cache (`Cache`, `cache.py`, extends `CacheConnection`):
opening the file (a file that is not a database, or a damaged one, moved aside and a
fresh cache started with what only it held, as far as it still reads:
`cache_salvage.py`; anything else a ConfigError naming it), its settings, the check
that it is a meettui cache and its migrations, the lock and transactions every read and
write goes through (SQLite's errors once open as a CacheError), and the larger page
cache of a full sync (`bulk_writes`).
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import functools
import logging
import os
import sqlite3
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from meettui.core import cache_file, cache_fts, cache_salvage
from meettui.core.cache_file import SQLITE_MAGIC
from meettui.core.cache_rows import SearchLabels
from meettui.core.cache_schema import MIGRATIONS, SCHEMA_VERSION, statements
from meettui.core.errors import CacheBusy, CacheError, CacheReadOnly, ConfigError
from meettui.core.registry import kinds_kept_only_here

T = TypeVar("T")

_log = logging.getLogger("meettui.cache")

# The schema version that brought the full-text index.
FTS_SINCE = 4

PAGE_SIZE = 16384
"""Bytes per database page of a cache file created from now on."""
CACHE_KIB = 2048
"""SQLite's page cache per connection, in KiB (an upper bound: it fills as pages are
read). SQLite's own default: the app's memory must not grow with the cache (#16)."""
BULK_CACHE_KIB = 16384
"""The page cache while a full sync writes (`Cache.bulk_writes`)."""
BUSY_TIMEOUT_MS = 5000
"""How long a read or write waits for another process holding the file locked (another
meettui) before it fails as "in use" (`cache_file.is_busy`). Never on the thread given to
`never_wait_on` (the app's): there nothing waits."""


class CacheConnection:
    """The cache file at `path` open, with its lock: what `Cache` reads and writes
    through (`Cache` says what `path`, `variable` and `notice` are)."""

    def __init__(self, path: Path | str, *, variable: str | None = None) -> None:
        self.path = Path(path)
        self.variable = variable
        self.notice: str | None = None
        self.read_only: str | None = None
        """Why the file cannot be written ("the file is read-only"), when it was opened
        read-only to show what it holds (`cache_file.read_only_reason`); every write is
        then refused with a CacheReadOnly (`read_only_error`), nothing in it changes,
        and `notice` says so once. None: it is written as ever."""
        # What SQLite opens: the path, or the URI of a read-only opening.
        self._target = str(path)
        self._uri = False
        self.opening = 1
        """How many times a file was opened here: one more after each `start_afresh`."""
        # The file just moved aside, until `_carry_over` reads it.
        self._moved: cache_salvage.Moved | None = None
        self._lock = threading.RLock()
        self._ready = False
        # Whether filters may use the full-text index (`cache_fts.py`): set by `migrate`.
        self._fts = False
        # Which details the search text holds, per provider: given by the service.
        self._labels = SearchLabels()
        # Rows queued to have their search text remade (`cache_retext.py`): nothing
        # queues them after the cache opened, so once none is found none is asked for.
        self._retext_done = False
        # Full syncs under way (`bulk_writes`), and the temp_store to give back after.
        self._bulk_walks = 0
        self._temp_store = 0
        # The thread whose cache calls never wait for SQLite's lock (`never_wait_on`),
        # and the connection its reads go through (with a lock of its own, which no
        # other thread holds while it waits for the file).
        self._hurried: int | None = None
        self._quick: sqlite3.Connection | None = None
        self._quick_lock = threading.RLock()
        # The thread async code writes through (`off_loop`), made when first needed.
        self._writer: ThreadPoolExecutor | None = None
        # (opening, `PRAGMA data_version`) at the last `written_elsewhere`.
        self._data_version: tuple[int, int] | None = None
        if str(path) == ":memory:":
            self._conn = _connect(str(path))
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
            conn = _connect(str(self.path))
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
            conn = _connect(str(self.path))
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
            conn = _connect(self._target, uri=True)
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

    def read_only_error(self, what: str = "the change") -> CacheReadOnly:
        """The refusal of a write to a cache opened read-only: `what` ("what a refresh
        of 'team' fetches") could not be kept, so nothing was sent or changed."""
        return CacheReadOnly(
            f"The cache {self.path} is read-only ({self.read_only}), so {what} could not "
            "be kept: nothing was sent or changed.",
            hint=cache_file.read_only_advice(self.path, self.variable))

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
        self._conn.execute(f"PRAGMA cache_size={-CACHE_KIB}")
        self._conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
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

    async def off_loop(self, write: Callable[..., T], *args: object) -> T:
        """`write(*args)` (a cache write, or a step that makes some) for async code,
        which on the thread that never waits (`never_wait_on`: the app's loop) is tried
        there at once, without waiting; when the cache is busy (another process, or a
        write of this one in a thread, holds it) it runs again in the cache's writer
        thread, awaited, waiting for the file as any write does: the loop goes on
        meanwhile. Elsewhere (a command) `write` runs as it is. A `write` must be one
        that may run again after a busy failure (each of its transactions whole or
        not at all). The caller's context (a dry run) goes along."""
        try:
            return write(*args)
        except CacheBusy:
            if not self._hurrying():
                raise  # (it waited for the file already)
        if self._writer is None:
            self._writer = ThreadPoolExecutor(1, thread_name_prefix="meettui-cache")
        context = contextvars.copy_context()
        return await asyncio.get_running_loop().run_in_executor(
            self._writer, functools.partial(context.run, write, *args))

    def close(self) -> None:
        if self._writer is not None:
            self._writer.shutdown(wait=True)
        with self._lock:
            self._conn.close()
        with self._quick_lock:
            if self._quick is not None:
                self._quick.close()

    # -- the thread that never waits ---------------------------------------------------

    def never_wait_on(self, thread: int | None = None) -> None:
        """Cache calls made on `thread` (the calling one when None: the app's event
        loop) never wait for the file's lock. Its reads go through a connection of their
        own without a busy timeout: in WAL they need no lock that a writer holds, and
        they no longer queue behind this process's writer connection, which a worker
        thread may hold for `BUSY_TIMEOUT_MS` while another process writes (the app
        froze for that long, a key at a time). A read the file cannot give now (another
        process holding it with `locking_mode=EXCLUSIVE`), or a write asked for on that
        thread while the writer is busy, raises CacheBusy at once: the caller shows
        what it has and tries again later. Writes belong in worker threads."""
        self._hurried = thread if thread is not None else threading.get_ident()
        with self._quick_lock:
            if self._quick is None and str(self.path) != ":memory:":
                self._quick = _connect_quick(self._target, uri=self._uri)

    def written_elsewhere(self) -> bool:
        """Whether another process wrote to the cache since the last call (False at the
        first): SQLite's `data_version` on the writer connection, which changes with a
        commit of any other connection and never with its own (this process's writes
        all go through it). Constant time, no read of a table; never waits: when this
        process is writing, or the file cannot answer now, it says False, and the next
        call sees the change."""
        if str(self.path) == ":memory:" or not self._lock.acquire(blocking=False):
            return False
        try:
            conn = self._conn
            conn.execute("PRAGMA busy_timeout=0")
            try:
                version = (self.opening, conn.execute("PRAGMA data_version").fetchone()[0])
            except sqlite3.Error:
                return False
            finally:
                conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        finally:
            self._lock.release()
        seen, self._data_version = self._data_version, version
        return seen is not None and seen != version

    def may_wait_again(self) -> None:
        """Undo `never_wait_on` (the app has ended: the thread may run a command)."""
        self._hurried = None

    def _hurrying(self) -> bool:
        return self._hurried is not None and threading.get_ident() == self._hurried

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

    @contextmanager
    def _transaction(self, *, wait: bool = True) -> Iterator[sqlite3.Connection]:
        """A write transaction on the writer connection. On the thread that never waits
        (`never_wait_on`), or without `wait`, it is tried once, without waiting for
        this process's writer or for another process: CacheBusy when either holds it."""
        if self.read_only is not None:
            raise self.read_only_error()
        hurrying = (self._hurrying() or not wait) and str(self.path) != ":memory:"
        if hurrying and not self._lock.acquire(blocking=False):
            raise self._busy("another write of this meettui is waiting for it")
        try:
            with self._writing(hurrying) as conn:
                yield conn
        finally:
            if hurrying:
                self._lock.release()

    @contextmanager
    def _writing(self, hurrying: bool) -> Iterator[sqlite3.Connection]:
        with self._lock, self._guarded():
            conn = self._conn
            if hurrying:
                conn.execute("PRAGMA busy_timeout=0")
            try:
                conn.execute("BEGIN IMMEDIATE")
            finally:
                if hurrying:
                    conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            try:
                yield conn
            except BaseException:
                if conn.in_transaction:  # SQLite may have rolled back already
                    conn.execute("ROLLBACK")
                raise
            else:
                conn.execute("COMMIT")

    @contextmanager
    def _using(self) -> Iterator[sqlite3.Connection]:
        """The connection to read with, under its lock, and SQLite's errors once the
        cache is open (a file damaged in the middle, a full disk, a file made
        read-only) as a CacheError naming the file. On the thread that never waits
        (`never_wait_on`), its own connection, which fails at once (CacheBusy) rather
        than wait for the file."""
        if self._quick is not None and self._hurrying():
            with self._quick_lock, self._guarded():
                yield self._quick
            return
        with self._lock, self._guarded():
            yield self._conn

    @contextmanager
    def _guarded(self) -> Iterator[None]:
        try:
            yield
        except sqlite3.DatabaseError as exc:
            if not self._ready:
                raise  # while opening: `_open_file` decides
            raise self._failed(exc) from None

    def _busy(self, why: str) -> CacheBusy:
        return CacheBusy(f"The cache {self.path} is in use by another process ({why}).",
                         hint=cache_file.IN_USE_HINT)

    def _failed(self, exc: sqlite3.DatabaseError) -> CacheError:
        if cache_file.is_damage(exc):
            # Said to a running app as well as after a command has stopped: the hint
            # holds for both.
            facts = cache_salvage.local_facts(kinds_kept_only_here())
            hint = (f"With meettui closed, move {self.path} aside (with its -wal and "
                    "-shm); meettui then starts a fresh cache, and the old file keeps "
                    f"what existed only on this machine ({facts}).")
        elif cache_file.is_busy(exc):
            # Held by another process for longer than the busy timeout (at once, on the
            # thread that never waits): nothing about the file's permissions is wrong
            # (it said "chmod u+rw").
            return self._busy(str(exc))
        else:
            hint = (f"Check that the disk has room and that {self.path} and its folder "
                    f"are writable by you (chmod u+rw {self.path}).")
        return CacheError(f"The cache {self.path} failed: {exc}.", hint=hint,
                          damaged=self.opening if cache_file.is_damage(exc) else None)

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
                self._conn = _connect(str(self.path))
                self._prepare()
            except (OSError, sqlite3.DatabaseError) as exc:
                self._conn = _connect(":memory:")
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
                    self._quick = _connect_quick(str(self.path))
            with contextlib.suppress(OSError):
                os.chmod(self.path, 0o600)
            return self.notice

    # -- the page cache of a full sync -------------------------------------------

    @contextmanager
    def bulk_writes(self) -> Iterator[None]:
        """A larger page cache while many pages are written (a full sync): the default
        2 MB is smaller than the meetings' indexes at 10k rows, and a sync's writes would
        read index pages back from the file again. Given back afterwards (SQLite's
        `shrink_memory`), so a running app's memory does not grow with its cache.

        Meanwhile the statement journals are kept in memory (`temp_store`): a page's
        multi-row INSERT keeps the pages it changes in one, to undo the statement alone,
        and written to a file (SQLite's default past 64 KB) that is two thirds of what a
        10k sync writes (160 of 230 MB, in 20k system calls), thrown away at the commit.
        Sorts and temporary tables go back to files afterwards: at a million rows
        they could hold much memory."""
        # Walks of several accounts at once share one setting: the first sets it, the
        # last gives it back (a later one read MEMORY as the setting to restore). The
        # writer connection's settings, under its lock, which the thread that never
        # waits does not take: a walk started there (a link pasted in the app) writes
        # with the default page cache.
        if self._hurrying():
            yield
            return
        with self._lock, self._guarded():
            self._bulk_walks += 1
            if self._bulk_walks == 1:
                self._conn.execute(f"PRAGMA cache_size={-BULK_CACHE_KIB}")
                self._temp_store = self._conn.execute("PRAGMA temp_store").fetchone()[0]
                self._conn.execute("PRAGMA temp_store=MEMORY")
        try:
            yield
        finally:
            with contextlib.suppress(ConfigError, sqlite3.Error), self._lock, self._guarded():
                self._bulk_walks -= 1
                if self._bulk_walks == 0:
                    self._conn.execute(f"PRAGMA temp_store={int(self._temp_store)}")
                    self._conn.execute(f"PRAGMA cache_size={-CACHE_KIB}")
                    self._conn.execute("PRAGMA shrink_memory")


def _connect_quick(path: str, *, uri: bool = False) -> sqlite3.Connection:
    """The reading connection of the thread that never waits (`never_wait_on`): no busy
    timeout, and read-only (a write through it would be a bug). `uri`: `path` is an
    SQLite URI (a cache opened read-only)."""
    conn = sqlite3.connect(path, check_same_thread=False, isolation_level=None, timeout=0,
                           uri=uri)
    conn.execute(f"PRAGMA cache_size={-CACHE_KIB}")
    conn.execute("PRAGMA busy_timeout=0")
    conn.execute("PRAGMA query_only=1")
    return conn


def _connect(path: str, *, uri: bool = False) -> sqlite3.Connection:
    # The wait for a lock from the first statement on (`PRAGMA busy_timeout` comes after
    # the page size is read). `uri`: `path` is an SQLite URI (a read-only opening).
    return sqlite3.connect(path, check_same_thread=False, isolation_level=None,
                           timeout=BUSY_TIMEOUT_MS / 1000, uri=uri)
