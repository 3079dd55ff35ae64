"""An RS256 application JWT as an httpx.Auth flow (`JwtAuth`, a provider research
contract, §2.3): minted locally from the application's private key, reused until shortly
before it expires on the injected clock. PyJWT and cryptography load on the first mint;
`auth.py` says what every flow promises.
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Generator
from datetime import timedelta
from typing import TYPE_CHECKING

import httpx

from meettui.core.clock import Clock
from meettui.core.display import with_article
from meettui.core.errors import ConfigError, CredentialsError
from meettui.core.http import REFUSAL_NOTE
from meettui.core.redact import MASK, register_secret

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey

log = logging.getLogger("meettui.auth")

MAX_JWT_LIFETIME_S = 24 * 3600.0
"""Application JWTs are accepted for at most 24 h (the JWT/ACL guide in the research)."""


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

    Raises ConfigError at init when `application_id` is empty, CredentialsError when
    `private_key` is, and from `token()` (so from the first request) when the key does
    not load as an RSA private key; ValueError at init when `lifetime_s` is not in
    (0, 24 h] or `leeway_s` is negative or not below `lifetime_s`.
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
        key_file: str = "",
    ) -> None:
        register_secret(private_key)
        # Where the key was read from, when from a file (`key_file`: "the file PATH
        # (the setting naming it)"): its refusals name that file and say to check it
        # ("Set the account's private key to the … PEM text" sent a user whose file
        # held something else to set a key they had set).
        self._what = f"the private key in {key_file}" if key_file else "the private key"
        self._hint = ("Check that file: it must hold the application's private key "
                      "(its private.key), unencrypted PEM text starting with -----BEGIN "
                      "PRIVATE KEY-----." if key_file else _KEY_HINT)
        if not application_id:
            raise ConfigError(
                "the application id is empty", provider=provider,
                hint="Set the account's application id.",
            )
        if not private_key or not private_key.strip():
            raise CredentialsError(
                f"{self._what} is empty", provider=provider,
                hint=self._hint,
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

        Raises CredentialsError when the private key does not load (see class doc).
        """
        return self._token()[0]

    def _token(self) -> tuple[str, int]:
        """The current JWT and its `exp` (`token`)."""
        with self._mutex:
            now_s = self._clock.now().timestamp()
            if self._current is not None and now_s < self._current[1] - self._leeway_s:
                return self._current
            self._current = self._mint()
            return self._current

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        value, exp = self._token()
        request.headers["Authorization"] = f"Bearer {value}"
        response = yield request
        if response.status_code == 401:
            # Fresh by this machine's clock, refused: when the provider's clock (its
            # answer's Date) puts the JWT outside its 15 minutes, say that, not "check
            # the key" (an expired JWT is refused in the same words as a wrong key).
            note = clock_disagreement(response, exp - self._lifetime_s, exp,
                                      self._clock.now().timestamp())
            if note is not None:
                response.extensions[REFUSAL_NOTE] = note

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

        who, what, hint = self._provider, self._what, self._hint
        try:
            key = serialization.load_pem_private_key(self._pem.strip().encode(), password=None)
        except TypeError:
            # cryptography's TypeError here means "password required".
            raise CredentialsError(
                f"{what} is encrypted; meettui needs the unencrypted PEM",
                hint=hint, provider=who,
            ) from None
        except (ValueError, UnsupportedAlgorithm):
            # `from None`: the parser's message is dropped; only what we wrote is shown.
            raise CredentialsError(
                f"{what} is not a PEM RSA private key", hint=hint,
                provider=who,
            ) from None
        if not isinstance(key, RSAPrivateKey):
            raise CredentialsError(
                f"{what} is not a PEM RSA private key "
                f"(it is {with_article(type(key).__name__.lstrip('_'))})",
                hint=hint, provider=who,
            )
        self._key = key
        return key


def clock_disagreement(response: httpx.Response, iat: int, exp: int,
                       now_s: float) -> str | None:
    """What to say of a 401 to a JWT valid from `iat` to `exp` (POSIX seconds, this
    machine's clock, which reads `now_s`) when the clock the answer carries (its `Date`)
    puts the JWT outside that window: the clocks disagree, so the provider saw it
    expired (or not yet issued). None when the answer has no readable Date, or the
    clocks agree within a minute (then the key or the application id is at fault)."""
    from email.utils import parsedate_to_datetime

    from meettui.core.display import local_time, wait_text

    try:
        server = parsedate_to_datetime(response.headers.get("Date", ""))
    except (TypeError, ValueError, IndexError):
        return None
    if server.tzinfo is None:
        return None
    server_s = server.timestamp()
    skew = server_s - now_s
    if abs(skew) < 60 or iat - 60 <= server_s < exp:
        return None
    ahead = "ahead of" if skew > 0 else "behind"
    seen = ("had expired" if server_s >= exp
            else "was issued in its future")
    said = local_time(server, "%Y-%m-%d %H:%M:%S %Z")
    return (f"The provider's clock (its answer's Date: {said}) "
            f"is {wait_text(abs(skew))} {ahead} this machine's, so to it the JWT made "
            f"just now {seen} (a JWT is valid {wait_text(exp - iat)} from when it is "
            "made): check that this machine's clock is right (time sync on), then try "
            "again. If it is, check the account's application id and private key.")


_KEY_HINT = (
    "Set the account's private key to the application's private key PEM text "
    "(the private.key file, starting with -----BEGIN PRIVATE KEY-----)."
)
