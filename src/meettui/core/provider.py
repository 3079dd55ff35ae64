"""The provider contract every client implements (`core/http_provider.py` has
`HttpProvider`, the base that clients of HTTP APIs build on).

A provider turns its own wire format, paging and errors into the neutral model
(`Meeting`, `Page`) and the error taxonomy. It never touches the cache or the UI. The
service builds one per account (`core/accounts.py`) and hands it its secrets and, for
tests and the demo, its transport.
"""

from __future__ import annotations

import asyncio
from abc import ABC, abstractmethod
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar, NamedTuple
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict

from meettui.core.capabilities import Capabilities
from meettui.core.clock import SYSTEM_CLOCK, Clock
from meettui.core.config import AccountConfig
from meettui.core.errors import (
    ConfigError,
    NotSupported,
)
from meettui.core.http import RetryPolicy
from meettui.core.links import LinkRule
from meettui.core.models import KeptFacts, Meeting, MeetingSpec, Page

if TYPE_CHECKING:
    import httpx



class PageAnswer(NamedTuple):
    """A list page answered whose meetings are not read yet (`Provider.answer_page`):
    where the list goes on is known at once, so the next request can go out while
    `read()` turns this page's items into meetings."""

    next_cursor: str | None
    """`Page.next_cursor` of the page `read()` gives."""
    read: Callable[[], Page]
    """The page. Raises ProviderError when none of its items can be read, as
    `list_page` does; each call reads the items again."""


