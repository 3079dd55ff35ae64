"""What meettui can do with a Vonage Meetings account: settings, form fields, notes, page
sizes, and the two kinds of room (only long-term rooms can be edited).

The client is `meettui.providers.vonage.client`; its module docstring explains the model.
Contract: `research/providers-whereby-vonage.md` §2, `contracts/vonage/meetings-openapi-v1.yml`.
"""

from __future__ import annotations

from datetime import timedelta

from pydantic import BaseModel, ConfigDict, Field

from meettui.core.capabilities import Capabilities, DeleteMode, FieldKind, FieldSpec, UpdateMode
from meettui.core.models import Role

DEFAULT_BASE_URL = "https://api-eu.vonage.com/v1/meetings"
# GET /rooms `page_size`: the spec's default is 20. The maximum is unconfirmed; the Java
# SDK asks for 1000 when it walks every page and a recorded answer echoes 1000.
PAGE_DEFAULT, PAGE_MAX = 20, 1000

ROOM_TYPES = ("instant", "long_term")
JOIN_APPROVAL_LEVELS = ("none", "after_owner_only", "explicit_approval")
MICROPHONE_STATES = ("on", "off", "default")
# The spec's UiSettings enum plus "default", which every recorded room answers with.
LANGUAGES = ("default", "ar", "pt-br", "ca", "zh-tw", "zh-cn", "en", "fr", "de", "he", "it",
             "es")

DEPRECATION = (
    "Vonage Meetings was switched off on 30 June 2025 (no new applications since 31 August "
    "2024). meettui keeps this client for old integrations and recorded data; Vonage "
    "points to its Video API instead."
)


class VonageSettings(BaseModel):
    """`[accounts.settings]` of a Vonage Meetings account.

    The private key is a secret: the PEM text in the variable that `secret_env` (or
    `secret_envs.private_key`) names, or a file named here by `private_key_path`."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    application_id: str = Field(min_length=1)
    """The Vonage application the JWTs are minted for (the `application_id` claim)."""
    private_key_path: str | None = None
    """A file holding the application's private key (PEM), when no variable holds it."""


_COMMON_NOTES = (
    "Every room has a guest link (the QR code) and a host link that carries a "
    "participant token (masked until revealed).",
    "Guests who cannot scan can open meetings.vonage.com and type the meeting code.",
    "Vonage rooms cannot be deleted: they expire on their own (instant rooms 10 minutes "
    "after creation, long-term rooms at their expiry).",
)

LONG_TERM_NOTES = (
    *_COMMON_NOTES,
    "A long-term room can be edited in place: its expiry, whether it closes after use, "
    "its theme, join approval, microphone and features. Its name, metadata, type and "
    "language are fixed at creation.",
)

INSTANT_NOTES = (
    *_COMMON_NOTES,
    "This is an instant room: Vonage cannot change it (only long-term rooms can be "
    "updated; Vonage calls instant rooms 'temporary' and refuses the update). Create a "
    "long-term room to have one you can edit.",
)

