"""The meeting service: the one façade screens and the CLI call.

Reads are answered from the cache at once; network calls fetch a page and write it to
the cache in one transaction. The cache changes only after a provider call has
succeeded, so a failure never loses anything. Behind it: `service_accounts.py` (what
it says of each account), `service_reads.py` (the cache reads: counts, pages, rows, ids
typed by a user), `accounts.py` (providers and health), `sync.py` (page walks),
`service_writes.py` (every change to a meeting; `service_replace.py` the edit that
recreates one), `service_readback.py` (what a change left when its answer was lost or
unreadable), `kept.py` (what meettui keeps beyond an answer).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, Any, TypeVar

from meettui.core import dryrun
from meettui.core.accounts import FAILING_NAMES, AccountInfo, Health, ProviderPool
from meettui.core.cache import Cache
from meettui.core.capabilities import DeleteMode
from meettui.core.clock import SYSTEM_CLOCK, Clock
from meettui.core.config import Config
from meettui.core.errors import AuthError, CacheError, MeettuiError, NotFound, WrongAddress
from meettui.core.importing import restore_imported_account
from meettui.core.kept import changes_nothing
from meettui.core.models import Meeting, MeetingSpec, Page
from meettui.core.registry import searched_details
from meettui.core.service_accounts import AccountReads
from meettui.core.service_checks import check_answered, gone_on_refresh
from meettui.core.service_reads import CacheReads
from meettui.core.service_writes import UpdateResult, Writes, replaces
from meettui.core.sync import Sync, listing

if TYPE_CHECKING:
    import httpx

T = TypeVar("T")

__all__ = ["AccountInfo", "Health", "MeetingService"]

log = logging.getLogger("meettui.service")


@dataclass
class MeetingService(AccountReads, CacheReads):
    """Accounts, their meetings (cache first), and every change to them.

    `secrets` (account name → secret name → value) and `transports` (account name →
    httpx transport) are handed in by the composition root for accounts whose secrets
    and network are not the user's (the demo's in-process simulators, tests)."""

    config: Config
    cache: Cache
    clock: Clock = SYSTEM_CLOCK
    env: Mapping[str, str] | None = None
    secrets: dict[str, dict[str, str]] = field(default_factory=dict)
    transports: dict[str, httpx.AsyncBaseTransport] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # What the filter searches of each provider's details is the provider's say
        # (`Capabilities.searchable_details`); the cache asks once per kind.
        self.cache.search_details(searched_details)
        self.pool = ProviderPool(self.config, self.clock, self.env, self.secrets,
                                 self.transports)
        self.sync = Sync(self.pool, self.cache, self.clock, self._upstream)
        self.writes = Writes(self.pool, self.cache, self.sync, self._upstream, self.fetch)
        # Links imported in an earlier run are listed again (core/importing.py).
        restore_imported_account(self.config, self.cache)

    async def aclose(self) -> None:
        await self.pool.aclose()

    # -- network ----------------------------------------------------------------------

    def suggest_titles(self, account: str, titles: dict[str, str]) -> None:
        """Titles for meetings whose provider keeps none (see `Sync.suggest_titles`)."""
        self.sync.suggest_titles(account, titles)

    async def refresh(self, account: str) -> Page:
        """Page one of `account` into the cache (see `Sync.refresh`)."""
        with _naming(account):
            return await self.sync.refresh(account)

    async def load_more(self, account: str) -> Page | None:
        """The next page of `account` into the cache; None when every page is in."""
        with _naming(account):
            return await self.sync.load_more(account)

    async def sync_all(self, account: str) -> int:
        """Every page of `account` into the cache; how many meetings were seen."""
        with _naming(account):
            return await self.sync.sync_all(account)

    async def sync_accounts(self, accounts: list[str]) -> list[tuple[str, MeettuiError]]:
        """Every page of each of `accounts` into the cache, the accounts at once: one
        that hangs costs its bounded wait once, not once per account after it (five
        hung providers took five times 20 s one after another). Returns the failures,
        (account, error), in the order of `accounts`; other exceptions propagate once
        every walk has ended."""
        results = await asyncio.gather(*(self.sync_all(name) for name in accounts),
                                       return_exceptions=True)
        failures: list[tuple[str, MeettuiError]] = []
        for name, result in zip(accounts, results, strict=True):
            if isinstance(result, MeettuiError):
                failures.append((name, result))
            elif isinstance(result, BaseException):
                raise result
        return failures

    async def fetch(self, account: str, meeting_id: str) -> Meeting:
        """Re-read one meeting upstream and update the cache. Raises GoneUpstream (and
        marks the cached copy missing) when the provider no longer has a cached meeting,
        NotFound when it has none by that id, and the provider's errors."""
        if not self.capabilities(account).remote_list:
            meeting = self.cache.get(account, meeting_id)
            if meeting is None:
                raise NotFound(f"No meeting {meeting_id!r} in account {account!r}.")
            return meeting
        if self.cache.read_only is not None:
            raise self.cache.read_only_error(f"what a refresh of {meeting_id!r} fetches")
        provider = self.pool.get(account)
        try:
            meeting = await self._upstream(account, provider.get(meeting_id))
        except NotFound as answer:
            cached = self.cache.get(account, meeting_id)
            if not dryrun.active():  # a dry run changes nothing, the cache included
                await self.cache.off_loop(self.cache.mark_missing, account, meeting_id)
            if cached is None:
                raise  # (never cached: no such meeting, the provider's answer says)
            # A definite answer: marked gone, as a list walk that misses it marks it
            # ("It may have been deleted …; refresh the list" asked for what was done).
            raise gone_on_refresh(account, meeting_id, cached, answer) from None
        check_answered(account, meeting_id, meeting, "A refresh of meeting")
        meeting = self.sync.with_kept(account, [meeting])[0]
        if not dryrun.active():
            await self.cache.off_loop(self.cache.upsert, meeting)
        return meeting

    # -- changes (core/service_writes.py) ---------------------------------------------

    def replaces(self, meeting: Meeting, spec: MeetingSpec) -> bool:
        """Whether saving the edit `spec` of `meeting` recreates it, every link changing
        (`service_writes.replaces`). Callers ask before such an edit."""
        return replaces(self.capabilities_for(meeting), meeting, spec)

    def changes_nothing(self, meeting: Meeting, spec: MeetingSpec) -> bool:
        """Whether the edit `spec` gives `meeting` nothing but what it has
        (`kept.changes_nothing`): `update` refuses it (NothingToChange)."""
        return changes_nothing(self.capabilities_for(meeting), meeting, spec)

    async def create(self, account: str, spec: MeetingSpec) -> Meeting:
        """Create a meeting in `account` (`Writes.create`, which lists the errors)."""
        with _naming(account):
            return await self.writes.create(account, spec)

    async def update(self, account: str, meeting_id: str, spec: MeetingSpec) -> UpdateResult:
        """Edit a meeting in place, locally or by recreating it (`Writes.update`, which
        lists the errors)."""
        with _naming(account):
            return await self.writes.update(account, meeting_id, spec)

    async def delete(self, account: str, meeting_id: str) -> DeleteMode:
        """Delete, cancel or forget a meeting, as its provider does (`Writes.delete`)."""
        with _naming(account):
            return await self.writes.delete(account, meeting_id)

    async def run_action(
        self, account: str, meeting_id: str, action: str, params: dict[str, Any] | None = None
    ) -> Meeting:
        """Run a provider action on one meeting (`Writes.run_action`)."""
        with _naming(account):
            return await self.writes.run_action(account, meeting_id, action, params)

    # -- helpers ----------------------------------------------------------------------

    async def _upstream(self, account: str, call: Awaitable[T]) -> T:
        """Await a provider call; a failure updates the account's health, then
        propagates. What it leaves in the cache goes through `Cache.off_loop`: the app's loop
        never waits for the cache's lock. An answer that the meeting is not there
        (NotFound) is an answer: the account is reachable, as after a call that went
        through (a "Gone" left it "offline" after the server had just answered)."""
        try:
            result = await call
        except dryrun.DryRun as plan:
            plan.account = plan.account or account
            raise
        except MeettuiError as raised:
            exc = raised
            if isinstance(exc, NotFound):
                # A meeting's 404 marks it gone. Its server answered, but a base_url
                # gone wrong (another region, a typo) 404s every meeting too, and each
                # refresh or edit then marked a live meeting gone: its list is asked,
                # and a list that is not at the address either makes it a WrongAddress.
                exc = await self._address_answer(account) or exc
            # With two accounts of a provider: which one (a failed call, a secret that
            # cannot be sent, a key that is no key).
            exc.of_account(account)
            if isinstance(exc, AuthError) and exc.hint == AuthError.hint:
                exc.hint = self._credentials_hint(account)
            elif isinstance(exc, AuthError) and exc.hint:
                # A provider's own advice ("check the account's client_id and
                # client_secret") said neither where they are read from.
                places = self._credential_places(account)
                if places and places not in exc.hint:
                    them = "them" if ", " in places else "it"
                    exc.hint = f"{exc.hint} The account reads {them} from {places}."
            if isinstance(exc, WrongAddress) and WrongAddress.hint in exc.hint:
                # The settings of this account's provider that make its address, with
                # their values: "base_url" alone did not say an event or an instance.
                exc.hint = exc.hint.replace(WrongAddress.hint, self._address_hint(account))
            if isinstance(exc, NotFound):
                await self._answered(account)
                raise
            message = self.pool.note_failure(account, exc)
            if message is not None:
                # With the health it left, for a later process to say the same.
                await self.cache.off_loop(self.cache.record_error, account, message,
                                        self.pool.health(account)[0].name,
                                        self.pool.wait_ends(account))
            if exc is not raised:
                raise exc from None
            raise
        else:
            await self._answered(account)
            return result
        finally:
            self.pool.call_ended(account)

    async def _address_answer(self, account: str) -> WrongAddress | None:
        """A WrongAddress when `account`'s list of meetings is not at its address either
        (a 404 or 410 to the first page, one meeting asked for), else None: the list
        answered, or failed otherwise (a timeout, a 503), and the meeting's own 404
        stands as the definite answer it is. Accounts without a list upstream (Jitsi,
        imported links) have no address to check."""
        if not self.capabilities(account).remote_list:
            return None
        try:
            await listing(self.pool.get(account).list_page(limit=1))
        except WrongAddress as exc:
            return exc
        except MeettuiError:
            return None
        return None

    async def _answered(self, account: str) -> None:
        if self.pool.note_answered(account):
            # The failure the cache keeps is over too: `meettui accounts` said
            # "offline" of an account the app had just reached.
            try:
                # Not waited for: a note of health is no reason to hold up the answer
                # for seconds while another process writes the cache.
                await self.cache.off_loop(partial(self.cache.error_over, wait=False),
                                          account, FAILING_NAMES)
            except CacheError as failed:
                # The call went through: a change it made is made, and its caller keeps
                # it (or says it could not); the health is written by the next answer.
                log.info("%s: answered, health not cached: %s", account, failed.message)

    def _address_hint(self, account: str) -> str:
        """What to check when the provider has nothing at `account`'s address (a 404 to
        its list or its token request): the settings that make that address, with their
        values (`Provider.address_settings`)."""
        config = self.config.account(account)
        named = [f"{name} ({value})" for name, value in
                 self.pool.provider_class(account).address_settings(config)]
        listed = named[0] if len(named) == 1 else \
            f"{', '.join(named[:-1])} and {named[-1]}"
        return (f"Check the settings that make the address of account {account!r}: its "
                f"{listed}, in the config file (`meettui locate` shows where).")

    def _credentials_hint(self, account: str) -> str:
        """What to check when `account`'s credentials are refused, naming where they come
        from (the variables, the keyring): "Check the account's credentials" said
        neither."""
        places = self._credential_places(account)
        where = f" ({places})" if places else ""
        return (f"The provider refused the credentials of account {account!r}{where}: check "
                "that they are current and belong to this account.")

    def _credential_places(self, account: str) -> str:
        """Where `account`'s credentials are read from: "$A, $B", "keyring service 'x'";
        "" when the config names neither."""
        config = self.config.account(account)
        places = [f"${name}" for name in dict.fromkeys(
            [*([config.secret_env] if config.secret_env else []),
             *config.secret_envs.values()])]
        if config.keyring:
            places.append(f"keyring service {config.keyring!r}")
        return ", ".join(places)


@contextlib.contextmanager
def _naming(account: str) -> Iterator[None]:
    """A provider's error raised inside names `account` (`MeettuiError.of_account`):
    one the service made of a failed call (a lost create, an edit left half done), or
    of the account's credentials, named its provider alone, as the call's own error
    did."""
    try:
        yield
    except MeettuiError as exc:
        exc.of_account(account)
        raise
