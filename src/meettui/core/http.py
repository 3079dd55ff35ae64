"""The one way providers talk HTTP: timeouts, retries, Retry-After, rate budgets, errors.

Retries follow two rules. A 429 was not processed, so it is retried for every method
within a bounded total wait. A 5xx or a broken connection may have been processed, so
it is retried only for idempotent requests; a POST that fails that way is reported. The
auth flow's own request (an OAuth token request) creates nothing, and while it fails the
call itself is not sent: its 429, 5xx or lost answer is retried for every method, as a
safe request's is, and when it still fails the error names it and says that nothing was
sent.
"""

from __future__ import annotations

import asyncio
import email.utils
import json
import logging
import random
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol
from urllib.parse import quote

from meettui import __version__
from meettui.core import dryrun
from meettui.core.display import seconds
from meettui.core.errors import (
    AuthError,
    ConfigError,
    NotFound,
    OutcomeUnknown,
    ProviderError,
    RateLimited,
    Unavailable,
    ValidationError,
    inner_message,
)
from meettui.core.redact import redact

if TYPE_CHECKING:
    # Imported when a client is built (ApiClient): reading the cache, an offline
    # command never pays for httpx (and its own CLI, which pulls in rich and click).
    import httpx

log = logging.getLogger("meettui.http")

USER_AGENT = f"meettui/{__version__} (+https://github.com/meettui/meettui)"
IDEMPOTENT = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
# 500 included: the module rule is "a 5xx may have been processed, so retry it only
# when idempotent"; a transient 500 on a GET is as common as a 503.
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


def path_segment(value: str, *, provider: str = "") -> str:
    """`value` (an id, a token, a slug: anything not meettui's own) as exactly one URL
    path segment, to put between two `/` of a request path.

    Every character but the unreserved ones (RFC 3986 §2.3) is percent-encoded, `/`, `?`
    and `#` included, so `../rooms` or `ID?x=1` cannot reach another path or add a
    query. A segment that is `.` or `..` is encoded as `%2E` / `%2E%2E`: the literal ones
    are dot segments, which URL resolution removes (RFC 3986 §5.2.4; httpx does), so
    `/rooms/..` would be sent as the API root with the account's credentials.

    Raises NotFound (for `provider`) when `value` is empty: `/meetings/` would name the
    collection, not an item."""
    if not value:
        raise NotFound("an empty id names nothing", provider=provider)
    encoded = quote(value, safe="")
    if encoded in (".", ".."):
        return encoded.replace(".", "%2E")
    return encoded


NOT_SENT_HINT = "Nothing was sent, so nothing was made or changed: it is safe to try again."
"""The hint of a change whose auth flow's own request (a token request) failed."""
READ_LOST_HINT = ("The answer was lost on the way; a read changes nothing. The cached list "
                  "still works; try again.")
"""The hint of a read whose answer (or its token request's) was lost."""
READ_TIMEOUT_HINT = ("The provider gave no answer in time; a read changes nothing. The "
                     "cached list still works; try again later.")
"""The hint of a read that got no answer in time: the provider was reached."""
WRITE_TIMEOUT_HINT = ("No answer in time; it may or may not have been saved — refresh to "
                      "check before trying again.")
"""The hint of a change sent that got no answer in time."""


def _auth_request(exc: BaseException, request: httpx.Request) -> httpx.Request | None:
    """The auth flow's own request (a token request) when it is the one `exc` failed
    (httpx notes the failed request on the error), else None: the call `request` itself
    failed, or nothing says which did."""
    try:
        failed = exc.request  # type: ignore[attr-defined]
    except (AttributeError, RuntimeError):  # httpx raises RuntimeError when it is unset
        return None
    return failed if failed is not request else None


@dataclass(frozen=True)
class RetryPolicy:
    """How long and how often one request is tried. Every duration is in seconds."""

    max_attempts: int = 4
    backoff_base: float = 0.25
    backoff_max: float = 8.0
    max_total_wait: float = 20.0
    """Above this a Retry-After is not waited out: the caller gets RateLimited at once."""
    connect_timeout: float = 5.0
    read_timeout: float = 15.0
    deadline: float = 20.0
    """The most one request may take, every try and wait included: a provider that hangs
    costs the user this long, not `max_attempts` × `read_timeout`."""

    def backoff(self, attempt: int, rng: random.Random) -> float:
        # Full jitter: spreads retries of many clients instead of synchronising them.
        return rng.uniform(0, min(self.backoff_max, self.backoff_base * 2**attempt))


class RateBudget(Protocol):
    """A provider's own client-side budget (points or requests per window)."""

    async def acquire(self, method: str, path: str) -> None: ...

    def observe(self, response: httpx.Response) -> None: ...


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Retry-After is either delta-seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
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


