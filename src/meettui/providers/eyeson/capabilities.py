"""What meettui can do with an eyeson account: form fields, actions, notes, page sizes.

The client is `meettui.providers.eyeson`; the module docstring there explains the model
(permalinks, hosts, running rooms) these fields and actions describe.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Literal

from pydantic import BaseModel, ConfigDict, field_validator

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
from meettui.providers.eyeson.verbs import ADD_HOST, REMOVE_HOST, START

PAGE_DEFAULT, PAGE_MAX = 25, 100
APP_URL = "https://app.eyeson.team"


class EyesonSettings(BaseModel):
    """`[accounts.settings]` of an eyeson account."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    host_name: str | None = None
    """The first host of permalinks made here (default "Host")."""
    body: Literal["form", "json"] = "form"
    """Request bodies as form fields (as eyeson's PHP and Go SDKs send) or JSON."""
    app_url: str = APP_URL
    """Where the host and guest links point."""

    @field_validator("app_url")
    @classmethod
    def _web_address(cls, value: str) -> str:
        # The host and guest links are made from it: refused when the config loads.
        return web_address(value)


NOTES = (
    "A permalink exists before its meeting runs: a host starts it with their own link; "
    "guests who open the guest link wait until then.",
    "Every host has an own link; add or remove hosts with the add_host / remove_host actions.",
    "Running rooms made elsewhere (ids starting with 'room:') show their guest link only: "
    "eyeson lists no host link for them.",
    "The list shows the permalinks page by page; the last page adds the running rooms.",
)

CAPABILITIES = Capabilities(
    create=True,
    update=UpdateMode.IN_PLACE,
    # The expiry is sent to the second (`mapping.iso`).
    time_precision=timedelta(seconds=1),
    delete=DeleteMode.DELETE,
    # Names and addresses people set; kind, state, switches and times are not.
    searchable_details=("Hosts", "Team", "Exit URL"),
    # How guests and hosts get in, and what the room allows while it runs: nothing to
    # act on once it expired, ended or is gone.
    open_only_details=("Guests", "Host link", "Recording", "Broadcasting"),
    link_roles=(Role.HOST, Role.GUEST),
    page_size_default=PAGE_DEFAULT,
    page_size_max=PAGE_MAX,
    # eyeson shows one host's token per answer: the host links meettui learns (create,
    # add_host) are kept in `Meeting.kept.links` so a refresh does not lose them.
    kept_facts=True,
    host_links_named=True,  # one host link per host, labelled with the host's name
    extra_options=("expires_at",),  # -o expires_at=... spells the form's "Expires"
    fields=(
        # Required, as every provider's title that names the meeting upstream is (an
        # empty one made a permalink named after its first host: "Host").
        FieldSpec(name="title", label="Name", required=True,
                  help="Room name people see."),
        FieldSpec(name="starts_at", label="Start", kind=FieldKind.DATETIME, hidden=True,
                  help="A permalink waits for a host to start its meeting with their "
                       "link; set an expiry ({option:expires_at}) if it should stop "
                       "working."),
        FieldSpec(name="ends_at", label="Expires", kind=FieldKind.DATETIME,
                  help="Optional: after this the permalink can no longer be started. "
                       "Empty: it does not expire.",
                  edit_help="After this the permalink can no longer be started. Emptied, "
                            "the current expiry stays (meettui sends no expiry then).",
                  shows="expires_at"),
        FieldSpec(name="host_name", label="Host name", editable=False,
                  help="The first host (default: the account's host_name setting). "
                       "Add more with the add_host action.",
                  edit_help="The first host. Add more with the add_host action."),
        FieldSpec(name="exit_url", label="Exit URL",
                  help="Where people land after leaving (http or https)."),
        FieldSpec(name="recording_available", label="Recording allowed",
                  kind=FieldKind.BOOL, default=True),
        FieldSpec(name="broadcast_available", label="Broadcasting allowed",
                  kind=FieldKind.BOOL, default=True),
        FieldSpec(name="widescreen", label="Widescreen (16:9)", kind=FieldKind.BOOL,
                  default=True),
    ),
    actions=(
        ActionSpec(
            name="start", label="Start the meeting now",
            # The hosts' names are offered from the permalink's (`raw["hosts"]`).
            fields=(FieldSpec(name="host", label="As host", choices_from="hosts",
                              help="A host's name (a token too, on the command line); "
                                   "empty: the first host."),),
            help="Starts the permalink's meeting (or joins it when it runs) and "
                 "adds that host's live link. Guests can join from then on.",
            aliases=START.aliases,
        ),
        ActionSpec(
            name="add_host", label="Add a host",
            fields=(FieldSpec(name="name", label="Host name", required=True),),
            help="A new host with an own link that can start the meeting.",
            aliases=ADD_HOST.aliases,
        ),
        ActionSpec(
            name="remove_host", label="Remove a host",
            fields=(FieldSpec(name="host", label="Host", required=True, choices_from="hosts",
                              help="The host's name (as in the link label); a token too, "
                                   "on the command line."),),
            help="That host's link stops working at once.",
            dangerous=True,
            aliases=REMOVE_HOST.aliases,
        ),
        ActionSpec(
            name="stop", label="End the running meeting",
            help="Shuts the meeting down for everyone; a permalink can be started again.",
            dangerous=True,
        ),
    ),
    notes=NOTES,
)

# A running room (made elsewhere with `POST /rooms`) cannot be edited, and its only
# action is to end it.
RUNNING_ROOM = CAPABILITIES.model_copy(update={
    "update": UpdateMode.NONE,
    "actions": tuple(a for a in CAPABILITIES.actions if a.name == "stop"),
})

# A permalink whose meeting runs: the start action joins it instead (eyeson answers the
# host's `POST /permalink/<token>` with that host's link into the running meeting), so
# it is named as it acts wherever it is offered.
RUNNING_PERMALINK = CAPABILITIES.model_copy(update={
    "actions": tuple(
        a.model_copy(update={
            "label": "Join the running meeting as host",
            "help": "It runs already: adds that host's live link into it (the start "
                    "action joins a running meeting).",
        }) if a.name == "start" else a
        for a in CAPABILITIES.actions),
})
