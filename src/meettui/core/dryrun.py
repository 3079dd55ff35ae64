"""Dry runs: say which provider call a change would make, and make none.

While `dry_run()` is active (a context variable, so it covers exactly the coroutine
that set it), every request `ApiClient` sends passes a gate (an httpx request event
hook, so it sees the request as it would leave: the auth flow's headers on it). Reads
(GET, HEAD, OPTIONS, and the auth flow's own token requests) go through: a change may
need them (a provider that replaces a record whole reads it first; the service reads
capabilities). The first change (any other method) is stopped before it is sent and
raised as `DryRun`, carrying the request as `PlannedRequest` with its secrets masked.
Changes that never reach a provider (Jitsi rooms, local titles, forgetting a meeting)
are stopped by the service before it writes the cache (`local_change`).
"""

from __future__ import annotations

import contextvars
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl

from meettui.core.redact import MASK, redact

if TYPE_CHECKING:
    import httpx

CHANGE = "meettui.change"
"""The request extension `ApiClient` sets on requests that change something; its value
is `(path, shown)`: the path asked for and how it may be shown (None: as it is)."""
READS = frozenset({"GET", "HEAD", "OPTIONS"})

_active: contextvars.ContextVar[bool] = contextvars.ContextVar("meettui_dry_run",
                                                               default=False)

# Headers that carry credentials (RFC 9110 §11.6.2 Authorization, the providers' own
# key headers): their values never leave the process, only the scheme word.
SECRET_HEADERS = frozenset({"authorization", "proxy-authorization", "key", "x-api-key",
                            "api-key", "cookie", "x-auth-token"})
# Headers every request carries and that say nothing about the change.
PLAIN_HEADERS = frozenset({"host", "user-agent", "accept", "accept-encoding", "connection",
                           "content-length"})
SECRET_FIELDS = frozenset({"token", "access_token", "refresh_token", "id_token", "secret",
                           "client_secret", "password", "api_key", "apikey", "key",
                           "authorization", "jwt", "assertion", "client_assertion",
                           "roomkey", "jointoken", "user_token"})


@dataclass(frozen=True)
class PlannedRequest:
    """A request a change would send: method, URL, headers and body, secrets masked
    (credential headers keep their scheme only; token query parameters, token-like path
    segments and secret body fields read `***`). `body` is the parsed JSON value, the
    form fields as a dict, the text, or None."""

    method: str
    url: str
    headers: dict[str, str]
    body: Any = None

    def lines(self) -> list[str]:
        """The request as text: the request line, the headers, then the body (JSON
        indented)."""
        out = [f"{self.method} {self.url}"]
        out += [f"{name}: {value}" for name, value in self.headers.items()]
        if self.body is not None:
            text = self.body if isinstance(self.body, str) else \
                json.dumps(self.body, indent=2, ensure_ascii=False)
            out += text.splitlines()
        return out


@dataclass(eq=False)
class DryRun(Exception):  # noqa: N818 - it is not an error: it is the dry run's answer
    """The change that would be made, raised instead of making it. `requests` holds the
    provider calls in order (the first stopped one, then any a multi-step change would
    follow with), `local` what would change on this machine only, `then` what would
    follow that cannot be shown as a request. `account` is set by the service."""

    requests: list[PlannedRequest] = field(default_factory=list)
    local: list[str] = field(default_factory=list)
    then: list[str] = field(default_factory=list)
    account: str = ""

    def __post_init__(self) -> None:
        super().__init__("dry run")


def active() -> bool:
    """Whether a dry run is in progress in this context."""
    return _active.get()


@contextmanager
def dry_run(enabled: bool = True) -> Iterator[None]:
    """Within the block (and tasks it starts), changes are planned, not made."""
    token = _active.set(enabled)
    try:
        yield
    finally:
        _active.reset(token)


async def gate(request: httpx.Request) -> None:
    """The httpx request hook: raises DryRun for a change while a dry run is active."""
    if _active.get() and CHANGE in request.extensions:
        raise DryRun([planned(request)])


def local_change(description: str, account: str) -> None:
    """Raise DryRun for a change of `account` that stays on this machine, when a dry run
    is active (its report names the account, as a provider call's does)."""
    if _active.get():
        raise DryRun(local=[description], account=account)


def planned(request: httpx.Request) -> PlannedRequest:
    """`request` as a PlannedRequest, secrets masked."""
    url = str(request.url)
    path, shown = request.extensions.get(CHANGE) or (None, None)
    if path and shown and path in url:
        url = url.replace(path, shown, 1)
    headers = {name.title(): _header(name, value) for name, value in request.headers.items()
               if name.lower() not in PLAIN_HEADERS}
    return PlannedRequest(request.method, redact(url), headers, _body(request))


def _header(name: str, value: str) -> str:
    if name.lower() in SECRET_HEADERS:
        scheme, _, rest = value.partition(" ")
        return f"{scheme} {MASK}" if rest else MASK
    return redact(value)


def _body(request: httpx.Request) -> Any:
    content = request.content
    if not content:
        return None
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    text = content.decode("utf-8", "replace")
    if kind == "application/x-www-form-urlencoded":
        fields: dict[str, Any] = {}
        for key, value in parse_qsl(text, keep_blank_values=True):
            fields[key] = value if key not in fields else [
                *(fields[key] if isinstance(fields[key], list) else [fields[key]]), value]
        return masked(fields)
    if kind.endswith("json"):
        try:
            return masked(json.loads(text))
        except ValueError:
            pass
    if kind.startswith("multipart/"):
        return f"({kind} body, {len(content)} bytes)"
    return redact(text)


def masked(value: Any) -> Any:
    """A JSON value with the values of secret fields replaced by `***` and the rest of
    its strings redacted (`core/redact.py`)."""
    if isinstance(value, dict):
        return {k: MASK if _secret_field(k) else masked(v) for k, v in value.items()}
    if isinstance(value, list):
        return [masked(v) for v in value]
    if isinstance(value, str):
        return redact(value)
    return value


def _secret_field(name: object) -> bool:
    key = str(name).lower()
    # `user[token]`-style form names hold the field in brackets.
    return key in SECRET_FIELDS or key.rsplit("[", 1)[-1].rstrip("]") in SECRET_FIELDS
