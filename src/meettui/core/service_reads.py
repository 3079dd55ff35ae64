"""What the service reads of the cache, instantly and never over the network: counts,
windows and pages of the list (`ListPage`, continued by a `ListCursor` so no clock and
no row cached or removed before it moves the next page), rows by key, where a meeting
stands in the list, and the meeting an id typed by a user names (`ids.resolve`: the
exact id or a unique prefix; the id of a meeting an edit replaced is refused with
`ReplacedId`, naming the meeting that stands for it now). `MeetingService` extends
`CacheReads`.
"""

from __future__ import annotations

from dataclasses import dataclass

from meettui.core.cache import Cache
from meettui.core.cache_window import Key, Position, StoredRow
from meettui.core.clock import Clock
from meettui.core.config import Config
from meettui.core.ids import resolve
from meettui.core.list_cursor import Key as StartKey
from meettui.core.list_cursor import ListCursor, OtherWalk, Walk
from meettui.core.models import Meeting
from meettui.core.rowblocks import Read
from meettui.core.search import (
    DEFAULT_ORDER,
    Order,
    accounts_outside,
    listed_only,
    parse_query,
    unknown_terms,
)
from meettui.core.service_checks import checked_filter


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


class CacheReads:
    """The cache reads of one service (`MeetingService` extends it): made with its
    `config`, `cache` and `clock` (what is over, or on now, is counted at its now)."""

    config: Config
    cache: Cache
    clock: Clock

    def index_waiting(self) -> bool:
        """Whether meetings wait for `catch_up_index` (quick: two lookups by key)."""
        return self.cache.index_waiting()

    def catch_up_index(self, *, wait: bool = True) -> int:
        """Index the filter words of the meetings written since the last call (a sync
        only notes them, `core/cache_fts.py`); how many rows were indexed. Off the
        event loop: ~7 µs a row. Without `wait`, nothing while another process writes
        the cache (`Cache.catch_up_index`)."""
        return self.cache.catch_up_index(wait=wait)

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
