"""The meeting service: cache-first reads, page refreshes, create/update/delete.

Screens and the CLI talk only to this. Reads are answered from the cache at once;
network calls fetch a page and write it to the cache in one transaction. The cache
changes only after a provider call has succeeded, so a failure never loses anything.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Awaitable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TypeVar

import httpx
from pydantic import ValidationError as PydanticValidationError

from meettui.core.cache import Cache, SyncState
from meettui.core.clock import SYSTEM_CLOCK, Clock
from meettui.core.config import AccountConfig, Config, resolve_secrets
from meettui.core.errors import (
    AuthError,
    ConfigError,
    MeettuiError,
    NotFound,
    NotSupported,
    ProviderError,
    RateLimited,
    Unavailable,
    ValidationError,
)
from meettui.core.models import (
    Capabilities,
    DeleteMode,
    Link,
    Meeting,
    MeetingSpec,
    Page,
    UpdateMode,
)
from meettui.providers.base import Provider
from meettui.providers.registry import provider_class

log = logging.getLogger("meettui.service")
T = TypeVar("T")


class Health(StrEnum):
    OK = "ok"
    UNCHECKED = "not synced yet"
    LOCAL = "local only"
    NEEDS_CREDENTIALS = "needs credentials"
    AUTH_FAILED = "auth failed"
    UNREACHABLE = "unreachable"
    ERROR = "error"
    DEPRECATED = "deprecated service"


@dataclass(frozen=True)
class AccountInfo:
    config: AccountConfig
    display_name: str
    capabilities: Capabilities
    health: Health
    sync: SyncState
    read_only: bool
    message: str = ""

    @property
    def name(self) -> str:
        return self.config.name

    @property
    def provider(self) -> str:
        return self.config.provider

    @property
    def demo(self) -> bool:
        return self.config.demo


@dataclass(frozen=True)
class UpdateResult:
    meeting: Meeting
    # Set when the provider could only recreate: the old id is gone and links changed.
    replaced_id: str | None = None
    warning: str = ""

    @property
    def links_changed(self) -> bool:
        return self.replaced_id is not None


@dataclass
class MeetingService:
    config: Config
    cache: Cache
    clock: Clock = SYSTEM_CLOCK
    env: Mapping[str, str] | None = None
    # Per-account transports (the demo's in-process simulators, tests' fault injectors).
    transports: dict[str, httpx.AsyncBaseTransport] = field(default_factory=dict)
    _providers: dict[str, Provider] = field(default_factory=dict, init=False)
    _health: dict[str, tuple[Health, str]] = field(default_factory=dict, init=False)
    _read_only: dict[str, bool] = field(default_factory=dict, init=False)

    # -- accounts ---------------------------------------------------------------

    def accounts(self) -> list[AccountInfo]:
        return [self.account_info(a.name) for a in self.config.accounts]

    def account_info(self, name: str) -> AccountInfo:
        account = self.config.account(name)
        cls = provider_class(account.provider)
        caps = cls.capabilities
        health, message = self._health.get(name, (None, ""))
        if health is None:
            health = self._static_health(account, cls)
            if health == Health.NEEDS_CREDENTIALS:
                message = self._credentials_message(account, cls)
        return AccountInfo(
            config=account,
            display_name=cls.display_name,
            capabilities=caps,
            health=health,
            sync=self.cache.sync_state(name),
            read_only=self.is_read_only(name),
            message=message or (caps.deprecation or ""),
        )

    def _static_health(self, account: AccountConfig, cls: type[Provider]) -> Health:
        if cls.capabilities.deprecation:
            return Health.DEPRECATED
        if not cls.capabilities.remote_list:
            return Health.LOCAL
        if account.demo:
            return Health.OK
        try:
            resolve_secrets(account, cls.secrets, self.env)
        except ConfigError:
            return Health.NEEDS_CREDENTIALS
        return Health.UNCHECKED

    def _credentials_message(self, account: AccountConfig, cls: type[Provider]) -> str:
        try:
            resolve_secrets(account, cls.secrets, self.env)
        except ConfigError as exc:
            return str(exc)
        return ""

    def is_read_only(self, name: str) -> bool:
        return self._read_only.get(name, self.config.account(name).read_only)

    def set_read_only(self, name: str, value: bool) -> None:
        self._read_only[name] = value

    def capabilities(self, name: str) -> Capabilities:
        return provider_class(self.config.account(name).provider).capabilities

    def provider(self, name: str) -> Provider:
        if name in self._providers:
            return self._providers[name]
        account = self.config.account(name)
        cls = provider_class(account.provider)
        transport = self.transports.get(name)
        if account.demo:
            from meettui.demo import demo_secrets, demo_transport

            secrets = demo_secrets(account)
            if transport is None:
                transport = demo_transport(account, self.clock)
                self.transports[name] = transport
        else:
            secrets = resolve_secrets(account, cls.secrets, self.env)
        provider = cls(account, secrets=secrets, transport=transport, clock=self.clock)
        self._providers[name] = provider
        return provider

    async def aclose(self) -> None:
        for provider in list(self._providers.values()):
            try:
                await provider.aclose()
            except Exception:  # noqa: BLE001 - closing must not mask the real outcome
                log.exception("closing %r failed", provider)
        self._providers.clear()

    # -- cache reads (instant, never touch the network) ---------------------------

    def count(self, accounts: list[str] | None = None, query: str = "") -> int:
        return self.cache.count(accounts, query)

    def window(
        self, accounts: list[str] | None = None, query: str = "", *, offset: int = 0,
        limit: int = 100,
    ) -> list[Meeting]:
        return self.cache.window(accounts, query, offset=offset, limit=limit)

    def cached(self, account: str, meeting_id: str) -> Meeting | None:
        return self.cache.get(account, meeting_id)

    def find(self, meeting_id: str, account: str | None = None) -> Meeting:
        """Resolve an id typed by a user (CLI) to exactly one cached meeting."""
        if account:
            self.config.account(account)
            found = self.cache.get(account, meeting_id)
            matches = [found] if found else []
        else:
            matches = self.cache.find(meeting_id)
        if not matches:
            where = f" in account {account!r}" if account else ""
            raise NotFound(
                f"No cached meeting with id {meeting_id!r}{where}.",
                hint="Run `meettui list` to refresh, and check the id.",
            )
        if len(matches) > 1:
            names = ", ".join(m.account for m in matches)
            raise MeettuiError(
                f"Meeting id {meeting_id!r} exists in several accounts ({names}).",
                hint="Say which one with --account.",
            )
        return matches[0]

    # -- network ------------------------------------------------------------------

    async def refresh(self, account: str) -> Page:
        """Fetch page one and restart the walk that can mark vanished meetings."""
        if not self.capabilities(account).remote_list:
            return Page(items=[], next_cursor=None)
        # The new walk (generation) begins only once page one has arrived: a failed
        # refresh leaves the sync state as it was, so a walk in progress can go on
        # without marking the pages it already saw as missing.
        return await self._fetch_page(account, None, None)

    async def load_more(self, account: str) -> Page | None:
        """Fetch the page after the last one fetched; None when the walk is complete."""
        if not self.capabilities(account).remote_list:
            return None
        state = self.cache.sync_state(account)
        if state.last_synced is None or state.generation == 0:
            return await self.refresh(account)
        if state.complete or state.cursor is None:
            return None
        return await self._fetch_page(account, state.cursor, state.generation)

    async def sync_all(self, account: str, *, max_pages: int = 10_000) -> int:
        """Walk every page (CLI `list`); returns how many meetings were seen."""
        if not self.capabilities(account).remote_list:
            return self.cache.count([account])
        page = await self.refresh(account)
        seen = len(page.items)
        for _ in range(max_pages):
            if page.next_cursor is None:
                break
            more = await self.load_more(account)
            if more is None:
                break
            page = more
            seen += len(page.items)
        return seen

    async def _fetch_page(
        self, account: str, cursor: str | None, generation: int | None
    ) -> Page:
        """One page into the cache; `generation=None` starts a new walk after the fetch."""
        provider = self._provider_or_mark(account)
        page = await self._upstream(account, provider.list_page(cursor))
        page = page.model_copy(update={"items": self._with_local_facts(account, page.items)})
        if generation is None:
            generation = self.cache.begin_sync(account)
        self.cache.record_page(
            account,
            page.items,
            generation=generation,
            next_cursor=page.next_cursor,
            synced_at=self.clock.now(),
        )
        self._health[account] = (Health.OK, "")
        return page

    async def fetch(self, account: str, meeting_id: str) -> Meeting:
        """Re-read one meeting upstream and update the cache."""
        if not self.capabilities(account).remote_list:
            meeting = self.cache.get(account, meeting_id)
            if meeting is None:
                raise NotFound(f"No meeting {meeting_id!r} in account {account!r}.")
            return meeting
        provider = self._provider_or_mark(account)
        try:
            meeting = await self._upstream(account, provider.get(meeting_id))
        except NotFound:
            self.cache.mark_missing(account, meeting_id)
            raise
        meeting = self._with_local_facts(account, [meeting])[0]
        self.cache.upsert(meeting)
        return meeting

    async def create(self, account: str, spec: MeetingSpec) -> Meeting:
        self._check_writable(account)
        if not self.capabilities(account).create:
            raise NotSupported(f"Account {account!r} cannot create meetings.")
        provider = self._provider_or_mark(account)
        meeting = await self._upstream(account, provider.create(spec))
        self.cache.upsert(meeting)
        return meeting

    async def update(self, account: str, meeting_id: str, spec: MeetingSpec) -> UpdateResult:
        self._check_writable(account)
        mode = self.capabilities(account).update
        provider = self._provider_or_mark(account)
        if mode == UpdateMode.NONE:
            raise NotSupported(f"{provider.display_name} meetings cannot be edited.")
        if mode == UpdateMode.LOCAL:
            current = self.cache.get(account, meeting_id)
            if current is None:
                raise NotFound(f"No meeting {meeting_id!r} in account {account!r}.")
            meeting = await provider.update_local(current, spec)  # type: ignore[attr-defined]
            self.cache.upsert(meeting)
            return UpdateResult(meeting)
        if mode == UpdateMode.IN_PLACE:
            meeting = await self._upstream(account, provider.update(meeting_id, spec))
            meeting = self._with_local_facts(account, [meeting])[0]
            self.cache.upsert(meeting)
            return UpdateResult(meeting)
        # RECREATE: create first, so a failure never leaves the user with no meeting.
        spec = self._recreate_spec(account, meeting_id, spec)
        meeting = await self._upstream(account, provider.create(spec))
        self.cache.upsert(meeting)
        if meeting.id == meeting_id:
            # The provider handed the same id back: there is no old meeting to delete.
            return UpdateResult(meeting)
        warning = ""
        try:
            await provider.delete(meeting_id)
        except NotFound:
            pass
        except MeettuiError as exc:
            warning = (
                f"The new meeting was created, but the old one ({meeting_id}) could not be "
                f"deleted: {exc.message}. Delete it by hand."
            )
        if not warning:
            self.cache.delete(account, meeting_id)
        return UpdateResult(meeting, replaced_id=meeting_id, warning=warning)

    async def delete(self, account: str, meeting_id: str) -> DeleteMode:
        self._check_writable(account)
        mode = self.capabilities(account).delete
        if mode == DeleteMode.NONE:
            raise NotSupported(
                f"{provider_class(self.config.account(account).provider).display_name} "
                "meetings cannot be deleted; they expire on their own."
            )
        if mode != DeleteMode.LOCAL:
            provider = self._provider_or_mark(account)
            # Already gone upstream: the user's intent is met.
            with contextlib.suppress(NotFound):
                await self._upstream(account, provider.delete(meeting_id))
        if mode == DeleteMode.CANCEL:
            # A cancelled meeting stays listed upstream; re-read it when we can.
            try:
                await self.fetch(account, meeting_id)
            except MeettuiError:
                self.cache.delete(account, meeting_id)
        else:
            self.cache.delete(account, meeting_id)
        return mode

    async def run_action(
        self, account: str, meeting_id: str, action: str, params: dict | None = None
    ) -> Meeting:
        spec = self.capabilities(account).action(action)
        if spec is None:
            raise NotSupported(f"Account {account!r} has no action {action!r}.")
        self._check_writable(account)
        provider = self._provider_or_mark(account)
        local_facts = self.capabilities(account).local_facts
        local = None
        if local_facts:
            # What meettui keeps (e.g. host links the provider will not list again): the
            # provider answers with the whole updated `local`, which replaces the cached one.
            cached = self.cache.get(account, meeting_id)
            local = dict(cached.local) if cached is not None else {}
        call = provider.run_action(meeting_id, action, dict(params or {}), local=local)
        meeting = await self._upstream(account, call)
        if local_facts:
            meeting = (_with_local_links(meeting) if meeting.local
                       else self._with_local_facts(account, [meeting])[0])
        self.cache.upsert(meeting)
        return meeting

    # -- helpers --------------------------------------------------------------------

    def _with_local_facts(self, account: str, meetings: list[Meeting]) -> list[Meeting]:
        """Carry `Meeting.local` (and the title kept there) over from the cached copy."""
        if not self.capabilities(account).local_facts:
            return meetings
        out = []
        for meeting in meetings:
            cached = self.cache.get(account, meeting.id)
            if cached is not None and cached.local:
                if not meeting.local:
                    update: dict = {"local": cached.local}
                    if cached.local.get("title"):
                        update["title"] = cached.local["title"]
                    meeting = meeting.model_copy(update=update)
                elif cached.local.get("links"):
                    # A read shows part of what meettui knows: keep the rest.
                    links = _merge_link_records(meeting.local.get("links"),
                                                cached.local["links"])
                    meeting = meeting.model_copy(
                        update={"local": {**meeting.local, "links": links}})
            out.append(_with_local_links(meeting))
        return out

    def _recreate_spec(self, account: str, meeting_id: str, spec: MeetingSpec) -> MeetingSpec:
        """What the replacement is created with: the old meeting's known options under
        the edit's own. A title that was only derived upstream (a room name) is dropped."""
        cached = self.cache.get(account, meeting_id)
        if cached is None or not self.capabilities(account).local_facts:
            return spec
        options = {**cached.local.get("options", {}), **spec.options}
        title = spec.title
        if not cached.local.get("title") and title == cached.title:
            title = ""
        return spec.model_copy(update={"options": options, "title": title})

    async def _upstream(self, account: str, call: Awaitable[T]) -> T:
        """Await a provider call; a failure updates the account's health, then propagates."""
        try:
            return await call
        except MeettuiError as exc:
            self._note_failure(account, exc)
            raise

    def _check_writable(self, account: str) -> None:
        if self.is_read_only(account):
            raise NotSupported(
                f"Account {account!r} is read-only.",
                hint="Turn read-only off (in the app, or `read_only = false` in the config).",
            )

    def _provider_or_mark(self, account: str) -> Provider:
        try:
            return self.provider(account)
        except ConfigError as exc:
            self._health[account] = (Health.NEEDS_CREDENTIALS, str(exc))
            raise

    def _note_failure(self, account: str, exc: MeettuiError) -> None:
        if isinstance(exc, AuthError):
            health = Health.AUTH_FAILED
        elif isinstance(exc, Unavailable):
            health = Health.UNREACHABLE
        elif isinstance(exc, NotFound | ValidationError | RateLimited):
            # About one request, not about the account: its health is unchanged.
            return
        elif isinstance(exc, ProviderError):
            # Malformed or unexpected answers: the account is up but not usable.
            health = Health.ERROR
        else:
            return
        self._health[account] = (health, exc.message)
        self.cache.record_error(account, exc.message)


