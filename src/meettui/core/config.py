"""Where meettui keeps things, and the accounts the user configured.

The TOML file names accounts and non-secret settings only. Secrets come from the
environment variable an account names, or from the system keyring when one is
installed; they are registered for redaction the moment they are read.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Collection, Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator
from pydantic import ValidationError as PydanticValidationError

from meettui.core.account_rules import (
    ACCOUNT_NAME_RE,
    BUILTIN_JITSI_KIND,
    BUILTIN_JITSI_NAME,
    ENV_NAME_RE,
    adds_builtin_jitsi,
    base_url_problem,
)
from meettui.core.config_errors import line_of, problem, toml_fix, toml_problem
from meettui.core.errors import ConfigError, CredentialsError, UnknownAccountName
from meettui.core.invitation import DEFAULT_INVITATION, template_problem
from meettui.core.path_advice import not_permissions, not_regular
from meettui.core.paths import APP as APP
from meettui.core.paths import CACHE_ENV as CACHE_ENV
from meettui.core.paths import CONFIG_ENV as CONFIG_ENV
from meettui.core.paths import LOG_ENV as LOG_ENV
from meettui.core.paths import THEMES_ENV as THEMES_ENV
from meettui.core.paths import cache_path as cache_path
from meettui.core.paths import config_path as config_path
from meettui.core.paths import log_path as log_path
from meettui.core.paths import overridden as overridden
from meettui.core.paths import user_themes_path as user_themes_path
from meettui.core.redact import clean_secret
from meettui.core.registry import provider_class, provider_kinds

NAME_RE = ACCOUNT_NAME_RE  # (the rule lives in core/account_rules.py)


_ENV_NAME = ENV_NAME_RE  # (the rule lives in core/account_rules.py, as NAME_RE's)


class AccountConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    provider: str
    base_url: str | None = None
    # Single-secret providers: the variable holding the API key.
    secret_env: str | None = None
    # Providers with several secrets (client id + secret, app id + private key).
    secret_envs: dict[str, str] = Field(default_factory=dict)
    # Keyring service name; the username is the account name.
    keyring: str | None = None
    # Strict: TOML has true and false; "yes" or 0 was taken as a bool without a word.
    read_only: bool = Field(default=False, strict=True)
    settings: dict[str, Any] = Field(default_factory=dict)
    # Set only for built-in demo accounts backed by an in-process simulator.
    demo: bool = False

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        if not NAME_RE.match(value):
            raise ValueError(
                "use letters, digits, '-', '_' or '.', starting with a letter or digit"
            )
        return value

    @field_validator("base_url")
    @classmethod
    def _base_url(cls, value: str | None) -> str | None:
        # A pydantic message does not quote the value, so the password is not repeated.
        problem = base_url_problem(value) if value is not None else None
        if problem is not None:
            raise ValueError(problem)
        return value

    @field_validator("secret_env")
    @classmethod
    def _secret_env(cls, value: str | None) -> str | None:
        if value is not None and not _ENV_NAME.match(value):
            raise ValueError("an environment variable name: letters, digits and _, "
                             "not starting with a digit")
        return value

    @field_validator("secret_envs")
    @classmethod
    def _secret_envs(cls, value: dict[str, str]) -> dict[str, str]:
        for name in value.values():
            if not _ENV_NAME.match(name):
                raise ValueError(f"{name!r} is not an environment variable name (letters, "
                                 "digits and _, not starting with a digit)")
        return value

    @field_validator("provider")
    @classmethod
    def _provider(cls, value: str) -> str:
        kinds = provider_kinds()
        if value not in kinds:
            raise ValueError(f"unknown provider; choose one of: {', '.join(kinds)}")
        return value

    def secret_sources(self, primary: str = "api_key") -> dict[str, str]:
        sources = dict(self.secret_envs)
        if self.secret_env:
            sources.setdefault(primary, self.secret_env)
        return sources


class Config(BaseModel):
    model_config = ConfigDict(extra="forbid")

    theme: str = "meettui-dark"
    accounts: list[AccountConfig] = Field(default_factory=list)
    keymap: dict[str, str] = Field(default_factory=dict)
    # The credential-free Jitsi account is offered unless the user turns it off.
    builtin_jitsi: bool = Field(default=True, strict=True)
    # "Copy as invitation": plain text with {title} {when} {link}… (core/invitation.py).
    invitation: str = DEFAULT_INVITATION
    path: Path | None = Field(default=None, exclude=True)
    # True when no account was configured: the composition root adds the demo accounts.
    is_demo: bool = Field(default=False, exclude=True)

    @field_validator("invitation")
    @classmethod
    def _invitation(cls, value: str) -> str:
        problem = template_problem(value)
        if problem is not None:
            raise ValueError(problem)
        return value

    def account(self, name: str) -> AccountConfig:
        for account in self.accounts:
            if account.name == name:
                return account
        names = [a.name for a in self.accounts]
        raise UnknownAccountName(
            f"No account named {name!r}.", known=names,
            hint=f"Known accounts: {', '.join(names) or 'none'}. `meettui accounts` lists "
            "them.",
        )


BUILTIN_JITSI = AccountConfig(name=BUILTIN_JITSI_NAME, provider=BUILTIN_JITSI_KIND)


def load_config(path: Path | None = None) -> Config:
    """The config at `path` (default: `config_path()`); the built-in defaults when the
    file does not exist. ConfigError, naming the file, for one that cannot be read."""
    named = path is None and overridden(CONFIG_ENV)
    path = path or config_path()
    other = (f"point {CONFIG_ENV} at another file, or unset it" if named
             else f"or set {CONFIG_ENV} to another file")
    if _is_dir(path):
        if named:
            raise ConfigError(f"{CONFIG_ENV} points at {path}, which is a directory, "
                              "not a config file.",
                              hint=f"Set {CONFIG_ENV} to a file, e.g. {path / 'config.toml'}, "
                              "or unset it.")
        raise ConfigError(f"The config file {path} is a directory.",
                          hint=f"Move it aside (meettui reads its config from that name), "
                          f"{other}.")
    where = f"{path} (set by {CONFIG_ENV})" if named else str(path)
    odd = not_regular(path)
    if odd is not None and _is_devnull(path):
        return parse_config("", path)  # "no config", as /dev/null says it elsewhere
    if odd is not None:
        # Reading a named pipe waits for a writer: `meettui accounts` hung for ever.
        raise ConfigError(f"The config file {where} is {odd}, not a file.",
                          hint=f"Point meettui at a TOML file: move it aside, {other}.")
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return with_builtins(Config(path=path))
    except OSError as exc:
        reason = (exc.strerror or type(exc).__name__).lower()
        fix = not_permissions(exc, path)
        raise ConfigError(f"Cannot read the config file {where}: {reason}.",
                          hint=f"{fix} Or {other}." if fix else
                          f"Make it readable by you (chmod u+r {path}), {other}.") from None
    try:
        # utf-8-sig: a byte-order mark (as some Windows editors write) is not content.
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ConfigError(
            f"{path}, line {line}: not UTF-8 text (byte 0x{data[exc.start]:02x}).",
            hint="Save the file as UTF-8 (in most editors: Save with encoding → UTF-8).",
        ) from None
    return parse_config(text, path)


def _is_devnull(path: Path) -> bool:
    try:
        return os.path.samefile(path, os.devnull)
    except OSError:
        return False


def _is_dir(path: Path) -> bool:
    try:
        return path.is_dir()
    except OSError:  # a parent it may not look into: reading the file says more
        return False


def parse_config(text: str, path: Path) -> Config:
    text = text.removeprefix("\ufeff")  # a byte-order mark, however the text was read
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line, where, what = toml_problem(exc, text)
        ends = where.endswith("file ends")
        raise ConfigError(
            f"{path}, {where}: not valid TOML: {what}.",
            hint=(f"The file ends before line {line} is complete (cut short, or a quote "
                  "or bracket left open): complete that line or restore the file."
                  if ends else toml_fix(exc, line)),
        ) from None
    try:
        config = Config.model_validate(data)
    except PydanticValidationError as exc:
        raise problem(exc.errors(), text, path, data, known=_keys_at,
                      owner=_owner_of) from None
    names = [a.name for a in config.accounts]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise ConfigError(
            f"{path}, line {line_of(text, ('accounts', names.index(dupes[0]) + 1, 'name'))}: "
            f"account name {dupes[0]!r} is used twice.",
            hint="Give every account a unique `name`.",
        )
    for index, account in enumerate(config.accounts):
        _check_settings(account, index, text, path, data)
    config.path = path
    return with_builtins(config)


def _keys_at(parent: tuple[Any, ...]) -> Collection[str]:
    """The keys the file's table at `parent` takes: the file's own, an account's."""
    if parent == ():
        return [k for k in Config.model_fields if k not in ("path", "is_demo")]
    if len(parent) == 2 and parent[0] == "accounts":
        return list(AccountConfig.model_fields)
    return ()


