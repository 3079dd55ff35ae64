"""Walking a provider's pages into the cache: page one on refresh, the next page as the
list nears its end, every page for `meettui list`.

A page lands in the cache in one transaction, with the cursor for the next. A refresh
starts a new walk (generation) only once page one has arrived, so a failed refresh
leaves a walk in progress able to go on without marking the pages it saw as missing;
the meetings a complete walk did not see are asked after one by one, and those the
provider says are gone are marked missing (`sync_gone.py`).
"""

from __future__ import annotations

import asyncio
import functools
import gc
from collections.abc import Awaitable
from typing import NoReturn, Protocol, TypeVar

from meettui.core.accounts import Health, ProviderPool
from meettui.core.cache import Cache
from meettui.core.clock import Clock
from meettui.core.errors import NotFound, ProviderError
from meettui.core.http_failures import list_not_found
from meettui.core.kept import carry_over
from meettui.core.models import Meeting, Page
from meettui.core.paging import RepeatedCursor, TooManyPages, WalkGuard
from meettui.core.provider import PageAnswer
from meettui.core.sync_gone import confirmed_gone

T = TypeVar("T")

AHEAD = 30
"""Pages a full sync may fetch ahead of the cache writer (memory: this many pages; a 10k
sync peaks at 97 MiB RSS with 30, 84 MiB with 10)."""
BATCH = 20
"""Pages a full sync gathers for one transaction, unless the walk ends or fails first: a
commit writes every index page it changed, and a page's rows change most of them (the
ids and titles are random keys). A 10k sync in transactions of one page spends half
again the writer's time of five; twenty spend 10-15% less writer CPU than five, and
thirty or fifty no less than twenty."""
SEND_TURNS = 4
"""Turns of the event loop a full sync gives the next page's request before it reads the
page in hand, so the server answers while the items become meetings."""


class Upstream(Protocol):
    """The service's wrapper of a provider call (`MeetingService._upstream`): awaits
    `call` and notes a failure against `account`'s health before raising it."""

    def __call__(self, account: str, call: Awaitable[T], /) -> Awaitable[T]: ...


