"""What a provider can do, in the neutral model's terms: how it edits and deletes
(`UpdateMode`, `DeleteMode` and the words a delete is named by), the inputs its forms
and commands take (`FieldSpec`), its own actions (`ActionSpec`), and the whole of it
(`Capabilities`, one per provider or per meeting: `Provider.capabilities_for`). The
service refuses, and the TUI and CLI never offer, what these do not allow.
`core/models.py` holds the meetings themselves.
"""

from __future__ import annotations

from datetime import timedelta
from enum import StrEnum
from typing import TYPE_CHECKING, Any, NamedTuple

from pydantic import BaseModel, ConfigDict

from meettui.core.roles import Role
from meettui.core.verbs import ActionAlias

if TYPE_CHECKING:
    from meettui.core.models import Meeting


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
    # A result, never a provider's mode: the meeting was gone upstream already (deleted
    # elsewhere, expired), so only meettui's copy went; "delete" said it was deleted.
    GONE = "gone"


class DeleteWording(NamedTuple):
    """How a delete of one mode is named wherever a user sees it (TUI, CLI)."""

    verb: str
    """The button and question: "Delete", "Cancel", "Forget"."""
    explain: str
    """What happens, in one or two sentences."""
    done: str
    """What the confirmation after the fact starts with."""
    doing: str
    """What a line says while it is under way: "Deleting", "Cancelling"."""


_DELETE_WORDING = {
    DeleteMode.DELETE: DeleteWording(
        "Delete",
        "The meeting is deleted at the provider. Its links stop working and anyone in it "
        "is removed.",
        "Deleted",
        "Deleting",
    ),
    DeleteMode.CANCEL: DeleteWording(
        "Cancel",
        "The meeting is cancelled at the provider; it stays listed as cancelled.",
        "Cancelled",
        "Cancelling",
    ),
    DeleteMode.LOCAL: DeleteWording(
        "Forget",
        "Local only: meettui forgets it, but the room link keeps working for anyone who "
        "has it.",
        "Forgot (the link still works):",
        "Forgetting",
    ),
    DeleteMode.GONE: DeleteWording(
        "Delete",
        "The meeting was gone upstream already; meettui forgets it.",
        "Already gone upstream, so only forgotten here:",
        "Deleting",
    ),
}


GONE_WORDING = DeleteWording(
    "Forget",
    "It is gone at the provider already (the last refresh no longer found it there): "
    "nothing is sent to the provider, and only meettui's copy is forgotten.",
    "Forgot",
    "Forgetting",
)
"""The words for the delete of a meeting gone upstream already (`Meeting.missing`),
whatever its provider's delete does: only the cached copy goes
(`Writes.delete`)."""


def describe_delete(mode: DeleteMode, *, gone: bool = False) -> DeleteWording:
    """The words for a delete of `mode`; `DeleteMode.NONE` reads as a plain delete (it
    is never offered, so only an error message could show it). `gone`: the meeting is
    gone at the provider already (`Meeting.missing`), `GONE_WORDING`."""
    if gone:
        return GONE_WORDING
    return _DELETE_WORDING.get(mode, _DELETE_WORDING[DeleteMode.DELETE])



class FieldKind(StrEnum):
    TEXT = "text"
    DATETIME = "datetime"
    CHOICE = "choice"
    BOOL = "bool"
    INT = "int"


TITLE_MAX_LENGTH = 200
"""meettui's limit for a title when the provider states none."""


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
    """The hint under the field (on the create form, and on the edit form unless
    `edit_help` says otherwise)."""
    edit_help: str | None = None
    """The hint on the edit form, when editing makes `help` untrue (what an empty field
    does: on a create it takes a default, on an edit it usually keeps the value)."""
    # False when the provider only accepts the field at creation time.
    editable: bool = True
    # False when the field means something only to an edit (a reason for rescheduling):
    # the create form leaves it out.
    creatable: bool = True
    # A base field (title, starts_at, ends_at) the provider has no use for: the forms
    # leave it out and a value given for it is refused (`service_checks.check_fields`),
    # with its `help` as the reason.
    hidden: bool = False
    # The most characters a text field takes (the form says so at the field and will not
    # save more, the service refuses more); None: no limit of meettui's own.
    max_length: int | None = None
    # The meeting's time an edit form starts this field from, when not its own name
    # (an "Expires" given as `ends_at` and read back as `expires_at`). Left
    # as it opened, such a field is not sent: it keeps the value it showed.
    shows: str | None = None
    # Kept by meettui alone, never sent (a title the provider has no place for): an edit
    # that changes only such fields changes the cached meeting, even where an edit
    # otherwise recreates the meeting (`kept.changes_upstream`).
    local: bool = False
    # Where this field's choices come from in the meeting acted on, besides `choices`:
    # the name of a list of names in `Meeting.raw` (the meeting's hosts). A form offers
    # them to pick from (`choices_for`); the value is still what the provider reads, so
    # a front end without a choice may take any (a token, typed).
    choices_from: str | None = None

    def choices_for(self, meeting: Meeting | None) -> tuple[str, ...]:
        """The choices of this field for `meeting`: `choices`, then the names the
        meeting holds under `choices_from`, each once."""
        found: list[str] = list(self.choices)
        if self.choices_from and meeting is not None:
            listed = meeting.raw.get(self.choices_from)
            if isinstance(listed, list | tuple):
                found += [str(item) for item in listed if isinstance(item, str) and item]
        return tuple(dict.fromkeys(found))


