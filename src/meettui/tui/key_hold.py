"""Keys are handled one after the other: a key waits until the one read before it has
been handled, and until a screen just shown has taken its focus.

Textual hands a key to the focused widget, else to the screen, by posting it there: the
keys read in one burst are all posted to the widget that had the focus when they were
read, before the first of them is handled. A key that shows or closes a screen sent the
keys after it where they were not meant to go:

- a form takes its focus a moment after it is pushed (its field's focus goes through
  the app's queue once the form is mounted): in tmux, `n Hello Tab +1h` in one
  send-keys (tmux writes `n` and `Hello` apart) gave a form with nothing typed, or a
  title of "+1hH"; keys held while the list took its focus at start (a burst sent
  before the app was ready) lost the `+1h` after `n Hello Tab`;
- a dialog closed by one key (`?` then Esc, `a` then Esc) left the keys after it at the
  closed dialog: `? Esc n Hello` opened the New form with nothing typed;
- a form closed by its save, once saved: `n Zed Tab Tab Ctrl+S n dy` put `n` in the
  form being saved and `d y` on the list, which deleted the meeting just made.

So a key read while another is on its way, while the screen on top has not had a
focused widget yet, or while it holds the key (`holds_key`: a form saving holds all but
Esc), is held (`holds`), and the held keys go one at a time, in the order
they were read (`Message.time`): each once the one before has gone through every widget
it was posted to (the focused widget, its parents, the screen, the app), and once the
screen on top has its focus (or a second has passed). A widget whose screen was covered
by a key read before (`OrderedKeys`) hands the key back (`take`) with the time it was
read. A screen is waited for only until it has had a focused widget once (or has
nothing to focus): a screen the user has been using is never held up.
"""

from __future__ import annotations

import asyncio
import time
import weakref
from collections.abc import Awaitable, Callable
from typing import Any

from textual import events
from textual.app import App
from textual.screen import Screen

HOLD_AT_MOST = 1.0
"""Seconds a key waits at most for a screen's focus, and for the key before it."""
RECHECK = 0.01
"""Seconds between looks at the screen while keys wait."""


def acts_at_once(app: App[Any], key: events.Key) -> bool:
    """Whether `key` is one a screen holding keys lets through (`holds_key`): Esc, and
    the app's own keys that act over any dialog (Ctrl+Q asks whether to quit while a
    change is under way; held, the question came only once the change was done)."""
    if key.key == "escape":
        return True
    bindings = app._bindings.copy()  # private Textual API (pinned <8.3), as `key_in`
    bindings.apply_keymap(app._keymap)
    return any(binding.priority for binding in bindings.key_to_bindings.get(key.key, ()))


def _holding(screen: Screen[Any], key: events.Key) -> bool:
    """Whether `screen` holds `key` now (its `holds_key`, when it has one)."""
    holds = getattr(screen, "holds_key", None)
    return holds is not None and bool(holds(key))


class KeyHold:
    """The keys `app` holds back, in the order they were read (`Message.time`).

    `deliver` hands one key on as Textual would (the app's own `on_event`)."""

    def __init__(self, app: App[Any], deliver: Callable[[events.Key], Awaitable[None]]):
        self._app = app
        self._deliver = deliver
        self._held: list[events.Key] = []
        self._busy = False
        """A key is on its way, or keys wait: the keys read now are held."""
        self._waiting_since: float | None = None
        self._step = 0
        self._screen: Screen[Any] | None = None
        """The screen the last key was let go to."""
        self._settled: weakref.WeakSet[Screen[Any]] = weakref.WeakSet()

    async def read(self, event: events.Key) -> None:
        """A key read from the terminal: handled now, or held until its turn."""
        if self._busy or not self._ready(self._app.screen, event):
            self.take(event)
            return
        self._screen = self._app.screen
        await self._send(event)

    def take(self, event: events.Key) -> None:
        """Hold `event` (also a key handed on by a widget whose screen was covered, with
        the time it was read): it goes with the others, in order, once its turn comes."""
        self._held.append(event)
        if not self._busy:
            self._busy = True
            self._app.call_later(self._next)

    def _ready(self, screen: Screen[Any], key: events.Key | None = None) -> bool:
        if key is not None and _holding(screen, key):
            # A form saving: it closes once saved, and the keys typed after Ctrl+S are
            # for what is on top then (`n` a new form, the title after it); they went
            # to the form closing, or past it to the list (`d y` deleted a meeting).
            return False
        if screen in self._settled:
            return True
        if screen.is_mounted and (screen.focused is not None or not screen.focus_chain):
            self._settled.add(screen)
            return True
        return False

    async def _next(self) -> None:
        """Let the next held key go, once the screen on top can take it."""
        app = self._app
        if not self._held:
            self._busy = False
            return
        screen = app.screen
        self._held.sort(key=lambda key: key.time)
        if not self._ready(screen, self._held[0]):
            if self._waiting_since is None:
                self._waiting_since = time.monotonic()
            # A screen that holds the key (a save under way) keeps it as long as it
            # runs: let go after a second, the keys after Ctrl+S reached the form, or
            # the list, while a slow provider still saved (`n dy` deleted the meeting).
            if _holding(screen, self._held[0]) \
                    or time.monotonic() - self._waiting_since < HOLD_AT_MOST:
                app.set_timer(RECHECK, self._next)
                return
        self._waiting_since = None
        if screen is not self._screen:
            # Once more through the app's queue: a screen's mount asks for its field's
            # focus there (Widget.focus), after Textual's auto-focus gave it to the
            # form's scrolling body; the keys go after that ask, to the field.
            self._screen = screen
            app.call_later(self._next)
            return
        self._held.sort(key=lambda key: key.time)
        await self._send(self._held.pop(0))

    async def _send(self, event: events.Key) -> None:
        """Hand `event` on, and the next held key once it has been handled."""
        app = self._app
        self._busy = True
        target = app.focused or app.screen
        await self._deliver(event)
        # The key was posted to `target`, which posts it on to its parent once handled
        # (unless it stops there), up to the app: a call queued at each in turn runs
        # after the key went through it.
        path = [node for node in (target, *target.ancestors) if not isinstance(node, App)]
        self._step += 1
        step = self._step
        late = asyncio.get_running_loop().call_later(HOLD_AT_MOST, self._done, step)

        def hop(index: int) -> None:
            while index < len(path):
                if path[index].call_later(hop, index + 1):
                    return
                index += 1  # (closed meanwhile: it passes nothing on)
            late.cancel()
            self._done(step)

        hop(0)

    def _done(self, step: int) -> None:
        """The key of `step` has been handled (or a second has passed): the next one."""
        if step != self._step:
            return
        self._step += 1
        if not self._app.call_later(self._next):
            self._busy = False
