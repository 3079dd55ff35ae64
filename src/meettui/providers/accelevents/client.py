"""Accelevents: the sessions of one event, for event staff, and "Join Session".

Contract: the Join Session seed page (`seeds/002_…`) and
`research/providers-eyeson-24sessions-events.md` §3 (the spec in
`contracts/accelevents/` is modelled, not official, and is not followed where the two
differ). What matters for the model:

- A **meeting** is a session of one event. The account names the event by its URL slug
  (`eventurl`) and, when known, its numeric `eventId`, which the host list requires
  (without it, it is read once from `GET /host/event/{eventurl}/eventDetails`;
  unconfirmed which key: `eventId`, else `id`).
- Staff calls live under `/host/event/{eventurl}/session`: the list (`page` 0-based,
  `size`, `{recordsTotal, recordsFiltered, data}`; the walk ends when pages cover
  `recordsFiltered`), one session, create (`POST` → the new id), update (`PUT`, a
  **full replace**, 200 with no body: done as fetch-merge-put so no field the form does
  not show is lost) and delete.
- **Join Session** (`PUT /events/{eventurl}/session/{id}`) registers the attendee the
  API key belongs to and returns the session plus the Chime `meeting` and `attendee`
  (`JoinToken`). meettui offers it as the `join` action: the answer's join data rides on
  the returned Meeting as `session_data` (never cached, JoinToken masked, registered
  for redaction); the session's portal page is the guest link.
- Times come as `yyyy/MM/dd HH:mm` without a zone, in the event's zone: the account's
  `time_zone` setting (default UTC).

Auth: the API key in a `Key` header (research §3.1: the header third-party clients use;
`Authorization: Bearer` is reported to fail on PUT).
"""

from __future__ import annotations

from datetime import tzinfo
from typing import TYPE_CHECKING, Any

from meettui.core.errors import (
    DoneUnread,
    NotFound,
    NotSupported,
    ProviderError,
    inner_message,
)
from meettui.core.http import path_segment
from meettui.core.http_provider import HttpProvider
from meettui.core.models import KeptFacts, Meeting, MeetingSpec
from meettui.core.paging import PageNumberPaging
from meettui.core.redact import register_secret
from meettui.core.wording import command
from meettui.providers.accelevents import mapping
from meettui.providers.accelevents.capabilities import (
    CAPABILITIES,
    AcceleventsSettings,
    event_zone,
)
from meettui.providers.accelevents.errors import ERRORS

if TYPE_CHECKING:
    import httpx

    from meettui.core.config import AccountConfig

# What the host list and get are asked to expand: the seed page says the session stats
# (attendee, interested and registered counts) come only when asked through `expand`.
# Unconfirmed: the value's spelling.
EXPAND = "sessionStats"


