"""The OAuth 2.0 client credentials grant (RFC 6749 §4.4) as an httpx.Auth flow
(`ClientCredentialsAuth`): a bearer token fetched from the provider's token endpoint
through the same client, cached on the injected clock until shortly before it expires,
shared by concurrent requests, and fetched anew once when a cached one is refused with a
401. What the token endpoint's answer says (an RFC 6749 §5.2 error, a number of seconds)
is read by `auth_token_answers.py`; `auth.py` says what every flow promises.
"""

from __future__ import annotations

import asyncio
import logging
import math
import re
from collections.abc import AsyncGenerator, Generator
from dataclasses import dataclass
from typing import Any, Literal

import httpx

from meettui.core.auth_token_answers import _OAUTH_HINTS, _delta_seconds, _number, _oauth_error
from meettui.core.clock import Clock
from meettui.core.errors import (
    AuthError,
    ConfigError,
    CredentialsError,
    ProviderError,
    RateLimited,
    Unavailable,
    WrongAddress,
)
from meettui.core.redact import MASK, redact_userinfo, register_secret

log = logging.getLogger("meettui.auth")

DEFAULT_EXPIRES_IN_S = 3600.0
"""Token lifetime assumed when a token answer has no `expires_in` (RFC 6749 §5.1 makes the
field optional; the one provider that uses this flow documents one hour)."""

_SECRET_PARAM = re.compile(r"(?i)([?&]client_secret=)[^&#]*")


@dataclass(frozen=True)
class _Token:
    value: str
    refresh_at_s: float
    """POSIX seconds on the injected clock after which the token is no longer used."""


