"""Request parsing and validation for the eyeson simulator.

Contract: `research/providers-eyeson-24sessions-events.md` §1 (permalink and rooms API,
options table), the Permalink API seed page, and the eyeson SDKs' request encodings:
PHP and Go send `application/x-www-form-urlencoded` with bracket keys
(`user[name]=..&options[widescreen]=true`, booleans as the strings "true"/"false"), the
Node SDK sends JSON objects. Both are normalised here into one nested dict.

eyeson's error texts are not documented (only the `{"error": "..."}` shape is, from the
SDKs' parsing); the messages below name the parameter, which is a choice.
"""

from __future__ import annotations

import json
import random
import re
import string
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl, urlsplit

# --- ids and tokens ----------------------------------------------------------------------

TOKEN_ALPHABET = string.ascii_letters + string.digits
TOKEN_LENGTH = 24  # access keys, guest and user tokens are 24 alphanumerics in every example


def token(rng: random.Random, length: int = TOKEN_LENGTH) -> str:
    return "".join(rng.choice(TOKEN_ALPHABET) for _ in range(length))


# Where the time part of seeded ids counts from (any fixed instant would do).
SEED_EPOCH = datetime(2026, 1, 1, tzinfo=UTC)


class SeedRandom(random.Random):
    """The random source seed data is drawn from, anchored at the clock's time when the
    data was made. The seed data itself is laid out relative to that time (created 3
    days ago, expiring in 2 hours), but its ids must not be: the demo rebuilds its
    simulator on every start, and a cache that outlives it has to find the same
    permalinks again, not a copy of each under a new id. So an id drawn from a
    SeedRandom takes its time part from `SEED_EPOCH` plus the moment's distance from
    the anchor: the same for the same seed, whatever the clock says."""

    def __init__(self, seed: str, anchor: datetime) -> None:
        super().__init__(seed)
        self.anchor = anchor


def object_id(rng: random.Random, moment: datetime) -> str:
    """A MongoDB-style ObjectId (24 hex: 4 bytes of creation time, then random), as
    eyeson's room and permalink ids look. Drawn from a `SeedRandom`, the time part does
    not depend on the clock."""
    if isinstance(rng, SeedRandom):
        moment = SEED_EPOCH + (moment - rng.anchor)
    return f"{int(moment.timestamp()) & 0xFFFFFFFF:08x}{rng.getrandbits(64):016x}"


# --- options ---------------------------------------------------------------------------

BOOL_OPTIONS = (
    "show_names", "show_label", "recording_available", "broadcast_available",
    "reaction_available", "layout_available", "guest_token_available", "lock_available",
    "kick_available", "widescreen",
)  # fmt: skip
SFU_MODES = ("disabled", "screencast", "ptp")
AUDIO_INSERT = ("enabled", "disabled", "audio_only")
LOCALES = ("en", "de", "fr")
CUSTOM_BOOL_FIELDS = (
    "hide_chat", "virtual_background", "virtual_background_allow_guest",
    "virtual_background_allow_local_image",
)  # fmt: skip
CUSTOM_TEXT_FIELDS = ("logo", "virtual_background_image", "iframe_postmessage_origin")
HEX_COLOR_RE = re.compile(r"^#[0-9a-fA-F]{6}$")

# What a response echoes when nothing was asked for ([E3], [E5] examples). The echo has
# read-only keys (`layout`, `suggest_guest_names`, `layout_*`, `voice_activation`) that
# are not inputs. `guest_token_available` is an input that the examples never echo, so
# it is only echoed when it was sent.
OPTION_DEFAULTS: dict[str, Any] = {
    "show_names": True,
    "show_label": True,
    "exit_url": None,
    "recording_available": True,
    "broadcast_available": True,
    "layout_available": True,
    "layout": "auto",
    "reaction_available": True,
    "suggest_guest_names": True,
    "lock_available": False,
    "kick_available": True,
    "sfu_mode": "ptp",
    "layout_users": None,
    "layout_name": None,
    "layout_map": None,
    "voice_activation": False,
    "custom_fields": {},
    "widescreen": False,
    "background_color": "#121212",
}
# The rooms reference says widescreen defaults to false; the newer permalink page says
# true. Rooms use false; permalinks use this (configurable on the simulator).
PERMALINK_WIDESCREEN_DEFAULT = True


