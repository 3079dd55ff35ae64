"""The changes under way: every write a worker sends to a provider (a delete, a cancel,
a provider's action, a save, an edit that replaces the meeting) is registered here while
it runs, so that the screens can say so (the list's status line, the full-screen
detail's line) and quitting asks first instead of dropping it unanswered: quit at once
and nobody learns whether the provider did it, nor does the cache.

`MeettuiApp` inherits this (a mixin: put it before `App`)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.text import Text

from meettui.core.display import ellipsize, named

if TYPE_CHECKING:
    from textual.app import App
    from textual.timer import Timer

    from meettui.core.models import Meeting
    from meettui.core.service import MeetingService
    from meettui.tui.screens.confirm import ConfirmScreen

    _Mixin = App[int]
else:
    # A plain class at run time: MeettuiApp's DOM-node bases, along which Textual reads
    # CSS and bindings, stay App's own (as for `AppThemes`).
    _Mixin = object

log = logging.getLogger("meettui.tui")

EXIT_TERMINATED = 130
"""The app's exit status after SIGTERM (as `meettui list` interrupted: `EXIT_INTERRUPTED`)."""

TITLE_SHOWN = 40
"""The most characters of a title a line about a change under way shows."""
WATCH_EVERY = 0.25
"""Seconds between looks at what the changes under way wait for (`_watch_activity`)."""


@dataclass(eq=False)
class Write:
    """One change a worker has sent to a provider and waits for."""

    doing: str
    """What is done, as a line says it: "Deleting 'Weekly'"."""
    key: tuple[str, str] | None = None
    """The meeting it changes (account, id); None for a new one."""
    account: str | None = None
    """The account it is sent to, whose wait (`MeetingService.activity`: "rate limited,
    retrying in 9 s") the line says beside it."""


def write_on(verb: str, meeting: Meeting) -> Write:
    """The `Write` of `verb` ("Deleting", "Saving") on `meeting`, its title cut short."""
    return Write(f"{verb} {named(ellipsize(meeting.title, TITLE_SHOWN), meeting.id)}",
                 meeting.key, meeting.account)


def under_way_line(writes: list[Write],
                   activity: Callable[[str], str | None] | None = None) -> str:
    """What a line says of the changes under way ("" for none): "Deleting 'X'…", or
    "2 changes under way: Deleting 'X'…; Saving 'Y'…"; with `activity` (an account's
    wait, `MeetingService.activity`), what each waits for: "Saving 'X'… (rate limited,
    retrying in 9 s)"."""
    if not writes:
        return ""

    def said(write: Write) -> str:
        waiting = activity(write.account) if activity and write.account else None
        return f"{write.doing}…" + (f" ({waiting})" if waiting else "")

    each = "; ".join(said(write) for write in writes)
    return each if len(writes) == 1 else f"{len(writes):,} changes under way: {each}"


