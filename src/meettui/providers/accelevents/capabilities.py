"""What meettui can do with an Accelevents account: its settings, form fields, the join
action, page sizes.

Contract: `research/providers-eyeson-24sessions-events.md` §3 and the Join Session seed
page (`seeds/002_…`). The client is `meettui.providers.accelevents`; its docstring
explains the model (an event's sessions).
"""

from __future__ import annotations

from datetime import UTC, timedelta, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, field_validator

from meettui.core.account_rules import web_address
from meettui.core.capabilities import (
    ActionSpec,
    Capabilities,
    DeleteMode,
    FieldKind,
    FieldSpec,
    UpdateMode,
)
from meettui.core.models import Role
from meettui.providers.accelevents.verbs import JOIN

# Page sizes: third-party clients ask `size=50`; no maximum is documented (unconfirmed:
# 100 is what meettui asks for at most).
PAGE_DEFAULT, PAGE_MAX = 50, 100
PORTAL_URL = "https://www.accelevents.com"

FORMATS = ("MAIN_STAGE", "BREAKOUT_SESSION", "MEET_UP", "WORKSHOP", "EXPO", "BREAK", "OTHER")
"""The seven session formats (seed page: "There are seven type of session")."""
FORMAT_NAMES = {
    "MAIN_STAGE": "Main stage",
    "BREAKOUT_SESSION": "Breakout session",
    "MEET_UP": "Meet-up",
    "WORKSHOP": "Workshop (interactive Chime room)",
    "EXPO": "Expo",
    "BREAK": "Break",
    "OTHER": "Other",
}
# A new session's format when the form leaves it empty. Unconfirmed (no official create
# page): the regular-session guide calls BREAKOUT_SESSION the regular one.
DEFAULT_FORMAT = "BREAKOUT_SESSION"
VISIBILITY = ("VISIBLE", "HIDDEN")
SWITCHES = ("chatEnabled", "pollEnabled", "quesAndAnsEnabled")
"""The chat, poll and Q&A switches as the Join Session and host get pages name them."""
DESCRIPTION_MAX = 65_024
"""Seed page: "Only 65,024 characters are allowed in the description"."""


def event_zone(name: str) -> tzinfo:
    """The time zone called `name` (IANA, e.g. "Europe/Berlin"; "UTC"). Raises
    ValueError naming it when unknown."""
    if name.upper() == "UTC":
        return UTC
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone {name!r} (use an IANA name such as "
                         "'Europe/Berlin', or 'UTC')") from None


class AcceleventsSettings(BaseModel):
    """`[accounts.settings]` of an Accelevents account: which event, and its time zone."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    eventurl: str = Field(min_length=1, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
    """The event's URL slug: `demo` in https://www.accelevents.com/events/demo."""
    event_id: int | None = None
    """The event's numeric id (`eventId`), which the host session list requires. When
    not set it is read once from the event's details."""
    time_zone: str = "UTC"
    """The event's time zone: Accelevents sends and takes session times as
    `yyyy/MM/dd HH:mm` without a zone, in the event's own zone (unconfirmed which zone;
    this names it). An IANA name; default UTC."""
    portal_url: str = PORTAL_URL
    """Where the attendee portal pages (the guest links) live."""

    @field_validator("time_zone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        event_zone(value)
        return value

    @field_validator("portal_url")
    @classmethod
    def _web_address(cls, value: str) -> str:
        # The guest links are made from it: refused when the config loads.
        return web_address(value)


NOTES = (
    "A meeting here is a session of one event (the account's `eventurl`); its guest link "
    "is the session's page in the attendee portal.",
    "Times are in the event's time zone (the account's `time_zone` setting, default UTC).",
    "The join action registers the API key's attendee and returns the Chime join data; "
    "its JoinToken is a credential: shown masked, never stored.",
)

CAPABILITIES = Capabilities(
    create=True,
    update=UpdateMode.IN_PLACE,
    # Session times are `yyyy/MM/dd HH:mm`: to the minute.
    time_precision=timedelta(minutes=1),
    delete=DeleteMode.DELETE,
    # What the session is, where and with whom; counts, switches, times, the zone and
    # the visibility notes are not looked for by words (nor the join's attendee ids).
    searchable_details=("Format", "Speakers", "Location"),
    # How long one may join late and what the session offers while it runs (chat, polls,
    # Q&A): nothing to act on once it has ended or is gone.
    open_only_details=("Join late", "Chat", "Polls", "Q&A"),
    link_roles=(Role.GUEST,),
    page_size_default=PAGE_DEFAULT,
    page_size_max=PAGE_MAX,
    fields=(
        FieldSpec(name="title", label="Title", required=True),
        FieldSpec(name="starts_at", label="Start", kind=FieldKind.DATETIME, required=True,
                  help="Your local time, as every time here; meettui sends it in the "
                       "event's time zone, to the minute."),
        FieldSpec(name="ends_at", label="End", kind=FieldKind.DATETIME, required=True),
        FieldSpec(name="format", label="Format", kind=FieldKind.CHOICE, choices=FORMATS,
                  default=DEFAULT_FORMAT,
                  help="WORKSHOP is an interactive Chime room attendees join."),
        FieldSpec(name="capacity", label="Capacity", kind=FieldKind.INT,
                  help="Most attendees who can register; 0 or empty: no limit.",
                  edit_help="Most attendees who can register; 0: no limit; empty keeps it "
                            "as it is."),
        FieldSpec(name="chatEnabled", label="Chat", kind=FieldKind.BOOL, default=True),
        FieldSpec(name="pollEnabled", label="Polls", kind=FieldKind.BOOL, default=True),
        FieldSpec(name="quesAndAnsEnabled", label="Q&A", kind=FieldKind.BOOL, default=True),
        FieldSpec(name="status", label="Visibility", kind=FieldKind.CHOICE, choices=VISIBILITY,
                  default="VISIBLE", help="HIDDEN: staff see it, attendees' lists do not."),
        FieldSpec(name="description", label="Description",
                  help=f"At most {DESCRIPTION_MAX:,} characters."),
    ),
    actions=(
        ActionSpec(
            name="join", label="Join as attendee (Chime join data)",
            help="Registers the API key's attendee for the session (it must be live and "
                 "not full) and returns the Chime meeting and attendee with its "
                 "JoinToken: masked here, copy it as JSON for a Chime client.",
            aliases=JOIN.aliases,
            # Takes part in the session, changes nothing of it: a read-only account
            # runs it too.
            changes=False,
        ),
    ),
    notes=NOTES,
)
