"""`meettui schema [COMMAND]`: the JSON Schema of what each command prints as JSON.

The schemas are generated from the models in `meettui.core.contract`, the same models
the commands build their JSON from, so they describe exactly what is printed. With no
command: an object keyed by command; with one (`meettui schema list`,
`meettui schema host add`), that command's schema alone. An unknown command is a usage
error listing the known ones.
"""

from __future__ import annotations

import argparse
from typing import Any

from meettui.cli._output import EXIT_OK, UsageError, emit_json, no_output_flags
from meettui.cli.command_index import HELP


def register(sub: argparse._SubParsersAction[Any]) -> None:
    """Add `schema` to the `meettui` parser."""
    what = HELP["schema"]
    p = sub.add_parser("schema", help=what, description=what + ". Every JSON output "
                       "carries `schema_version`; each schema's `$id` names that version.")
    p.set_defaults(func=cmd_schema)
    p.add_argument("command", nargs="*", metavar="COMMAND",
                   help="a command, e.g. list, show, `host add` (default: every command)")
    no_output_flags(p, "a JSON Schema is JSON: `meettui schema` prints JSON only",
                    json_ok=True)


def command_documents() -> dict[str, tuple[Any, str]]:
    """Every command that prints JSON → (its output type, what it is). The provider
    action verbs (`start`, `host add`, …) come from the registry, as their commands do."""
    from meettui.cli.aliases import declared_aliases
    from meettui.core import contract as c

    documents: dict[str, tuple[Any, str]] = {
        "accounts": (c.AccountList, "the configured accounts"),
        "list": (c.MeetingPage, "a page of the meetings in start order"),
        "show": (c.ShownDoc, "one meeting (`refresh_error`: --refresh failed, the cached copy)"),
        "create": (c.MeetingDoc | c.DryRunDoc,
                   "the meeting created (with --dry-run: the change planned)"),
        "edit": (c.EditDoc | c.DryRunDoc,
                 "the meeting after the edit (with --dry-run: the change planned)"),
        "delete": (c.DeleteDoc | c.DryRunDoc,
                   "what the delete did (with --dry-run: the change planned)"),
        "action": (c.ActionList | c.MeetingDoc | c.DeleteDoc | c.DryRunDoc,
                   "without an action name: the meeting's actions; with one: the meeting "
                   "after it, or what the delete did for an action that removes it "
                   "(with --dry-run: the change planned)"),
        "import": (c.MeetingDoc, "the meeting imported, or the one the link already "
                   "points to"),
        "qr": (c.QrDoc, "with --png/--svg: the files written"),
        "ics": (c.IcsDoc, "with -o FILE: the file written (without it, the calendar "
                "itself is the output)"),
        "locate": (c.LocateDoc, "where meettui's files are (without a place argument)"),
    }
    for words, verb in sorted(declared_aliases().items()):
        documents[" ".join(words)] = (
            c.MeetingDoc | c.DryRunDoc,
            f"the meeting after `{verb.action}` (an action verb; with --dry-run: the "
            "change planned)")
    return documents


def schemas(names: list[str] | None = None) -> dict[str, dict[str, Any]]:
    """The schemas of `names` (every command when None), keyed by command. UsageError
    for a name that prints no JSON, listing those that do."""
    from meettui.core.contract import document_schema

    documents = command_documents()
    wanted = list(documents) if names is None else names
    unknown = [name for name in wanted if name not in documents]
    if unknown:
        raise UsageError(f"no JSON output for {unknown[0]!r}; commands with JSON output: "
                         f"{', '.join(documents)}")
    return {name: document_schema(documents[name][0], name, documents[name][1])
            for name in wanted}


def cmd_schema(args: argparse.Namespace) -> int:
    if args.command:
        name = " ".join(args.command)
        emit_json(schemas([name])[name])
    else:
        emit_json(schemas())
    return EXIT_OK
