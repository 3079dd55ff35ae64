"""What meettui can do with a 24sessions account: settings, form fields, actions, notes,
page sizes, and what one meeting allows (`capabilities_for`).

The client is `meettui.providers._24sessions.client`; its module docstring explains the
model (scheduled meetings, a host who must be logged in, guests in a waiting room,
cancel rather than delete).
"""

from __future__ import annotations

import re
from datetime import timedelta

from pydantic import BaseModel, ConfigDict, ValidationInfo, field_validator

from meettui.core.capabilities import (
    ActionSpec,
    Capabilities,
    DeleteMode,
    FieldKind,
    FieldSpec,
    UpdateMode,
)
from meettui.core.models import Role
from meettui.providers._24sessions.verbs import CANCEL as CANCEL_VERB

# API Platform's default page size is 30 and 24sessions' own is undocumented; the
# largest page it allows (`itemsPerPage`) too (unconfirmed: 100).
PAGE_DEFAULT, PAGE_MAX = 30, 100
# What `meettui delete` (a cancel) tells the guest when no reason is given; the account
# setting `cancellation_reason` replaces it.
DEFAULT_CANCELLATION_REASON = "Cancelled by the advisor"
CANCELLED_BY = ("advisor", "guest")
"""Who cancelled, as the `cancel` action asks: the advisor (`canceled_user`) or the
guest (`canceled_guest`)."""
_INSTANCE = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")
_REF = re.compile(r"^(?:/(users|meeting_types)/)?(\d+)$")


def ref_match(text: str, collection: str) -> re.Match[str] | None:
    """`text` read as an id (`12`) or an IRI of `collection` (`/users/12`): the match
    (group 2 is the id), None for anything else. The settings' check and `mapping.ref`
    read them alike."""
    match = _REF.match(text.strip())
    return match if match and match.group(1) in (None, collection) else None


