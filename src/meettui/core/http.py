"""The one way providers talk HTTP: timeouts, retries, Retry-After, rate budgets, errors.

Retries follow two rules. A 429 was not processed, so it is retried for every method
within a bounded total wait. A 5xx or a broken connection may have been processed, so
it is retried only for idempotent requests; a POST that fails that way is reported.
"""

from __future__ import annotations

import asyncio
import email.utils
import json
import logging
import random
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol

import httpx

from meettui import __version__
from meettui.core.errors import (
    AuthError,
    NotFound,
    ProviderError,
    RateLimited,
    Unavailable,
    ValidationError,
)
from meettui.core.redact import redact

log = logging.getLogger("meettui.http")

USER_AGENT = f"meettui/{__version__} (+https://github.com/meettui/meettui)"
IDEMPOTENT = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
# 500 included: the module rule is "a 5xx may have been processed, so retry it only
# when idempotent"; a transient 500 on a GET is as common as a 503.
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 4
    backoff_base: float = 0.25
    backoff_max: float = 8.0
    # Above this a Retry-After is not waited out: the caller gets RateLimited at once.
    max_total_wait: float = 20.0
    connect_timeout: float = 5.0
    read_timeout: float = 15.0

    def backoff(self, attempt: int, rng: random.Random) -> float:
        # Full jitter: spreads retries of many clients instead of synchronising them.
        return rng.uniform(0, min(self.backoff_max, self.backoff_base * 2**attempt))


class RateBudget(Protocol):
    """A provider's own client-side budget (e.g. Whereby's points per minute)."""

    async def acquire(self, method: str, path: str) -> None: ...

    def observe(self, response: httpx.Response) -> None: ...


class BearerAuth(httpx.Auth):
    def __init__(self, token: str, scheme: str = "Bearer") -> None:
        self._token = token
        self._scheme = scheme

    def auth_flow(self, request: httpx.Request):
        prefix = f"{self._scheme} " if self._scheme else ""
        request.headers["Authorization"] = prefix + self._token
        yield request

    def __repr__(self) -> str:
        return f"{type(self).__name__}(scheme={self._scheme!r}, token=***)"


class HeaderAuth(httpx.Auth):
    """A raw key in a named header (eyeson's Authorization, Accelevents' Key)."""

    def __init__(self, header: str, value: str) -> None:
        self._header = header
        self._value = value

    def auth_flow(self, request: httpx.Request):
        request.headers[self._header] = self._value
        yield request

    def __repr__(self) -> str:
        return f"HeaderAuth(header={self._header!r}, value=***)"


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


ErrorParser = Callable[[httpx.Response], tuple[str, str | None]]
"""Turns an error response into (message, field) using the provider's error shape."""


def default_error_parser(response: httpx.Response) -> tuple[str, str | None]:
    try:
        body = response.json()
    except ValueError:
        text = response.text.strip()
        return (text[:200] or response.reason_phrase or f"HTTP {response.status_code}", None)
    if isinstance(body, dict):
        for key in ("error", "message", "detail", "title", "errorMessage"):
            value = body.get(key)
            if isinstance(value, str) and value:
                return value, body.get("field") if isinstance(body.get("field"), str) else None
    return (response.reason_phrase or f"HTTP {response.status_code}", None)


@dataclass
class ApiClient:
    provider: str
    base_url: str
    auth: httpx.Auth | None = None
    policy: RetryPolicy = field(default_factory=RetryPolicy)
    budget: RateBudget | None = None
    error_parser: ErrorParser = default_error_parser
    transport: httpx.AsyncBaseTransport | None = None
    headers: dict[str, str] = field(default_factory=dict)
    # Extracts a wait from a 429 body when Retry-After is absent (Whereby's data.msLeft).
    retry_after_from_body: Callable[[httpx.Response], float | None] | None = None
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep
    rng: random.Random = field(default_factory=random.Random)

    def __post_init__(self) -> None:
        self._client = httpx.AsyncClient(
            base_url=self.base_url,
            auth=self.auth,
            transport=self.transport,
            timeout=httpx.Timeout(
                self.policy.read_timeout, connect=self.policy.connect_timeout
            ),
            headers={"User-Agent": USER_AGENT, "Accept": "application/json", **self.headers},
            follow_redirects=False,
        )

    def __repr__(self) -> str:
        return f"ApiClient(provider={self.provider!r}, base_url={self.base_url!r})"

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
        token (eyeson's user-level calls) passes a masked form here.
        """
        method = method.upper()
        idempotent = method in IDEMPOTENT if idempotent is None else idempotent
        waited = 0.0
        where = f"{method} {shown if shown is not None else redact(path)}"
        for attempt in range(self.policy.max_attempts):
            if self.budget is not None:
                await self.budget.acquire(method, path)
            started = time.perf_counter()
            try:
                response = await self._client.request(method, path, **kwargs)
            except httpx.TimeoutException as exc:
                failure: ProviderError = Unavailable(
                    f"{where} timed out ({type(exc).__name__})", provider=self.provider
                )
            except (httpx.TransportError, ConnectionError) as exc:
                # ConnectionError: an in-process (ASGI) server that drops the connection.
                failure = Unavailable(
                    f"{where} failed: connection problem ({type(exc).__name__})",
                    provider=self.provider,
                )
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
                    wait = failure.retry_after
                    if wait is None:
                        wait = self.policy.backoff(attempt, self.rng)
                    if waited + wait > self.policy.max_total_wait:
                        raise failure
                    if attempt + 1 < self.policy.max_attempts:
                        log.info("%s rate limited; waiting %.1f s", where, wait)
                        await self.sleep(wait)
                        waited += wait
                    continue
            if not idempotent:
                raise failure
            if attempt + 1 < self.policy.max_attempts:
                wait = self.policy.backoff(attempt, self.rng)
                log.info("%s: %s; retry %d in %.2f s", where, failure.message, attempt + 1, wait)
                await self.sleep(wait)
                waited += wait
        raise failure

    async def json(self, method: str, path: str, **kwargs: Any) -> Any:
        response = await self.request(method, path, **kwargs)
        shown = kwargs.get("shown")
        return parse_json(
            response, self.provider, f"{method.upper()} {shown if shown else redact(path)}"
        )

    def _error_for(self, response: httpx.Response, where: str) -> ProviderError:
        status = response.status_code
        try:
            message, field_name = self.error_parser(response)
        except Exception:  # noqa: BLE001 - a broken error body must not hide the status
            message, field_name = (f"HTTP {status}", None)
        text = f"{where} → {status}: {message}"
        common = {"provider": self.provider, "status": status, "body": response.text}
        if status == 401:
            return AuthError(text, **common)
        if status == 403:
            return AuthError(
                text, hint="The credentials work but lack permission for this action.", **common
            )
        if status in (404, 410):
            return NotFound(text, **common)
        if status == 429:
            wait = parse_retry_after(response.headers.get("Retry-After"))
            if wait is None and self.retry_after_from_body is not None:
                wait = self.retry_after_from_body(response)
            return RateLimited(text, retry_after=wait, **common)
        if status in (400, 409, 422):
            return ValidationError(message, field=field_name, **common)
        if status >= 500:
            return Unavailable(text, **common)
        return ProviderError(text, **common)


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
