"""The command line: the TUI by default, subcommands for scripts and agents.

Exit codes: 0 ok, 1 a provider or user error (the message says what to do), 2 a usage
error, 130 interrupted. Output is JSON when --json is given or stdout is not a terminal.
Each command group lives in its own module and registers itself on the parser.
"""

from __future__ import annotations

import argparse
import sys

from meettui import __version__
from meettui.cli import actions, locate, meetings, qr, simulate
from meettui.cli._output import (
    EXIT_ERROR,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_USAGE,
    UsageError,
)
from meettui.core.errors import MeettuiError

__all__ = ["EXIT_ERROR", "EXIT_INTERRUPTED", "EXIT_OK", "EXIT_USAGE", "build_parser", "main"]


def main(argv: list[str] | None = None) -> int:
    """Run `meettui ARGV`; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    from meettui.logs import setup_logging

    setup_logging(debug=args.debug)
    command = getattr(args, "func", None)
    try:
        if command is None:
            return run_tui(args)
        result: int = command(args)
        return result
    except UsageError as exc:
        print(f"meettui: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except MeettuiError as exc:
        print(f"meettui: {exc.message}", file=sys.stderr)
        if exc.hint:
            print(f"  {exc.hint}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="meettui",
        description="Manage video meetings across providers. With no command, opens the app.",
    )
    parser.add_argument("--version", action="version", version=f"meettui {__version__}")
    parser.add_argument("--debug", action="store_true", help="log more detail to the log file")
    sub = parser.add_subparsers(title="commands", metavar="COMMAND")
    meetings.register(sub)
    locate.register(sub)
    qr.register(sub)
    actions.register(sub)
    simulate.register(sub)
    return parser


def run_tui(args: argparse.Namespace) -> int:
    """The app, on the service the composition root builds."""
    from meettui.bootstrap import open_service
    from meettui.tui.app import run_app

    service = open_service()
    try:
        return run_app(service)
    finally:
        service.cache.close()
