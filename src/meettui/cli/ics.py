"""`meettui ics`: meetings as an iCalendar file (RFC 5545) for a calendar app.

`meettui ics ID` writes one meeting's event, `meettui ics --account A` every cached
meeting of the account; to stdout, or to a file with `-o`. The guest link goes in unless
`--role host` is spelled out, which warns on stderr. A file is readable by its owner
only; printed on a terminal, host links are masked unless `--reveal` (into a pipe or a
redirect the calendar is written whole: that is the file asked for). What goes into the
file, and why: `core/ics.py`. Headless.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from meettui.cli._output import EXIT_OK, UsageError, emit_json, json_flag, run, wants_json
from meettui.cli.command_index import HELP
from meettui.core.display import printable

if TYPE_CHECKING:
    from meettui.core.service import MeetingService

ACCOUNT_LIMIT = 100_000
"""The most meetings one --account file holds (the cache's largest tested size)."""


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `ics` to the `meettui` parser."""
    what = HELP["ics"]
    p = sub.add_parser("ics", help=what, description=what + "; the guest link unless "
                       "--role host is given")
    p.set_defaults(func=cmd_ics)
    p.add_argument("id", nargs="?", help="the meeting (an id or a unique prefix of one)")
    p.add_argument("--account", "-a", help="without ID: every cached meeting of this account")
    p.add_argument("--role", choices=("guest", "host"), default="guest",
                   help="which link the events carry (host: anyone with the file can "
                        "start or moderate the meetings)")
    p.add_argument("--output", "-o", metavar="FILE",
                   help="write here instead of stdout (readable by you only)")
    p.add_argument("--force", action="store_true",
                   help="replace the --output file if it exists (never meettui's own files)")
    p.add_argument("--reveal", action="store_true",
                   help="on a terminal, print host links unmasked (a file, or stdout into a "
                        "pipe or file, always holds them whole)")
    # With -o, what was written is reported as every command's answer is: JSON when
    # asked or piped, as `qr --png` does (the calendar is the output otherwise).
    json_flag(p)


def cmd_ics(args: argparse.Namespace) -> int:
    if not args.id and not args.account:
        raise UsageError("say which meetings: an ID, or --account NAME for all of an account's")
    if args.output == "-":
        args.output = None  # `-o -`: the calendar on stdout (a file named "-" was written)
    if args.json and not args.output:
        raise UsageError("--json describes the file written: give -o FILE (without it the "
                         "calendar itself is the output)")

    async def go(service: MeetingService) -> int:
        from meettui.core import ics

        now = service.clock.now()
        # Printed on a terminal the calendar is read, not imported: its host links are
        # masked there as everywhere else a person looks (`show`, `qr`), unless revealed.
        masked = not (args.output or args.reveal or not sys.stdout.isatty())
        if args.id:
            meeting = service.find(args.id, args.account)
            # Advice names an edit only where one can set a start (not a provider
            # without start times, not a read-only account).
            settable = (service.capabilities_for(meeting).takes_start()
                        and service.can_write(meeting.account) is None)
            result = ics.one(meeting, now, args.role, masked=masked,
                             start_settable=settable,
                             no_new=service.no_new_meetings(meeting.account))
            example = ics.file_name(meeting)
        else:
            service.config.account(args.account)
            meetings = service.window([args.account], limit=ACCOUNT_LIMIT)
            result = ics.calendar(meetings, now, args.role, masked=masked)
            example = "calendar.ics"
            for line in result.skipped_summary():
                print(f"meettui: {printable(line)}", file=sys.stderr)
            if not result.events:
                # RFC 5545 §3.6: a calendar holds one component at least; calendar apps
                # refuse a file without one. Said as `ics ID` of a meeting without a
                # start says it (exit 2), nothing written.
                from meettui.core.errors import NotSupported

                cached = len(meetings)
                raise NotSupported(
                    f"Nothing to write: none of {args.account!r}'s {cached} cached "
                    f"meeting{'s' if cached != 1 else ''} can be a calendar event"
                    + (" (it has none cached)." if not cached else "."),
                    hint="A meeting needs a start time to be an event; `meettui list "
                    f"--account {args.account}` shows what is cached.")
        if args.role == "host" and result.events:
            print(f"meettui: warning: {ics.HOST_WARNING}", file=sys.stderr)
            if masked:
                print("meettui: the host links are masked on the terminal; --reveal shows "
                      "them, -o FILE writes the file whole", file=sys.stderr)
        if args.output:
            written = _write(Path(args.output), result.data, replace=args.force,
                             example=example)
            if wants_json(args):
                from meettui.core.contract import IcsDoc

                emit_json(IcsDoc(path=str(written.resolve()), events=result.events,
                                 role=args.role, id=meeting.id if args.id else None,
                                 account=meeting.account if args.id else args.account))
            else:
                events = result.events
                print(f"Wrote {printable(str(written))} "
                      f"({events} event{'s' if events != 1 else ''})")
            return EXIT_OK
        _print(result.data)
        return EXIT_OK

    return run(go)


def _write(path: Path, data: bytes, *, replace: bool, example: str) -> Path:
    """Write the calendar to `path`; the file written. A folder given is told a file
    name of its kind (`example`: "team-sync.ics"), not a QR image's."""
    from meettui.cli.qr import cannot_write
    from meettui.core.ics import write_file

    try:
        written = write_file(path, data, replace=replace)
    except OSError as exc:
        raise cannot_write(str(path), exc, example=example) from None
    return written


def _print(data: bytes) -> None:
    """The file on stdout: its bytes as they are into a pipe or file; on a terminal,
    line by line with control characters shown as escapes (a title holding ESC must not
    drive the terminal)."""
    if not sys.stdout.isatty():
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        return
    for line in data.decode("utf-8", "replace").split("\r\n"):
        if line:
            print(printable(line))