class Sync:
    """The page walks of every account of one service."""

    def __init__(self, pool: ProviderPool, cache: Cache, clock: Clock,
                 upstream: Upstream) -> None:
        self.pool = pool
        self.cache = cache
        self.clock = clock
        self._upstream = upstream
        # Cursors handed out in each account's current walk: a server that repeats one
        # would otherwise be walked forever. A guard belongs to one walk (generation):
        # another meettui on the same cache may restart the walk (page one again, the
        # same cursors) or finish it, and its cursors are no repeat of this one's.
        self._guards: dict[str, WalkGuard] = {}
        # The walk (generation) of each account the guard, `_skipped` and `_refused` are of.
        self._walks: dict[str, int] = {}
        # Why items of the current walk were left out (one odd item does not reject a page).
        self._skipped: dict[str, list[str]] = {}
        # Meetings of the current walk kept without links meettui refused: id -> why.
        self._refused: dict[str, dict[str, str]] = {}
        # Titles to keep for meetings whose provider has none (by account, then id).
        self._titles: dict[str, dict[str, str]] = {}
        # What the last page of a complete walk did not see, to ask after before the
        # cache marks it gone (`sync_gone.py`): the walk's generation and the ids.
        self._unseen: dict[str, tuple[int, list[str]]] = {}
        self.saved = 0
        """Meetings this process has written to the cache from the providers' pages (what
        an interrupted `meettui list` says it kept)."""

    def suggest_titles(self, account: str, titles: dict[str, str]) -> None:
        """Titles for `account`'s meetings (by id) whose provider keeps none: a meeting
        read without a kept title keeps this one, as if the user had typed it."""
        self._titles.setdefault(account, {}).update(titles)

    def skipped(self, account: str) -> list[str]:
        """Why meetings of `account`'s current walk could not be read and were left out."""
        return list(self._skipped.get(account, ()))

    def _remote(self, account: str) -> bool:
        return self.pool.provider_class(account).capabilities.remote_list

    async def refresh(self, account: str) -> Page:
        """Fetch page one and restart the walk that can mark vanished meetings."""
        if not self._remote(account):
            return Page(items=[], next_cursor=None)
        self._check_keepable(account)
        return await self._fetch_page(account, None, None)

    def _check_keepable(self, account: str) -> None:
        """CacheReadOnly before anything is fetched for `account` when the cache cannot
        keep it."""
        if self.cache.read_only is not None:
            raise self.cache.read_only_error(f"what a refresh of {account!r} fetches")

    async def load_more(self, account: str) -> Page | None:
        """Fetch the page after the last one fetched; None when the walk is complete.
        Raises ProviderError when the server repeats a cursor (the walk is then marked
        complete, and what was fetched stays cached)."""
        if not self._remote(account):
            return None
        self._check_keepable(account)
        state = self.cache.sync_state(account)
        if state.last_synced is None or state.generation == 0:
            return await self.refresh(account)
        if state.cursor is None:
            return None  # the walk reached its last page (`complete`), or ended
        guard = self._walk(account, state.generation)
        try:
            guard.check(state.cursor)
        except (RepeatedCursor, TooManyPages) as exc:
            raise await self._stop_walk(account, exc, state.generation) from None
        try:
            return await self._fetch_page(account, state.cursor, state.generation)
        except BaseException:
            guard.release(state.cursor)  # not read: trying again is no repeat
            raise

    async def sync_all(self, account: str) -> int:
        """Walk every page (CLI `list`); returns how many meetings were seen. Raises
        what `load_more` raises.

        The requests never wait for the cache: a writer thread stores the pages in
        order, `BATCH` or more in a transaction, and the pages that arrive while it
        writes go into its next one together (at most `AHEAD` pages wait). Each
        transaction holds the cursor after its last page, so a walk that fails midway
        leaves what was written valid and able to go on, and its failure is recorded
        after the pages before it landed.
        Nor do they wait for the reading of the page before: as soon as an answer
        says where the list goes on, the next request goes out, and the answer's items
        become meetings while the server works (`Provider.answer_page`)."""
        if not self._remote(account):
            return self.cache.count([account])
        page = await self.refresh(account)  # page one starts the walk (its generation)
        # Before any later page is asked for: what the user's own writes store meanwhile
        # stays (`Cache.record_page`).
        since = await self.cache.off_loop(self.cache.write_mark)
        seen = len(page.items)
        generation = self.cache.sync_state(account).generation
        provider = self.pool.get(account)
        size = self._page_size(account)
        guard = self._walk(account, generation)
        waiting: list[Page] = []
        writing: asyncio.Future[Page] | None = None
        call: asyncio.Future[PageAnswer] | None = None
        stop: RepeatedCursor | TooManyPages | None = None

        async def write(pages: list[Page]) -> asyncio.Future[Page]:
            nonlocal writing
            if writing is not None:
                await writing  # one writer, in order; its failure ends the walk
            writing = asyncio.ensure_future(
                asyncio.to_thread(self._store, account, _joined(pages), generation, since))
            return writing

        async def land() -> None:
            """Every page read so far written, before a failure is noted."""
            nonlocal waiting
            if waiting:
                await write(waiting)
                waiting = []
            if writing is not None:
                await writing

        def ask(cursor: str | None) -> tuple[str, asyncio.Future[PageAnswer]] | None:
            """The request for the page at `cursor` (with it), unless the list ended
            there or the walk must stop (`stop` then says why)."""
            nonlocal stop
            if cursor is None:
                return None
            try:
                guard.check(cursor)
            except (RepeatedCursor, TooManyPages) as exc:
                stop = exc
                return None
            return cursor, asyncio.ensure_future(provider.answer_page(cursor, size))

        # A larger page cache for the walk's writes, given back when it ends.
        with self.cache.bulk_writes(), _SetAside() as aside:
            try:
                out = ask(page.next_cursor)
                while out is not None:
                    cursor, call = out
                    await asyncio.wait([call])
                    if call.cancelled() or call.exception() is not None:
                        guard.release(cursor)  # not read: trying again is no repeat
                        await land()  # then let the failure be noted
                    answer = await self._upstream(account, listing(call))
                    out = ask(answer.next_cursor)
                    call = out[1] if out is not None else None
                    if call is not None:
                        # A few turns of the loop take the request to the socket (three
                        # with httpx 0.28 on asyncio); had it more to go, it would leave
                        # at the next await, only later.
                        for _ in range(SEND_TURNS):
                            await asyncio.sleep(0)
                    try:
                        page = answer.read()
                    except BaseException as exc:
                        guard.release(cursor)
                        if out is not None:
                            out[1].cancel()  # the page after one that could not be read
                            guard.release(out[0])
                            call = None
                        await land()
                        await self._upstream(account, _raised(exc))  # noted, raised
                        raise
                    seen += len(page.items)
                    aside.again()
                    waiting.append(page)
                    free = writing is None or writing.done()
                    if len(waiting) >= AHEAD or (free and len(waiting) >= BATCH):
                        await write(waiting)
                        waiting = []
                await land()
                if stop is not None:
                    raise await self._stop_walk(account, stop, generation) from None
                await self._settle_unseen(account)
            except asyncio.CancelledError:
                # Interrupted (Ctrl+C, SIGTERM): the pages read so far are valid data,
                # written (with the cursor after them) before the walk ends, not dropped
                # with the BATCH - 1 or fewer read since the last transaction.
                await land()
                raise
            finally:
                if call is not None and not call.done():
                    call.cancel()  # the walk was cancelled while a request was out
                if writing is not None:
                    # Whatever happened, the write under way ends before the walk does:
                    # the cache is never written behind the caller's back.
                    await asyncio.gather(writing, return_exceptions=True)
        if writing is not None:
            await writing  # its failure, if it failed
        return seen

    def _walk(self, account: str, generation: int) -> WalkGuard:
        """The guard of `account`'s walk `generation`: a fresh one (and no meetings
        left out yet) when the walk is not the one last seen here, as when another
        process restarted it."""
        if self._walks.get(account) != generation or account not in self._guards:
            self._walks[account] = generation
            self._guards[account] = WalkGuard()
            self._skipped[account] = []
            self._refused[account] = {}
        return self._guards[account]

    async def _stop_walk(self, account: str, exc: RepeatedCursor | TooManyPages,
                         generation: int) -> ProviderError:
        """End the account's walk `generation` early (nothing marked missing; see
        `Cache.end_walk`, through `Cache.off_loop`: the app's loop never waits for the
        cache) and
        say why: a server that repeats a cursor, or a walk too long."""
        error = ProviderError(
            f"stopped reading the list: {exc}.",
            provider=self.pool.provider_class(account).kind,
            hint="The meetings read so far are cached and usable; refresh to try again.",
        )
        error.of_account(account)  # "ACCOUNT (KIND): …", as every failure begins
        # A server that repeats itself is up but not usable: an error, in this process
        # (it stayed "ok") and in a later one, which reads it with the message.
        self.pool.note_failure(account, error)
        await self.cache.off_loop(functools.partial(
            self.cache.end_walk, account, str(exc), Health.ERROR.name, generation=generation))
        return error

    def _page_size(self, account: str) -> int:
        """The largest page the provider gives: fewer requests (and rate-limit points)
        for the same meetings. Every page of a walk, page one included: a walk by page
        numbers skips meetings if its page size changes on the way."""
        return self.pool.provider_class(account).capabilities.page_size_max

    async def _fetch_page(self, account: str, cursor: str | None,
                          generation: int | None) -> Page:
        """One page into the cache; `generation=None` starts a new walk after the fetch.
        Stored through `Cache.off_loop`: the app's loop never waits for the cache's
        lock, which another process may hold for seconds."""
        provider = self.pool.get(account)
        # Before the request: what the user's own writes store while it is out stays.
        since = await self.cache.off_loop(self.cache.write_mark)
        page = await self._upstream(
            account, listing(provider.list_page(cursor, self._page_size(account))))
        stored = await self.cache.off_loop(self._store, account, page, generation, since)
        await self._settle_unseen(account)
        return stored

    async def _settle_unseen(self, account: str) -> None:
        """Mark gone what the provider says is gone of the meetings the account's
        complete walk did not see (`sync_gone.confirmed_gone`); nothing when the walk
        just stored was not complete."""
        unseen = self._unseen.pop(account, None)
        if unseen is None:
            return
        generation, ids = unseen
        gone = await confirmed_gone(self.pool.get(account), ids)
        if gone:
            await self.cache.off_loop(self.cache.mark_gone, account, generation, gone)

    def _store(self, account: str, page: Page, generation: int | None,
               since: int | None = None) -> Page:
        """Write a fetched page with the cursor after it, in one transaction (see
        `Cache.record_page`); `generation=None` starts a new walk first. `since`: the
        cache's write mark before the page was asked for (what the user's own writes
        stored after it is kept). Returns the page as stored (with what meettui keeps).
        May run in a thread (`sync_all`'s writer, `Cache.off_loop`'s), and again after a
        busy cache refused it: it touches the cache (which has its lock) and this walk's
        own state only."""
        page = page.model_copy(update={"items": self.with_kept(account, page.items)})
        if generation is None:
            generation = self.cache.begin_sync(account, since)
            self._walks.pop(account, None)  # a new walk: a new guard
        self._walk(account, generation)
        # A demo account's upstream is a simulator made afresh on every run: what a
        # complete walk no longer sees is gone for good, not worth keeping as missing.
        demo = self.pool.config.account(account).demo
        unseen = self.cache.record_page(
            account,
            page.items,
            generation=generation,
            next_cursor=page.next_cursor,
            synced_at=self.clock.now(),
            since=since,
            drop_unseen=demo,
            confirm_unseen=not demo,
        )
        if unseen:
            self._unseen[account] = (generation, unseen)
        self.saved += len(page.items)
        self.pool.note_success(account)
        skipped = self._skipped.setdefault(account, [])
        skipped += page.skipped
        refused = self._refused.setdefault(account, {})
        refused.update(refused_links(page.items))
        if skipped or refused:
            # The account answered: a later process says "ok" too, with this message.
            self.cache.record_error(account, left_out(skipped, refused), Health.OK.name)
        return page

    def with_kept(self, account: str, meetings: list[Meeting]) -> list[Meeting]:
        """Each meeting with what meettui kept about it (`core/kept.py`)."""
        if not self.pool.provider_class(account).capabilities.kept_facts:
            return meetings
        # One query for the page, not one per meeting (a full sync reads 10k).
        cached = self.cache.kept_of(account, [m.id for m in meetings])
        kept = [carry_over(m, cached.get(m.id)) for m in meetings]
        titles = self._titles.get(account)
        if titles:
            kept = [_titled(m, titles.get(m.id)) for m in kept]
        return kept


