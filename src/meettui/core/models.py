"""The provider-neutral model every layer speaks.

Times are always timezone-aware and normalised to UTC on the way in, so the cache,
the CLI and the TUI never have to guess which zone a value is in.
"""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, field_validator


class Role(StrEnum):
    HOST = "host"
    GUEST = "guest"
    VIEWER = "viewer"
    ATTENDEE = "attendee"


class Status(StrEnum):
    SCHEDULED = "scheduled"
    LIVE = "live"
    ENDED = "ended"
    CANCELLED = "cancelled"
    EXPIRED = "expired"
    UNKNOWN = "unknown"


class UpdateMode(StrEnum):
    NONE = "none"
    IN_PLACE = "in_place"
    # The provider cannot edit: the service deletes and recreates, so every link changes.
    RECREATE = "recreate"
    # Nothing lives upstream (Jitsi): the edit only touches the local record.
    LOCAL = "local"


class DeleteMode(StrEnum):
    NONE = "none"
    DELETE = "delete"
    CANCEL = "cancel"
    # Nothing to delete upstream; only the local record goes.
    LOCAL = "local"


def _to_utc(value: datetime | None) -> datetime | None:
    return None if value is None else value.astimezone(UTC)


class Link(BaseModel):
    model_config = ConfigDict(frozen=True)

    role: Role
    url: str
    label: str = ""
    # Host links and links carrying a token: masked on screen, never the default QR,
    # confirmed before copying.
    sensitive: bool = False

    def masked(self) -> str:
        return mask_url(self.url) if self.sensitive else self.url


def mask_url(url: str) -> str:
    """Keep enough of a link to recognise it, hide what grants power."""
    scheme, sep, rest = url.partition("://")
    if not sep:
        return "•" * 8
    host, _, _ = rest.partition("/")
    return f"{scheme}://{host}/••••••••"


class Meeting(BaseModel):
    provider: str
    account: str
    id: str
    title: str = ""
    starts_at: AwareDatetime | None = None
    ends_at: AwareDatetime | None = None
    # When the link stops working, if the provider says.
    expires_at: AwareDatetime | None = None
    status: Status = Status.UNKNOWN
    links: list[Link] = Field(default_factory=list)
    capacity: int | None = None
    details: dict[str, str] = Field(default_factory=dict)
    raw: dict[str, Any] = Field(default_factory=dict)
    # What meettui itself knows that the provider cannot give back (only for providers
    # whose capabilities say `local_facts`): "title", the title the user typed for a
    # provider without a title field, and "options", what the meeting was created with
    # when the API never returns it; "links", links meettui was shown once but a read
    # may not give back (eyeson: only one host's link per answer), each a `Link` as a
    # dict. Set on create and by actions; on a refresh the service carries it over from
    # the cached copy (merging "links") and puts back the links the answer lacks.
    # Actions get the cached copy as `run_action(..., local=)`. Never sent upstream.
    local: dict[str, Any] = Field(default_factory=dict)
    # Set by the cache when a full sync no longer sees the meeting upstream.
    missing: bool = False

    _utc = field_validator("starts_at", "ends_at", "expires_at")(_to_utc)

    @property
    def key(self) -> tuple[str, str]:
        return (self.account, self.id)

    def link(self, role: Role | str) -> Link | None:
        return next((lk for lk in self.links if lk.role == role), None)

    def links_for(self, role: Role | str) -> list[Link]:
        return [lk for lk in self.links if lk.role == role]

    def shareable_link(self) -> Link | None:
        """The link safe to show a guest: the guest link, else the first non-sensitive one."""
        guest = next((lk for lk in self.links if lk.role == Role.GUEST and not lk.sensitive), None)
        return guest or next((lk for lk in self.links if not lk.sensitive), None)

    def effective_status(self, now: datetime) -> Status:
        """Status as of `now`: a stored status goes stale as time passes."""
        if self.status in (Status.CANCELLED, Status.ENDED, Status.EXPIRED):
            return self.status
        if self.expires_at is not None and now >= self.expires_at:
            return Status.EXPIRED
        # A cached "live" goes stale: once the end has passed it has ended.
        if self.ends_at is not None and now >= self.ends_at:
            return Status.ENDED
        if self.status == Status.LIVE:
            return Status.LIVE
        if self.starts_at is not None and self.starts_at <= now:
            return Status.LIVE if self.status == Status.UNKNOWN else self.status
        return self.status


class Page(BaseModel):
    items: list[Meeting]
    # Opaque: each provider encodes its own paging (cursor, start_id, page number) here.
    next_cursor: str | None = None
    total: int | None = None


class FieldKind(StrEnum):
    TEXT = "text"
    DATETIME = "datetime"
    CHOICE = "choice"
    BOOL = "bool"
    INT = "int"


class FieldSpec(BaseModel):
    """One input a provider accepts on create/update; the TUI builds its forms from these."""

    model_config = ConfigDict(frozen=True)

    name: str
    label: str
    kind: FieldKind = FieldKind.TEXT
    required: bool = False
    choices: tuple[str, ...] = ()
    default: Any = None
    help: str = ""
    # False when the provider only accepts the field at creation time.
    editable: bool = True
    # A base field (title, starts_at, ends_at) the provider has no use for.
    hidden: bool = False


class ActionSpec(BaseModel):
    """A provider-specific action on one meeting (eyeson: add a host, start now…).

    The TUI offers them in the palette and asks for `fields`; the CLI runs them with
    `meettui action ID NAME -o key=value`.
    """

    model_config = ConfigDict(frozen=True)

    name: str
    label: str
    fields: tuple[FieldSpec, ...] = ()
    help: str = ""
    # Asks for confirmation first (it removes access, ends a meeting…).
    dangerous: bool = False


class MeetingSpec(BaseModel):
    """What a user asks for when creating or editing a meeting."""

    title: str = ""
    starts_at: AwareDatetime | None = None
    ends_at: AwareDatetime | None = None
    # Provider-specific inputs, keyed by FieldSpec.name.
    options: dict[str, Any] = Field(default_factory=dict)

    _utc = field_validator("starts_at", "ends_at")(_to_utc)


class Capabilities(BaseModel):
    model_config = ConfigDict(frozen=True)

    # False when nothing lives upstream and the cache is the source of truth (Jitsi).
    remote_list: bool = True
    create: bool = True
    update: UpdateMode = UpdateMode.NONE
    delete: DeleteMode = DeleteMode.NONE
    link_roles: tuple[Role, ...] = (Role.GUEST,)
    page_size_default: int = 50
    page_size_max: int = 100
    needs_credentials: bool = True
    fields: tuple[FieldSpec, ...] = ()
    actions: tuple[ActionSpec, ...] = ()
    # The provider returns facts it cannot read back in `Meeting.local` (see there).
    local_facts: bool = False
    # Shown wherever the account appears, e.g. a sunset service.
    deprecation: str | None = None
    notes: tuple[str, ...] = ()

    def field(self, name: str) -> FieldSpec | None:
        return next((f for f in self.fields if f.name == name), None)

    def action(self, name: str) -> ActionSpec | None:
        return next((a for a in self.actions if a.name == name), None)

    @property
    def update_changes_links(self) -> bool:
        return self.update == UpdateMode.RECREATE
