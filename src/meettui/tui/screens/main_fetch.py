"""The main screen's data flow: a new account scope shows the cache at once and fetches
page one again, as Ctrl+R does; `m` and the list nearing its end fetch the next page.
Each fetch runs in a worker of its own account; the page lands through PageLoaded,
which reloads the list, and a fetch that failed is told by the app and not retried by
the list nearing its end.

`MainScreen` inherits this (it holds the service, the scope and the table)."""

from __future__ import annotations

from functools import partial

from textual import on
from textual.worker import Worker, WorkerState

from meettui.core.display import printable
from meettui.core.models import Page
from meettui.tui.messages import PageLoaded, WorkerFailed
from meettui.tui.screens.main_status import MainScreenStatus
from meettui.tui.widgets.meeting_table import MeetingTable


class MainScreenFetch(MainScreenStatus):
    """The fetch workers of the list screen and what their pages do (see module
    docstring)."""

    def __init__(self) -> None:
        super().__init__()
        self.fetching: set[str] = set()
        # Accounts whose last fetch failed: the list nearing its end does not fetch them
        # again by itself (Ctrl+R and m do). It did, once a second: an account that
        # could not be reached beside one that could kept the app at full CPU, each
        # failure's reload setting off the next fetch.
        self.fetch_failed: set[str] = set()

    def _scope_changed(self, scope: str | None) -> None:
        self.scope_changed()

    def scope_changed(self) -> None:
        """The account scope changed: show the cache at once, then refresh page one."""
        main = self._main
        self.sub_title = self.app.scope_label()
        leaving = main.selected
        main.table.show_account = len(main.scope) > 1
        main.table.reload()
        self.restore_cursor(leaving)
        main._update_header()
        self.update_status()
        self._fetch_page_one()

    def action_refresh(self) -> None:
        """Ctrl+R / F5: read the cache again now (another meettui may have written to
        it: `meettui create` in a shell) and fetch page one of every remote account in
        view again. Says what it does: a fetch that answers at once, or an account
        whose meetings live on this machine (Jitsi), would otherwise show nothing."""
        main = self._main
        main.table.reload()
        fetched = self._fetch_page_one()
        local = [name for name in main.scope if name not in fetched]
        parts = [f"fetching {', '.join(fetched)} again"] if fetched else []
        if local:
            parts.append(f"{', '.join(local)} read again from this machine's cache")
        self.app.notify(f"Refresh: {'; '.join(parts)}.", title="Refresh")

    def _fetch_page_one(self) -> list[str]:
        """Start fetching page one of every remote account in view; their names."""
        main = self._main
        fetched = [name for name in main.scope
                   if main.service.capabilities(name).remote_list]
        for name in fetched:
            self._start_fetch(name, first=True)
        return fetched

    def action_load_more(self) -> None:
        """m: fetch the next page of every account in view not read to its end."""
        self._load_more(retry_failed=True)

    def _load_more(self, *, retry_failed: bool) -> None:
        main = self._main
        for name in main.scope:
            if not retry_failed and name in self.fetch_failed:
                continue
            state = self.app.cache_read(partial(main.service.sync_state, name), None)
            if state is not None and main.service.capabilities(name).remote_list \
                    and not state.complete:
                self._start_fetch(name, first=False)

    def _start_fetch(self, name: str, *, first: bool) -> None:
        if not first and name in self.fetching:
            return
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
            raise
        else:
            self.fetch_failed.discard(name)
        finally:
            self.post_message(PageLoaded(name))
        if page is not None and page.skipped:
            count = len(page.skipped)
            self.app.notify(
                f"{name}: {count} meeting{'s' if count != 1 else ''} could not be read and "
                f"{'were' if count != 1 else 'was'} left out ({printable(page.skipped[0])}). "
                "The rest of the list is fine.", severity="warning", timeout=10)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        # Worker state messages do not bubble: this screen's failures are told by the app.
        if event.state != WorkerState.ERROR:
            return
        self.app.post_message(WorkerFailed(event.worker.error, event.worker.description))
        group = event.worker.group
        if group.startswith("fetch:"):
            # That account only: clearing them all restarted the fetch of an account
            # still waiting for its answer (a new request, the old one dropped), and one
            # that never answered never got to say so.
            self.fetching.discard(group.removeprefix("fetch:"))
        self.update_status()

    @on(PageLoaded)
    def _page_loaded(self, message: PageLoaded) -> None:
        main = self._main
        self.fetching.discard(message.account)
        # The page's rows are only noted for the filter's index: index them in a thread
        # (a worker of its own, which a new fetch does not cancel).
        self._index_in_background()
        if message.account in main.scope:
            main.table.reload()
            selected = main.selected
            if selected is not None and selected.account == message.account:
                main.show_detail(selected)  # the row may have changed under the cursor
        self.update_status()

    @on(MeetingTable.NearEnd)
    def _near_end(self) -> None:
        self._load_more(retry_failed=False)
