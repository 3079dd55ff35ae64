"""24sessions: scheduled meetings between an advisor (the host, a 24sessions user) and a
customer (the guest), on one instance's API.

Contract: the research contract (`research/`, 24sessions §2), `contracts/README.md`
(24sessions facts) and the seed page "Joining a 24sessions meeting". What shapes this
client:

- **Auth**: OAuth2 client credentials, the token fetched with a GET
  (`<API root>/oauth/v2/token?client_id&client_secret&grant_type=client_credentials`)
  and cached for its hour on the injected clock (`core.auth_oauth.ClientCredentialsAuth`); a
  401 drops it, fetches one new token and resends once. The client id and secret are the
  account's secrets `client_id` and `client_secret`; the secret and every token are
  registered for redaction, so none reaches a log, an error or the cache.
- **API root**: `https://<instance>.api.24sessions.com` from the `instance` setting,
  or the account's `base_url` (a simulator, or `…/v1` where the docs' prefix is wanted).
- **Paging**: Hydra collections (`?page=N`, and `itemsPerPage` for the page size):
  `core.paging.HydraPaging` stops on `hydra:view`'s missing next or on
  `@id == hydra:lastPage`, whichever the answer carries.
- **Relations**: `user` and `type` arrive as IRIs or embedded objects. IRIs the client
  has not seen are resolved once per client (`GET /users/{id}`, `/meeting_types/{id}`):
  the type's duration gives the end, the user's name the host shown.
- **Changes**: create (`POST /meetings`), reschedule (`PUT` with `date` and
  `reschedulingReason`: the edit), **cancel as the delete** (`PUT` with `status:
  canceled_user` and `cancellationReason`; the meeting stays listed, as 24sessions
  recommends for its reporting), the `cancel` action (a reason; by advisor or guest),
  and a real delete (`DELETE /meetings/{id}`) only as the separate, confirmed `delete`
  action.

The mapping is in `mapping`, the fields, actions and settings in `capabilities`, the
error map in `errors`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from meettui.core.capabilities import Capabilities
from meettui.core.errors import AlreadyDone, NotFound, NotSupported, ValidationError
from meettui.core.http_provider import HttpProvider
from meettui.core.models import KeptFacts, Meeting, MeetingSpec
from meettui.core.paging import HydraPaging
from meettui.core.wording import option
from meettui.providers._24sessions import links, mapping
from meettui.providers._24sessions.capabilities import (
    CANCELLED,
    CANCELLED_BY,
    CAPABILITIES,
    TwentyFourSessionsSettings,
)
from meettui.providers._24sessions.errors import ERRORS

if TYPE_CHECKING:
    import httpx

    from meettui.core.config import AccountConfig

TOKEN_PATH = "/oauth/v2/token"
# API Platform's client-side page size parameter; that 24sessions enables it is
# unconfirmed (without it the server's page size applies and paging still works).
PAGE_SIZE_PARAM = "itemsPerPage"


class TwentyFourSessionsProvider(HttpProvider):
    """A 24sessions account: see the module docstring for the model."""

    kind = "24sessions"
    link_rules = (links.RULE,)
    display_name = "24sessions"
    secrets = ("client_id", "client_secret")
    capabilities = CAPABILITIES
    Settings = TwentyFourSessionsSettings
    errors = ERRORS
    list_path = "/meetings"
    paging = HydraPaging(size_param=PAGE_SIZE_PARAM)
    settings: TwentyFourSessionsSettings

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.relations = mapping.Relations()

    @classmethod
    def capabilities_for(cls, meeting: Meeting) -> Capabilities:
        """A cancelled meeting can only be deleted for good (no reschedule, no second
        cancel)."""
        return CANCELLED if meeting.raw.get("status") in mapping.CANCELLED else CAPABILITIES

    @classmethod
    def address_settings(cls, account: AccountConfig) -> list[tuple[str, str]]:
        """The instance, then the `base_url` (not set: the API root made from the
        instance): both make the address of the list and of the token request."""
        settings = cls.parse_settings(account)
        instance = settings.instance if isinstance(settings, TwentyFourSessionsSettings) \
            else ""
        return [("settings.instance", repr(instance)),
                ("base_url", account.base_url
                 or f"not set: https://{instance}.api.24sessions.com, from the instance")]

    @property
    def base_url(self) -> str:
        """The account's `base_url`, else `https://<instance>.api.24sessions.com`."""
        url = self.account.base_url or f"https://{self.settings.instance}.api.24sessions.com"
        return url.rstrip("/")

    def auth(self) -> httpx.Auth:
        # httpx: loaded only for a real call
        from meettui.core.auth_oauth import ClientCredentialsAuth

        return ClientCredentialsAuth(
            self.base_url + TOKEN_PATH,
            self.secret("client_id"),
            self.secret("client_secret"),
            clock=self.clock,
            method="GET",
            provider=self.kind,
        )

    # --- reading -----------------------------------------------------------------------

    def to_meeting(self, item: Any, where: str = "GET /meetings") -> Meeting:
        """A meeting object as a Meeting (`mapping.to_meeting`), with the relations known
        so far; ProviderError naming `where` when it does not match the contract."""
        try:
            return mapping.to_meeting(item, account=self.account.name,
                                      instance=self.settings.instance,
                                      relations=self.relations)
        except mapping.MalformedItem as exc:
            raise self.malformed(where, str(exc)) from None

    async def fetch_page(self, cursor: str | None, limit: int | None) -> tuple[Any, list[Any]]:
        body, items = await super().fetch_page(cursor, limit)
        await self._resolve(items)
        return body, items

    async def _resolve(self, items: list[Any]) -> None:
        """Fetch the users and meeting types `items` name by IRI and are not known yet.
        One that no longer exists is left unresolved (shown by its IRI)."""
        for item in items:
            if isinstance(item, dict):
                self.relations.learn(item)
        for iri in self.relations.missing(items):
            try:
                found = await self.api.json("GET", iri)
            except NotFound:
                continue
            if isinstance(found, dict):
                table = (self.relations.users if iri.startswith("/users/")
                         else self.relations.types)
                table[iri] = found

    async def _item(self, meeting_id: str) -> dict[str, Any]:
        # Ids are numbers; anything else would reach another path. ASCII only:
        # str.isdigit() also takes "²" and other scripts' digits.
        if not (meeting_id.isascii() and meeting_id.isdigit()):
            raise NotFound(f"GET /meetings/{meeting_id[:40]}: no such meeting (24sessions "
                           "ids are numbers).", provider=self.kind)
        data = await self.api.json("GET", f"/meetings/{meeting_id}")
        if not isinstance(data, dict):
            raise self.malformed("GET /meetings/{id}", "not an object")
        return data

    async def _meeting(self, data: Any, where: str) -> Meeting:
        if isinstance(data, dict):
            await self._resolve([data])
        return self.to_meeting(data, where)

    async def get(self, meeting_id: str) -> Meeting:
        return await self._meeting(await self._item(meeting_id), "GET /meetings/{id}")

    # --- changes -----------------------------------------------------------------------

    async def create(self, spec: MeetingSpec) -> Meeting:
        body = mapping.create_body(spec, default_user=self.settings.user,
                                   default_type=self.settings.meeting_type)
        try:
            data = await self.api.json("POST", "/meetings", json=body)
        except ValidationError as exc:
            setting = exc.field if exc.field in ("user", "meeting_type") else None
            if setting is None or spec.options.get(setting) not in (None, ""):
                raise
            # Not typed but the account's setting: "Correct the value" named nothing
            # the user had given.
            raise ValidationError(
                f"{exc.message.rstrip('.')} (the account's `{setting}` setting, "
                f"{getattr(self.settings, setting)!r}).", field=setting, provider=self.kind,
                status=exc.status,
                hint=f"Set `{setting}` under [accounts.settings] of {self.account.name!r} "
                "in config.toml to one this instance has, or give it for this "
                f"meeting ({option(setting)}).") from None
        # Made whatever reading the answer meets (its users and types are read too).
        return await self.read_back("POST /meetings",
                                    lambda: self._meeting(data, "POST /meetings"))

    async def update(self, meeting_id: str, spec: MeetingSpec) -> Meeting:
        """Reschedule (a new start, with `options["reason"]`) and/or change the
        description; only what changes is sent. Raises ValidationError for a cancelled
        meeting (24sessions refuses a new date)."""
        current = await self.get(meeting_id)
        body = mapping.update_body(current, spec)
        if not body:
            return current
        if current.raw.get("status") in mapping.CANCELLED and "date" in body:
            raise ValidationError("A cancelled meeting cannot be rescheduled.",
                                  field="starts_at", provider=self.kind)
        data = await self.api.json("PUT", f"/meetings/{meeting_id}", json=body)
        return await self.read_back(f"PUT /meetings/{meeting_id}",
                                    lambda: self._meeting(data, "PUT /meetings/{id}"),
                                    meeting_id=meeting_id)

    async def _cancel(self, meeting_id: str, reason: str, status: str) -> Meeting:
        data = await self.api.json("PUT", f"/meetings/{meeting_id}",
                                   json={"status": status, "cancellationReason": reason})
        return await self.read_back(f"PUT /meetings/{meeting_id}",
                                    lambda: self._meeting(data, "PUT /meetings/{id}"),
                                    meeting_id=meeting_id)

    async def delete(self, meeting_id: str) -> None:
        """Cancel (DeleteMode.CANCEL): `status: canceled_user` with the account's
        `cancellation_reason`. Raises NotFound when it does not exist, AlreadyDone when
        it is cancelled already (it is left as it is: who cancelled and why stay)."""
        current = await self._item(meeting_id)
        if current.get("status") in mapping.CANCELLED:
            raise AlreadyDone(f"Meeting {meeting_id} is cancelled already.",
                              provider=self.kind)
        await self._cancel(meeting_id, self.settings.cancellation_reason, "canceled_user")

    async def run_action(
        self, meeting_id: str, action: str, params: dict[str, Any], *,
        kept: KeptFacts | None = None,
    ) -> Meeting:
        """`cancel` (params `reason`, required, and `by`: advisor or guest) answers the
        cancelled meeting; `delete` deletes it for good and answers the meeting as it
        was last. Raises ValidationError at a field for bad params, NotSupported for
        another action."""
        if action == "cancel":
            reason = str(params.get("reason") or "").strip()
            if not reason:
                raise ValidationError("Say why it is cancelled.", field="reason",
                                      provider=self.kind)
            by = str(params.get("by") or "advisor").strip().lower()
            if by not in CANCELLED_BY:
                raise ValidationError(f"'by' is advisor or guest, not {by!r}.", field="by",
                                      provider=self.kind)
            # A clear NotFound before changing anything; a second cancel would rewrite
            # who cancelled and why.
            if (await self._item(meeting_id)).get("status") in mapping.CANCELLED:
                raise AlreadyDone(f"Meeting {meeting_id} is cancelled already.",
                                  provider=self.kind)
            status = "canceled_user" if by == "advisor" else "canceled_guest"
            return await self._cancel(meeting_id, reason, status)
        if action == "delete":
            last = await self.get(meeting_id)
            await self.api.request("DELETE", f"/meetings/{meeting_id}")
            return last
        raise NotSupported(f"24sessions has no action {action!r}")
