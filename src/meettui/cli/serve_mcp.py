"""`meettui mcp`: serve meettui's tools to an AI agent over the Model Context Protocol
(stdio). The server lives in `meettui.agent`, imported only when this command runs."""

from __future__ import annotations

import argparse
import errno
import sys
from typing import Any

from meettui.cli._output import EXIT_INTERRUPTED, EXIT_OK, OutputError, no_output_flags
from meettui.cli.command_index import HELP

# The system's word that the protocol stream cannot be written (`> /dev/full`, a full
# or failing disk): the answers did not arrive, which is no bug of meettui's.
_CANNOT_WRITE = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO}


def register(sub: argparse._SubParsersAction[Any]) -> None:
    """Add `mcp` to the `meettui` parser."""
    what = HELP["mcp"]
    p = sub.add_parser("mcp", help=what, description=(
        what + ". A client (Claude Desktop, Claude Code, …) starts it as `meettui mcp`; "
        "stdout carries the protocol, logs go to the log file (`meettui locate log`)."))
    p.set_defaults(func=cmd_mcp)
    p.add_argument("--allow-host-links", action="store_true",
                   help="hand out host links (and links carrying a token) unmasked; "
                   "without it they are masked or withheld")
    no_output_flags(p, "meettui mcp speaks the MCP protocol (JSON-RPC) on stdout, "
                    "whatever is asked; the tools' answers are JSON")


def cmd_mcp(args: argparse.Namespace) -> int:
    """Serve until the client closes stdin (or SIGTERM: exit 130, said on stderr).
    Raises OutputError when stdout cannot be written (the SDK's task group raised it as
    an ExceptionGroup: "a bug in meettui")."""
    from meettui.agent.server import serve

    try:
        stopped = serve(allow_host_links=args.allow_host_links)
    except BaseExceptionGroup as group:
        if _only_a_closed_reader(group):
            # The client closed its end of stdout (`meettui mcp | head -c 10`): as the
            # other commands do with a reader that left, end quietly (`main` does).
            raise BrokenPipeError(errno.EPIPE, "the client closed stdout") from None
        failed = _write_failure(group)
        if failed is None:
            raise
        raise OutputError(failed) from group
    except OSError as exc:
        if exc.errno not in _CANNOT_WRITE:
            raise
        raise OutputError(exc) from exc
    if stopped is not None:  # SIGTERM: the server ended its own way (`agent/ending.py`)
        print(stopped, file=sys.stderr)
        return EXIT_INTERRUPTED
    return EXIT_OK


def _write_failure(group: BaseExceptionGroup[Any]) -> OSError | None:
    """The first error in `group` (nested groups included) that says stdout cannot be
    written; None when there is none."""
    for exc in group.exceptions:
        if isinstance(exc, BaseExceptionGroup):
            found = _write_failure(exc)
            if found is not None:
                return found
        elif isinstance(exc, OSError) and exc.errno in _CANNOT_WRITE:
            return exc
    return None


def _only_a_closed_reader(group: BaseExceptionGroup[Any]) -> bool:
    """Whether every error in `group` (nested groups included) says that the reader of
    stdout is gone (EPIPE), or is the cancellation that followed it."""
    import asyncio

    import anyio

    def gone(exc: BaseException) -> bool:
        if isinstance(exc, BaseExceptionGroup):
            return all(gone(inner) for inner in exc.exceptions)
        return isinstance(exc, BrokenPipeError | asyncio.CancelledError
                          | anyio.BrokenResourceError | anyio.ClosedResourceError)

    return gone(group) and _has_broken_pipe(group)


def _has_broken_pipe(group: BaseExceptionGroup[Any]) -> bool:
    return any(_has_broken_pipe(exc) if isinstance(exc, BaseExceptionGroup)
               else isinstance(exc, BrokenPipeError) for exc in group.exceptions)
