"""`meettui list`: the command, its paging flags, the text table, and the lines that say
a page was cut or an account could not be refreshed. (`cli/quick_list.py` answers the
plain offline case without loading this.)"""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Iterator
from datetime import datetime
from typing import TYPE_CHECKING

from meettui.cli._output import (
    EXIT_ERROR,
    EXIT_INTERRUPTED,
    EXIT_OK,
    UsageError,
    emit_json,
    run,
    terminal_size,
    wants_json,
)
from meettui.core.display import local_time, printable

if TYPE_CHECKING:
    from meettui.core.list_cursor import ListCursor
    from meettui.core.models import Meeting
    from meettui.core.service import MeetingService


LIST_LIMIT = 1000
"""`meettui list --limit`'s default: the MCP server's `list_meetings` takes at most as
many."""


def _whole_number(text: str, least: int, below: str) -> int:
    """`text` as a whole number of at least `least` (argparse's type error saying
    `below` otherwise), at most SQLite's largest integer: no cache holds more rows, and
    a larger one went on to SQLite, whose OverflowError said "This is a bug in
    meettui"."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r}: not a whole number") from None
    if value < least:
        raise argparse.ArgumentTypeError(f"{text!r}: {below}")
    return min(value, 2**63 - 1)


def row_limit(text: str) -> int:
    """An argparse type for `--limit`: a whole number, at least 1 (a limit of 0 or less
    would list nothing, or everything, without saying so; the MCP server refuses them too)."""
    return _whole_number(text, 1, "must be at least 1")


def row_offset(text: str) -> int:
    """An argparse type for `--offset`: a whole number, at least 0."""
    return _whole_number(text, 0, "must be 0 or more")


def list_after(text: str) -> ListCursor:
    """An argparse type for `--after`: the `next_after` token a list answer gave."""
    from meettui.core.list_cursor import BadCursor, parse_cursor

    try:
        return parse_cursor(text)
    except BadCursor as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


WALK_FLAGS = {"accounts": "--account", "query": "--query", "upcoming": "with --upcoming",
              "not upcoming": "without --upcoming"}
"""The flags that give each part of a walk, for `OtherWalk.said`."""


def next_command(args: argparse.Namespace, token: str) -> str:
    """The command that lists the page after this one: `args` as given (account, query,
    offline, upcoming, limit, reveal, output) with `--after token` in place of any
    `--offset`, quoted for a POSIX shell (and what a terminal would act on escaped)."""
    import shlex

    words = ["meettui", "list"]
    if args.account:
        words += ["--account", args.account]
    if args.query:
        words += ["--query", args.query]
    for flag in ("offline", "upcoming", "reveal", "json", "text"):
        if getattr(args, flag, False):
            words.append(f"--{flag}")
    if args.limit != LIST_LIMIT:
        words += ["--limit", str(args.limit)]
    words += ["--after", token]
    return printable(" ".join(shlex.quote(word) for word in words))


def cut_note(shown: int, matched: int, limit: int, offset: int = 0,
             upcoming: bool = False, following: str | None = None, *,
             after: bool = False) -> str | None:
    """The line `list` adds on stderr when the page (`--offset`/`--after`, `--limit`)
    left meetings out (None when it did not): which are shown of how many, and what
    shows the rest: `following`, the command that lists the next page (None on the
    last). With `upcoming`, `matched` counts from what is on now or next; with `after`,
    the page continues another (`--after`: no --offset was given). The quick path
    prints the same line."""
    # Counted from the first meeting on now or next, in start order: later ones may have
    # ended already (a short one starting after a long one still on), so not "on now or
    # later".
    of = f"{matched:,} meetings" + (" from what is on now or next" if upcoming else "")
    then = f"; next page: {following}" if following else ""
    if offset == 0:
        if matched <= limit and not following:
            return None
        if matched <= limit:  # the list grew since it was counted
            return f"{shown:,} of {of} shown{then}"
        return f"{shown:,} of {of} shown; --limit {matched} shows them all{then}"
    if matched == 0:
        return None  # nothing matched at all: "No meetings." says it
    if shown == 0:
        if after:
            return (f"none of {of} shown: nothing after that page, the meetings it "
                    "ended with are the last")
        return f"none of {of} shown: --offset {offset} is past the last one"
    last = offset + shown
    # A range even for one meeting: "6 of 68 meetings shown" read as the first six.
    return f"{offset + 1:,}–{last:,} of {of} shown{then}"


def added_note(added: int) -> str | None:
    """The line `list --after` adds on stderr when meetings were cached since the page
    before at places that page had passed: no page of this walk shows them."""
    if not added:
        return None
    which = "1 meeting was" if added == 1 else f"{added:,} meetings were"
    return (f"{which} cached since the page before, earlier in the list than this "
            "page (not shown); list again without --after to see them")


def cmd_list(args: argparse.Namespace) -> int:
    from meettui.core.list_cursor import OtherWalk

    used: list[MeetingService] = []

    async def go(service: MeetingService) -> int:
        used.append(service)
        names = [args.account] if args.account else [a.name for a in service.config.accounts]
        for name in names:
            service.config.account(name)
        failures: list[tuple[str, str]] = []
        read_only = service.cache.read_only is not None and not args.offline
        if read_only:
            # Nothing fetched could be kept: no account is asked (the start said why
            # once, on stderr), and each remote one is named in the JSON.
            failures = [(name, READ_ONLY_STALE) for name in names
                        if service.capabilities(name).remote_list]
        elif not args.offline:
            with cancelled_on_sigterm():
                failures = [(name, str(exc))
                            for name, exc in await service.sync_accounts(names)]
        if args.query:
            # What the sync wrote is only noted for the filter's index (`core/cache_fts.py`).
            service.catch_up_index(wait=False)  # held by another process: LIKE
        # Counted, not guessed from a full window: the cut must be said, never silent.
        try:
            page = service.page(names, args.query, offset=args.offset or 0,
                                limit=args.limit, upcoming=args.upcoming, after=args.after)
        except OtherWalk as exc:
            raise UsageError(f"--after: the token continues {exc.said(WALK_FLAGS)}: give "
                             "the flags of the list that gave it (as its `next page:` "
                             "command does), or list again without --after") from None
        meetings, matched = page.meetings, page.matched
        token = page.next_after.token() if page.next_after else None
        following = token is not None
        now = service.clock.now()
        unmatched = [] if meetings or matched else service.unmatchable(
            args.query, names if args.account else None,
            "leave out --account to list every account")
        if wants_json(args):
            from meettui.core.contract import MeetingOut, MeetingPage, SyncErrorOut

            emit_json(MeetingPage(
                meetings=[MeetingOut.of(m, args.reveal, now=now) for m in meetings],
                sync_errors=[SyncErrorOut(account=a, message=m) for a, m in failures],
                query_warnings=unmatched, matched=matched, truncated=following,
                offset=page.offset,
                next_offset=page.offset + len(meetings) if following else None,
                next_after=token, added_before=page.added))
        else:
            print_meetings(meetings, now, terminal_size().columns)
        if read_only and failures:
            print(f"meettui: {READ_ONLY_STALE} (showing the cached list)", file=sys.stderr)
        for name, message in failures if not read_only else ():
            print_stale(name, message, "list")
        for said in unmatched:
            print(f"meettui: {printable(said)}", file=sys.stderr)
        command = next_command(args, token) if token else None
        for note in (added_note(page.added),
                     cut_note(len(meetings), matched, args.limit, page.offset,
                              args.upcoming, command, after=args.after is not None)):
            if note is not None:
                print(f"meettui: {note}", file=sys.stderr)
        return EXIT_ERROR if failures else EXIT_OK

    import asyncio  # (not at the top: the parser loads this module)

    try:
        return run(go)
    except (KeyboardInterrupt, asyncio.CancelledError) as stopped:
        # Ctrl+C, or SIGTERM (`cancelled_on_sigterm`), during the refresh: the pages
        # read were written as the walk ended (`Sync.sync_all`); say so.
        if used and not args.offline:
            saved = used[0].sync.saved
            print(f"meettui: Interrupted: {saved:,} meeting{'s' if saved != 1 else ''} "
                  "saved; run again to finish", file=sys.stderr)
        if isinstance(stopped, KeyboardInterrupt):
            raise
        return EXIT_INTERRUPTED


@contextlib.contextmanager
def cancelled_on_sigterm() -> Iterator[None]:
    """Within it, SIGTERM cancels the running task, as the event loop's Ctrl+C does, so
    what it was doing ends its own way (a refresh writes the pages it read) instead of
    the process dying at once. Without signal handlers (not the main thread, another
    platform), nothing changes."""
    import asyncio

    from meettui.core.sigterm import on_sigterm

    task = asyncio.current_task()
    if task is None:
        yield
        return
    with on_sigterm(task.cancel):
        yield


def stale_text(account: str, message: str) -> str:
    """`message` (why `account` could not be refreshed) naming the account once: a
    provider's failure names it already (`ProviderError.of_account`), and "ACCOUNT:
    ACCOUNT (KIND): GET …" said it twice, as "ACCOUNT: Account 'ACCOUNT' needs its
    api key" did."""
    return message if message.startswith((f"{account}: ", f"{account} (",
                                          f"Account {account!r}")) else \
        f"{account}: {message}"


