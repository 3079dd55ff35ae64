"""A pasted link and a meeting's own link are the same meeting's when only what does not
name the meeting differs (`links.same_link`): `meettui import` made a copy of a managed
meeting for each of `…/room/`, `…#x`, `?embed`, `?displayName=Bob`, `&locale=de`. What
the cache is searched for is the part that names the meeting (`Recognised.search`)."""

from __future__ import annotations

import pytest

from meettui.core.links import recognise, same_link
from meettui.providers._24sessions.links import RULE as SESSIONS
from meettui.providers.eyeson.links import RULE as EYESON
from meettui.providers.whereby.links import RULE as WHEREBY

ROOM = "https://acme.whereby.com/support-9cf691bf"
GUEST = "https://app.eyeson.team/permalink?guest=Ab3dEf6hIj"


@pytest.mark.parametrize("given, known, same", [
    (ROOM + "/", ROOM, True),
    (ROOM + "#x", ROOM, True),
    (ROOM + "?embed&displayName=Bob", ROOM, True),
    (ROOM.upper(), ROOM, True),
    ("HTTPS://ACME.WHEREBY.COM/support-9cf691bf", ROOM, True),
    (ROOM + "?roomKey=k1", ROOM, True),  # a host link of the room: the room's meeting
    (ROOM, ROOM + "?roomKey=k1", False),  # not the host link itself
    (ROOM + "x", ROOM, False),
    ("http://acme.whereby.com/support-9cf691bf", ROOM, False),
    ("https://acme.whereby.com:8443/support-9cf691bf", ROOM, False),
    ("https://acme.whereby.com:443/support-9cf691bf", ROOM, True),  # https's own port
    (GUEST + "&locale=de", GUEST, True),
    ("https://app.eyeson.team/permalink?guest=Zz9", GUEST, False),
    ("https://app.eyeson.team/permalink?locale=de", GUEST, False),
    ("not a link", "not a link", True),
])
def test_same_link(given, known, same):
    assert same_link(given, known) is same


@pytest.mark.parametrize("rule, pasted, search", [
    (EYESON, GUEST + "&locale=de", "Ab3dEf6hIj"),
    (SESSIONS, "https://acme.24sessions.com/join/c5chy3zftl9h6cw2soi4/#top",
     "c5chy3zftl9h6cw2soi4"),
    (WHEREBY, ROOM + "/?embed", ROOM),
])
def test_the_cache_is_searched_for_what_names_the_meeting(rule, pasted, search):
    assert recognise(pasted, rules=[rule]).search == search
