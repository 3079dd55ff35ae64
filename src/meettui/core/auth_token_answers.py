"""What an OAuth token endpoint's answer says, for `ClientCredentialsAuth`
(`auth_oauth.py`): the RFC 6749 §5.2 `error` and `error_description` of a refusal and
what the user should do about each code, and the numbers an answer carries
(`expires_in`, `Retry-After`) read leniently.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import httpx

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
    return max(0.0, number) if number is not None and math.isfinite(number) else None


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
