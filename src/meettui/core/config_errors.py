"""What a config file that does not validate says: the file and line, the account in the
words people use (its name, else "the 2nd [[accounts]] entry": `accounts.1` counted
from 0), and the key, with a misspelled key named next to the one it was meant for
(`instanse = "demo"` said only that `instance` was missing).

`problem` turns pydantic's errors about one table into a ConfigError; `config.py` calls
it for the file's own keys and for each account's `[accounts.settings]`.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Collection, Mapping, Sequence
from pathlib import Path
from typing import Any

from meettui.core.errors import ConfigError

Loc = tuple[Any, ...]


def problem(errors: Sequence[Mapping[str, Any]], text: str, path: Path, data: Any, *,
            base: Loc = (), known: Callable[[Loc], Collection[str]],
            owner: Callable[[Loc], str]) -> ConfigError:
    """The ConfigError for the first of `errors` (pydantic's, about the table at `base`
    in the file's `data`), naming the file and line. `known(parent)` lists the keys the
    table at `parent` (a full location, `base` included) takes, for a misspelled one to
    be matched; `owner(parent)` says what its keys are ("a setting of Jitsi")."""
    first = errors[0]
    loc: Loc = (*base, *first["loc"])
    parent, name = loc[:-1], loc[-1]
    siblings = [e for e in errors if tuple((*base, *e["loc"]))[:-1] == parent]
    unknown = [str(e["loc"][-1]) for e in siblings if e.get("type") == "extra_forbidden"]
    given = _table(data, parent)
    if first.get("type") == "missing" and isinstance(name, str):
        typo = _closest(name, unknown)
        if typo is not None:
            # Pointed at the misspelled key: that line is the one to change.
            return ConfigError(
                f"{_where(text, path, (*parent, typo))}{_who(data, loc)}`{_key(loc)}` is "
                f"missing; `{typo}` is not {owner(parent)} — did you mean `{name}`?",
                hint=f"Rename `{typo}` to `{name}`.")
        return ConfigError(f"{_where(text, path, loc)}{_who(data, loc)}`{_key(loc)}` is "
                           "missing.", hint=f"Add `{name} = ...` there.")
    if first.get("type") == "extra_forbidden":
        # Only a key not given already is offered ("both present": it is plain unknown).
        meant = _closest(str(name), [k for k in known(parent) if k not in given])
        said = f"{_where(text, path, loc)}{_who(data, loc)}`{_key(loc)}` is not {owner(parent)}"
        if meant is not None:
            return ConfigError(f"{said} — did you mean `{meant}`?",
                               hint=f"Rename `{name}` to `{meant}`.")
        what = ("the settings an account takes" if parent[:1] == ("accounts",)
                else "the keys the config file takes (Configuration)")
        return ConfigError(f"{said}.", hint=f"Remove or rename `{name}`; see the README for "
                           f"{what}.")
    return ConfigError(f"{_where(text, path, loc)}{_who(data, loc)}`{_key(loc)}`: "
                       f"{_describe(first)}", hint=_fix_for(first))


def _closest(word: str, candidates: Collection[str]) -> str | None:
    found = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.75)
    return found[0] if found else None


def _table(data: Any, loc: Loc) -> Collection[str]:
    """The keys given in the table at `loc` of the file's `data` (none when it is not
    a table)."""
    for part in loc:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return ()
    return list(data) if isinstance(data, dict) else ()


def _where(text: str, path: Path, loc: Loc) -> str:
    line = line_of(text, loc)
    return f"{path}, line {line}: " if line else f"{path}: "


def _who(data: Any, loc: Loc) -> str:
    """The account `loc` is in, as people say it: "account 'advice': ", else "the 2nd
    [[accounts]] entry: " (pydantic counts from 0); nothing outside the accounts."""
    if len(loc) < 2 or loc[0] != "accounts" or not isinstance(loc[1], int):
        return ""
    index = loc[1]
    accounts = data.get("accounts") if isinstance(data, dict) else None
    table = accounts[index] if isinstance(accounts, list) and index < len(accounts) else None
    name = table.get("name") if isinstance(table, dict) else None
    if isinstance(name, str) and name.strip():
        return f"account {name!r}: "
    return f"the {ordinal(index + 1)} [[accounts]] entry: "


