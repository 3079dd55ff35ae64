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
import os
import stat
from pathlib import Path

PRIVATE = 0o600


def write_private(path: str | Path, data: bytes) -> Path:
    """Write `data` to `path`, replacing what was there, readable by its owner only.

    A new file is created 0600 (the umask can only narrow that). An existing regular
    file that others may read is narrowed to 0600 before the new bytes go in, so they
    are never readable by others; if it belongs to someone else (chmod is refused) it
    keeps its mode: its owner chose it. Anything that is not a regular file (a FIFO,
    /dev/stdout) is written as it is. Returns `path`; OSError when it cannot be written.
    """
    target = Path(path)
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE)
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
