"""Recognising any meeting link: which service it belongs to, what the URL itself says
(meeting id, passcode) and whether it is safe to share. Pure: no network, no cache.

`clean_url` refuses what must never be stored or shown as a link (other schemes than
http(s), credentials in the URL, control and bidi characters, links longer than
MAX_LINK) and normalises the rest (whitespace stripped, the host lower-case and in
punycode). `recognise` runs the rules: the ones below for services meettui does not
manage, then the ones each provider client declares for its own links
(`Provider.link_rules`, kept in the provider's folder), and a generic rule for any
other https link. Every rule documents the URL shapes it follows in `shapes`; they come
from the services' own help pages and the links their apps hand out.

Whatever the rule, a link that carries a token (`TOKEN_PARAMS`) is not shareable: it
signs in as someone or grants host rights.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, quote, unquote, urlsplit, urlunsplit

from meettui.core.display import escape, is_hidden

MAX_LINK = 2048
"""The longest link taken, in characters: what browsers and QR codes handle well; a
real join link is a few hundred characters at most (a Teams link is the longest)."""

SAFE_SCHEMES = ("https", "http")

TOKEN_PARAMS = frozenset({
    "token", "access_token", "accesstoken", "auth", "authtoken", "auth_token", "jwt",
    "zak", "tk", "roomkey", "room_key", "key", "apikey", "api_key", "secret", "sig",
    "signature", "session", "sessionid", "session_id", "ticket", "hostkey", "host_key",
    "x-amz-signature", "x-amz-security-token",
})
"""Query (or fragment) parameters whose value signs someone in or grants host rights:
Zoom's `zak` (start as host) and `tk` (one registrant's own link), Jitsi's `jwt`, room
keys, signed-URL signatures. A link carrying one is never shareable."""

PASSCODE_PARAMS = ("pwd", "passcode", "pin")
"""Query parameters that carry a meeting passcode meant for every guest (the generic
rule reads these; each service's rule names its own)."""


class BadLink(ValueError):  # noqa: N818 - reads as what it is: `except BadLink`
    """A link that is refused (the message says why and what to do, in one paragraph)."""


@dataclass(frozen=True)
class LinkParts:
    """A cleaned link taken apart for the rules."""

    url: str
    """The cleaned URL (see `clean_url`)."""
    scheme: str
    host: str
    """Lower-case, punycode for an IDN host, no port."""
    port: int | None
    path: str
    """Percent-decoded."""
    query: Mapping[str, str]
    """Query parameters by lower-cased name (the first value of each; a bare `?word`
    gives `word` → "")."""
    fragment: str
    notes: tuple[str, ...] = ()

    @property
    def segments(self) -> list[str]:
        """The path's non-empty segments."""
        return [s for s in self.path.split("/") if s]

    @property
    def room_url(self) -> str:
        """The link without its query and fragment."""
        parts = urlsplit(self.url)
        return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))

    def param(self, *names: str) -> str | None:
        """The first non-empty value among query parameters `names` (lower-case)."""
        return next((self.query[n] for n in names if self.query.get(n)), None)


@dataclass(frozen=True)
class Match:
    """What a rule read from a link."""

    kind: str = "meeting"
    """What the link opens: "meeting", "webinar", "start link", "personal room"…"""
    meeting_id: str | None = None
    passcode: str | None = None
    not_shareable: str = ""
    """Why the link must not be shared (it grants host rights, it signs in as someone);
    empty when it may be."""
    search: str | None = None
    """A text that the cached copy of this meeting holds in its searchable fields (a
    shareable link, its id), for finding it among an account's meetings; None: only a
    scan of the account's links can tell."""
    same: tuple[str, ...] = ()
    """URLs that mean the same meeting besides the link itself (a host link's room)."""


@dataclass(frozen=True)
class LinkRule:
    """How one service's links look. `hosts` says whether a host is the service's;
    `parse` reads the link (called only for its hosts); `shapes` documents the URL
    shapes followed, as the README and the tests list them."""

    service: str
    """A short name: "zoom", "teams", or a provider kind ("jitsi")."""
    name: str
    """How the service is shown: "Zoom", "Microsoft Teams"."""
    shapes: tuple[str, ...]
    hosts: Callable[[str], bool]
    parse: Callable[[LinkParts], Match]


