"""The keys config.toml's `[keymap]` gives, checked against the keys Textual can deliver.

Textual takes any string as a key and binds it: `"list.up" = "notakey"` took ↑ and k
from the list for a key nobody can press, `"app.help" = "F1"` showed "F1 Help" in the
footer for a key Textual calls `f1`, and `"meeting.new" = ""` was dropped without a word.
An entry whose key cannot be pressed is named in a warning and left out (its default
keys stay).

A key is written as Textual names it, or as meettui shows it:
- one character: `k`, `K`, `?`, `é` (its case matters: `K` is Shift+k);
- a key's name: `f1`, `up`, `pageup`, `enter`, `escape`, `tab`, `space`, `delete`,
  `question_mark`;
- modifiers before it: `ctrl+x`, `alt+x`, `shift+up`, `ctrl+shift+up`.

A key longer than one character is read without regard to case: `F1`, `Ctrl+R` and
`PageUp` are what the README, the footer and the help show, and Textual's names are all
lower case, so reading them as `f1`, `ctrl+r`, `pageup` is what was meant. Refusing
them would turn away the spelling the app itself teaches. For the same reason the
footer's short forms read back: `esc`, `pgdn`, `del`, `⏎`, `↑`, `^q` (Ctrl+Q). Shift
on a letter is written out (`alt+shift+a`): `alt+A` is Alt+a, as `Ctrl+R` is Ctrl+r.

Also here: every remappable id (`binding_ids`) and the keys a keymap gives to two actions
offered together (`keymap_clashes`); what the ids may not take, and unknown ids, are in
`keymap_ids`.
"""

from __future__ import annotations

import difflib
from functools import cache
from typing import Any

# Private: the keys Textual's kitty-protocol parser names (F13-F35, media keys) and the
# name Textual gives a character; both are what Textual itself binds against.
from textual._keyboard_protocol import FUNCTIONAL_KEYS, MODIFIER_FUNCTIONAL_KEYS
from textual.keys import KEY_DISPLAY_ALIASES, Keys, _character_to_key, key_to_character

MODIFIERS = ("alt", "ctrl", "hyper", "meta", "shift", "super")
"""In the order Textual writes them in a key's name (`ctrl+shift+up`)."""

KEY_FORMS = ("one character (k, K, ?), a key's name (f1, up, pageup, enter, escape, tab, "
             "space, delete) or modifiers and a key (ctrl+x, alt+x, shift+up)")
"""What a key may be, in words."""

# What the footer and the help show for a key, read back as the key.
_SHOWN = {shown: key for key, shown in KEY_DISPLAY_ALIASES.items() if shown != key}
# Names other programs give keys and modifiers: suggested, not read as them.
_OTHER_NAMES = {"return": "enter", "control": "ctrl", "option": "alt", "opt": "alt",
                "cmd": "super", "command": "super", "win": "super"}


class BadKey(ValueError):
    """A key Textual cannot deliver; the message says why, and what was maybe meant."""


@cache
def _whole() -> frozenset[str]:
    """Keys with modifiers Textual names as a whole, not as modifiers and a key
    (`ctrl+@`, what a terminal sends for Ctrl+Space)."""
    return frozenset(key.value for key in Keys if "+" in key.value)


@cache
def _named() -> frozenset[str]:
    """The names of the keys Textual delivers (those longer than one character)."""
    # Keys holds a few Textual never sends: `return` (Enter is `enter`), `ctrl-at`, and
    # its internal `<any>`, `<scroll-up>`...
    names = {key.value for key in Keys if "+" not in key.value and not key.value.startswith("<")}
    names -= {"return", "ctrl-at"}
    names |= set(FUNCTIONAL_KEYS.values()) - set(MODIFIER_FUNCTIONAL_KEYS)
    names |= {_character_to_key(chr(code)) for code in range(32, 127)}
    return frozenset(name for name in names if len(name) > 1)


@cache
def _ascii_characters() -> frozenset[str]:
    """The names Textual gives the printable ASCII characters but space (`slash`)."""
    return frozenset(_character_to_key(chr(code)) for code in range(33, 127))


