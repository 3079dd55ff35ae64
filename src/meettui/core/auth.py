"""The httpx.Auth flows every provider client uses.

Three shapes cover the providers:

- `ApiKeyAuth`: a static key in a header, with a scheme (`Bearer`), raw, or in a
  header of its own (`Key: <key>`).
- `ClientCredentialsAuth`: an OAuth 2.0 client credentials grant (RFC 6749 §4.4) whose
  access token is cached until shortly before it expires (a provider
  research contract, §2.1).
- `JwtAuth`: an RS256 application JWT minted locally and reused until shortly before it
  expires (a provider research
  contract, §2.3).

Every credential and every token is registered with `redact` the moment it is known, and
no repr, log line or error message built here contains one. Expiry is measured on the
injected `Clock`, so tests move time instead of sleeping.

Errors raised inside a flow are meettui's own (`AuthError`, `ProviderError`,
`Unavailable`, `ConfigError`); httpx lets them through unchanged, and `ApiClient` passes
them on to its caller as they are. A broken connection to the token endpoint surfaces as
the usual httpx transport error, which `ApiClient` maps to `Unavailable`.
"""

from __future__ import annotations

import asyncio
import logging
import math
import re
import threading
import uuid
from collections.abc import AsyncGenerator, Generator
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any, Literal

import httpx

from meettui.core.clock import Clock
from meettui.core.errors import (
    AuthError,
    ConfigError,
    ProviderError,
    RateLimited,
    Unavailable,
)
from meettui.core.redact import MASK, redact_userinfo, register_secret

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey

log = logging.getLogger("meettui.auth")

DEFAULT_EXPIRES_IN_S = 3600.0
"""Token lifetime assumed when a token answer has no `expires_in` (RFC 6749 §5.1 makes the
field optional; the one provider that uses this flow documents one hour)."""

MAX_JWT_LIFETIME_S = 24 * 3600.0
"""Application JWTs are accepted for at most 24 h (the JWT/ACL guide in the research)."""

_SECRET_PARAM = re.compile(r"(?i)([?&]client_secret=)[^&#]*")

# RFC 6749 §5.2 error codes -> what the user should do about them.
_OAUTH_HINTS = {
    "invalid_client": (
        "The client id or client secret is wrong (or the client was revoked): check the "
        "account's client_id and client_secret."
    ),
    "unauthorized_client": (
        "This client may not use the client credentials grant: ask the provider to enable it."
    ),
    "invalid_grant": (
        "The provider refused the client credentials grant for this client: check the "
        "client_id and client_secret, or ask the provider to enable the grant."
    ),
    "unsupported_grant_type": (
        "The token endpoint does not offer the client credentials grant: check the token URL."
    ),
    "invalid_scope": "The provider refused the requested scope for this client.",
    "invalid_request": (
        "The token endpoint did not accept the request's form: check the token URL and "
        "whether it expects GET or POST."
    ),
}