@dataclass(frozen=True)
class Recognised:
    """A recognised link: the service, what the URL says, and whether it may be shared."""

    url: str
    service: str
    service_name: str
    kind: str
    host: str
    meeting_id: str | None = None
    passcode: str | None = None
    shareable: bool = True
    why: str = ""
    """Why it is not shareable (empty when it is)."""
    notes: tuple[str, ...] = ()
    """What the user should know about the link itself (an IDN host shown as punycode,
    an unencrypted http link)."""
    search: str | None = None
    same: tuple[str, ...] = field(default_factory=tuple)

    @property
    def role_text(self) -> str:
        """"guest link" or "host link", as messages say it."""
        return "guest link" if self.shareable else "host link"


def host_is(host: str, *domains: str) -> bool:
    """True when `host` is one of `domains` or a subdomain of one."""
    return any(host == d or host.endswith("." + d) for d in domains)


# -- cleaning ------------------------------------------------------------------------


def clean_url(text: str) -> LinkParts:
    """`text` as a link: surrounding whitespace (and `<…>`) stripped, `https://` added
    when the scheme is left out (`zoom.us/j/1`), the host lower-case and in punycode,
    the scheme's own port left out (`:443` of https), other non-ASCII characters
    percent-encoded.

    Raises BadLink for an empty text, one longer than MAX_LINK, one holding control,
    invisible or bidi characters or spaces, a scheme other than http(s) (`javascript:`,
    `data:`, `file:`…), credentials (`user:password@host`), or no valid host."""
    text = text.strip()
    if text.startswith("<") and text.endswith(">"):
        text = text[1:-1].strip()
    if not text:
        raise BadLink("No link given. Paste a meeting link such as https://zoom.us/j/123456789.")
    if len(text) > MAX_LINK:
        raise BadLink(f"The link is {len(text):,} characters long; meettui takes links of at "
                      f"most {MAX_LINK:,}. Check that only the link was pasted.")
    for index, char in enumerate(text):
        if char in " \t\r\n":
            raise BadLink("The link holds a space or a line break; links have none. Paste "
                          "one link at a time, without the text around it.")
        if is_hidden(char):
            raise BadLink(f"The link holds a control or invisible character ({escape(char)} "
                          f"at position {index + 1}), which can hide or reorder what it "
                          "shows. Copy the link again from its source.")
        if char.isspace():
            raise BadLink("The link holds a space; links have none. Paste one link at a "
                          "time, without the text around it.")
    scheme_match = re.match(r"^([A-Za-z][A-Za-z0-9+.-]*):", text)
    after = text[scheme_match.end():] if scheme_match else ""
    bare = False
    if scheme_match is None or (not after.startswith("//") and (
            "." in scheme_match.group(1) or re.match(r"\d+(/|$)", after))):
        # "zoom.us/j/1", "meet.google.com:443/x", "host:8443/x"; a scheme-relative
        # "//meet.google.com/x" (as a web page writes it) is https too: it was read as
        # a link without a host.
        text = ("https:" if text.startswith("//") else "https://") + text
        bare = True
    elif scheme_match.group(1).lower() not in SAFE_SCHEMES:
        scheme = scheme_match.group(1).lower()
        raise BadLink(f"{scheme}: links are refused: meettui keeps only http:// and "
                      "https:// meeting links (other schemes can run code, read files or "
                      "open other apps).")
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError as exc:
        raise BadLink(f"This is not a valid link ({exc}).") from None
    if "@" in parts.netloc:
        raise BadLink("The link holds a user name or password (user:password@host). "
                      "meettui never stores credentials: remove that part and paste it again.")
    if not parts.hostname:
        raise BadLink("The link has no host name (like zoom.us or meet.google.com).")
    host, notes = _ascii_host(parts.hostname)
    if bare and "." not in host and ":" not in host and host != "localhost":
        # A word with no scheme ("notaurl", "ftp") was taken for the host of
        # "https://notaurl": a typo or a paste gone wrong, not a meeting link. With a
        # scheme, a one-word host (an intranet's) is kept.
        raise BadLink(f"{host!r} is not a link: paste the whole address "
                      "(https://…), or a host with its domain, like zoom.us/j/123456789.")
    if parts.scheme.lower() == "http":
        notes += ("An http:// link is not encrypted: anyone on the network can read it.",)
    shown_host = f"[{host}]" if ":" in host else host  # an IPv6 address keeps its brackets
    if port == {"https": 443, "http": 80}.get(parts.scheme.lower()):
        # The scheme's own port says nothing: `https://host:443/room` is the room's link,
        # and searched for with `:443` in it, it found no meeting.
        port = None
    netloc = shown_host if port is None else f"{shown_host}:{port}"
    # Non-ASCII in the path or query is percent-encoded, as a browser sends it: the
    # link then reads the same in a QR code, a clipboard and an email.
    path = quote(parts.path, safe="/%:@!$&'()*+,;=-._~")
    query = quote(parts.query, safe="/?%:@!$&'()*+,;=-._~")
    fragment = quote(parts.fragment, safe="/?%:@!$&'()*+,;=-._~")
    url = urlunsplit((parts.scheme.lower(), netloc, path, query, fragment))
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    query_map: dict[str, str] = {}
    for key, value in pairs:
        query_map.setdefault(key.lower(), value)
    return LinkParts(url=url, scheme=parts.scheme.lower(), host=host, port=port,
                     path=unquote(parts.path), query=query_map, fragment=parts.fragment,
                     notes=notes)