def _is_character_name(name: str) -> bool:
    """True for the name Textual gives a printable character other than space
    (`question_mark`, `section_sign`; not `tab` or `escape`, though Unicode gives those
    characters such names too)."""
    if name in _ascii_characters():
        return True
    character = key_to_character(name)
    return (character is not None and character.isprintable() and not character.isspace()
            and _character_to_key(character) == name)


def _suggest(name: str, among: frozenset[str] | tuple[str, ...]) -> str | None:
    """The name in `among` that `name` was maybe meant to be."""
    if name in _OTHER_NAMES:
        return _OTHER_NAMES[name]
    close = difflib.get_close_matches(name, among, n=1, cutoff=0.75)
    return close[0] if close else None


_SENT_AS = {"ctrl+h": "Backspace", "ctrl+i": "Tab", "ctrl+m": "Enter", "ctrl+[": "Escape",
            "ctrl+left_square_bracket": "Escape"}
"""Ctrl keys a terminal sends as the control byte another key sends (ASCII's BS, HT, CR
and ESC): an app cannot tell them from that key."""


def key_name(written: str) -> str:
    """The name Textual gives the key `written` (one key, as config.toml's [keymap]
    writes it: `f1`, `F1`, `?`, `ctrl+x`, `esc`); BadKey when no key has that name."""
    key = written.strip()
    if not key:
        raise BadKey("no key")
    if key in _SHOWN:
        return _SHOWN[key]
    if len(key) == 1:
        if not key.isprintable():
            raise BadKey("a control character: write the key's name (tab, enter, escape…)")
        return _character_to_key(key)  # as Textual's set_keymap names it: ? -> question_mark
    if key.startswith("^"):
        key = "ctrl+" + key[1:]
    key = key.lower()
    sent = _SENT_AS.get(key.replace(" ", ""))
    if sent is not None:
        # The terminal sends these as the byte of another key: Ctrl+H is Backspace's
        # (tmux, most terminals), Ctrl+I Tab's, Ctrl+M Enter's; `"help.close" =
        # "ctrl+h"` left the help with a key that never came.
        raise BadKey(f"a terminal sends it as {sent}: choose another key")
    if key in _whole():
        return key
    head, plus, base = key.rpartition("+")
    if not base and head.endswith("+"):  # ctrl++: the + key
        head, base = head[:-1], "+"
    modifiers = sorted({part.strip() for part in head.split("+")}) if plus else []
    base = _SHOWN.get(base.strip(), base.strip())
    for modifier in modifiers:
        if modifier not in MODIFIERS:
            maybe = _suggest(modifier, MODIFIERS)
            raise BadKey(f"{modifier!r} is not a modifier ({', '.join(MODIFIERS)})"
                         + (f"; did you mean {maybe!r}?" if maybe else ""))
    if not base:
        raise BadKey("no key after the modifiers")
    if len(base) == 1:
        if not base.isprintable():
            raise BadKey("a control character: write the key's name (tab, enter, escape…)")
        base = base if base.isalnum() else _character_to_key(base)
    elif not (base in _named() or _is_character_name(base)):
        maybe = _suggest(base, _named())
        raise BadKey("not a key Textual knows"
                     + (f"; did you mean {'+'.join([*modifiers, maybe])!r}?" if maybe else ""))
    if modifiers == ["shift"] and (len(base) == 1 or _is_character_name(base)):
        # Shift+a arrives as `A`, Shift+/ as `?` (what the keyboard types): a key named
        # shift+a never comes.
        typed = (f"{base.upper()!r}" if len(base) == 1 and base.isalpha()
                 else "that character ('?' rather than shift+/)")
        raise BadKey(f"Shift with a character arrives as the character it types: write {typed}")
    return "+".join([*modifiers, base])


def check_keymap(keymap: dict[str, str]) -> tuple[dict[str, str], list[str]]:
    """`keymap` (binding id -> keys, comma-separated, as config.toml's [keymap]) with
    each key as Textual names it, without the entries that hold a key no one can press;
    and one line for each of those ("list.up = 'notakey': not a key Textual knows")."""
    usable: dict[str, str] = {}
    problems: list[str] = []
    for binding_id, keys in keymap.items():
        try:
            if not keys.strip():
                raise BadKey("no key (leave the line out to keep the default key; the "
                             "space bar is `space`)")
            parts = keys.split(",")
            if any(not part.strip() for part in parts):
                raise BadKey("a comma with no key beside it (the comma key is `comma`)")
            names = [key_name(part) for part in parts]
        except BadKey as exc:
            problems.append(f"{binding_id} = {keys!r}: {exc}")
            continue
        usable[binding_id] = ",".join(dict.fromkeys(names))
    return usable, problems


