"""`meettui locate`: where the config, cache, log and themes live."""

from __future__ import annotations

import argparse

from meettui.cli._output import EXIT_OK, emit_json, json_flag, wants_json


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("locate", help="print where the config, cache, log and themes live",
                       description="print where the config, cache, log and themes live")
    p.set_defaults(func=cmd_locate)
    p.add_argument("what", nargs="?", choices=["config", "cache", "log", "themes"])
    json_flag(p)


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
