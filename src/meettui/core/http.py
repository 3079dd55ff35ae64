"""The one way providers talk HTTP: timeouts, retries, Retry-After, rate budgets, errors.

Retries follow two rules. A 429 was not processed, so it is retried for every method
within a bounded total wait. A 5xx or a broken connection may have been processed, so
it is retried only for idempotent requests; a POST that fails that way is reported. The
auth flow's own request (an OAuth token request) creates nothing, and while it fails the
call itself is not sent: its 429, 5xx or lost answer is retried for every method, as a
safe request's is, and when it still fails the error names it and says that nothing was
sent.

The errors themselves are made beside this: a provider's error answers are read by
`http_errors.py` (`ErrorMap`), and what the loop says of a try that got no usable answer
(not sent, not reached, lost, late) is `http_failures.py`'s.
"""

from __future__ import annotations

import asyncio
import json
import logging
import math
import random
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import quote

from meettui import __version__
from meettui.core import dryrun
from meettui.core.display import wait_text
from meettui.core.errors import (
    AuthError,
    DoneUnread,
    NotFound,
    OutcomeUnknown,
    ProviderError,
    RateLimited,
    Unavailable,
)
from meettui.core.http_errors import DEFAULT_ERRORS, ErrorMap
from meettui.core.http_failures import (
    answer_lost,
    cannot_send,
    maybe_made,
    out_of_time,
    token_request_failed,
    token_request_refused,
    token_request_throttled,
    unreached,
)
from meettui.core.redact import hide, redact

if TYPE_CHECKING:
    # Imported when a client is built (ApiClient): reading the cache, an offline
    # command never pays for httpx (and its own CLI, which pulls in rich and click).
    import httpx

log = logging.getLogger("meettui.http")

REFUSAL_NOTE = "meettui.refusal_note"
"""The `httpx.Response.extensions` key under which an auth flow says why a 401 was more
likely than wrong credentials (`auth_jwt.clock_disagreement`: a JWT the provider's clock
saw expired); `ApiClient` makes it the error's hint."""

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