class Invalid(Exception):
    """A request the API refuses; `status` is the HTTP code (400 unless said)."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


# --- bodies ----------------------------------------------------------------------------

_BRACKETS = re.compile(r"\[([^\[\]]*)\]")


def split_key(key: str) -> list[str]:
    """`"options[custom_fields][locale]"` -> `["options", "custom_fields", "locale"]`."""
    head, _, rest = key.partition("[")
    if not rest:
        return [key]
    parts = [head, *_BRACKETS.findall("[" + rest)]
    if "[" + "][".join(parts[1:]) + "]" != "[" + rest:
        raise Invalid(f"malformed parameter name {key!r}")
    return parts


def nest(pairs: list[tuple[str, str]]) -> dict[str, Any]:
    """Form pairs with bracket keys into nested dicts (`a[]` collects a list)."""
    out: dict[str, Any] = {}
    for key, value in pairs:
        parts = split_key(key)
        node = out
        for part in parts[:-1]:
            if part == "":
                raise Invalid(f"malformed parameter name {key!r}")
            child = node.setdefault(part, {})
            if not isinstance(child, dict):
                raise Invalid(f"parameter {key!r} clashes with another parameter")
            node = child
        last = parts[-1]
        if last == "":  # `users[]=a&users[]=b`
            raise Invalid(f"list parameter {key!r} is not supported here")
        if isinstance(node.get(last), dict):
            raise Invalid(f"parameter {key!r} clashes with another parameter")
        node[last] = value
    return out


def parse_body(content_type: str | None, raw: bytes) -> dict[str, Any]:
    """A request body as a nested dict, from JSON or a bracket-keyed form."""
    if not raw.strip():
        return {}
    media = (content_type or "").split(";")[0].strip().lower()
    if media == "application/json" or (not media and raw.lstrip()[:1] == b"{"):
        try:
            data = json.loads(raw)
        except ValueError:
            raise Invalid("the request body is not valid JSON") from None
        if not isinstance(data, dict):
            raise Invalid("the request body must be a JSON object")
        return data
    if media in ("application/x-www-form-urlencoded", ""):
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise Invalid("the request body is not UTF-8") from None
        return nest(parse_qsl(text, keep_blank_values=True))
    raise Invalid(f"unsupported content type {media!r}", status=415)


# --- values ----------------------------------------------------------------------------


def as_bool(value: Any, name: str) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    raise Invalid(f"{name} must be true or false")


def as_text(value: Any, name: str, *, required: bool = False, max_len: int = 256) -> str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise Invalid(f"{name} is required")
        return None
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        raise Invalid(f"{name} must be a string")
    text = str(value).strip()
    if len(text) > max_len:
        raise Invalid(f"{name} is longer than {max_len} characters")
    return text


def as_url(value: Any, name: str) -> str | None:
    text = as_text(value, name, max_len=2048)
    if text is None:
        return None
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise Invalid(f"{name} must be an http(s) URL")
    return text


def as_datetime(value: Any, name: str) -> datetime | None:
    text = as_text(value, name, max_len=64)
    if text is None:
        return None
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        raise Invalid(f"{name} must be an ISO 8601 date-time") from None
    if moment.tzinfo is None:  # Rails reads a bare time as UTC
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def as_dict(value: Any, name: str) -> dict[str, Any]:
    if value is None or value == "":
        return {}
    if not isinstance(value, dict):
        raise Invalid(f"{name} must be an object ({name}[key]=value)")
    return value


def parse_user(body: dict[str, Any], *, nested: bool = True) -> dict[str, Any]:
    """`user[name]` (required), `user[id]`, `user[avatar]`; guests send them top-level."""
    src = as_dict(body.get("user"), "user") if nested else body
    prefix = "user" if nested else ""

    def key(k: str) -> str:
        return f"{prefix}[{k}]" if prefix else k

    return {
        "name": as_text(src.get("name"), key("name"), required=True, max_len=128),
        "id": as_text(src.get("id"), key("id"), max_len=128),
        "avatar": as_url(src.get("avatar"), key("avatar")),
    }


def parse_options(raw: Any) -> dict[str, Any]:
    """The `options[...]` a caller set, validated; unknown keys are ignored (as Rails'
    strong parameters drop them)."""
    options = as_dict(raw, "options")
    out: dict[str, Any] = {}
    for name in BOOL_OPTIONS:
        if name in options:
            out[name] = as_bool(options[name], f"options[{name}]")
    if "exit_url" in options:
        out["exit_url"] = as_url(options["exit_url"], "options[exit_url]")
    if "sfu_mode" in options:
        out["sfu_mode"] = _choice(options["sfu_mode"], "options[sfu_mode]", SFU_MODES)
    if "audio_insert" in options:
        out["audio_insert"] = _choice(options["audio_insert"], "options[audio_insert]",
                                      AUDIO_INSERT)
    if "background_color" in options:
        color = as_text(options["background_color"], "options[background_color]")
        if color is not None and not HEX_COLOR_RE.match(color):
            raise Invalid("options[background_color] must be a hex colour like #121212")
        out["background_color"] = color
    if "custom_fields" in options:
        out["custom_fields"] = _custom_fields(options["custom_fields"])
    return out


def _choice(value: Any, name: str, choices: tuple[str, ...]) -> str:
    text = as_text(value, name, required=True)
    if text not in choices:
        raise Invalid(f"{name} must be one of {', '.join(choices)}")
    return text


def _custom_fields(raw: Any) -> dict[str, Any]:
    fields = as_dict(raw, "options[custom_fields]")
    out: dict[str, Any] = {}
    for name, value in fields.items():
        where = f"options[custom_fields][{name}]"
        if name == "locale":
            out[name] = _choice(value, where, LOCALES)
        elif name in CUSTOM_BOOL_FIELDS:
            out[name] = as_bool(value, where)
        elif name in CUSTOM_TEXT_FIELDS:
            out[name] = as_text(value, where, max_len=2048)
    return out


def echo_options(stored: dict[str, Any], *, widescreen: bool) -> dict[str, Any]:
    """The options object of a response: defaults, then what was set."""
    echoed = {**OPTION_DEFAULTS, "widescreen": widescreen}
    custom = {**stored.get("custom_fields", {})}
    echoed.update({k: v for k, v in stored.items() if k != "custom_fields"})
    echoed["custom_fields"] = custom
    return echoed


# --- paging ----------------------------------------------------------------------------

PAGE_DEFAULT, LIMIT_DEFAULT = 1, 25  # the SDKs' defaults [E6, E7]
# eyeson documents no maximum page size; the simulator caps it here (unconfirmed) and
# answers a larger `limit` with this many, the way many Rails paginators clamp.
LIMIT_MAX = 100


def parse_positive(value: str | None, name: str, default: int) -> int:
    if value is None or value == "":
        return default
    try:
        number = int(value)
    except ValueError:
        raise Invalid(f"{name} must be a positive integer") from None
    if number < 1:
        raise Invalid(f"{name} must be a positive integer")
    return number


def parse_expired(value: str | None) -> bool | None:
    if value is None or value == "":
        return None
    return as_bool(value, "expired")