class AcceleventsProvider(HttpProvider):
    """One event's sessions (see the module docstring). Settings: `AcceleventsSettings`;
    secret: `api_key`."""

    kind = "accelevents"
    display_name = "Accelevents"
    secrets = ("api_key",)
    default_base_url = "https://api.accelevents.com/rest"
    capabilities = CAPABILITIES
    Settings = AcceleventsSettings
    errors = ERRORS
    paging = PageNumberPaging(first=0, size_param="size", items_key="data",
                              total_key="recordsFiltered")
    settings: AcceleventsSettings

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.eventurl = self.settings.eventurl
        slug = path_segment(self.eventurl, provider=self.kind)
        self.host_path = f"/host/event/{slug}/session"
        self.attendee_path = f"/events/{slug}/session"
        self.details_path = f"/host/event/{slug}/eventDetails"
        self.list_path = self.host_path
        self.zone: tzinfo = event_zone(self.settings.time_zone)
        self._event_id: int | None = self.settings.event_id

    @classmethod
    def address_settings(cls, account: AccountConfig) -> list[tuple[str, str]]:
        """The event (its `eventurl` and `event_id`), then the `base_url`: each is part
        of the address of the list (`/host/event/<eventurl>/session?eventId=…`)."""
        settings = cls.parse_settings(account)
        found: list[tuple[str, str]] = []
        if isinstance(settings, AcceleventsSettings):
            found = [("settings.eventurl", repr(settings.eventurl)),
                     ("settings.event_id", str(settings.event_id)
                      if settings.event_id is not None
                      else "not set: read from the event's details")]
        return [*found, *super().address_settings(account)]

    # --- HTTP ------------------------------------------------------------------------

    def auth(self) -> httpx.Auth:
        from meettui.core.auth import ApiKeyAuth  # httpx: loaded only for a real call

        return ApiKeyAuth(self.header_secret("api_key"), header="Key", scheme=None)

    async def event_id(self) -> int:
        """The event's numeric id: the setting, else read once from the event details.
        Raises ProviderError when the details carry none."""
        if self._event_id is None:
            body = await self.api.json("GET", self.details_path)
            found = None
            if isinstance(body, dict):
                found = next((body[k] for k in ("eventId", "id")
                              if isinstance(body.get(k), int)
                              and not isinstance(body.get(k), bool)), None)
            if found is None:
                raise self.malformed(f"GET {self.details_path}", "no eventId")
            self._event_id = found
        return self._event_id

    # --- reading ---------------------------------------------------------------------

    async def fetch_page(self, cursor: str | None, limit: int | None) -> tuple[Any, list[Any]]:
        # The host list requires `eventId`, which may have to be looked up first.
        await self.event_id()
        return await super().fetch_page(cursor, limit)

    def list_params(self) -> dict[str, Any]:
        # `fetch_page` has made sure of the event id.
        return {"eventId": self._event_id, "expand": EXPAND}

    def to_meeting(self, item: Any) -> Meeting:
        try:
            return mapping.session_meeting(
                item, account=self.account.name, eventurl=self.eventurl, zone=self.zone,
                zone_name=self.settings.time_zone, portal_url=self.settings.portal_url,
                now=self.clock.now())
        except mapping.MalformedItem as exc:
            raise self.malformed("session", str(exc)) from None

    async def _session(self, meeting_id: str) -> dict[str, Any]:
        path = f"{self.host_path}/{self._id(meeting_id)}"
        body = await self.api.json("GET", path, params={"expand": EXPAND})
        if not isinstance(body, dict):
            raise self.malformed(f"GET {path}", "not a session object")
        return body

    async def get(self, meeting_id: str) -> Meeting:
        return self.to_meeting(await self._session(meeting_id))

    def _id(self, meeting_id: str) -> str:
        # Session ids are integers; anything else would reach another path. ASCII only:
        # str.isdigit() also takes "²" and other scripts' digits.
        if not (meeting_id.isascii() and meeting_id.isdigit()):
            raise NotFound(f"{meeting_id!r} is no Accelevents session id (a number).",
                           provider=self.kind)
        return meeting_id

    # --- writing ---------------------------------------------------------------------

    async def create(self, spec: MeetingSpec) -> Meeting:
        body = mapping.session_body(spec, zone=self.zone)
        where = f"POST {self.host_path}"
        answer = await self.api.json("POST", self.host_path, json=body)
        new_id = _new_id(answer)
        if new_id is None:
            # Made (the answer is a 2xx) but not named: the service looks for it.
            raise DoneUnread(f"{where} was done, but its answer gave no new session id",
                             provider=self.kind)
        # The create answers with the id only: the session is read back. Made whatever
        # that read meets; until a refresh it is shown as sent.
        return await self.read_back(where, lambda: self.get(new_id), meeting_id=new_id,
                                    known=lambda: self.to_meeting({**body, "id": new_id}))

    async def update(self, meeting_id: str, spec: MeetingSpec) -> Meeting:
        # PUT replaces the whole session (fields left out are reset): fetch, merge, put.
        current = await self._session(meeting_id)
        body = mapping.session_body(spec, zone=self.zone, current=current)
        path = f"{self.host_path}/{self._id(meeting_id)}"
        await self.api.request("PUT", path, json=body)
        # Answered with no body: read back, as for a create.
        return await self.read_back(f"PUT {path}", lambda: self.get(meeting_id),
                                    meeting_id=meeting_id,
                                    known=lambda: self.to_meeting({**current, **body}))

    async def delete(self, meeting_id: str) -> None:
        await self.api.request("DELETE", f"{self.host_path}/{self._id(meeting_id)}")

    # --- actions ---------------------------------------------------------------------

    async def run_action(
        self, meeting_id: str, action: str, params: dict[str, Any], *,
        kept: KeptFacts | None = None,
    ) -> Meeting:
        """`join`: Join Session as the API key's attendee. The returned Meeting carries
        the Chime join data as `session_data` (JoinToken registered for redaction).
        Raises ValidationError when one of Accelevents' rules refuses (not live, full,
        a ticket type the session does not admit), NotFound for an unknown session."""
        if action != "join":
            raise NotSupported(f"Accelevents has no action {action!r}.")
        path = f"{self.attendee_path}/{self._id(meeting_id)}"
        try:
            body = await self.api.json("PUT", path)
        except NotFound as exc:
            raise await self._not_found_to_join(meeting_id, exc) from None
        except DoneUnread as exc:
            exc.hint, exc.answer_only = JOIN_AGAIN, "the join data"
            raise
        try:
            data = mapping.join_data(body)
            for key in mapping.JOIN_SECRET_KEYS:
                register_secret(str(data.data["attendee"].get(key) or ""))
            session = {k: v for k, v in body.items() if k not in ("meeting", "attendee")}
            meeting = self.to_meeting(session)
        except (mapping.MalformedItem, ProviderError, AttributeError) as exc:
            # Registered (the answer is a 2xx): never "nothing was joined".
            raise DoneUnread(f"PUT {path} was done (the API key's attendee is registered), "
                             f"but its join data could not be read: {inner_message(exc)}",
                             provider=self.kind, meeting_id=meeting_id,
                             hint=JOIN_AGAIN, answer_only="the join data") from None
        return meeting.model_copy(update={
            "details": {**meeting.details, **mapping.join_summary(data)},
            "session_data": data,
        })

    async def _not_found_to_join(self, meeting_id: str, exc: NotFound) -> ProviderError:
        """What a 404 to Join Session means: the session is gone (`exc`, as the staff
        read finds none either), or the attendee API does not show it to the key's
        attendee (the contract leaves open which sessions it hides: staff see HIDDEN and
        private ones, attendees may not), which is no deletion and is said as such."""
        try:
            session = await self.get(meeting_id)
        except NotFound:
            return exc
        hidden = session.raw.get("status") == "HIDDEN"
        return ProviderError(
            f"The join of session {meeting_id} was refused ({inner_message(exc)}), "
            "yet the session exists: staff see it, the API key's attendee does not"
            + (", as it is HIDDEN from attendees." if hidden else "."),
            provider=self.kind, status=exc.status,
            hint="Nothing was joined and the session is as it was. "
            + ("Set its Visibility to VISIBLE ("
               + command(f"meettui edit {meeting_id} -o status=VISIBLE",
                         "edit_meeting with options.status: VISIBLE",
                         "press e and choose VISIBLE")
               + ") to join it."
               if hidden else "Check in Accelevents who may join it (a private session "
               "admits registered attendees only)."))


JOIN_AGAIN = ("The attendee is registered; the join data was in that answer only. Join "
              "again to get it: a second join registers no one twice.")
"""What to do about a Join Session answered 2xx whose join data could not be read."""


def _new_id(answer: Any) -> str | None:
    """The id a create answers with: a bare integer (or its text), or `{id}` /
    `{sessionId}` (third-party clients accept all of these; research §3.4)."""
    if isinstance(answer, dict):
        answer = answer.get("sessionId", answer.get("id"))
    if isinstance(answer, bool):
        return None
    if isinstance(answer, int):
        return str(answer)
    if isinstance(answer, str) and answer.strip().isdigit():
        return answer.strip()
    return None

