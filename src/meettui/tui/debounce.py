"""Run a callback once things have been quiet for a moment (the cursor rests, typing stops).

Tests and benchmarks cannot see a timer from Pilot (its pause() waits for messages only),
so a Debounce says whether it is `pending` and can be awaited (`settled()`) until it ran.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Protocol

from textual.message_pump import MessagePump
from textual.timer import Timer


class Settling(Protocol):
    """Work a screen defers (a debounce, a pane that follows the cursor): whether it is
    done, and a way to wait until it is. See MeettuiScreen.deferred()."""

    @property
    def is_settled(self) -> bool: ...

    async def settled(self) -> None: ...


class Debounce:
    """Calls `callback` on `owner`'s message loop once `delay` seconds went by without
    another call to `request()`. Each `request()` restarts the wait; the callback runs
    once per quiet period. `flush()` runs it now if it is waiting, `cancel()` drops it.

    `owner` must be mounted (its timers need a running app) when `request()` is called.
    """

    def __init__(self, owner: MessagePump, delay: float, callback: Callable[[], None], *,
                 name: str) -> None:
        self._owner = owner
        self.delay = delay
        self._callback = callback
        self._name = name
        self._timer: Timer | None = None
        self._idle = asyncio.Event()
        self._idle.set()

    @property
    def pending(self) -> bool:
        """True while the callback waits for the quiet period to end."""
        return self._timer is not None

    def request(self) -> None:
        """Ask for the callback after `delay` seconds of quiet (restarting the wait)."""
        self._idle.clear()
        if self._timer is None:
            self._timer = self._owner.set_timer(self.delay, self._fire, name=self._name)
        else:
            self._timer.reset()

    def flush(self) -> None:
        """Run the callback now if it is waiting; nothing otherwise."""
        if self._timer is not None:
            self._timer.stop()
            self._fire()

    def cancel(self) -> None:
        """Forget the waiting call, if any."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        self._idle.set()

    @property
    def is_settled(self) -> bool:
        """The opposite of `pending` (the Settling protocol)."""
        return self._timer is None

    async def settled(self) -> None:
        """Return once no call is waiting (at once when none is)."""
        await self._idle.wait()

    def _fire(self) -> None:
        self._timer = None
        try:
            self._callback()
        finally:
            if self._timer is None:  # the callback may have asked again
                self._idle.set()
