"""The accounts `meettui list --offline` lists, read from config.toml without pydantic,
for the plain and common config only.

`quick_accounts` answers None whenever it is not sure it would reach the answer of
`config.load_config` (with `MeetingService`'s imported account): a missing file (the
demo), one that does not read, a key it does not check itself (an account's
`settings`, which its provider's model validates), a value of another type than the
one the models take without conversion, a duplicate name. The caller then takes the
full path, which gives the usual result or message. The rules both apply live in
`core/account_rules.py`.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from meettui.core.account_rules import (
    ACCOUNT_NAME_RE,
    BUILTIN_JITSI_KIND,
    BUILTIN_JITSI_NAME,
    ENV_NAME_RE,
    IMPORTED_KIND,
    adds_builtin_jitsi,
    base_url_problem,
    imported_to_restore,
)
from meettui.core.invitation import template_problem
from meettui.core.registry import provider_kinds, settings_optional

# The keys checked here, each with the check (`Config`, `AccountConfig` in config.py).
_TOP: dict[str, Callable[[Any], bool]] = {
    "theme": lambda v: type(v) is str,
    "keymap": lambda v: type(v) is dict and all(type(x) is str for x in v.values()),
    "builtin_jitsi": lambda v: type(v) is bool,
    "invitation": lambda v: type(v) is str and template_problem(v) is None,
    "accounts": lambda v: type(v) is list,
}
_ACCOUNT: dict[str, Callable[[Any], bool]] = {
    "name": lambda v: type(v) is str and ACCOUNT_NAME_RE.match(v) is not None,
    "provider": lambda v: type(v) is str and v in provider_kinds() and settings_optional(v),
    "base_url": lambda v: type(v) is str and base_url_problem(v) is None,
    "secret_env": lambda v: type(v) is str and ENV_NAME_RE.match(v) is not None,
    "secret_envs": lambda v: type(v) is dict and all(
        type(x) is str and ENV_NAME_RE.match(x) is not None for x in v.values()),
    "keyring": lambda v: type(v) is str,
    "read_only": lambda v: type(v) is bool,
    "demo": lambda v: type(v) is bool,
}


def quick_accounts(path: Path, cached: Callable[[str], int]) -> list[tuple[str, str]] | None:
    """The (name, kind) of every account the full path lists with the config at `path`,
    in its order: the configured ones, the built-in Jitsi account first unless turned
    off, the imported account when `cached(name)` (the number of cached meetings of
    `name`) says it has meetings. None when the full path must answer (see the module)."""
    configured = _configured(path)
    if configured is None or not configured[1]:  # no account: the demo, the full path's
        return None
    data, accounts = configured
    names = [name for name, _ in accounts]
    if adds_builtin_jitsi(names, data.get("builtin_jitsi", True)):
        accounts.insert(0, (BUILTIN_JITSI_NAME, BUILTIN_JITSI_KIND))
    imported = imported_to_restore(accounts, cached)
    if imported is not None:
        accounts.append((imported, IMPORTED_KIND))
    return accounts


def _configured(path: Path) -> tuple[dict[str, Any], list[tuple[str, str]]] | None:
    """The checked TOML and its configured accounts; None for anything unsure."""
    try:
        text = path.read_bytes().decode("utf-8-sig").removeprefix("\ufeff")
        data = tomllib.loads(text)
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None
    if not all(key in _TOP and _TOP[key](value) for key, value in data.items()):
        return None
    accounts: list[tuple[str, str]] = []
    for table in data.get("accounts", []):
        if not (type(table) is dict and "name" in table and "provider" in table and all(
                key in _ACCOUNT and _ACCOUNT[key](value) for key, value in table.items())):
            return None
        accounts.append((table["name"], table["provider"]))
    names = [name for name, _ in accounts]
    if len(set(names)) != len(names):  # the full path names the duplicate
        return None
    return data, accounts
