"""What meettui can do with a Whereby Embedded account: page sizes, form fields, notes.

The client is `meettui.providers.whereby.client`; its module docstring explains the
model (transient rooms, edit = recreate, no titles) these fields describe.
"""

from __future__ import annotations

from datetime import timedelta

from meettui.core.capabilities import Capabilities, DeleteMode, FieldKind, FieldSpec, UpdateMode
from meettui.core.models import Role

# GET /meetings `limit`: 1 to 100, default 50 (contracts/whereby/openapi.json).
PAGE_DEFAULT, PAGE_MAX = 50, 100
ROOM_MODES = ("normal", "group")
ROOM_NAME_PATTERNS = ("uuid", "human-short")
TEMPLATE_TYPES = ("viewerMode",)

CAPABILITIES = Capabilities(
    create=True,
    update=UpdateMode.RECREATE,
    # Its dates come back with milliseconds or without them (research: both forms).
    time_precision=timedelta(milliseconds=1),
    delete=DeleteMode.DELETE,
    # The room name; its mode, lock and opening rules are explanations.
    searchable_details=("Room",),
    # When it opens, who has host rights and whether hosts let people in: nothing to act
    # on once the room has ended, expired or is gone.
    open_only_details=("Opens", "Host rights", "Locked"),
    link_roles=(Role.HOST, Role.GUEST, Role.VIEWER),
    page_size_default=PAGE_DEFAULT,
    page_size_max=PAGE_MAX,
    kept_facts=True,
    # Objects the API takes that no form field offers (-o recording=..., as JSON).
    extra_options=("recording", "liveTranscription", "streaming"),
    # Edit = recreate, so every field can be given again on edit (editable=True).
    # No defaults on the choices: left blank, an edit keeps what the room was made
    # with (the service merges Meeting.kept's options) and a create gets Whereby's
    # own default.
    fields=(
        FieldSpec(
            name="title",
            label="Title",
            help="Whereby rooms have no title: meettui keeps this one on this machine "
            "only. Left empty, the room name is shown.",
            edit_help="Kept on this machine only: a new title alone keeps the room and "
            "its links. Left empty, the room name is shown.",
            local=True,
        ),
        FieldSpec(
            name="starts_at",
            label="Start",
            kind=FieldKind.DATETIME,
            help="Not sent: Whereby opens the room as soon as it is created. Only used "
            "to count a relative end (+1h) from.",
        ),
        FieldSpec(
            name="ends_at",
            label="End",
            kind=FieldKind.DATETIME,
            required=True,
            help="Required. The room stops working one hour after this and cannot be "
            "extended (an edit creates a new room). YYYY-MM-DD HH:MM or +1h.",
        ),
        FieldSpec(
            name="roomMode",
            label="Room mode",
            kind=FieldKind.CHOICE,
            choices=ROOM_MODES,
            help="normal (the default): up to 4 people; group: up to 200.",
            # An edit makes a new room with the old one's known options under the
            # edit's own (`core/kept.py` recreate_spec): empty is not the default there.
            edit_help="normal: up to 4 people; group: up to 200. Left empty, the new "
            "room keeps this one's mode if meettui made it, else it is normal.",
        ),
        FieldSpec(
            name="roomNamePrefix",
            label="Room name prefix",
            help="Optional start of the room name: a-z, 0-9 and '-', at most 39 "
            "characters (upper case is lower-cased, spaces removed). It is joined to "
            "the generated name directly, so end it with '-'.",
            edit_help="Optional start of the new room's name (a-z, 0-9 and '-'). Left "
            "empty, the new room keeps this one's prefix: the one meettui made it with, "
            "else the one its name shows.",
        ),
        FieldSpec(
            name="roomNamePattern",
            label="Room name pattern",
            kind=FieldKind.CHOICE,
            choices=ROOM_NAME_PATTERNS,
            help="uuid (the default): long and unguessable; human-short: six "
            "easy-to-read characters.",
            edit_help="uuid: long and unguessable; human-short: six easy-to-read "
            "characters. Left empty, the new room keeps this one's pattern if meettui "
            "made it, else it is uuid.",
        ),
        FieldSpec(
            name="isLocked",
            label="Locked",
            kind=FieldKind.BOOL,
            default=False,
            help="Only hosts can let people in (and unlock the room).",
        ),
        FieldSpec(
            name="templateType",
            label="Template",
            kind=FieldKind.CHOICE,
            choices=TEMPLATE_TYPES,
            help="viewerMode: a locked group room plus a watch-only viewer link "
            "(up to 400 viewers).",
        ),
    ),
    notes=(
        "Whereby cannot edit a room: saving an edit creates a new room and deletes "
        "the old one, so every link changes.",
        "Whereby rooms have no title: the title is the room name, unless you typed "
        "one in meettui (kept on this machine only).",
        "A room opens when it is created (a start time is ignored) and stops working "
        "one hour after its end; Whereby then deletes it.",
        "Room mode, lock and template are not returned by the API: meettui shows them "
        "for rooms it created itself.",
        "Viewer links carry a room key but only let people watch, so they are shown "
        "unmasked; host links are masked.",
    ),
)

