"""How a message names what a user gives: an option, a flag, a command. The same message
reaches people through the command line (`-o expires_at=…`, `--account`, `meettui edit
ID`), agents through the MCP server (`options.expires_at`, `account`, edit_meeting) and
people in the app (the form's "Expires" field, the key to press); said in another front
end's words it names what its user cannot give.

The front end that runs says which it is once, at its start (`speak_as`; the command
line is the default; the app names its form's fields by their labels, which it hands
over then): a context variable, so every task and thread it starts inherits it.
Messages are built when they are raised, inside that front end's call, with `option`,
`argument` and `command`. A text written once for all (a field's `help` in a
provider's capabilities) names an option as `{option:NAME}` (or `{option:NAME=VALUE}`),
which `spoken` says at the time it is shown.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from contextvars import ContextVar
from typing import Literal

FrontEnd = Literal["cli", "mcp", "app"]

_FRONT: ContextVar[FrontEnd] = ContextVar("meettui_front_end", default="cli")
_LABEL_OF: ContextVar[Callable[[str], str | None] | None] = ContextVar(
    "meettui_field_label_of", default=None)
_KEY_OF: ContextVar[Callable[[str], str | None] | None] = ContextVar(
    "meettui_key_of", default=None)

# The MCP tools' argument for each command-line flag a message may name.
_ARGUMENTS = {"--start": "start", "--end": "end", "--title": "title", "--account": "account",
              "--yes": "confirm", "--refresh": "refresh"}

# The app's words for each command-line flag a message may name: its form's fields, or
# the key that does it (its id and default key: `key`).
_APP_ARGUMENTS: dict[str, str | tuple[str, str]] = {
    "--start": "the Start field", "--end": "the End field", "--title": "the Title field",
    "--account": "the account", "--yes": ("confirm.yes", "y"),
    "--refresh": ("list.refresh", "Ctrl+R")}

_OPTION_MARK = re.compile(r"\{option:([A-Za-z_][A-Za-z0-9_.]*)(?:=([^{}]*))?\}")


def speak_as(front: FrontEnd, label_of: Callable[[str], str | None] | None = None,
             key_of: Callable[[str], str | None] | None = None) -> None:
    """Say options, flags and commands in the words of `front` from now on (in this
    context and every one started from it). `label_of`: an option's name → the label
    of the form field that gives it (the app's; `FieldSpec.label`), None when no form
    has one; asked when a message is built, so the providers' modules load only as
    they are used. `key_of`: a key's id (`list.refresh`) → the key that does it now,
    after the user's [keymap], as the app shows keys (`^r`); None when none does."""
    _FRONT.set(front)
    _LABEL_OF.set(label_of)
    _KEY_OF.set(key_of)


def key(binding_id: str, default: str) -> str:
    """The key the app's user presses for `binding_id` (`list.refresh`): the one in
    effect after their [keymap] (`key_of` of `speak_as`), else `default` ("Ctrl+R").
    Messages that name a key name it through this: "Ctrl+R" was said where a keymap had
    moved the refresh to another key."""
    key_of = _KEY_OF.get()
    shown = key_of(binding_id) if key_of is not None else None
    return shown or default


def front_end() -> FrontEnd:
    return _FRONT.get()


def option(name: str, value: str = "…") -> str:
    """The option `name` (given `value`, "…" for any) as the front end takes it:
    `-o name=value`, the MCP `options.name` (`options.name: value`), or the app's form
    field (`the Expires field`, `Type: long_term`)."""
    front = _FRONT.get()
    if front == "app":
        label_of = _LABEL_OF.get()
        label = (label_of(name) if label_of else None) or name.replace("_", " ").capitalize()
        return f"the {label} field" if value == "…" else f"{label}: {value}"
    if front == "mcp":
        return f"options.{name}" if value == "…" else f"options.{name}: {value}"
    return f"-o {name}={value}"


def argument(flag: str) -> str:
    """A command-line flag (`--start`) as the front end takes it (the MCP `start`, the
    app's Start field)."""
    if _FRONT.get() == "app":
        said = _APP_ARGUMENTS.get(flag, flag.lstrip("-").replace("-", " "))
        return key(*said) if isinstance(said, tuple) else said
    if _FRONT.get() == "mcp":
        return _ARGUMENTS.get(flag, flag.lstrip("-").replace("-", "_"))
    return flag


def command(cli: str, mcp: str, app: str | None = None) -> str:
    """What to run: `cli` (a command line), for an agent `mcp` (a tool call), in the app
    `app` (what to press or choose there; `cli` when the app has no way to it)."""
    front = _FRONT.get()
    if front == "mcp":
        return mcp
    if front == "app" and app is not None:
        return app
    return cli


def spoken(text: str) -> str:
    """`text` with each `{option:NAME}` (`{option:NAME=VALUE}`) said as `option` says it."""
    return _OPTION_MARK.sub(lambda m: option(m[1], m[2] if m[2] is not None else "…"), text)
