"""The command-line verbs of eyeson's actions (`meettui start`, `meettui host add|remove`),
as plain data the CLI's parser reads without loading the client (`core/verbs.py`)."""

from __future__ import annotations

from meettui.core.verbs import ActionAlias, AliasOption, Verbs

START = Verbs("start", (ActionAlias(
    words=("start",),
    help="start a meeting now (eyeson: guests can join from then on)",
    options=(AliasOption(flags=("--host",), field="host",
                         help="start as this host (name or token; default: the first)"),),
),))
ADD_HOST = Verbs("add_host", (ActionAlias(
    words=("host", "add"),
    help="add a host with an own link",
    options=(AliasOption(flags=("--name", "-n"), field="name", required=True,
                         help="the new host's name"),),
),))
REMOVE_HOST = Verbs("remove_host", (ActionAlias(
    words=("host", "remove"),
    help="remove a host; their link stops working",
    options=(
        AliasOption(flags=("--token", "-t"), field="host", group="which",
                    help="the host's token (after '?' in their link)"),
        AliasOption(flags=("--name", "-n"), field="host", group="which",
                    help="the host's name, as the link is labelled"),
    ),
),), dangerous=True)

VERBS = (START, ADD_HOST, REMOVE_HOST)