def keymap_clashes(keymap: dict[str, str]) -> list[str]:
    """What to say of each key `keymap` (id -> keys, as config.toml's [keymap]) newly
    gives to an action where another action offered with it (a screen's, its widgets'
    and the app's bindings together) already answers to that key: only one of them does
    now. `"qr.open" = "y"` took `y` from Copy link without a word. (A key of the
    app-wide bindings, Quit's `q`, never comes here: `keymap_ids.keep_app_keys` keeps
    it theirs first.) Bindings without an id are named as built in (`binding_name`).

    No clash: a key given to what it already does there (Textual's own Ctrl+Q quits,
    so `"app.quit" = "ctrl+q"` only adds a name for it; the details' `q` closes them,
    as it did before the keymap)."""
    from textual.widgets import Input

    # (key, the remapped ids) -> {the others' ids: the places where they meet on it}
    clashes: dict[tuple[str, tuple[str, ...]], dict[tuple[str, ...], list[str]]] = {}
    named: dict[str, str] = {}  # id -> "qr.open (QR)": what the footer and help call it
    for place, owners in _binding_places().items():
        # key -> {id: the action it runs, as the app would find it}
        by_key: dict[str, dict[str, str]] = {}
        new: dict[str, set[str]] = {}  # key -> the ids the keymap gives it to, newly
        # A text field focused there types what a character key writes: no binding of
        # the screen or the app under it answers to it (Textual's binding chain).
        typed = any(isinstance(owner, type) and issubclass(owner, Input) for owner in owners)
        for owner in owners:
            for binding in _own_bindings(owner):
                ident = getattr(binding, "id", None) or binding.action
                named.setdefault(ident, binding_name(binding))
                default = {k.strip() for k in binding.key.split(",")}
                keys = keymap.get(ident, binding.key)
                for key in (k.strip() for k in keys.split(",")):
                    if typed and _is_typed(key) and not issubclass(owner, Input):
                        continue
                    by_key.setdefault(key, {})[ident] = _action_of(owner, binding.action)
                    if ident in keymap and key not in default:
                        new.setdefault(key, set()).add(ident)
        for key, mine in new.items():
            actions = by_key[key]
            mine_actions = {actions[i] for i in mine}
            others = tuple(sorted(i for i, action in actions.items()
                                  if i not in mine and action not in mine_actions))
            if not others and len(mine_actions) < 2:
                continue  # every binding of the key there does the same
            clashes.setdefault((key, tuple(sorted(mine))), {}).setdefault(
                others, []).append(place)
    said = []
    for (key, given), by_others in sorted(clashes.items()):
        where = _and([named.get(i, i) for i in given])
        taken = [(others, places) for others, places in by_others.items() if others]
        if taken:
            had = _and([f"{_and([named.get(i, i) for i in others])} "
                        f"{'has' if len(others) == 1 else 'have'} it {_and(places)}"
                        for others, places in taken])
            said.append(f"[keymap] gives {shown_key(key)} to {where}, but {had} already: pressed "
                        "there, it does only one of them. Choose another key for "
                        f"{_and(list(given))}.")
        else:
            places = [place for each in by_others.values() for place in each]
            said.append(f"[keymap] gives {shown_key(key)} to both {where} {_and(places)}: pressed "
                        "there, it does only one of them. Choose another key for one of them.")
    return said


def binding_name(binding: Any) -> str:
    """What a warning calls `binding`: its id and what it does ("copy.viewer (Copy
    viewer)"); one without an id, Textual's own (Ctrl+Q's Quit, OptionList's Down),
    by what it does and its key, marked as built in: its action ("quit", "app.focus_next")
    read like an id the keymap would take, and no [keymap] entry can move it."""
    ident = getattr(binding, "id", None)
    if ident:
        return f"{ident} ({binding.description})" if binding.description else ident
    what = binding.description or binding.action.removeprefix("app.").replace("_", " ")
    # One binding may hold several keys ("ctrl+u,super+backspace"): said as words.
    keys = " or ".join(k.strip() for k in binding.key.split(","))
    return f"the built-in {keys} ({what})"


