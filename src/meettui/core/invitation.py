"""An invitation as plain text for chat or email: title, time in the reader's zone and
the guest link, from a template the user can change (`invitation` in config.toml).

What it holds comes from providers, so it goes through the rule for text that leaves
meettui (`display.plain`, `display.plain_link`): no escape sequence, control, bidi or
zero-width character reaches the chat or the terminal it is pasted into."""

from __future__ import annotations

import string
from datetime import datetime
from typing import TYPE_CHECKING

from meettui.core.display import date_text, plain, plain_link

if TYPE_CHECKING:  # (pydantic stays unloaded: config.py and its quick reader check templates)
    from meettui.core.models import Meeting

DEFAULT_INVITATION = """{title}
{when}
Join: {link}"""
"""The template used when config.toml sets none."""

PLACEHOLDERS = {
    "title": "the meeting's title",
    "when": "start and end, e.g. 'Tue 24 Nov 2026, 10:00–11:00 UTC'",
    "start": "the start, e.g. 'Tue 24 Nov 2026 10:00 UTC' (empty when it has none)",
    "end": "the end, likewise",
    "zone": "the time zone the times are in",
    "link": "the guest link (never a host link)",
    "account": "the account's name",
    "provider": "the provider's kind, as in config.toml",
}
"""Every placeholder a template may use, with what it stands for."""


def template_problem(template: str) -> str | None:
    """Why `template` cannot be used (an unknown placeholder, a format or conversion
    after one, a stray brace), or None. Every placeholder is text filled in whole: a
    format (`{title:d}`) failed only when an invitation was copied ("Unknown format
    code 'd'…", naming neither the file nor the setting), and a width
    (`{link:>500000000}`) built half a gigabyte."""
    try:
        fields = [(name, spec, conv) for _, name, spec, conv
                  in string.Formatter().parse(template) if name is not None]
    except ValueError as exc:
        return f"{exc} (write a literal brace as {{{{ or }}}})"
    for name, spec, conv in fields:
        if name not in PLACEHOLDERS:
            known = ", ".join("{" + p + "}" for p in PLACEHOLDERS)
            shown = "{" + name + "}" if name else "{}"
            return f"unknown placeholder {shown}; use {known}"
        if spec or conv:
            written = "{" + name + (f"!{conv}" if conv else "") + (f":{spec}" if spec else "") + "}"
            return (f"{written} formats its placeholder; placeholders take no format "
                    f"(write {{{name}}})")
    return None


def _when(dt: datetime, with_date: bool = True) -> str:
    local = dt.astimezone()
    return date_text(local, "%a %d %b %Y %H:%M" if with_date else "%H:%M")


def invitation_text(template: str, meeting: Meeting) -> str:
    """`template` filled in for `meeting`, times in this machine's zone (the reader's),
    as plain text: each value on one line and the whole without a hidden character
    (`display.plain`; the link percent-encoded, `display.plain_link`). Raises ValueError
    when the meeting has no link a guest may use."""
    link = meeting.shareable_link()
    if link is None:
        raise ValueError("This meeting has no link a guest can use.")
    start, end = meeting.starts_at, meeting.ends_at
    zone = (start or end or datetime.now().astimezone()).astimezone().tzname() or ""
    if start and end:
        same_day = start.astimezone().date() == end.astimezone().date()
        when = f"{_when(start)}–{_when(end, with_date=not same_day)} {zone}"
    elif start:
        when = f"{_when(start)} {zone}"
    elif end:
        when = f"Until {_when(end)} {zone}"
    else:
        when = "No fixed time: the link works whenever you join."
    values = {
        "title": plain(meeting.title),
        "when": when,
        "start": f"{_when(start)} {zone}" if start else "",
        "end": f"{_when(end)} {zone}" if end else "",
        "zone": zone,
        "link": plain_link(link.url),
        "account": plain(meeting.account),
        "provider": plain(meeting.provider),
    }
    # The template is the user's, and may hold anything TOML can write (`\u001b`): the
    # result is made plain as a whole too, keeping its lines.
    return plain(template.format_map(values), lines=True)
