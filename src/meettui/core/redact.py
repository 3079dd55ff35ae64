"""Keep secrets out of logs, error text and the cache.

Every secret meettui reads (API keys, tokens) is registered here the moment it is
loaded; anything that leaves the process as text passes through `redact`.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable

MASK = "***"

_lock = threading.Lock()
_secrets: set[str] = set()
# Values masked in text but kept in the cache (`hide`), oldest first, at most HIDDEN_MAX.
_hidden: dict[str, None] = {}
HIDDEN_MAX = 1024
"""How many hidden values are kept: the oldest goes first (each `redact` looks at all)."""
# `_secrets` and `_hidden` together, longest first (a secret inside a longer one must not
# cut it short), as `redact` replaces them; None once either has changed, sorted again
# by the next `redact` (`_longest_first`), not on every call.
_sorted: tuple[str, ...] | None = None

# Token-bearing query parameters and auth headers, whatever their value is.
_PATTERNS = [
    re.compile(
        r"(?i)\b(roomKey|room_token|participant_token|token|access_token|refresh_token|id_token|api_key|apikey|key"
        r"|jwt|secret|client_secret|client_assertion|assertion)=([^&\s\"'#]+)"
    ),
    re.compile(r"(?i)\b(Bearer|Basic)\s+[A-Za-z0-9\-._~+/]+=*"),
    re.compile(r"(?i)\b(authorization|x-api-key|key)\"?\s*[:=]\s*\"?[^\s\",}]+"),
]

# A header value (or name, or a whole header line) that httpx's HTTP/1.1 layer echoes in
# its error: h11's `LocalProtocolError("Illegal header value b'...'")` for a value holding
# a line break, its `RemoteProtocolError("illegal header line: b'...'")` for an answer's.
# The value may be any credential of any auth header, in any scheme, so the whole quoted
# repr goes, whatever it holds; a repr cut short (no closing quote) goes to the line end.
_HEADER_ECHO = re.compile(
    r"(?i)\b(illegal header (?:value|name|line)):?\s*"
    r"(?:b?'(?:[^'\\\n]|\\.)*'|b?\"(?:[^\"\\\n]|\\.)*\"|b?['\"][^\n]*)"
)

# The user information of a URL (`http://user:password@host`): whatever it holds is a
# credential. Up to the last `@` before the path, as URL parsers read it.
_URL_USERINFO = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://)[^\s/?#@]*(?:@[^\s/?#@]*)*@")

# A whole URL path segment or query value (after `/`, `?`, `=` or `&`) of 16+ letters,
# digits, `-` or `_`: an access token when it mixes upper case with lower case or
# digits, as the 24-character host and guest tokens of user-level calls do
# (`/permalink/G5Ik4VFW7nc09nMAp5ITIR1A`, `permalink?G5Ik…`). Ids stay readable: UUIDs,
# 24-hex object ids and generated room names have no upper case, and hex (of either
# case, with dashes) is never masked.
_TOKEN_LIKE = re.compile(r"(?<=[/?=&])[A-Za-z0-9_-]{16,}(?=$|[/?&#\s\"'<>(),;:.\]])")
_HEX = re.compile(r"[0-9A-Fa-f-]+")


def register_secret(value: str | None) -> None:
    """Mask `value` in every text `redact` and `scrub_secrets` see from now on, as it is
    and as a repr or JSON string shows it (a line break as `\\n`: error texts quote
    values that way). Values under 6 characters are ignored: short values would redact
    innocent text everywhere, and real keys are long."""
    if not value or len(value) < 6:
        return
    forms = {value, repr(value)[1:-1], json.dumps(value)[1:-1],
             repr(value.encode("utf-8", "backslashreplace"))[2:-1]}
    with _lock:
        new = {form for form in forms if len(form) >= 6} - _secrets
        if new:
            _secrets.update(new)
            _changed()


def hide(value: str | None) -> None:
    """Mask `value` in every text `redact` sees from now on (error messages, the log,
    an account's health), but not in what the cache stores (`scrub_secrets`, which
    masks credentials only): a host's token that a request path carried is part of a
    host link the cache keeps, and a provider's error may quote it bare ("user token
    … cannot start this permalink now"), where no token shape gives it away. Values
    under 12 characters are ignored (an id or a word would go with them)."""
    if not value or len(value) < 12:
        return
    with _lock:
        if value in _hidden:
            del _hidden[value]  # (put back below as the newest)
        else:
            _changed()
        _hidden[value] = None
        while len(_hidden) > HIDDEN_MAX:
            del _hidden[next(iter(_hidden))]
            _changed()


_link_shapes: list[re.Pattern[str]] = []


def hide_links_like(pattern: str) -> None:
    """Mask, in every text `redact` sees from now on, the part after group 1 of each
    match of `pattern`: a provider's host links of a shape no token gives away (one
    that opens for the logged-in host only, its path an id), quoted in a provider's
    error text. A provider registers its shape once, where its links are made."""
    compiled = re.compile(pattern)
    with _lock:
        if all(shape.pattern != pattern for shape in _link_shapes):
            _link_shapes.append(compiled)


def clean_secret(value: str | None) -> str | None:
    """A secret as read from outside meettui (an environment variable, a keyring entry,
    a key file), ready to use: surrounding whitespace dropped, and registered for
    redaction. None when nothing is left.

    The one place this rule lives: a trailing line break is never part of a key, yet
    secret files and `$(cat key)` bring one, and a key sent with it is an illegal header
    value that httpx refuses (and used to quote in its error). Whitespace inside a value
    is kept: a PEM key has line breaks of its own."""
    if value is None:
        return None
    value = value.strip()
    if not value:
        return None
    register_secret(value)
    return value


def redact(text: str) -> str:
    """`text` with every registered secret and hidden value (`hide`), token-bearing query
    value, auth header value,
    header value quoted by the HTTP layer and URL user information (`user:password@`)
    replaced by `***`."""
    if not text:
        return text
    with _lock:
        secrets = _longest_first()
        shapes = list(_link_shapes)
    for secret in secrets:
        if secret in text:
            text = text.replace(secret, MASK)
    for shape in shapes:
        text = shape.sub(lambda m: f"{m.group(1)}{MASK}", text)
    text = _HEADER_ECHO.sub(lambda m: f"{m.group(1)} {MASK}", text)
    text = redact_userinfo(text)
    text = _PATTERNS[0].sub(lambda m: f"{m.group(1)}={MASK}", text)
    text = _PATTERNS[1].sub(lambda m: f"{m.group(1)} {MASK}", text)
    text = _TOKEN_LIKE.sub(_mask_token_like, text)
    return text


def _changed() -> None:
    """`_secrets` or `_hidden` changed: `redact` sorts them again. Under `_lock`."""
    global _sorted
    _sorted = None


def _longest_first() -> tuple[str, ...]:
    """Every registered secret and hidden value, longest first: sorted once per change
    of the registries, not on every `redact`. Under `_lock`."""
    global _sorted
    if _sorted is None:
        _sorted = tuple(sorted(_secrets.union(_hidden), key=len, reverse=True))
    return _sorted


def redact_userinfo(text: str) -> str:
    """`text` with the user information of every URL in it (`user:password@`, `token@`)
    replaced by `***`, and nothing else changed: for a URL that is shown whole (the
    token URL an OAuth flow names), where `redact` would also mask its ids."""
    return _URL_USERINFO.sub(lambda m: f"{m.group(1)}{MASK}@", text)


def _mask_token_like(match: re.Match[str]) -> str:
    value = match.group(0)
    if _HEX.fullmatch(value) or not any(c.isupper() for c in value):
        return value
    if any(c.islower() or c.isdigit() for c in value):
        return MASK
    return value


def clear_registered_secrets() -> None:
    """For tests only."""
    with _lock:
        _secrets.clear()
        _hidden.clear()
        _changed()


def scrub_secrets(text: str) -> str:
    """Replace registered secret values only (links with room keys may stay)."""
    return secret_scrubber()(text)


def secret_scrubber() -> Callable[[str], str]:
    """`scrub_secrets` for the secrets registered now: one look at the registry for a
    batch of texts (a cache write scrubs three texts of every meeting of a page)."""
    with _lock:
        secrets = sorted(_secrets, key=len, reverse=True)
    if not secrets:
        return _unchanged

    def scrub(text: str) -> str:
        for secret in secrets:
            if secret in text:
                text = text.replace(secret, MASK)
        return text

    return scrub


def _unchanged(text: str) -> str:
    return text
