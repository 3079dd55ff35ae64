"""An `Input` that takes its editing keys in the order they were typed.

Textual's `Input` inserts a printable key as it reads it (`_on_key`), but runs its
editing keys (Backspace, Ctrl+U, Home, ←…) as bindings, which the app reaches only
after the key has bubbled up through the screen. Keys that arrive in one burst (a
fast typist, a paste of keys, `tmux send-keys`) then land out of order: 'abc' ⌫ ⌫
'xyz' gave "abcx" (the two Backspaces ran after "xyz" went in), 'abc' Ctrl+U 'xyz'
gave "" and a time typed over a field's old value could be saved as "0". Here the
field's own bindings run as the key is read, in the order of the keys.

Private API: Textual 8.2's `Widget._bindings` (the widget's bindings after the
user's keymap); textual is pinned <8.3. `tests/tui/test_forms_more.py` posts bursts.
"""

from __future__ import annotations

from textual import events
from textual.widgets import Input


class OrderedInput(Input):
    """An `Input` (same bindings, messages and styles) whose editing keys act in order
    with the characters typed around them."""

    async def _on_key(self, event: events.Key) -> None:
        if not event.is_printable:
            for binding in self._bindings.key_to_bindings.get(event.key, ()):
                if binding.priority:
                    continue  # the app ran it before handing the key on
                event.stop()
                event.prevent_default()
                await self.run_action(binding.action)
                return
        await super()._on_key(event)
