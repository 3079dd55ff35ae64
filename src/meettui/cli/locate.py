"""`meettui locate`: every place meettui reads or writes, and what overrides it.

`meettui locate` is data like any command's (JSON when piped); `meettui locate WHAT` is
one bare path, piped or not, for the shell: `tail "$(meettui locate log)"`."""

from __future__ import annotations

import argparse
from typing import Any

from meettui.cli._output import EXIT_OK, UsageError, emit_json, json_flag, wants_json
from meettui.cli.command_index import HELP

PLACES = ("config", "cache", "log", "themes")


def register(sub: argparse._SubParsersAction[Any]) -> None:
    # Any: whichever ArgumentParser subclass the `meettui` parser makes its subparsers with.
    help_text = HELP["locate"]
    p = sub.add_parser("locate", help=help_text, description=(
        help_text + ". Each has an environment variable that overrides the platform's "
        "place: MEETTUI_CONFIG, MEETTUI_CACHE, MEETTUI_LOG, MEETTUI_THEMES. Next to the "
        "log are its rotated files (.1, .2); next to the cache, any broken cache meettui "
        "moved aside (.broken-TIME)."))
    p.set_defaults(func=cmd_locate)
    p.add_argument("what", nargs="?", choices=PLACES,
                   help="print this one path alone, as it is (piped too: for $(...))")
    json_flag(p)


def cmd_locate(args: argparse.Namespace) -> int:
    from meettui.core.config import (
        CACHE_ENV,
        CONFIG_ENV,
        LOG_ENV,
        THEMES_ENV,
        cache_path,
        config_path,
        log_path,
        overridden,
        user_themes_path,
    )

    places = {
        "config": (config_path(), CONFIG_ENV),
        "cache": (cache_path(), CACHE_ENV),
        "log": (log_path(), LOG_ENV),
        "themes": (user_themes_path(), THEMES_ENV),
    }
    if args.what:
        if args.json:
            # A bare path is the answer WHAT asks for; --json would be ignored.
            # (".cache", a jq path, read as a riddle.)
            raise UsageError(f"`locate {args.what}` prints the bare path; for JSON, "
                             f"`meettui locate --json` gives every path, this one under "
                             f"\"{args.what}\"")
        print(places[args.what][0])
    elif wants_json(args):
        from meettui.core.contract import LocateDoc

        emit_json(LocateDoc(config=str(places["config"][0]), cache=str(places["cache"][0]),
                            log=str(places["log"][0]), themes=str(places["themes"][0])))
    else:
        width = max(len(str(path)) for path, _ in places.values())
        for key, (path, variable) in places.items():
            origin = f"from {variable}" if overridden(variable) else f"{variable} overrides"
            print(f"{key:<7} {str(path):<{width}}  ({origin})")
    return EXIT_OK