READ_ONLY_STALE = "Not refreshed: the cache is read-only, so nothing fetched could be kept"
"""Why `list` read no account, with a cache opened read-only (`Cache.read_only`)."""


def print_stale(account: str, message: str, what: str) -> None:
    """On stderr: `account` could not be refreshed (`message`), and the cached `what`
    ("list", "copy") is what was printed."""
    said = stale_text(account, message)
    print(f"meettui: {printable(said)} (showing the cached {what})", file=sys.stderr)


ID_FLOOR = 8
"""An id cut in `list` keeps at least this many characters (git abbreviates to 7), so
its prefix stays unique among far more meetings than the list shows."""


def print_meetings(meetings: list[Meeting], now: datetime, width: int) -> None:
    """The text table of `meettui list`: a header, one line a meeting, fitted to
    `width` cells. The title is cut first (to `_table.COMFORT_FLEX`), then a long id
    (to the prefix that tells it from the others listed, at least ID_FLOOR characters:
    `core/ids.py` takes prefixes back), then the title further, and only then do
    account, start and status go, in that order; cuts end in an ellipsis."""
    from meettui.cli._table import Column, render

    if not meetings:
        print("No meetings.")
        return
    ids = [printable(m.id) for m in meetings]
    zones = [m.starts_at.astimezone().tzname() or "" if m.starts_at else None
             for m in meetings]
    # The header names the zone most starts are in; a start in another (across a clock
    # change) carries its own, as the app's list does: "(CEST/CET)" in the header left
    # the two 02:30s of the night the clocks go back looking like one time.
    named = [zone for zone in zones if zone is not None]
    header = max(dict.fromkeys(named), key=named.count) if named else None
    columns = [
        Column("START" + (f" ({header})" if header else ""),
               [local_time(m.starts_at) + (f" {zone}" if zone and zone != header else "")
                for m, zone in zip(meetings, zones, strict=True)], drop=2),
        Column("TITLE", [printable(m.title) or "(untitled)" for m in meetings], flex=True),
        Column("ACCOUNT", [printable(m.account) for m in meetings], drop=3),
        # The JSON's `status` word: "gone" when no longer listed upstream (`show` says
        # what it was last; "live (gone)" said two statuses).
        Column("STATUS", [m.status_label(now) for m in meetings], drop=1),
        Column("ID", ids, shrink=_id_width(ids)),
    ]
    for line in render(columns, width, sys.stdout.encoding):
        print(line)


def _id_width(ids: list[str]) -> int:
    """The narrowest the ID column may be: each id's distinct prefix (at least ID_FLOOR
    characters, and an escape it ends inside kept whole: the cut never splits one) and
    the ellipsis after it, in cells."""
    from rich.cells import cell_len

    from meettui.core.display import cut_index
    from meettui.core.ids import distinct_prefix

    prefix = distinct_prefix(ids)
    kept = {i: cut_index(i, max(ID_FLOOR, prefix[i]), forward=True) for i in ids}
    return max(cell_len(i[: kept[i]]) + (len(i) > kept[i]) for i in ids)
