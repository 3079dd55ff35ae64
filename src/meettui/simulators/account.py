"""The account a running simulator is used with: what `meettui simulate` prints once it
knows its port, ready to paste into config.toml, and how the secret is given.

Each simulator says what it accepts (`Simulator.account()`): its secrets, under the
names its provider's client asks for, with the variable the snippet keeps each in, and
the account's settings. The snippet is written here, as TOML (and the shell lines that
set the variables), knowing nothing of the clients: the simulators stand apart.
"""

from __future__ import annotations

import json
import shlex
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class SimSecret:
    """One secret of the account: given in the environment variable `env`."""

    name: str
    """The client's name for it (`api_key`, `client_id`, `private_key`…)."""
    env: str
    """The variable the snippet names for it (`secret_env`, `secret_envs`)."""
    value: str | None
    """What the simulator accepts; None when it does not hold it (a private key whose
    public key it was given): the variable is then read from a key file, and `missing`
    says which key that is."""
    missing: str = ""


@dataclass(frozen=True)
class SimAccount:
    """An account that uses the simulator, less its base URL (known once it listens)."""

    secrets: tuple[SimSecret, ...] = ()
    settings: dict[str, Any] = field(default_factory=dict)
    """`[accounts.settings]`: the event, the instance, a key file…"""


def snippet(kind: str, base_url: str, account: SimAccount) -> list[str]:
    """The lines `meettui simulate` prints for `account` of provider `kind` at
    `base_url`: an `[[accounts]]` table to paste into config.toml as it is, then the
    shell lines that give its secrets (none when the settings name a key file)."""
    lines = ["[[accounts]]", f"name = {_toml(f'{kind}-sim')}", f"provider = {_toml(kind)}",
             f"base_url = {_toml(base_url)}"]
    secrets = account.secrets
    if len(secrets) == 1:
        lines.append(f"secret_env = {_toml(secrets[0].env)}")
    elif secrets:
        pairs = ", ".join(f"{s.name} = {_toml(s.env)}" for s in secrets)
        lines.append(f"secret_envs = {{ {pairs} }}")
    if account.settings:
        lines.append("[accounts.settings]")
        lines += [f"{key} = {_toml(value)}" for key, value in account.settings.items()]
    if not secrets:
        return lines
    lines += ["", "and give meettui the secret in the shell it runs in:", ""]
    for secret in secrets:
        if secret.value is None:
            lines += [f"# {secret.missing}", f'export {secret.env}="$(cat KEY_FILE)"']
        else:
            lines.append(f"export {secret.env}={shlex.quote(secret.value)}")
    return lines


def _toml(value: Any) -> str:
    """`value` as a TOML value: a string quoted and escaped (a JSON string is a TOML basic
    string, every control character escaped; a Windows path's backslashes too), a number
    or a boolean as it is."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    return json.dumps(str(value))
