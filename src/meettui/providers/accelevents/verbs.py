"""The command-line verb of Accelevents' join action (`meettui join ID`), as plain data the
CLI's parser reads without loading the client (`core/verbs.py`)."""

from __future__ import annotations

from meettui.core.verbs import ActionAlias, Verbs

JOIN = Verbs("join", (ActionAlias(
    words=("join",),
    help="join a session as the API key's attendee: the Chime join data",
),))

VERBS = (JOIN,)