@dataclass(frozen=True)
class ErrorMap:
    """A provider's error answers, declared once: how to read the body, and which class
    a status or a provider code becomes. Provider codes win over statuses; statuses not
    named fall back to the taxonomy's defaults (5xx → `Unavailable`)."""

    parse: ErrorParser = default_error_parser
    status: Mapping[int, ErrorRule] = field(default_factory=dict)
    codes: Mapping[str, ErrorRule] = field(default_factory=dict)
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
        rule = (self.codes.get(info.code) if info.code is not None else None) \
            or self.status.get(status) or _DEFAULT_STATUS.get(status)
        if rule is None:
            rule = ErrorRule(Unavailable if status >= 500 else ProviderError)
        note = f" — {rule.note}" if rule.note else ""
        body = response.text
        if rule.error is ValidationError or issubclass(rule.error, ValidationError):
            return ValidationError(info.message + note, field=info.field, provider=provider,
                                   status=status, body=body, hint=rule.hint)
        text = f"{where} → {status}: {info.message}{note}"
        if issubclass(rule.error, RateLimited):
            wait = parse_retry_after(response.headers.get("Retry-After"))
            if wait is None and self.retry_after is not None:
                wait = self.retry_after(response)
            return RateLimited(text, retry_after=wait, provider=provider, status=status,
                               body=body, hint=rule.hint)
        # An Unavailable with a status says the provider answered it (`answered_hint`).
        return rule.error(text, provider=provider, status=status, body=body, hint=rule.hint)


DEFAULT_ERRORS = ErrorMap()


