"""How a message names what a user gives: an option, a flag, a command. The same message
reaches people through the command line (`-o expires_at=…`, `--account`, `meettui edit
ID`) and agents through the MCP server (`options.expires_at`, `account`, edit_meeting),
and said in the command line's words to an agent it names what the agent cannot give.

The front end that runs says which it is once, at its start (`speak_as`; the command
line and the app are the default): a context variable, so every task and thread it
starts inherits it. Messages are built when they are raised, inside that front end's
call, with `option`, `argument` and `command`. A text written once for all (a field's
`help` in a provider's capabilities) names an option as `{option:NAME}` (or
`{option:NAME=VALUE}`), which `spoken` says at the time it is shown.
"""

from __future__ import annotations

import re
from contextvars import ContextVar
from typing import Literal

FrontEnd = Literal["cli", "mcp"]

_FRONT: ContextVar[FrontEnd] = ContextVar("meettui_front_end", default="cli")

# The MCP tools' argument for each command-line flag a message may name.
_ARGUMENTS = {"--start": "start", "--end": "end", "--title": "title", "--account": "account",
              "--yes": "confirm", "--refresh": "refresh"}

_OPTION_MARK = re.compile(r"\{option:([A-Za-z_][A-Za-z0-9_.]*)(?:=([^{}]*))?\}")


def speak_as(front: FrontEnd) -> None:
    """Say options, flags and commands in the words of `front` from now on (in this
    context and every one started from it)."""
    _FRONT.set(front)


def front_end() -> FrontEnd:
    return _FRONT.get()


def option(name: str, value: str = "…") -> str:
    """The option `name` (given `value`, "…" for any) as the front end takes it:
    `-o name=value`, or the MCP `options.name` (`options.name: value`)."""
    if _FRONT.get() == "mcp":
        return f"options.{name}" if value == "…" else f"options.{name}: {value}"
    return f"-o {name}={value}"


def argument(flag: str) -> str:
    """A command-line flag (`--start`) as the front end takes it (the MCP `start`)."""
    if _FRONT.get() == "mcp":
        return _ARGUMENTS.get(flag, flag.lstrip("-").replace("-", "_"))
    return flag


def command(cli: str, mcp: str) -> str:
    """What to run: `cli` (a command line) or, for an agent, `mcp` (a tool call)."""
    return mcp if _FRONT.get() == "mcp" else cli


def spoken(text: str) -> str:
    """`text` with each `{option:NAME}` (`{option:NAME=VALUE}`) said as `option` says it."""
    return _OPTION_MARK.sub(lambda m: option(m[1], m[2] if m[2] is not None else "…"), text)