def _ascii_host(hostname: str) -> tuple[str, tuple[str, ...]]:
    """The host in ASCII (punycode for an IDN one, which is said: a look-alike host
    is how phishing links pass for real ones). Raises BadLink for an invalid host."""
    host = hostname.rstrip(".").lower()
    if host.isascii():
        if not re.fullmatch(r"[a-z0-9.\-_\[\]:]+", host) or ".." in host:
            raise BadLink(f"{host!r} is not a valid host name.")
        if "xn--" in host:
            return host, (f"The host is an internationalised name, shown as punycode: {host}. "
                          "Check it is the site you expect.",)
        return host, ()
    try:
        ascii_host = host.encode("idna").decode("ascii")
    except UnicodeError:
        raise BadLink("The link's host is not a valid internationalised domain name.") from None
    return ascii_host, (f"The host is an internationalised name, shown as punycode: "
                        f"{ascii_host}. Check it is the site you expect.",)


# -- the rules of services meettui does not manage --------------------------------------

_DIGITS = re.compile(r"^\d{9,12}$")


def _zoom(p: LinkParts) -> Match:
    seg = p.segments
    passcode = p.param("pwd")
    head = seg[0] if seg else ""
    number = seg[1] if len(seg) > 1 and _DIGITS.match(seg[1]) else None
    if head == "s" and number:
        return Match("start link", number, not_shareable="a Zoom start link: it starts the "
                     "meeting as its host")
    if head == "w" and number:
        return Match("webinar", number, passcode)
    if head == "j" and number:
        return Match("meeting", number, passcode)
    if head == "wc" and len(seg) >= 3:
        number = next((s for s in seg[1:] if _DIGITS.match(s)), None)
        if "start" in seg:
            return Match("start link", number, not_shareable="a Zoom start link: it starts "
                         "the meeting as its host")
        return Match("meeting (web client)", number, passcode)
    if head == "my" and len(seg) > 1:
        return Match("personal meeting room", seg[1], passcode)
    if head in ("meeting", "webinar") and len(seg) > 2 and seg[1] == "register":
        return Match(f"{head} registration", seg[2])
    return Match("link")


def _teams(p: LinkParts) -> Match:
    path = p.path
    if "meetup-join" not in path and "meetup-join" in p.fragment:
        path = unquote(p.fragment.split("?")[0])  # the v2 web app puts it after '#'
    seg = [s for s in path.split("/") if s]
    if "meetup-join" in seg:
        index = seg.index("meetup-join")
        thread = unquote(seg[index + 1]) if len(seg) > index + 1 else None
        return Match("meeting", thread)
    if seg and seg[0] == "meet" and len(seg) > 1:
        return Match("meeting", seg[1], p.param("p"))
    return Match("link")


_MEET_CODE = re.compile(r"^[a-z]{3}-[a-z]{4}-[a-z]{3}$")


def _meet(p: LinkParts) -> Match:
    seg = p.segments
    if p.host == "g.co":
        seg = seg[1:]  # g.co/meet/NAME
    if seg and _MEET_CODE.match(seg[0].lower()):
        return Match("meeting", seg[0].lower())
    if len(seg) > 1 and seg[0] == "lookup":
        return Match("meeting nickname", seg[1])
    if seg and seg[0] not in ("new", "landing", "_meet"):
        return Match("meeting nickname", seg[0])
    return Match("link")


def _webex(p: LinkParts) -> Match:
    seg = p.segments
    passcode = p.param("pwd", "password")
    action = (p.param("at") or "").upper()
    if action in ("HM", "ST", "LI", "SM"):
        # The URL API: host / start a meeting, log in; its PW= is the host's password.
        return Match("host link (URL API)", p.param("mk"),
                     not_shareable=f"a Webex URL API link (AT={action}): it acts as the host")
    mtid = p.param("mtid")
    if seg and seg[0] in ("meet", "join") and len(seg) > 1:
        return Match("personal room", seg[1], passcode)
    if "wbxmjs" in seg or "joinservice" in seg:
        if "download" in seg and seg.index("download") + 1 < len(seg):
            return Match("meeting", mtid or seg[seg.index("download") + 1], passcode)
        return Match("meeting", mtid, passcode)
    if seg and seg[-1].endswith(".php") and mtid:
        return Match("event" if seg[-1] == "e.php" else "meeting", mtid, passcode)
    return Match("link")