class TwentyFourSessionsSettings(BaseModel):
    """`[accounts.settings]` of a 24sessions account."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    instance: str
    """The instance name: `acme` for `https://acme.24sessions.com`. The links are built
    from it, and the API root (`https://acme.api.24sessions.com`) unless `base_url`
    is set."""
    user: str | None = None
    """The host (advisor) of meetings made here when the form names none: a user id
    (`12`) or IRI (`/users/12`)."""
    meeting_type: str | None = None
    """The meeting type of meetings made here when the form names none (id or IRI)."""
    cancellation_reason: str = DEFAULT_CANCELLATION_REASON
    """The reason `meettui delete` (a cancel) sends; the cancel action asks for one."""

    @field_validator("instance")
    @classmethod
    def _instance(cls, value: str) -> str:
        value = value.strip().lower()
        if not _INSTANCE.match(value):
            raise ValueError("the instance is the name before .24sessions.com (a-z, 0-9, -)")
        return value

    @field_validator("user", "meeting_type", mode="before")
    @classmethod
    def _ref(cls, value: object) -> object:
        # TOML gives `user = 12` as an int; the IRI helpers take text (and `12.5`, made
        # text, is refused by the shape check below with what to give).
        return str(value) if isinstance(value, int | float) and not isinstance(value, bool) \
            else value

    @field_validator("cancellation_reason")
    @classmethod
    def _reason(cls, value: str) -> str:
        # The guest reads it: a blank one was sent as the reason ("Cancellation reason:"
        # and nothing), where `cancel --reason "  "` is refused.
        if not value.strip():
            raise ValueError("give the reason the guest reads when `meettui delete` "
                             "cancels (leave the line out for "
                             f"{DEFAULT_CANCELLATION_REASON!r})")
        return value.strip()

    @field_validator("user", "meeting_type")
    @classmethod
    def _ref_shape(cls, value: str | None, info: ValidationInfo) -> str | None:
        # Checked here, where the error names the config file's line: `user = "twelve"`
        # passed and failed only at the first create.
        collection = "users" if info.field_name == "user" else "meeting_types"
        if value is not None and value.strip() and ref_match(value, collection) is None:
            raise ValueError(f"give an id (12) or /{collection}/12")
        return value


NOTES = (
    "Only the host (the advisor, logged in to 24sessions) can start a meeting; the host "
    "link opens for that logged-in user only.",
    "Guests join with the guest link and wait in the waiting room until the host starts.",
    "Deleting cancels: the meeting stays listed as cancelled, as 24sessions recommends "
    "(it stays in its reporting). A real delete is a separate action.",
    "A meeting lasts as long as its meeting type says; there is no end time to set.",
)

CANCEL = ActionSpec(
    name="cancel", label="Cancel with a reason",
    fields=(
        FieldSpec(name="reason", label="Reason", required=True,
                  help="Why it is cancelled; 24sessions can put it in the email to the "
                       "guest."),
        FieldSpec(name="by", label="Cancelled by", kind=FieldKind.CHOICE,
                  choices=CANCELLED_BY, default="advisor",
                  help="advisor: the host cancelled (canceled_user); guest: the guest "
                       "asked to (canceled_guest)."),
    ),
    help="Cancels the meeting; it stays listed as cancelled and in 24sessions' reporting.",
    dangerous=True,
    aliases=CANCEL_VERB.aliases,
)

DELETE = ActionSpec(
    name="delete", label="Delete for good",
    help="Deletes the meeting at 24sessions: its links stop working and it disappears "
         "from 24sessions' reporting. Cancelling keeps it there; prefer that.",
    dangerous=True,
    removes=True,
)

# The delete of a meeting cancelled already: advice to cancel instead is none for it.
DELETE_CANCELLED = DELETE.model_copy(update={
    "help": "Deletes the meeting at 24sessions: its links stop working and it disappears "
            "from 24sessions' reporting."})

CAPABILITIES = Capabilities(
    create=True,
    update=UpdateMode.IN_PLACE,
    # Dates are sent to the second (`mapping` drops the microseconds).
    time_precision=timedelta(seconds=1),
    delete=DeleteMode.CANCEL,
    # Who meets, about what, and the reasons people wrote; the status and the notes on
    # links, guests and bookings are meettui's wording.
    searchable_details=("Guest", "Host", "Meeting type", "Rescheduled",
                        "Cancellation reason"),
    # How the host and the guests get in (the host's login, the waiting room): no
    # advice once it is cancelled or over.
    open_only_details=("Host link", "Guests"),
    link_roles=(Role.HOST, Role.GUEST),
    page_size_default=PAGE_DEFAULT,
    page_size_max=PAGE_MAX,
    fields=(
        FieldSpec(name="title", label="Description",
                  help="24sessions meetings have no title: this is the description. "
                       "Empty shows '<meeting type> with <guest>'.",
                  edit_help="24sessions meetings have no title: this is the description. "
                            "Empty keeps it as it is."),
        FieldSpec(name="starts_at", label="Start", kind=FieldKind.DATETIME, required=True,
                  help="When the meeting starts. YYYY-MM-DD HH:MM or +1d.",
                  edit_help="When the meeting starts; changing it reschedules (give a "
                            "reason below). YYYY-MM-DD HH:MM or +1d."),
        FieldSpec(name="ends_at", label="End", kind=FieldKind.DATETIME, hidden=True,
                  help="The meeting type ({option:meeting_type}) sets how long a meeting "
                       "lasts."),
        FieldSpec(name="guest_name", label="Guest name", required=True, editable=False),
        FieldSpec(name="guest_email", label="Guest email", required=True, editable=False,
                  help="24sessions emails the guest their link."),
        FieldSpec(name="user", label="Host (user id)", editable=False,
                  help="The advisor who hosts it: a user id (12) or /users/12. Empty: "
                       "the account's `user` setting.",
                  edit_help="The advisor who hosts it."),
        FieldSpec(name="meeting_type", label="Meeting type (id)", editable=False,
                  help="A meeting type id (2) or /meeting_types/2; it sets the duration. "
                       "Empty: the account's `meeting_type` setting.",
                  edit_help="The meeting type; it sets the duration."),
        FieldSpec(name="reason", label="Reason for rescheduling", creatable=False,
                  help="When rescheduling: why the meeting moves (sent as the "
                       "rescheduling reason)."),
    ),
    actions=(CANCEL, DELETE),
    notes=NOTES,
)

# A cancelled meeting cannot be rescheduled (24sessions refuses a new date) or cancelled
# again; it can still be deleted for good.
CANCELLED = CAPABILITIES.model_copy(update={
    "update": UpdateMode.NONE, "actions": (DELETE_CANCELLED,),
    # Said where the edit is refused ("cannot be edited" alone left the user guessing).
    "update_note": "It is cancelled: 24sessions does not reschedule a cancelled meeting. "
                   "Create a new one instead."})
