"""The JSON contract for scripts and AI agents: the documents meettui prints with
`--json` (and whenever stdout is not a terminal) and the MCP server returns.

Each document is a pydantic model, the single source of both the JSON written and the
JSON Schema `meettui schema` prints, so the two cannot drift apart. Every document is an
object whose `schema_version` field is SCHEMA_VERSION. The version changes when a field
is removed, renamed or changes meaning; a new field does not change it (the schemas
allow properties they do not name, so a script keeps working within its version).

Host links (and tokens in join data) are masked in these documents unless the caller
asked to reveal them: the masking is applied when a document is built (`MeetingOut.of`),
never left to the reader.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Final, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, TypeAdapter

from meettui.core.accounts import AccountInfo, Health
from meettui.core.capabilities import ActionSpec, DeleteMode
from meettui.core.dryrun import DryRun
from meettui.core.models import Link, Meeting, Role, Status

# The version of every document below (defined without pydantic, for cli/quick_list.py).
from meettui.core.schema_version import SCHEMA_VERSION as SCHEMA_VERSION

JSON_SCHEMA_DIALECT: Final = "https://json-schema.org/draft/2020-12/schema"


def schema_id(name: str) -> str:
    """The `$id` of the schema of the document `name` prints, with the version in it:
    `urn:meettui:schema:2:list` (a URN: the contract has no web address of its own)."""
    return f"urn:meettui:schema:{SCHEMA_VERSION}:{name.replace(' ', '-')}"


def _absent_when_none(value: Any) -> bool:
    return value is None


class _Out(BaseModel):
    # Outputs are built by meettui, never parsed from users: frozen, and serialised in
    # the order the fields are declared (the order scripts see). Every field is written
    # (a default too), so the schema marks it required; only the `exclude_if` fields
    # can be absent. The rule for which are: a document's own facts are always there,
    # null when unknown (a meeting's times, its capacity); a note on what a command did
    # or met (`warning`, `start_note`, `refresh_error`, `replaced_id`, `notice`,
    # `session_data`, a link's `code`, a delete's `preview`) only when there is one.
    model_config = ConfigDict(frozen=True, json_schema_serialization_defaults_required=True)


class Versioned(_Out):
    """What every document starts with."""

    schema_version: Literal[2] = Field(
        default=SCHEMA_VERSION,
        description="The version of this JSON contract (`meettui schema` prints it).",
    )


class LinkOut(_Out):
    """One way into a meeting. `url` is masked (`https://host/••••••••`) when the link is
    `sensitive` (host power or a token) and it was not revealed."""

    role: Role
    url: str
    label: str = ""
    sensitive: bool = False
    code: str | None = Field(
        default=None, exclude_if=_absent_when_none,
        description="What a person can type instead of following the link (absent when none).",
    )

    @classmethod
    def of(cls, link: Link, reveal: bool) -> LinkOut:
        """`link` as output: its URL masked when sensitive, unless `reveal`."""
        return cls(role=link.role, url=link.url if reveal else link.masked(),
                   label=link.label, sensitive=link.sensitive, code=link.code or None)


class SessionDataOut(_Out):
    """Join data an action returned (e.g. a video SDK's join token); the values under
    its secret keys are masked unless revealed."""

    label: str
    help: str = ""
    data: dict[str, Any]


ShownStatus = Literal["scheduled", "started", "live", "ended", "expired", "cancelled", "gone",
                     "unknown"]
"""The words of `search.STATUSES` (a test holds the two together)."""


class MeetingOut(_Out):
    """A meeting. No raw provider answer; links masked unless revealed. `status` is the
    status meettui shows and the filter's `status:` matches, as of when the document was
    written; `reported_status` is the provider's own."""

    provider: str
    account: str
    id: str
    title: str = ""
    starts_at: AwareDatetime | None = None
    ends_at: AwareDatetime | None = None
    expires_at: AwareDatetime | None = Field(
        default=None, description="When the link stops working, if the provider says.")
    status: ShownStatus = Field(default="unknown", description=(
        "The status meettui shows (the list, `show`) and `status:` in a query matches, "
        "as of when this was written: the provider's (`reported_status`) moved on by the "
        "clock (`started`: past its start and nobody reported it live; `ended` or "
        "`expired` once its end or expiry passed) and `gone` when the provider no "
        "longer lists it (`missing`)."))
    reported_status: Status = Field(default=Status.UNKNOWN, description=(
        "The status the provider last reported (`scheduled` stays `scheduled` after "
        "its start)."))
    links: list[LinkOut] = Field(default_factory=list)
    capacity: int | None = None
    details: dict[str, str] = Field(default_factory=dict)
    missing: bool = Field(default=False,
                          description="The provider no longer lists it (a full sync missed it).")
    session_data: SessionDataOut | None = Field(
        default=None, exclude_if=_absent_when_none,
        description="Join data an action just returned (absent otherwise).")

    @classmethod
    def fields_of(cls, meeting: Meeting, reveal: bool, *, now: datetime) -> dict[str, Any]:
        """The field values of `meeting`'s document at `now` (for subclasses that add
        fields)."""
        session = meeting.session_data
        return {
            "provider": meeting.provider, "account": meeting.account, "id": meeting.id,
            "title": meeting.title, "starts_at": meeting.starts_at,
            "ends_at": meeting.ends_at, "expires_at": meeting.expires_at,
            "status": meeting.status_word(now), "reported_status": meeting.status,
            "links": [LinkOut.of(link, reveal) for link in meeting.links],
            "capacity": meeting.capacity, "details": meeting.details,
            "missing": meeting.missing,
            "session_data": None if session is None else SessionDataOut(
                label=session.label, help=session.help,
                data=session.data if reveal else session.masked()),
        }

    @classmethod
    def of(cls, meeting: Meeting, reveal: bool = False, *, now: datetime) -> MeetingOut:
        """`meeting` as output at `now`; host links and join tokens masked unless
        `reveal`."""
        return cls(**cls.fields_of(meeting, reveal, now=now))


class MeetingDoc(MeetingOut, Versioned):
    """One meeting (`show`, `create`, `action ID NAME` and the action verbs)."""

    warning: str | None = Field(
        default=None, exclude_if=_absent_when_none,
        description="Set when the provider made the change but meettui could not read it "
        "back (its answer, or the read that follows it, was cut, lost or unreadable): the "
        "change is done (do not make it again), and the meeting is as far as meettui "
        "knows it; refresh to see it as the provider has it (the command exits 3). Absent "
        "otherwise.")

    start_note: str | None = Field(
        default=None, exclude_if=_absent_when_none,
        description="Set on a meeting just created that does not start at the start asked "
        "for (its provider opens meetings when they are made, and keeps no start time): "
        "when it starts, and why. Absent otherwise.")

    @classmethod
    def of(cls, meeting: Meeting, reveal: bool = False, *, now: datetime,
           start_note: str | None = None) -> MeetingDoc:
        return cls(**cls.fields_of(meeting, reveal, now=now), warning=meeting.unread,
                   start_note=start_note)


class ShownDoc(MeetingDoc):
    """One meeting as `show` and the MCP server's get_meeting give it: with `--refresh`
    (`refresh`) re-read from the provider, or, when that failed, the cached copy and
    why it is not fresh."""

    refresh_error: str | None = Field(
        default=None, exclude_if=_absent_when_none,
        description="Why the meeting could not be re-read from the provider: it is then "
        "the cached copy (`show` exits 1). Absent when it was re-read, or not asked to be.")

    @classmethod
    def shown(cls, meeting: Meeting, reveal: bool = False, *, now: datetime,
              refresh_error: str | None = None) -> ShownDoc:
        return cls(**cls.fields_of(meeting, reveal, now=now), refresh_error=refresh_error)


class EditDoc(MeetingDoc):
    """The meeting after `edit`. A provider that cannot edit in place recreates it: then
    `replaced_id` is the id that is gone, and every link changed. As in every meeting
    document, the meeting's own fields are always there (null when unknown) and a note
    on what the command did is there only when it has something to say."""

    replaced_id: str | None = Field(
        default=None, exclude_if=_absent_when_none,
        description="Set when the provider could not edit in place: the id of the meeting "
        "a new one replaced (this document is the new one). Absent when the meeting "
        "stayed.")
    warning: str | None = Field(
        default=None, exclude_if=_absent_when_none,
        description="Something the edit could not finish (e.g. the old meeting of a "
        "recreate could not be deleted), or the provider made the change but meettui "
        "could not read it back. Absent when all went well.")
    notice: str | None = Field(
        default=None, exclude_if=_absent_when_none,
        description="Set with `replaced_id`: a sentence for the people who had the old "
        "links. The provider could not edit in place, so a new meeting replaced the old "
        "one and every link changed: the new links must be sent again. Absent when the "
        "meeting and its links stayed.")


class SyncErrorOut(_Out):
    """An account whose refresh failed: the list shows what its cache holds."""

    account: str
    message: str


class MeetingList(Versioned):
    """`list`: the meetings in start order (at most `--limit`); `matched` and
    `truncated` say whether the limit left some out."""

    meetings: list[MeetingOut]
    sync_errors: list[SyncErrorOut] = Field(
        default_factory=list,
        description="Accounts that could not be refreshed (the exit status is then 1).")
    query_warnings: list[str] = Field(
        default_factory=list,
        description="When nothing matched the query: what in it can match nothing (a "
                    "status or an account that does not exist), said for a person.")
    matched: int = Field(
        description="How many cached meetings matched in all, before the limit "
                    "(`--limit`, the MCP `limit`) cut the list.")
    truncated: bool = Field(
        description="The limit left meetings out: `matched` is more than the limit, and "
                    "a larger limit shows them.")


class MeetingPage(MeetingList):
    """`list` and the MCP server's list_meetings: a page of the list, `limit` meetings
    from `offset` (with `upcoming`, counted from what is on now or next), or after the
    last meeting of the page before (`next_after`)."""

    truncated: bool = Field(
        description="Meetings follow this page: `next_after` continues the list.")
    offset: int = Field(description="Where this page starts among the `matched` meetings.")
    next_offset: int | None = Field(
        description="The offset of the next page (the same arguments with this `offset` "
                    "give it, while nothing changes in between: with `upcoming` the "
                    "start moves with the clock, and a refresh adds or removes meetings "
                    "before it, so an offset can skip some; `next_after` cannot); null "
                    "when this page is the last.")
    next_after: str | None = Field(
        description="Where the next page starts: the same arguments with this as "
                    "`--after` (the MCP `after`) give the meetings after this page's "
                    "last one, each exactly once, however the clock or the cache moves "
                    "meanwhile; null when this page is the last.")
    added_before: int = Field(
        default=0,
        description="With `--after` (`after`): how many meetings were cached since the "
                    "page before, at places in the list that page had passed. They are "
                    "not in this page or any later one: list again from the start to "
                    "see them. 0 otherwise.")


class AccountOut(_Out):
    """A configured account and its state."""

    name: str
    provider: str
    display_name: str
    demo: bool
    read_only: bool
    health: Health
    message: str
    last_synced: AwareDatetime | None
    complete: bool = Field(
        description="Every page of it is in the cache (a walk reached its last page; a "
                    "refresh of page one since leaves the later pages cached). Always "
                    "true for an account whose meetings live on this machine only "
                    "(health \"local only\").")
    cached: int = Field(description="How many of its meetings the cache holds.")

    @classmethod
    def of(cls, info: AccountInfo, cached: int) -> AccountOut:
        """`info` as output, with the number of its meetings in the cache."""
        return cls(name=info.name, provider=info.provider, display_name=info.display_name,
                   demo=info.demo, read_only=info.read_only, health=info.health,
                   message=info.message, last_synced=info.sync.last_synced,
                   complete=info.sync.complete, cached=cached)


class AccountList(Versioned):
    """`accounts`."""

    accounts: list[AccountOut]


class ActionFieldOut(_Out):
    name: str
    label: str
    required: bool
    help: str


class ActionOut(_Out):
    """A provider action a meeting offers (`meettui action ID NAME -o field=value`)."""

    name: str
    label: str
    dangerous: bool = Field(description="It asks first (`--yes` answers).")
    help: str
    fields: list[ActionFieldOut]

    @classmethod
    def of(cls, spec: ActionSpec) -> ActionOut:
        return cls(name=spec.name, label=spec.label, dangerous=spec.dangerous, help=spec.help,
                   fields=[ActionFieldOut(name=f.name, label=f.label, required=f.required,
                                          help=f.help) for f in spec.fields])


class ActionList(Versioned):
    """`action ID` without an action name: what the meeting offers."""

    actions: list[ActionOut]


class DeleteDoc(Versioned):
    """`delete`: what was done. `delete` (deleted upstream), `cancel` (still listed,
    cancelled), `local` (only meettui forgot it; the link keeps working), `gone` (it
    was gone upstream already, deleted elsewhere or expired: meettui forgot it)."""

    id: str
    account: str
    result: Literal[DeleteMode.DELETE, DeleteMode.CANCEL, DeleteMode.LOCAL, DeleteMode.GONE]
    preview: str | None = Field(
        default=None, exclude_if=_absent_when_none,
        description="Present only when nothing was changed: the MCP delete_meeting "
                    "without confirm answers what it would do (`result`) with this "
                    "sentence to ask the user, and does it when called again with "
                    "confirm: true. Absent when the delete was done.")

    @classmethod
    def of(cls, meeting_id: str, account: str, done: DeleteMode,
           preview: str | None = None) -> DeleteDoc:
        """What a delete that ended in `done` prints; with `preview`, what one would do
        (nothing changed). Raises pydantic's ValidationError for
        `DeleteMode.NONE`, which no delete returns."""
        return cls.model_validate({"id": meeting_id, "account": account, "result": done,
                                   "preview": preview})


class LocateDoc(Versioned):
    """`locate`: where meettui's files are."""

    config: str
    cache: str
    log: str
    themes: str


class QrFileOut(_Out):
    path: str
    format: Literal["png", "svg"]


class QrDoc(Versioned):
    """`qr --png/--svg` (and the MCP server's render_qr): the files written and the link
    they encode (its URL masked when sensitive)."""

    id: str
    account: str
    role: Role
    url: str
    sensitive: bool
    modules: int = Field(description="The code's width in modules, without the quiet zone.")
    quiet: int = Field(description="The quiet zone around it, in modules.")
    files: list[QrFileOut]


class IcsDoc(Versioned):
    """`ics -o FILE`: the calendar file written, as `qr --png` says its files."""

    path: str = Field(description="The file written, as an absolute path.")
    events: int = Field(description="How many events it holds.")
    role: Literal["guest", "host"] = Field(description="Which link the events carry.")
    id: str | None = Field(description="The meeting asked for by id; null for a whole "
                           "account's file.")
    account: str


class LinksDoc(Versioned):
    """A meeting's links to hand out (the MCP server's get_links): the shareable ones,
    and host links only where the caller may have them; `withheld` names the roles of
    links left out."""

    id: str
    account: str
    title: str
    links: list[LinkOut]
    withheld: list[Role] = Field(default_factory=list)


class PlannedRequestOut(_Out):
    """A provider call a change would send, secrets masked (credential headers keep
    their scheme only: `Bearer ***`; token query values, token-like path segments and
    secret body fields read `***`)."""

    method: str
    url: str
    headers: dict[str, str]
    body: Any = Field(description="The parsed JSON body, the form fields, the text, or null.")


class DryRunDoc(Versioned):
    """`--dry-run` on a command that changes something: what would be done, with nothing
    sent or changed. `requests` in the order they would be sent (the first change, then
    any a multi-step change follows with); `local` what would change on this machine
    only; `then` what would follow that is no request of its own."""

    dry_run: Literal[True] = True
    account: str | None
    requests: list[PlannedRequestOut]
    local: list[str]
    then: list[str]

    @classmethod
    def of(cls, plan: DryRun) -> DryRunDoc:
        """The document of a dry run's answer (`meettui.core.dryrun.DryRun`)."""
        return cls(account=plan.account, local=list(plan.local), then=list(plan.then),
                   requests=[PlannedRequestOut(method=r.method, url=r.url,
                                               headers=dict(r.headers), body=r.body)
                             for r in plan.requests])


def document_schema(document: Any, name: str, description: str = "") -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of the output type `document` (a model or a union
    of models), as printed for the command `name`: with `$schema`, a versioned `$id`
    and a title. Generated in serialisation mode: it describes what is written."""
    schema = TypeAdapter(document).json_schema(mode="serialization")
    head: dict[str, Any] = {"$schema": JSON_SCHEMA_DIALECT, "$id": schema_id(name),
                            "title": f"meettui {name} --json"}
    if description:
        head["description"] = description
    # The head names the command; the rest (properties, $defs) is pydantic's.
    return {**head, **{k: v for k, v in schema.items() if k not in head}}