def _key(loc: Loc) -> str:
    """The key, without the account's place (`_who` says it): `settings.instance`."""
    rest = loc[2:] if len(loc) >= 2 and loc[0] == "accounts" and isinstance(loc[1], int) \
        else loc
    return ".".join(str(part) for part in rest) or "accounts"


def ordinal(n: int) -> str:
    """1st, 2nd, 3rd, 4th, … 11th, 12th, 13th, 21st."""
    if 10 <= n % 100 <= 20:
        return f"{n}th"
    return f"{n}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th') }"


def _describe(error: Mapping[str, Any]) -> str:
    """What is wrong with a value, in the config file's words (TOML's types), not
    pydantic's ("Input should be a valid string")."""
    msg = str(error.get("msg", "invalid value"))
    kind, given = error.get("type"), error.get("input")
    if kind == "bool_type":
        return f"use true or false (without quotes), not {given!r}"
    if kind == "string_type":
        return f"write text in quotes, not {given!r}"
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return f"write a whole number (without quotes), not {given!r}"
    if kind == "list_type" and tuple(error.get("loc", ())) == ("accounts",):
        return "each account is a table of its own, headed `[[accounts]]` (two brackets)"
    if _not_a_table(error):
        return (f"each account is a table of its own, headed `[[accounts]]` (two "
                f"brackets), not {_toml_shown(given)}")
    if kind in ("dict_type", "model_type"):
        # Pydantic's "Input should be a valid dictionary".
        return f"write a table, headed `{_header(error)}`, not {_toml_shown(given)}"
    return msg.removeprefix("Value error, ")


def _header(error: Mapping[str, Any]) -> str:
    """The TOML header of the table at `error`'s place: `[keymap]`,
    `[accounts.settings]` (an account's own, under its `[[accounts]]`)."""
    return f"[{'.'.join(str(p) for p in error.get('loc', ()) if not isinstance(p, int))}]"


def _fix_for(error: Mapping[str, Any]) -> str:
    field = str(error["loc"][-1]) if error.get("loc") else "the value"
    if error.get("type") == "list_type" and tuple(error.get("loc", ())) == ("accounts",):
        given = error.get("input")
        if isinstance(given, Mapping):  # `[accounts]`, one bracket
            return "Write `[[accounts]]` above each account's keys, not `[accounts]`."
        # `accounts = 5` was told to write `[[accounts]]` "not `[accounts]`", which it
        # did not have.
        return (f"Remove `accounts = {_toml_shown(given)}` and write `[[accounts]]` above "
                "each account's keys (name, provider…).")
    if _not_a_table(error):
        # Pydantic's "valid dictionary or instance of AccountConfig", then "Change `0`".
        return ("Write `[[accounts]]` above each account's keys (name, provider…), in "
                "place of the `accounts = [...]` list.")
    if error.get("type") in ("dict_type", "model_type"):
        return (f"Remove `{field} = {_toml_shown(error.get('input'))}` and write "
                f"`{_header(error)}` on a line of its own, its keys on the lines after it.")
    return f"Change `{field}` as described."


def _not_a_table(error: Mapping[str, Any]) -> bool:
    """An entry of an `accounts = [...]` list that is no table (`accounts = [1, 2]`)."""
    loc = tuple(error.get("loc", ()))
    return (error.get("type") in ("model_type", "dict_type") and len(loc) == 2
            and loc[0] == "accounts" and isinstance(loc[1], int))


def _toml_shown(value: Any) -> str:
    """`value` as the config file spelled it, near enough: TOML's true/false, quoted
    text, numbers and lists as Python writes them."""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, str):
        return f'"{value}"'
    return repr(value)


def toml_fix(exc: ValueError, line: int) -> str:
    """What to do about a TOML error on `line` (tomllib's `exc`): a key given twice is
    said as such (its "Cannot overwrite a value" had the advice for a syntax slip)."""
    if "Cannot overwrite" in str(exc):
        return (f"A key on line {line} is given twice in its table (or names a table "
                "given already): keep one of them.")
    return f"Fix line {line} (strings need quotes, keys need `=`)."