def _owner_of(parent: tuple[Any, ...]) -> str:
    if len(parent) == 2 and parent[0] == "accounts":
        return "a key of an [[accounts]] entry"
    return "a key meettui knows there" if parent else "a key of the config file"


def _check_settings(account: AccountConfig, index: int, text: str, path: Path,
                    data: Any) -> None:
    """The account's `[accounts.settings]` against its provider's `Settings` model, with
    the file and line of the first problem (a misspelled `domian` is an error, named
    next to the setting it was meant for)."""
    cls = provider_class(account.provider)
    try:
        cls.Settings.model_validate(account.settings)
    except PydanticValidationError as exc:
        base = ("accounts", index, "settings")
        raise problem(exc.errors(), text, path, data, base=base,
                      known=lambda parent: list(cls.Settings.model_fields)
                      if parent == base else (),
                      owner=lambda _parent: f"a setting of {cls.display_name}") from None


def with_builtins(config: Config) -> Config:
    """Mark a config without accounts as the demo's, and add the built-in Jitsi account
    unless `builtin_jitsi = false`. The demo's own accounts are added by the composition
    root (`meettui.bootstrap`): core knows no provider."""
    accounts = list(config.accounts)
    config.is_demo = not accounts
    if adds_builtin_jitsi((a.name for a in accounts), config.builtin_jitsi):
        accounts.insert(0, BUILTIN_JITSI)
    config.accounts = accounts
    return config