class ClientCredentialsAuth(httpx.Auth):
    """OAuth 2.0 client credentials grant (RFC 6749 §4.4) with a cached bearer token.

    Token request, sent through the same client (its transport, timeouts and User-Agent):

    - `method="GET"` (the form one provider documents, not RFC 6749's):
      `GET token_url?client_id=..&client_secret=..&grant_type=client_credentials`
    - `method="POST"` (RFC 6749 §4.4.2 with §2.3.1 body credentials):
      `application/x-www-form-urlencoded` body with the same three fields.

    Token answer (RFC 6749 §5.1): `{"access_token": str, "expires_in": seconds,
    "token_type": "Bearer"}`. `expires_in` defaults to 3600 s when absent; a `token_type`
    other than bearer is refused (§7.1). The token is sent as
    `Authorization: Bearer <token>` and reused until `expires_in - leeway_s` seconds after
    the token request was sent, measured on `clock`. The leeway is capped at half of
    `expires_in`, so a short-lived token is still reused for a while.

    Concurrency: one token request at a time. Requests that find no usable token wait on
    an asyncio.Lock and share the token the first of them fetches.

    A 401 on a request that used a cached token drops that token, fetches a new one and
    resends the request once; a second 401 is returned as it is. A 401 on a token fetched
    for that very request is returned at once (a new token would not help).

    Errors from the token endpoint (raised from the request that needed the token):

    - 4xx: `AuthError` naming the RFC 6749 §5.2 `error` code and `error_description`,
      with a hint for the code (`invalid_client`: the client id / secret are wrong);
      404 and 410: `WrongAddress` (no token endpoint at that address); 429:
      `RateLimited`.
    - 5xx: `Unavailable`.
    - 2xx that is not JSON, has no `access_token`, or has a bad `expires_in` /
      `token_type`: `ProviderError` (malformed token answer); an `access_token` with a
      character no header can carry (a line break): `ProviderError` saying the fault is
      the provider's token, not the account's secrets.

    The client secret is registered for redaction at init, every token when received.
    Works with `httpx.AsyncClient` only; a sync `httpx.Client` gets a RuntimeError.

    Raises ConfigError at init when `token_url` is not an absolute http(s) URL or the
    client id / secret is empty; ValueError when `leeway_s` is negative.
    """

    requires_request_body = True
    requires_response_body = True

    def __init__(
        self,
        token_url: str,
        client_id: str,
        client_secret: str,
        *,
        clock: Clock,
        method: Literal["GET", "POST"] = "GET",
        leeway_s: float = 60.0,
        provider: str = "",
    ) -> None:
        register_secret(client_secret)
        url = httpx.URL(token_url)
        if url.scheme not in ("http", "https") or not url.host:
            raise ConfigError(
                f"the token URL {redact_userinfo(_mask_secret(token_url))!r} "
                "is not an absolute http(s) URL", provider=provider,
                hint="Set the account's token URL to an absolute https:// address "
                "(its API root followed by the token path).",
            )
        if not client_id or not client_secret:
            missing = "client id" if not client_id else "client secret"
            raise CredentialsError(
                f"the OAuth {missing} is empty", provider=provider,
                hint="Set the account's client_id and client_secret.",
            )
        if method not in ("GET", "POST"):
            raise ValueError(f"method must be 'GET' or 'POST', not {method!r}")
        if leeway_s < 0:
            raise ValueError(f"leeway_s must be >= 0, not {leeway_s}")
        self._token_url = url
        self._client_id = client_id
        self._client_secret = client_secret
        self._clock = clock
        self._method = method
        self._leeway_s = leeway_s
        self._provider = provider
        self._token: _Token | None = None
        self._requested_at_s = 0.0  # when the token request in flight was built
        self._lock: asyncio.Lock | None = None
        self._lock_loop: asyncio.AbstractEventLoop | None = None
        self._fields = {
            "client_id": client_id,
            "client_secret": client_secret,
            "grant_type": "client_credentials",
        }
        shown = url.copy_merge_params(self._fields) if method == "GET" else url
        # User information in the URL (`user:password@`) is a credential too.
        self._shown_token_url = redact_userinfo(_mask_secret(str(shown)))

    @property
    def shown_token_url(self) -> str:
        """The token request's URL with the client secret's value and any user
        information (`user:password@`) replaced by "***".

        For `method="GET"` this includes the query the request carries
        (`...?client_id=ID&client_secret=***&grant_type=client_credentials`); for "POST"
        it is the token URL. Safe for logs and error messages.
        """
        return self._shown_token_url

    def __repr__(self) -> str:
        return (
            f"ClientCredentialsAuth(token_url={self._shown_token_url!r}, "
            f"client_id={self._client_id!r}, client_secret={MASK}, method={self._method!r}, "
            f"provider={self._provider!r})"
        )

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        """Not supported: the token cache is shared through an asyncio.Lock.

        Raises RuntimeError (httpx.Client calls this through `sync_auth_flow`).
        """
        raise RuntimeError("ClientCredentialsAuth works with httpx.AsyncClient only")
        yield request  # pragma: no cover - makes this a generator, as httpx expects

    async def async_auth_flow(
        self, request: httpx.Request
    ) -> AsyncGenerator[httpx.Request, httpx.Response]:
        """Authorise `request`, fetching a token first when none is usable (see class doc)."""
        await request.aread()  # so a 401 can be answered by resending the same request
        token = self._usable_token()
        fetched_here = False
        if token is None:
            async with self._refresh_lock():
                token = self._usable_token()  # another request may have fetched one
                if token is None:
                    answer = yield self._build_token_request(request)
                    await answer.aread()
                    token = self._accept(answer)
                    fetched_here = True

        request.headers["Authorization"] = f"Bearer {token.value}"
        response = yield request
        if response.status_code != 401 or fetched_here:
            return

        log.info(
            "%s %s answered 401 with a cached access token; fetching a new one, retrying once",
            request.method,
            request.url.path,
        )
        async with self._refresh_lock():
            current = self._token
            if current is None or current is token or not self._is_usable(current):
                # Still the token that was refused (no one refreshed it meanwhile).
                self._token = None
                answer = yield self._build_token_request(request)
                await answer.aread()
                current = self._accept(answer)
        request.headers["Authorization"] = f"Bearer {current.value}"
        yield request

    # -- internals ---------------------------------------------------------------------

    def _refresh_lock(self) -> asyncio.Lock:
        # An asyncio.Lock belongs to one event loop; a CLI run and a test may each bring
        # their own, so keep one lock per running loop.
        loop = asyncio.get_running_loop()
        if self._lock is None or self._lock_loop is not loop:
            self._lock = asyncio.Lock()
            self._lock_loop = loop
        return self._lock

    def _now_s(self) -> float:
        return self._clock.now().timestamp()

    def _is_usable(self, token: _Token) -> bool:
        return self._now_s() < token.refresh_at_s

    def _usable_token(self) -> _Token | None:
        token = self._token
        return token if token is not None and self._is_usable(token) else None

    def _build_token_request(self, original: httpx.Request) -> httpx.Request:
        headers = {"Accept": "application/json"}
        user_agent = original.headers.get("User-Agent")
        if user_agent:
            headers["User-Agent"] = user_agent
        # Requests yielded by an auth flow skip the client's request building, so carry
        # the original's timeouts over; without them the token request could hang forever.
        extensions: dict[str, Any] = {}
        if "timeout" in original.extensions:
            extensions["timeout"] = original.extensions["timeout"]
        self._requested_at_s = self._now_s()
        log.debug("requesting an access token: %s %s", self._method, self._shown_token_url)
        if self._method == "GET":
            return httpx.Request(
                "GET",
                self._token_url.copy_merge_params(self._fields),
                headers=headers,
                extensions=extensions,
            )
        return httpx.Request(
            "POST", self._token_url, data=self._fields, headers=headers, extensions=extensions
        )

    def _accept(self, response: httpx.Response) -> _Token:
        """Turn a token endpoint answer into a cached token, or raise (see class doc)."""
        status = response.status_code
        # Named as every request is, by method and path ("GET /oauth/v2/token"): no host,
        # and no query (it carries the client's credentials). ProviderError adds the
        # provider; the service, the request it was for ("GET /meetings was not sent:
        # its token request GET /oauth/v2/token → 503 …", `http_failures`).
        where = f"token request {self._method} {self._token_url.path}"
        if 200 <= status < 300:
            token = self._parse_token_answer(response, where)
            self._token = token
            log.debug(
                "access token received; reused for %.0f s",
                token.refresh_at_s - self._requested_at_s,
            )
            return token
        if status == 429:
            raise RateLimited(
                f"{where} → 429 {response.reason_phrase}".rstrip() + " (throttled)",
                provider=self._provider,
                status=status,
                body=response.text,
                retry_after=_delta_seconds(response.headers.get("Retry-After")),
            )
        if 400 <= status < 500:
            code, description = _oauth_error(response)
            # As any request's refusal reads: "→ 401: invalid_client (…)".
            if code is not None:
                detail = f": {code} ({description})" if description else f": {code}"
            else:
                detail = f" {response.reason_phrase}".rstrip()
            if status in (404, 410):
                # No token endpoint there: the account's address (its base_url, its
                # instance) is wrong, not its credentials ("auth failed" sent the user
                # to check a secret that was right).
                raise WrongAddress(f"{where} → {status}{detail}", provider=self._provider,
                                   status=status, body=response.text)
            hint = _OAUTH_HINTS.get(code or "")
            if hint is None and status == 405:
                hint = "The token URL (or the GET/POST form) looks wrong: check the token URL."
            raise AuthError(
                f"{where} → {status}{detail}",
                provider=self._provider,
                status=status,
                body=response.text,
                hint=hint or "Check the account's client_id, client_secret and token URL.",
            )
        if status >= 500:
            # Worded as any request's 5xx ("→ 503 Service Unavailable", `http_errors`).
            raise Unavailable(
                f"{where} → {status} {response.reason_phrase}".rstrip(),
                provider=self._provider,
                status=status,
                body=response.text,
            )
        raise ProviderError(
            f"{where} → {status} {response.reason_phrase}".rstrip() + ", not a token",
            provider=self._provider,
            status=status,
            body=response.text,
            hint="Check the account's token URL.",
        )

    def _parse_token_answer(self, response: httpx.Response, where: str) -> _Token:
        def malformed(what: str) -> ProviderError:
            # No body attached: a readable answer may still carry a token.
            return ProviderError(
                f"{where} returned a malformed token answer ({what})",
                provider=self._provider,
                status=response.status_code,
                hint="The provider sent something meettui cannot read as an OAuth token. "
                "Try again later; if it persists, check that the account's base_url is the "
                "provider's API (a proxy or a login page answers so), and tell the provider.",
            )

        try:
            body = response.json()
        except ValueError:
            raise malformed("not JSON") from None
        if not isinstance(body, dict):
            raise malformed("not a JSON object")
        value = body.get("access_token")
        if isinstance(value, str):
            register_secret(value)
        if not isinstance(value, str) or not value:
            raise malformed("no access_token")
        if not all("!" <= ch <= "~" for ch in value):
            # A header cannot carry it: sent, it failed as "cannot be sent … check that
            # the account's secrets hold no line breaks", though the break was the
            # provider's, in a token the user never saw.
            raise ProviderError(
                f"{where} returned a token that cannot be sent (its access_token holds a "
                "line break, a space or another character a header cannot carry)",
                provider=self._provider, status=response.status_code,
                hint="The fault is in the token the provider sent, not in the account's "
                     "secrets: try again; if it persists, tell the provider.")
        token_type = body.get("token_type")
        if token_type is not None and (
            not isinstance(token_type, str) or token_type.lower() != "bearer"
        ):
            raise malformed(f"token_type {token_type!r} is not bearer")
        expires_in = body.get("expires_in")
        if expires_in is None:
            expires_in_s = DEFAULT_EXPIRES_IN_S
        else:
            parsed = _number(expires_in)
            if parsed is None or not math.isfinite(parsed) or parsed < 0:
                raise malformed(f"expires_in {expires_in!r} is not a number of seconds")
            expires_in_s = parsed
        leeway_s = min(self._leeway_s, expires_in_s / 2)
        return _Token(value, self._requested_at_s + expires_in_s - leeway_s)


def _mask_secret(url: str) -> str:
    return _SECRET_PARAM.sub(lambda m: m.group(1) + MASK, url)
