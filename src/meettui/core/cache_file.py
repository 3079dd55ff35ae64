"""The cache's file on disk, apart from what is in it: where it may be, who may read
it, whether SQLite can read it, and moving a damaged one aside (`Cache` opens it)."""

from __future__ import annotations

import os
import sqlite3
import stat
from datetime import UTC, datetime
from pathlib import Path

from meettui.core.errors import ConfigError
from meettui.core.path_advice import not_permissions, not_regular
from meettui.core.paths import CACHE_ENV, make_private_dirs

# Next to an SQLite file: its write-ahead log, shared memory and rollback journal.
SIDE_FILES = ("-wal", "-shm", "-journal")
SQLITE_MAGIC = b"SQLite format 3\x00"


def check_path(path: Path, variable: str | None) -> None:
    """ConfigError when the cache path is a directory, or anything else that is not a
    file (a named pipe, a device, a socket), naming `variable` if it chose it: one
    would be waited on for ever (a pipe), or found "not an SQLite file" and moved aside
    (`/dev/zero` was renamed, a fresh file put in its place)."""
    odd = not_regular(path)
    if odd is not None:
        where = f"{path} (set by {variable})" if variable else str(path)
        raise ConfigError(f"The cache {where} is {odd}, not a file.",
                          hint=f"Set {variable_name(variable)} to a file, e.g. "
                          f"{path.parent / 'cache.sqlite3'}, or unset it." if variable else
                          "Move it aside: meettui keeps its cache in a file of that name.")
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


def cannot_open_for(path: Path, variable: str | None, exc: BaseException) -> ConfigError:
    """`cannot_open` for `exc`, whose advice fits why: a path through a file or a link
    that loops is no matter of chmod (`path_advice.not_permissions`)."""
    error = cannot_open(path, variable, reason(exc))
    fix = not_permissions(exc, path)
    if fix is not None:
        error.hint = f"{fix} Or set {variable_name(variable)} to another file."
    return error

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
    return cannot_open_for(path, variable, exc)


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
    kept, never deleted, and out of the way of a fresh cache. ConfigError, nothing
    renamed, for anything that is not a regular file (a device: `check_path` refuses
    one before, this is the last guard)."""
    odd = not_regular(path)
    if odd is not None:
        raise ConfigError(f"The cache {path} is {odd}, not a file: it was left as it is.",
                          hint="Point meettui at a file for its cache (MEETTUI_CACHE).")
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


def is_cant_open(exc: sqlite3.Error) -> bool:
    """Whether SQLite could not open the file (or the files beside it it needs)."""
    code = getattr(exc, "sqlite_errorcode", None)
    return code is not None and code & 0xFF == sqlite3.SQLITE_CANTOPEN


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
    make_private_dirs(path.parent)
    os.close(os.open(path, os.O_CREAT | os.O_RDWR, 0o600))


def read_only_reason(path: Path) -> str | None:
    """Why the existing cache file at `path` cannot be written, in a few words ("the
    file is read-only", "its folder is read-only"), or None when it can (or does not
    exist: it is then created). Besides what the system grants (`os.access`: a file
    marked immutable, a read-only disk), a file or folder whose owner has no write bit
    counts as read-only, for root too: `chmod 444` says the user wants it left alone,
    and root's writes would go through it. SQLite writes beside the file (its -wal and
    -shm), so the folder must be writable as well."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    if not stat.S_ISREG(info.st_mode):
        return None
    if not os.access(path, os.W_OK) or not info.st_mode & stat.S_IWUSR:
        return "the file is read-only"
    folder = path.parent
    try:
        folder_info = os.stat(folder)
    except OSError:
        return None
    if not os.access(folder, os.W_OK | os.X_OK) or not folder_info.st_mode & stat.S_IWUSR:
        return "its folder is read-only"
    return None


def read_only_uri(path: Path) -> str:
    """The URI SQLite opens the cache at `path` with when it cannot be written: the
    file alone as it is (`immutable=1`: nothing is looked for or made beside it, which a
    read-only folder would refuse), unless its -wal holds changes not yet written into
    it, which only a reading connection (`mode=ro`) sees (it needs the -shm beside the
    file, or a folder it may create one in)."""
    uri = path.resolve().as_uri()
    try:
        pending = os.stat(f"{path}-wal").st_size > 0
    except OSError:
        pending = False
    return f"{uri}?mode=ro" if pending else f"{uri}?mode=ro&immutable=1"


def read_only_advice(path: Path, variable: str | None) -> str:
    """What to do about a cache that cannot be written, whatever keeps it so (its
    permissions, an immutable attribute, a read-only disk)."""
    return (f"To keep what meettui fetches and changes, make {path} and its folder "
            f"{path.parent} writable by you (`chmod u+w`; a file marked immutable with "
            "`chattr +i` needs `chattr -i`, as root), or set "
            f"{variable_name(variable)} to another file.")


def read_only_notice(path: Path, variable: str | None, reason: str) -> str:
    """What a cache opened read-only (`reason`: why it cannot be written) means, said
    once when it opens."""
    return (f"The cache {path} is read-only ({reason}): meettui shows what it holds, but "
            "nothing fetched or changed can be kept in it, so refreshing, creating, "
            "editing and deleting are refused. " + read_only_advice(path, variable))


def read_only_unreadable(path: Path, variable: str | None, reason: str, what: str | None,
                         *, exc: BaseException | None = None,
                         pending: bool = False) -> ConfigError:
    """The error for a read-only cache (`reason`) that cannot be read either: `what` it
    is ("empty"; None: not an SQLite file, or `exc` says why); `pending`: its -wal holds
    changes SQLite reads only beside an -shm file or in a writable folder."""
    where = f"{path} (set by {variable})" if variable else str(path)
    advice = read_only_advice(path, variable)
    if exc is None:
        return ConfigError(f"The cache {where} is {what or 'not an SQLite file'}, and "
                           f"read-only ({reason}): meettui can neither read it nor start "
                           "a fresh one there.", hint=advice)
    why = (f"its {path.name}-wal holds changes not yet written into it, which SQLite reads "
           f"only beside a {path.name}-shm file or in a folder it may write to"
           if pending else str(exc))
    return ConfigError(f"Cannot read the cache {where} ({reason}): {why}.", hint=advice)
