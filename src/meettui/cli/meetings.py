"""`accounts`, `list`, `show`, `create`, `edit`, `delete`: meetings from the command line."""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from typing import TYPE_CHECKING

from meettui.cli._dryrun import dry_run_flag, run_planned
from meettui.cli._output import (
    EXIT_ERROR,
    EXIT_LEFT_OVER,
    EXIT_OK,
    UsageError,
    confirm,
    emit_json,
    json_flag,
    parse_options,
    parse_when,
    print_deleted,
    print_meeting,
    print_unread,
    run,
    terminal_size,
    wants_json,
)
from meettui.cli.command_index import HELP
from meettui.cli.listing import (
    LIST_LIMIT,
    cmd_list,
    list_after,
    print_stale,
    row_limit,
    row_offset,
    stale_text,
)
from meettui.cli.quick_list import quick_list
from meettui.core.display import local_time, printable, quoted
from meettui.core.errors import GoneUpstream, MeettuiError, NotSupported, end_sentence
from meettui.core.wording import argument

if TYPE_CHECKING:
    from meettui.core.models import Meeting, MeetingSpec
    from meettui.core.service import AccountInfo, MeetingService


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the meeting commands to the `meettui` parser."""

    def add(name: str, func: object, help: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help, description=help)
        p.set_defaults(func=func)
        return p

    p = add("accounts", cmd_accounts, HELP["accounts"])
    json_flag(p)

    p = add("list", cmd_list, HELP["list"])
    # Tried before logging is set up: `cli/quick_list.py` answers the plain offline case.
    p.set_defaults(quick=quick_list)
    p.add_argument("--account", "-a")
    p.add_argument("--query", "-q", default="",
                   help="the TUI's filter: words (titles, ids, rooms, guests, hosts, "
                   "shareable links and codes; never host links), "
                   "account:NAME, status:live")
    p.add_argument("--offline", action="store_true", help="read the cache only")
    p.add_argument("--limit", type=row_limit, default=LIST_LIMIT, metavar="N",
                   help=f"at most N meetings (default {LIST_LIMIT}); when more match, "
                   "stderr and the JSON's `matched` say how many")
    page = p.add_mutually_exclusive_group()
    # (None, not 0: argparse saw `--offset 0 --after TOKEN` as no --offset at all.)
    page.add_argument("--offset", type=row_offset, default=None, metavar="N",
                      help="skip the first N meetings (for the next page, --after is "
                      "safer: an offset moves when the list changes in between)")
    page.add_argument("--after", type=list_after, default=None, metavar="TOKEN",
                      help="the page after the one whose JSON gave `next_after` TOKEN "
                      "(stderr names the whole command): each meeting once, however "
                      "the clock or the cache moves in between")
    p.add_argument("--upcoming", action="store_true",
                   help="start at what is on now or next, as the app opens (--offset "
                   "and the count start there)")
    p.add_argument("--reveal", action="store_true", help="show host links unmasked")
    json_flag(p)

    p = add("show", cmd_show, HELP["show"])
    p.add_argument("id")
    p.add_argument("--account", "-a")
    p.add_argument("--refresh", action="store_true", help="re-read it from the provider")
    p.add_argument("--reveal", action="store_true", help="show host links unmasked")
    json_flag(p)

    p = add("create", cmd_create, HELP["create"])
    p.set_defaults(field_flags=FLAGS, takes_options=True)
    p.add_argument("--account", "-a", required=True)
    p.add_argument("--title", "-t", default="")
    _time_args(p)
    p.add_argument("--option", "-o", action="append", default=[], metavar="KEY=VALUE",
                   help="a provider option (repeatable), e.g. -o roomMode=group")
    p.add_argument("--reveal", action="store_true", help="show host links unmasked")
    dry_run_flag(p)
    json_flag(p)

    p = add("edit", cmd_edit, HELP["edit"])
    p.set_defaults(field_flags=FLAGS, takes_options=True)
    p.add_argument("id")
    p.add_argument("--account", "-a")
    # None when not given: an empty --title is given, and said so (it changes nothing).
    p.add_argument("--title", "-t", default=None)
    _time_args(p)
    p.add_argument("--option", "-o", action="append", default=[], metavar="KEY=VALUE")
    p.add_argument("--yes", "-y", action="store_true", help="do not ask")
    p.add_argument("--reveal", action="store_true")
    dry_run_flag(p)
    json_flag(p)

    p = add("delete", cmd_delete, HELP["delete"])
    p.add_argument("id")
    p.add_argument("--account", "-a")
    p.add_argument("--hard", action="store_true",
                   help="delete for good where the provider cancels by default (it leaves "
                        "the provider's reports too)")
    p.add_argument("--yes", "-y", action="store_true", help="do not ask")
    dry_run_flag(p)
    json_flag(p)


def _time_args(p: argparse.ArgumentParser) -> None:
    help_time = (
        "ISO 8601 (local time if no offset) or relative: +30m, +2h, +1d "
        "(a relative --end counts from --start)"
    )
    p.add_argument("--start", help=help_time)
    p.add_argument("--end", help=help_time)


def cmd_accounts(args: argparse.Namespace) -> int:
    async def go(service: MeetingService) -> int:
        infos = service.accounts()
        if wants_json(args):
            from meettui.core.contract import AccountList, AccountOut

            emit_json(AccountList(accounts=[AccountOut.of(i, service.count([i.name]))
                                            for i in infos]))
            return EXIT_OK
        print_accounts(infos, terminal_size().columns)
        return EXIT_OK

    return run(go)


def print_accounts(infos: list[AccountInfo], width: int) -> None:
    from meettui.cli._table import Column, render

    flags = [" ".join(f for f in ("read-only" if i.read_only else "",
                                  "DEMO" if i.demo else "") if f) for i in infos]
    columns = [
        Column("ACCOUNT", [printable(i.name) for i in infos]),
        Column("PROVIDER", [printable(i.display_name) for i in infos]),
        Column("HEALTH", [i.health.value for i in infos]),
        Column("SYNCED", [local_time(i.sync.last_synced) if i.sync.last_synced else "never"
                          for i in infos], drop=1),
        Column("", flags, drop=2),
    ]
    header, *lines = render(columns, width, sys.stdout.encoding)
    print(header)
    for info, line in zip(infos, lines, strict=True):
        print(line)
        if info.message:
            print(f"  {printable(info.message)}")


def cmd_show(args: argparse.Namespace) -> int:
    async def go(service: MeetingService) -> int:
        meeting = service.find(args.id, args.account)
        failure: MeettuiError | None = None
        gone: GoneUpstream | None = None
        if args.refresh:
            try:
                meeting = await service.fetch(meeting.account, meeting.id)
            except GoneUpstream as exc:
                # The provider answered that it no longer has it: a refresh that
                # worked. The meeting is marked gone (its status `gone`), said on
                # stderr; exit 0 (1 said the refresh had failed, and to refresh).
                gone = exc
                meeting = service.cached(meeting.account, meeting.id) or meeting
            except MeettuiError as exc:
                # As `list` does: the cached copy, then why it is not fresh, and 1 (an
                # empty stdout and 1 left a script with nothing). Re-read: a meeting
                # gone upstream is marked so now.
                failure = exc
                meeting = service.cached(meeting.account, meeting.id) or meeting
        from meettui.core.contract import ShownDoc

        # The JSON's stdout alone says the copy is not fresh (as the MCP get_meeting
        # does).
        print_meeting(meeting, args, service.clock.now(), doc=ShownDoc,
                      refresh_error=None if failure is None else stale_text(
                          meeting.account, str(failure)))
        if failure is not None:
            print_stale(meeting.account, str(failure), "copy")
            return EXIT_ERROR
        if gone is not None:
            print(f"meettui: {printable(end_sentence(gone.message))}\n  "
                  f"{printable(gone.hint)}", file=sys.stderr)
        return EXIT_OK

    return run(go)


def _spec(args: argparse.Namespace) -> MeetingSpec:
    """The meeting the command line describes, checked before anything is sent."""
    # The models (pydantic) are imported by the commands that use them, not when the
    # parser is built: `meettui --help` loads no pydantic.
    from meettui.core.models import MeetingSpec

    start = parse_when(args.start)
    # A relative end reads as a duration when a start is given: --start +1d --end +1h.
    end = parse_when(args.end, now=start)
    if start and end and end <= start:
        raise UsageError("--end must be after --start")
    return MeetingSpec(
        title=args.title or "", starts_at=start, ends_at=end, options=parse_options(args.option)
    )


FLAGS = {"title": "--title", "starts_at": "--start", "ends_at": "--end"}
"""The flag that gives each base field, for a refusal to name (`check_taken`, and the
command line's hint: `field_flag`)."""


def cmd_create(args: argparse.Namespace) -> int:
    spec = _spec(args)

    async def go(service: MeetingService) -> int:
        from meettui.core.service_checks import check_taken, start_not_kept

        # Checked here for the refusal to name the flag; the service checks it again.
        check_taken(service.display_name(args.account), service.capabilities(args.account),
                    spec, creating=True, names=FLAGS)
        meeting = await service.create(args.account, spec)
        moved = start_not_kept(spec.starts_at, meeting)
        print_meeting(meeting, args, service.clock.now(), start_note=moved)
        if moved is not None:
            print(f"meettui: {moved}", file=sys.stderr)
        # Made, but not read back: said last, where it is read, and in the JSON.
        return print_unread(meeting)

    return run_planned(args, go)


def edited_times(args: argparse.Namespace, spec: MeetingSpec, meeting: Meeting,
                 now: datetime) -> tuple[datetime | None, datetime | None]:
    """Start and end after `meettui edit`: what was given, else what the meeting has.
    A relative --end counts from the new --start, else from the meeting's start while
    that is ahead, else from now (a meeting under way, a room opened weeks ago: `--end
    +30d` on a long-lived room counted from its creation and landed in the past). A new
    --start alone moves the meeting: its end moves with it, keeping its length.
    UsageError when the end would not be after the start."""
    from meettui.core.timeparse import is_relative

    start = spec.starts_at or meeting.starts_at
    end = spec.ends_at
    if is_relative(args.end) and spec.starts_at is None and meeting.starts_at is not None \
            and meeting.starts_at > now:
        end = parse_when(args.end, now=meeting.starts_at)
    if end is None and spec.starts_at is not None and meeting.starts_at is not None \
            and meeting.ends_at is not None:
        end = spec.starts_at + (meeting.ends_at - meeting.starts_at)
    end = end or meeting.ends_at
    if start and end and end <= start:
        # In the words of the front end that runs: the MCP server's edit_meeting said
        # "--end must be after --start" to an agent whose arguments are start and end.
        start_arg, end_arg = argument("--start"), argument("--end")
        if spec.ends_at is None:
            raise UsageError(f"{start_arg} ({local_time(start, '%Y-%m-%d %H:%M %Z')}) must "
                             f"be before the meeting's end "
                             f"({local_time(end, '%Y-%m-%d %H:%M %Z')}); give a new "
                             f"{end_arg} too")
        if spec.starts_at is None:
            raise UsageError(f"{end_arg} ({local_time(end, '%Y-%m-%d %H:%M %Z')}) must be "
                             f"after the meeting's start "
                             f"({local_time(start, '%Y-%m-%d %H:%M %Z')})")
        raise UsageError(f"{end_arg} must be after {start_arg}")
    return start, end


def cmd_edit(args: argparse.Namespace) -> int:
    from meettui.core.capabilities import UpdateMode
    from meettui.core.models import MeetingSpec

    if not (args.title or "").strip() and args.start is None and args.end is None \
            and not args.option:
        # Nothing asked: an edit without changes would still be sent, and a provider
        # that edits by recreating would replace the meeting and every link of it.
        if args.title is not None:
            raise UsageError("Nothing to change: --title is empty, and an empty title keeps "
                             "the one the meeting has; give a title, --start, --end or "
                             "-o NAME=VALUE.")
        raise UsageError("Nothing to change: give --title, --start, --end or -o NAME=VALUE.")
    spec = _spec(args)

    async def go(service: MeetingService) -> int:
        from meettui.core.service_checks import check_taken, gone

        meeting = service.find(args.id, args.account)
        if meeting.missing:
            # Refused before the question, as the service refuses it after: "every link
            # will change. Go ahead?" was asked of a meeting no edit could reach.
            raise gone(meeting.account, meeting.id, meeting)
        caps = service.capabilities_for(meeting)
        if caps.update == UpdateMode.NONE:
            # Refused before anything is sent: a usage error (exit 2), as the service's
            # own refusal of it is.
            raise NotSupported(
                f"This meeting cannot be edited at {service.display_name(meeting.account)}.",
                hint=caps.update_note or "Create a new one instead.",
            )
        # What was given, before the meeting's own times are merged in (a time the
        # provider has no use for would be dropped without a word); before asking, too.
        check_taken(service.display_name(meeting.account), caps, spec, names=FLAGS)
        start, end = edited_times(args, spec, meeting, service.clock.now())
        merged = MeetingSpec(
            title=spec.title or meeting.title, starts_at=start, ends_at=end,
            options=spec.options,
        )
        if service.replaces(meeting, merged) and not confirm(
            f"{meeting.account} cannot edit in place: meettui will create a new meeting and "
            f"delete {quoted(meeting.title)} ({printable(meeting.id)}), and every link will "
            "change. Go ahead?", args
        ):
            print("Nothing changed.", file=sys.stderr)
            return EXIT_OK
        result = await service.update(meeting.account, meeting.id, merged)
        if result.warning:
            print(f"meettui: {printable(result.warning)}", file=sys.stderr)
        from meettui.core.contract import EditDoc

        print_meeting(result.meeting, args, service.clock.now(), doc=EditDoc,
                      replaced_id=result.replaced_id, warning=result.warning or None,
                      notice=result.notice or None)
        if result.notice:
            # Said after the meeting, where it is read last (and to a person reading a
            # script's JSON go by): after --yes nothing asked first, and the new id was
            # all that told the old meeting and its links were gone.
            print(f"meettui: {printable(result.notice)}", file=sys.stderr)
        # Done, with a meeting left to delete by hand (the warning says which).
        return EXIT_LEFT_OVER if result.warning else EXIT_OK

    return run_planned(args, go)


def cmd_delete(args: argparse.Namespace) -> int:
    from meettui.core.capabilities import DeleteMode, describe_delete

    async def go(service: MeetingService) -> int:
        from meettui.core.service_checks import already_done

        meeting = service.find(args.id, args.account)
        caps = service.capabilities_for(meeting)
        mode = caps.delete
        already = None if meeting.missing else already_done(caps, meeting)
        if already is not None and not args.hard:
            raise already  # before asking: a cancel of a cancelled one would send nothing
        if args.hard and mode == DeleteMode.NONE:
            # "has no delete besides its default" said there was a default one.
            raise NotSupported(
                f"This meeting cannot be deleted ({service.display_name(meeting.account)} "
                "has no delete, with --hard or without); it expires on its own.")
        if args.hard and mode != DeleteMode.DELETE and not meeting.missing:
            # A provider that cancels by default offers its real delete as an action
            # that removes the meeting (ActionSpec.removes).
            hard = caps.removal()
            if hard is None:
                default = describe_delete(mode).verb.lower()
                raise UsageError(
                    f"{meeting.account} ({meeting.provider}) deletes nothing for good: "
                    + ("a delete only forgets the meeting here (its link keeps working)"
                       if mode == DeleteMode.LOCAL else
                       f"it has no delete besides its {default}")
                    + "; leave out --hard")
            if not confirm(f"{hard.label}: {quoted(meeting.title)} "
                           f"({printable(meeting.id)}) in {meeting.account}? "
                           f"{hard.help}", args):
                print("Nothing changed.", file=sys.stderr)
                return EXIT_OK
            await service.run_action(meeting.account, meeting.id, hard.name, {})
            print_deleted(meeting, DeleteMode.DELETE, args)
            return EXIT_OK
        words = describe_delete(mode, gone=meeting.missing)
        what = words.verb + (" (gone at the provider already; only meettui's copy goes)"
                             if meeting.missing else " (local only; the link keeps working)"
                             if words.verb == "Forget" else "")
        if not confirm(f"{what} {quoted(meeting.title)} ({printable(meeting.id)}) in "
                       f"{meeting.account}?", args):
            print("Nothing changed.", file=sys.stderr)
            return EXIT_OK
        done = await service.delete(meeting.account, meeting.id)
        print_deleted(meeting, done, args)
        return EXIT_OK

    return run_planned(args, go)
