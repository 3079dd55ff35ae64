"""What every command shares: exit codes, usage errors, running a coroutine against the
service, JSON and text output of meetings, questions before destructive changes."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import Callable, Coroutine
from datetime import datetime
from typing import TYPE_CHECKING, Any

from meettui.core.display import countdown, local_time, printable
from meettui.core.models import Meeting

if TYPE_CHECKING:
    from meettui.core.service import MeetingService

EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130

Command = Callable[[argparse.Namespace], int]
ServiceCall = Callable[["MeetingService"], Coroutine[Any, Any, int]]


class UsageError(Exception):
    """The command line is wrong: exit 2 with the message."""


def wants_json(args: argparse.Namespace) -> bool:
    """JSON when asked, and whenever stdout is not a terminal (scripts, agents, pipes)."""
    return bool(getattr(args, "json", False)) or not sys.stdout.isatty()


def emit_json(data: Any) -> None:
    json.dump(data, sys.stdout, indent=2, ensure_ascii=False, default=str)
    sys.stdout.write("\n")


def run(call: ServiceCall) -> int:
    """Open the service, run one coroutine against it, always close it."""
    from meettui.bootstrap import open_service

    async def go() -> int:
        service = open_service()
        try:
            return await call(service)
        finally:
            await service.aclose()
            service.cache.close()

    return asyncio.run(go())


def parse_when(value: str | None, *, now: datetime | None = None) -> datetime | None:
    """A time typed on the command line; UsageError when it cannot be read."""
    from meettui.core.timeparse import parse_when as parse

    try:
        return parse(value, now=now)
    except ValueError as exc:
        raise UsageError(str(exc)) from None


def parse_options(pairs: list[str]) -> dict[str, Any]:
    """`-o key=value` pairs; "true"/"false" become booleans."""
    options: dict[str, Any] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise UsageError(f"option {pair!r} should look like KEY=VALUE")
        lowered = value.lower()
        options[key] = {"true": True, "false": False}.get(lowered, value)
    return options


def meeting_json(meeting: Meeting, reveal: bool = False) -> dict[str, Any]:
    """A meeting as the JSON output shows it: no raw provider answer, links masked
    unless `reveal`."""
    data = meeting.model_dump(mode="json", exclude={"raw", "kept"})
    data["links"] = [
        {**link.model_dump(mode="json"), "url": link.url if reveal else link.masked()}
        for link in meeting.links
    ]
    return data


def confirm(question: str, args: argparse.Namespace) -> bool:
    """Ask before a destructive change; `--yes` answers for the user. UsageError when
    there is no terminal to ask and no `--yes`."""
    if getattr(args, "yes", False):
        return True
    if not sys.stdin.isatty():
        raise UsageError(f"{question.rstrip('?')}: refusing without --yes (no terminal to ask)")
    answer = input(f"{question} [y/N] ").strip().lower()
    return answer in {"y", "yes"}


def print_meeting(meeting: Meeting, args: argparse.Namespace, now: datetime) -> None:
    """One meeting, as JSON or as text; host links masked unless `--reveal`."""
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


def json_flag(p: argparse.ArgumentParser) -> None:
    p.add_argument("--json", action="store_true", help="print JSON (default when piped)")
