"""A provider's error answers as meettui's errors: reading an error body (`ErrorInfo`,
`default_error_parser`), the map from a status or a provider code to an error class
(`ErrorRule`, `ErrorMap`), and the wait a 429 asks for (`parse_retry_after`).

`ApiClient` (`http.py`) asks `ErrorMap.error_for` about every answer that is neither 2xx
nor expected; each provider declares its own map (its `errors.py`).
"""

from __future__ import annotations

import email.utils
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, NamedTuple

from meettui.core import dryrun
from meettui.core.errors import (
    AuthError,
    NotFound,
    ProviderError,
    RateLimited,
    Unavailable,
    ValidationError,
)

if TYPE_CHECKING:
    # Imported when a client is built (ApiClient, `http.py`): reading the cache, an
    # offline command never pays for httpx.
    import httpx


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Retry-After is either delta-seconds or an HTTP date; None when absent or neither
    (a date in the past waits 0 s; one far ahead is said as its date, `retry_advice`)."""
    if not value:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        pass
    else:
        # "inf" and "nan" read as numbers; no wait can be made of them.
        return max(0.0, seconds) if math.isfinite(seconds) else None
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class ErrorInfo(NamedTuple):
    """What an error body says, in the provider's own terms."""

    message: str
    field: str | None = None
    """The request field the error is about, named as the provider names it or already
    translated to a form field by the provider's parser."""
    code: str | None = None
    """A provider error code (an `errorCode` or an error class `name`), as text."""


ErrorParser = Callable[["httpx.Response"], ErrorInfo]
"""Reads an error response in the provider's error shape."""

_MESSAGE_KEYS = ("error", "message", "detail", "title", "errorMessage", "error_description",
                 "hydra:description", "hydra:title")
_CODE_KEYS = ("errorCode", "code", "name")


def default_error_parser(response: httpx.Response) -> ErrorInfo:
    """The common error shapes: `{"error": ...}`, RFC 6749's
    `error_description`, RFC 7807's `detail`/`title` (API gateways), services'
    `{message, name}` and `{errorCode, errorMessage}`, and API Platform's
    `hydra:description`. A body that is not JSON gives its status line, never the body
    (gateways answer with whole HTML pages)."""
    try:
        body = response.json()
    except ValueError:
        return ErrorInfo(_status_line(response))
    if not isinstance(body, dict):
        return ErrorInfo(_status_line(response))
    message = next((body[k] for k in _MESSAGE_KEYS
                    if isinstance(body.get(k), str) and body[k]), "")
    field_name = body.get("field") if isinstance(body.get("field"), str) else None
    code = next((str(body[k]) for k in _CODE_KEYS
                 if isinstance(body.get(k), str | int) and not isinstance(body.get(k), bool)),
                None)
    return ErrorInfo(message or _status_line(response), field_name, code)


def _status_line(response: httpx.Response) -> str:
    reason = response.reason_phrase or ""
    return f"{response.status_code} {reason}".strip()


def _answer(status: int, reason: str, message: str) -> str:
    """"503: the service is down for maintenance", or "503 Service Unavailable" when
    `message` says nothing but the status line, its number or its reason (in any case,
    with any punctuation around it): "503: 503 Service Unavailable" said it twice, and a
    500 whose body said "Internal Server Error" read "500: Internal Server Error" where
    a 503 read "503 Service Unavailable"."""
    said = message.strip().strip(".:").strip().casefold()
    line = f"{status} {reason}".strip()
    only_status = {line.casefold(), str(status), f"http {status}", f"http {line}".casefold(),
                   f"{status}: {reason}".casefold()}
    if reason.strip():
        only_status.add(reason.strip().casefold())
    if not said or said in only_status:
        return line
    return f"{status}: {message}"


@dataclass(frozen=True)
class ErrorRule:
    """How one status or provider code maps onto the taxonomy."""

    error: type[ProviderError]
    hint: str | None = None
    """Replaces the error class's own hint."""
    note: str = ""
    """Appended to the message: what the status means at this provider."""


