"""Request rules of the 24sessions simulator: what the API accepts, and the API Platform
error bodies it refuses with.

Contract: the research contract (`research/`, 24sessions) §2.2–2.6. 24sessions is an
API Platform (Symfony) application: validation failures are a
`ConstraintViolationList` (`violations` with `propertyPath`), other refusals a
`hydra:Error` (`hydra:title`, `hydra:description`). The exact texts below are API
Platform's and Symfony's defaults (unconfirmed for 24sessions itself).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

STATUSES = ("scheduled", "completed", "missed", "canceled_user", "canceled_guest")
CANCELLED = ("canceled_user", "canceled_guest")

# Symfony's default constraint messages.
BLANK = "This value should not be blank."
BAD_CHOICE = "The value you selected is not a valid choice."
BAD_EMAIL = "This value is not a valid email address."
# Rescheduling a cancelled meeting: undocumented; refused so a cancellation is not
# silently undone by a date change (unconfirmed).
CANCELLED_RESCHEDULE = "A cancelled meeting cannot be rescheduled."
# API Platform's message for a date it cannot read (the DateTime normalizer).
BAD_DATE = ("The data is either an empty string or null, you should pass a string that "
            "can be parsed with the passed format or a valid DateTime string.")

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_IRI = re.compile(r"^/(users|meeting_types)/(\d+)$")


class Refused(Exception):
    """A request the API refuses: `status` and the API Platform body to send."""

    def __init__(self, status: int, body: dict[str, Any]) -> None:
        super().__init__(body.get("hydra:description", ""))
        self.status = status
        self.body = body


def hydra_error(status: int, description: str) -> Refused:
    """API Platform's `hydra:Error` (400, 404, 405)."""
    return Refused(status, {
        "@context": "/contexts/Error",
        "@type": "hydra:Error",
        "hydra:title": "An error occurred",
        "hydra:description": description,
    })


def violations(found: list[tuple[str, str]]) -> Refused:
    """API Platform's `ConstraintViolationList` (400): `(propertyPath, message)` pairs."""
    return Refused(400, {
        "@context": "/contexts/ConstraintViolationList",
        "@type": "ConstraintViolationList",
        "hydra:title": "An error occurred",
        "hydra:description": "\n".join(f"{path}: {message}" for path, message in found),
        "violations": [{"propertyPath": path, "message": message} for path, message in found],
    })


def not_found() -> Refused:
    return hydra_error(404, "Not Found")


def parse_date(value: Any) -> datetime:
    """An ISO 8601 date-time (an offset, `Z`, or none: UTC). Refused with API
    Platform's denormalizer message otherwise."""
    if not isinstance(value, str) or not value.strip():
        raise hydra_error(400, BAD_DATE)
    text = value.strip().replace("Z", "+00:00").replace("z", "+00:00")
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise hydra_error(
            400, f"DateTime::__construct(): Failed to parse time string ({value[:60]}) at "
                 "position 0: The timezone could not be found in the database") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def parse_iri(value: Any, collection: str) -> int:
    """The id of a relation given as an IRI (`"/users/12"`) or an object holding one
    (`{"@id": "/users/12"}`). Refused as API Platform does: `Invalid IRI` (400)."""
    iri = value.get("@id") if isinstance(value, dict) else value
    match = _IRI.match(iri) if isinstance(iri, str) else None
    if match is None or match.group(1) != collection:
        shown = iri if isinstance(iri, str) else repr(iri)
        raise hydra_error(400, f'Invalid IRI "{shown}".')
    return int(match.group(2))


def item_not_found(iri: str) -> Refused:
    """An IRI that names nothing (API Platform: 400, not 404, inside a body)."""
    return hydra_error(400, f'Item not found for "{iri}".')


def parse_guest(value: Any) -> dict[str, str]:
    """`{"name", "email"}`; both required, the email well formed."""
    found: list[tuple[str, str]] = []
    guest = value if isinstance(value, dict) else {}
    name = guest.get("name")
    email = guest.get("email")
    if not isinstance(name, str) or not name.strip():
        found.append(("guest.name", BLANK))
    if not isinstance(email, str) or not email.strip():
        found.append(("guest.email", BLANK))
    elif not _EMAIL.match(email.strip()):
        found.append(("guest.email", BAD_EMAIL))
    if found:
        raise violations(found)
    return {"name": str(name).strip(), "email": str(email).strip()}


def parse_status(value: Any) -> str:
    if value not in STATUSES:
        raise violations([("status", BAD_CHOICE)])
    return str(value)


def parse_text(value: Any, path: str, max_len: int = 2000) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise violations([(path, "This value should be of type string.")])
    if len(value) > max_len:
        raise violations([(path, f"This value is too long. It should have {max_len} "
                                 "characters or less.")])
    return value


def parse_positive(value: str | None, name: str, default: int) -> int:
    """A query number such as `page`; API Platform answers 400 for page < 1."""
    if value is None or value == "":
        return default
    if not value.isdigit() or int(value) < 1:
        raise hydra_error(400, f"{name.capitalize()} should not be less than 1")
    return int(value)
