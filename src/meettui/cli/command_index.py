"""Every command of `meettui`, listed before it is built.

`meettui --help` (and bare `meettui`, which opens the app) needs each command's name and
one line of help, not its arguments: building all twenty parsers, with their 150-odd
arguments, and importing the modules that register them cost about as much as the rest
of `--help` together. So the top-level parser lists every command from `COMMANDS` (and
the providers' verbs, `aliases.top_level`), and a command's module builds its parser
(`register(sub)`) when that command is the one given. The help strings live here only;
each module's `register` reads its own from `HELP`.
"""

from __future__ import annotations

import argparse
import importlib
from collections.abc import Sequence
from typing import Any

COMMANDS: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    ("meetings", (
        ("accounts", "list the configured accounts and their state"),
        ("list", "refresh and list meetings (all accounts unless --account)"),
        ("show", "show one meeting with its links"),
        ("create", "create a meeting"),
        ("edit", "edit a meeting (some providers recreate it: links change)"),
        ("delete", "delete (or cancel) a meeting"),
    )),
    ("locate", (("locate", "print where the config, cache, log and themes live"),)),
    ("qr", (("qr", "print a meeting's guest link as a QR code, or write PNG/SVG"),)),
    ("ics", (("ics", "write a meeting (or every meeting of an account) as an iCalendar "
                     "(.ics) file"),)),
    # `actions` also registers every verb the providers declare (`aliases.top_level`).
    ("actions", (("action", "run a provider action on a meeting (without NAME: list the "
                            "actions)"),)),
    ("simulate", (("simulate", "serve a provider's simulator over HTTP (for testing and "
                               "trying meettui)"),)),
    ("schema", (("schema", "print the JSON Schema of the commands' JSON output (all, or "
                           "one command's)"),)),
    ("serve_mcp", (("mcp", "serve meettui to an AI agent as an MCP server over stdio"),)),
    ("import_link", (("import", "keep any meeting link (Zoom, Teams, Meet, Webex, GoTo, "
                                "Chime, …) in the local 'imported' account"),)),
)
"""(module of `meettui.cli`, ((command, one-line help), …)), in the order `--help`
lists them."""

HELP: dict[str, str] = {name: text for _, listed in COMMANDS for name, text in listed}
"""A command's one-line help, by its name (the providers' verbs excepted)."""

_VERBS_MODULE = "actions"


class Commands(argparse._SubParsersAction):
    """The COMMAND positional of `meettui`, whose commands are built when given.

    `list_module(module, listed)` lists commands by name and help at the cost of a
    line of help each; the first time one of them is parsed (or `parser_of` asks for
    it), `meettui.cli.<module>.register(self)` builds that module's parsers, which
    then stand in the listing where the names stood. Built parsers get the
    `text_argument` check (`guard_text_arguments`) as the eager parser's do."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pending: dict[str, str] = {}  # command -> module that builds it

    def list_module(self, module: str, listed: Sequence[tuple[str, str]]) -> None:
        """List `listed` ((name, help), …) as commands built by `meettui.cli.<module>`."""
        for name, text in listed:
            self._pending[name] = module
            self._name_parser_map[name] = None
            self._choices_actions.append(self._ChoicesPseudoAction(name, (), text))

    def add_parser(self, name: str, **kwargs: Any) -> argparse.ArgumentParser:
        """argparse's, taking the place (in the listing) of `name` if it was listed."""
        listed = [i for i, action in enumerate(self._choices_actions)
                  if action.dest == name]
        if name in self._pending:
            del self._pending[name]
            del self._name_parser_map[name]
        parser = super().add_parser(name, **kwargs)
        if listed and "help" in kwargs:
            # (argparse appended its own line of help: move it where the name stood.)
            self._choices_actions[listed[0]] = self._choices_actions.pop()
        return parser

    def parser_of(self, name: str) -> argparse.ArgumentParser | None:
        """The parser of command `name`, built if it was only listed; None if unknown."""
        module = self._pending.get(name)
        if module is not None:
            self.build(module)
        return self._name_parser_map.get(name)

    def build(self, module: str) -> None:
        """Build every command `meettui.cli.<module>` registers."""
        from meettui.cli._output import guard_text_arguments

        names = [name for name, owner in self._pending.items() if owner == module]
        order = list(self._name_parser_map)
        importlib.import_module(f"meettui.cli.{module}").register(self)
        for name in set(self._name_parser_map) - set(order) | set(names):
            built = self._name_parser_map.get(name)
            if built is not None:
                guard_text_arguments(built)
        # Back in the listed order (argparse's "invalid choice" names them in it):
        # in place, as the map is also this action's `choices`.
        parsers = dict(self._name_parser_map)
        self._name_parser_map.clear()
        self._name_parser_map.update({name: parsers[name] for name in order if name in parsers})
        self._name_parser_map.update(parsers)

    def build_all(self) -> None:
        """Build every command still only listed (tests, `schema`, the eager parser)."""
        for module in dict.fromkeys(self._pending.values()):
            self.build(module)

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                 values: Any, option_string: str | None = None) -> None:
        if values:
            self.parser_of(values[0])
        super().__call__(parser, namespace, values, option_string)


def list_commands(sub: Commands) -> None:
    """List every command on `sub` (`COMMANDS`, and the providers' verbs after `action`),
    building none of them."""
    from meettui.cli.aliases import declared_aliases, top_level

    for module, listed in COMMANDS:
        sub.list_module(module, listed)
        if module == _VERBS_MODULE:
            sub.list_module(module, tuple(top_level(declared_aliases()).items()))
