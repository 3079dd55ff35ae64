"""Request validation for the Whereby simulator, following the official OpenAPI file.

Source: whereby/docs `.gitbook/assets/_api-reference-docs-openapi.json` (copied to
`contracts/whereby/openapi.json`). Whereby documents no 400 for /meetings; the body
`{"error": "<message>"}` mirrors its one documented error body (the 429), and the
messages name the field in the style of Joi (`"endDate" is required`). Both unconfirmed.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

ROOM_MODES = ("normal", "group")
ROOM_NAME_PATTERNS = ("uuid", "human-short")
TEMPLATE_TYPES = ("viewerMode",)
FIELDS = ("hostRoomUrl", "viewerRoomUrl")
LIMIT_MIN, LIMIT_MAX, LIMIT_DEFAULT = 1, 100, 50
PREFIX_MAX = 39
# The spec's prefix pattern flip-flopped between `[a-z0-9]` and `[a-z0-9-]`; the docs'
# own examples ("Customer0348-") use hyphens, so the hyphen is allowed (unconfirmed).
PREFIX_RE = re.compile(r"^[a-z0-9-]{0,39}$")
# A date-time needs a time part; Python's parser alone would also take a bare date.
_DATE_TIME_RE = re.compile(
    r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([Zz]|[+-]\d{2}(:?\d{2})?)?$"
)

# The nested option objects: a tuple is an enum, a dict a nested object; `None` is
# accepted for any property because the spec says null means "use the organization
# setting". The language enum in the spec carries a documentation bug (a trailing comma
# on every value); the real codes and the comma'd ones are both accepted.
_LANGS = [
    *("ca", "zh", "zh-TW", "cs", "da", "nl", "en", "en-US", "en-GB", "fi", "fr", "de"),
    *("de-CH", "el", "hi", "id", "it", "ja", "ko", "lv", "ms", "no", "pl", "pt", "pt-BR"),
    *("ro", "ru", "sk", "es", "sv", "th", "uk", "vi"),
]
_DESTINATION = {
    "provider": ("s3", "whereby"),
    "authenticationType": ("accessKey", "roleBased"),
    "bucket": str,
    "accessKeyId": str,
    "accessKeySecret": str,
    "region": str,  # documented only for transcription; the recording text asks for it too
    "oidcRoleArn": str,
}
_OPTIONS: dict[str, tuple[tuple[str, ...], dict[str, Any]]] = {
    "recording": (
        ("type", "destination", "startTrigger"),
        {
            "type": ("none", "local", "cloud"),
            "destination": (("provider",), {**_DESTINATION, "fileFormat": ("mkv", "mp4")}),
            "startTrigger": ("none", "prompt", "automatic", "automatic-2nd-participant"),
        },
    ),
    "liveTranscription": (
        ("destination", "startTrigger"),
        {
            "destination": (("provider",), _DESTINATION),
            "startTrigger": ("none", "manual", "automatic", "automatic-2nd-participant"),
            "language": tuple(_LANGS + [f"{code}," for code in _LANGS]),
            "liveCaptions": bool,
        },
    ),
    "streaming": (
        ("destination", "startTrigger"),
        {
            "destination": (("url",), {"url": str}),
            "startTrigger": ("none", "prompt", "automatic"),
        },
    ),
}


class Invalid(ValueError):
    """A 400: the message names the offending field."""


@dataclass
class CreateSpec:
    end: datetime
    room_mode: str = "normal"
    prefix: str = ""
    pattern: str = "uuid"
    is_locked: bool = False
    template_type: str | None = None
    fields: tuple[str, ...] = ()
    options: dict[str, Any] = field(default_factory=dict)


def to_ms(moment: datetime) -> datetime:
    """Whereby answers with millisecond precision; store what is shown."""
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)


def parse_date_time(value: Any, name: str) -> datetime:
    example = "e.g. 2025-05-07T17:42:49Z or 2025-05-07T17:42:49-05:00"
    if not isinstance(value, str) or not _DATE_TIME_RE.match(value):
        raise Invalid(f'"{name}" must be an ISO 8601 date-time, {example}')
    try:
        moment = datetime.fromisoformat(value.upper().replace("Z", "+00:00"))
    except ValueError as exc:
        raise Invalid(f'"{name}" must be a valid date-time, {example}') from exc
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)  # "By default in UTC" (spec)
    return moment.astimezone(UTC)


def _enum(body: dict[str, Any], name: str, allowed: tuple[str, ...], default: str | None):
    value = body.get(name)
    if value is None:
        return default  # absent or null: the spec's default
    if value not in allowed:
        raise Invalid(f'"{name}" must be one of: {", ".join(allowed)}')
    return value


def parse_fields(value: Any, name: str = "fields") -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise Invalid(f'"{name}" must be a list of: {", ".join(FIELDS)}')
    unknown = [item for item in value if item not in FIELDS]
    if unknown:
        raise Invalid(f'"{name}" has unknown values {unknown}; allowed: {", ".join(FIELDS)}')
    return tuple(dict.fromkeys(value))


def _check_object(path: str, value: Any, required: tuple[str, ...], props: dict[str, Any]):
    if not isinstance(value, dict):
        raise Invalid(f'"{path}" must be an object')
    for key in required:
        if key not in value:
            raise Invalid(f'"{path}.{key}" is required')
    for key, item in value.items():
        rule = props.get(key)
        where = f"{path}.{key}"
        if item is None or rule is None:
            continue  # null = inherit; unknown keys are ignored like the rest of the API
        if isinstance(rule, tuple) and len(rule) == 2 and isinstance(rule[1], dict):
            _check_object(where, item, *rule)
        elif isinstance(rule, tuple) and item not in rule:
            raise Invalid(f'"{where}" must be one of: {", ".join(rule)}')
        elif isinstance(rule, type) and (type(item) is not rule):
            raise Invalid(f'"{where}" must be a {"boolean" if rule is bool else "string"}')


def parse_create(body: Any, now: datetime) -> CreateSpec:
    """Validate a POST /meetings body against the spec; `now` is the request time."""
    if not isinstance(body, dict):
        raise Invalid("the request body must be a JSON object")
    if "endDate" not in body or body["endDate"] is None:
        raise Invalid('"endDate" is required')
    end = to_ms(parse_date_time(body["endDate"], "endDate"))
    if end < to_ms(now):
        raise Invalid('"endDate" must be now or later')
    # "startDate" is deprecated and its value ignored (the start is the request time);
    # old clients still send it, so it is accepted without even being checked.
    prefix = body.get("roomNamePrefix", "")
    if prefix is None:
        prefix = ""
    if not isinstance(prefix, str):
        raise Invalid('"roomNamePrefix" must be a string')
    prefix = re.sub(r"\s+", "", prefix).lower()  # the docs: lower-cased, spaces removed
    if len(prefix) > PREFIX_MAX:
        raise Invalid(f'"roomNamePrefix" must be at most {PREFIX_MAX} characters')
    if not PREFIX_RE.match(prefix):
        raise Invalid('"roomNamePrefix" may only contain a-z, 0-9 and "-"')
    is_locked = body.get("isLocked")
    if is_locked is None:
        is_locked = False  # unconfirmed default; the SDKs send false
    if not isinstance(is_locked, bool):
        raise Invalid('"isLocked" must be a boolean')
    spec = CreateSpec(
        end=end,
        room_mode=_enum(body, "roomMode", ROOM_MODES, "normal"),
        prefix=prefix,
        pattern=_enum(body, "roomNamePattern", ROOM_NAME_PATTERNS, "uuid"),
        is_locked=is_locked,
        template_type=_enum(body, "templateType", TEMPLATE_TYPES, None),
        fields=parse_fields(body["fields"]) if body.get("fields") is not None else (),
    )
    for name, (required, props) in _OPTIONS.items():
        if body.get(name) is not None:
            _check_object(name, body[name], required, props)
            spec.options[name] = body[name]
    if spec.template_type == "viewerMode":
        # The spec: viewer mode locks the room, makes it a group room and adds both links.
        # A conflicting roomMode/isLocked is overridden rather than refused (unconfirmed).
        spec.is_locked, spec.room_mode = True, "group"
        spec.fields = tuple(dict.fromkeys((*spec.fields, *FIELDS)))
    return spec


def parse_limit(raw: str | None) -> int:
    if raw is None:
        return LIMIT_DEFAULT
    if not re.fullmatch(r"[0-9]+", raw.strip()) or not LIMIT_MIN <= int(raw) <= LIMIT_MAX:
        raise Invalid(f'"limit" must be an integer from {LIMIT_MIN} to {LIMIT_MAX}')
    return int(raw)


def parse_query_fields(values: list[str]) -> tuple[str, ...]:
    """`fields=hostRoomUrl,viewerRoomUrl` (form style, not exploded); repeats also accepted."""
    items = [part.strip() for value in values for part in value.split(",") if part.strip()]
    return parse_fields(items)


def encode_cursor(offset: int) -> str:
    # Real cursors are base64 of {"type":"offset","value":"5"} (amp-labs/connectors #1374).
    raw = json.dumps({"type": "offset", "value": str(offset)}, separators=(",", ":"))
    return base64.b64encode(raw.encode()).decode()


def decode_cursor(raw: str | None) -> int:
    if raw is None or raw == "":
        return 0
    try:
        data = json.loads(base64.b64decode(raw + "=" * (-len(raw) % 4), validate=True))
        value = data["value"] if data.get("type") == "offset" else None
        offset = int(value) if isinstance(value, str | int) and not isinstance(value, bool) else -1
    except (ValueError, TypeError, KeyError, AttributeError, binascii.Error):
        offset = -1
    if offset < 0:
        raise Invalid('"cursor" is invalid; pass the cursor of the previous page unchanged')
    return offset