@dataclass
class ApiClient:
    provider: str
    base_url: str
    auth: httpx.Auth | None = None
    policy: RetryPolicy = field(default_factory=RetryPolicy)
    budget: RateBudget | None = None
    errors: ErrorMap = DEFAULT_ERRORS
    transport: httpx.AsyncBaseTransport | None = None
    headers: dict[str, str] = field(default_factory=dict)
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep
    rng: random.Random = field(default_factory=random.Random)
    notice: Callable[[str], None] | None = None
    """Told what a request is waiting for ("rate limited, retrying in 17 s"), so the UI
    can show it instead of a bare "loading"."""

    def __post_init__(self) -> None:
        import httpx

        self._client = httpx.AsyncClient(
            base_url=self.base_url,
            auth=self.auth,
            transport=self.transport,
            timeout=httpx.Timeout(
                self.policy.read_timeout, connect=self.policy.connect_timeout
            ),
            headers={"User-Agent": USER_AGENT, "Accept": "application/json", **self.headers},
            follow_redirects=False,
            # A dry run stops the first change here, as it would leave (core/dryrun.py).
            event_hooks={"request": [dryrun.gate]},
        )

    def __repr__(self) -> str:
        return f"ApiClient(provider={self.provider!r}, base_url={redact(self.base_url)!r})"

    async def aclose(self) -> None:
        await self._client.aclose()

    async def request(
        self,
        method: str,
        path: str,
        *,
        idempotent: bool | None = None,
        expected: tuple[int, ...] = (),
        shown: str | None = None,
        **kwargs: Any,
    ) -> httpx.Response:
        """Send with retries; return a 2xx response (or one in `expected`), else raise.

        `shown` is how the path appears in logs and errors: a path that carries a join
        token (user-level calls that carry one) passes a masked form here.
        """
        import httpx

        method = method.upper()
        idempotent = method in IDEMPOTENT if idempotent is None else idempotent
        policy = self.policy
        waited = 0.0
        began = time.monotonic()
        where = f"{method} {shown if shown is not None else redact(path)}"
        failure: ProviderError = Unavailable(f"{where}: no answer", provider=self.provider)
        if method not in dryrun.READS:
            kwargs["extensions"] = {**kwargs.get("extensions", {}), dryrun.CHANGE: (path, shown)}


        def spent() -> float:
            # Real time, or the waits asked for when sleeping is simulated (tests).
            return max(time.monotonic() - began, waited)

        for attempt in range(policy.max_attempts):
            left = policy.deadline - spent()
            if left <= 0:
                break
            if self.budget is not None:
                await self.budget.acquire(method, path)
            started = time.perf_counter()
            # Set when this attempt never reached the endpoint (no connection, or the auth
            # flow's own token request failed): nothing was done, so a change that fails
            # so is never said to be possibly made ("the change may have been made").
            unsent = False
            # Set when the auth flow's own request failed: it creates nothing, so it is
            # retried for every method (a lost token answer was "POST … the answer was
            # lost", though the POST had never been sent).
            via_auth = False
            timeout = httpx.Timeout(min(policy.read_timeout, left),
                                    connect=min(policy.connect_timeout, left))
            # Built here, not inside `request()`, so an error can be told to be this
            # request's or the auth flow's own (`_auth_request`).
            request = self._client.build_request(method, path, timeout=timeout, **kwargs)
            try:
                response = await self._client.send(request)
            except (httpx.UnsupportedProtocol, httpx.InvalidURL, httpx.LocalProtocolError) as exc:
                # Built wrongly on this machine (a base_url or a secret): no network fault,
                # so no retry, and no "try again later".
                raise ConfigError(
                    f"{self.provider}: {where} cannot be sent: {type(exc).__name__}: {exc}.",
                    hint="Check the account's base_url (an http:// or https:// address) and "
                    "that its secrets hold no line breaks.",
                ) from None
            except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as exc:
                # Never reached the server: nothing was done, a retry is safe. (The class
                # hint, "could not be reached", is said of this case only.)
                token_request = _auth_request(exc, request)
                what = f"failed: connection problem ({type(exc).__name__})"
                failure = Unavailable(
                    f"{where} {what}" if token_request is None
                    else self._not_sent(where, token_request, what),
                    provider=self.provider,
                    hint=None if token_request is None or method in dryrun.READS
                    else NOT_SENT_HINT,
                )
                unsent = True
                via_auth = token_request is not None
            except (httpx.TransportError, ConnectionError) as exc:
                # Sent, then lost (ConnectionError: an in-process server that dropped it),
                # or sent and not answered in time: either way the provider was reached.
                timed_out = isinstance(exc, httpx.TimeoutException)
                # The read timeout may be what the deadline left (4.87352 s): rounded.
                what = (f"got no answer within {seconds(timeout.read or 0)} s"
                        if timed_out else f"failed: connection problem ({type(exc).__name__})")
                read_hint = READ_TIMEOUT_HINT if timed_out else READ_LOST_HINT
                token_request = _auth_request(exc, request)
                if token_request is not None:
                    # The token request's answer was lost: the call itself was never sent
                    # (or was refused with a 401 before a new token), so nothing was done.
                    failure = Unavailable(
                        self._not_sent(where, token_request, what), provider=self.provider,
                        hint=read_hint if method in dryrun.READS else NOT_SENT_HINT,
                        reached=True)
                    unsent = via_auth = True
                elif not idempotent:
                    # (What to do, refresh and check, is the hint's.)
                    raise OutcomeUnknown(
                        f"{where} {what}; it may or may not have been saved" if timed_out
                        else f"{where} {what} after it was sent; the answer was lost",
                        provider=self.provider,
                    ) from None
                elif method in dryrun.READS:
                    failure = Unavailable(f"{where} {what}", provider=self.provider,
                                          reached=True, hint=read_hint)
                else:
                    # A change safe to repeat (PUT, DELETE) is tried again; if its last
                    # try's answer is lost too, whether it was made is not known either.
                    failure = OutcomeUnknown(
                        f"{where} {what}", provider=self.provider,
                        hint=WRITE_TIMEOUT_HINT if timed_out
                        else "The request was sent but its answer was lost: the provider "
                        "may have done it. Refresh to check before trying again.",
                    )
            except (RateLimited, Unavailable) as exc:
                # Raised by the auth flow's own request (an OAuth token endpoint that
                # throttles or fails, core/auth.py): the call could not be made, and the
                # token request creates nothing, so it is retried for every method.
                failure = exc
                unsent = via_auth = True
                if isinstance(exc, Unavailable):
                    # A read keeps what the token request's answer says (a 503's hint).
                    failure = Unavailable(
                        f"{where} was not sent (nothing was made or changed): "
                        f"its {inner_message(exc)}",
                        provider=self.provider, status=exc.status, body=exc.body,
                        hint=exc.hint if method in dryrun.READS else NOT_SENT_HINT,
                        reached=exc.reached)
                if isinstance(failure, RateLimited):
                    waited = await self._wait_out(failure, attempt, waited, where, spent())
                    continue
            else:
                elapsed = (time.perf_counter() - started) * 1000
                log.debug("%s -> %s in %.0f ms", where, response.status_code, elapsed)
                if self.budget is not None:
                    self.budget.observe(response)
                if response.is_success or response.status_code in expected:
                    return response
                failure = self._error_for(response, where)
                if response.status_code not in RETRY_STATUSES:
                    raise failure
                if isinstance(failure, RateLimited):
                    waited = await self._wait_out(failure, attempt, waited, where, spent())
                    continue
            if not idempotent and not via_auth:
                if not unsent and failure.status is not None and failure.status >= 500:
                    # A change answered 5xx may have been done before the server failed.
                    raise OutcomeUnknown(
                        f"{inner_message(failure)}; the change may have been made before "
                        "the server failed",
                        provider=self.provider, status=failure.status, body=failure.body,
                    )
                raise failure
            if attempt + 1 < policy.max_attempts:
                wait = min(policy.backoff(attempt, self.rng), max(0.0, policy.deadline - spent()))
                log.info("%s: %s; retry %d in %.2f s", where, failure.message, attempt + 1, wait)
                self._tell(f"no good answer, retrying ({attempt + 1} of "
                           f"{policy.max_attempts - 1})")
                await self.sleep(wait)
                waited += wait
        if spent() >= policy.deadline and not isinstance(failure, RateLimited):
            message = (f"{where} got no good answer within {seconds(policy.deadline)} s; "
                       f"{_last_try(inner_message(failure), where)}")
            # What the last try met decides what to do (a 503, no answer in time), and
            # whether the change may have been made.
            if isinstance(failure, OutcomeUnknown):
                raise OutcomeUnknown(message, provider=self.provider, status=failure.status,
                                     body=failure.body, hint=failure.hint)
            raise Unavailable(
                message, provider=self.provider, status=failure.status, body=failure.body,
                hint=failure.hint,
                reached=isinstance(failure, Unavailable) and failure.reached,
            )
        raise failure

    @staticmethod
    def _not_sent(where: str, token_request: httpx.Request, what: str) -> str:
        """The message of a call not sent because its auth flow's own request failed
        (`what`: "got no answer within 5 s", "failed: connection problem (…)"); the token
        request is named by method and path only (its query may carry the client's
        credentials)."""
        return (f"{where} was not sent (nothing was made or changed): its token request "
                f"{token_request.method} {token_request.url.path} {what}")

    def _tell(self, text: str) -> None:
        if self.notice is not None:
            self.notice(text)

    async def _wait_out(self, failure: RateLimited, attempt: int, waited: float,
                        where: str, spent: float) -> float:
        """Wait what a 429 asks (or a backoff) unless that passes the policy's bounds (the
        total wait, the request's deadline), in which case `failure` is raised at once;
        returns the total waited so far. `spent` is the request's time so far."""
        policy = self.policy
        wait = failure.retry_after
        if wait is None:
            wait = policy.backoff(attempt, self.rng)
        if waited + wait > policy.max_total_wait or spent + wait > policy.deadline:
            raise failure
        if attempt + 1 < policy.max_attempts:
            log.info("%s rate limited; waiting %.1f s", where, wait)
            self._tell(f"rate limited, retrying in {max(1, round(wait))} s")
            await self.sleep(wait)
            waited += wait
        return waited

    async def json(self, method: str, path: str, *, idempotent: bool | None = None,
                   **kwargs: Any) -> Any:
        """`request`, then the answer's JSON. A change (non-idempotent) whose answer
        arrives unreadable raises OutcomeUnknown: the provider did something, meettui
        cannot tell what."""
        response = await self.request(method, path, idempotent=idempotent, **kwargs)
        shown = kwargs.get("shown")
        where = f"{method.upper()} {shown if shown else redact(path)}"
        try:
            return parse_json(response, self.provider, where)
        except ProviderError as exc:
            if (method.upper() in IDEMPOTENT) if idempotent is None else idempotent:
                raise
            raise OutcomeUnknown(
                f"{where} was answered {response.status_code}, but the answer arrived "
                "unreadable", provider=self.provider, status=response.status_code,
                body=response.text,
            ) from exc

    def _error_for(self, response: httpx.Response, where: str) -> ProviderError:
        return self.errors.error_for(response, where, self.provider)


def _last_try(failure: str, where: str) -> str:
    """What the last try of `where` met, as the end of a sentence that began with the
    request: "the last try got no answer within 15 s", "… was answered 503: Service
    Unavailable"; `failure` is that try's message (`inner_message`), which names the
    request again, so the request is not said twice."""
    rest = failure.removeprefix(f"{where} ")
    if rest == failure:
        return f"the last try: {failure}"
    if rest.startswith("→ "):  # `ErrorMap.error_for`: "GET /x → 503: Service Unavailable"
        return f"the last try was answered {rest[2:]}"
    return f"the last try {rest}"


def parse_json(response: httpx.Response, provider: str, where: str) -> Any:
    if response.status_code == 204 or not response.content:
        return None
    try:
        return response.json()
    except (ValueError, json.JSONDecodeError) as exc:
        raise ProviderError(
            f"{where} returned a malformed response (not JSON: {exc.__class__.__name__})",
            provider=provider,
            status=response.status_code,
            body=response.text,
            hint="The provider sent something meettui cannot read; the cache was left as it was.",
        ) from None
