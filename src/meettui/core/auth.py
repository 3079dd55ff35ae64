"""The httpx.Auth flows every provider client uses.

Three shapes cover the providers:

- `ApiKeyAuth` (here): a static key in a header, with a scheme (`Bearer`), raw, or in a
  header of its own (`Key: <key>`).
- `ClientCredentialsAuth` (`auth_oauth.py`): an OAuth 2.0 client credentials grant
  (RFC 6749 §4.4) whose access token is cached until shortly before it expires (a
  provider research contract, §2.1).
- `JwtAuth` (`auth_jwt.py`): an RS256 application JWT minted locally and reused until
  shortly before it expires (a provider research
  contract, §2.3).

Every credential and every token is registered with `redact` the moment it is known, and
no repr, log line or error message built by these flows contains one. Expiry is measured on the
injected `Clock`, so tests move time instead of sleeping.

Errors raised inside a flow are meettui's own (`AuthError`, `ProviderError`,
`Unavailable`, `ConfigError`); httpx lets them through unchanged, and `ApiClient` passes
them on to its caller as they are. A broken connection to the token endpoint surfaces as
the usual httpx transport error, which `ApiClient` maps to `Unavailable`.
"""

from __future__ import annotations

from collections.abc import Generator

import httpx

from meettui.core.errors import CredentialsError
from meettui.core.redact import MASK, register_secret


class ApiKeyAuth(httpx.Auth):
    """A static API key sent in one header on every request.

    The header value is `f"{scheme} {key}"`, or the raw key when `scheme` is None or "".

        ApiKeyAuth(k)                              # Authorization: Bearer k
        ApiKeyAuth(k, scheme=None)                 # Authorization: k
        ApiKeyAuth(k, header="Key", scheme=None)   # Key: k

    The key is registered for redaction; `repr` never shows it.

    Raises CredentialsError when `key` is empty.
    """

    def __init__(
        self, key: str, *, header: str = "Authorization", scheme: str | None = "Bearer"
    ) -> None:
        if not key:
            raise CredentialsError("the API key is empty", hint="Set the account's API key.")
        register_secret(key)
        self._header = header
        self._scheme = scheme or None
        self._value = f"{scheme} {key}" if scheme else key

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers[self._header] = self._value
        yield request

    def __repr__(self) -> str:
        return f"ApiKeyAuth(header={self._header!r}, scheme={self._scheme!r}, key={MASK})"

