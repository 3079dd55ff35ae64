"""Accelevents' error answers, declared once: the body shape, the provider codes the
Join Session reference page lists, and the statuses Accelevents uses for refusals by a
business rule (406, and a 403 with a code of its own: a ticket type the session does not
admit).

Contract: the Join Session seed page (`seeds/002_…`, error table: 4010101 Not
authorized, 4040200 Event not found, 404800 Session not found) and
`research/providers-eyeson-24sessions-events.md` §3.2 (body `{errorCode, errorMessage,
developerMessage}` is the common Accelevents shape, unconfirmed: read `code`/`message`
too; a duplicate speaker email is HTTP 406 with code 4068906, so 406 is how Accelevents
refuses a well-formed request that a rule forbids).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from meettui.core.errors import (
    AuthError,
    NotFound,
    ValidationError,
    WrongAddress,
)
from meettui.core.http_errors import ErrorInfo, ErrorMap, ErrorRule

if TYPE_CHECKING:
    import httpx

NOT_AUTHORIZED = "4010101"
EVENT_NOT_FOUND = "4040200"
SESSION_NOT_FOUND = "404800"  # six digits, as the reference page gives it

# A session DTO key named in an error message -> the form field it is about.
_FIELDS = {
    "startTime": "starts_at",
    "endTime": "ends_at",
    "title": "title",
    "format": "format",
    "capacity": "capacity",
    "description": "description",
    "status": "status",
    "allowedMinutesToJoinLate": "allowedMinutesToJoinLate",
}
_FIELD_RE = re.compile(r"\b(" + "|".join(_FIELDS) + r")\b")


def accelevents_error(response: httpx.Response) -> ErrorInfo:
    """`{errorCode, errorMessage, developerMessage}` (also `code`/`message`); the code as
    text (the API sends it as a string or a number). The form field is the first session
    key the messages name. A body that is not JSON gives the status line."""
    status_line = f"{response.status_code} {response.reason_phrase or ''}".strip()
    try:
        body = response.json()
    except ValueError:
        return ErrorInfo(status_line)
    if not isinstance(body, dict):
        return ErrorInfo(status_line)
    code = next((str(body[k]) for k in ("errorCode", "code")
                 if isinstance(body.get(k), str | int) and not isinstance(body.get(k), bool)),
                None)
    message = next((body[k] for k in ("errorMessage", "message", "error")
                    if isinstance(body.get(k), str) and body[k]), "") or status_line
    developer = body.get("developerMessage")
    found = _FIELD_RE.search(f"{message} {developer if isinstance(developer, str) else ''}")
    return ErrorInfo(message, _FIELDS[found.group(1)] if found else None, code)


RULE_REFUSAL = ErrorRule(ValidationError, hint="Accelevents refused this by one of its "
                         "rules; the message says which.")
"""A well-formed request that one of Accelevents' rules forbids (Join Session's: a
ticket type the session does not admit, a session not live, a full one; research §3.2):
about this request, not the API key."""

ERRORS = ErrorMap(
    parse=accelevents_error,
    codes={
        NOT_AUTHORIZED: ErrorRule(AuthError, hint="Check the account's API key (Edit "
                                  "Enterprise → Integrations → API Key)."),
        # The account's event, not a session: its address is wrong (`WrongAddress`,
        # whose hint the service makes name every setting of that address, with their
        # values: `eventurl`, `event_id`, `base_url`).
        EVENT_NOT_FOUND: ErrorRule(WrongAddress),
        SESSION_NOT_FOUND: ErrorRule(NotFound),
    },
    status={406: RULE_REFUSAL},
    # A 403 in Accelevents' own shape, with a code other than "not authorized" (which
    # is a 401's): a rule's refusal, as "Your ticket type cannot register for this
    # session."; a 403 with no code (a gateway's) is read as the credentials'.
    coded_status={403: RULE_REFUSAL},
)
