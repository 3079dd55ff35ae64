"""Walking a provider's pages into the cache: page one on refresh, the next page as the
list nears its end, every page for `meettui list`.

A page lands in the cache in one transaction, with the cursor for the next. A refresh
starts a new walk (generation) only once page one has arrived, so a failed refresh
leaves a walk in progress able to go on without marking the pages it saw as missing;
the last page of a complete walk marks the meetings it did not see as missing.
"""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager

from meettui.core.accounts import ProviderPool
from meettui.core.cache import Cache
from meettui.core.clock import Clock
from meettui.core.errors import ProviderError
from meettui.core.kept import carry_over
from meettui.core.models import Meeting, Page
from meettui.core.paging import RepeatedCursor, TooManyPages, WalkGuard

AHEAD = 10
"""Pages a full sync may fetch ahead of the cache writer (memory: this many pages)."""


class Sync:
    """The page walks of every account of one service."""

    def __init__(self, pool: ProviderPool, cache: Cache, clock: Clock,
                 upstream: Callable[[str, Awaitable[Page]], Awaitable[Page]]) -> None:
        self.pool = pool
        self.cache = cache
        self.clock = clock
        self._upstream = upstream
        # Cursors handed out in each account's current walk: a server that repeats one
        # would otherwise be walked forever.
        self._guards: dict[str, WalkGuard] = {}
        # Why items of the current walk were left out (one odd item does not reject a page).
        self._skipped: dict[str, list[str]] = {}
        # Titles to keep for meetings whose provider has none (by account, then id).
        self._titles: dict[str, dict[str, str]] = {}

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
        return await self._fetch_page(account, None, None)

    async def load_more(self, account: str) -> Page | None:
        """Fetch the page after the last one fetched; None when the walk is complete.
        Raises ProviderError when the server repeats a cursor (the walk is then marked
        complete, and what was fetched stays cached)."""
        if not self._remote(account):
            return None
        state = self.cache.sync_state(account)
        if state.last_synced is None or state.generation == 0:
            return await self.refresh(account)
        if state.complete or state.cursor is None:
            return None
        guard = self._guards.setdefault(account, WalkGuard())
        try:
            guard.check(state.cursor)
        except (RepeatedCursor, TooManyPages) as exc:
            raise self._stop_walk(account, exc) from None
        try:
            return await self._fetch_page(account, state.cursor, state.generation)
        except BaseException:
            guard.release(state.cursor)  # not read: trying again is no repeat
            raise

    async def sync_all(self, account: str) -> int:
        """Walk every page (CLI `list`); returns how many meetings were seen. Raises
        what `load_more` raises.

        The requests never wait for the cache: a writer thread stores the pages in
        order, and the pages that arrive while it writes go into its next transaction
        together (at most `AHEAD` pages wait). Each transaction holds the cursor after
        its last page, so a walk that fails midway leaves what was written valid and
        able to go on, and its failure is recorded after the pages before it landed."""
        if not self._remote(account):
            return self.cache.count([account])
        page = await self.refresh(account)  # page one starts the walk (its generation)
        seen = len(page.items)
        generation = self.cache.sync_state(account).generation
        provider = self.pool.get(account)
        guard = self._guards.setdefault(account, WalkGuard())
        waiting: list[Page] = []
        writing: asyncio.Future[Page] | None = None
        call: asyncio.Future[Page] | None = None

        async def write(pages: list[Page]) -> asyncio.Future[Page]:
            nonlocal writing
            if writing is not None:
                await writing  # one writer, in order; its failure ends the walk
            writing = asyncio.ensure_future(
                asyncio.to_thread(self._store, account, _joined(pages), generation))
            return writing

        # A larger page cache for the walk's writes, given back when it ends.
        with self.cache.bulk_writes(), _old_objects_set_aside():
            try:
                while page.next_cursor is not None:
                    cursor = page.next_cursor
                    try:
                        guard.check(cursor)
                    except (RepeatedCursor, TooManyPages) as exc:
                        if waiting:
                            await write(waiting)
                        if writing is not None:
                            await writing
                        raise self._stop_walk(account, exc) from None
                    call = asyncio.ensure_future(
                        provider.list_page(cursor, self._page_size(account)))
                    await asyncio.wait([call])
                    if call.cancelled() or call.exception() is not None:
                        guard.release(cursor)  # not read: trying again is no repeat
                        # Land what came before, then let the failure be noted.
                        if waiting:
                            await write(waiting)
                        if writing is not None:
                            await writing
                    page = await self._upstream(account, call)
                    seen += len(page.items)
                    waiting.append(page)
                    if writing is None or writing.done() or len(waiting) >= AHEAD:
                        await write(waiting)
                        waiting = []
                if waiting:
                    await write(waiting)
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

    def _stop_walk(self, account: str, exc: RepeatedCursor | TooManyPages) -> ProviderError:
        """End the account's walk early (nothing marked missing; see `Cache.end_walk`)
        and say why: a server that repeats a cursor, or a walk too long."""
        self.cache.end_walk(account, str(exc))
        return ProviderError(
            f"Stopped reading {account}'s list: {exc}.",
            hint="The meetings read so far are cached and usable; refresh to try again.",
        )

    def _page_size(self, account: str) -> int:
        """The largest page the provider gives: fewer requests (and rate-limit points)
        for the same meetings. Every page of a walk, page one included: a walk by page
        numbers skips meetings if its page size changes on the way."""
        return self.pool.provider_class(account).capabilities.page_size_max

    async def _fetch_page(self, account: str, cursor: str | None,
                          generation: int | None) -> Page:
        """One page into the cache; `generation=None` starts a new walk after the fetch."""
        provider = self.pool.get(account)
        page = await self._upstream(
            account, provider.list_page(cursor, self._page_size(account)))
        return self._store(account, page, generation)

    def _store(self, account: str, page: Page, generation: int | None) -> Page:
        """Write a fetched page with the cursor after it, in one transaction (see
        `Cache.record_page`); `generation=None` starts a new walk first. Returns the
        page as stored (with what meettui keeps). Runs in `sync_all`'s writer thread:
        it touches the cache (which has its lock) and this walk's own state only."""
        page = page.model_copy(update={"items": self.with_kept(account, page.items)})
        if generation is None:
            generation = self.cache.begin_sync(account)
            self._guards[account] = WalkGuard()
            self._skipped[account] = []
        self.cache.record_page(
            account,
            page.items,
            generation=generation,
            next_cursor=page.next_cursor,
            synced_at=self.clock.now(),
            # A demo account's upstream is a simulator made afresh on every run: what a
            # complete walk no longer sees is gone for good, not worth keeping as missing.
            drop_unseen=self.pool.config.account(account).demo,
        )
        self.pool.note_success(account)
        skipped = self._skipped.setdefault(account, [])
        skipped += page.skipped
        if skipped:
            count = len(skipped)
            self.cache.record_error(
                account, f"{count} meeting{'s' if count != 1 else ''} could not be read and "
                f"{'were' if count != 1 else 'was'} left out: {skipped[0]}")
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


def _titled(meeting: Meeting, title: str | None) -> Meeting:
    """`meeting` with `title` kept, unless it has a kept title already."""
    if title is None or meeting.kept.title:
        return meeting
    return meeting.model_copy(update={
        "title": title, "kept": meeting.kept.model_copy(update={"title": title})})


@contextmanager
def _old_objects_set_aside() -> Iterator[None]:
    """The objects that exist before a walk (modules, schemas, the app) left out of the
    garbage collector's scans until it ends (`gc.freeze`). A walk makes some fifteen
    containers for each meeting, and the collections they set off would otherwise
    traverse the whole heap again and again: a tenth of a 10k sync's CPU. Nothing is
    kept alive by this, and the collector sees every object again afterwards."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def _joined(pages: list[Page]) -> Page:
    """Consecutive pages as one, stored in one transaction: their meetings in order, and
    the cursor after the last."""
    if len(pages) == 1:
        return pages[0]
    return Page(items=[m for p in pages for m in p.items], next_cursor=pages[-1].next_cursor,
                skipped=[s for p in pages for s in p.skipped])
