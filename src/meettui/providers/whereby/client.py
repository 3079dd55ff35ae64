"""Whereby Embedded: the REST API v1 (`/v1/meetings`), transient rooms.

Contract: `contracts/whereby/openapi.json` and `research/providers-whereby-vonage.md` §1.

What shapes this client:

- A room opens the moment it is created (`startDate` is deprecated and ignored, so it is
  never sent) and is deactivated one hour after `endDate`; Whereby then deletes it. So
  `endDate` is required and `expires_at` is `endDate + 1 h`.
- There is no update endpoint. Capabilities say `RECREATE`: the service creates a new
  room and deletes the old one, and every link changes.
- Rooms have no title. The title shown for a room is its name (`/support-72b9…` without
  the slash). A title the user types is kept on this machine only (`Meeting.kept`,
  carried over by the service), as are the creation options the API never returns
  (room mode, lock, template), so edits can recreate the room as it was.
- Host and viewer links (`?roomKey=…`) only come back when asked for through `fields`;
  every request asks. The host link gives host powers and is sensitive. The viewer link
  is *not* marked sensitive: its key only lets people watch (no camera, microphone or
  host rights) and it is meant to be handed to an audience, which makes it less powerful
  than the plain guest link.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from meettui.core.errors import NotFound
from meettui.core.http import path_segment
from meettui.core.http_provider import HttpProvider
from meettui.core.models import KeptFacts, Meeting, MeetingSpec
from meettui.core.paging import CursorPaging
from meettui.providers.whereby import links, mapping
from meettui.providers.whereby.capabilities import CAPABILITIES
from meettui.providers.whereby.errors import ERRORS

if TYPE_CHECKING:
    import httpx

DEFAULT_BASE_URL = "https://api.whereby.dev/v1"


class WherebyProvider(HttpProvider):
    kind = "whereby"
    link_rules = (links.RULE,)
    display_name = "Whereby Embedded"
    secrets = ("api_key",)
    default_base_url = DEFAULT_BASE_URL
    capabilities = CAPABILITIES
    paging = CursorPaging(items_key="results", cursor_key="cursor")
    errors = ERRORS

    def auth(self) -> httpx.Auth:
        from meettui.core.auth import ApiKeyAuth  # httpx: loaded only for a real call

        return ApiKeyAuth(self.header_secret("api_key"))

    def list_params(self) -> dict[str, Any]:
        return {"fields": mapping.FIELDS_QUERY}

    def to_meeting(self, item: Any, where: str = "GET /meetings", *,
                   kept: KeptFacts | None = None) -> Meeting:
        """A Whereby meeting object as a Meeting (`mapping.to_meeting`); ProviderError
        naming `where` when it does not match the contract."""
        try:
            return mapping.to_meeting(item, account=self.account.name, now=self.clock.now(),
                                      kept=kept)
        except mapping.MalformedItem as exc:
            raise self.malformed(where, str(exc)) from None

    async def get(self, meeting_id: str) -> Meeting:
        if not meeting_id:
            raise NotFound("No meeting id given.", provider=self.kind)
        path = f"/meetings/{path_segment(meeting_id, provider=self.kind)}"
        body = await self.api.json("GET", path, params={"fields": mapping.FIELDS_QUERY})
        return self.to_meeting(body, "GET /meetings/{id}")

    async def create(self, spec: MeetingSpec) -> Meeting:
        body, options = mapping.create_body(spec)
        data = await self.api.json("POST", "/meetings", json=body)
        return await self.read_back(
            "POST /meetings",
            lambda: self.to_meeting(data, "POST /meetings", kept=self._kept(spec, options)))

    @staticmethod
    def _kept(spec: MeetingSpec, options: dict[str, Any]) -> KeptFacts:
        """What the API never returns: the options as sent and the title typed."""
        return KeptFacts(options=options, title=spec.title.strip() or None)

    def options_read(self, meeting: Meeting) -> dict[str, Any]:
        """The room name prefix a room was made with, read from its name
        (`mapping.prefix_of`): a room made elsewhere, recreated by an edit, keeps it."""
        prefix = mapping.prefix_of(meeting.raw.get("roomName"))
        return {"roomNamePrefix": prefix} if prefix else {}

    def adopt(self, meeting: Meeting, spec: MeetingSpec) -> Meeting:
        _, options = mapping.create_body(spec)
        return self.to_meeting(meeting.raw, "GET /meetings", kept=self._kept(spec, options))

    def retitled(self, meeting: Meeting, title: str) -> Meeting:
        """The room with `title` kept on this machine; empty, its room name again."""
        kept = meeting.kept.model_copy(update={"title": title.strip() or None})
        return self.to_meeting(meeting.raw, "GET /meetings", kept=kept)

    def matches(self, meeting: Meeting, spec: MeetingSpec) -> bool:
        """A room made for `spec`: the same end (Whereby keeps no title), opened within
        the last ten minutes (rooms open at creation) — how a create whose answer was
        lost is recognised."""
        if meeting.ends_at is None or spec.ends_at is None or meeting.starts_at is None:
            return False
        opened = abs((self.clock.now() - meeting.starts_at).total_seconds())
        return abs((meeting.ends_at - spec.ends_at).total_seconds()) < 1 and opened < 600

    async def delete(self, meeting_id: str) -> None:
        if not meeting_id:
            raise NotFound("No meeting id given.", provider=self.kind)
        # 204 whether or not the room still exists (documented as idempotent). A 404
        # from a stricter server is raised as the NotFound it is: the service asks the
        # list whether the account's address is right before it forgets the room (a
        # base_url gone wrong answers 404 to every room, and one taken for deleted was
        # forgotten here while it lived on).
        # One path segment: `quote` alone left `..` as it was, sent as the API root.
        await self.api.request(
            "DELETE", f"/meetings/{path_segment(meeting_id, provider=self.kind)}")
