"""The stream `meettui mcp` writes the protocol to: stdout, each JSON-RPC line with the
hidden characters of the strings in it escaped.

The SDK's stdio transport writes a message as pydantic's `model_dump_json` leaves it:
C0 controls escaped (JSON must), but bidi controls, zero-width and other format
characters raw, so a title holding U+202E reordered what a client showed or logged of
`structuredContent`, of an error, of anything echoing provider text. Each line is
written here as the command line's JSON is (`display.json_escaped`: those characters
as `\\uXXXX`), which decodes to the same message.

Given a stream of its own, the SDK leaves fd 1 as it is, where it otherwise points fd 1
at stderr while it serves; `protocol_stdout` does that the same way: the protocol goes
to a duplicate of fd 1, and a stray write to fd 1 (a library's print, a child process)
reaches stderr, never the middle of a line of the protocol.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from typing import IO, Any, BinaryIO, cast

import anyio

from meettui.core.display import json_escaped


class EscapingLines:
    """A text file for the SDK's writer (`write`, `flush`) over the binary `out`: what
    is written goes out at once, in UTF-8, hidden characters escaped. Nothing is
    buffered here, so nothing is left to write (and fail) when the server ends."""

    def __init__(self, out: BinaryIO) -> None:
        self._out = out

    def write(self, text: str) -> int:
        data = memoryview(json_escaped(text).encode("utf-8"))
        while data:
            written = self._out.write(data)
            # An unbuffered file may take part of it (a pipe nearly full).
            data = data[written if written is not None else len(data):]
        return len(text)

    def flush(self) -> None:
        self._out.flush()


def _async(lines: EscapingLines) -> anyio.AsyncFile[Any]:
    """`lines` as the SDK's writer takes a stream (it calls `write` and `flush` only)."""
    return anyio.wrap_file(cast(IO[Any], lines))


def _above_std(fd: int) -> int:
    """A duplicate of `fd` that is not 0, 1 or 2 (with a standard stream closed, a plain
    dup could land there), not inherited by child processes."""
    try:
        import fcntl
    except ImportError:  # (Windows: no fcntl; a dup is not inherited either)
        return os.dup(fd)
    return fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 3)


@contextlib.contextmanager
def protocol_stdout() -> Iterator[anyio.AsyncFile[Any]]:
    """The protocol's stream, for `stdio_server(stdout=…)`, while fd 1 points at stderr
    (see the module); fd 1 is restored on the way out. Where stdout is no file
    descriptor 1 (a stream put in its place) or fd 1 cannot be moved, the protocol is
    written to stdout's buffer in place."""
    try:
        backed = sys.stdout.buffer.fileno() == 1
        private = _above_std(1) if backed else None
    except (AttributeError, OSError, ValueError):
        private = None
    if private is not None:
        try:
            os.dup2(2, 1)
        except OSError:
            os.close(private)
            private = None
    if private is None:
        yield _async(EscapingLines(sys.stdout.buffer))
        return
    try:
        # Never closed: a worker thread may still be blocked writing to it after the
        # server ends (the SDK keeps its own duplicate open for the same reason).
        yield _async(EscapingLines(os.fdopen(private, "wb", buffering=0, closefd=False)))
    finally:
        with contextlib.suppress(OSError):
            os.dup2(private, 1)
