"""Widgets that act on their own keys in the order the keys were typed.

Textual runs a widget's key bindings only after the key has bubbled up through the
screen to the app, while a text field inserts a printable key as it reads it, and a
priority binding of the screen (`/`) is run before any key queued at a widget. Keys
that arrive in one burst (a fast typist, a paste of keys, `tmux send-keys`) then land
out of order:

- in a field, 'abc' ⌫ ⌫ 'xyz' gave "abcx" (the two Backspaces ran after "xyz" went
  in), 'abc' Ctrl+U 'xyz' gave "", and a time typed over a field's old value could be
  saved as "0";
- in the list, `j / word Enter` moved the cursor after the filter was applied, off
  the row the filter opens on.

- from the list, `n Hello Tab +1h` opened the New form with every field empty: the
  keys after `n` were read by the list before the form was there, and lost (`d y`
  left the question open and copied the link; `e` and `o` in a typed title opened
  the edit form and the browser).

`OrderedKeys` runs the widget's own (non-priority) bindings as the key is read, in the
order of the keys; a widget that is not a text field (the list) runs every binding of
the key where it has focus (its own, its screen's, the app's) and, when one of them
covers the screen with another (a form, a question, the help), waits until that
screen has its focus. A key read after that is handed on to the screen on top, as if
it had come from the terminal then. The list screen waits for the list's queue before
a `/` takes the focus (`MainScreenFilter.action_filter`).

Private API: Textual 8.2's `Widget._bindings` (the widget's own bindings, to which the
user's keymap, `App._keymap`, is applied here as `Screen._binding_chain` applies it) and
`App._check_bindings` (the app's own walk of that chain); textual is pinned <8.3.
`tests/tui/test_forms_more.py` and `tests/tui/test_burst_keys.py` post bursts.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import TYPE_CHECKING

from textual import events
from textual.widget import Widget
from textual.widgets import Input

if TYPE_CHECKING:
    from textual.screen import Screen

    _Mixin = Widget
else:
    # Not a widget class at run time: Textual inherits CSS and component classes along
    # the first base that is a DOM node, which must stay the widget's own (Input's
    # `input--placeholder`, ScrollView's styles).
    _Mixin = object


class OrderedKeys(_Mixin):
    """A widget whose own key bindings act as their key is read (a mixin: put it before
    the widget class)."""

    async def _on_key(self, event: events.Key) -> None:
        app = self.app
        screen = self.screen
        if screen is not app.screen and screen in app.screen_stack:
            # Read with the key that covered this screen: it was meant for the one on
            # top, which has its focus now (see below).
            event.stop()
            event.prevent_default()
            app.post_message(events.Key(event.key, event.character))
            return
        if not isinstance(self, Input):
            # As the app would run them once the key bubbled up to it, but now.
            if await app._check_bindings(event.key):
                event.stop()
                event.prevent_default()
                if app.screen is not screen:
                    await _focused(app.screen)
                return
        elif not event.is_printable:
            bindings = self._bindings
            keymap = self.app._keymap
            if keymap:  # as the screen's binding chain does: the user's keys
                bindings = bindings.copy()
                bindings.apply_keymap(keymap)
            for binding in bindings.key_to_bindings.get(event.key, ()):
                if binding.priority:
                    continue  # the app ran it before handing the key on
                # As the app would run it: through `check_action`; a binding that is
                # off here lets the key go on as before.
                if await self.app.run_action(binding.action, self):
                    event.stop()
                    event.prevent_default()
                    return
        await super()._on_key(event)


class OrderedInput(OrderedKeys, Input):
    """An `Input` (same bindings, messages and styles) whose editing keys act in order
    with the characters typed around them."""


FOCUS_WAIT = 1.0
"""Seconds a key handed on waits at most for the screen on top to take its focus."""


async def _focused(screen: Screen[object]) -> None:
    """Return once `screen`, just pushed, is mounted and has taken its focus: a callback
    queued at it runs after its mount and resume, and one queued at the app after the
    focus it asked for (`Widget.focus` goes through the app). A field can take the focus
    later still (set while its own mount is under way, the focus is dropped and Textual's
    auto-focus gives it at the screen's resume): until a widget has it, a screen with
    something to focus is waited for. Keys handed on before that went to the screen and
    were lost ("n Hello Tab +1h" gave a title of "+1hH", 3 times in 13 in tmux)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + FOCUS_WAIT
    for pump in (screen, screen.app):
        done = asyncio.Event()
        if pump.call_later(done.set):
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(done.wait(), max(0.0, deadline - loop.time()))
    if not any(widget.can_focus for widget in screen.walk_children(Widget)):
        return  # a QR code, a notice: the keys are the screen's own
    while screen.focused is None and loop.time() < deadline:
        await asyncio.sleep(0.01)  # the focus comes with one of the screen's messages
