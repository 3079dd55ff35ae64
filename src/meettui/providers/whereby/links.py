"""How Whereby links look, for recognising a pasted link (`core/links.py`).

Shapes (Whereby's help pages and the `roomUrl`/`hostRoomUrl` the API returns):
`https://SUBDOMAIN.whereby.com/ROOM` (a room: anyone with it may knock or join) and the
same with `?roomKey=…` (the host link: it gives host powers). `whereby.com/ROOM` (no
subdomain) is a personal room. A viewer link carries a key too, so it is not shared.
"""

from __future__ import annotations

from meettui.core.links import LinkParts, LinkRule, Match, host_is


def parse(p: LinkParts) -> Match:
    """A Whereby link: the room name (the path's first segment) and whether it is the
    room's host link."""
    seg = p.segments
    room = seg[0] if seg else None
    if p.param("roomkey"):
        # The cached meeting holds the room link as its guest link: search for that.
        return Match("host link", room, not_shareable="a Whereby host link (roomKey=): it "
                     "gives host powers", search=p.room_url.rstrip("/"), same=(p.room_url,))
    if room is None:
        return Match("link")
    return Match("room", room, search=p.room_url.rstrip("/"))


RULE = LinkRule(
    "whereby", "Whereby",
    ("https://SUBDOMAIN.whereby.com/ROOM (room), …?roomKey=… (host link)",
     "https://whereby.com/ROOM (personal room)"),
    lambda host: host_is(host, "whereby.com"), parse,
)
