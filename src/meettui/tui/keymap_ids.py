"""What `[keymap]` may not do with the ids, and what is said when it tries.

- An id meettui does not have is named with the listed id it most likely meant
  (`list.pagedown` → `list.page_down`): the warning said "`?` lists the ids", and the
  help lists none.
- The app-wide keys (Quit, with Textual's own Ctrl+Q; Help; the command palette;
  Suspend) stay theirs: a screen's binding runs before the app's, so
  `"app.quit" = "ctrl+q"` with `"copy.viewer" = "^q"` left no key that quits (Ctrl+Q
  copied the viewer link, and the Ctrl+C hint named it). The key is left out of the
  other entry, and said.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from textual.binding import BindingsMap, Keymap, KeymapApplyResult

from meettui.tui.keymap import (
    _and,
    _binding_places,
    _own_bindings,
    binding_ids,
    binding_name,
    shown_key,
)

BUILT_IN_QUIT = "ctrl+q"
"""Textual's own key for Quit, on every screen and dialog."""

WHERE_IDS_ARE = "the README lists every id under \"Every key has an id\""
"""Where a user finds the ids (the help shows keys, not ids)."""

# Words a user may write for an action, and the word meettui's id uses for it.
_SYNONYMS = {"next": "down", "previous": "up", "prev": "up", "pagedown": "page_down",
             "pageup": "page_up", "pgdn": "page_down", "pgup": "page_up", "exit": "quit",
             "close": "cancel", "cancel": "close", "top": "first", "bottom": "last",
             "search": "filter", "enter": "switch", "select": "switch"}


def meant_id(unknown: str, known: set[str] | None = None) -> str | None:
    """The id of `known` (every id: `binding_ids()`) that `unknown` most likely meant:
    its closest spelling, its action word said another way (`accounts.next` →
    `accounts.down`), or the only id with its action on another screen; None when
    nothing is close."""
    import difflib  # (here: only a typo in [keymap] needs it, not every start)

    known = known if known is not None else binding_ids()
    screen, _, word = unknown.rpartition(".")
    tried = [unknown]
    if word in _SYNONYMS:
        tried.insert(0, f"{screen}.{_SYNONYMS[word]}")
    for name in tried:
        if name in known:
            return name
    best: tuple[float, str] | None = None
    for name in tried:
        for candidate in difflib.get_close_matches(name, sorted(known), n=1, cutoff=0.7):
            score = difflib.SequenceMatcher(None, name, candidate).ratio()
            if best is None or score > best[0]:
                best = (score, candidate)
    return best[1] if best else None


def unknown_ids_warning(unknown: list[str]) -> str:
    """The start-up warning for `[keymap]` ids meettui does not have: each with the
    listed id it most likely meant, and where the ids are."""
    known = binding_ids()
    said = []
    for name in unknown:
        maybe = meant_id(name, known)
        said.append(f"{name} (did you mean {maybe}?)" if maybe else name)
    return (f"[keymap] has unknown key ids: {', '.join(said)}; their entries are left "
            f"out. {WHERE_IDS_ARE[0].upper()}{WHERE_IDS_ARE[1:]}.")


def _app_wide() -> list[Any]:
    """The app's own bindings, which answer on every screen, Quit's first (Textual's
    Ctrl+Q among them): all but Ctrl+C's hint, which only says how to quit."""
    from meettui.tui.app import MeettuiApp

    bindings = [b for b in _own_bindings(MeettuiApp) if b.action != "help_quit"]
    return sorted(bindings, key=lambda b: b.action != "quit")


def _keys(written: str) -> list[str]:
    return [key.strip() for key in written.split(",") if key.strip()]


