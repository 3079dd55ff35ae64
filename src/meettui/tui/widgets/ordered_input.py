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

`OrderedKeys` runs the widget's own (non-priority) bindings as the key is read, in the
order of the keys; the list screen waits for the list's queue before a `/` takes the
focus (`MainScreenFilter.action_filter`).

Private API: Textual 8.2's `Widget._bindings` (the widget's own bindings, to which the
user's keymap, `App._keymap`, is applied here as `Screen._binding_chain` applies it);
textual is pinned <8.3. `tests/tui/test_forms_more.py` posts bursts.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import events
from textual.widgets import Input

if TYPE_CHECKING:
    from textual.widget import Widget

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
        if not event.is_printable or not isinstance(self, Input):
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