def _action_of(owner: Any, action: str) -> str:
    """`action` of a binding of `owner` as the app finds it: an app's own binding's
    action is the app's (`quit` is `app.quit`)."""
    from textual.app import App

    if "." not in action and isinstance(owner, type) and issubclass(owner, App):
        return f"app.{action}"
    return action


def shown_key(key: str) -> str:
    """`key` (as Textual names it) quoted as a warning shows it: a character as itself
    (`'?'`, not `'question_mark'`), any other key by its name (`'ctrl+q'`)."""
    character = key_to_character(key) if len(key) > 1 and "+" not in key else None
    return repr(character if character and character.isprintable() and not character.isspace()
                else key)


def _is_typed(key: str) -> bool:
    """True for a key a text field types (`q`, `question_mark`), as Input's
    check_consume_key says: a printable character."""
    character = key_to_character(key) if len(key) > 1 else key
    return character is not None and len(character) == 1 and character.isprintable()


def _and(items: list[str]) -> str:
    """"a", "a and b", "a, b and c"."""
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def _own_bindings(owner: Any) -> list[Any]:
    """The bindings of `owner` and its bases (Textual merges them the same way)."""
    return [b for klass in reversed(owner.__mro__) for b in klass.__dict__.get("BINDINGS", [])
            if not isinstance(b, tuple)]


def _binding_places() -> dict[str, list[Any]]:
    """Where bindings are offered together: each screen with the widgets that take keys
    on it, and the app's bindings everywhere."""
    from meettui.tui.app import MeettuiApp
    from meettui.tui.screens import (
        accounts,
        action,
        choose,
        confirm,
        detail_screen,
        form,
        help,
        paste_link,
        qr_screen,
    )
    from meettui.tui.screens.main import MainScreen
    from meettui.tui.widgets.filter_box import FilterBox
    from meettui.tui.widgets.meeting_table import MeetingTable
    from meettui.tui.widgets.ordered_input import OrderedInput

    return {
        "in the list": [MeettuiApp, MainScreen, MeetingTable],
        "in the filter box": [MeettuiApp, MainScreen, FilterBox],
        # The accounts list takes ↓, ↑, j and k itself (`AccountList`).
        "on the accounts screen": [MeettuiApp, accounts.AccountsScreen, accounts.AccountList],
        # The forms' text fields take their editing keys themselves (Ctrl+W deletes a
        # word): `"form.save" = "ctrl+w"` left the form with no key that saves.
        **{f"on the {name}": [MeettuiApp, screen, OrderedInput] for name, screen in (
            ("action form", action.ActionFormScreen),
            ("meeting form", form.MeetingFormScreen),
            ("paste-link dialog", paste_link.PasteLinkScreen))},
        **{f"on the {name}": [MeettuiApp, screen] for name, screen in (
            ("confirmation", confirm.ConfirmScreen), ("help", help.HelpScreen),
            ("QR screen", qr_screen.QRScreen), ("choice", choose.ChooseScreen),
            ("details", detail_screen.DetailScreen))},
    }


def binding_ids() -> set[str]:
    """Every remappable id meettui defines: those of every place keys are offered
    (`_binding_places`, its screens with the widgets that take keys on them). The
    accounts list's `accounts.down` and `accounts.up`, bound on the list widget, were
    missing, so `[keymap]` refused the README's ids as unknown."""
    owners = {owner for place in _binding_places().values() for owner in place}
    return {b.id for owner in owners for b in _own_bindings(owner) if getattr(b, "id", None)}


@cache
def default_keys() -> dict[str, str]:
    """Every remappable id's default keys, as its first binding declares them
    (`"list.refresh"` → `"ctrl+r,f5"`): what a message names when no [keymap] moved it."""
    keys: dict[str, str] = {}
    for place in _binding_places().values():
        for owner in place:
            for binding in _own_bindings(owner):
                if getattr(binding, "id", None):
                    keys.setdefault(binding.id, binding.key)
    return keys