def _goto(p: LinkParts) -> Match:
    seg = p.segments
    if p.host == "app.gotomeeting.com" and p.param("meetingid"):
        return Match("meeting", p.param("meetingid"))
    if host_is(p.host, "gotomeeting.com") and len(seg) > 1 and seg[0] in ("join", "install"):
        return Match("meeting", seg[1])
    if seg and _DIGITS.match(seg[0]):
        return Match("meeting", seg[0])
    if seg:
        return Match("personal meeting room", seg[0])
    return Match("link")


def _chime(p: LinkParts) -> Match:
    seg = p.segments
    if seg and re.fullmatch(r"\d{10}", seg[0]):
        return Match("meeting", seg[0], p.param("pin"))
    if len(seg) > 1 and seg[0] == "meetings":
        return Match("meeting", seg[1], p.param("pin"))
    return Match("link")


def _jitsi(p: LinkParts) -> Match:
    seg = p.segments
    if not seg:
        return Match("link")
    # 8x8.vc rooms live under the tenant ("vpaas-magic-cookie-…/Room").
    room = seg[-1]
    if p.param("jwt"):
        return Match("room", room, not_shareable="it carries a JWT (jwt=): it signs in as the "
                     "person it was made for, often as moderator")
    return Match("room", room, search=p.room_url.rstrip("/"))


def _generic(p: LinkParts) -> Match:
    return Match("link", None, p.param(*PASSCODE_PARAMS))


def _self_hosted_jitsi(host: str) -> bool:
    return host.split(".")[0].startswith("jitsi")


RULES: tuple[LinkRule, ...] = (
    LinkRule("zoom", "Zoom", (
        "https://zoom.us/j/ID?pwd=PASSCODE (meeting; vanity and regional subdomains too: "
        "acme.zoom.us, us02web.zoom.us)",
        "https://zoom.us/s/ID?zak=… (start link: host)",
        "https://zoom.us/w/ID?tk=… (webinar; tk= is one registrant's own link)",
        "https://zoom.us/wc/join/ID, /wc/ID/start (web client)",
        "https://zoom.us/my/NAME (personal meeting room)",
        "https://zoom.us/meeting/register/ID (registration page)",
    ), lambda h: host_is(h, "zoom.us", "zoom.com", "zoomgov.com"), _zoom),
    LinkRule("teams", "Microsoft Teams", (
        "https://teams.microsoft.com/l/meetup-join/19%3ameeting_…%40thread.v2/0?context=…",
        "https://teams.microsoft.com/v2/?meetingjoin=true#/l/meetup-join/…",
        "https://teams.live.com/meet/ID?p=PASSCODE (and teams.microsoft.com/meet/ID?p=)",
    ), lambda h: host_is(h, "teams.microsoft.com", "teams.live.com", "teams.microsoft.us"),
        _teams),
    LinkRule("meet", "Google Meet", (
        "https://meet.google.com/abc-defg-hij",
        "https://meet.google.com/lookup/NICKNAME, https://g.co/meet/NICKNAME",
    ), lambda h: h == "meet.google.com" or h == "g.co", _meet),
    LinkRule("webex", "Webex", (
        "https://SITE.webex.com/meet/NAME, /join/NAME (personal room)",
        "https://SITE.webex.com/SITE/j.php?MTID=m… (meeting; e.php: event)",
        "https://SITE.webex.com/wbxmjs/joinservice/sites/SITE/meeting/download/HEX",
        "https://SITE.webex.com/SITE/m.php?AT=HM&MK=…&PW=… (URL API: host)",
    ), lambda h: host_is(h, "webex.com"), _webex),
    LinkRule("goto", "GoTo Meeting", (
        "https://meet.goto.com/ID (or /NAME: personal room)",
        "https://global.gotomeeting.com/join/ID, https://app.gotomeeting.com/?meetingId=ID",
        "https://gotomeet.me/NAME (personal room)",
    ), lambda h: host_is(h, "goto.com", "gotomeeting.com", "gotomeet.me"), _goto),
    LinkRule("chime", "Amazon Chime", (
        "https://chime.aws/ID (10 digits), https://app.chime.aws/meetings/ID",
    ), lambda h: host_is(h, "chime.aws"), _chime),
    LinkRule("jitsi", "Jitsi", (
        "https://meet.jit.si/Room, https://8x8.vc/TENANT/Room",
        "https://jitsi.example.org/Room (self-hosted: a host named jitsi…, or the domain "
        "of a configured Jitsi account)",
        "…/Room?jwt=… (signed in: not shareable)",
    ), lambda h: host_is(h, "meet.jit.si", "8x8.vc") or _self_hosted_jitsi(h), _jitsi),
)
"""The services meettui does not manage, in the order they are tried."""