def line_of(text: str, loc: Loc) -> int | None:
    """Best-effort line for a validation error: find the table (an account's, its
    `[accounts.settings]`), then the key inside it; a key not there (a missing one) is
    pointed at its table's header."""
    lines = text.splitlines()
    start, found = 0, False
    keys = list(loc)
    if len(keys) >= 2 and keys[0] == "accounts" and isinstance(keys[1], int):
        headers = [i for i, ln in enumerate(lines) if ln.strip().startswith("[[accounts]]")]
        if keys[1] < len(headers):
            start, found = headers[keys[1]], True
            keys = keys[2:]
        else:
            keys = keys[:1]
    end = next((i for i in range(start + 1, len(lines))
                if found and lines[i].strip().startswith("[[")), len(lines))
    header = start + 1 if found else None
    if len(keys) >= 2 and isinstance(keys[0], str):
        # A sub-table of the account: `[accounts.settings]`.
        table = f"[accounts.{keys[0]}]"
        header = next((i + 1 for i in range(start, end) if lines[i].strip() == table),
                      header)
    key = next((k for k in reversed(keys) if isinstance(k, str)), None)
    if key is None:
        return header
    pattern = re.compile(rf"^\s*\"?{re.escape(key)}\"?\s*=")
    # A key given as a table of its own (`[accounts]` with one bracket): its header.
    table_header = re.compile(rf"^\s*\[\s*{re.escape(key)}\s*\]")
    return next((i + 1 for i in range(start, end)
                 if pattern.match(lines[i]) or (not found and table_header.match(lines[i]))),
                header)


_TOML_AT = re.compile(r"\s*\((?:at line (\d+), column (\d+)|at end of document)\)\s*$")
_SHOWN = 60
"""The most characters of a line a TOML error quotes."""


# A key whose value is a credential, by its name (`client_secret`, `api_key`, `token`,
# `private_key`, `password`): secrets belong in the environment, and a broken line that
# holds one is the very mistake that brings one into the file. `secret_env`,
# `api_key_env`, `private_key_file` and the like name where a secret is, not the secret.
_SECRET_NAME = re.compile(r"(?i)secret|token|passw|private|credential|api_?key|^key$|assertion")
_NAMES_A_PLACE = ("_env", "_envs", "_file", "_path")
# A run of a key's characters (PEM base64, a long token) mixing upper case, lower case
# and digits: a line of a key pasted into the file (names, ids and URLs seldom mix all
# three in 24 characters without a `.` or `:`).
_KEY_RUN = re.compile(r"[A-Za-z0-9+/=_-]{24,}")


def quotable(line: str) -> str:
    """`line` of a TOML file as an error message may quote it: the value of a key
    named like a credential (`_SECRET_NAME`) is left out (`client_secret = …`), as is
    any run of 24+ key characters (a line of a pasted key). An error message is shown,
    logged and read by agents' clients; the line is kept for the key and the syntax."""
    key, equals, value = line.partition("=")
    if equals:
        name = key.strip().strip("\"'").rpartition(".")[2].strip().strip("\"'")
        if _SECRET_NAME.search(name) and not name.lower().endswith(_NAMES_A_PLACE) \
                and value.strip():
            return f"{key.rstrip()} = …"
    return _KEY_RUN.sub(_key_run, line)


def _key_run(match: re.Match[str]) -> str:
    run = match.group(0)
    mixed = (any(c.isupper() for c in run) and any(c.islower() for c in run)
             and any(c.isdigit() for c in run))
    return "…" if mixed else run


def toml_problem(exc: ValueError, text: str) -> tuple[int, str, str]:
    """Where a TOML error (tomllib's) points, in words a person can act on: (line,
    "line N, column C" or "line N, where the file ends", what is wrong with the line
    quoted). An error at the end of the document (an unterminated string, an open
    bracket: a file cut short) points at the last line with anything on it, which
    tomllib names by no number."""
    said = str(exc)
    found = _TOML_AT.search(said)
    reason = said[:found.start()] if found else said
    lines = text.splitlines()
    if found and found.group(1):
        line, column = int(found.group(1)), found.group(2)
        where = f"line {line}, column {column}"
    else:
        line = next((i + 1 for i in range(len(lines) - 1, -1, -1) if lines[i].strip()), 1)
        where = f"line {line}, where the file ends"
    shown = quotable(lines[line - 1].strip()) if 0 < line <= len(lines) else ""
    if len(shown) > _SHOWN:
        shown = shown[:_SHOWN - 1] + "…"
    return line, where, f"{reason} (`{shown}`)" if shown else reason