FIELDS = (
    FieldSpec(name="title", label="Room name", required=True, editable=False,
              help="At most 200 characters; fixed once the room exists."),
    FieldSpec(name="starts_at", label="Start", kind=FieldKind.DATETIME, hidden=True,
              help="A Vonage room opens when it is created."),
    FieldSpec(name="ends_at", label="Expires", kind=FieldKind.DATETIME,
              help="Long-term rooms only, and required for them: more than 10 minutes "
                   "ahead. Leave empty for an instant room (it expires 10 minutes after "
                   "creation).",
              edit_help="When the room stops working: more than 10 minutes ahead. "
                        "Emptied, the current expiry stays (meettui sends no expiry "
                        "then).",
              shows="expires_at"),
    FieldSpec(name="type", label="Room type", kind=FieldKind.CHOICE, choices=ROOM_TYPES,
              editable=False,
              help="instant (for now; expires in 10 minutes, cannot be edited) or "
                   "long_term (until its expiry; can be edited). Default: long_term when "
                   "an expiry is given, else instant.",
              edit_help="instant (expires 10 minutes after creation, cannot be edited) or "
                        "long_term (until its expiry; can be edited)."),
    FieldSpec(name="metadata", label="Metadata", editable=False,
              help="Free text (at most 500 characters) sent along with the room's callbacks."),
    FieldSpec(name="expire_after_use", label="Close after use", kind=FieldKind.BOOL,
              help="Long-term rooms: close the room when its first session ends."),
    FieldSpec(name="theme_id", label="Theme id",
              help="A theme's UUID (its colours, logo and company URL); empty: the "
                   "application's default.",
              edit_help="A theme's UUID (its colours, logo and company URL); empty keeps "
                        "the room's theme."),
    FieldSpec(name="join_approval_level", label="Join approval", kind=FieldKind.CHOICE,
              choices=JOIN_APPROVAL_LEVELS,
              help="none; after_owner_only (guests wait for the host); explicit_approval "
                   "(the host lets each guest in)."),
    FieldSpec(name="microphone_state", label="Microphone on join", kind=FieldKind.CHOICE,
              choices=MICROPHONE_STATES),
    FieldSpec(name="language", label="Language", kind=FieldKind.CHOICE, choices=LANGUAGES,
              editable=False, help="The meeting page's language."),
    FieldSpec(name="auto_record", label="Record automatically", kind=FieldKind.BOOL,
              editable=False,
              help="Records every session; the recording cannot be stopped."),
    # On unless switched off, as Vonage makes them (`available_features`: "The first four
    # default to true", research/providers-whereby-vonage.md): a form box left as it
    # opened must not switch a feature off.
    FieldSpec(name="is_chat_available", label="Chat", kind=FieldKind.BOOL, default=True),
    FieldSpec(name="is_recording_available", label="Recording button", kind=FieldKind.BOOL,
              default=True),
    FieldSpec(name="is_whiteboard_available", label="Whiteboard", kind=FieldKind.BOOL,
              default=True),
)

CAPABILITIES = Capabilities(
    create=True,
    # In place for long-term rooms; `capabilities_for` turns it off for instant ones.
    update=UpdateMode.IN_PLACE,
    # `expires_at` is sent and read with milliseconds.
    time_precision=timedelta(milliseconds=1),
    delete=DeleteMode.NONE,
    delete_note=("Vonage rooms cannot be deleted: they expire on their own (instant rooms "
                 "10 minutes after creation, long-term rooms at their expiry)."),
    # The metadata an integration set. The meeting code is searched as the guest link's
    # `code` (the detail adds how to use it); type, theme, switches and times are not.
    searchable_details=("Metadata",),
    # What a guest types to join and what joining does (approval, microphone, recording,
    # features, closing after use): nothing to act on once the room expired or is gone.
    open_only_details=("Meeting code", "Close after use", "Join approval",
                       "Microphone on join", "Recording", "Features"),
    link_roles=(Role.HOST, Role.GUEST),
    page_size_default=PAGE_DEFAULT,
    page_size_max=PAGE_MAX,
    # -o expires_at=... spells the form's "Expires" (`mapping._expiry` reads it), as on
    # the other provider whose expiry is its end: it was read there but refused first.
    extra_options=("expires_at",),
    fields=FIELDS,
    deprecation=DEPRECATION,
    notes=LONG_TERM_NOTES,
)

INSTANT_UPDATE_NOTE = (
    "Vonage can only update long-term rooms; an instant room (Vonage calls it "
    "'temporary') expires 10 minutes after creation. Create a long-term room instead."
)

INSTANT = CAPABILITIES.model_copy(update={
    "update": UpdateMode.NONE, "update_note": INSTANT_UPDATE_NOTE, "notes": INSTANT_NOTES,
})
"""An instant room: nothing can be changed."""