class AppWrites(_Mixin):
    """The changes under way, and a quit that asks about them (see module docstring)."""

    # Set by MeettuiApp.__init__.
    writes: list[Write]
    """The changes under way, oldest first."""
    _quit_question: ConfirmScreen | None
    """The question "quit anyway?" while it is open."""
    service: MeetingService
    _activity_watch: Timer | None = None
    """The timer that looks at what the changes under way wait for (`_watch_activity`)."""
    _activity_seen: tuple[str | None, ...] = ()

    @contextmanager
    def under_way(self, write: Write) -> Iterator[None]:
        """Around a worker's call to a provider: `write` is under way meanwhile, and
        what it waits for (a 429's Retry-After) is said as it changes."""
        self.writes.append(write)
        self._writes_changed()
        if self._activity_watch is None:
            self._activity_watch = self.set_interval(WATCH_EVERY, self._watch_activity)
        try:
            yield
        finally:
            self.writes.remove(write)
            if not self.writes and self._activity_watch is not None:
                self._activity_watch.stop()
                self._activity_watch, self._activity_seen = None, ()
            self._writes_changed()

    def write_activity(self, account: str | None) -> str | None:
        """What a change sent to `account` waits for now ("rate limited, retrying in
        9 s"), or None (`MeetingService.activity`)."""
        return self.service.activity(account) if account else None

    def _watch_activity(self) -> None:
        """While changes are under way: when what they wait for changes (a 429 came, the
        wait ended), the screens say it anew. The HTTP layer posts nothing to the app:
        a save waited out a Retry-After of 9 s under "saving…" alone."""
        seen = tuple(self.write_activity(write.account) for write in self.writes)
        if seen != self._activity_seen:
            self._activity_seen = seen
            self._writes_changed()

    def _writes_changed(self) -> None:
        from meettui.tui.screens.base import MeettuiModal, MeettuiScreen

        for screen in self.screen_stack:
            if isinstance(screen, MeettuiScreen | MeettuiModal):
                screen.writes_changed()
        question = self._quit_question
        if question is not None and question not in self.screen_stack:
            # Closed without an answer (a save that ended closes what is over its form).
            self._quit_question = question = None
        if not self.writes and question is not None and self.screen is question:
            # Nothing is under way any more: the question no longer applies, and the
            # outcome it was about is said (a toast, the status line).
            question.dismiss(False)

    @contextmanager
    def ended_by_sigterm(self) -> Iterator[None]:
        """While the app runs in it, SIGTERM (`kill`, a session ending) closes the app
        as `q` does, without asking. It killed the process on the spot: the terminal was
        left on the alternate screen in raw mode (typing no longer echoed), and a change
        under way said nothing. Now the terminal is given back, the refresh under way is
        cancelled with the other workers (every page it read is in the cache already:
        each is written as it is read), and stderr says what happened. Set around
        `App.run` by the process that runs the app (not on mount: tests build hundreds
        of apps on one loop); a signal handler runs on the main thread, the event
        loop's, and hands the end to the loop."""
        def terminated(_signum: int, _frame: object) -> None:
            with contextlib.suppress(RuntimeError):  # no loop yet, or no more
                asyncio.get_running_loop().call_soon_threadsafe(self._terminated)

        try:
            previous = signal.signal(signal.SIGTERM, terminated)
        except ValueError:  # not the main thread: nothing changes
            yield
            return
        try:
            yield
        finally:
            signal.signal(signal.SIGTERM, previous)

    def _terminated(self) -> None:
        if self.writes:
            said = "; ".join(write.doing[:1].lower() + write.doing[1:]
                             for write in self.writes)
            message = (f"meettui was stopped (SIGTERM) while a change was under way "
                       f"({said}): whether the provider did it is unknown. `meettui list` "
                       "shows what it has now.")
        else:
            message = ("meettui was stopped (SIGTERM). The meetings it had read are kept "
                       "in the cache.")
        log.warning("%s", message)
        self.exit(return_code=EXIT_TERMINATED, message=Text(message))

    async def action_quit(self) -> None:
        """Quit; while a change is under way, ask first: quit now and its outcome is
        never known here (the worker is dropped before the provider answers, the cache
        keeps the meeting as it was), or wait for it."""
        if not self.writes:
            self.exit()
            return
        if self._quit_question is not None and self._quit_question in self.screen_stack:
            return  # asked already
        from meettui.tui.screens.confirm import ConfirmScreen

        writes = list(self.writes)
        if len(writes) == 1:
            title = f"{writes[0].doing} is under way: quit anyway?"
        else:
            title = (f"{len(writes):,} changes are under way: quit anyway? "
                     + "; ".join(write.doing for write in writes) + ".")
        question = ConfirmScreen(
            title,
            "The provider has the request. Quit now and its outcome will be unknown: "
            "the list goes on showing the meeting as it was until a refresh shows what "
            "the provider did. Wait, and the app stays open until the provider answers "
            "and says how it went.",
            yes="Quit anyway", no="Wait")
        self._quit_question = question

        def answer(quit_now: bool | None) -> None:
            self._quit_question = None
            if quit_now and self.writes:
                said = "; ".join(write.doing[:1].lower() + write.doing[1:]
                                 for write in self.writes)
                log.warning("quit while a change was under way, outcome unknown: %s", said)
                self.exit(message=Text(
                    f"meettui quit while a change was under way ({said}): whether the "
                    "provider did it is unknown. `meettui list` shows what it has now."))
            elif quit_now:
                self.exit()

        self.push_screen(question, answer)
