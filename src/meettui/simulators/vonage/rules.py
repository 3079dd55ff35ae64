"""Request rules of the Vonage Meetings simulator, read from the v1 spec
(`contracts/vonage/meetings-openapi-v1.yml`: CreateRoomRequest, UpdateRoomRequest,
CreateThemeDetails, UpdateThemeDetails, UpdateApplicationDetails) and the research
(`research/providers-whereby-vonage.md` §2.4–2.7).

The service validates with Joi, so messages follow Joi's wording (`"display_name" is
required`, `"foo" is not allowed`, `"update_details" must have at least 1 key`, the
last one recorded in `update_no_keys.json`). Shape, type and enum errors are
`InputValidationError`; rules about time and state are `BadRequestError` (the wording
of those is unconfirmed).
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

INPUT = "InputValidationError"
BAD_REQUEST = "BadRequestError"

ROOM_TYPES = ("instant", "long_term")
JOIN_APPROVAL = ("none", "after_owner_only", "explicit_approval")
MICROPHONE = ("on", "off", "default")
# The spec's enum, plus "default", which every recorded room answers with.
LANGUAGES = ("default", "ar", "ca", "de", "en", "es", "fr", "he", "it", "pt-br", "zh-tw",
             "zh-cn")
NAME_MAX, METADATA_MAX = 200, 500
# Instant rooms live 10 minutes; a long-term expiry must be more than 10 minutes ahead
# (spec Room_ExpiresAt) and at most a year ("remains alive until the expiration date you
# specify (maximum one year)", the Meetings API overview page).
INSTANT_LIFETIME = timedelta(minutes=10)
MIN_AHEAD = timedelta(minutes=10)
MAX_AHEAD = timedelta(days=365)
URL_RE = re.compile(r"^https?://.*$")
COLOR_RE = re.compile(r"^#([a-fA-F0-9]{6}|[a-fA-F0-9]{3})$")
SHORT_URL_RE = re.compile(r"^(?=.*[a-zA-Z_~-])([a-zA-Z0-9_~-]+)$")
SHORT_URL_MAX, COLOR_MAX = 128, 7
PAGE_SIZE_DEFAULT = 20
# The documented maximum is unconfirmed; the Java SDK walks pages of 1000.
PAGE_SIZE_MAX = 1000

_BOOL = "boolean"
# The nested objects rooms take: key -> a type name, an enum tuple, or "url".
NESTED: dict[str, dict[str, Any]] = {
    "recording_options": {"auto_record": _BOOL, "record_only_owner": _BOOL},
    "initial_join_options": {"microphone_state": MICROPHONE},
    "callback_urls": {"rooms_callback_url": "url", "sessions_callback_url": "url",
                      "recordings_callback_url": "url"},
    "available_features": {k: _BOOL for k in (
        "is_recording_available", "is_chat_available", "is_whiteboard_available",
        "is_locale_switcher_available", "is_captions_available")},
    "ui_settings": {"language": LANGUAGES},
}
CREATE_KEYS = ("display_name", "metadata", "type", "expires_at", "expire_after_use",
               "recording_options", "theme_id", "join_approval_level",
               "initial_join_options", "callback_urls", "available_features", "ui_settings")
UPDATE_KEYS = ("expires_at", "expire_after_use", "theme_id", "join_approval_level",
               "initial_join_options", "callback_urls", "available_features")
THEME_KEYS = ("theme_name", "main_color", "brand_text", "short_company_url")


class Invalid(ValueError):
    """A 400 in the service shape: `name` is the error class, `errors` optional details."""

    def __init__(self, message: str, name: str = INPUT,
                 errors: list[Any] | None = None) -> None:
        super().__init__(message)
        self.message, self.name, self.errors = message, name, errors


@dataclass
class RoomSpec:
    """A create request, checked."""

    display_name: str
    type: str = "instant"
    metadata: str | None = None
    expires_at: datetime | None = None
    expire_after_use: bool = False
    theme_id: str | None = None
    settings: dict[str, Any] = field(default_factory=dict)
    """join_approval_level and the nested objects, as given."""


def _check_keys(body: dict[str, Any], allowed: tuple[str, ...], prefix: str = "") -> None:
    for key in body:
        if key not in allowed:
            raise Invalid(f'"{prefix}{key}" is not allowed')


def _object(body: Any, label: str = "value") -> dict[str, Any]:
    if not isinstance(body, dict):
        raise Invalid(f'"{label}" must be of type object')
    return body


def _string(body: dict[str, Any], key: str, limit: int, *, label: str | None = None,
            nullable: bool = False) -> str | None:
    label = label or key
    value = body.get(key)
    if value is None and nullable:
        return None
    if not isinstance(value, str):
        raise Invalid(f'"{label}" must be a string')
    if len(value) > limit:
        raise Invalid(f'"{label}" length must be less than or equal to {limit} characters long')
    return value


def _enum(value: Any, allowed: tuple[str, ...], label: str) -> str:
    if value not in allowed:
        raise Invalid(f'"{label}" must be one of [{", ".join(allowed)}]')
    return str(value)


def _bool(value: Any, label: str) -> bool:
    if not isinstance(value, bool):
        raise Invalid(f'"{label}" must be a boolean')
    return value


def is_uuid(value: Any) -> bool:
    """True for a UUID in its canonical text form."""
    if not isinstance(value, str):
        return False
    try:
        return str(uuid.UUID(value)) == value.lower()
    except ValueError:
        return False


def _date(value: Any, label: str) -> datetime:
    if isinstance(value, str) and re.match(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}", value):
        try:
            moment = datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
        except ValueError:
            moment = None
        if moment is not None and moment.tzinfo is not None:
            return moment
    raise Invalid(f'"{label}" must be a valid date')


def _nested(body: dict[str, Any], key: str, prefix: str = "") -> dict[str, Any]:
    label = f"{prefix}{key}"
    value = _object(body[key], label)
    rules = NESTED[key]
    _check_keys(value, tuple(rules), f"{label}.")
    for inner in value:
        rule, where = rules[inner], f"{label}.{inner}"
        if rule == _BOOL:
            _bool(value[inner], where)
        elif rule == "url":
            if not isinstance(value[inner], str) or not URL_RE.match(value[inner]):
                raise Invalid(f'"{where}" with value "{value[inner]}" fails to match the '
                              "required pattern: /^https?:\\/\\/.*$/")
        else:
            _enum(value[inner], rule, where)
    return dict(value)


def _expiry(value: Any, now: datetime, label: str) -> datetime:
    moment = _date(value, label)
    if moment <= now + MIN_AHEAD:
        raise Invalid(f'"{label}" must be greater than 10 minutes from now', BAD_REQUEST)
    if moment > now + MAX_AHEAD:
        raise Invalid(f'"{label}" must be at most one year from now', BAD_REQUEST)
    return moment


def _settings(body: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    settings: dict[str, Any] = {}
    if "join_approval_level" in body:
        settings["join_approval_level"] = _enum(body["join_approval_level"], JOIN_APPROVAL,
                                                f"{prefix}join_approval_level")
    for key in NESTED:
        if key in body:
            settings[key] = _nested(body, key, prefix)
    return settings


def _theme_id(body: dict[str, Any], prefix: str = "") -> str | None:
    value = body.get("theme_id")
    if value is None:
        return None
    if not is_uuid(value):
        raise Invalid(f'"{prefix}theme_id" must be a valid GUID')
    return str(value)


def parse_create(body: Any, now: datetime) -> RoomSpec:
    """POST /rooms. Raises Invalid with the first problem, Joi-style."""
    body = _object(body)
    _check_keys(body, CREATE_KEYS)
    if "display_name" not in body:
        raise Invalid('"display_name" is required')
    name = _string(body, "display_name", NAME_MAX)
    assert name is not None
    if not name.strip():
        raise Invalid('"display_name" is not allowed to be empty')
    metadata = _string(body, "metadata", METADATA_MAX, nullable=True) \
        if "metadata" in body else None
    room_type = _enum(body.get("type", "instant"), ROOM_TYPES, "type")
    expires: datetime | None = None
    if room_type == "long_term":
        if body.get("expires_at") is None:
            raise Invalid('"expires_at" is required')
        expires = _expiry(body["expires_at"], now, "expires_at")
    elif "expires_at" in body:
        raise Invalid('"expires_at" is not allowed')
    after_use = False
    if "expire_after_use" in body:
        if room_type != "long_term":
            raise Invalid('"expire_after_use" is not allowed')
        after_use = _bool(body["expire_after_use"], "expire_after_use")
    return RoomSpec(display_name=name, type=room_type, metadata=metadata, expires_at=expires,
                    expire_after_use=after_use, theme_id=_theme_id(body),
                    settings=_settings(body))


def update_details(body: Any, allowed: tuple[str, ...]) -> dict[str, Any]:
    """The `update_details` object of a PATCH, keys checked against `allowed`."""
    body = _object(body)
    _check_keys(body, ("update_details",))
    if "update_details" not in body:
        raise Invalid('"update_details" is required')
    details = _object(body["update_details"], "update_details")
    if not details:
        raise Invalid('"update_details" must have at least 1 key')
    _check_keys(details, allowed, "update_details.")
    return details


def parse_update(body: Any, now: datetime) -> dict[str, Any]:
    """PATCH /rooms/{id}: the changes, checked (the room's type is the caller's)."""
    details = update_details(body, UPDATE_KEYS)
    prefix = "update_details."
    changes: dict[str, Any] = {}
    if "expires_at" in details:
        changes["expires_at"] = _expiry(details["expires_at"], now, f"{prefix}expires_at")
    if "expire_after_use" in details:
        changes["expire_after_use"] = _bool(details["expire_after_use"],
                                            f"{prefix}expire_after_use")
    if "theme_id" in details:
        changes["theme_id"] = _theme_id(details, prefix)
    changes.update(_settings(details, prefix))
    return changes


def parse_theme(body: Any, *, create: bool) -> dict[str, Any]:
    """POST /themes (the body itself) or PATCH /themes/{id} (its `update_details`)."""
    if create:
        details = _object(body)
        _check_keys(details, THEME_KEYS)
        prefix = ""
        for key in ("main_color", "brand_text"):
            if key not in details:
                raise Invalid(f'"{key}" is required')
    else:
        details = update_details(body, THEME_KEYS)
        prefix = "update_details."
    out: dict[str, Any] = {}
    if "theme_name" in details:
        out["theme_name"] = _string(details, "theme_name", NAME_MAX,
                                    label=f"{prefix}theme_name")
    if "main_color" in details:
        color = _string(details, "main_color", COLOR_MAX, label=f"{prefix}main_color")
        if not COLOR_RE.match(color or ""):
            raise Invalid(f'"{prefix}main_color" with value "{color}" fails to match the '
                          "required pattern: /#([a-fA-F0-9]{6}|[a-fA-F0-9]{3})$/")
        out["main_color"] = color
    if "brand_text" in details:
        out["brand_text"] = _string(details, "brand_text", NAME_MAX,
                                    label=f"{prefix}brand_text")
    if "short_company_url" in details:
        short = _string(details, "short_company_url", SHORT_URL_MAX,
                        label=f"{prefix}short_company_url")
        if not SHORT_URL_RE.match(short or ""):
            raise Invalid(f'"{prefix}short_company_url" with value "{short}" fails to match '
                          "the required pattern: /^(?=.*[a-zA-Z_~-])([a-zA-Z0-9_~-]+)$/")
        out["short_company_url"] = short
    return out


def parse_page(query: Any) -> tuple[int, int | None, int | None]:
    """`page_size`, `start_id`, `end_id` of a list request (integers; the serials are
    not room ids). Raises Invalid."""
    def integer(name: str, low: int) -> int | None:
        text = query.get(name)
        if text is None:
            return None
        if not re.fullmatch(r"\d+", text.strip()) or int(text) < low:
            raise Invalid(f'"{name}" must be {"a positive" if low else "an"} integer')
        return int(text)

    size = integer("page_size", 1)
    if size is not None and size > PAGE_SIZE_MAX:
        raise Invalid(f'"page_size" must be less than or equal to {PAGE_SIZE_MAX}')
    return (size or PAGE_SIZE_DEFAULT), integer("start_id", 0), integer("end_id", 0)


def parse_force(value: str | None) -> bool:
    """DELETE /themes/{id}?force=: "true" forces, "false" or no value does not."""
    if value is None or value == "false":
        return False
    if value == "true":
        return True
    raise Invalid('"force" must be a boolean')