def hide_shown(path: str, shown: str) -> None:
    """Hide (`redact.hide`) each segment of `path` that `shown`, its masked form, masks:
    a token the path carries, which the provider's answer may quote bare."""
    from urllib.parse import unquote

    for sent, said in zip(path.split("/"), shown.split("/"), strict=False):
        if sent != said:
            hide(sent)
            hide(unquote(sent))


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
    account: str | None = None
    """The account whose calls these are: the log's lines name it ("team (provider) GET
    /meetings: …"), as the errors do; with two accounts of one provider the provider
    alone said nothing of which one waited."""

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
        if shown is not None:
            hide_shown(path, shown)
        where = f"{method} {shown if shown is not None else redact(path)}"
        failure: ProviderError = Unavailable(f"{where}: no answer", provider=self.provider)
        # Set once a DELETE's try was sent and its answer lost: a 404 on a later try is
        # then most likely that try's own work (`NotFound.after_lost`).
        lost_delete = False
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
            # request's or the auth flow's own (`http_failures._auth_request`).
            request = self._client.build_request(method, path, timeout=timeout, **kwargs)
            try:
                response = await self._client.send(request)
            except (httpx.UnsupportedProtocol, httpx.InvalidURL, httpx.LocalProtocolError) as exc:
                # Built wrongly on this machine (a base_url or a secret): no network fault,
                # so no retry, and no "try again later".
                raise cannot_send(exc, where, self.provider) from None
            except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as exc:
                # Never reached the server: nothing was done, a retry is safe.
                failure, via_auth = unreached(exc, request, where, method, self.provider)
                unsent = True
            except (httpx.TransportError, ConnectionError) as exc:
                # Sent, then lost (ConnectionError: an in-process server that dropped it),
                # or sent and not answered in time: either way the provider was reached.
                # Nothing was done if it was the auth flow's own request that failed; a
                # change not safe to repeat raises OutcomeUnknown here.
                failure, via_auth = answer_lost(exc, request, where, method, idempotent,
                                                self.provider, timeout.read)
                unsent = via_auth
                lost_delete = lost_delete or (method == "DELETE" and not via_auth)
            except (RateLimited, Unavailable) as exc:
                # Raised by the auth flow's own request (an OAuth token endpoint that
                # throttles or fails, core/auth_oauth.py): the call could not be made, and the
                # token request creates nothing, so it is retried for every method.
                unsent = via_auth = True
                if isinstance(exc, Unavailable):
                    # A read keeps what the token request's answer says (a 503's hint).
                    failure = token_request_failed(exc, where, method, self.provider)
                else:
                    # Said as the others are, the wait it asked for kept.
                    failure = token_request_throttled(exc, where, method, self.provider)
                if isinstance(failure, RateLimited):
                    waited = await self._wait_out(failure, attempt, waited, where, spent())
                    continue
            except ProviderError as exc:
                # The auth flow's own request was refused or answered unreadably (an
                # OAuth token request, core/auth_oauth.py): the call was never sent.
                # It said only the token request's failure, not that GET /meetings was
                # not sent, nor (for a change) that nothing was made.
                raise token_request_refused(exc, where, method, self.provider) from None
            else:
                elapsed = (time.perf_counter() - started) * 1000
                log.debug("%s %s -> %s in %.0f ms", self._who, where, response.status_code,
                          elapsed)
                if self.budget is not None:
                    self.budget.observe(response)
                if response.is_success or response.status_code in expected:
                    return response
                failure = self._error_for(response, where)
                if response.status_code not in RETRY_STATUSES:
                    if lost_delete and isinstance(failure, NotFound):
                        log.info("%s %s: gone on a retry after a try whose answer was "
                                 "lost: taken as deleted by that try", self._who, where)
                        failure.after_lost = True
                    raise failure
                if isinstance(failure, RateLimited):
                    waited = await self._wait_out(failure, attempt, waited, where, spent())
                    continue
            if not idempotent and not via_auth:
                if not unsent and failure.status is not None and failure.status >= 500:
                    # A change answered 5xx may have been done before the server failed.
                    raise maybe_made(failure, self.provider)
                raise failure
            if attempt + 1 < policy.max_attempts:
                wait = min(policy.backoff(attempt, self.rng), max(0.0, policy.deadline - spent()))
                log.info("%s %s: %s; retry %d in %.2f s", self._who, where, failure.message,
                         attempt + 1, wait)
                self._tell(f"no good answer, retrying ({attempt + 1} of "
                           f"{policy.max_attempts - 1})")
                await self.sleep(wait)
                waited += wait
        if spent() >= policy.deadline and not isinstance(failure, RateLimited):
            raise out_of_time(failure, where, policy.deadline, self.provider)
        raise failure

    @property
    def _who(self) -> str:
        """Whose call a log line is about: "team (provider)", or the provider alone."""
        return f"{self.account} ({self.provider})" if self.account else self.provider

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
        if not math.isfinite(wait) or waited + wait > policy.max_total_wait \
                or spent + wait > policy.deadline:
            raise failure
        if attempt + 1 < policy.max_attempts:
            log.info("%s %s rate limited; waiting %.1f s", self._who, where, wait)
            self._tell(f"rate limited, retrying in {wait_text(wait)}")
            await self.sleep(wait)
            waited += wait
        return waited

    async def json(self, method: str, path: str, *, idempotent: bool | None = None,
                   **kwargs: Any) -> Any:
        """`request`, then the answer's JSON. A change answered 2xx whose answer arrives
        unreadable raises DoneUnread: the provider did it, meettui cannot read what it
        made (a PUT's or a DELETE's as a POST's: safe to repeat or not, it was done). One
        answered otherwise (a status in `expected`) that is not safe to repeat raises
        OutcomeUnknown: the provider did something, meettui cannot tell what."""
        response = await self.request(method, path, idempotent=idempotent, **kwargs)
        shown = kwargs.get("shown")
        where = f"{method.upper()} {shown if shown else redact(path)}"
        try:
            return parse_json(response, self.provider, where)
        except ProviderError as exc:
            if method.upper() not in dryrun.READS and response.is_success:
                raise DoneUnread(
                    f"{where} was answered {response.status_code}, so it was done, but "
                    "its answer arrived unreadable", provider=self.provider,
                    status=response.status_code, body=response.text,
                ) from exc
            if (method.upper() in IDEMPOTENT) if idempotent is None else idempotent:
                raise
            raise OutcomeUnknown(
                f"{where} was answered {response.status_code}, but the answer arrived "
                "unreadable", provider=self.provider, status=response.status_code,
                body=response.text,
            ) from exc

    def _error_for(self, response: httpx.Response, where: str) -> ProviderError:
        failure = self.errors.error_for(response, where, self.provider)
        # An auth flow that knows better why it was refused (a JWT the provider's clock
        # saw expired, `auth_jwt.clock_disagreement`) says so in place of the
        # credentials advice.
        note = response.extensions.get(REFUSAL_NOTE)
        if isinstance(note, str) and isinstance(failure, AuthError):
            failure.hint = redact(note)
        return failure


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
            # Not "the cache was left as it was": a walk keeps the pages read before this
            # one (the paging hunt found that said after a malformed page 3).
            hint="The provider sent something meettui cannot read; nothing of this answer "
                 "was kept.",
        ) from None
