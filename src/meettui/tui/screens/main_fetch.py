"""The main screen's data flow: a new account scope shows the cache at once and fetches
page one again, as Ctrl+R does; `m` and the list nearing its end fetch the next page.
Each fetch runs in a worker of its own account; the page lands through PageLoaded,
which reloads the list, and a fetch that failed is not retried by the list nearing its
end. A failed fetch the user asked for (Ctrl+R, m) is a toast (several failing: one
toast naming them and their states); one the app started (at
start, for a new scope, near the list's end) is said by the status line, which names
the account's state, and by one short toast for the accounts whose state is news.

`MainScreen` inherits this (it holds the service, the scope and the table)."""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial

from textual import on
from textual.worker import Worker, WorkerState

from meettui.core.display import printable
from meettui.core.errors import MeettuiError, end_sentence
from meettui.core.models import Meeting, Page
from meettui.core.sync import left_out, refused_links
from meettui.tui.messages import PageLoaded, WorkerFailed
from meettui.tui.screens.main_status import MainScreenStatus, failing_word
from meettui.tui.widgets.meeting_table import MeetingTable

ASKED_FAILURES = "asked-fetch-failures"
"""The kind of toast (`notify(replaces=…)`) that says the fetches the user asked for
that failed."""


class MainScreenFetch(MainScreenStatus):
    """The fetch workers of the list screen and what their pages do (see module
    docstring)."""

    def __init__(self) -> None:
        super().__init__()
        self.fetching: set[str] = set()
        self.sub_title_wordings: tuple[str, ...] = ()
        """The sub-title, then shorter wordings of it, for a narrow title line
        (`TitleBar.wordings`)."""
        # Accounts whose last fetch failed: the list nearing its end does not fetch them
        # again by itself (Ctrl+R and m do). It did, once a second: an account that
        # could not be reached beside one that could kept the app at full CPU, each
        # failure's reload setting off the next fetch.
        self.fetch_failed: set[str] = set()
        # Accounts whose fetch under way the user asked for: its failure is a toast.
        self.asked: set[str] = set()
        # The state each account's failed background fetch left, not said yet; and the
        # state last said of each account (said again only when it changes: switching
        # the scope refetched and repeated every failure, one toast an account).
        self._unsaid: dict[str, str] = {}
        self._said: dict[str, str] = {}
        # Fetches that failed and whose failure has not reached this screen yet: their
        # PageLoaded (which ends `fetching`) comes before it.
        self._failing: set[str] = set()
        # The state word of each account whose fetch the user asked for failed since
        # the last Ctrl+R / m: from the second, one toast names them all.
        self._asked_failed: dict[str, str] = {}

    def _scope_changed(self, scope: str | None) -> None:
        self.scope_changed()

    def scope_changed(self) -> None:
        """The account scope changed: show the cache at once, then refresh page one."""
        main = self._main
        # The shorter wordings first: the title line reads them when the sub-title
        # changes (`TitleBar.wordings`).
        self.sub_title_wordings = self.app.scope_labels()
        self.sub_title = self.sub_title_wordings[0]
        leaving = main.selected
        main.table.show_account = len(main.scope) > 1
        main.table.reload()
        self.restore_cursor(leaving)
        main._update_header()
        self.update_status()
        self._fetch_page_one()

    def cache_replaced(self) -> None:
        """The damaged cache was set aside for a fresh one (`AppNotifications`): show
        the fresh one and fetch every account in view again, as for a new scope."""
        self.fetch_failed.clear()
        self.scope_changed()

    def action_refresh(self) -> None:
        """Ctrl+R / F5: read the cache again now (another meettui may have written to
        it: `meettui create` in a shell) and fetch page one of every remote account in
        view again. Says what it does: a fetch that answers at once, or an account
        whose meetings live on this machine (Jitsi), would otherwise show nothing."""
        main = self._main
        self.accounts_picked_up()
        main.table.reload()
        self._asked_failed.clear()
        said = self.cache_read_only("what a refresh fetches")
        if said is not None:
            # Read again, nothing fetched: it could not be kept.
            self.app.notify(said, title="Not refreshed", severity="warning")
            self.update_status()
            return
        fetched = self._fetch_page_one(asked=True)
        local = [name for name in main.scope if name not in fetched]
        parts = [f"fetching {', '.join(fetched)} again"] if fetched else []
        if local:
            parts.append(f"{', '.join(local)} read again from this machine's cache")
        self.app.notify(f"Refresh: {'; '.join(parts)}.", title="Refresh")
        self.update_status()  # the count read again, with no fetch to wait for

    def accounts_picked_up(self) -> bool:
        """Accounts the cache holds now that this app did not list (another process
        imported a link, `meettui import`): listed from now on, as at start. True when
        there was one (the caller reads the list again)."""
        if not self.app.cache_read(self._main.service.pick_up_accounts, False):
            return False
        self._main.table.show_account = len(self._main.scope) > 1
        return True

    def _fetch_page_one(self, *, asked: bool = False) -> list[str]:
        """Start fetching page one of every remote account in view; their names.
        `asked`: the user asked for it (Ctrl+R)."""
        main = self._main
        if main.service.cache.read_only is not None:
            return []  # nothing fetched could be kept (the start-up warning said so)
        fetched = [name for name in main.scope
                   if main.service.capabilities(name).remote_list]
        for name in fetched:
            self._start_fetch(name, first=True, asked=asked)
        return fetched

    def action_load_more(self) -> None:
        """m: fetch the next page of every account in view not read to its end. With
        none, it says so: it did nothing visible."""
        self._asked_failed.clear()
        said = self.cache_read_only("what the next page holds")
        if said is not None:
            self.app.notify(said, title="Not loaded", severity="warning")
            return
        if self._load_more(retry_failed=True, asked=True):
            return
        main = self._main
        refresh = main._key_shown("list.refresh") or "Ctrl+R"
        self.app.notify(f"Every meeting is loaded: nothing more to fetch. {refresh} "
                        "(Refresh) reads the first page again.", title="All loaded",
                        timeout=5, replaces="load-more")

    def _load_more(self, *, retry_failed: bool, asked: bool = False) -> list[str]:
        """Fetch the next page of the accounts in view with a page still to fetch (the
        walk under way, or page one); their names."""
        main = self._main
        started: list[str] = []
        if main.service.cache.read_only is not None:
            return started
        for name in main.scope:
            if not retry_failed and name in self.fetch_failed:
                continue
            state = self.app.cache_read(partial(main.service.sync_state, name), None)
            if state is not None and main.service.capabilities(name).remote_list \
                    and state.to_fetch:
                self._start_fetch(name, first=False, asked=asked)
                started.append(name)
        return started

    def _start_fetch(self, name: str, *, first: bool, asked: bool = False) -> None:
        if asked:
            self.asked.add(name)  # the fetch under way too, if this one waits for it
        if not first and name in self.fetching:
            return
        if not asked:
            self.asked.discard(name)
        self.fetching.add(name)
        self.update_status()
        self.run_worker(
            self._fetch(name, first),
            group=f"fetch:{name}",
            exclusive=True,
            exit_on_error=False,
            description=f"{'refresh' if first else 'next page'} {name}",
        )

    async def _fetch(self, name: str, first: bool) -> None:
        main = self._main
        page: Page | None = None
        try:
            if first:
                page = await main.service.refresh(name)
            else:
                page = await main.service.load_more(name)
        except Exception:
            self.fetch_failed.add(name)
            self._failing.add(name)
            raise
        else:
            self.fetch_failed.discard(name)
            self._said.pop(name, None)  # a failure after this one is news again
        finally:
            self.post_message(PageLoaded(name))
        if page is None:
            return
        refused = refused_links(page.items)
        if page.skipped or refused:
            # In the words `meettui accounts` gives the same page (`sync.left_out`).
            said = end_sentence(printable(left_out(page.skipped, refused)))
            self.app.notify(f"{name}: {said} The rest of the list is fine.",
                            severity="warning", timeout=10)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        # Worker state messages do not bubble: this screen's failures are told by the app.
        if event.state != WorkerState.ERROR:
            return
        error, description = event.worker.error, event.worker.description
        group = event.worker.group
        if not group.startswith("fetch:"):
            self.app.post_message(WorkerFailed(error, description))
            self.update_status()
            return
        name = group.removeprefix("fetch:")
        # That account only: clearing them all restarted the fetch of an account still
        # waiting for its answer (a new request, the old one dropped), and one that
        # never answered never got to say so.
        self.fetching.discard(name)
        self._failing.discard(name)
        asked = name in self.asked
        self.asked.discard(name)
        info = self.app.cache_read(partial(self._main.service.account_info, name), None)
        word = failing_word(info.health) if info is not None else None
        if word is not None and not asked and isinstance(error, MeettuiError):
            # The status line says it: three accounts failing at start stacked three
            # error toasts over half the list. The whole message is in the log, and
            # the accounts screen says why.
            self.app.report_failure(error, description, toast=False)
            self._unsaid[name] = word
        elif word is not None and isinstance(error, MeettuiError):
            self._said[name] = word
            self._say_asked_failure(name, word, error, description)
        else:
            self.app.post_message(WorkerFailed(error, description))
            if word is not None:
                self._said[name] = word
        self._say_background_failures()
        self.update_status()

    def _in_scope_order(self, names: Iterable[str]) -> list[str]:
        """`names` in the list's order of accounts (any not in view last)."""
        order = {name: i for i, name in enumerate(self._main.scope)}
        return sorted(names, key=lambda name: order.get(name, len(order)))

    def _say_asked_failure(self, name: str, word: str, error: MeettuiError,
                           description: str) -> None:
        """A fetch the user asked for failed: its whole message as a toast, unless
        another asked fetch failed before it since that Ctrl+R / m. Then one toast names
        them all and replaces the one before: at 80x24, five accounts failing stacked
        five toasts over the list, the first ones pushed off the top of the screen. Each
        message is kept whole in the log; the accounts screen says why."""
        self._asked_failed[name] = word
        if len(self._asked_failed) == 1:
            self.app.report_failure(error, description, replaces=ASKED_FAILURES)
            return
        self.app.report_failure(error, description, toast=False)
        names = self._in_scope_order(self._asked_failed)
        states = "; ".join(f"{account}: {self._asked_failed[account]}" for account in names)
        accounts = self._key_shown("app.accounts") or "a"
        self.app.notify(f"{len(names)} accounts not refreshed ({states}). The list shows "
                        f"what is cached; {accounts} (Accounts) says why.",
                        title="Not refreshed", severity="error", timeout=10,
                        replaces=ASKED_FAILURES, record=False)

    def _say_background_failures(self) -> None:
        """Once no fetch is under way: one short toast naming the accounts whose
        background fetch failed with a state not said before."""
        if self.fetching or self._failing or not self._unsaid:
            return
        news = {name: word for name, word in self._unsaid.items()
                if self._said.get(name) != word}
        self._unsaid.clear()
        if not news:
            return
        self._said.update(news)
        # In the list's order of accounts, those in one state together: "advice, wb2:
        # offline; ey: needs credentials".
        grouped: dict[str, list[str]] = {}
        for name in self._in_scope_order(news):
            grouped.setdefault(news[name], []).append(name)
        states = "; ".join(f"{', '.join(names)}: {word}" for word, names in grouped.items())
        accounts = self._key_shown("app.accounts") or "a"
        refresh = self._key_shown("list.refresh") or "Ctrl+R"
        self.app.notify(f"{states}. The list shows what is cached; {accounts} (Accounts) "
                        f"says why, {refresh} tries again.", title="Not refreshed",
                        severity="warning", timeout=6)

    @on(PageLoaded)
    def _page_loaded(self, message: PageLoaded) -> None:
        main = self._main
        self.fetching.discard(message.account)
        picked_up = self.accounts_picked_up()
        self._say_background_failures()
        # The page's rows are only noted for the filter's index: index them in a thread
        # (a worker of its own, which a new fetch does not cancel).
        self._index_in_background()
        if message.account in main.scope or picked_up:
            main.table.reload(keep=self._followed(message.written))
            selected = main.selected
            if selected is not None and selected.account == message.account:
                main.show_detail(selected)  # the row may have changed under the cursor
        self.update_status()

    def _followed(self, written: Meeting | None) -> Meeting | None:
        """The meeting the cursor keeps as a page lands: after a change to `written`
        (None: a fetch), the one under the cursor, which is `written` unless the user
        moved on meanwhile. A list the user has not moved in followed its opening row
        (`MeetingTable.reload`), and a meeting cancelled there was no longer that row:
        the cursor jumped to the next meeting, and a second `d` acted on it. Gone from
        the list (deleted), the cursor keeps its row: a neighbour takes it."""
        if written is None:
            return None
        selected = self._main.selected
        return selected if selected is not None and selected.key != written.key else written

    @on(MeetingTable.NearEnd)
    def _near_end(self) -> None:
        self._load_more(retry_failed=False)