def resolve_secrets(
    account: AccountConfig,
    required: tuple[str, ...],
    env: Mapping[str, str] | None = None,
    *,
    optional: tuple[str, ...] = (),
) -> dict[str, str]:
    """Read the secrets `required` by the account's provider; say exactly what is missing.

    `optional` secrets are read the same way when the account names a source for them
    (a variable in `secret_env`/`secret_envs`, or its keyring) and left out otherwise; a
    provider that can take a credential from elsewhere too (a key file named in its
    settings) asks for it this way and says what is missing itself. `secret_env` stands
    for the first required secret, or the first optional one when none is required.

    Every value loses its surrounding whitespace and is registered for redaction
    (`redact.clean_secret`); one that is blank counts as missing. Raises ConfigError
    naming the variable (or keyring entry) to set for a required secret not found."""
    names = (*required, *optional)
    if not names:
        return {}
    env = os.environ if env is None else env
    named = account.secret_envs.get(names[0])
    if account.secret_env and named and named != account.secret_env:
        # Both name the first secret's variable; secret_envs won without a word.
        raise ConfigError(
            f"Account {account.name!r} names two variables for its "
            f"{names[0].replace('_', ' ')}: secret_env ({account.secret_env}) and "
            f"secret_envs.{names[0]} ({named}).",
            hint="Keep one of them in the config.")
    sources = account.secret_sources(names[0])
    found: dict[str, str] = {}
    for name in names:
        var = sources.get(name)
        # Whitespace around a value is dropped and the value registered for redaction
        # (clean_secret): a blank variable counts as unset.
        value = clean_secret(env.get(var)) if var else None
        source = f"${var}" if value else f"its keyring entry {account.name}:{name}"
        keyring_said = ""
        if not value and account.keyring:
            value, keyring_said = _from_keyring(account.keyring, f"{account.name}:{name}")
        if not value and name in optional:
            continue
        if not value:
            raise missing_secret(account, name, var, first=name == names[0],
                                 keyring_said=keyring_said)
        if any("\ud800" <= c <= "\udfff" for c in value):
            # Bytes that are not UTF-8 (Python keeps them as lone surrogates): no
            # request can carry them, and encoding one failed as "unexpected error".
            raise CredentialsError(
                f"Account {account.name!r}: its {name.replace('_', ' ')} ({source}) holds "
                "bytes that are not UTF-8 text, which no request can carry, so nothing "
                "was sent.",
                hint=f"Set {source} to the {name.replace('_', ' ')} as the provider shows "
                "it (saved as UTF-8 text).")
        found[name] = value
    return found