def refused_links(meetings: list[Meeting]) -> dict[str, str]:
    """Why links of `meetings` were refused (`Meeting.refused_links`), by meeting id."""
    return {m.id: why for m in meetings if (why := m.refused_links) is not None}


def left_out(skipped: list[str], refused: dict[str, str]) -> str:
    """What a walk left out, as the account's message (`meettui accounts`) and the app's
    notice say it: the items it could not read (`Page.skipped`), then the meetings kept
    without links meettui refused (`refused_links`), each with the first reason."""
    parts = []
    if skipped:
        count = len(skipped)
        parts.append(f"{count} meeting{'s' if count != 1 else ''} could not be read and "
                     f"{'were' if count != 1 else 'was'} left out: {skipped[0]}")
    if refused:
        count = len(refused)
        first, why = next(iter(refused.items()))
        # A colon, not brackets: the reason often ends in brackets of its own.
        parts.append(f"{count} meeting{'s are' if count != 1 else ' is'} listed without "
                     f"links meettui refused; meeting {first}: {why}")
    return ". ".join(part[0].upper() + part[1:] for part in parts)


def _titled(meeting: Meeting, title: str | None) -> Meeting:
    """`meeting` with `title` kept, unless it has a kept title already."""
    if title is None or meeting.kept.title:
        return meeting
    return meeting.model_copy(update={
        "title": title, "kept": meeting.kept.model_copy(update={"title": title})})


