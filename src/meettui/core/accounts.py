"""Accounts as the user sees them: which provider, how healthy, whether writable, and
the provider client that serves each (built on first use from injected secrets and
transports)."""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING

from meettui.core.cache_walks import SyncState
from meettui.core.capabilities import Capabilities
from meettui.core.clock import Clock
from meettui.core.config import AccountConfig, Config, resolve_secrets
from meettui.core.errors import (
    AuthError,
    CacheError,
    ConfigError,
    CredentialsError,
    MeettuiError,
    NotFound,
    ProviderError,
    RateLimited,
    Unavailable,
    ValidationError,
)
from meettui.core.provider import Provider
from meettui.core.registry import provider_class

if TYPE_CHECKING:
    import httpx

log = logging.getLogger("meettui.service")


class Health(StrEnum):
    OK = "ok"
    UNCHECKED = "not synced yet"
    LOCAL = "local only"
    NEEDS_CREDENTIALS = "needs credentials"
    AUTH_FAILED = "auth failed"
    UNREACHABLE = "unreachable"
    NO_ANSWER = "not answering"
    RATE_LIMITED = "rate limited"
    ERROR = "error"
    DEPRECATED = "deprecated service"


_FAILING = (Health.UNREACHABLE, Health.NO_ANSWER, Health.ERROR, Health.AUTH_FAILED,
            Health.RATE_LIMITED, Health.NEEDS_CREDENTIALS)
"""What a call that goes through shows to be over."""

_KEPT = (Health.OK, *_FAILING)
"""What the cache keeps beside an account's last error (`SyncState.last_error_health`):
what the failure left the account in (ok: a sync that went through but left meetings
out). Every failing kind: one left out (a rate limit) was "ok" in a later process
(`meettui accounts`) while the app that met it said "rate limited"."""

FAILING_NAMES = tuple(health.name for health in _FAILING)
"""The `Health` names a failure keeps in the cache: a call that goes through ends them."""


def kept_health(name: str | None) -> Health:
    """The health the cache kept with an account's last error, by its `Health` name;
    an error when none was kept (a cache from before schema v8) or the name is not one
    that a last error leaves."""
    for health in _KEPT:
        if health.name == name:
            return health
    return Health.ERROR


@dataclass(frozen=True)
class AccountInfo:
    """One account as the accounts screen and `meettui accounts` show it."""

    config: AccountConfig
    display_name: str
    capabilities: Capabilities
    health: Health
    sync: SyncState
    read_only: bool
    message: str = ""

    @property
    def name(self) -> str:
        return self.config.name

    @property
    def provider(self) -> str:
        return self.config.provider

    @property
    def demo(self) -> bool:
        return self.config.demo