def missing_secret(account: AccountConfig, name: str, var: str | None, *, first: bool,
                   keyring_said: str = "") -> CredentialsError:
    """The error of `account`'s secret `name` not found: the message names the variable
    the config says to read (`var`: "$WB_KEY is not set"), or, when it names none, the
    setting to add (`secret_env` for the `first` secret, which it stands for, else
    `secret_envs.NAME`); the hint says what to do, a keyring's reason (`keyring_said`)
    first. It said "needs its api key." alone, the variable in the hint only."""
    what = name.replace("_", " ")
    suggested = var or f"MEETTUI_{account.name.upper().replace('-', '_').replace('.', '_')}" \
        f"_{name.upper()}"
    setting = (f"`secret_env` (or `secret_envs.{name}`)" if first
               else f"`secret_envs.{name}`")
    if var:
        why = f"${var} is not set (or is blank)"
        fix = f"set {var} in the environment"
    else:
        why = (f"its keyring entry {account.name}:{name} gave nothing, and it names no "
               f"variable for it ({setting})" if account.keyring
               else f"it names no variable for it: add {setting} to the account")
        fix = (f'add `secret_env = "{suggested}"` (or secret_envs.{name}) to the account '
               f"in the config and set {suggested}" if first
               else f'add `{name} = "{suggested}"` to the account\'s `secret_envs` in the '
               f"config and set {suggested}")
    if keyring_said:
        # The account names a keyring: why it gave nothing comes first.
        fix = f"{keyring_said}; or {fix}"
    return CredentialsError(f"Account {account.name!r} needs its {what}: {why}.",
                            hint=f"To fix: {fix}.")


def install_command(package: str) -> str:
    """The command that installs `package` into the environment meettui runs in.

    "pip install keyring" installed it wherever `pip` pointed (in a uv checkout, not the
    project's .venv, which has no pip). With pip in meettui's environment, that pip;
    without (a uv environment), uv aimed at meettui's interpreter."""
    import importlib.util
    import shlex
    import sys

    python = shlex.quote(sys.executable)
    try:
        has_pip = importlib.util.find_spec("pip") is not None
    except ValueError:  # a `pip` module without a spec: treat as absent
        has_pip = False
    if has_pip:
        return f"{python} -m pip install {package}"
    return f"uv pip install --python {python} {package}"


def _from_keyring(service: str, username: str) -> tuple[str | None, str]:
    """The secret stored under (`service`, `username`) in the system keyring, and when
    there is none, what to do about it (the keyring package missing, its backend failing,
    or nothing stored: the message used to suggest an environment variable only)."""
    try:
        import keyring  # optional: only used when the user installed it
    except ImportError:
        return None, ("the keyring package is not installed in meettui's environment, so "
                      f"the keyring service {service!r} cannot be read (install it there: "
                      f"{install_command('keyring')})")
    try:
        value = keyring.get_password(service, username)
    except Exception as exc:  # noqa: BLE001 - a broken keyring backend is "no secret", not a crash
        return None, f"the system keyring could not be read ({type(exc).__name__})"
    value = clean_secret(value) if isinstance(value, str) else None
    if value:
        return value, ""
    return None, (f"store it in the keyring: keyring set {service} {username}")

