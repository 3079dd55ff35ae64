"""The lock and transactions every read and write of the cache goes through
(`CacheConnection`, `cache_connection.py`, which opens the file, extends
`CacheTransactions`): the writer connection under its lock, SQLite's errors once the
file is open said as a CacheError naming it, the thread that never waits for the file
(the app's: `never_wait_on`) with a reading connection of its own, the writer thread
async code writes through (`off_loop`), and the larger page cache of a full sync
(`bulk_writes`)."""

from __future__ import annotations

import asyncio
import contextvars
import functools
import sqlite3
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TypeVar

from meettui.core import cache_file, cache_salvage
from meettui.core.errors import CacheBusy, CacheError, CacheReadOnly, ConfigError
from meettui.core.registry import kinds_kept_only_here

T = TypeVar("T")

CACHE_KIB = 2048
"""SQLite's page cache per connection, in KiB (an upper bound: it fills as pages are
read). SQLite's own default: the app's memory must not grow with the cache (#16)."""
BULK_CACHE_KIB = 16384
"""The page cache while a full sync writes (`Cache.bulk_writes`)."""
BUSY_TIMEOUT_MS = 5000
"""How long a read or write waits for another process holding the file locked (another
meettui) before it fails as "in use" (`cache_file.is_busy`). Never on the thread given to
`never_wait_on` (the app's): there nothing waits."""


class CacheTransactions:
    """The locks, transactions and connections of the cache file at `path` (see the
    module docstring); `CacheConnection` opens the file into `_conn`."""

    _conn: sqlite3.Connection

    def __init__(self, path: Path | str, *, variable: str | None = None) -> None:
        self.path = Path(path)
        self.variable = variable
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
        self._lock = threading.RLock()
        # False while the file is being opened: its SQLite errors are the opening's to
        # judge (`_guarded`).
        self._ready = False
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

    def _settle_connection(self) -> None:
        """The writer connection's page cache and busy timeout, as each opening sets
        them (here: tests shorten `BUSY_TIMEOUT_MS`)."""
        self._conn.execute(f"PRAGMA cache_size={-CACHE_KIB}")
        self._conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")

    def read_only_error(self, what: str = "the change") -> CacheReadOnly:
        """The refusal of a write to a cache opened read-only: `what` ("what a refresh
        of 'team' fetches") could not be kept, so nothing was sent or changed."""
        return CacheReadOnly(
            f"The cache {self.path} is read-only ({self.read_only}), so {what} could not "
            "be kept: nothing was sent or changed.",
            hint=cache_file.read_only_advice(self.path, self.variable))

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
                self._quick = connect_quick(self._target, uri=self._uri)

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
            with suppress(ConfigError, sqlite3.Error), self._lock, self._guarded():
                self._bulk_walks -= 1
                if self._bulk_walks == 0:
                    self._conn.execute(f"PRAGMA temp_store={int(self._temp_store)}")
                    self._conn.execute(f"PRAGMA cache_size={-CACHE_KIB}")
                    self._conn.execute("PRAGMA shrink_memory")


def connect_quick(path: str, *, uri: bool = False) -> sqlite3.Connection:
    """The reading connection of the thread that never waits (`never_wait_on`): no busy
    timeout, and read-only (a write through it would be a bug). `uri`: `path` is an
    SQLite URI (a cache opened read-only)."""
    conn = sqlite3.connect(path, check_same_thread=False, isolation_level=None, timeout=0,
                           uri=uri)
    conn.execute(f"PRAGMA cache_size={-CACHE_KIB}")
    conn.execute("PRAGMA busy_timeout=0")
    conn.execute("PRAGMA query_only=1")
    return conn


def connect(path: str, *, uri: bool = False) -> sqlite3.Connection:
    # The wait for a lock from the first statement on (`PRAGMA busy_timeout` comes after
    # the page size is read). `uri`: `path` is an SQLite URI (a read-only opening).
    return sqlite3.connect(path, check_same_thread=False, isolation_level=None,
                           timeout=BUSY_TIMEOUT_MS / 1000, uri=uri)
