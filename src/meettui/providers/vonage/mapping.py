"""Vonage Meetings JSON to the neutral model, and a `MeetingSpec` to the create and update
bodies. Pure functions: no HTTP here (the client in `client.py` fetches and sends).

Contract: `research/providers-whereby-vonage.md` §2.4–2.7, the v1 spec
(`contracts/vonage/meetings-openapi-v1.yml`: Room, Theme, Recording, DialInNumber,
UploadUrlForTheme, Application) and the recorded answers in `contracts/vonage/fixtures/`.
Every parser keeps the answer it read (`raw`), unknown fields included: the API grew
fields over time (.NET SDK PR #437), so parsing is tolerant and loses nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from meettui.core.display import fact_time
from meettui.core.errors import FixedField, NothingToChange, ValidationError
from meettui.core.models import Link, Meeting, MeetingSpec, Role, Status
from meettui.core.option_values import switch
from meettui.core.redact import register_secret
from meettui.core.timeparse import parse_iso, parse_when, to_iso_z
from meettui.core.wording import option
from meettui.providers.vonage.capabilities import (
    JOIN_APPROVAL_LEVELS,
    LANGUAGES,
    MICROPHONE_STATES,
    ROOM_TYPES,
)

KIND = "vonage"
NAME_MAX = 200
METADATA_MAX = 500
# "must be greater than 10 minutes from now" (spec Room_ExpiresAt; Java's and Ruby's
# checks), and an instant room lives 10 minutes from creation (research §2.4).
MIN_EXPIRY_AHEAD = timedelta(minutes=10)
FEATURES = ("is_recording_available", "is_chat_available", "is_whiteboard_available")
# Options that only a create accepts; an update refuses them (research §2.5 "Update room").
CREATE_ONLY = ("type", "metadata", "language", "auto_record")
UPDATE_OPTIONS = ("expire_after_use", "theme_id", "join_approval_level", "microphone_state",
                  *FEATURES)
OPTION_NAMES = (*CREATE_ONLY, *UPDATE_OPTIONS)


class MalformedItem(ValueError):
    """An answer that does not match the contract; the message says how."""


# --- themes, recordings, dial-in numbers, logo uploads, the application ------------------


@dataclass(frozen=True)
class Theme:
    """A theme (spec `Theme`): colours, brand text and the company URL its rooms' links
    carry. `raw` is the whole answer."""

    theme_id: str
    theme_name: str = ""
    short_company_url: str | None = None
    main_color: str | None = None
    brand_text: str | None = None
    domain: str | None = None
    raw: dict[str, Any] = field(default_factory=dict, compare=False)

    def describe(self) -> str:
        """"my_theme (meetings.vonage.com/my-company)", for the detail pane."""
        name = self.theme_name or self.theme_id
        return f"{name} (company URL /{self.short_company_url})" if self.short_company_url \
            else name


def parse_theme(data: Any) -> Theme:
    """One theme object. Raises MalformedItem without a `theme_id`."""
    if not isinstance(data, dict) or not isinstance(data.get("theme_id"), str):
        raise MalformedItem("a theme without `theme_id`")

    def text(key: str) -> str | None:
        value = data.get(key)
        return value if isinstance(value, str) else None

    return Theme(theme_id=data["theme_id"], theme_name=text("theme_name") or "",
                 short_company_url=text("short_company_url"), main_color=text("main_color"),
                 brand_text=text("brand_text"), domain=text("domain"), raw=data)


def parse_themes(body: Any) -> list[Theme]:
    """`GET /themes`: a list of themes, or `{}` when there are none (the real API's
    quirk, fixture `empty_themes.json`; .NET SDK PR #437). Raises MalformedItem."""
    if isinstance(body, dict) and not body:
        return []
    if body is None:
        return []
    if not isinstance(body, list):
        raise MalformedItem(f"themes that are not a list ({type(body).__name__})")
    return [parse_theme(item) for item in body]


@dataclass(frozen=True)
class Recording:
    """A recording (spec `Recording`); `url` is a pre-signed S3 link that carries AWS
    credentials, so it is registered for redaction."""

    id: str
    session_id: str | None
    status: str | None
    started_at: datetime | None
    ended_at: datetime | None
    url: str | None
    raw: dict[str, Any] = field(default_factory=dict, compare=False)


def parse_recording(data: Any) -> Recording:
    """One recording object. Raises MalformedItem without an `id`."""
    if not isinstance(data, dict) or not isinstance(data.get("id"), str):
        raise MalformedItem("a recording without `id`")
    url = _href(data, "url")
    if url:
        register_secret(urlsplit(url).query)
    return Recording(id=data["id"], session_id=_str(data.get("session_id")),
                     status=_str(data.get("status")), started_at=parse_iso(data.get("started_at")),
                     ended_at=parse_iso(data.get("ended_at")), url=url, raw=data)


def parse_session_recordings(body: Any) -> list[Recording]:
    """`GET /sessions/{id}/recordings`: `{"_embedded": {"recordings": [...]}}`."""
    embedded = body.get("_embedded") if isinstance(body, dict) else None
    items = embedded.get("recordings") if isinstance(embedded, dict) else None
    if not isinstance(items, list):
        raise MalformedItem("no `_embedded.recordings` list")
    return [parse_recording(item) for item in items]


@dataclass(frozen=True)
class DialInNumber:
    """A dial-in number (spec `DialInNumber`)."""

    number: str
    locale: str | None
    display_name: str | None
    raw: dict[str, Any] = field(default_factory=dict, compare=False)


def parse_dial_in_numbers(body: Any) -> list[DialInNumber]:
    """`GET /dial-in-numbers`: a list of `{number, locale, display_name}`."""
    if not isinstance(body, list):
        raise MalformedItem("dial-in numbers that are not a list")
    out = []
    for item in body:
        if not isinstance(item, dict) or item.get("number") is None:
            raise MalformedItem("a dial-in number without `number`")
        out.append(DialInNumber(str(item["number"]), _str(item.get("locale")),
                                _str(item.get("display_name")), raw=item))
    return out


@dataclass(frozen=True)
class LogoUpload:
    """One pre-signed S3 form of `GET /themes/logos-upload-urls` (spec `UploadUrlForTheme`):
    POST `fields` plus the file to `url`, then finalize with `key`. The form carries a
    security token and a signature, registered for redaction."""

    url: str
    key: str
    logo_type: str | None
    fields: dict[str, Any]
    raw: dict[str, Any] = field(default_factory=dict, compare=False)


def parse_logo_uploads(body: Any) -> list[LogoUpload]:
    """The list of upload forms. Raises MalformedItem."""
    if not isinstance(body, list):
        raise MalformedItem("logo upload URLs that are not a list")
    out = []
    for item in body:
        fields = item.get("fields") if isinstance(item, dict) else None
        if not isinstance(fields, dict) or not isinstance(item.get("url"), str) \
                or not isinstance(fields.get("key"), str):
            raise MalformedItem("a logo upload form without `url` or `fields.key`")
        for secret in ("X-Amz-Security-Token", "X-Amz-Signature", "Policy"):
            register_secret(_str(fields.get(secret)))
        out.append(LogoUpload(item["url"], fields["key"], _str(fields.get("logoType")),
                              fields, raw=item))
    return out


@dataclass(frozen=True)
class Application:
    """`PATCH /applications`' answer (spec `Application`)."""

    application_id: str
    account_id: str | None
    default_theme_id: str | None
    raw: dict[str, Any] = field(default_factory=dict, compare=False)


def parse_application(data: Any) -> Application:
    """The application object. Raises MalformedItem without `application_id`."""
    if not isinstance(data, dict) or not isinstance(data.get("application_id"), str):
        raise MalformedItem("an application without `application_id`")
    return Application(data["application_id"], _str(data.get("account_id")),
                       _str(data.get("default_theme_id")), raw=data)


# --- rooms ------------------------------------------------------------------------------


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _href(data: dict[str, Any], name: str) -> str | None:
    links = data.get("_links")
    entry = links.get(name) if isinstance(links, dict) else None
    href = entry.get("href") if isinstance(entry, dict) else None
    return href if isinstance(href, str) and href else None


def _shown(moment: datetime | None) -> str:
    return fact_time(moment) if moment else "—"


def _yes(value: Any) -> str:
    return "yes" if value else "no"


def room_status(data: dict[str, Any], now: datetime) -> Status:
    """`is_available: false` or a passed `expires_at`: expired. Otherwise an instant room
    is for a meeting now (live); a long-term room is open and waiting (scheduled)."""
    expires = parse_iso(data.get("expires_at"))
    if data.get("is_available") is False or (expires is not None and now >= expires):
        return Status.EXPIRED
    return Status.LIVE if data.get("type") == "instant" else Status.SCHEDULED


def form_values(data: dict[str, Any]) -> dict[str, Any]:
    """The nested settings under the form fields' names (`microphone_state`, `language`,
    `auto_record`, the feature flags), so an edit form starts from the room's values."""
    def nested(key: str, inner: str) -> Any:
        outer = data.get(key)
        return outer.get(inner) if isinstance(outer, dict) else None

    values = {
        "microphone_state": nested("initial_join_options", "microphone_state"),
        "language": nested("ui_settings", "language"),
        "auto_record": nested("recording_options", "auto_record"),
        **{name: nested("available_features", name) for name in FEATURES},
    }
    return {k: v for k, v in values.items() if v is not None}


def to_meeting(data: Any, *, account: str, now: datetime,
               themes: Mapping[str, Theme] | None = None) -> Meeting:
    """A room object (fixtures `meeting_room.json`, `long_term_room*.json`) as a Meeting.

    - `id` (a UUID) is the meeting id; `display_name` the title.
    - Links: `_links.host_url` is the host link, sensitive (its `participant_token`
      gives host rights; `redact` masks it in any text); `_links.guest_url` the guest link,
      labelled with the meeting code a guest can type instead of scanning.
    - A room opens when it is created (`starts_at` = `created_at`) and stops at
      `expires_at`; `status` from `is_available` and `expires_at` (`room_status`).
    - `details` say which kind of room it is, its code, theme (named when `themes` knows
      it), and settings. `raw` is the answer itself, plus the nested settings flattened
      under the form fields' names where the answer has no such key (`form_values`).

    Raises MalformedItem for an answer without a string `id`."""
    if not isinstance(data, dict):
        raise MalformedItem(f"a room that is not an object ({type(data).__name__})")
    room_id = data.get("id")
    if not isinstance(room_id, str) or not room_id:
        raise MalformedItem("a room without `id`")
    code = _str(data.get("meeting_code")) or (str(data["meeting_code"])
                                              if isinstance(data.get("meeting_code"), int)
                                              else None)
    links: list[Link] = []
    host = _href(data, "host_url")
    if host:
        # Not registered for redaction one by one (a long list would fill the registry):
        # `redact` masks every `participant_token=` and `room_token=` value.
        links.append(Link(role=Role.HOST, url=host, sensitive=True,
                          label="host rights (participant token)"))
    guest = _href(data, "guest_url")
    if guest:
        links.append(Link(role=Role.GUEST, url=guest,
                          label=f"meeting code {code}" if code else "guest link",
                          code=code or None))

    created, expires = parse_iso(data.get("created_at")), parse_iso(data.get("expires_at"))
    instant = data.get("type") == "instant"
    status = room_status(data, now)
    details: dict[str, str] = {
        "Room type": "instant: for a meeting now; expires 10 minutes after creation and "
                     "cannot be edited" if instant
        else "long-term: open until its expiry; can be edited",
    }
    if data.get("is_available") is False:
        details["Available"] = "no: no new sessions can start in this room"
    elif status == Status.EXPIRED:
        details["Available"] = "no: the room has expired"
    else:
        details["Available"] = "yes: anyone with a link can join"
    if code:
        details["Meeting code"] = f"{code} (a guest can type it instead of scanning)"
    theme_id = _str(data.get("theme_id"))
    if theme_id:
        known = (themes or {}).get(theme_id)
        details["Theme"] = known.describe() if known else theme_id
    else:
        details["Theme"] = "none (Vonage's standard look)"
    if not instant:
        details["Close after use"] = _yes(data.get("expire_after_use"))
    values = form_values(data)
    if isinstance(data.get("join_approval_level"), str):
        details["Join approval"] = data["join_approval_level"]
    if "microphone_state" in values:
        details["Microphone on join"] = str(values["microphone_state"])
    if "language" in values:
        details["Language"] = str(values["language"])
    if "auto_record" in values:
        details["Recording"] = "automatic (cannot be stopped)" if values["auto_record"] \
            else "started by hand"
    features = data.get("available_features")
    if isinstance(features, dict):
        on = [name.removeprefix("is_").removesuffix("_available").replace("_", " ")
              for name, value in features.items() if value is True]
        details["Features"] = ", ".join(on) or "none"
    if isinstance(data.get("metadata"), str) and data["metadata"]:
        details["Metadata"] = data["metadata"]
    details["Created"] = _shown(created)

    return Meeting(
        provider=KIND,
        account=account,
        id=room_id,
        title=_str(data.get("display_name")) or f"Vonage room {code or room_id[:8]}",
        starts_at=created,
        expires_at=expires,
        status=status,
        links=links,
        details=details,
        raw={**{k: v for k, v in values.items() if k not in data}, **data},
    )


# --- a MeetingSpec to Vonage's bodies ---------------------------------------------------


def _invalid(message: str, name: str | None) -> ValidationError:
    return ValidationError(message, field=name, provider=KIND)


def _bool(name: str, value: Any) -> bool:
    return switch(value, name, provider=KIND)


def _choice(name: str, value: Any, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        raise _invalid(f"{name} must be one of: {', '.join(allowed)} (not {value!r}).", name)
    return str(value)


def _expiry(spec: MeetingSpec, now: datetime) -> datetime | None:
    """The expiry asked for: the form's "Expires" (`ends_at`) or `-o expires_at=`."""
    expires = spec.ends_at
    text = spec.options.get("expires_at")
    if expires is None and text not in (None, ""):
        try:
            expires = parse_when(str(text), now=now)
        except ValueError as exc:
            raise _invalid(str(exc), "ends_at") from None
    if expires is not None and expires <= now + MIN_EXPIRY_AHEAD:
        raise _invalid("The expiry must be more than 10 minutes from now.", "ends_at")
    return expires


def _given(spec: MeetingSpec) -> dict[str, Any]:
    """The options with a value, unknown names refused."""
    options = {k: v for k, v in spec.options.items()
               if v is not None and v != "" and k != "expires_at"}
    unknown = sorted(set(options) - set(OPTION_NAMES))
    if unknown:
        raise _invalid(f"Vonage Meetings has no option {unknown[0]!r}; it accepts: "
                       f"{', '.join(OPTION_NAMES)}.", None)
    return options


def _settings_body(options: dict[str, Any]) -> dict[str, Any]:
    """The options both create and update accept, as Vonage nests them."""
    body: dict[str, Any] = {}
    if "expire_after_use" in options:
        body["expire_after_use"] = _bool("expire_after_use", options["expire_after_use"])
    if "theme_id" in options:
        body["theme_id"] = str(options["theme_id"]).strip()
    if "join_approval_level" in options:
        body["join_approval_level"] = _choice("join_approval_level",
                                              options["join_approval_level"],
                                              JOIN_APPROVAL_LEVELS)
    if "microphone_state" in options:
        body["initial_join_options"] = {"microphone_state": _choice(
            "microphone_state", options["microphone_state"], MICROPHONE_STATES)}
    features = {name: _bool(name, options[name]) for name in FEATURES if name in options}
    if features:
        body["available_features"] = features
    return body


def create_body(spec: MeetingSpec, now: datetime) -> dict[str, Any]:
    """The POST /rooms body (spec `CreateRoomRequest`). The type is the `type` option,
    else long_term when an expiry is given and instant without one. Raises
    ValidationError at the field for what Vonage would refuse: no or too long a name,
    an expiry on an instant room or none on a long-term one, one less than 10 minutes
    ahead, `expire_after_use` on an instant room, a value outside an enum, an unknown
    option."""
    name = spec.title.strip()
    if not name:
        raise _invalid("A Vonage room needs a name.", "title")
    if len(name) > NAME_MAX:
        raise _invalid(f"The room name is {len(name)} characters; at most {NAME_MAX}.",
                       "title")
    options = _given(spec)
    expires = _expiry(spec, now)
    room_type = _choice("type", options.get("type") or
                        ("long_term" if expires is not None else "instant"), ROOM_TYPES)
    if room_type == "long_term" and expires is None:
        raise _invalid("A long-term room needs an expiry (more than 10 minutes ahead).",
                       "ends_at")
    if room_type == "instant" and expires is not None:
        raise _invalid("An instant room expires 10 minutes after creation: leave the "
                       f"expiry empty, or choose the long_term type "
                       f"({option('type', 'long_term')}).",
                       "ends_at")
    if room_type == "instant" and options.get("expire_after_use") is False:
        # An unticked box (the form sends every box) asks nothing of an instant room.
        options = {k: v for k, v in options.items() if k != "expire_after_use"}
    if room_type == "instant" and "expire_after_use" in options:
        raise _invalid("Close after use applies to long-term rooms only "
                       f"({option('type', 'long_term')}).",
                       "expire_after_use")
    body: dict[str, Any] = {"display_name": name, "type": room_type}
    if expires is not None:
        body["expires_at"] = to_iso_z(expires)
    if "metadata" in options:
        metadata = str(options["metadata"])
        if len(metadata) > METADATA_MAX:
            raise _invalid(f"Metadata is {len(metadata)} characters; at most {METADATA_MAX}.",
                           "metadata")
        body["metadata"] = metadata
    body.update(_settings_body(options))
    if "language" in options:
        body["ui_settings"] = {"language": _choice("language", options["language"], LANGUAGES)}
    if "auto_record" in options:
        body["recording_options"] = {"auto_record": _bool("auto_record",
                                                          options["auto_record"])}
    return body


def update_body(spec: MeetingSpec, now: datetime) -> dict[str, Any]:
    """The PATCH /rooms/{id} body, wrapped as Vonage wants it: `{"update_details":
    {...}}` (spec `UpdateRoomRequest`; the Node SDK's `update_options` is a bug). Only
    the expiry and the settings an update takes are sent; the title is fixed and not
    sent. Raises ValidationError for a create-only option (at its field), an invalid
    value, or nothing to change."""
    options = _given(spec)
    fixed = [name for name in CREATE_ONLY if name in options]
    if fixed:
        raise FixedField(f"{fixed[0]} is fixed when a Vonage room is created; it cannot "
                         "be changed.", field=fixed[0], provider=KIND)
    details = _settings_body(options)
    expires = _expiry(spec, now)
    if expires is not None:
        details["expires_at"] = to_iso_z(expires)
    if not details:
        raise NothingToChange("Nothing to change: Vonage can change a long-term room's "
                              "expiry, close-after-use, theme, join approval, microphone and "
                              "features (its name is fixed).", provider=KIND)
    return {"update_details": details}
