"""Walking a provider's pages into the cache: page one on refresh, the next page as the
list nears its end, every page for `meettui list`.

A page lands in the cache in one transaction, with the cursor for the next. A refresh
starts a new walk (generation) only once page one has arrived, so a failed refresh
leaves a walk in progress able to go on without marking the pages it saw as missing;
the last page of a complete walk marks the meetings it did not see as missing.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from meettui.core.accounts import ProviderPool
from meettui.core.cache import Cache
from meettui.core.clock import Clock
from meettui.core.errors import ProviderError
from meettui.core.kept import carry_over
from meettui.core.models import Meeting, Page
from meettui.core.paging import RepeatedCursor, TooManyPages, WalkGuard


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
            self.cache.end_walk(account, str(exc))
            raise ProviderError(
                f"Stopped reading {account}'s list: {exc}.",
                hint="The meetings read so far are cached and usable; refresh to try again.",
            ) from None
        return await self._fetch_page(account, state.cursor, state.generation)

    async def sync_all(self, account: str) -> int:
        """Walk every page (CLI `list`); returns how many meetings were seen."""
        if not self._remote(account):
            return self.cache.count([account])
        page = await self.refresh(account)
        seen = len(page.items)
        while page.next_cursor is not None:
            more = await self.load_more(account)
            if more is None:
                break
            page = more
            seen += len(page.items)
        return seen

    async def _fetch_page(self, account: str, cursor: str | None,
                          generation: int | None) -> Page:
        """One page into the cache; `generation=None` starts a new walk after the fetch."""
        provider = self.pool.get(account)
        page = await self._upstream(account, provider.list_page(cursor))
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
        kept = [carry_over(m, self.cache.get(account, m.id)) for m in meetings]
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
