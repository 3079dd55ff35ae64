"""How a screen names a key of its bindings: the key in effect after the user's
[keymap], as the footer shows it (`key_in`) or as Textual names it (`key_name_in`), and
said as a button says it (`spoken_key`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from textual.app import App
    from textual.binding import BindingsMap


def _mapped(app: App[Any], bindings: BindingsMap) -> BindingsMap:
    """`bindings` after the keymap in effect (private Textual API, pinned <8.3)."""
    keymap = app._keymap
    if not keymap:
        return bindings
    bindings = bindings.copy()
    bindings.apply_keymap(keymap)
    return bindings


def key_in(app: App[Any], bindings: BindingsMap, binding_id: str) -> str | None:
    """The first key of `bindings` (a screen's or the app's own) for `binding_id`, after
    the user's [keymap], as the footer shows it; None when none binds it. Read from the
    bindings themselves, which works before a screen's `active_bindings` exist (a hint
    composed with its screen)."""
    for bound in _mapped(app, bindings).key_to_bindings.values():
        for binding in bound:
            if binding.id == binding_id:
                return app.get_key_display(binding)
    return None


_KEY_WORDS = {"escape": "Esc", "enter": "Enter", "space": "Space", "tab": "Tab",
              "backspace": "Backspace", "delete": "Del", "ctrl": "Ctrl", "shift": "Shift",
              "alt": "Alt", "super": "Super", "meta": "Meta"}


def spoken_key(key: str) -> str:
    """A Textual key name as a button says it: `ctrl+s` → "Ctrl+S", `escape` → "Esc",
    `y` → "y", `question_mark` → "?"."""
    from textual.keys import key_to_character

    *modifiers, last = key.split("+")
    if last in _KEY_WORDS:
        said = _KEY_WORDS[last]
    else:
        character = key_to_character(last) if len(last) > 1 else last
        said = (character.upper() if modifiers else character) \
            if character and character.isprintable() and not character.isspace() \
            else last.replace("_", " ").title()
    return "+".join([*(_KEY_WORDS.get(m, m.title()) for m in modifiers), said])


def key_name_in(app: App[Any], bindings: BindingsMap, binding_id: str) -> str | None:
    """The first key (Textual's name for it) of `bindings` for `binding_id`, after the
    user's [keymap] (as `key_in`); None when none binds it."""
    for key, bound in _mapped(app, bindings).key_to_bindings.items():
        if any(binding.id == binding_id for binding in bound):
            return key
    return None