class ActionSpec(BaseModel):
    """A provider-specific action on one meeting (add a host, start now…).

    The TUI offers them in the palette and asks for `fields`; the CLI runs them with
    `meettui action ID NAME -o key=value`, or through their `aliases`.
    """

    model_config = ConfigDict(frozen=True)

    name: str
    label: str
    fields: tuple[FieldSpec, ...] = ()
    help: str = ""
    dangerous: bool = False
    """Asks for confirmation first (it removes access, ends a meeting…)."""
    removes: bool = False
    """The meeting no longer exists afterwards (a real delete beside a cancel): the
    service drops it from the cache instead of storing the answer, and
    `meettui delete --hard` runs this action."""
    aliases: tuple[ActionAlias, ...] = ()
    changes: bool = True
    """It changes something at the provider (a meeting, its hosts, its state). False for
    an action that only reads or takes part (a join as an attendee): it runs
    on a read-only account too, where every changing action is hidden (the palette) and
    refused (the service, `Writes.action_refusal`)."""


class Capabilities(BaseModel):
    """What a provider (or one meeting of it: `Provider.capabilities_for`) can do. The
    service refuses, and the TUI and CLI never offer, what this does not allow."""

    model_config = ConfigDict(frozen=True)

    remote_list: bool = True
    """False when nothing lives upstream and the cache is the source of truth (Jitsi)."""
    create: bool = True
    update: UpdateMode = UpdateMode.NONE
    update_note: str = ""
    """Why a meeting cannot be edited, when `update` is NONE for it (one kind of meeting
    of a provider that edits others); shown instead of a bare refusal."""
    delete: DeleteMode = DeleteMode.NONE
    delete_note: str = ""
    """Why a meeting cannot be deleted, when `delete` is NONE (what becomes of it
    instead); shown instead of a bare refusal."""
    link_roles: tuple[Role, ...] = (Role.GUEST,)
    """The link roles its meetings can have; the palette offers a copy for each."""
    page_size_default: int = 50
    """Meetings asked for per page when the caller gives no limit."""
    page_size_max: int = 100
    """The most the API allows per page; larger limits are clamped to it."""
    fields: tuple[FieldSpec, ...] = ()
    extra_options: tuple[str, ...] = ()
    """Options taken from the command line (`-o name=value`) that no form field offers
    (objects, alternative spellings). Any other option is refused, not ignored."""
    actions: tuple[ActionSpec, ...] = ()
    host_links_named: bool = False
    """Each host link is one person's and its label is their name, so a message can say
    whose it is ("the host link of Ines Shah"). Other labels describe the link ("Room
    link", "host rights (participant token)") and are no name to put in a sentence."""
    kept_facts: bool = False
    """The provider answers with facts it cannot read back later (`Meeting.kept`)."""
    searchable_details: tuple[str, ...] = ()
    """The labels of its `Meeting.details` whose values are data a person may look for
    (a room, a guest's name and email, the hosts, a team, speakers), in its own words:
    the list's filter searches these values and no other detail. Explanations, switches,
    counts, statuses and times stay out (a filter word must not match meettui's own
    wording: "whiteboard" is a feature every room offers). Values must be data alone: a
    value that mixes data and explanation belongs in a clean detail (or, for a code a
    guest types, in `Link.code`, which is searched for shareable links).

    Changing this list changes the cached search text: existing rows get it again only
    when rewritten, or when a cache migration queues them (`cache_schema`, v6)."""
    open_only_details: tuple[str, ...] = ()
    """The labels of its `Meeting.details` that only mean something while the meeting
    can still be opened (how guests get in, a waiting room, a lobby, recording or
    join settings): left out of what a reader sees once it is cancelled, ended,
    expired or gone upstream (`core/open_facts.py`: the app's detail and the command
    line's text; the JSON keeps every detail, as data)."""
    time_precision: timedelta = timedelta(microseconds=1)
    """The finest step of the times the provider keeps (a second where it drops the
    milliseconds, a minute where it takes `HH:mm`): an edit's time that agrees with the
    meeting's to this step is no change (`kept.same_time`). Meetings kept only here
    keep what they are given."""
    deprecation: str | None = None
    """Shown wherever the account appears, e.g. a sunset service."""
    notes: tuple[str, ...] = ()

    def field(self, name: str) -> FieldSpec | None:
        return next((f for f in self.fields if f.name == name), None)

    def unknown_options(self, options: dict[str, Any]) -> list[str]:
        """The names in `options` this provider takes neither as a field nor as an extra
        option, sorted (a misspelled `-o` must not be dropped without a word)."""
        known = {f.name for f in self.fields} | set(self.extra_options)
        return sorted(set(options) - known)

    def max_length(self, name: str) -> int | None:
        """The most characters field `name` takes: the provider's own limit, else
        meettui's default for a title (long enough for any real title, short enough for a
        list row and a toast)."""
        spec = self.field(name)
        if spec is not None and spec.max_length is not None:
            return spec.max_length
        return TITLE_MAX_LENGTH if name == "title" else None

    def action(self, name: str) -> ActionSpec | None:
        return next((a for a in self.actions if a.name == name), None)

    def removal(self) -> ActionSpec | None:
        """The action that removes a meeting for good (`ActionSpec.removes`), where the
        delete only cancels; None when there is none."""
        return next((a for a in self.actions if a.removes), None)

    def takes_start(self) -> bool:
        """Whether an edit can give a meeting a start time: it can be edited, and its
        start is a field the provider shows and takes on an edit (a base field a
        provider does not declare is one it takes). Advice to set a start asks this."""
        if self.update == UpdateMode.NONE:
            return False
        start = self.field("starts_at")
        return start is None or (not start.hidden and start.editable)

    @property
    def update_changes_links(self) -> bool:
        return self.update == UpdateMode.RECREATE
