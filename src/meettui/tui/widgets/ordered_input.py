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
the key where it has focus (its own, its screen's, the app's); when one of them
covered the screen with another (a form, a question, the help), a key read after it
is handed on to the app, with the time it was read, as if it came from the terminal;
the app holds keys until a screen just shown has its focus (`tui/key_hold.py`). The
list screen waits for the list's queue before a `/` takes the focus
(`MainScreenFilter.action_filter`).

Private API: Textual 8.2's `Widget._bindings` (the widget's own bindings, to which the
user's keymap, `App._keymap`, is applied here as `Screen._binding_chain` applies it) and
`App._check_bindings` (the app's own walk of that chain); textual is pinned <8.3.
`tests/tui/test_forms_more.py` and `tests/tui/test_burst_keys.py` post bursts.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual.widgets import Input

from meettui.core.display import is_hidden

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
        app = self.app
        screen = self.screen
        if screen is not app.screen and screen in app.screen_stack:
            # Read with the key that covered this screen: it was meant for the one on
            # top, which the app holds it for until that screen has its focus.
            event.stop()
            event.prevent_default()
            hand_on = getattr(app, "hand_on", None)
            if hand_on is not None:
                hand_on(event)  # held with the keys for the top screen, in order read
            else:
                app.post_message(events.Key(event.key, event.character))
            return
        if not isinstance(self, Input):
            # As the app would run them once the key bubbled up to it, but now.
            if await app._check_bindings(event.key):
                event.stop()
                event.prevent_default()
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


HIDDEN_MARK = "\ufffd"
"""What a field draws for a hidden character of its value (`display.is_hidden`)."""


def _drawn(text: str) -> str:
    """`text` as a field draws it: each hidden character one HIDDEN_MARK, so that the
    cursor's cell stays the character's."""
    return "".join(HIDDEN_MARK if is_hidden(char) else char for char in text)


class OrderedInput(OrderedKeys, Input):
    """An `Input` (same bindings, messages and styles) whose editing keys act in order
    with the characters typed around them.

    A hidden character in its value (one pasted: a bidi override, an escape) is drawn
    as HIDDEN_MARK, one cell each, and kept in the value as it is: Input drew it raw,
    and an override reordered what the field showed (the paste-link box's verdict
    refuses such a link; the filter, a form field keep what was given). Private API:
    Textual 8.2's `Input._value` and `Input._position_to_cell` (pinned <8.3)."""

    @property
    def _value(self) -> Text:
        if self.password or self.value.isprintable():
            return super()._value
        text = Text(_drawn(self.value), no_wrap=True, overflow="ignore", end="")
        if self.highlighter is not None:
            text = self.highlighter(text)
        for index, char in enumerate(self.value):
            if is_hidden(char):
                text.stylize("reverse", index, index + 1)
        return text

    def _position_to_cell(self, position: int) -> int:
        if self.password or self.value.isprintable():
            return super()._position_to_cell(position)
        return cell_len(_drawn(self.value[:position]))
