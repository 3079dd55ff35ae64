"""Files meettui writes for the user (QR images, calendar files): readable by their
owner only from the moment they exist.

What such a file holds may hand over a meeting: a host link, a link carrying a token,
or a guest link of a room meant for one person. So every one is created 0600 (the rule
the cache, the log and config.toml follow, README "Where data lives"), by `os.open`
with that mode rather than written and then tightened with chmod, which would leave a
moment in which another user could open it.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from pathlib import Path

PRIVATE = 0o600


class OwnFile(PermissionError):
    """A path that is one of meettui's own files (config, cache, log): never written over
    by an export, whatever the user asked (a QR code written over the cache lost every
    room it held). `strerror` says which file, for a message "Cannot write PATH: …"."""


class DanglingLink(OSError):
    """A path that is a symbolic link to nothing: writing through it would create a file
    where the link points, a place the user never named (and one an attacker who made
    the link may have chosen). Refused, whatever the user asked. `strerror` says where
    it points, for a message "Cannot write PATH: …"."""


def write_private(path: str | Path, data: bytes, *, replace: bool = False) -> Path:
    """Write `data` to `path`, readable by its owner only.

    A new file is created 0600 (the umask can only narrow that). An existing regular
    file is replaced only when `replace` is true, else FileExistsError; when replaced,
    one that others may read is narrowed to 0600 before the new bytes go in, so they
    are never readable by others; if it belongs to someone else (chmod is refused) it
    keeps its mode: its owner chose it. Anything that is not a regular file (a FIFO,
    /dev/stdout) is written as it is. meettui's own files are refused (OwnFile), even
    with `replace`, and so is a link to nothing (DanglingLink): no file is created
    through a link. Returns `path`; OSError when it cannot be written.
    """
    target = Path(path)
    own = own_file(target)
    if own is not None:
        raise OwnFile(errno.EPERM, f"it is meettui's {own}", str(target))
    try:
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE)
    except FileExistsError:
        # (O_EXCL never follows a link: a link to nothing lands here, not created.)
        if not replace and _regular(target):
            raise
        dangling = _dangling(target)
        if dangling is not None:
            raise DanglingLink(errno.EEXIST, f"it is a link to {dangling}, which does not "
                               "exist", str(target)) from None
        fd = os.open(target, os.O_WRONLY | os.O_TRUNC, PRIVATE)
    try:
        info = os.fstat(fd)
        # (Windows has no fchmod before Python 3.13, nor modes beyond read-only.)
        if stat.S_ISREG(info.st_mode) and info.st_mode & 0o077 and hasattr(os, "fchmod"):
            with contextlib.suppress(PermissionError):
                os.fchmod(fd, PRIVATE)
        with os.fdopen(fd, "wb") as stream:
            fd = -1  # the stream owns it now
            stream.write(data)
    finally:
        if fd >= 0:
            os.close(fd)
    return target


def _dangling(path: Path) -> str | None:
    """Where `path` points when it is a symbolic link to nothing; else None."""
    try:
        if not stat.S_ISLNK(os.lstat(path).st_mode) or os.path.exists(path):
            return None
        return os.readlink(path)
    except OSError:
        return None


def _regular(path: Path) -> bool:
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        return False


def own_file(path: Path) -> str | None:
    """Which of meettui's own files `path` is ("config file", "cache", "log"), or None.
    The same file under another name (a symlink, a hard link) counts; so do the cache's
    side files and the log's rotated copies, which a write would corrupt or lose."""
    from meettui.core.paths import cache_path, config_path, log_path, same_file

    cache, log = cache_path(), log_path()
    named = [(config_path(), "config file"),
             *((Path(f"{cache}{side}"), "cache") for side in ("", "-wal", "-shm", "-journal")),
             *((Path(f"{log}{side}"), "log") for side in ("", ".1", ".2"))]
    return next((what for own, what in named if same_file(path, own)), None)