def _link_record(record: object) -> Link | None:
    """One entry of `Meeting.local["links"]` as a `Link`; None if malformed."""
    try:
        return Link.model_validate(record)
    except PydanticValidationError:
        return None


def _merge_link_records(fresh: object, kept: object) -> list:
    """`fresh` link records, then those of `kept` whose URL is not among them."""
    merged = list(fresh) if isinstance(fresh, list) else []
    urls = {lk.url for lk in map(_link_record, merged) if lk is not None}
    for record in kept if isinstance(kept, list) else []:
        lk = _link_record(record)
        if lk is not None and lk.url not in urls:
            merged.append(record)
            urls.add(lk.url)
    return merged


def _with_local_links(meeting: Meeting) -> Meeting:
    """Put back the links in `meeting.local["links"]` that `meeting.links` lacks (by URL),
    each after the last link of its role."""
    links = list(meeting.links)
    present = {lk.url for lk in links}
    for record in meeting.local.get("links") or ():
        lk = _link_record(record)
        if lk is None or lk.url in present:
            continue
        same = [i for i, have in enumerate(links) if have.role == lk.role]
        links.insert(same[-1] + 1 if same else len(links), lk)
        present.add(lk.url)
    if len(links) == len(meeting.links):
        return meeting
    return meeting.model_copy(update={"links": links})