# The taxonomy's reading of HTTP statuses (DESIGN.md, "Errors"); a provider's map
# overrides single statuses.
_DEFAULT_STATUS: dict[int, ErrorRule] = {
    401: ErrorRule(AuthError),
    403: ErrorRule(AuthError,
                   hint="The credentials work but lack permission for this action."),
    404: ErrorRule(NotFound),
    410: ErrorRule(NotFound),
    429: ErrorRule(RateLimited),
    400: ErrorRule(ValidationError),
    409: ErrorRule(ValidationError),
    422: ErrorRule(ValidationError),
}


READ_REFUSED_HINT = ("A read changes nothing. The provider refused the request meettui "
                     "made from the account's settings: check them in the config file "
                     "(`meettui locate` shows where); if they are right, the provider's API "
                     "may have changed.")
"""What to do about a read answered as a refused value (400, 409, 422): nothing was
submitted, so "Correct the value and submit again" fitted nothing."""


@dataclass(frozen=True)
class ErrorMap:
    """A provider's error answers, declared once: how to read the body, and which class
    a status or a provider code becomes. Provider codes win over statuses; statuses not
    named fall back to the taxonomy's defaults (5xx → `Unavailable`). A status answered
    with a code that `codes` does not name is read by `coded_status` first."""

    parse: ErrorParser = default_error_parser
    status: Mapping[int, ErrorRule] = field(default_factory=dict)
    codes: Mapping[str, ErrorRule] = field(default_factory=dict)
    coded_status: Mapping[int, ErrorRule] = field(default_factory=dict)
    """Statuses read otherwise when the body carries a provider code that `codes` does
    not name: the service itself read the request and refused it by one of its rules (a
    full session, a room limit), where the same status with no code (a gateway's) is
    about the credentials. A 403 "Your ticket type cannot register for this session"
    said "the credentials … lack permission" and marked the account "auth failed"."""
    retry_after: Callable[[httpx.Response], float | None] | None = None
    """Reads a 429's wait from the body when `Retry-After` is absent."""

    def error_for(self, response: httpx.Response, where: str, provider: str) -> ProviderError:
        """The taxonomy error for an answer that is neither 2xx nor expected.

        `where` is `"METHOD /path"` as it may be shown (no tokens). A validation error's
        message is the provider's own text (it is shown at the form field); others say
        where and which status."""
        status = response.status_code
        try:
            info = self.parse(response)
        except Exception:  # noqa: BLE001 - a broken error body must not hide the status
            info = ErrorInfo(_status_line(response))
        rule = (self.codes.get(info.code) or self.coded_status.get(status)
                if info.code is not None else None) \
            or self.status.get(status) or _DEFAULT_STATUS.get(status)
        if rule is None:
            rule = ErrorRule(Unavailable if status >= 500 else ProviderError)
        note = f" — {rule.note}" if rule.note else ""
        body = response.text
        # "→ 503: 503 Service Unavailable": a body (or a parser) that says only the status
        # line, or its reason, is said once, as the status line.
        answer = _answer(status, response.reason_phrase or "", info.message)
        if issubclass(rule.error, ValidationError) and rule.hint is None \
                and where.partition(" ")[0] in dryrun.READS:
            # No value was given to correct: the request itself (a list, a refresh) was
            # refused. Said with the request and its status, as any failed read.
            return ProviderError(f"{where} → {answer}{note}",
                                 provider=provider, status=status, body=body,
                                 hint=READ_REFUSED_HINT)
        if issubclass(rule.error, ValidationError):
            return ValidationError(info.message + note, field=info.field, provider=provider,
                                   status=status, body=body, hint=rule.hint)
        text = f"{where} → {answer}{note}"
        if issubclass(rule.error, RateLimited):
            wait = parse_retry_after(response.headers.get("Retry-After"))
            if wait is None and self.retry_after is not None:
                wait = self.retry_after(response)
            return RateLimited(text, retry_after=wait, provider=provider, status=status,
                               body=body, hint=rule.hint)
        # An Unavailable with a status says the provider answered it (`answered_hint`).
        return rule.error(text, provider=provider, status=status, body=body, hint=rule.hint)


DEFAULT_ERRORS = ErrorMap()