class NoSettings(BaseModel):
    """The settings of a provider that takes none: any key is an error."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Provider(ABC):
    """One account's client. Subclasses set the class variables and the reads; writes
    and actions default to `NotSupported` (the capabilities say what is offered)."""

    kind: ClassVar[str]
    display_name: ClassVar[str]
    capabilities: ClassVar[Capabilities]
    secrets: ClassVar[tuple[str, ...]] = ()
    """Names of the secrets the account must supply (resolved by config)."""
    optional_secrets: ClassVar[tuple[str, ...]] = ()
    """Names of secrets read when the account names a source for them, and left out
    otherwise (a credential that may also come from a file named in the settings); the
    provider says what is missing when it needs one (`secret`)."""
    default_base_url: ClassVar[str | None] = None
    Settings: ClassVar[type[BaseModel]] = NoSettings
    """The account's `[accounts.settings]`, validated when the config loads."""
    link_rules: ClassVar[tuple[LinkRule, ...]] = ()
    """How this provider's meeting links look (`core/links.py`): a pasted link of one
    is recognised, and found among the accounts' meetings instead of copied."""

    def __init__(
        self,
        account: AccountConfig,
        *,
        secrets: dict[str, str] | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        clock: Clock = SYSTEM_CLOCK,
    ) -> None:
        """Raises ConfigError when the account's settings do not fit `Settings` (the
        config loader checks this earlier, with the file and line)."""
        self.account = account
        self._secrets = secrets or {}
        self.transport = transport
        self.clock = clock
        self.settings = self.parse_settings(account)
        # HTTP providers build their ApiClient from these on first use; tests and the
        # conformance harness set them first (short timeouts, sleeps that record).
        self.policy = RetryPolicy()
        self.sleep: Callable[[float], Awaitable[None]] = asyncio.sleep
        # Told what a call is waiting for (a rate limit, a retry); set by the service.
        self.notice: Callable[[str], None] | None = None

    @classmethod
    def parse_settings(cls, account: AccountConfig) -> BaseModel:
        """The account's settings as this provider's `Settings` model.

        Raises ConfigError naming the account and the setting."""
        from pydantic import ValidationError as PydanticValidationError

        try:
            return cls.Settings.model_validate(account.settings)
        except PydanticValidationError as exc:
            first = exc.errors()[0]
            name = ".".join(str(p) for p in first["loc"]) or "settings"
            what = "unknown setting" if first["type"] == "extra_forbidden" else first["msg"]
            raise ConfigError(
                f"Account {account.name!r}: settings.{name}: {what}.",
                hint="See the README for the settings this provider takes.",
            ) from None

    @classmethod
    def check_credentials(cls, account: AccountConfig, secrets: dict[str, str]) -> None:
        """Raises ConfigError when `account`'s credentials cannot be had, beyond the
        secrets `secrets` holds (as resolved): a key file its settings name that is gone.
        What the account's health says before any call is made. Nothing by default."""
        return  # the secrets the class declares are all most providers need

    @classmethod
    def address_settings(cls, account: AccountConfig) -> list[tuple[str, str]]:
        """The settings that say where `account` lives at the provider, as (the
        setting's name as the config file has it, its value in effect as text): what a
        `WrongAddress` (a 404 to the list or to a token request) tells the user to check.
        By default the `base_url` ("not set: DEFAULT" when the provider's default is in
        effect); a provider whose address holds more (an instance, an event) names those
        first."""
        return [("base_url", account.base_url
                 or (f"not set: {cls.default_base_url}" if cls.default_base_url
                     else "not set"))]

    @classmethod
    def capabilities_for(cls, meeting: Meeting) -> Capabilities:
        """What can be done with this one meeting (a running room cannot be
        edited; some providers update only long-lived rooms). Defaults to the
        provider's capabilities."""
        return cls.capabilities

    def matches(self, meeting: Meeting, spec: MeetingSpec) -> bool:
        """Whether `meeting` looks like what `spec` asked for: how the service recognises
        a meeting whose create answer was lost. Same title, or the same start or end to
        the second; providers whose meetings hold little of the spec refine this."""
        def same(a: datetime | None, b: datetime | None) -> bool:
            return a is not None and b is not None and abs((a - b).total_seconds()) < 1

        title = spec.title.strip()
        return bool(title and meeting.title == title) or same(meeting.ends_at, spec.ends_at) \
            or same(meeting.starts_at, spec.starts_at)

    def form_defaults(self) -> dict[str, Any]:
        """What a create form starts from where this account's settings decide it (a
        Jitsi account's own server), by field name; over `FieldSpec.default`."""
        return {}

    def retitled(self, meeting: Meeting, title: str) -> Meeting:
        """`meeting` with `title` kept by meettui (`KeptFacts.title`), no provider call: an
        edit that changes only a `local` title. An empty `title` keeps the one shown;
        providers that derive a title (a room name) give theirs back instead."""
        title = title.strip()
        return meeting.model_copy(update={
            "title": title or meeting.title,
            "kept": meeting.kept.model_copy(update={"title": title or meeting.kept.title}),
        })

    def options_read(self, meeting: Meeting) -> dict[str, Any]:
        """The create options `meeting` shows it was made with, read from the provider's
        answer (`Meeting.raw`), by option name: what a recreating edit carries over for
        a meeting meettui did not make (one it made has `kept.options`). None known by
        default."""
        return {}

    def adopt(self, meeting: Meeting, spec: MeetingSpec) -> Meeting:
        """`meeting`, found upstream after the answer to its create (from `spec`) was
        lost, as `create` would have returned it (with what meettui keeps about it)."""
        return meeting

    def __repr__(self) -> str:
        return f"{type(self).__name__}(account={self.account.name!r})"

    @property
    def base_url(self) -> str:
        """The API root: the account's `base_url`, else the provider's default. Raises
        ConfigError when neither is set (the configuration is incomplete: no refusal of
        a command), and naming the setting when it is no http(s) address (a mistake on
        this machine, not the network's)."""
        url = self.account.base_url or self.default_base_url
        if not url:
            raise ConfigError(f"Account {self.account.name!r}: {self.display_name} needs a "
                              "base_url.", hint="Set `base_url` on the account in the config.")
        try:
            parts = urlsplit(url.strip())
            parts.port  # noqa: B018 - reading it checks the port ("http://h:99999" fails)
        except ValueError:
            parts = urlsplit("")
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ConfigError(
                f"Account {self.account.name!r}: base_url {url!r} is not an http:// or "
                "https:// address.",
                hint=f"Fix `base_url` in the config, or remove it to use {self.display_name}'s "
                "own API.",
            )
        return url.strip().rstrip("/")

    @abstractmethod
    async def list_page(self, cursor: str | None = None, limit: int | None = None) -> Page:
        """One page of meetings. `cursor` is what the previous page returned (None: the
        first page); `limit` the page size wanted, None for the provider's default, and
        clamped to `capabilities.page_size_max`.

        Raises AuthError, RateLimited, Unavailable, or ProviderError for an answer that
        cannot be read."""

    async def answer_page(self, cursor: str | None = None,
                          limit: int | None = None) -> PageAnswer:
        """`list_page` in two steps, for a walk over every page (`Sync.sync_all`): the
        answer with its next cursor, then its meetings when `read()` is called. Raises
        what `list_page` raises about the request. This default reads the whole page
        first; `HttpProvider` defers the reading."""
        page = await self.list_page(cursor, limit)
        return PageAnswer(page.next_cursor, lambda: page)

    @abstractmethod
    async def get(self, meeting_id: str) -> Meeting:
        """One meeting as the provider has it now. Raises NotFound when it is gone, and
        the errors of `list_page`."""

    @abstractmethod
    async def create(self, spec: MeetingSpec) -> Meeting:
        """Create a meeting. Raises ValidationError (with the form field when known) for
        input the provider refuses, and the errors of `list_page`."""

    async def update(self, meeting_id: str, spec: MeetingSpec) -> Meeting:
        """Change a meeting in place (`UpdateMode.IN_PLACE`). Raises NotSupported when
        the provider cannot, and the errors of `create`."""
        raise NotSupported(f"{self.display_name} cannot edit meetings in place")

    async def update_local(self, meeting: Meeting, spec: MeetingSpec) -> Meeting:
        """Change a meeting that lives only in the cache (`UpdateMode.LOCAL`): the
        answer replaces the cached copy. Raises NotSupported for remote providers."""
        raise NotSupported(f"There is no local-only edit at {self.display_name}: its "
                           "meetings live at the provider")

    async def delete(self, meeting_id: str) -> None:
        """Delete (or cancel, per `capabilities.delete`) a meeting. Raises NotFound when
        it is already gone, NotSupported when the provider cannot."""
        raise NotSupported(f"{self.display_name} cannot delete meetings")

    async def run_action(
        self, meeting_id: str, action: str, params: dict[str, Any], *,
        kept: KeptFacts | None = None,
    ) -> Meeting:
        """Run one of `capabilities.actions`; returns the meeting as it is afterwards.

        `kept` is what meettui keeps about the meeting (for providers with
        `kept_facts`); such providers answer with the whole updated `Meeting.kept`.
        Raises NotSupported for an unknown action, ValidationError for bad params."""
        raise NotSupported(f"{self.display_name} has no action {action!r}")

    async def aclose(self) -> None:  # noqa: B027 - optional hook; most providers hold a client
        """Release connections; safe to call twice."""
