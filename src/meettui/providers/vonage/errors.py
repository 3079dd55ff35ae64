"""Vonage Meetings' two error shapes, read into one `ErrorInfo`, and what each status and
error class means (research §2.7; fixtures `unauthorized.json`, `update_no_keys.json`,
`update_room_type_error.json`, `theme_not_found.json`, `delete_theme_in_use.json`, ...).

1. The API gateway (RFC 7807-like): `{"title": "Unauthorized", "detail": "..."}`, with
   `type` and `instance` allowed; seen on 401 (and, unconfirmed, gateway 403/429).
2. The Meetings service: `{"message": "...", "name": "<ErrorClass>", "status": 400,
   "errors": [...]}`; `errors` is optional and holds strings or objects (logo errors).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from meettui.core.errors import AuthError, NotFound, ValidationError
from meettui.core.http_errors import ErrorInfo, ErrorMap, ErrorRule

if TYPE_CHECKING:
    import httpx

# A request field named in a service message -> the form field it came from.
FIELD_FOR = {
    "display_name": "title",
    "expires_at": "ends_at",
    "type": "type",
    "metadata": "metadata",
    "expire_after_use": "expire_after_use",
    "theme_id": "theme_id",
    "join_approval_level": "join_approval_level",
    "microphone_state": "microphone_state",
    "language": "language",
    "auto_record": "auto_record",
    "is_chat_available": "is_chat_available",
    "is_recording_available": "is_recording_available",
    "is_whiteboard_available": "is_whiteboard_available",
}
_NAMED = re.compile(r"\b(" + "|".join(map(re.escape, FIELD_FOR)) + r")\b")


def _error_text(item: Any) -> str:
    """One entry of a service error's `errors`: a string, or an object such as
    `{"logoKey": "k", "code": "key_not_found", "invalidProperty": ...}`."""
    if isinstance(item, dict):
        return ", ".join(f"{k}={v}" for k, v in item.items() if v is not None)
    return str(item)


def vonage_error(response: httpx.Response) -> ErrorInfo:
    """(message, form field, error class) of a Vonage error answer in either shape.

    Gateway: "title: detail". Service: the `message`, then its `errors` after a colon;
    `code` is the service's error class (`InputValidationError`, `BadRequestError`,
    `NotFoundError`, `ConflictError`). A body that is not JSON (an HTML gateway page, an
    S3 XML error) gives the status line only."""
    status_line = f"{response.status_code} {response.reason_phrase or ''}".strip()
    try:
        body = response.json()
    except ValueError:
        return ErrorInfo(status_line)
    if not isinstance(body, dict):
        return ErrorInfo(status_line)
    message = body.get("message")
    if isinstance(message, str) and message:
        errors = body.get("errors")
        if isinstance(errors, list) and errors:
            message = f"{message}: " + "; ".join(_error_text(e) for e in errors)
        name = body.get("name") if isinstance(body.get("name"), str) else None
        found = _NAMED.search(message)
        field_name = FIELD_FOR[found.group(1)] if found else None
        if field_name is None and "theme id" in message:
            field_name = "theme_id"  # "... because theme id <id> not found"
        return ErrorInfo(message, field_name, name)
    title, detail = body.get("title"), body.get("detail")
    parts = [p for p in (title, detail) if isinstance(p, str) and p]
    return ErrorInfo(": ".join(parts) or status_line)


ERRORS = ErrorMap(
    parse=vonage_error,
    status={
        401: ErrorRule(
            AuthError,
            hint="Vonage refused the application JWT: check the account's application_id "
                 "and private key (and that the Meetings API was enabled for the "
                 "application; the service itself was switched off in June 2025).",
        ),
    },
    # The service's 403s (`{message, name: "ForbiddenError"}`) are its limits: at most
    # 1000 rooms, themes, a recording not uploaded yet (research §2). About the request,
    # not the account: an account at its room limit said "error" until a call went
    # through. A 403 with no service name (the gateway's) is read as the credentials'.
    coded_status={
        403: ErrorRule(
            ValidationError,
            hint="Vonage refused this by one of its limits; the message says which. It "
                 "allows at most 1000 rooms per application (themes are limited too); "
                 "rooms expire on their own, so wait for some to expire.",
        ),
    },
    codes={
        "InputValidationError": ErrorRule(ValidationError),
        "BadRequestError": ErrorRule(ValidationError),
        "ConflictError": ErrorRule(ValidationError),
        "NotFoundError": ErrorRule(NotFound),
    },
)
