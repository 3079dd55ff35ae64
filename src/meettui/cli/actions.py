"""Provider actions from the command line.

`meettui action ID NAME [-o key=value ...]` runs any action a meeting's provider offers
(its `Capabilities.actions`); `meettui action ID` lists them. Providers may declare
friendly verbs for an action as data (`ActionSpec.aliases`), e.g.
`meettui start ID --host NAME` or `meettui host add ID --name NAME`; they are added here
from the registry, so this module names no provider.

Dangerous actions ask first; `--yes` skips the question (and is required without a
terminal). Headless: no textual here.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from meettui.cli._dryrun import dry_run_flag, run_planned
from meettui.cli._output import (
    EXIT_OK,
    UsageError,
    confirm,
    emit_json,
    json_flag,
    parse_options,
    print_deleted,
    print_meeting,
    print_unread,
    wants_json,
)
from meettui.cli.aliases import Verb, declared_aliases, group_help
from meettui.cli.command_index import HELP
from meettui.core.display import printable, quoted
from meettui.core.errors import NotFound
from meettui.core.verbs import AliasOption

if TYPE_CHECKING:
    from meettui.core.models import Meeting
    from meettui.core.service import MeetingService

    Sub = argparse._SubParsersAction[argparse.ArgumentParser]



def register(sub: Sub) -> None:
    """Add `action` and every provider's alias verbs to the `meettui` parser."""
    what = HELP["action"]
    p = sub.add_parser("action", help=what, description=what)
    p.set_defaults(func=cmd_action, takes_options=True)
    p.add_argument("id")
    p.add_argument("name", nargs="?", help="the action, e.g. start, add_host, remove_host")
    p.add_argument("--account", "-a")
    p.add_argument("--option", "-o", action="append", default=[], metavar="KEY=VALUE",
                   help="an input of the action (repeatable), e.g. -o name='Ann Lee'")
    _common(p)

    groups: dict[str, Sub] = {}
    for words, verb in declared_aliases().items():
        parent = sub
        for depth, word in enumerate(words[:-1]):
            prefix = " ".join(words[: depth + 1])
            if prefix not in groups:
                group = parent.add_parser(word, help=group_help(word),
                                          description=group_help(word))
                group.set_defaults(func=_needs_subcommand(prefix))
                groups[prefix] = group.add_subparsers(title=f"{prefix} commands",
                                                      metavar="ACTION")
            parent = groups[prefix]
        _add_verb(parent, words[-1], verb)


def _add_verb(parent: Sub, word: str, verb: Verb) -> None:
    p = parent.add_parser(word, help=verb.alias.help, description=verb.alias.help)
    # A refusal of a value names the verb's flag that gives it (`field_flag`): the verb
    # takes no -o ("Give -o host=…" answered `start --host`).
    field_flags: dict[str, list[str]] = {}
    for option in verb.options.values():
        field_flags.setdefault(option.field, []).append(option.flags[0])
    p.set_defaults(func=lambda args: _run(args, verb.action, _alias_params(args, verb),
                                          strict=False),
                   field_flags={field: " or ".join(flags)
                                for field, flags in field_flags.items()},
                   verb_words=" ".join(verb.alias.words))
    p.add_argument("id")
    p.add_argument("--account", "-a")
    groups: dict[str, argparse._MutuallyExclusiveGroup] = {}
    for option in verb.options.values():
        target: Any = p
        if option.group:
            if option.group not in groups:
                groups[option.group] = p.add_mutually_exclusive_group(required=True)
            target = groups[option.group]
        target.add_argument(*option.flags, dest=_dest(option), metavar=_metavar(option),
                            help=option.help, required=option.required and not option.group)
    _common(p, yes=verb.dangerous)


def _dest(option: AliasOption) -> str:
    return "alias_" + option.flags[0].lstrip("-").replace("-", "_")


def _metavar(option: AliasOption) -> str:
    """The value's name in help and usage errors: the flag's own (`--reason REASON`),
    as argparse would write it without our `alias_` dest."""
    return option.flags[0].lstrip("-").replace("-", "_").upper()


def _alias_params(args: argparse.Namespace, verb: Verb) -> dict[str, Any]:
    params: dict[str, Any] = {}
    for option in verb.options.values():
        value = getattr(args, _dest(option), None)
        if value is not None:
            params[option.field] = value
    return params