class ApiKeyAuth(httpx.Auth):
    """A static API key sent in one header on every request.

    The header value is `f"{scheme} {key}"`, or the raw key when `scheme` is None or "".

        ApiKeyAuth(k)                              # Authorization: Bearer k
        ApiKeyAuth(k, scheme=None)                 # Authorization: k
        ApiKeyAuth(k, header="Key", scheme=None)   # Key: k

    The key is registered for redaction; `repr` never shows it.

    Raises ConfigError when `key` is empty.
    """

    def __init__(
        self, key: str, *, header: str = "Authorization", scheme: str | None = "Bearer"
    ) -> None:
        if not key:
            raise ConfigError("the API key is empty", hint="Set the account's API key.")
        register_secret(key)
        self._header = header
        self._scheme = scheme or None
        self._value = f"{scheme} {key}" if scheme else key

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers[self._header] = self._value
        yield request

    def __repr__(self) -> str:
        return f"ApiKeyAuth(header={self._header!r}, scheme={self._scheme!r}, key={MASK})"


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
      429: `RateLimited`.
    - 5xx: `Unavailable`.
    - 2xx that is not JSON, has no `access_token`, or has a bad `expires_in` /
      `token_type`: `ProviderError` (malformed token answer).

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
                f"{_prefix(provider)}the token URL {redact_userinfo(_mask_secret(token_url))!r} "
                "is not an absolute http(s) URL",
                hint="Set the account's token URL to an absolute https:// address "
                "(its API root followed by the token path).",
            )
        if not client_id or not client_secret:
            missing = "client id" if not client_id else "client secret"
            raise ConfigError(
                f"{_prefix(provider)}the OAuth {missing} is empty",
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
        where = f"token request to {self._shown_token_url}"  # ProviderError adds provider
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
                f"{where} was throttled (HTTP 429)",
                provider=self._provider,
                status=status,
                body=response.text,
                retry_after=_delta_seconds(response.headers.get("Retry-After")),
            )
        if 400 <= status < 500:
            code, description = _oauth_error(response)
            if code is not None:
                detail = f"{code} ({description})" if description else code
            else:
                detail = f"HTTP {status} {response.reason_phrase}".rstrip()
            hint = _OAUTH_HINTS.get(code or "")
            if hint is None and status in (404, 405):
                hint = "The token URL (or the GET/POST form) looks wrong: check the token URL."
            raise AuthError(
                f"{where} refused: {detail}",
                provider=self._provider,
                status=status,
                body=response.text,
                hint=hint or "Check the account's client_id, client_secret and token URL.",
            )
        if status >= 500:
            raise Unavailable(
                f"{where} failed: HTTP {status} {response.reason_phrase}".rstrip(),
                provider=self._provider,
                status=status,
                body=response.text,
            )
        raise ProviderError(
            f"{where} answered HTTP {status} instead of a token",
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
                hint="The provider sent something meettui cannot read as an OAuth token.",
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


class JwtAuth(httpx.Auth):
    """An RS256 application JWT as a bearer token (research contract §2.3).

    JWT header `{"alg": "RS256", "typ": "JWT"}`; claims `application_id`, `iat` (integer
    POSIX seconds from `clock`), `exp = iat + lifetime_s`, `jti` (a uuid4 string), as
    the provider's own JWT library builds them. Sent as `Authorization: Bearer <jwt>`. A JWT is
    reused until `exp - leeway_s` on `clock`, then a new one is minted.

    `private_key` is PEM text (PKCS#8 or PKCS#1, unencrypted); literal "\\n" escapes, as
    environment variables often carry them, are turned into newlines. PyJWT and
    cryptography are imported on the first mint, so start-up stays light. The key and
    every minted JWT are registered for redaction.

    Raises ConfigError at init when `application_id` or `private_key` is empty, and from
    `token()` (so from the first request) when the key does not load as an RSA private
    key; ValueError at init when `lifetime_s` is not in (0, 24 h] or `leeway_s` is
    negative or not below `lifetime_s`.
    """

    def __init__(
        self,
        application_id: str,
        private_key: str,
        *,
        clock: Clock,
        lifetime_s: float = 900.0,
        leeway_s: float = 60.0,
        provider: str = "",
    ) -> None:
        register_secret(private_key)
        if not application_id:
            raise ConfigError(
                f"{_prefix(provider)}the application id is empty",
                hint="Set the account's application id.",
            )
        if not private_key or not private_key.strip():
            raise ConfigError(
                f"{_prefix(provider)}the private key is empty",
                hint=_KEY_HINT,
            )
        if not 0 < lifetime_s <= MAX_JWT_LIFETIME_S:
            raise ValueError(f"lifetime_s must be in (0, 86400], not {lifetime_s}")
        if not 0 <= leeway_s < lifetime_s:
            raise ValueError(f"leeway_s must be >= 0 and below lifetime_s, not {leeway_s}")
        if "\\n" in private_key and "\n" not in private_key.strip():
            private_key = private_key.replace("\\n", "\n")
            register_secret(private_key)
        self._application_id = application_id
        self._pem = private_key
        self._clock = clock
        self._lifetime_s = int(lifetime_s)
        self._leeway_s = leeway_s
        self._provider = provider
        self._key: RSAPrivateKey | None = None
        self._current: tuple[str, int] | None = None  # (jwt, exp)
        self._mutex = threading.Lock()

    def __repr__(self) -> str:
        return (
            f"JwtAuth(application_id={self._application_id!r}, private_key={MASK}, "
            f"lifetime_s={self._lifetime_s}, provider={self._provider!r})"
        )

    def token(self) -> str:
        """The current JWT: the cached one while `now < exp - leeway_s`, else a new one.

        Raises ConfigError when the private key does not load (see class doc).
        """
        with self._mutex:
            now_s = self._clock.now().timestamp()
            if self._current is not None and now_s < self._current[1] - self._leeway_s:
                return self._current[0]
            self._current = self._mint()
            return self._current[0]

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["Authorization"] = f"Bearer {self.token()}"
        yield request

    def _mint(self) -> tuple[str, int]:
        import jwt  # lazily: PyJWT pulls in cryptography

        key = self._load_key()
        iat = int(self._clock.now().timestamp())
        exp = iat + self._lifetime_s
        claims = {
            "application_id": self._application_id,
            "iat": iat,
            "exp": exp,
            "jti": str(uuid.uuid4()),
        }
        value = jwt.encode(claims, key, algorithm="RS256", headers={"typ": "JWT"})
        register_secret(value)
        log.debug(
            "minted an application JWT valid until %s",
            (self._clock.now() + timedelta(seconds=self._lifetime_s)).isoformat(),
        )
        return value, exp

    def _load_key(self) -> RSAPrivateKey:
        if self._key is not None:
            return self._key
        from cryptography.exceptions import UnsupportedAlgorithm
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey

        who = _prefix(self._provider)
        try:
            key = serialization.load_pem_private_key(self._pem.strip().encode(), password=None)
        except TypeError:
            # cryptography's TypeError here means "password required".
            raise ConfigError(
                f"{who}the private key is encrypted; meettui needs the unencrypted PEM",
                hint=_KEY_HINT,
            ) from None
        except (ValueError, UnsupportedAlgorithm):
            # `from None`: the parser's message is dropped; only what we wrote is shown.
            raise ConfigError(
                f"{who}the private key is not a PEM RSA private key", hint=_KEY_HINT
            ) from None
        if not isinstance(key, RSAPrivateKey):
            raise ConfigError(
                f"{who}the private key is not a PEM RSA private key "
                f"(it is a {type(key).__name__.lstrip('_')})",
                hint=_KEY_HINT,
            )
        self._key = key
        return key


_KEY_HINT = (
    "Set the account's private key to the application's private key PEM text "
    "(the private.key file, starting with -----BEGIN PRIVATE KEY-----)."
)


def _prefix(provider: str) -> str:
    return f"{provider}: " if provider else ""


def _mask_secret(url: str) -> str:
    return _SECRET_PARAM.sub(lambda m: m.group(1) + MASK, url)


def _number(value: object) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return None
    return None


def _delta_seconds(value: str | None) -> float | None:
    number = _number(value.strip()) if value else None
    return max(0.0, number) if number is not None else None


def _oauth_error(response: httpx.Response) -> tuple[str | None, str | None]:
    """The RFC 6749 §5.2 `error` and `error_description` of an error answer, if it has them."""
    try:
        body = response.json()
    except ValueError:
        return None, None
    if not isinstance(body, dict):
        return None, None
    code = body.get("error")
    description = body.get("error_description")
    return (
        code if isinstance(code, str) and code else None,
        description[:200] if isinstance(description, str) and description else None,
    )