def keep_app_keys(keymap: dict[str, str]) -> tuple[dict[str, str], list[str]]:
    """`keymap` (id -> keys as Textual names them, `check_keymap`'s) without the keys it
    newly gives an id that an app-wide binding (`_app_wide`) has after the keymap, and
    one warning for each entry that lost keys. An entry left with no key is left out,
    its default keys staying (as for a key no one can press).

    A binding of a screen or a widget runs before the app's, so such a key would stop
    doing the app's action on every screen that has the other binding; for Quit that
    left no key to quit. Between app-wide bindings, Quit keeps its keys first."""
    kept = dict(keymap)
    said: list[str] = []
    held: dict[str, Any] = {}  # key -> the app-wide binding that has it

    def drop(ident: str, default: list[str], named: str) -> None:
        keys = _keys(kept[ident])
        lost = [k for k in keys if k not in default and k in held
                and held[k].action.removeprefix("app.") != action_of.get(ident)]
        if not lost:
            return
        left = [k for k in keys if k not in lost]
        if left:
            kept[ident] = ",".join(left)
            stays = f"{ident} answers to {_and([shown_key(k) for k in left])} only"
        else:
            del kept[ident]
            stays = f"{ident} keeps its default {_and([shown_key(k) for k in default])}"
        owners = _and(sorted({binding_name(held[k]) for k in lost}))
        said.append(f"[keymap] gives {_and([shown_key(k) for k in lost])} to {named}, but "
                    f"{owners} {'has' if len(lost) == 1 else 'have'} "
                    f"{'it' if len(lost) == 1 else 'them'} on every screen, and "
                    f"keep{'s' if len(lost) == 1 else ''} "
                    f"{'it' if len(lost) == 1 else 'them'}: {stays}. Choose another "
                    f"key for {ident}.")

    # What each id does, to let a key go where it does the same (the screens' own
    # `app.help`, Textual's Ctrl+Q for `app.quit`).
    action_of: dict[str, str] = {}
    defaults: dict[str, list[str]] = {}
    names: dict[str, str] = {}
    for owners in _binding_places().values():
        for owner in owners:
            for binding in _own_bindings(owner):
                if getattr(binding, "id", None):
                    action_of.setdefault(binding.id, binding.action.removeprefix("app."))
                    defaults.setdefault(binding.id, [])
                    defaults[binding.id] += [k for k in _keys(binding.key)
                                             if k not in defaults[binding.id]]
                    names.setdefault(binding.id, binding_name(binding))
    app_ids = []
    for binding in _app_wide():
        ident = getattr(binding, "id", None)
        if ident and ident in kept:
            app_ids.append(ident)
            drop(ident, defaults[ident], names[ident])
        # Textual's Ctrl+Q comes first: Quit's; no other app-wide id can take it.
        keys = _keys(kept[ident]) if ident and ident in kept else _keys(binding.key)
        for key in keys:
            if key not in held or (ident and held[key].action == binding.action):
                held[key] = binding  # named by its id when it has one (`app.quit`)
    for ident in sorted(set(kept) - set(app_ids)):
        drop(ident, defaults.get(ident, []), names.get(ident, ident))
    return kept, said


class QuitOverDialogs(BindingsMap):
    """The app's bindings, whose Ctrl+Q quits over every screen and dialog after any
    keymap. Textual's own Ctrl+Q is a priority binding, which a dialog cannot shadow;
    `"app.quit" = "ctrl+q"` (the README's example of no clash) replaced it with
    app.quit's binding moved to Ctrl+Q, which is not, so on a dialog (accounts, help, a
    form, a question) Ctrl+Q did nothing and no key quit there."""

    @classmethod
    def of(cls, bindings: BindingsMap) -> QuitOverDialogs:
        """`bindings` (the app's) as this class."""
        return cls.from_keys(bindings.key_to_bindings)  # type: ignore[return-value]

    def copy(self) -> QuitOverDialogs:
        """A copy of the same class (Textual applies the keymap to copies)."""
        return type(self).of(BindingsMap.copy(self))

    def apply_keymap(self, keymap: Keymap) -> KeymapApplyResult:
        """As Textual's, the bindings that quit on Ctrl+Q made priority ones again."""
        result = super().apply_keymap(keymap)
        quitting = self.key_to_bindings.get(BUILT_IN_QUIT)
        if quitting:
            self.key_to_bindings[BUILT_IN_QUIT] = [
                replace(b, priority=True) if b.action in ("quit", "app.quit") else b
                for b in quitting]
        return result
