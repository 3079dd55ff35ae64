"""24sessions' error answers, declared once: API Platform's bodies (a `hydra:Error` with
`hydra:title`/`hydra:description`, or a `ConstraintViolationList` with `violations` and
their `propertyPath`s) and OAuth2's (`error`, `error_description`), with the form field
a 400 is about.

Contract: the research contract (`research/`, 24sessions §2.6): API Platform's and
FOSOAuthServerBundle's defaults, unconfirmed for 24sessions itself.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from meettui.core.errors import AuthError
from meettui.core.http_errors import ErrorInfo, ErrorMap, ErrorRule

if TYPE_CHECKING:
    import httpx

# A request property named by a violation -> the form field (`FieldSpec.name`) it came from.
FIELD_FOR = {
    "date": "starts_at",
    "description": "title",
    "guest": "guest_name",
    "guest.name": "guest_name",
    "guest.email": "guest_email",
    "user": "user",
    "type": "meeting_type",
    "reschedulingReason": "reason",
    "cancellationReason": "reason",
}
_IRI_IN_TEXT = re.compile(r'"/(users|meeting_types)/')


def field_of(path: str) -> str | None:
    """The form field of a `propertyPath` (`guest.email` -> `guest_email`)."""
    return FIELD_FOR.get(path) or FIELD_FOR.get(path.split(".", 1)[0])


def _field_in(description: str) -> str | None:
    """The form field a `hydra:description` is about, where its text shows it: an IRI
    that names nothing (`Item not found for "/users/9"`, `Invalid IRI "…"`), or a date
    the server could not read."""
    iri = _IRI_IN_TEXT.search(description)
    if iri:
        return "user" if iri.group(1) == "users" else "meeting_type"
    if "DateTime" in description or "valid DateTime string" in description:
        return "starts_at"
    return None


def api_platform_error(response: httpx.Response) -> ErrorInfo:
    """(message, form field, code) of an error answer. Violations become one message
    naming each property; the field is the first violation's. A body that is not JSON
    gives its status line (gateways answer with HTML)."""
    status_line = f"{response.status_code} {response.reason_phrase or ''}".strip()
    try:
        body: Any = response.json()
    except ValueError:
        return ErrorInfo(status_line)
    if not isinstance(body, dict):
        return ErrorInfo(status_line)
    found = body.get("violations")
    if isinstance(found, list) and found:
        parts, first_field = [], None
        for item in found:
            if not isinstance(item, dict):
                continue
            path, message = str(item.get("propertyPath") or ""), str(item.get("message") or "")
            parts.append(f"{path}: {message}" if path else message)
            first_field = first_field or field_of(path)
        if parts:
            return ErrorInfo("; ".join(parts), first_field)
    description = body.get("hydra:description") or body.get("detail")
    if isinstance(description, str) and description:
        return ErrorInfo(description, _field_in(description))
    code = body.get("error")
    if isinstance(code, str) and code:
        text = body.get("error_description")
        return ErrorInfo(text if isinstance(text, str) and text else code, None, code)
    title = body.get("hydra:title")
    return ErrorInfo(title if isinstance(title, str) and title else status_line)


ERRORS = ErrorMap(
    parse=api_platform_error,
    status={
        401: ErrorRule(AuthError, hint="24sessions refused the access token: check the "
                                       "account's client_id and client_secret."),
    },
)
