"""What to do about a file meettui cannot open, by why the system refused it: "chmod"
advice fits a file that is not readable or writable, and no other (a symbolic link
that loops, a path through a file, a name too long). No I/O beyond `os.stat`."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path


def not_permissions(exc: BaseException, path: Path) -> str | None:
    """What to fix when `exc` (raised opening or making `path`) is no matter of
    permissions, as a sentence; None when it may be one (chmod is the advice then)."""
    code = getattr(exc, "errno", None)
    if code == errno.ELOOP:
        return (f"{path} is a symbolic link that leads round in a loop: point it at a "
                "file (ls -l shows where it leads).")
    if code in (errno.ENOTDIR, errno.EEXIST):
        blocker = _file_in_the_way(path)
        where = f"{blocker} is" if blocker else "a part of it is"
        return f"{where} a file where the path needs a folder: move it aside or choose " \
               "another path."
    if code == errno.ENAMETOOLONG:
        return "The path is longer than the system takes: choose a shorter one."
    return None


def _file_in_the_way(path: Path) -> Path | None:
    """The first of `path`'s folders that is not one, or None."""
    for parent in reversed(path.parents):
        try:
            if not stat.S_ISDIR(os.stat(parent).st_mode):
                return parent
        except OSError:
            return None
    return None


def not_regular(path: Path) -> str | None:
    """What `path` is when it exists and is neither a regular file nor a folder: "a
    named pipe" (reading one waits for a writer, for ever), "a socket", "a device";
    None otherwise (or when it cannot be looked at: opening it says more)."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return None
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return None
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "not a file"
