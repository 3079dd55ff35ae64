"""The API gateway in front of the simulated Vonage Meetings API: a request passes with a
valid application JWT, or gets the gateway's 401 body.

Contract: `research/providers-whereby-vonage.md` §2 and the recorded 401 bodies in
`contracts/vonage/fixtures/`. RS256 against the application's public key;
`application_id` (this application's), `iat`, `jti` and `exp` required; `exp`, `iat` and
`nbf` checked on the simulator's clock, not the wall clock.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any, Protocol

from starlette.datastructures import Headers
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

# JWTs issued more than this far in the future are refused (clock skew allowance;
# the exact gateway tolerance is unconfirmed).
IAT_LEEWAY = timedelta(seconds=60)
MAX_JWT_LIFETIME = timedelta(hours=24)

UNAUTHORIZED = {"title": "Unauthorized", "detail": "You did not provide correct credentials"}
MISSING_AUTH = {"title": "Missing Auth", "detail": "Auth header is required"}


def refusal(header: str | None, *, public_key: Any, application_id: str,
            now: float) -> JSONResponse | None:
    """The 401 for the `Authorization` value `header` (None when absent), or None when
    it carries a valid JWT of `application_id`; `now` in Unix seconds."""
    import jwt

    if not header:
        return JSONResponse(MISSING_AUTH, status_code=401)
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return JSONResponse(UNAUTHORIZED, status_code=401)
    try:
        # Times are checked below on the simulator's clock, not the wall clock.
        claims = jwt.decode(token.strip(), public_key, algorithms=["RS256"],
                            options={"verify_exp": False, "verify_iat": False,
                                     "verify_nbf": False})
    except jwt.PyJWTError:
        return JSONResponse(UNAUTHORIZED, status_code=401)
    iat, exp, nbf = claims.get("iat"), claims.get("exp"), claims.get("nbf")
    ok = (
        claims.get("application_id") == application_id
        and isinstance(claims.get("jti"), str) and bool(claims["jti"])
        and isinstance(iat, int) and not isinstance(iat, bool)
        and isinstance(exp, int) and not isinstance(exp, bool)
        and iat <= now + IAT_LEEWAY.total_seconds()
        and now < exp
        and exp - iat <= MAX_JWT_LIFETIME.total_seconds()
        and (nbf is None or (isinstance(nbf, int) and nbf <= now))
    )
    return None if ok else JSONResponse(UNAUTHORIZED, status_code=401)


class Checks(Protocol):
    """What the gate asks: the simulator's `refusal` for an `Authorization` value."""

    def refusal(self, header: str | None) -> JSONResponse | None: ...


class Gate:
    """ASGI middleware: HTTP requests pass to `app` only when `sim.refusal` lets them."""

    def __init__(self, sim: Checks, app: ASGIApp) -> None:
        self.sim, self.app = sim, app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            answer = self.sim.refusal(Headers(scope=scope).get("authorization"))
            if answer is not None:
                await answer(scope, receive, send)
                return
        await self.app(scope, receive, send)
