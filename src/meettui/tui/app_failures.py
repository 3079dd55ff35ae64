"""The app's failures, in one place: every failure (a worker's, a read of the cache)
goes through `report_failure`, titled by `failure_title`, and becomes a notification
(`notifications.py`); a read of the cache made while the app runs goes through
`cache_read`, which keeps the app going when the file fails or another process holds
it, and sets a damaged file aside.

`MeettuiApp` inherits this (a mixin: put it before `App`)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from textual.worker import Worker, WorkerState

from meettui.core.errors import (
    CacheBusy,
    CacheError,
    ConfigError,
    GoneUpstream,
    MeettuiError,
    NotSupported,
    ProviderError,
    ValidationError,
    maybe_done,
)
from meettui.tui.messages import WorkerFailed

if TYPE_CHECKING:
    from textual.timer import Timer

    from meettui.core.service import MeetingService
    from meettui.tui.notifications import AppNotifications

    _Mixin = AppNotifications  # its `notify` (toast, replaces, shown) is the one called
else:
    # A plain class at run time: MeettuiApp's DOM-node bases stay App's own.
    _Mixin = object

T = TypeVar("T")

log = logging.getLogger("meettui.tui")


class _Same:
    """`cache_read`'s `busy` when not given: the fallback."""


SAME = _Same()

BUSY_RETRY = 1.0
"""Seconds between reads of a cache another process holds (`cache_busy_now`)."""


class AppFailures(_Mixin):
    """Failure reports and guarded cache reads of the app (see module docstring)."""

    # Set by MeettuiApp.__init__ (see there).
    service: MeetingService
    _cache_failures: set[str]
    cache_busy: bool
    """Whether the last read found the cache held by another process (`cache_read`)."""
    _busy_retry: Timer | None
    log_problem: str | None

    def cache_read(self, read: Callable[[], T], fallback: T, *,
                   busy: T | _Same = SAME) -> T:
        """`read()`, a read of the cache made while the app runs, or `fallback` when the
        cache fails (`CacheError`: damage found in a part of the file not read before, a
        disk error): the app goes on with what it shows, and says what happened and
        what to do once per distinct failure, not at every keystroke that reads again.
        The file is left as it is.

        A read on the app's thread never waits for the file (`Cache.never_wait_on`):
        one that another process keeps from it now (CacheBusy) gives `busy` (the
        fallback unless given: a caller that keeps what it shows says so), the status
        line says the cache is busy, and the screens read again a moment later
        (`cache_busy_now`)."""
        try:
            return read()
        except CacheBusy:
            self.cache_busy_now()
            return fallback if isinstance(busy, _Same) else busy
        except CacheError as exc:
            self.report_failure(exc, "cache read")
            return fallback

    def cache_busy_now(self) -> None:
        """Another process holds the cache: say so on the screens' status lines (each
        asks `cache_busy`), and read again in `BUSY_RETRY` seconds, until it lets go."""
        first = not self.cache_busy
        self.cache_busy = True
        if self._busy_retry is None:
            self._busy_retry = self.set_timer(BUSY_RETRY, self.cache_retry, name="cache busy")
        if first:
            # Not now: this may be a read in the middle of a screen's reload.
            self.call_later(self._screens_read_again)

    def cache_retry(self) -> None:
        """Read the cache again on every screen (it was busy): a read that still finds
        it held says so again and waits for the next try."""
        self._busy_retry = None
        self.cache_busy = False
        self._screens_read_again()

    def _screens_read_again(self) -> None:
        from meettui.tui.screens.base import MeettuiScreen

        for screen in self.screen_stack:
            if isinstance(screen, MeettuiScreen):
                screen.cache_busy_changed()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR:
            self.report_failure(event.worker.error, event.worker.description)

    def on_worker_failed(self, message: WorkerFailed) -> None:
        self.report_failure(message.error, message.description)

    def report_failure(self, error: BaseException | None, description: str, *,
                       title: str | None = None, toast: bool = True,
                       replaces: str | None = None) -> None:
        """The one place worker failures are turned into messages, titled `title` or
        by `failure_title`. A failing cache is shown once per distinct message: every
        read after it fails the same way. `toast=False`: a meettui error the screen
        says another way (a background fetch's, in the status line) is only kept in
        `messages` and the log; anything else is still a toast. `replaces`: the kind of
        toast it takes the place of (`notify`)."""
        if isinstance(error, CacheBusy):
            # A write that waited in its thread and still found the cache held: said
            # once while it stays busy (the status line says it meanwhile).
            said = self.cache_busy
            self.cache_busy_now()
            if said:
                return
        elif isinstance(error, CacheError):
            if error.damaged is not None and self._set_cache_aside(error):
                return
            if error.message in self._cache_failures:
                return
            self._cache_failures.add(error.message)
        if isinstance(error, MeettuiError):
            self.notify(error.as_lines(), title=title or failure_title(error), severity="error",
                        timeout=10, toast=toast, replaces=replaces)
        else:
            log.error("worker %s failed", description, exc_info=error)
            where = ("Details are in the log (`meettui locate log`)."
                     if self.log_problem is None else
                     "Its details are not kept: the log cannot be written this run (see "
                     "the start-up warnings).")
            self.notify(f"Something went wrong: {type(error).__name__}: {error}. {where}",
                        severity="error", timeout=10)

    def _set_cache_aside(self, error: CacheError) -> bool:
        """Damage found in the cache while the app runs: the file is moved aside and a
        fresh cache started, as the next start would do (README, "Where data lives"),
        and the screens read it and fetch again. The app read on from the damaged file:
        its list kept the old count, and a filter over the damage said "0 meetings"
        without a word once the first "Cache error" had been shown. False when the
        file could not be set aside (`error` is then said as any other)."""
        try:
            notice = self.service.cache.start_afresh(error)
        except ConfigError as exc:
            self.notify(exc.as_lines(), title="Cache error", severity="error", timeout=20)
            return False
        if notice is not None:
            # Said short: the two paths split over the toast's lines and the end was
            # cut at 80x24. The whole notice is in the log.
            self.notify(notice, title="Cache", severity="warning", timeout=20,
                        shown="The cache failed and was moved aside; meettui started a "
                              "fresh one and fetches the meetings again. The log says "
                              "where it went (`meettui locate log`).")
            self._cache_failures.clear()  # said of the old file
            self.call_later(self._cache_replaced)
        # None: a read of the file set aside already (its reader was under way).
        return True

    def _cache_replaced(self) -> None:
        from meettui.tui.screens.base import MeettuiScreen

        for screen in self.screen_stack:
            if isinstance(screen, MeettuiScreen):
                screen.cache_replaced()


def failure_title(error: MeettuiError) -> str:
    """The title of the toast that shows `error`: what failed, in the user's words; for
    a change whose outcome is not known, that it may have been done (the message says
    so: a title saying it failed would invite doing it twice)."""
    maybe = maybe_done(error, "done")
    if maybe is not None:
        return maybe
    if isinstance(error, CacheBusy):
        return "Cache busy"
    if isinstance(error, CacheError):
        return "Cache error"
    if isinstance(error, ConfigError):
        return "Configuration error"
    if isinstance(error, NotSupported):
        return "Not supported"
    if isinstance(error, GoneUpstream):
        return "Gone"  # (as the form titles an edit of a meeting removed elsewhere)
    if isinstance(error, ValidationError):
        # A value refused, by meettui's own check (before or without a call) or by the
        # provider: a value to correct, not a provider failing ("Provider error" titled
        # meettui's own "No host named 'x'").
        return "Not accepted"
    if isinstance(error, ProviderError):
        return "Provider error"
    return "meettui"