GENERIC = LinkRule("link", "Web link", ("any other http(s) link",), lambda h: True, _generic)


def _lookalike_reason(parts: LinkParts) -> str:
    # An internationalised host (`zооm.us` with Cyrillic o's) is how phishing links pass
    # for real ones: it is kept, masked, until the user has checked it and shares it
    # knowingly (a note alone was easy to miss).
    if any(label.startswith("xn--") for label in parts.host.split(".")):
        return (f"an internationalised host name ({parts.host}) that may imitate a known "
                "site: check it before sharing")
    return ""


def recognise(text: str, *, rules: Iterable[LinkRule] = (),
              jitsi_domains: Iterable[str] = ()) -> Recognised:
    """What link `text` is. `rules` (the provider clients' own, `Provider.link_rules`)
    are tried before the built-in ones; `jitsi_domains` are hosts of configured Jitsi
    accounts (a self-hosted server has no tell-tale name). Raises BadLink (see
    `clean_url`)."""
    parts = clean_url(text)
    jitsi = {d.lower() for d in jitsi_domains}
    rule = next((r for r in (*rules, *RULES) if r.hosts(parts.host)), None)
    if rule is None and parts.host in jitsi:
        rule = next(r for r in RULES if r.service == "jitsi")
    if rule is None and parts.param("jwt") and len(parts.segments) == 1:
        # A room name and a JWT: how every self-hosted Jitsi with sign-in hands out links.
        rule = next(r for r in RULES if r.service == "jitsi")
    rule = rule or GENERIC
    match = rule.parse(parts)
    why = match.not_shareable or _token_reason(parts) or _lookalike_reason(parts)
    name = parts.host if rule is GENERIC else rule.name
    return Recognised(
        url=parts.url, service=rule.service, service_name=name, kind=match.kind,
        host=parts.host, meeting_id=match.meeting_id,
        # A passcode read from a link that must not be shared is not shown on its own.
        passcode=match.passcode if not why else None,
        shareable=not why, why=why, notes=parts.notes,
        search=match.search if match.search is not None else (None if why else parts.url),
        same=match.same,
    )


def _token_reason(parts: LinkParts) -> str:
    """Why `parts` carries a token (in its query or fragment), or ""."""
    fragment = dict((k.lower(), v) for k, v in parse_qsl(parts.fragment.lstrip("/"),
                                                           keep_blank_values=True))
    for name, value in (*parts.query.items(), *fragment.items()):
        if value and (name in TOKEN_PARAMS or name.endswith("token")):
            return f"it carries a token ({name}=): whoever has it signs in or hosts with it"
    return ""


def same_link(given: str, known: str) -> bool:
    """Whether the link `given` (pasted) opens what the link `known` (a meeting's own)
    opens: the same scheme, host and port (`:443` is https's own), the same path but
    for case (room names are case-blind at Jitsi; a key in a path may not be, but two
    differing only in case are not met) and a trailing '/', and every query parameter
    of `known` with its value; the fragment and any parameter `known` has not are left
    aside (a pasted `…/room/`, `…#config.…`, `?embed`, `?displayName=Bob` or
    `&locale=de` is the same meeting's link, and was copied in as another). Links that
    cannot be read compare as `normalise` makes them."""
    try:
        a, b = clean_url(given), clean_url(known)
    except BadLink:
        return normalise(given) == normalise(known)
    default = {"https": 443, "http": 80}
    if (a.scheme, a.host, a.port or default.get(a.scheme)) != (
            b.scheme, b.host, b.port or default.get(b.scheme)):
        return False
    if a.path.rstrip("/").casefold() != b.path.rstrip("/").casefold():
        return False
    return all(a.query.get(name) == value for name, value in b.query.items())


def normalise(url: str) -> str:
    """`url` as links are compared: cleaned (host lower-case), without a trailing '/'
    on a bare host; `url` as it is when it cannot be cleaned."""
    try:
        return clean_url(url).url.rstrip("/")
    except BadLink:
        return url.strip()
