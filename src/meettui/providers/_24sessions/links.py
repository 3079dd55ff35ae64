"""How 24sessions links look, for recognising a pasted link (`core/links.py`).

Shapes (24sessions' help pages and the links its API answers with):
`https://INSTANCE.24sessions.com/join/ACCESS_KEY` (the guest link) and
`https://INSTANCE.24sessions.com/room/meeting/ID` (the host's room: it needs the
24sessions login, and it is the host's, so it is not handed out).
"""

from __future__ import annotations

from meettui.core.links import LinkParts, LinkRule, Match, host_is


def parse(p: LinkParts) -> Match:
    """A 24sessions link: a guest's join link (its access key) or the host's room (the
    meeting id, which the cached meeting's id matches)."""
    seg = p.segments
    if len(seg) > 1 and seg[0] == "join":
        # The access key, not the whole link: one pasted with a '/' or '#…' after it
        # found nothing.
        return Match("guest link", seg[1], search=seg[1])
    if len(seg) > 2 and seg[:2] == ["room", "meeting"]:
        return Match("host link", seg[2], not_shareable="the host's room in 24sessions "
                     "(for the host, after the 24sessions login)", search=seg[2])
    return Match("link")


RULE = LinkRule(
    "24sessions", "24sessions",
    ("https://INSTANCE.24sessions.com/join/ACCESS_KEY (guest link)",
     "https://INSTANCE.24sessions.com/room/meeting/ID (host)"),
    lambda host: host_is(host, "24sessions.com"), parse,
)
