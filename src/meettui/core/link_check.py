"""The rule every link a provider gives must pass before meettui keeps, shows, opens,
encodes or writes it: an http:// or https:// URL with a host, no user name or password
before the host, and no control, invisible, bidi or space characters. The same rule
`links.clean_url` applies to a pasted link (`meettui import`), in the words of a link
the user did not type.

The providers' contracts hand out web links only (room, guest, host, viewer, portal and
permalink pages, all https); dial-in numbers are not links and meettui shows none. A
link of another scheme (`javascript:`, `data:`, `file:`, an app's own scheme) would run
code, read files or start another program from a browser, a QR code or a calendar;
a hidden character would make a link read as another (`…/\\u202eexe.pdf`).

`Meeting` applies the rule to every link it holds (`models.Meeting`), and the commands
that open, copy, encode or write a link check again (`refusal`), so that a link read
from a cache written before the rule is never used either. Kept light (no pydantic): the
offline list (`quicklist`) uses it too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Protocol, TypeVar

from meettui.core.display import escape, is_hidden, printable, with_article

_NOT_A_HOST = ("", "/", "?", "#", "\\")
_PLAIN_WEB = re.compile(r"https?://[^/?#\\]")

REFUSED_LINKS = "Links refused"
"""The detail of a meeting (`Meeting.details`) that says which of its links were left
out and why: shown with its other details everywhere they are."""


def refusal(url: object) -> str | None:
    """Why `url` must not be used as a link, as a clause that follows "it is" ("a
    javascript: link; meettui uses only…"); None when it may be used."""
    if not isinstance(url, str) or not url:
        return "empty"
    if url.startswith("https://"):
        rest = url[8:]
    elif url.startswith("http://"):
        rest = url[7:]
    else:
        lowered = url[:8].lower()
        if lowered.startswith("https://"):
            rest = url[8:]
        elif lowered.startswith("http://"):
            rest = url[7:]
        else:
            return _scheme_refusal(url)
    # The common case, checked in C: a printable URL with no space, no "@" and a host.
    if url.isprintable() and " " not in url and "@" not in url and \
            rest[:1] not in _NOT_A_HOST:
        return None
    for index, char in enumerate(url):
        if is_hidden(char) or char.isspace() or not char.isprintable():
            return (f"a link holding a control, invisible or space character "
                    f"({escape(char) if char != ' ' else 'a space'} at position {index + 1}), "
                    "which can hide or reorder what it shows")
    if rest[:1] in _NOT_A_HOST:
        return "a link without a host name"
    if has_user_info(rest):
        return ("a link with a user name or password before its host (user@host), a way "
                "to make a link read as another site's")
    return None


def has_user_info(rest: str) -> bool:
    """Whether the URL whose part after `scheme://` is `rest` names a user (and maybe a
    password) before its host: an `@` before the path, query or fragment (RFC 3986
    §3.2.1)."""
    for stop in "/?#":
        rest = rest.split(stop, 1)[0]
    return "@" in rest


def _scheme_refusal(url: str) -> str:
    scheme, colon, _ = url.partition(":")
    if colon and scheme and len(scheme) <= 32 and scheme.replace("+", "").replace(
            "-", "").replace(".", "").isalnum():
        return (f"{with_article(printable(scheme.lower()))}: link; meettui uses only http:// and "
                "https:// links (other schemes can run code, read files or open other apps)")
    return "not a web address (http:// or https://)"


class _Linked(Protocol):
    @property
    def url(self) -> str: ...

    @property
    def role(self) -> object: ...


L = TypeVar("L", bound=_Linked)


def usable_only(links: Iterable[L], why: dict[str, list[str]]) -> list[L]:
    """The links of `links` (`models.Link`) that pass `refusal`; the role of each other
    one noted in `why` under its reason."""
    kept = []
    for link in links:
        reason = refusal(link.url)
        if reason is None:
            kept.append(link)
            continue
        role = str(getattr(link.role, "value", link.role))
        roles = why.setdefault(reason, [])
        if role not in roles:
            roles.append(role)
    return kept


def refused_text(why: dict[str, list[str]]) -> str:
    """`why` (link roles by `refusal` reason, as `usable_only` notes them) as one text:
    "the provider's host and guest links were left out: each is a javascript: link; …"."""
    parts = []
    for reason, roles in why.items():
        names = roles[0] if len(roles) == 1 else f"{', '.join(roles[:-1])} and {roles[-1]}"
        parts.append(f"the provider's {names} link was left out: it is {reason}"
                     if len(roles) == 1 else
                     f"the provider's {names} links were left out: each is {reason}")
    return "; ".join(parts)


def all_usable(links: Iterable[_Linked]) -> bool:
    """Whether every link of `links` passes `refusal`: the check every meeting makes
    (10k of them in a sync, or in a list read from the cache), so the common case, a
    printable http(s) link with a host and no "@" or space, is one regex and two C-level
    tests; anything else takes `refusal`."""
    for link in links:
        url = link.url
        if not (_PLAIN_WEB.match(url) and url.isprintable() and " " not in url
                and "@" not in url) and refusal(url) is not None:
            return False
    return True


def usable(url: object) -> bool:
    """Whether `url` passes the rule (`refusal` is None)."""
    return refusal(url) is None
