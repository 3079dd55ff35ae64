"""Provider actions from the command line.

`meettui action ID NAME [-o key=value ...]` runs any action a provider offers on one
meeting (its `Capabilities.actions`); `meettui action ID` lists them. Friendly aliases
for eyeson's permalinks:

    meettui start ID [--host NAME]            start the meeting now (guests can join)
    meettui host add ID --name NAME           another host with an own link
    meettui host remove ID --name NAME        that host's link stops working
    meettui host remove ID --token TOKEN

Dangerous actions ask first; `--yes` skips the question (and is required without a
terminal). Headless: no textual here.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from meettui.cli import (
    EXIT_OK,
    UsageError,
    confirm,
    emit_json,
    parse_options,
    print_meeting,
    run,
    wants_json,
)
from meettui.core.errors import NotFound
from meettui.core.models import ActionSpec, Meeting
from meettui.core.text import printable


def register(add, json_flag) -> None:
    p = add("action", cmd_action,
            "run a provider action on a meeting (without NAME: list the actions)")
    p.add_argument("id")
    p.add_argument("name", nargs="?", help="the action, e.g. start, add_host, remove_host")
    p.add_argument("--account", "-a")
    p.add_argument("--option", "-o", action="append", default=[], metavar="KEY=VALUE",
                   help="an input of the action (repeatable), e.g. -o name='Ann Lee'")
    _common(p, json_flag)

    p = add("start", cmd_start, "start a meeting now (eyeson: guests can join from then on)")
    p.add_argument("id")
    p.add_argument("--account", "-a")
    p.add_argument("--host", help="start as this host (name or token; default: the first)")
    _common(p, json_flag, yes=False)

    p = add("host", cmd_host, "add or remove a meeting's hosts (eyeson permalinks)")
    hosts = p.add_subparsers(title="host commands", metavar="ACTION")
    a = hosts.add_parser("add", help="add a host with an own link",
                         description="Add a host: they get an own link that starts the meeting.")
    a.set_defaults(func=cmd_host_add)
    a.add_argument("id")
    a.add_argument("--name", "-n", required=True, help="the new host's name")
    a.add_argument("--account", "-a")
    _common(a, json_flag, yes=False)
    r = hosts.add_parser("remove", help="remove a host; their link stops working",
                         description="Remove a host: their link stops working at once.")
    r.set_defaults(func=cmd_host_remove)
    r.add_argument("id")
    which = r.add_mutually_exclusive_group(required=True)
    which.add_argument("--token", "-t", help="the host's token (after '?' in their link)")
    which.add_argument("--name", "-n", help="the host's name, as the link is labelled")
    r.add_argument("--account", "-a")
    _common(r, json_flag)


def _common(p: argparse.ArgumentParser, json_flag, *, yes: bool = True) -> None:
    if yes:
        p.add_argument("--yes", "-y", action="store_true", help="do not ask")
    p.add_argument("--reveal", action="store_true", help="show host links unmasked")
    json_flag(p)


async def _meeting(service, meeting_id: str, account: str | None) -> Meeting:
    """The cached meeting; with --account, one not cached yet is read upstream."""
    try:
        return service.find(meeting_id, account)
    except NotFound:
        if not account:
            raise
        return await service.fetch(account, meeting_id)


def _describe(spec: ActionSpec) -> dict[str, Any]:
    return {
        "name": spec.name,
        "label": spec.label,
        "dangerous": spec.dangerous,
        "help": spec.help,
        "fields": [{"name": f.name, "label": f.label, "required": f.required, "help": f.help}
                   for f in spec.fields],
    }


def _run(args: argparse.Namespace, action: str | None, params: dict[str, Any],
         *, strict: bool = True) -> int:
    async def go(service) -> int:
        meeting = await _meeting(service, args.id, args.account)
        caps = service.capabilities(meeting.account)
        if action is None:
            specs = [_describe(s) for s in caps.actions]
            if wants_json(args):
                emit_json(specs)
            elif not specs:
                print(f"{meeting.account} ({meeting.provider}) offers no actions.")
            for s in specs if not wants_json(args) else ():
                fields = " ".join(f"-o {f['name']}=…" + ("" if f["required"] else " (optional)")
                                  for f in s["fields"])
                warn = "  [asks first]" if s["dangerous"] else ""
                print(f"{s['name']:<14} {s['label']}{warn}")
                if fields:
                    print(f"{'':<14} {fields}")
            return EXIT_OK
        spec = caps.action(action)
        if spec is None:
            names = ", ".join(s.name for s in caps.actions) or "none"
            raise UsageError(f"{meeting.account} ({meeting.provider}) has no action "
                             f"{action!r}; its actions: {names}")
        known = {f.name for f in spec.fields}
        if strict:
            unknown = sorted(set(params) - known)
            if unknown:
                raise UsageError(f"action {action!r} takes no option {unknown[0]!r}; "
                                 f"it takes: {', '.join(sorted(known)) or 'none'}")
        missing = [f.name for f in spec.fields
                   if f.required and params.get(f.name) in (None, "")]
        if missing:
            raise UsageError(f"action {action!r} needs -o {missing[0]}=VALUE")
        if spec.dangerous and not confirm(
            f"{spec.label}: {printable(meeting.title)!r} ({meeting.id}) in "
            f"{meeting.account}?", args
        ):
            print("Nothing changed.", file=sys.stderr)
            return EXIT_OK
        result = await service.run_action(meeting.account, meeting.id, action, params)
        print_meeting(result, args, service.clock.now())
        return EXIT_OK

    return run(go)


def cmd_action(args: argparse.Namespace) -> int:
    return _run(args, args.name, parse_options(args.option))


def cmd_start(args: argparse.Namespace) -> int:
    return _run(args, "start", {"host": args.host} if args.host else {})


def cmd_host(args: argparse.Namespace) -> int:
    raise UsageError("say `host add ID --name NAME` or `host remove ID --name NAME|--token T`")


def cmd_host_add(args: argparse.Namespace) -> int:
    return _run(args, "add_host", {"name": args.name})


def cmd_host_remove(args: argparse.Namespace) -> int:
    return _run(args, "remove_host", {"host": args.token or args.name})
