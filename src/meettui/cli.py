"""The command line: the TUI by default, subcommands for scripts and agents.

Exit codes: 0 ok, 1 a provider or user error (the message says what to do), 2 a usage
error, 130 interrupted. Output is JSON when --json is given or stdout is not a terminal.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import Callable, Coroutine
from datetime import datetime
from typing import Any

from meettui import __version__
from meettui.core.errors import MeettuiError
from meettui.core.models import Meeting, MeetingSpec
from meettui.core.text import countdown, local_time, printable

EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130


class UsageError(Exception):
    pass


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    from meettui.logs import setup_logging

    setup_logging(debug=args.debug)
    command = getattr(args, "func", None)
    try:
        if command is None:
            return run_tui(args)
        return command(args)
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

    def add(name: str, func: Callable[[argparse.Namespace], int], help: str):
        p = sub.add_parser(name, help=help, description=help)
        p.set_defaults(func=func)
        return p

    def json_flag(p: argparse.ArgumentParser) -> None:
        p.add_argument("--json", action="store_true", help="print JSON (default when piped)")

    p = add("accounts", cmd_accounts, "list the configured accounts and their state")
    json_flag(p)

    p = add("list", cmd_list, "refresh and list meetings (all accounts unless --account)")
    p.add_argument("--account", "-a")
    p.add_argument("--query", "-q", default="", help="only titles containing this text")
    p.add_argument("--offline", action="store_true", help="read the cache only")
    p.add_argument("--limit", type=int, default=1000, help="at most this many rows")
    p.add_argument("--reveal", action="store_true", help="show host links unmasked")
    json_flag(p)

    p = add("show", cmd_show, "show one meeting with its links")
    p.add_argument("id")
    p.add_argument("--account", "-a")
    p.add_argument("--refresh", action="store_true", help="re-read it from the provider")
    p.add_argument("--reveal", action="store_true", help="show host links unmasked")
    json_flag(p)

    p = add("create", cmd_create, "create a meeting")
    p.add_argument("--account", "-a", required=True)
    p.add_argument("--title", "-t", default="")
    _time_args(p)
    p.add_argument("--option", "-o", action="append", default=[], metavar="KEY=VALUE",
                   help="a provider option (repeatable), e.g. -o roomMode=group")
    p.add_argument("--reveal", action="store_true", help="show host links unmasked")
    json_flag(p)

    p = add("edit", cmd_edit, "edit a meeting (some providers recreate it: links change)")
    p.add_argument("id")
    p.add_argument("--account", "-a")
    p.add_argument("--title", "-t", default="")
    _time_args(p)
    p.add_argument("--option", "-o", action="append", default=[], metavar="KEY=VALUE")
    p.add_argument("--yes", "-y", action="store_true", help="do not ask")
    p.add_argument("--reveal", action="store_true")
    json_flag(p)

    p = add("delete", cmd_delete, "delete (or cancel) a meeting")
    p.add_argument("id")
    p.add_argument("--account", "-a")
    p.add_argument("--yes", "-y", action="store_true", help="do not ask")
    json_flag(p)

    p = add("locate", cmd_locate, "print where the config, cache, log and themes live")
    p.add_argument("what", nargs="?", choices=["config", "cache", "log", "themes"])
    json_flag(p)

    _add_extra_commands(add, json_flag)
    return parser


def _add_extra_commands(add, json_flag) -> None:
    """Commands that live in their own modules (simulators, QR) register here."""
    from meettui import cli_extra

    cli_extra.register(add, json_flag)


def _time_args(p: argparse.ArgumentParser) -> None:
    help_time = (
        "ISO 8601 (local time if no offset) or relative: +30m, +2h, +1d "
        "(a relative --end counts from --start)"
    )
    p.add_argument("--start", help=help_time)
    p.add_argument("--end", help=help_time)


# -- helpers --------------------------------------------------------------------------


def wants_json(args: argparse.Namespace) -> bool:
    return bool(getattr(args, "json", False)) or not sys.stdout.isatty()


def emit_json(data: Any) -> None:
    json.dump(data, sys.stdout, indent=2, ensure_ascii=False, default=str)
    sys.stdout.write("\n")


def run(coro_factory: Callable[[Any], Coroutine[Any, Any, int]]) -> int:
    """Open the service, run one coroutine against it, always close it."""
    from meettui.runtime import open_service

    async def go() -> int:
        service = open_service()
        try:
            return await coro_factory(service)
        finally:
            await service.aclose()
            service.cache.close()

    return asyncio.run(go())


def parse_when(value: str | None, *, now: datetime | None = None) -> datetime | None:
    from meettui.core.when import parse_when as parse

    try:
        return parse(value, now=now)
    except ValueError as exc:
        raise UsageError(str(exc)) from None


def parse_options(pairs: list[str]) -> dict[str, Any]:
    options: dict[str, Any] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise UsageError(f"option {pair!r} should look like KEY=VALUE")
        lowered = value.lower()
        options[key] = {"true": True, "false": False}.get(lowered, value)
    return options


def meeting_json(meeting: Meeting, reveal: bool = False) -> dict[str, Any]:
    data = meeting.model_dump(mode="json", exclude={"raw"})
    data["links"] = [
        {**link.model_dump(mode="json"), "url": link.url if reveal else link.masked()}
        for link in meeting.links
    ]
    return data


def confirm(question: str, args: argparse.Namespace) -> bool:
    if getattr(args, "yes", False):
        return True
    if not sys.stdin.isatty():
        raise UsageError(f"{question.rstrip('?')}: refusing without --yes (no terminal to ask)")
    answer = input(f"{question} [y/N] ").strip().lower()
    return answer in {"y", "yes"}


# -- commands ----------------------------------------------------------------------------


def run_tui(args: argparse.Namespace) -> int:
    from meettui.tui.app import run_app

    return run_app(debug=args.debug)


def cmd_accounts(args: argparse.Namespace) -> int:
    async def go(service) -> int:
        infos = service.accounts()
        if wants_json(args):
            emit_json([
                {
                    "name": i.name,
                    "provider": i.provider,
                    "display_name": i.display_name,
                    "demo": i.demo,
                    "read_only": i.read_only,
                    "health": i.health.value,
                    "message": i.message,
                    "last_synced": i.sync.last_synced.isoformat() if i.sync.last_synced else None,
                    "complete": i.sync.complete,
                    "cached": service.count([i.name]),
                }
                for i in infos
            ])
            return EXIT_OK
        for i in infos:
            tag = " [DEMO]" if i.demo else ""
            ro = " read-only" if i.read_only else ""
            synced = local_time(i.sync.last_synced) if i.sync.last_synced else "never"
            print(f"{i.name:<20} {i.display_name:<16} {i.health.value:<18} "
                  f"synced {synced}{ro}{tag}")
            if i.message:
                print(f"{'':<20} {printable(i.message)}")
        return EXIT_OK

    return run(go)


def cmd_list(args: argparse.Namespace) -> int:
    async def go(service) -> int:
        names = [args.account] if args.account else [a.name for a in service.config.accounts]
        for name in names:
            service.config.account(name)
        failures: list[str] = []
        if not args.offline:
            for name in names:
                try:
                    await service.sync_all(name)
                except MeettuiError as exc:
                    failures.append(f"{name}: {exc}")
        meetings = service.window(names, args.query, offset=0, limit=args.limit)
        now = service.clock.now()
        if wants_json(args):
            emit_json([meeting_json(m, args.reveal) for m in meetings])
        else:
            for m in meetings:
                status = m.effective_status(now).value + (" (gone upstream)" if m.missing else "")
                print(f"{local_time(m.starts_at):<16}  {printable(m.title)[:40]:<40}  "
                      f"{m.account:<16} {status:<10} {m.id}")
            if not meetings:
                print("No meetings.")
        for failure in failures:
            print(f"meettui: {failure} (showing the cached list)", file=sys.stderr)
        return EXIT_ERROR if failures else EXIT_OK

    return run(go)


def cmd_show(args: argparse.Namespace) -> int:
    async def go(service) -> int:
        meeting = service.find(args.id, args.account)
        if args.refresh:
            meeting = await service.fetch(meeting.account, meeting.id)
        print_meeting(meeting, args, service.clock.now())
        return EXIT_OK

    return run(go)


def print_meeting(meeting: Meeting, args: argparse.Namespace, now: datetime) -> None:
    reveal = getattr(args, "reveal", False)
    if wants_json(args):
        emit_json(meeting_json(meeting, reveal))
        return
    print(printable(meeting.title) or "(untitled)")
    print(f"  id        {meeting.id}")
    print(f"  account   {meeting.account} ({meeting.provider})")
    print(f"  status    {meeting.effective_status(now).value}")
    print(f"  starts    {local_time(meeting.starts_at)}")
    print(f"  ends      {local_time(meeting.ends_at)}")
    if meeting.expires_at:
        left = countdown(meeting.expires_at, now)
        print(f"  expires   {local_time(meeting.expires_at)} ({left})")
    for link in meeting.links:
        shown = link.url if reveal else link.masked()
        label = f" ({printable(link.label)})" if link.label else ""
        print(f"  {link.role.value:<9} {shown}{label}")
    if any(link.sensitive for link in meeting.links) and not reveal:
        print("  (host links masked; --reveal shows them)")
    for key, value in meeting.details.items():
        print(f"  {printable(key)}: {printable(value)}")


def _spec(args: argparse.Namespace) -> MeetingSpec:
    start = parse_when(args.start)
    # A relative end reads as a duration when a start is given: --start +1d --end +1h.
    end = parse_when(args.end, now=start)
    if start and end and end <= start:
        raise UsageError("--end must be after --start")
    return MeetingSpec(
        title=args.title, starts_at=start, ends_at=end, options=parse_options(args.option)
    )


def cmd_create(args: argparse.Namespace) -> int:
    spec = _spec(args)

    async def go(service) -> int:
        meeting = await service.create(args.account, spec)
        print_meeting(meeting, args, service.clock.now())
        return EXIT_OK

    return run(go)


def cmd_edit(args: argparse.Namespace) -> int:
    spec = _spec(args)

    async def go(service) -> int:
        meeting = service.find(args.id, args.account)
        caps = service.capabilities(meeting.account)
        if caps.update_changes_links and not confirm(
            f"{meeting.account} cannot edit in place: meettui will create a new meeting and "
            "delete this one, and every link will change. Go ahead?", args
        ):
            print("Nothing changed.", file=sys.stderr)
            return EXIT_OK
        merged = MeetingSpec(
            title=spec.title or meeting.title,
            starts_at=spec.starts_at or meeting.starts_at,
            ends_at=spec.ends_at or meeting.ends_at,
            options=spec.options,
        )
        result = await service.update(meeting.account, meeting.id, merged)
        if result.warning:
            print(f"meettui: {result.warning}", file=sys.stderr)
        print_meeting(result.meeting, args, service.clock.now())
        return EXIT_OK

    return run(go)


def cmd_delete(args: argparse.Namespace) -> int:
    async def go(service) -> int:
        from meettui.core.models import DeleteMode

        meeting = service.find(args.id, args.account)
        mode = service.capabilities(meeting.account).delete
        what = {
            DeleteMode.DELETE: "Delete",
            DeleteMode.CANCEL: "Cancel",
            DeleteMode.LOCAL: "Forget (local only; the link keeps working)",
        }.get(mode, "Delete")
        if not confirm(f"{what} {printable(meeting.title)!r} ({meeting.id}) in "
                       f"{meeting.account}?", args):
            print("Nothing changed.", file=sys.stderr)
            return EXIT_OK
        done = await service.delete(meeting.account, meeting.id)
        if wants_json(args):
            emit_json({"id": meeting.id, "account": meeting.account, "result": done.value})
        else:
            print(f"{done.value}: {meeting.id}")
        return EXIT_OK

    return run(go)


def cmd_locate(args: argparse.Namespace) -> int:
    from meettui.core.config import cache_path, config_path, log_path, user_themes_path

    places = {
        "config": str(config_path()),
        "cache": str(cache_path()),
        "log": str(log_path()),
        "themes": str(user_themes_path()),
    }
    if args.what:
        print(places[args.what])
    elif wants_json(args):
        emit_json(places)
    else:
        for key, value in places.items():
            print(f"{key:<7} {value}")
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