class _SetAside:
    """Objects left out of the garbage collector's scans while a walk runs (`gc.freeze`):
    those that exist before it (modules, schemas), then, page by page, those the walk
    made (`again`). A walk makes some fifteen containers a meeting, and the collections
    they set off would otherwise traverse the whole heap, then each page's objects
    again in the older generations: a sixth of a 10k sync's CPU. They are freed by
    their reference counts as ever (meetings hold no cycles), and every object is seen
    again once the walk ends (`gc.unfreeze`). When objects are frozen already (the TUI
    freezes what it imported, `tui/app.py`), that choice is left alone: an unfreeze
    would undo it."""

    def __enter__(self) -> _SetAside:
        self.ours = not gc.get_freeze_count()
        self.again()
        return self

    def again(self) -> None:
        """Set aside what exists now (a page just read)."""
        if self.ours:
            gc.freeze()

    def __exit__(self, *exc: object) -> None:
        if self.ours:
            gc.unfreeze()


async def listing(call: Awaitable[T]) -> T:
    """`call`, a request for a page of the list (a sync's, or the service's check of an
    account's address), with a 404 or 410 read as what it
    means there: the list is not at the account's address (`WrongAddress`), no meeting
    is gone."""
    try:
        return await call
    except NotFound as exc:
        raise list_not_found(exc) from None


async def _raised(exc: BaseException) -> NoReturn:
    """`exc`, raised where the service's `upstream` can note it."""
    raise exc


def _joined(pages: list[Page]) -> Page:
    """Consecutive pages as one, stored in one transaction: their meetings in order, and
    the cursor after the last."""
    if len(pages) == 1:
        return pages[0]
    return Page(items=[m for p in pages for m in p.items], next_cursor=pages[-1].next_cursor,
                skipped=[s for p in pages for s in p.skipped])
