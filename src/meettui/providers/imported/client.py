"""The "imported" account: links of any service (Zoom, Teams, Meet…) that someone
pasted, kept only in meettui's cache, like Jitsi rooms. meettui never contacts the
service a link belongs to: there is nothing to list, create or delete upstream, so a
sync never touches these meetings, an edit changes the local record (title, times) and
a delete forgets the link here only. The meetings are made by `core/importing.py`.
"""

from __future__ import annotations

from meettui.core.capabilities import Capabilities, DeleteMode, UpdateMode
from meettui.core.errors import NotSupported
from meettui.core.models import Meeting, MeetingSpec, Page, Role, Status
from meettui.core.provider import Provider


class ImportedProvider(Provider):
    """Links imported with `meettui import` or "Paste a meeting link"."""

    kind = "imported"
    display_name = "Imported links"
    secrets = ()
    capabilities = Capabilities(
        remote_list=False,
        # New ones come from a pasted link (`meettui import`), not from a form.
        create=False,
        update=UpdateMode.LOCAL,
        delete=DeleteMode.LOCAL,
        # The service and its meeting id (`core/importing.py` writes them). Not the
        # passcode (a filter must not probe what lets people in, as with host links)
        # nor the notes on sharing.
        searchable_details=("Service", "Meeting ID"),
        link_roles=(Role.GUEST, Role.HOST),
        notes=(
            "An imported link lives only in meettui's cache: meettui never contacts the "
            "service it belongs to, so its status and times are what you gave.",
            "Deleting forgets the link here only; it keeps working for anyone who has it.",
        ),
    )

    async def list_page(self, cursor: str | None = None, limit: int | None = None) -> Page:
        raise NotSupported("Imported links have no server-side list; the cache is the list")

    async def get(self, meeting_id: str) -> Meeting:
        raise NotSupported("An imported link has no server-side record; the cache holds it")

    async def create(self, spec: MeetingSpec) -> Meeting:
        raise NotSupported("Imported links are made from a link: `meettui import URL`, or "
                           "\"Paste a meeting link\" in the app")

    async def update_local(self, meeting: Meeting, spec: MeetingSpec) -> Meeting:
        """The title and times change; the link (and so the id) stays."""
        starts_at = spec.starts_at or meeting.starts_at
        return meeting.model_copy(update={
            "title": spec.title.strip() or meeting.title,
            "starts_at": starts_at,
            "ends_at": spec.ends_at or meeting.ends_at,
            "status": Status.SCHEDULED if starts_at else Status.UNKNOWN,
        })
