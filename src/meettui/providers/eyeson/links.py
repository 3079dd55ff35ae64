"""How eyeson links look, for recognising a pasted link (`core/links.py`).

Shapes (the `links.gui` and `links.guest_join` eyeson's API returns): a permalink's guest
link `https://app.eyeson.team/permalink?guest=TOKEN` (shared by every guest), a host's
own link `https://app.eyeson.team/permalink?TOKEN` (it starts the meeting as that host),
and for running rooms `https://app.eyeson.team/?guest=TOKEN` and `…/?ACCESS_KEY` (one
person's own way in).
"""

from __future__ import annotations

from meettui.core.links import LinkParts, LinkRule, Match, host_is


def parse(p: LinkParts) -> Match:
    """An eyeson link: a permalink or room, for guests or for one person."""
    what = "permalink" if "permalink" in p.segments else "room"
    guest = p.param("guest")
    if guest:
        # The token, not the whole link: one pasted with `&locale=de` found nothing.
        return Match(f"{what} guest link", None, search=guest)
    own = next((k for k, v in p.query.items() if not v), None)
    if own:
        # Only a host's links hold the token: nothing searchable leads to the meeting.
        return Match(f"{what} host link", None, not_shareable="an eyeson host's own link: "
                     "it starts or joins the meeting as that host", search=None)
    return Match("link")


RULE = LinkRule(
    "eyeson", "eyeson",
    ("https://app.eyeson.team/permalink?guest=TOKEN (guest link)",
     "https://app.eyeson.team/permalink?TOKEN (a host's own link)",
     "https://app.eyeson.team/?guest=TOKEN, /?ACCESS_KEY (running room)"),
    lambda host: host_is(host, "eyeson.team", "eyeson.com"), parse,
)