@dataclass
class ProviderPool:
    """One provider client per account, built on first use, plus what is known of each
    account's health. Secrets come from `secrets` (the demo's, tests') or else from the
    environment or keyring the account names; transports from `transports`."""

    config: Config
    clock: Clock
    env: Mapping[str, str] | None = None
    secrets: dict[str, dict[str, str]] = field(default_factory=dict)
    transports: dict[str, httpx.AsyncBaseTransport] = field(default_factory=dict)
    _providers: dict[str, Provider] = field(default_factory=dict, init=False)
    _health: dict[str, tuple[Health, str]] = field(default_factory=dict, init=False)
    _read_only: dict[str, bool] = field(default_factory=dict, init=False)
    _activity: dict[str, str] = field(default_factory=dict, init=False)
    _wait_ends: dict[str, datetime] = field(default_factory=dict, init=False)

    def provider_class(self, name: str) -> type[Provider]:
        """The client class of account `name`. Raises ConfigError for an unknown name."""
        return provider_class(self.config.account(name).provider)

    def get(self, name: str) -> Provider:
        """The client of account `name`. Raises ConfigError (and notes that the account
        needs credentials) when its secrets cannot be found."""
        if name in self._providers:
            return self._providers[name]
        account = self.config.account(name)
        cls = provider_class(account.provider)
        try:
            secrets = self.secrets.get(name)
            if secrets is None:
                secrets = resolve_secrets(account, cls.secrets, self.env,
                                          optional=cls.optional_secrets)
            provider = cls(account, secrets=secrets, transport=self.transports.get(name),
                           clock=self.clock)
        except ConfigError as exc:
            self._health[name] = (Health.NEEDS_CREDENTIALS, str(exc))
            raise
        provider.notice = lambda text: self._activity.__setitem__(name, text)
        self._providers[name] = provider
        return provider

    def activity(self, name: str) -> str | None:
        """What a call of account `name` is waiting for right now ("rate limited,
        retrying in 17 s"), or None."""
        return self._activity.get(name)

    def call_ended(self, name: str) -> None:
        self._activity.pop(name, None)

    async def aclose(self) -> None:
        for provider in list(self._providers.values()):
            try:
                await provider.aclose()
            except Exception:  # noqa: BLE001 - closing must not mask the real outcome
                log.exception("closing %r failed", provider)
        self._providers.clear()

    # -- read-only ------------------------------------------------------------------

    def is_read_only(self, name: str) -> bool:
        return self._read_only.get(name, self.config.account(name).read_only)

    def set_read_only(self, name: str, value: bool) -> None:
        self._read_only[name] = value

    # -- health ---------------------------------------------------------------------

    def health(self, name: str) -> tuple[Health, str]:
        """What is known of the account: from the last provider call, else from its
        configuration alone. Credentials that cannot be had (a secret unset, a key file
        gone: `Provider.check_credentials`) come before "deprecated service", which only
        says that nothing else is known yet (the front ends show a deprecation anyway)."""
        known = self._health.get(name)
        if known is not None:
            return known
        account = self.config.account(name)
        cls = provider_class(account.provider)
        if not cls.capabilities.remote_list:
            return Health.LOCAL, ""
        given = self.secrets.get(name)
        if given is not None or not account.demo:
            try:
                secrets = given if given is not None else resolve_secrets(
                    account, cls.secrets, self.env, optional=cls.optional_secrets)
                cls.check_credentials(account, secrets)
            except ConfigError as exc:
                return Health.NEEDS_CREDENTIALS, str(exc)
        if cls.capabilities.deprecation:
            return Health.DEPRECATED, ""
        if account.demo or given is not None:
            return Health.OK, ""
        return Health.UNCHECKED, ""

    def note_success(self, name: str) -> None:
        self._health[name] = (Health.OK, "")

    def note_answered(self, name: str) -> bool:
        """A call of the account went through: a failure noted before (unreachable, an
        error, refused credentials, a rate limit) is over. Nothing else changes: an
        account not synced yet is still that. True when a failure the cache keeps
        (noted here, or by an earlier process: nothing is known here yet) may be over
        now: the caller clears it there, or a later process would still say it."""
        known = self._health.get(name, (None, ""))[0]
        if known in _FAILING:
            self._health[name] = (Health.OK, "")
            self._wait_ends.pop(name, None)
        return known is None or known in _FAILING

    def wait_ends(self, name: str) -> datetime | None:
        """When the wait the account's last rate limit asked for ends (None: it is not
        rate limited, or the provider said no wait)."""
        if self._health.get(name, (None, ""))[0] != Health.RATE_LIMITED:
            return None
        return self._wait_ends.get(name)

    def note_failure(self, name: str, exc: MeettuiError) -> str | None:
        """Record what a failed call says about the account; returns the message to keep
        as the account's last error, or None when the failure was about one request."""
        if isinstance(exc, CacheError):
            return None  # this machine's file, not the account
        if isinstance(exc, ConfigError):
            # Every call fails the same way until the config is fixed (a private key
            # that is not PEM, a base_url that is no http address): kept, with what to
            # do, for `meettui accounts` and the accounts screen to say. They said
            # "deprecated service" or "not synced yet", and nothing of the failure.
            health = (Health.NEEDS_CREDENTIALS if isinstance(exc, CredentialsError)
                      else Health.ERROR)
            self._health[name] = (health, exc.paragraph())
            return exc.paragraph()
        if isinstance(exc, AuthError):
            health = Health.AUTH_FAILED
        elif isinstance(exc, Unavailable):
            # A server that answered (a 5xx) is up but failing; one that took the request
            # and gave no answer (in time) is up but not answering (it was shown as
            # offline); only a connection never made is unreachable.
            health = (Health.ERROR if exc.status is not None
                      else Health.NO_ANSWER if exc.reached else Health.UNREACHABLE)
        elif isinstance(exc, RateLimited):
            # The server is up (it stayed "offline" after a 429) but refuses calls for a
            # while: said until a call goes through (it said "ok" while every request
            # was refused), in this process and, kept in the cache, in a later one. A
            # 429 proves no key: refused credentials stay the news.
            if self._health.get(name, (None, ""))[0] == Health.AUTH_FAILED:
                return None
            self._health[name] = (Health.RATE_LIMITED, exc.message)
            # The wait it asked for, said beside it until it has passed ("Try again in
            # 12 min.": `meettui accounts` and the accounts screen left it out).
            if exc.retry_after is not None and math.isfinite(exc.retry_after):
                self._wait_ends[name] = self.clock.now() + timedelta(
                    seconds=min(exc.retry_after, 10 * 365 * 86400.0))
            else:
                self._wait_ends.pop(name, None)
            return exc.message
        elif isinstance(exc, NotFound | ValidationError):
            # About one request, not about the account: its health is unchanged.
            return None
        elif isinstance(exc, ProviderError):
            # Malformed or unexpected answers: the account is up but not usable.
            health = Health.ERROR
        else:
            return None
        # Refused credentials, an answer that cannot be read: with what to do (which
        # variable to check), which `meettui accounts` and the accounts screen left out
        # ("auth failed" and the request alone). Not for a server down or late, whose
        # health says it ("try again later" is all its hint adds).
        said = exc.message if isinstance(exc, Unavailable) else exc.paragraph()
        self._health[name] = (health, said)
        return said
