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
"""

from __future__ import annotations

import difflib
from functools import cache

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
