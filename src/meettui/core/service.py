"""The meeting service: the one façade screens and the CLI call.

Reads are answered from the cache at once; network calls fetch a page and write it to
the cache in one transaction. The cache changes only after a provider call has
succeeded, so a failure never loses anything. Behind it: `service_accounts.py` (what
it says of each account), `accounts.py` (providers and health), `sync.py` (page walks),
`service_writes.py` (every change to a meeting; `service_replace.py` the edit that
recreates one), `service_readback.py` (what a change left when its answer was lost or
unreadable), `kept.py` (what meettui keeps beyond an answer).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from meettui.core import dryrun
from meettui.core.accounts import FAILING_NAMES, AccountInfo, Health, ProviderPool
from meettui.core.cache import Cache
from meettui.core.cache_window import Key, Position, StoredRow
from meettui.core.capabilities import DeleteMode
from meettui.core.clock import SYSTEM_CLOCK, Clock
from meettui.core.config import Config
from meettui.core.errors import AuthError, MeettuiError, NotFound
from meettui.core.ids import resolve
from meettui.core.importing import restore_imported_account
from meettui.core.kept import changes_nothing
from meettui.core.list_cursor import Key as StartKey
from meettui.core.list_cursor import ListCursor, OtherWalk, Walk
from meettui.core.models import Meeting, MeetingSpec, Page
from meettui.core.registry import searched_details
from meettui.core.rowblocks import Read
from meettui.core.search import (
    DEFAULT_ORDER,
    Order,
    accounts_outside,
    listed_only,
    parse_query,
    unknown_terms,
)
from meettui.core.service_accounts import AccountReads
from meettui.core.service_checks import check_answered, checked_filter
from meettui.core.service_writes import UpdateResult, Writes, replaces
from meettui.core.sync import Sync

if TYPE_CHECKING:
    import httpx

T = TypeVar("T")

__all__ = ["AccountInfo", "Health", "MeetingService"]


@dataclass(frozen=True)
class ListPage:
    """A page of the list (`MeetingService.page`): its `meetings`; how many match from
    where the walk began (`matched`) and where this page starts among them (`offset`);
    the continuation of the next page (None on the last); and how many meetings were
    cached since the page before at places this walk had passed (`added`: not shown)."""

    meetings: list[Meeting]
    matched: int
    offset: int
    next_after: ListCursor | None
    added: int = 0


def _start_key(key: Key) -> StartKey:
    """A start-order row key (start, account, id) as a cursor holds it."""
    start, account, meeting_id = key
    return (float(start), str(account), str(meeting_id))  # type: ignore[arg-type]


@dataclass
class MeetingService(AccountReads):
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

    def index_waiting(self) -> bool:
        """Whether meetings wait for `catch_up_index` (quick: two lookups by key)."""
        return self.cache.index_waiting()

    def catch_up_index(self) -> int:
        """Index the filter words of the meetings written since the last call (a sync
        only notes them, `core/cache_fts.py`); how many rows were indexed. Off the
        event loop: ~7 µs a row."""
        return self.cache.catch_up_index()

    # -- cache reads (instant, never touch the network) -------------------------------

    def count(self, accounts: list[str] | None = None, query: str = "") -> int:
        """How many cached meetings match `query` (`core/search.py`), now."""
        return self.cache.count(accounts, checked_filter(query), now=self.clock.now())

    def unmatchable(self, query: str, listed: list[str] | None = None,
                    how: str = "") -> list[str]:
        """What in `query` can match nothing (`search.unknown_terms`: a status or an
        account that does not exist; an account other than the `listed` ones, when the
        list is limited to them, and then `how` to list them all), one sentence each,
        for a list that came back empty; [] for a query that is not at fault."""
        if not query:
            return []
        names = [a.name for a in self.config.accounts]
        search = parse_query(query)
        said = [f"the query can match nothing: {said}"
                for said in unknown_terms(search, names)]
        outside = accounts_outside(search, listed, names) if listed is not None else []
        if outside and listed is not None:
            terms = " and ".join(f"account:{term}" for term in outside)
            said.append(f"the query can match nothing: {terms} names another account, "
                        f"and {listed_only(listed)}" + (f"; {how}" if how else ""))
        return said

    def window(
        self, accounts: list[str] | None = None, query: str = "", *, offset: int = 0,
        limit: int = 100, order: Order = DEFAULT_ORDER,
    ) -> list[Meeting]:
        """`limit` cached meetings from `offset`, filtered by `query`, in `order`."""
        return self.cache.window(accounts, checked_filter(query), offset=offset, limit=limit,
                                 order=order, now=self.clock.now())

    def page(self, accounts: list[str] | None, query: str, *, limit: int, offset: int = 0,
             upcoming: bool = False, after: ListCursor | None = None) -> ListPage:
        """A page of the list in start order: `limit` cached meetings matching `query`.

        Without `after`, from `offset` (with `upcoming`, the list starts at what is on
        now or next, `home_key`, where the app opens: the offset counts from there, and
        so does the number matched, 0 when every one is over). With `after` (the
        `next_after` of the page before), the meetings after its last row, counted from
        where that walk began: no clock and no row cached or removed before it moves the
        next page. The page's own `next_after` continues it; `added` says how many
        meetings were cached since that page at places the walk has passed."""
        clock_now = self.clock.now()
        query = checked_filter(query)
        walk = Walk.of(accounts, query, upcoming)
        if after is not None and (differs := after.differs(walk)):
            # Another walk's token: its counts and its start are not this walk's.
            raise OtherWalk(differs, upcoming=after.walk[2])
        # One row more than the page says whether any follow (SQLite's LIMIT takes at
        # most 2**63 - 1, the largest limit the command line passes on).
        reading = min(limit, 2**62) + 1
        # Taken before the rows are read: a row cached in between is counted as added
        # (said twice at worst), never missed.
        mark = self.cache.write_mark()
        added = 0
        if after is not None:
            first: StartKey | None = after.first
            rows = self.cache.rows(accounts, query, anchor=after.last,
                                   limit=reading, now=clock_now)
            added = self.cache.count_range(accounts, query, first, after.last,
                                           since=after.mark, now=clock_now)
            offset = self.cache.count_range(accounts, query, first, after.last,
                                            now=clock_now)
            matched = self.cache.count_range(accounts, query, first, None, now=clock_now)
        else:
            first = None
            anchor = None
            matched = 0
            if upcoming:
                position = self.cache.locate(accounts, query, home=True, now=clock_now)
                if position.index is not None and position.key is not None:
                    anchor = first = _start_key(position.key)
                    matched = position.count - position.index
            else:
                matched = self.cache.count(accounts, query, now=clock_now)
            rows = [] if offset >= matched or (upcoming and anchor is None) else \
                self.cache.rows(accounts, query, anchor=anchor,
                                inclusive=True, skip=offset, limit=reading,
                                now=clock_now)
        following = len(rows) > limit
        rows = rows[:limit]
        cursor = ListCursor(_start_key(rows[-1][0]), first, mark, walk.marks()) \
            if following else None
        return ListPage(meetings=[m for _, m in rows if m is not None], matched=matched,
                        offset=offset, next_after=cursor, added=added)

    def rows(self, accounts: list[str] | None, query: str, read: Read, *,
             order: Order = DEFAULT_ORDER) -> list[StoredRow]:
        """Cached rows (key and stored meeting, decoded when shown) as `read` says
        (`core/rowblocks.py`): the list pages through these by key, never counting rows
        from the top."""
        return self.cache.stored_rows(accounts, checked_filter(query), anchor=read.anchor,
                               backward=read.backward, inclusive=read.inclusive,
                               skip=read.skip, limit=read.limit, order=order,
                               now=self.clock.now())

    def locate(self, accounts: list[str] | None = None, query: str = "", *,
               target: Meeting | None = None, home: bool = False, near: int | None = None,
               order: Order = DEFAULT_ORDER) -> Position:
        """How many cached meetings match `query`, and where `target` (with `home`
        and no target, the first meeting on now or next) is among them; `near` is the
        row the caller last saw it on (`Cache.locate`)."""
        return self.cache.locate(accounts, checked_filter(query),
                                 target=target.key if target is not None else None,
                                 home=home, near=near, order=order, now=self.clock.now())

    def index_of(self, meeting: Meeting, accounts: list[str] | None = None,
                 query: str = "", order: Order = DEFAULT_ORDER) -> int | None:
        """Row number of `meeting` in the sorted, filtered list (None when not there)."""
        return self.cache.index_of(meeting.account, meeting.id, accounts, checked_filter(query),
                                   order=order, now=self.clock.now())

    def first_not_over(self, accounts: list[str] | None = None, query: str = "") -> int | None:
        """Row number (start order) of the first meeting on now or next; None if none."""
        return self.cache.first_not_over(accounts, checked_filter(query), now=self.clock.now())

    def cached(self, account: str, meeting_id: str) -> Meeting | None:
        return self.cache.get(account, meeting_id)

    def find(self, meeting_id: str, account: str | None = None) -> Meeting:
        """Resolve an id typed by a user (CLI) to exactly one cached meeting: the exact
        id, else a unique prefix (`core/ids.py`), of the configured accounts only (the
        rows of an account removed from the config stay cached, unlisted: they named
        no meeting the user has, and made its id "ambiguous"). Raises ConfigError for
        an unknown account, NotFound, or AmbiguousId (with the candidates)."""
        if account:
            self.config.account(account)
        return resolve(self.cache, meeting_id, account,
                       [a.name for a in self.config.accounts])

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
        """Re-read one meeting upstream and update the cache. Raises NotFound (and marks
        the cached copy missing) when it is gone, and the provider's errors."""
        if not self.capabilities(account).remote_list:
            meeting = self.cache.get(account, meeting_id)
            if meeting is None:
                raise NotFound(f"No meeting {meeting_id!r} in account {account!r}.")
            return meeting
        provider = self.pool.get(account)
        try:
            meeting = await self._upstream(account, provider.get(meeting_id))
        except NotFound:
            if not dryrun.active():  # a dry run changes nothing, the cache included
                await self.cache.off_loop(self.cache.mark_missing, account, meeting_id)
            raise
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
        except MeettuiError as exc:
            # With two accounts of a provider: which one (a failed call, a secret that
            # cannot be sent, a key that is no key).
            exc.of_account(account)
            if isinstance(exc, AuthError) and exc.hint == AuthError.hint:
                exc.hint = self._credentials_hint(account)
            if isinstance(exc, NotFound):
                await self._answered(account)
                raise
            message = self.pool.note_failure(account, exc)
            if message is not None:
                # With the health it left, for a later process to say the same.
                await self.cache.off_loop(self.cache.record_error, account, message,
                                        self.pool.health(account)[0].name)
            raise
        else:
            await self._answered(account)
            return result
        finally:
            self.pool.call_ended(account)

    async def _answered(self, account: str) -> None:
        if self.pool.note_answered(account):
            # The failure the cache keeps is over too: `meettui accounts` said
            # "offline" of an account the app had just reached.
            await self.cache.off_loop(self.cache.error_over, account, FAILING_NAMES)

    def _credentials_hint(self, account: str) -> str:
        """What to check when `account`'s credentials are refused, naming where they come
        from (the variables, the keyring): "Check the account's credentials" said
        neither."""
        config = self.config.account(account)
        places = [f"${name}" for name in dict.fromkeys(
            [*([config.secret_env] if config.secret_env else []),
             *config.secret_envs.values()])]
        if config.keyring:
            places.append(f"keyring service {config.keyring!r}")
        where = f" ({', '.join(places)})" if places else ""
        return (f"The provider refused the credentials of account {account!r}{where}: check "
                "that they are current and belong to this account.")


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
