"""`meettui import URL`: keep any meeting link (Zoom, Teams, Meet, Webex…) in meettui.

The link is recognised (`core/links.py`) and stored in the local "imported" account, or,
when it is the link of a meeting meettui already manages, that meeting is shown instead
(`core/importing.py`). A refused link (another scheme, credentials, control characters,
too long) is a usage error: exit 2 with the reason.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from meettui.cli._output import (
    EXIT_OK,
    UsageError,
    emit_json,
    json_flag,
    meeting_json,
    parse_when,
    print_meeting,
    run,
    wants_json,
)
from meettui.cli.command_index import HELP
from meettui.cli.meetings import FLAGS
from meettui.core.display import printable

if TYPE_CHECKING:
    from meettui.core.service import MeetingService


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `import` to the `meettui` parser."""
    what = HELP["import"]
    p = sub.add_parser("import", help=what, description=what + ". A link of a meeting "
                       "meettui already manages shows that meeting instead.")
    p.set_defaults(func=cmd_import, field_flags=FLAGS)
    p.add_argument("url", help="the meeting link (quote it: links hold & and ?)")
    p.add_argument("--title", "-t", default="", help="default: what the link says "
                   "(\"Zoom meeting 812…\")")
    help_time = "ISO 8601 (local time if no offset) or relative: +30m, +2h (a relative " \
                "--end counts from --start)"
    p.add_argument("--start", help=help_time)
    p.add_argument("--end", help=help_time)
    p.add_argument("--offline", action="store_true",
                   help="do not read managed accounts' lists to look for the link")
    p.add_argument("--reveal", action="store_true", help="show a host link unmasked")
    json_flag(p)


def cmd_import(args: argparse.Namespace) -> int:
    """Run `meettui import`; see the module docstring."""
    from meettui.core.links import BadLink

    start = parse_when(args.start)
    end = parse_when(args.end, now=start)
    if start and end and end <= start:
        raise UsageError("--end must be after --start")

    async def go(service: MeetingService) -> int:
        from meettui.core.importing import import_link

        try:
            result = await import_link(service, args.url, title=args.title, starts_at=start,
                                       ends_at=end, refresh=not args.offline)
        except BadLink as exc:
            raise UsageError(str(exc)) from None
        for warning in result.warnings:
            print(f"meettui: note: {printable(warning)}; imported as a copy.", file=sys.stderr)
        if not result.existing:
            for note in result.recognised.notes:
                print(f"meettui: note: {printable(note)}", file=sys.stderr)
        line = printable(result.message)
        if wants_json(args):
            print(f"meettui: {line}", file=sys.stderr)
            emit_json(meeting_json(result.meeting, args.reveal, now=service.clock.now()))
            return EXIT_OK
        print(line)
        print()
        print_meeting(result.meeting, args, service.clock.now())
        return EXIT_OK

    return run(go)
