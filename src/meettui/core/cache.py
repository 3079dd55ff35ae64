"""The local SQLite cache: instant lists, offline reading, windowed queries.

Rows are keyed by (account, meeting id) and ordered by an indexed start key; the UI
reads the rows next to one it knows, by key (`cache_window.py`), instead of loading
everything: a million meetings open and scroll as fast as ten. A page from a provider
is written in one transaction. A full sync stamps each row it sees with a generation;
rows a finished sync did not see are marked missing rather than dropped.

Opening the file and its migrations are `cache_connection.py`'s (`CacheConnection`,
which `Cache` extends), the lock and the transactions `cache_transactions.py`'s
(`CacheTransactions`, which it extends); here are the reads and writes made through
them.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime
from functools import partial

from meettui.core import (
    cache_fts,
    cache_own_writes,
    cache_replacements,
    cache_retext,
    cache_walks,
    cache_window,
)
from meettui.core.cache_connection import CacheConnection
from meettui.core.cache_rows import (
    LabelsOf,
    SearchLabels,
    _epoch,
    _meeting,
    _meetings,
    _stored,
    kept_rows,
    known_ids,
    next_write,
    write_mark,
    write_rows,
)
from meettui.core.cache_walks import SyncState
from meettui.core.cache_window import Key, Position, Row, StoredRow
from meettui.core.errors import CacheBusy
from meettui.core.models import Meeting
from meettui.core.search import DEFAULT_ORDER, Order


class Cache(CacheConnection):
    """The cache at `path`. `variable` names the environment variable that chose the
    path, for messages. A file that is not a database (or a damaged one) is moved aside
    and a fresh cache started with what existed only on this machine, as far as the old
    file still reads (`cache_salvage.py`): `notice` then says where it went and what
    came over, for the front end to show once. Anything else that stops it opening is
    a ConfigError naming the file."""

    # -- writes ---------------------------------------------------------------

    def upsert_page(self, account: str, meetings: Iterable[Meeting], *, generation: int = 0) -> int:
        """Write a page atomically: either every meeting lands or none does."""
        rows = list(meetings)
        with self._transaction() as conn:
            self._write_rows(conn, account, rows, generation)
        return len(rows)

    def takes_writes(self) -> None:
        """Return once this process could write to the cache now (an empty write
        transaction, waiting for another process as any write does); CacheBusy when
        another holds it past the busy timeout, CacheReadOnly while read-only. Asked
        before a change is sent to a provider: what the provider made must be kept, and
        a made meeting reported "not saved, try again" was made twice by the retry."""
        with self._transaction():
            pass

    def upsert(self, meeting: Meeting) -> None:
        """Store what the user's own write answered (a create, an edit, an action, a
        read-back, an import): a list page asked for before it does not undo it
        (`cache_own_writes.py`)."""
        with self._transaction() as conn:
            cache_own_writes.stored_again(conn, meeting.account, meeting.id)
            self._write_rows(conn, meeting.account, [meeting], 0, own=True)

    def delete(self, account: str, meeting_id: str) -> bool:
        """Remove the meeting, noting it deleted for the list pages asked for before
        (`cache_own_writes.py`); False when it was not cached."""
        with self._transaction() as conn:
            cur = conn.execute(
                "DELETE FROM meetings WHERE account = ? AND id = ?", (account, meeting_id)
            )
            cache_own_writes.deleted(conn, account, meeting_id, next_write(conn))
            return cur.rowcount > 0

    def was_deleted(self, account: str, meeting_id: str) -> bool:
        """Whether meettui deleted the meeting and nothing stored it since
        (`cache_own_writes.was_deleted`)."""
        with self._using() as conn:
            return cache_own_writes.was_deleted(conn, account, meeting_id)

    def note_replacement(self, account: str, old_id: str, new_id: str,
                         at: datetime) -> None:
        """Keep that an edit replaced `old_id` with `new_id` in `account` at `at`
        (`replaced_by` reads it when the old id is asked for), pruning the replacements
        done with (`cache_replacements.py` says which)."""
        with self._transaction() as conn:
            cache_replacements.note(conn, account, old_id, new_id, at)

    def replaced_by(self, old_id: str, accounts: list[str] | None = None,
                    ) -> list[tuple[str, str, datetime]]:
        """The replacements of `old_id` in `accounts` (None: any): (account, the id
        that stands for it now, when it was first replaced), a chain of replacements
        followed to its end. Empty when it was never replaced."""
        out = []
        with self._using() as conn:
            rows = conn.execute("SELECT account, new_id, replaced_at FROM replacements "
                                "WHERE old_id = ?", (old_id,)).fetchall()
            for account, new_id, at in rows:
                if accounts is not None and account not in accounts:
                    continue
                seen = {old_id}
                while new_id not in seen:  # A -> B -> C: C stands for A
                    seen.add(new_id)
                    later = conn.execute("SELECT new_id FROM replacements WHERE account = ? "
                                         "AND old_id = ?", (account, new_id)).fetchone()
                    if later is None:
                        break
                    new_id = later[0]
                out.append((str(account), str(new_id),
                            datetime.fromtimestamp(float(at), tz=UTC)))
        return out

    def replaced_prefix(self, prefix: str, accounts: list[str] | None = None, *,
                        limit: int = 21) -> list[tuple[str, str]]:
        """Up to `limit` replaced ids that start with `prefix`, in `accounts` (None:
        any), as (account, old id), by account and id: a short id (`core/ids.py`) finds
        the meeting that replaced the one it named."""
        within, among = _among(accounts)
        with self._using() as conn:
            rows = conn.execute(
                "SELECT DISTINCT account, old_id FROM replacements "
                f"WHERE substr(old_id, 1, ?) = ?{within} ORDER BY account, old_id LIMIT ?",
                (len(prefix), prefix, *among, limit)).fetchall()
        return [(str(account), str(old_id)) for account, old_id in rows]

    def mark_missing(self, account: str, meeting_id: str) -> None:
        """Mark `account`'s `meeting_id` gone upstream (the provider answered 404 for
        it); the row stays, readable, until a walk or the user drops it."""
        with self._transaction() as conn:
            # A write (`written`): a page asked for before this answer, answered
            # after it, does not put the meeting back as present.
            conn.execute(
                "UPDATE meetings SET missing = 1, written = MAX(written, ?) "
                "WHERE account = ? AND id = ?",
                (next_write(conn), account, meeting_id),
            )

    def forget_account(self, account: str) -> None:
        self.forget_accounts([account])

    def forget_accounts(self, accounts: list[str], *, wait: bool = True) -> None:
        """Drop every row, the walk and the replacements of `accounts`, in one
        transaction. Without `wait`, tried once: CacheBusy when another process holds
        the cache."""
        with self._transaction(wait=wait) as conn:
            for account in accounts:
                conn.execute("DELETE FROM meetings WHERE account = ?", (account,))
                conn.execute("DELETE FROM sync_state WHERE account = ?", (account,))
                cache_replacements.forget(conn, account)

    def accounts_held(self) -> set[str]:
        """The accounts the cache holds meetings or a walk of (one row per account)."""
        with self._using() as conn:
            return {row[0] for row in conn.execute(
                "SELECT account FROM meeting_counts WHERE n > 0 "
                "UNION SELECT account FROM sync_state")}

    # -- sync state -------------------------------------------------------------

    def sync_state(self, account: str) -> SyncState:
        """Where `account`'s walk stands (`cache_walks.read_state`)."""
        with self._using() as conn:
            return cache_walks.read_state(conn, account)

    def begin_sync(self, account: str, since: int | None = None) -> int:
        """Start a walk from page one, asked for at the write mark `since`
        (`write_mark`; None: now); returns its generation."""
        with self._transaction() as conn:
            return cache_walks.begin(conn, account,
                                     write_mark(conn) if since is None else since)

    def record_page(
        self,
        account: str,
        meetings: list[Meeting],
        *,
        generation: int,
        next_cursor: str | None,
        synced_at: datetime,
        drop_unseen: bool = False,
        since: int | None = None,
        confirm_unseen: bool = False,
    ) -> list[str]:
        """One transaction: the page, the cursor, and (on the last page) missing marks
        for the rows the walk did not see; `drop_unseen` deletes those rows instead, for
        an account whose upstream is made afresh on every run (the demo's). A page of a
        walk older than the account's current one (another process restarted it
        meanwhile) writes its rows only: the newer walk's cursor stays. `since`: the
        write mark taken before the page was asked for; what the user's own writes
        stored or deleted after it is left as they left it (`cache_own_writes.py`).
        `confirm_unseen`: the last page marks nothing and returns the ids of the rows
        the walk did not see, for the caller to ask after (`mark_gone`); otherwise []."""
        with self._transaction() as conn:
            if since is not None and meetings:
                newer = cache_own_writes.fresher(conn, account,
                                                 [m.id for m in meetings], since)
                if newer:
                    meetings = [m for m in meetings if m.id not in newer]
            before = cache_walks.rows_of(conn, account)
            self._write_rows(conn, account, meetings, generation)
            return cache_walks.page_recorded(
                conn, account, generation=generation, next_cursor=next_cursor,
                synced_at=synced_at, drop_unseen=drop_unseen,
                grew=cache_walks.rows_of(conn, account) > before,
                confirm_unseen=confirm_unseen)

    def mark_gone(self, account: str, generation: int, ids: list[str]) -> int:
        """Mark `ids` of `account` missing, the provider having said they are gone,
        unless the walk `generation` that did not see them is no longer the account's
        last or saw them after all (`cache_walks.mark_gone`); returns how many were."""
        with self._transaction() as conn:
            return cache_walks.mark_gone(conn, account, generation, ids)

    def end_walk(self, account: str, message: str, health: str | None = None, *,
                 generation: int | None = None) -> None:
        """End the account's walk early (a server that repeats itself): nothing more to
        load, nothing marked missing (the walk did not see every page), and `message`
        kept as the last error, with the `health` (a `Health` name) it left. With
        `generation`, only if that walk is still the account's (another process may
        have started a new one meanwhile)."""
        with self._transaction() as conn:
            cache_walks.end(conn, account, message, health, generation)

    def record_error(self, account: str, message: str, health: str | None = None,
                     until: datetime | None = None) -> None:
        """`message` as the account's last error (redacted), with the `health` (a
        `Health` name) it left the account in and when a rate limit's wait ends
        (`until`), for a later process to show."""
        with self._transaction() as conn:
            cache_walks.error_recorded(conn, account, message, health, until)

    def error_over(self, account: str, healths: tuple[str, ...], *,
                   wait: bool = True) -> None:
        """Forget the account's last error if it left one of `healths` (`Health`
        names): a call went through since (`cache_walks.error_over`). Without `wait`,
        tried once: CacheBusy while another process writes the cache."""
        with self._transaction(wait=wait) as conn:
            cache_walks.error_over(conn, account, healths)

    # -- reads ------------------------------------------------------------------

    def get(self, account: str, meeting_id: str) -> Meeting | None:
        with self._using() as conn:
            row = conn.execute(
                "SELECT payload, missing FROM meetings WHERE account = ? AND id = ?",
                (account, meeting_id),
            ).fetchone()
        return _meeting(row) if row else None

    def write_mark(self) -> int:
        """Where the cache's writes stand now, for `known_before` later: take it before a
        request whose effect is looked for afterwards (a create whose answer may be
        lost)."""
        with self._using() as conn:
            return write_mark(conn)

    def known_before(self, account: str, ids: list[str], mark: int) -> set[str]:
        """Those of `ids` that `account`'s rows held, present upstream (not missing),
        when `write_mark` gave `mark`, and still hold so. A meeting cached since (a
        sync that ran meanwhile), or one missing then or now, is not among them."""
        with self._using() as conn:
            return known_ids(conn, account, ids, mark)

    def kept_of(self, account: str, ids: list[str]) -> dict[str, Meeting]:
        """The cached meetings of `account` among `ids` that hold kept facts
        (`Meeting.kept`), by id: what a fresh page must carry over (`core/kept.py`;
        the query is `cache_rows.kept_rows`). Raises ConfigError when the cache fails."""
        with self._using() as conn:
            return kept_rows(conn, account, ids)

    def find(self, meeting_id: str, accounts: list[str] | None = None) -> list[Meeting]:
        """Every cached meeting with this id, across `accounts` (None: every account
        cached; ids are per provider)."""
        within, among = _among(accounts)
        with self._using() as conn:
            rows = conn.execute(
                f"SELECT payload, missing FROM meetings WHERE id = ?{within} ORDER BY account",
                (meeting_id, *among),
            ).fetchall()
        return _meetings(rows)

    def find_prefix(self, prefix: str, account: str | None = None, *,
                    accounts: list[str] | None = None, limit: int = 21) -> list[Meeting]:
        """Up to `limit` cached meetings whose id starts with `prefix` (of `account`, or
        of `accounts`, None: of every account cached), by account and id (`core/ids.py`
        resolves typed ids)."""
        within, among = _among([account] if account else accounts)
        where = "substr(id, 1, ?) = ?" + within
        params: tuple[object, ...] = (len(prefix), prefix, *among)
        with self._using() as conn:
            rows = conn.execute(
                f"SELECT payload, missing FROM meetings WHERE {where} "
                "ORDER BY account, id LIMIT ?", (*params, limit),
            ).fetchall()
        return _meetings(rows)

    def count(self, accounts: list[str] | None = None, query: str = "", *,
              now: datetime | None = None) -> int:
        """How many meetings of `accounts` match `query` (`core/search.py`) at `now`
        (kept per account, so only a filter by status or words counts rows)."""
        with self._reading(self._view(accounts, query, None, now)) as (conn, view):
            return cache_window.count(conn, view)

    def window(
        self,
        accounts: list[str] | None = None,
        query: str = "",
        *,
        offset: int = 0,
        limit: int = 100,
        order: Order = DEFAULT_ORDER,
        now: datetime | None = None,
    ) -> list[Meeting]:
        """Meetings in `order` (by start unless told), `limit` rows from `offset` (the
        status order is computed at `now`). For the first rows (`meettui list`); the
        list pages by key with `rows`."""
        found = self.rows(accounts, query, skip=offset, limit=limit, order=order, now=now)
        return [m for _, m in found if m is not None]

    def rows(
        self, accounts: list[str] | None = None, query: str = "", *,
        anchor: Key | None = None, backward: bool = False, inclusive: bool = False,
        skip: int = 0, limit: int = 100, order: Order = DEFAULT_ORDER,
        now: datetime | None = None,
    ) -> list[Row]:
        """Rows (key and meeting) next to `anchor`'s key: `stored_rows`, every meeting
        decoded."""
        return [(key, stored.meeting()) for key, stored in self.stored_rows(
            accounts, query, anchor=anchor, backward=backward, inclusive=inclusive,
            skip=skip, limit=limit, order=order, now=now)]

    def stored_rows(
        self, accounts: list[str] | None = None, query: str = "", *,
        anchor: Key | None = None, backward: bool = False, inclusive: bool = False,
        skip: int = 0, limit: int = 100, order: Order = DEFAULT_ORDER,
        now: datetime | None = None,
    ) -> list[StoredRow]:
        """Rows next to `anchor`'s key, read through the order's index, each meeting
        decoded when first asked for (`cache_window.read`, which says what each argument
        does): what the list reads its blocks with."""
        with self._reading(self._view(accounts, query, order, now)) as (conn, view):
            return cache_window.read(conn, view, anchor=anchor, backward=backward,
                                     inclusive=inclusive, skip=skip, limit=limit)

    def count_range(self, accounts: list[str] | None, query: str, low: Key | None,
                    high: Key | None, *, since: int | None = None,
                    now: datetime | None = None) -> int:
        """How many meetings matching `query` lie in start order from `low` up to and
        with `high` (None: from the start, to the end), those first cached after write mark `since`
        only when given (`cache_window.count_range`)."""
        with self._reading(self._view(accounts, query, None, now)) as (conn, view):
            return cache_window.count_range(conn, view, low, high, since=since)

    def locate(
        self, accounts: list[str] | None = None, query: str = "", *,
        target: tuple[str, str] | None = None, home: bool = False, near: int | None = None,
        order: Order = DEFAULT_ORDER, now: datetime | None = None,
    ) -> Position:
        """The view's row count and the place of `target` (account, id) in it, or with
        `home` of the first meeting on now or next: `cache_window.locate`."""
        with self._reading(self._view(accounts, query, order, now)) as (conn, view):
            return cache_window.locate(conn, view, target, home=home, near=near)

    def index_of(
        self, account: str, meeting_id: str, accounts: list[str] | None = None, query: str = "",
        *, order: Order = DEFAULT_ORDER, now: datetime | None = None,
    ) -> int | None:
        """Row number of a meeting in the ordered view (to keep the cursor on it)."""
        return self.locate(accounts, query, target=(account, meeting_id), order=order,
                           now=now).index

    def first_not_over(self, accounts: list[str] | None = None, query: str = "", *,
                       now: datetime | None = None) -> int | None:
        """Row number, in start order, of what is on now or next at `now`
        (`cache_window.home_key` says which); None when every one is over."""
        return self.locate(accounts, query, home=True, now=now).index

    @contextmanager
    def _reading(self, view: cache_window.View,
                 ) -> Iterator[tuple[sqlite3.Connection, cache_window.View]]:
        """The connection to read with (`_using`) and `view` as it may be read now:
        through the full-text index only in a snapshot where the index is in step
        (`cache_fts.settled`). The thread that never waits applies no waiting rows to
        the index itself (a write): its search tests the words with LIKE meanwhile."""
        # Without waiting: a search does not wait seconds for another process's write
        # to index a few rows it can test with LIKE (`cache_fts.settled`).
        catch_up = None if self._hurrying() else partial(self._transaction, wait=False)
        with self._using() as conn, cache_fts.settled(
                conn, view.query if view.fts else "", catch_up) as fts:
            yield conn, replace(view, fts=fts)

    def search_details(self, source: LabelsOf) -> None:
        """Search, from now on, the details `source(kind)` names for a provider kind
        (`registry.searched_details`: the service hands it over, as the cache imports
        no provider). Without it the search text holds no detail, and rows queued to
        have their text remade wait (`cache_retext.py`): remade without the labels,
        they would lose what a filter should find."""
        self._labels = SearchLabels(source)

    def index_waiting(self) -> bool:
        """Whether `catch_up_index` has rows to apply: a few lookups by key, quick
        enough to ask before starting a thread for it (with none waiting, the catch-up
        only takes the write lock and commits nothing)."""
        with self._using() as conn:
            if self._retext_waiting(conn):
                return True
            return self._fts and cache_fts.pending(conn, 1) > 0

    def _retext_waiting(self, conn: sqlite3.Connection) -> bool:
        if self._retext_done or not self._labels.given:
            return False
        self._retext_done = not cache_retext.waiting(conn)
        return not self._retext_done

    def catch_up_index(self, limit: int | None = None, *, wait: bool = True) -> int:
        """Remake the search text of rows cached by an older meettui (once, after the
        v6 migration: `cache_retext.py`), then index the rows written since the last
        catch-up (all, or up to `limit`), a batch a transaction so readers wait
        little; returns how many rows were remade and indexed (without FTS5, only
        remade). Writes only note their rows (`cache_fts.py`), so the TUI calls this
        in a worker after a sync (and at start) and the CLI before a filtered list; a
        search with few rows waiting applies them itself, with many it uses LIKE.
        Without `wait`, a cache another process is writing is left as it is (CacheBusy
        is not raised): a read that only hoped to bring the index up to date (`meettui
        list --query`) goes on with what it has, its words tested with LIKE."""
        done = 0
        transaction = self._transaction if wait else partial(self._transaction, wait=False)
        try:
            with self._using() as conn:
                retext = self._retext_waiting(conn)
            if retext:
                done = cache_retext.retext_all(transaction, self._labels, limit)
                if limit is not None:
                    limit -= done
            if self._fts and (limit is None or limit > 0):
                done += cache_fts.catch_up_all(transaction, limit)
        except CacheBusy:
            if wait:
                raise
        return done

    def _view(self, accounts: list[str] | None, query: str, order: Order | None,
              now: datetime | None) -> cache_window.View:
        return cache_window.View(accounts, query, order or DEFAULT_ORDER, _epoch(now),
                                 self._fts)

    def _write_rows(
        self, conn: sqlite3.Connection, account: str, meetings: list[Meeting], generation: int,
        *, own: bool = False,
    ) -> None:
        write_rows(conn, _stored(account, meetings, generation, self._labels,
                                 next_write(conn), own=own))



def _among(accounts: list[str] | None) -> tuple[str, tuple[str, ...]]:
    """The SQL condition that keeps the rows of `accounts` (None: every row) and its
    parameters."""
    if accounts is None:
        return "", ()
    return f" AND account IN ({', '.join('?' * len(accounts))})", tuple(accounts)
