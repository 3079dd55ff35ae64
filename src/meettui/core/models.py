"""The provider-neutral model every layer speaks.

Times are always timezone-aware and normalised to UTC on the way in, so the cache,
the CLI and the TUI never have to guess which zone a value is in. What a provider can do
(edit and delete modes, form fields, actions) is in `core/capabilities.py`.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, field_validator, model_validator

from meettui.core.link_check import REFUSED_LINKS as REFUSED_LINKS
from meettui.core.link_check import all_usable, refusal, refused_text, usable_only
from meettui.core.masking import SECRET_MASK as SECRET_MASK
from meettui.core.masking import mask_keys, masked_url
from meettui.core.masking import mask_url as mask_url
from meettui.core.roles import Role as Role  # re-exported: the model speaks of roles
from meettui.core.status import Status as Status


def _to_utc(value: datetime | None) -> datetime | None:
    return None if value is None else value.astimezone(UTC)


class Link(BaseModel):
    """One way into a meeting, for one role."""

    model_config = ConfigDict(frozen=True)

    role: Role
    url: str
    label: str = ""
    sensitive: bool = False
    """Host links and links carrying a token: masked on screen, never the default QR,
    confirmed before copying."""
    code: str | None = None
    """What a person can type instead of following the link (a meeting code), shown
    beside it and under the full-screen QR for a guest whose phone will not scan."""
    run_started: AwareDatetime | None = Field(default=None, exclude_if=lambda v: v is None)
    """For a link that works in one run of the meeting only (a person's own way into the
    running meeting, which an action gave and no read gives back): when that run started.
    meettui keeps it (`Meeting.kept`) while the meeting is live with that start and drops
    it once a read or an action shows the run is over (`kept.with_kept_links`)."""

    _utc = field_validator("run_started")(_to_utc)

    def masked(self) -> str:
        """The URL as shown unless revealed (the rule: `masking.masked_url`)."""
        return masked_url(self.url, self.sensitive)


def _valid_links(records: Any) -> list[Link]:
    """The well-formed links among `records` (malformed ones are dropped, not fatal)."""
    links = []
    for record in records if isinstance(records, list) else ():
        try:
            links.append(Link.model_validate(record))
        except ValueError:
            continue
    return links


class KeptFacts(BaseModel):
    """What meettui knows about a meeting that the provider cannot give back. Never sent
    upstream; set on create and by actions, carried over from the cached copy on every
    refresh (the service's `kept` rules), and shown where it applies."""

    title: str | None = None
    """The title the user typed, for a provider whose meetings have none."""
    options: dict[str, Any] | None = None
    """What the meeting was created with when the API never returns it; None when the
    meeting was not created by meettui (so nothing is known)."""
    links: list[Link] = Field(default_factory=list)
    """Links meettui was shown once that a read may not give back (a provider that shows one
    host's link per answer)."""

    def is_empty(self) -> bool:
        return self.title is None and self.options is None and not self.links


class SessionData(BaseModel):
    """Data an action returned for one person's use of a meeting, holding credentials: a
    video SDK's join data with its join token, say. Lives only on the `Meeting` object an
    action returns (`Meeting.session_data`): never cached, never in JSON output unless the
    caller reveals it, never a link (so never a QR code).

    `data` is the JSON object as the provider gave it; the values of keys named in
    `secret_keys` (at any depth) are credentials, masked by `masked()` and every repr.
    The values are registered with `redact` by the provider that reads them, so a log
    line or error message that quotes one is scrubbed anyway.
    """

    model_config = ConfigDict(frozen=True)

    label: str
    """What it is, e.g. "Join data (Chime)"."""
    data: dict[str, Any]
    secret_keys: tuple[str, ...] = ()
    help: str = ""
    """What to do with it, shown next to it (e.g. "paste into a Chime SDK client")."""

    def masked(self) -> dict[str, Any]:
        """`data` with every value under a secret key replaced by a mask."""
        masked: dict[str, Any] = mask_keys(self.data, frozenset(self.secret_keys))
        return masked

    def as_json(self, *, reveal: bool = False) -> str:
        """`data` as indented JSON (what "copy as JSON" puts on the clipboard when
        `reveal`), masked unless `reveal`. Control and format characters in its strings
        are written as `\\uXXXX` (`display.json_text`): the same data, which cannot
        drive or reorder the terminal or chat it is pasted into."""
        from meettui.core.display import json_text

        return json_text(self.data if reveal else self.masked())

    def __repr__(self) -> str:
        return f"SessionData(label={self.label!r}, data={self.masked()!r})"

    __str__ = __repr__


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
    kept: KeptFacts = Field(default_factory=KeptFacts)
    """What meettui keeps that the provider cannot give back (for providers whose
    capabilities say `kept_facts`); see `KeptFacts`."""
    missing: bool = False
    """Set by the cache when a full sync no longer sees the meeting upstream."""
    session_data: SessionData | None = Field(default=None, exclude=True, repr=False)
    """Credential-bearing data an action just returned (see `SessionData`). Excluded from
    every `model_dump` (so from the cache payload and the CLI's JSON) and from `repr`:
    only the object the action returned carries it; a front end shows it masked and
    copies it on request."""
    unread: str | None = Field(default=None, exclude=True, repr=False)
    """Set on the meeting a change returns when the provider did the change but meettui
    could not read it back (`DoneUnread`): the meeting is as far as meettui knows it (what
    was sent, the id the answer gave), and this says why and what to do. Excluded from
    every `model_dump` (never cached: the next refresh reads the meeting as it is);
    front ends say it beside the change's success."""

    _utc = field_validator("starts_at", "ends_at", "expires_at")(_to_utc)

    @model_validator(mode="before")
    @classmethod
    def _legacy_local(cls, data: Any) -> Any:
        # Caches written before `kept` hold the same facts as a free-form `local` dict.
        if isinstance(data, dict) and "local" in data and "kept" not in data:
            data = dict(data)
            local = data.pop("local")
            if isinstance(local, dict):
                options = local.get("options")
                data["kept"] = {
                    "title": local.get("title") or None,
                    "options": options if isinstance(options, dict) else None,
                    "links": _valid_links(local.get("links")),
                }
        return data

    @model_validator(mode="after")
    def _usable_links(self) -> Meeting:
        # Every link a provider gives passes one rule (`link_check`), wherever the
        # meeting came from: a list page, a get, a create's or an action's answer, the
        # cache. A refused link is left out and the meeting kept, its reason among its
        # details: the meeting is real (it takes place, it can be edited, cancelled or
        # joined through its other links), and hiding it for one bad link would hide
        # what the user has booked. The sync reports it with the account
        # (`Sync._store`), as it reports items it could not read.
        links, kept = self.links, self.kept.links
        if all_usable(links) and (not kept or all_usable(kept)):
            return self
        why: dict[str, list[str]] = {}
        self.links = usable_only(links, why)
        if kept:
            self.kept = self.kept.model_copy(update={"links": usable_only(kept, why)})
        said = refused_text(why)
        if said:
            before = self.details.get(REFUSED_LINKS)
            if before and said not in before:
                said = f"{before}; {said}"
            self.details = {**self.details, REFUSED_LINKS: said}
        return self

    @property
    def refused_links(self) -> str | None:
        """Why links the provider gave were left out (`REFUSED_LINKS`), or None."""
        return self.details.get(REFUSED_LINKS)

    @property
    def key(self) -> tuple[str, str]:
        return (self.account, self.id)

    # The links below are those `link_check` lets through: validation leaves out any
    # other, but a copy made with `model_copy(update=…)` is not validated again, and
    # these choose what is opened, copied, encoded and written.

    def link(self, role: Role | str) -> Link | None:
        return next((lk for lk in self.links if lk.role == role and refusal(lk.url) is None),
                    None)

    def links_for(self, role: Role | str) -> list[Link]:
        return [lk for lk in self.links if lk.role == role and refusal(lk.url) is None]

    def shareable_link(self) -> Link | None:
        """The link safe to show a guest: the guest link, else the first non-sensitive one."""
        usable = [lk for lk in self.links if not lk.sensitive and refusal(lk.url) is None]
        return next((lk for lk in usable if lk.role == Role.GUEST), None) or next(
            iter(usable), None)

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

    def closed_early(self, now: datetime) -> bool:
        """The provider says the meeting has expired though its expiry is still ahead (a
        room closed by hand, or after use): its links no longer work, and a
        countdown to `expires_at` would say they do."""
        return (self.status == Status.EXPIRED and self.expires_at is not None
                and self.expires_at > now)

    def status_label(self, now: datetime, *, mark_gone: bool = True) -> str:
        """The status as the list shows it (and every text output, so the detail pane
        and the command line say the same): "gone" when the provider no longer lists it
        (unless not `mark_gone`: a caller that says so itself), "started" for a
        scheduled meeting past its start (nobody said it is live), "—" when nothing is
        known; otherwise `effective_status`. The cache's filter and status order compute
        the same in SQL (`status:` terms)."""
        if self.missing and mark_gone:
            return "gone"
        status = self.effective_status(now)
        if status == Status.SCHEDULED and self.starts_at is not None and self.starts_at <= now:
            return "started"
        if status == Status.UNKNOWN:
            return "—"
        return status.value

    def status_word(self, now: datetime) -> str:
        """`status_label` as one of the words `status:` takes (`search.STATUSES`):
        "unknown" where the list shows "—". What the JSON's `status` says, so that
        an agent reading it filters with the same word."""
        label = self.status_label(now)
        return "unknown" if label == "—" else label


class Page(BaseModel):
    """One page of a provider's list, in the model."""

    items: list[Meeting]
    next_cursor: str | None = None
    """Opaque: each provider encodes its own paging (cursor, start_id, page number) here."""
    total: int | None = None
    """How many meetings the whole list holds, when the provider says (not this page)."""
    skipped: list[str] = Field(default_factory=list)
    """Why each item of the page that could not be read was left out: one odd item does
    not reject the page."""


class MeetingSpec(BaseModel):
    """What a user asks for when creating or editing a meeting."""

    title: str = ""
    starts_at: AwareDatetime | None = None
    ends_at: AwareDatetime | None = None
    # Provider-specific inputs, keyed by FieldSpec.name.
    options: dict[str, Any] = Field(default_factory=dict)

    _utc = field_validator("starts_at", "ends_at")(_to_utc)
