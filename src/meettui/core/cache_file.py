"""The cache's file on disk, apart from what is in it: where it may be, who may read
it, whether SQLite can read it, and moving a damaged one aside (`Cache` opens it)."""

from __future__ import annotations

import os
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from meettui.core.errors import ConfigError
from meettui.core.paths import CACHE_ENV

# Next to an SQLite file: its write-ahead log, shared memory and rollback journal.
SIDE_FILES = ("-wal", "-shm", "-journal")
SQLITE_MAGIC = b"SQLite format 3\x00"


def check_path(path: Path, variable: str | None) -> None:
    """ConfigError when the cache path is a directory (naming `variable` if it chose it)."""
    if not is_dir(path):
        return
    if variable:
        raise ConfigError(
            f"{variable} points at {path}, which is a directory, not a "
            "cache file.",
            hint=f"Set {variable} to a file, e.g. {path / 'cache.sqlite3'}, "
            "or unset it.",
        )
    raise ConfigError(
        f"The cache file {path} is a directory.",
        hint="Move it aside: meettui keeps its cache in a file of that name.",
    )


def cannot_open(path: Path, variable: str | None, reason: str) -> ConfigError:
    """The error for a cache file that cannot be opened or written."""
    where = f"{path} (set by {variable})" if variable else str(path)
    return ConfigError(
        f"Cannot open the cache {where}: {reason}.",
        hint=f"Make it and its folder writable by you (chmod u+rw {path}), or "
        f"set {variable_name(variable)} to another file.",
    )

IN_USE_HINT = ("It may be another meettui (the app, or a command still running): close "
               "it or let it finish, then try again.")
"""What to do about a cache another process holds locked (`is_busy`): no file
permission is wrong, so no chmod."""


def open_failed(path: Path, variable: str | None, exc: BaseException) -> ConfigError:
    """The error for a cache file that `exc` kept from opening: another process holding
    it locked (`is_busy`: it said "make it writable (chmod u+rw …)", which changes
    nothing), or anything else (`cannot_open`)."""
    if isinstance(exc, sqlite3.Error) and is_busy(exc):
        where = f"{path} (set by {variable})" if variable else str(path)
        return ConfigError(
            f"Cannot open the cache {where}: another process is using it ({exc}).",
            hint=f"{IN_USE_HINT} To run beside it, set {variable_name(variable)} to "
            "another file.")
    return cannot_open(path, variable, reason(exc))


def is_busy(exc: sqlite3.Error) -> bool:
    """Whether SQLite failed because another connection holds the file locked (BUSY,
    LOCKED: another meettui, an SQLite tool), as opposed to damaged, read-only, full."""
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)
    return isinstance(exc, sqlite3.OperationalError) and "locked" in str(exc)


def variable_name(variable: str | None) -> str:
    """The variable a message tells the user to set: the one that chose the path, else
    MEETTUI_CACHE."""
    return variable or CACHE_ENV

def move_aside(path: Path) -> Path:
    """Rename the file (and its -wal, -shm, -journal) to `<name>.broken-<UTC time>`:
    kept, never deleted, and out of the way of a fresh cache."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = path.with_name(f"{path.name}.broken-{stamp}")
    n = 1
    while any(exists(Path(f"{target}{s}")) for s in ("", *SIDE_FILES)):
        n += 1
        target = path.with_name(f"{path.name}.broken-{stamp}-{n}")
    try:
        os.rename(path, target)
        for suffix in SIDE_FILES:
            side = Path(f"{path}{suffix}")
            if exists(side):
                os.rename(side, f"{target}{suffix}")
    except OSError as exc:
        raise ConfigError(
            f"The cache {path} could not be read (it is not a database or is "
            f"damaged), and moving it aside failed: {reason(exc)}.",
            hint=f"Move {path} (and any {path.name}-wal, -shm next to it) "
            "somewhere else yourself; meettui then starts a fresh cache.",
        ) from None
    return target


def is_damage(exc: sqlite3.DatabaseError) -> bool:
    """Not a database, or a damaged one (as opposed to locked, read-only, full...)."""
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in (sqlite3.SQLITE_NOTADB, sqlite3.SQLITE_CORRUPT)
    return not isinstance(exc, sqlite3.OperationalError)


def reason(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror.lower()
    return str(exc) or type(exc).__name__


def is_dir(path: Path) -> bool:
    try:
        return path.is_dir()
    except OSError:
        return False


def header(path: Path) -> bytes:
    with open(path, "rb") as handle:
        return handle.read(len(SQLITE_MAGIC))


def exists(path: Path) -> bool:
    try:
        return path.exists()
    except OSError:
        return False


def create_private(path: Path) -> None:
    """Create the file readable by its owner only (it holds host links)."""
    # A new directory is private; an existing one (say /tmp) is left as the user has it.
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.close(os.open(path, os.O_CREAT | os.O_RDWR, 0o600))
