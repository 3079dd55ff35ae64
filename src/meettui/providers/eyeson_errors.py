"""eyeson's error answers, read and turned into meettui's error taxonomy.

Kept apart from the client so the status codes eyeson gives its own meaning (403, 405,
410, 423) are read in one place. Contract: see `meettui.providers.eyeson`.
"""

from __future__ import annotations

import json
import re
from typing import Any

import httpx

from meettui.core.errors import (
    AuthError,
    NotFound,
    ProviderError,
    RateLimited,
    Unavailable,
    ValidationError,
)
from meettui.core.redact import redact


def eyeson_error(response: httpx.Response) -> tuple[str, str | None]:
    """eyeson answers `{"error": "..."}` or `{"errors": [...]}` ([E7], [E9])."""
    try:
        body = response.json()
    except ValueError:
        text = response.text.strip()
        return (text[:200] or response.reason_phrase or f"HTTP {response.status_code}", None)
    message = ""
    if isinstance(body, dict):
        if isinstance(body.get("error"), str):
            message = body["error"]
        elif isinstance(body.get("errors"), list):
            message = "; ".join(str(e) for e in body["errors"])
    message = message or response.reason_phrase or f"HTTP {response.status_code}"
    return message, _field_for(message)


def _field_for(message: str) -> str | None:
    """Which form field a validation message is about."""
    if "user[name]" in message:
        return "host_name"
    if "expires_at" in message:
        return "ends_at"
    option = re.search(r"options\[(\w+)\]", message)
    if option:
        return option.group(1)
    if message.startswith("name "):
        return "title"
    return None


def _eyeson_error_text(body: str) -> str:
    if not body:
        return ""
    try:
        data = json.loads(body)
    except ValueError:
        return ""
    if isinstance(data, dict):
        if isinstance(data.get("error"), str):
            return data["error"]
        if isinstance(data.get("errors"), list):
            return "; ".join(str(e) for e in data["errors"])
    return ""


def translate(
    exc: ProviderError, method: str, path: str, shown: str, *, provider: str
) -> ProviderError:
    """`exc` as eyeson means it, with `path` (which may hold a token) replaced by `shown`."""
    text = exc.message.replace(redact(path), shown).replace(path, shown)
    status = exc.status
    common: dict[str, Any] = {"provider": provider, "status": status, "body": exc.body}
    reason = _eyeson_error_text(exc.body) or text
    where = f"{method} {shown}"
    if status == 410:
        return NotFound(f"{where} → 410: the meeting has ended ({reason}).",
                        hint="A permalink can be started again; a room cannot.", **common)
    if status == 405:
        return ValidationError(
            f"{reason} — disabled by option for this meeting (405).",
            hint="Enable the matching *_available option on the permalink.", **common)
    if status == 403:
        return ValidationError(
            f"{reason} — refused (403): an option may disable this, or a parameter is "
            "not allowed.", **common)
    if status == 423:
        return ProviderError(f"{where} → 423: {reason}",
                             hint="The meeting is locked or has not been started.", **common)
    if isinstance(exc, ValidationError):
        return ValidationError(text.removeprefix(f"{provider}: "), field=exc.field,
                               **common)
    if isinstance(exc, RateLimited):
        return RateLimited(text.removeprefix(f"{provider}: "),
                           retry_after=exc.retry_after, **common)
    for cls in (AuthError, NotFound, Unavailable):
        if isinstance(exc, cls):
            return cls(text.removeprefix(f"{provider}: "), **common)
    return ProviderError(text.removeprefix(f"{provider}: "), hint=exc.hint or None,
                         **common)


def malformed(where: str, why: str, *, provider: str) -> ProviderError:
    return ProviderError(
        f"{where} returned an unexpected response ({why})", provider=provider,
        hint="The provider sent something meettui cannot read; the cache was left as it was.")
