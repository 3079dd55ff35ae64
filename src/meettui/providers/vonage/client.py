"""Vonage Meetings: the v1 REST API (`/v1/meetings`), instant and long-term rooms.

Contract: `research/providers-whereby-vonage.md` §2–3, the official specs in
`contracts/vonage/*.yml` and the recorded answers in `contracts/vonage/fixtures/`.

**The service is gone**: no new applications since 31 Aug 2024, switched off on
30 Jun 2025. meettui keeps this client for teams with old integrations and recorded
data; `Capabilities.deprecation` says so wherever the account shows.

What shapes this client:

- Auth: an RS256 application JWT (`core.auth_jwt.JwtAuth`: `application_id`, `iat`, `jti`,
  `exp` = 15 minutes), reused until shortly before it expires. The application id is
  a setting; the private key is the PEM text in the variable the account names
  (`secret_env`, or `secret_envs.private_key`) or a file named by `private_key_path`.
- Listing: `GET /rooms?page_size=N&start_id=S`. The next page's `start_id` (an integer
  serial, not a room id) is read from `_links.next.href`, never followed: real hrefs
  have no scheme and no `/v1` (`core.paging.NextLinkPaging`). `_embedded` is a list
  (v1) or `{"rooms": [...]}` (the beta).
- Rooms: instant ones live 10 minutes and cannot be changed; long-term ones live until
  `expires_at` and can be PATCHed, wrapped in `update_details`. So editing is per room
  (`capabilities_for`). There is no room delete (removed during the beta): rooms expire.
- Themes: a room names its theme by id; the client reads `GET /themes` (which answers
  `{}` when there are none) to show the theme's name in the detail pane.
- Errors come in two shapes (gateway `{title, detail}`, service `{message, name,
  status, errors?}`): `errors.py`.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from meettui.core.capabilities import Capabilities
from meettui.core.config import AccountConfig
from meettui.core.errors import (
    CredentialsError,
    MeettuiError,
    NotFound,
    NotSupported,
)
from meettui.core.http import path_segment
from meettui.core.http_provider import HttpProvider
from meettui.core.models import Meeting, MeetingSpec, Page
from meettui.core.paging import NextLinkPaging
from meettui.core.redact import clean_secret
from meettui.providers.vonage import mapping
from meettui.providers.vonage.capabilities import (
    CAPABILITIES,
    DEFAULT_BASE_URL,
    INSTANT,
    VonageSettings,
)
from meettui.providers.vonage.errors import ERRORS
from meettui.providers.vonage.mapping import Theme

if TYPE_CHECKING:
    import httpx

log = logging.getLogger("meettui.vonage")

# The JWT lifetime the Vonage JWT library uses by default (research §2.3); a new one is
# minted a minute before it runs out.
JWT_LIFETIME_S = 900.0
JWT_LEEWAY_S = 60.0


class VonageProvider(HttpProvider):
    """A Vonage Meetings application's rooms (see the module docstring)."""

    kind = "vonage"
    display_name = "Vonage Meetings"
    # The key may come from a file instead (`private_key_path`), so it is not required.
    optional_secrets = ("private_key",)
    default_base_url = DEFAULT_BASE_URL
    capabilities = CAPABILITIES
    Settings = VonageSettings
    errors = ERRORS
    list_path = "/rooms"
    paging = NextLinkPaging(param="start_id", size_param="page_size", items_key="_embedded",
                            nested_key="rooms")
    settings: VonageSettings

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._themes: dict[str, Theme] = {}

    @classmethod
    def capabilities_for(cls, meeting: Meeting) -> Capabilities:
        """Long-term rooms can be updated in place; instant ones cannot (Vonage answers
        400 "could not be updated because of its type: temporary")."""
        return INSTANT if meeting.raw.get("type") == "instant" else CAPABILITIES

    # --- auth -----------------------------------------------------------------------

    @classmethod
    def check_credentials(cls, account: AccountConfig, secrets: dict[str, str]) -> None:
        """The private key must be there: in the secret, else in the file
        `private_key_path` names (a file gone or unreadable is a credential missing,
        said before any call). Raises CredentialsError saying how to give one."""
        settings = cls.parse_settings(account)
        if isinstance(settings, VonageSettings):
            _private_key(account, settings, secrets)

    def private_key(self) -> str:
        """The application's private key (PEM text): the secret `private_key`, else the
        file `private_key_path` names. Raises CredentialsError saying how to give one."""
        return _private_key(self.account, self.settings, self._secrets)

    def auth(self) -> httpx.Auth:
        from meettui.core.auth_jwt import JwtAuth  # httpx: loaded only for a real call

        # A key read from the file private_key_path names (no secret given): its
        # refusals name the file.
        path = self.settings.private_key_path
        from_file = not self._secrets.get("private_key") and path
        return JwtAuth(self.settings.application_id, self.private_key(), clock=self.clock,
                       lifetime_s=JWT_LIFETIME_S, leeway_s=JWT_LEEWAY_S, provider=self.kind,
                       key_file=f"the file {path} (settings.private_key_path)"
                       if from_file else "")

    def _seg(self, value: str) -> str:
        """An id as one path segment (`path_segment`): `quote` alone left `..` as it
        was, and `/rooms/..` is sent as the API root. Raises NotFound for an empty one."""
        return path_segment(value, provider=self.kind)

    # --- reading --------------------------------------------------------------------

    def to_meeting(self, item: Any, where: str = "GET /rooms") -> Meeting:
        """A room as a Meeting (`mapping.to_meeting`); ProviderError naming `where` when
        it does not match the contract."""
        try:
            return mapping.to_meeting(item, account=self.account.name, now=self.clock.now(),
                                      themes=self._themes)
        except mapping.MalformedItem as exc:
            raise self.malformed(where, str(exc)) from None

    async def list_page(self, cursor: str | None = None, limit: int | None = None) -> Page:
        page = await super().list_page(cursor, limit)
        return page.model_copy(update={"items": await self._named_themes(page.items)})

    async def get(self, meeting_id: str) -> Meeting:
        if not meeting_id:
            raise NotFound("No room id given.", provider=self.kind)
        data = await self.api.json("GET", f"/rooms/{self._seg(meeting_id)}")
        return (await self._named_themes([self.to_meeting(data, "GET /rooms/{id}")]))[0]

    async def create(self, spec: MeetingSpec) -> Meeting:
        body = mapping.create_body(spec, self.clock.now())
        data = await self.api.json("POST", "/rooms", json=body)

        async def made() -> Meeting:
            return (await self._named_themes([self.to_meeting(data, "POST /rooms")]))[0]

        return await self.read_back("POST /rooms", made)

    async def update(self, meeting_id: str, spec: MeetingSpec) -> Meeting:
        """PATCH a long-term room's expiry and settings (wrapped in `update_details`).
        Raises ValidationError for an instant room (Vonage's 400) or bad values,
        NotFound for a room that is gone or expired."""
        body = mapping.update_body(spec, self.clock.now())
        path = f"/rooms/{self._seg(meeting_id)}"
        data = await self.api.json("PATCH", path, json=body)

        async def changed() -> Meeting:
            return (await self._named_themes([self.to_meeting(data, "PATCH /rooms/{id}")]))[0]

        return await self.read_back(f"PATCH {path}", changed, meeting_id=meeting_id)

    async def delete(self, meeting_id: str) -> None:
        raise NotSupported(
            "Vonage rooms cannot be deleted: they expire on their own (instant rooms 10 "
            "minutes after creation, long-term rooms at their expiry)."
        )

    # --- themes ---------------------------------------------------------------------

    async def themes(self) -> list[Theme]:
        """Every theme of the application (`GET /themes`; `{}` means none). Also
        remembered, so rooms name their theme."""
        body = await self.api.json("GET", "/themes")
        try:
            themes = mapping.parse_themes(body)
        except mapping.MalformedItem as exc:
            raise self.malformed("GET /themes", str(exc)) from None
        self._themes = {t.theme_id: t for t in themes}
        return themes

    async def theme(self, theme_id: str) -> Theme:
        """One theme; NotFound when there is none with that id."""
        body = await self.api.json("GET", f"/themes/{self._seg(theme_id)}")
        try:
            theme = mapping.parse_theme(body)
        except mapping.MalformedItem as exc:
            raise self.malformed("GET /themes/{id}", str(exc)) from None
        self._themes[theme.theme_id] = theme
        return theme

    async def _named_themes(self, meetings: list[Meeting]) -> list[Meeting]:
        """`meetings` with their theme named: the themes are read once when a room names
        one not seen yet. Best effort: the rooms were read, so a failure to read the
        themes only leaves the theme's id in the detail pane."""
        unknown = {m.raw.get("theme_id") for m in meetings} - {None} - set(self._themes)
        if not unknown:
            return meetings
        try:
            await self.themes()
        except MeettuiError as exc:
            log.info("themes not read (%s); rooms show their theme id", exc.message)
            return meetings
        return [self.to_meeting(m.raw) if m.raw.get("theme_id") in unknown else m
                for m in meetings]


