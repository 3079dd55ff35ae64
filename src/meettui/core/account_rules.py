"""The rules that decide which accounts meettui lists, in plain Python: what an account
name may be, what its `base_url` may not hold, when the built-in Jitsi account is added,
and when the built-in imported account is. `config.py` (`with_builtins`) and `importing.py`
(`restore_imported_account`) apply them to the validated config; the quick
`list --offline` (`core/quickconfig.py`) applies the same functions to the TOML it read
itself, so the two cannot disagree about which accounts there are."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from urllib.parse import urlsplit  # (pathlib has imported it already: no cost)

from meettui.core.link_check import has_user_info

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")

ACCOUNT_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
"""What an account name may be (it names the account in commands and in the cache)."""

ENV_NAME_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
"""What `secret_env` and the values of `secret_envs` may be: a variable name the shell
can set ("WB KEY=1" was taken, and its message then masked part of the name as if it
were the secret)."""

BUILTIN_JITSI_NAME = "jitsi"
BUILTIN_JITSI_KIND = "jitsi"
"""The credential-free account offered unless `builtin_jitsi = false`."""

IMPORTED_KIND = "imported"
IMPORTED_NAME = "imported"
"""The built-in imported account's name (`imported-links` when a configured account of
another kind already has it)."""


def base_url_problem(url: str) -> str | None:
    """What is wrong with `url` as an account's `base_url`, or None when nothing is.

    The rules: no user information (`http://user:password@host`, or a bare
    `token@host`): a password there is printed wherever the URL is (an error naming a
    request, the log line of every request), and the config file is no place for a
    credential: the account's secrets come from `secret_env`/`secret_envs` or the
    keyring. Then an http:// or https:// address (`web_address_problem`)."""
    if has_user_info(_SCHEME.sub("", url.strip(), count=1)):
        return ("holds a user name or password (user:password@); credentials belong in "
                "`secret_env`, `secret_envs` or the keyring, never in the config file")
    return web_address_problem(url)


def web_address_problem(url: str) -> str | None:
    """What is wrong with `url` as a URL setting of an account (`base_url`, a
    provider's setting of where its links point), or None: it must be an http:// or
    https:// address with a host (and a port, if any, that is a port). Refused when the
    config loads, with its file, line and account (`config_errors.problem`): a
    `base_url` of "ftp://…" or "api.example.com" was found only when a call was made,
    and a link setting made links that open nothing. The value is not quoted: the line
    shows it."""
    try:
        parts = urlsplit(url.strip())
        parts.port  # noqa: B018 - reading it checks the port ("http://h:99999" fails)
    except ValueError:
        return "is not a web address: write an http:// or https:// address"
    if parts.scheme not in ("http", "https"):
        return ("is not an http:// or https:// address (like https://api.example.com): "
                "meettui sends requests and makes links with those only")
    if not parts.hostname:
        return ("is an http(s) address without a host: write it whole, like "
                "https://api.example.com")
    return None


def adds_builtin_jitsi(names: Iterable[str], builtin_jitsi: bool) -> bool:
    """Whether the built-in Jitsi account joins the configured accounts `names` (it is
    put first): when `builtin_jitsi` is on and no account already has its name."""
    return builtin_jitsi and BUILTIN_JITSI_NAME not in set(names)


def imported_to_restore(accounts: Iterable[tuple[str, str]],
                        cached: Callable[[str], int]) -> str | None:
    """The name of the built-in imported account to add to `accounts` ((name, kind)
    pairs, the config's after the built-ins), or None: none when an account of the
    imported kind exists; else the first of `imported`, `imported-links` that no
    account is named and for which `cached(name)` (its number of cached meetings) is
    more than 0. So imported links are listed again in every later run, and a user who
    never imported one never sees the account."""
    accounts = list(accounts)
    if any(kind == IMPORTED_KIND for _, kind in accounts):
        return None
    taken = {name for name, _ in accounts}
    for name in (IMPORTED_NAME, f"{IMPORTED_NAME}-links"):
        if name in taken:
            continue
        if cached(name) > 0:
            return name
    return None


def web_address(url: str) -> str:
    """`url` when it is an http:// or https:// address with a host, for a pydantic
    validator of a provider's link setting; else ValueError saying what is wrong
    (`web_address_problem`), which the config's loading reports with file and line."""
    problem = web_address_problem(url)
    if problem is not None:
        raise ValueError(problem)
    return url
