"""`meettui list --offline --json` for the plain case, without pydantic, asyncio or
the service: a third of the command's time went to loading them (issue #16).

`quick_list` answers only when it is sure to print what the full path (`cmd_list`)
prints: the config read by `core/quickconfig.py`, the rows by `core/quicklist.py`,
the JSON by the same `json_text`. For a filter, text output, or anything those two
modules are unsure of, it answers None and `cmd_list` runs as ever (with its messages
for a broken config or cache). `tests/core/test_quick_list.py` holds the two paths to
the same bytes."""

from __future__ import annotations

import argparse
import sqlite3
import sys
import time

from meettui.cli._output import EXIT_OK, emit_json, wants_json


def quick_list(args: argparse.Namespace) -> int | None:
    """Run `list` from the cache alone, as `cmd_list` would; the exit status, or None
    when `cmd_list` must run (not offline, a --query, text output, an --account it does
    not list, a page after the first, or a config or cache the quick readers leave
    to it)."""
    if (not args.offline or args.query or args.offset or args.upcoming or args.after
            or not wants_json(args)):
        return None
    # Here, not at the top: the parser (`meettui --help`) loads this module.
    from meettui.cli.listing import cut_note, next_command
    from meettui.core.list_cursor import ListCursor, Walk
    from meettui.core.paths import cache_path, config_path
    from meettui.core.quickconfig import quick_accounts
    from meettui.core.quicklist import cached_count, open_read_only, quick_meetings, write_mark
    from meettui.core.schema_version import SCHEMA_VERSION

    conn = open_read_only(cache_path())
    if conn is None:
        return None
    try:
        count = cached_count(conn)
        accounts = quick_accounts(config_path(), count)
        if accounts is None:
            return None
        names = [name for name, _ in accounts]
        if args.account:
            if args.account not in names:
                return None  # cmd_list names the accounts there are
            names = [args.account]
        mark = write_mark(conn)
        read = quick_meetings(conn, names, args.limit, args.reveal, time.time())
        # What `Cache.count` says without a query: the kept counts, no scan.
        matched = sum(count(name) for name in names)
    except sqlite3.Error:
        # A count the file cannot give (damage in it): the full path says so, or sets
        # the file aside (it was "unexpected error: DatabaseError … a bug").
        return None
    finally:
        conn.close()
    if read is None:
        return None
    meetings, last = read
    following = len(meetings) < matched and last is not None
    token = None
    if following and last:
        walk = Walk.of(names, "", upcoming=False).marks()  # (as `MeetingService.page`)
        token = ListCursor(last, None, mark, walk).token()
    # `contract.MeetingPage`'s fields, in its order (the test compares them).
    emit_json({"schema_version": SCHEMA_VERSION, "meetings": meetings, "sync_errors": [],
               "query_warnings": [], "matched": matched, "truncated": following,
               "offset": 0, "next_offset": len(meetings) if following else None,
               "next_after": token, "added_before": 0})
    note = cut_note(len(meetings), matched, args.limit,
                    following=next_command(args, token) if token else None)
    if note is not None:
        print(f"meettui: {note}", file=sys.stderr)
    return EXIT_OK