def _needs_subcommand(prefix: str) -> Callable[[argparse.Namespace], int]:
    def fail(args: argparse.Namespace) -> int:
        verbs = [" ".join(w) for w in declared_aliases() if " ".join(w).startswith(prefix + " ")]
        raise UsageError(f"say one of: {', '.join(f'`{v} ID ...`' for v in verbs)}")

    return fail


def _common(p: argparse.ArgumentParser, *, yes: bool = True) -> None:
    if yes:
        p.add_argument("--yes", "-y", action="store_true", help="do not ask")
    p.add_argument("--reveal", action="store_true", help="show host links unmasked")
    dry_run_flag(p)
    json_flag(p)


async def _meeting(service: MeetingService, meeting_id: str, account: str | None) -> Meeting:
    """The cached meeting; with --account, one not cached yet is read upstream."""
    try:
        return service.find(meeting_id, account)
    except NotFound:
        if not account:
            raise
        return await service.fetch(account, meeting_id)


def _run(args: argparse.Namespace, action: str | None, params: dict[str, Any],
         *, strict: bool = True) -> int:
    async def go(service: MeetingService) -> int:
        from meettui.core.service_checks import already_done

        meeting = await _meeting(service, args.id, args.account)
        caps = service.capabilities_for(meeting)
        if action is None:
            from meettui.core.contract import ActionList, ActionOut

            specs = [ActionOut.of(s) for s in caps.actions]
            if wants_json(args):
                emit_json(ActionList(actions=specs))
                return EXIT_OK
            if not specs:
                print(f"{printable(meeting.account)} ({printable(meeting.provider)}) offers "
                      "no actions for this meeting.")
            for s in specs:
                fields = " ".join(f"-o {printable(f.name)}=…"
                                  + ("" if f.required else " (optional)")
                                  for f in s.fields)
                warn = "  [asks first]" if s.dangerous else ""
                print(f"{printable(s.name):<14} {printable(s.label)}{warn}")
                if fields:
                    print(f"{'':<14} {fields}")
            return EXIT_OK
        spec = caps.action(action)
        done = already_done(caps, meeting)
        if spec is None and done is not None and \
                service.capabilities(meeting.account).action(action) is not None:
            raise done  # an action a cancelled meeting has no more (a second cancel)
        if spec is None:
            names = ", ".join(s.name for s in caps.actions) or "none"
            raise UsageError(f"{meeting.account} ({meeting.provider}) has no action "
                             f"{action!r} for this meeting; its actions: {names}")
        known = {f.name for f in spec.fields}
        if strict:
            unknown = sorted(set(params) - known)
            if unknown:
                raise UsageError(f"action {action!r} takes no option {unknown[0]!r}; "
                                 f"it takes: {', '.join(sorted(known)) or 'none'}")
        missing = [f.name for f in spec.fields
                   if f.required and params.get(f.name) in (None, "")]
        if missing:
            from meettui.cli import field_flag

            flag = field_flag(args, missing[0])
            verb = getattr(args, "verb_words", None)
            if verb is not None and flag is not None:  # (`cancel --reason ""`)
                raise UsageError(f"{verb} needs {flag} with a value")
            raise UsageError(f"action {action!r} needs -o {missing[0]}=VALUE")
        if spec.dangerous and not confirm(
            f"{spec.label}: {quoted(meeting.title)} ({printable(meeting.id)}) in "
            f"{meeting.account}?", args
        ):
            print("Nothing changed.", file=sys.stderr)
            return EXIT_OK
        result = await service.run_action(meeting.account, meeting.id, action, params)
        if spec.removes:
            # The meeting is gone (a delete for good): said as `delete` says it. It was
            # printed as it was last, "scheduled" with its guest link, `missing: false`.
            from meettui.core.capabilities import DeleteMode

            print_deleted(meeting, DeleteMode.DELETE, args)
            return EXIT_OK
        print_meeting(result, args, service.clock.now())
        return print_unread(result)

    return run_planned(args, go)


def cmd_action(args: argparse.Namespace) -> int:
    return _run(args, args.name, parse_options(args.option))
