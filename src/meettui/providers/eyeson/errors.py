"""eyeson's error answers, declared once: the body shapes, and the statuses eyeson gives
its own meaning (403, 405, 410, 423).

Contract: `research/providers-eyeson-24sessions-events.md` §1.2 ([E5], [E7], [E9]).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from meettui.core.errors import NotFound, ProviderError, ValidationError
from meettui.core.http_errors import ErrorInfo, ErrorMap, ErrorRule

if TYPE_CHECKING:
    import httpx


def eyeson_error(response: httpx.Response) -> ErrorInfo:
    """eyeson answers `{"error": "..."}` or `{"errors": [...]}` ([E7], [E9]); the form
    field a validation message is about is read from its text."""
    reason = response.reason_phrase or ""
    status_line = f"{response.status_code} {reason}".strip()
    try:
        body = response.json()
    except ValueError:
        return ErrorInfo(status_line)
    message = ""
    if isinstance(body, dict):
        if isinstance(body.get("error"), str):
            message = body["error"]
        elif isinstance(body.get("errors"), list):
            message = "; ".join(str(e) for e in body["errors"])
    message = message or status_line
    field = _field_for(message)
    if field == "host_name" and "host name" not in message:
        # eyeson's own parameter ("user[name] is longer than 128 characters"), said
        # where the host name was given: name it as meettui does.
        message = message.replace("user[name]", "the host name (user[name])", 1)
    return ErrorInfo(message, field)


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


ERRORS = ErrorMap(
    parse=eyeson_error,
    status={
        410: ErrorRule(NotFound, note="the meeting has ended",
                       hint="A permalink can be started again; a room cannot."),
        405: ErrorRule(ValidationError, note="disabled by option for this meeting (405)",
                       hint="Enable the matching *_available option on the permalink."),
        403: ErrorRule(ValidationError, note="refused (403): an option may disable this, "
                       "or a parameter is not allowed"),
        423: ErrorRule(ProviderError, hint="The meeting is locked or has not been started."),
    },
)
