"""Keys that arrive while a screen just shown has not taken its focus yet wait for it.

Textual hands a key to the focused widget, else to the screen. A form takes its focus a
moment after it is pushed (its field's focus goes through the app's queue once the form
is mounted), and the keys typed right after the key that opened it reached the form
itself and were lost: in tmux, `n Hello Tab +1h` in one send-keys (tmux writes `n` and
`Hello` apart) gave a form with nothing typed, or a title of "+1hH". The list hands on
the keys it read after such a key (`OrderedKeys`); those carry the time they were read,
and every held key is let go in that order once the screen has a focused widget (or a
second has passed).

A screen is waited for only until it has had a focused widget once (or has nothing to
focus): a screen the user has been using is never held up.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
import weakref
from collections.abc import Awaitable, Callable
from typing import Any

from textual import events
from textual.app import App
from textual.screen import Screen

HOLD_AT_MOST = 1.0
"""Seconds a key waits at most for a screen's focus."""
RECHECK = 0.01
"""Seconds between looks at the screen while keys wait."""


class KeyHold:
    """The keys `app` holds back, in the order they were read (`Message.time`).

    `deliver` hands one key on as Textual would (the app's own `on_event`)."""

    def __init__(self, app: App[Any], deliver: Callable[[events.Key], Awaitable[None]]):
        self._app = app
        self._deliver = deliver
        self._held: list[events.Key] = []
        self._since = 0.0
        self._settled: weakref.WeakSet[Screen[Any]] = weakref.WeakSet()

    def holds(self, event: events.Key) -> bool:
        """Hold `event` back (True), or let the app handle it now (False)."""
        if not self._held and self._ready(self._app.screen):
            return False
        self.take(event)
        return True

    def take(self, event: events.Key) -> None:
        """Hold `event`, a key handed on by a widget whose screen was covered (with the
        time it was read): it goes with the others, in order, to the screen on top."""
        if not self._held:
            self._since = time.monotonic()
            self._app.set_timer(RECHECK, self._release)
        self._held.append(event)

    def _ready(self, screen: Screen[Any]) -> bool:
        if screen in self._settled:
            return True
        if screen.is_mounted and (screen.focused is not None or not screen.focus_chain):
            self._settled.add(screen)
            return True
        return False

    async def _release(self) -> None:
        app = self._app
        if not self._ready(app.screen) and time.monotonic() - self._since < HOLD_AT_MOST:
            app.set_timer(RECHECK, self._release)
            return
        # The widgets under the top screen hand on the keys they read before it came
        # (`take`): they go first, and they are read now.
        for screen in app.screen_stack[:-1]:
            if screen.focused is not None:
                done = asyncio.Event()
                if screen.focused.call_later(done.set):
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(done.wait(), HOLD_AT_MOST)
        # Once more through the app's queue: a screen's mount asks for its field's
        # focus there (Widget.focus), after Textual's auto-focus gave it to the form's
        # scrolling body; the keys go after that ask, to the field.
        app.call_later(self._let_go)

    async def _let_go(self) -> None:
        held, self._held = sorted(self._held, key=lambda key: key.time), []
        for event in held:
            await self._deliver(event)