def _private_key(account: AccountConfig, settings: VonageSettings,
                 secrets: dict[str, str]) -> str:
    """The private key (PEM text) of `account`: the secret `private_key`, else the file
    `settings.private_key_path` names. Raises CredentialsError saying how to give one:
    naming the variable the config says to read ($VAR is not set), or, when it names
    none, the settings that give a key (`private_key_path`, `secret_env`)."""
    pem = secrets.get("private_key")
    if pem:
        return pem
    path = settings.private_key_path
    name = account.name
    if path:
        try:
            pem = Path(path).expanduser().read_text(encoding="utf-8")
        except OSError as exc:
            raise CredentialsError(
                f"Account {name!r}: cannot read the private key file "
                f"{path} (settings.private_key_path): {exc.strerror or exc}.",
                hint="Point settings.private_key_path at the application's private.key.",
            ) from None
        # Its surrounding whitespace goes, as every secret's read from outside does.
        return clean_secret(pem) or ""
    var = account.secret_sources("private_key").get("private_key")
    if var:
        raise CredentialsError(
            f"Account {name!r} needs its private key: ${var} is not set (or is blank), "
            "and settings.private_key_path names no key file.",
            hint=f"To fix: set {var} to the application's private key (PEM text), or set "
            "settings.private_key_path to the key file (private.key).")
    keyring = (f"its keyring entry {name}:private_key gave nothing, " if account.keyring
               else "")
    raise CredentialsError(
        f"Account {name!r} needs its private key: {keyring}it names neither "
        "settings.private_key_path (the key file) nor a variable that holds the key "
        "(`secret_env`).",
        hint="To fix: add `private_key_path = \"/path/to/private.key\"` to the account's "
        "[accounts.settings], or `secret_env = \"VONAGE_PRIVATE_KEY\"` to the account "
        "and set VONAGE_PRIVATE_KEY to the key's PEM text.",
    )
