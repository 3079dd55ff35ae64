"""What to say when a file meettui writes for the user (a QR image, a calendar file)
cannot be written: one message naming the path and why, and a hint naming the kind of
file being written (a folder given for an .ics file was told "e.g. …/qr.png"). Shared by
the command line, the app and the MCP agent."""

from __future__ import annotations

import shlex
from pathlib import Path

from meettui.core.display import printable
from meettui.core.errors import MeettuiError
from meettui.core.private_file import DanglingLink, OwnFile


def cannot_write(path: str, exc: OSError, *, example: str,
                 exists_hint: str = "Give another path.") -> MeettuiError:
    """The error for `path` that `exc` kept from being written. `example` is a file name
    of the kind being written ("qr.png", "team-sync.ics"), offered inside a folder
    given where a file was wanted; `exists_hint` is what to do about a file that exists,
    in the front end's words (a flag, a question)."""
    target = Path(path)
    folder = printable(str(target.parent))
    shown = printable(path)
    if isinstance(exc, FileNotFoundError) and not target.parent.is_dir():
        return MeettuiError(f"Cannot write {shown}: the folder {folder} does not exist.",
                            hint=f"Create it first (mkdir -p {shlex.quote(folder)}) or give "
                                 "another path.")
    if isinstance(exc, OwnFile):
        return MeettuiError(f"Cannot write {shown}: {exc.strerror}.",
                            hint="Give another path: meettui never writes over its own "
                                 "config, cache or log (`meettui locate` lists them).")
    if isinstance(exc, DanglingLink):
        return MeettuiError(f"Cannot write {shown}: {printable(exc.strerror or '')}.",
                            hint="meettui creates no file through a link: give the path "
                                 "the link points to, or another path.")
    if isinstance(exc, FileExistsError):
        return MeettuiError(f"Cannot write {shown}: the file exists.", hint=exists_hint)
    if isinstance(exc, IsADirectoryError):
        return MeettuiError(f"Cannot write {shown}: it is a folder.",
                            hint=f"Give a file name, e.g. {printable(str(target / example))}.")
    if isinstance(exc, NotADirectoryError):
        return MeettuiError(f"Cannot write {shown}: {folder} is not a folder.",
                            hint="Give a path inside a folder that exists.")
    if isinstance(exc, PermissionError):
        return MeettuiError(f"Cannot write {shown}: no permission to write there.",
                            hint="Choose a folder you can write to, e.g. your home folder.")
    reason = exc.strerror or type(exc).__name__
    return MeettuiError(f"Cannot write {shown}: {reason}.",
                        hint="Check the path and the free space, or give another path.")
