"""What the service says of its accounts: each one's provider, health, sync state,
capabilities and whether it takes changes (`AccountInfo`), for the accounts screen, the
status line and `meettui accounts`. `MeetingService` extends `AccountReads`; behind it
are `accounts.py` (the provider pool and health) and the cache's sync state.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from meettui.core.account_rules import IMPORTED_KIND
from meettui.core.accounts import AccountInfo, Health, ProviderPool, kept_health
from meettui.core.cache import Cache
from meettui.core.cache_walks import SyncState
from meettui.core.capabilities import ActionSpec, Capabilities
from meettui.core.clock import Clock
from meettui.core.config import Config
from meettui.core.errors import MeettuiError, end_sentence, retry_advice
from meettui.core.importing import restore_imported_account
from meettui.core.models import Meeting
from meettui.core.provider import Provider
from meettui.core.service_writes import Writes
from meettui.core.sync import Sync


class AccountReads:
    """The accounts of one service (`MeetingService` extends it): made with its
    `config`, `cache`, provider `pool`, `sync` and `writes`."""

    config: Config
    cache: Cache
    clock: Clock
    pool: ProviderPool
    sync: Sync
    writes: Writes

    def accounts(self) -> list[AccountInfo]:
        return [self.account_info(a.name) for a in self.config.accounts]

    def account_info(self, name: str) -> AccountInfo:
        account = self.config.account(name)
        cls = self.pool.provider_class(name)
        health, message = self.pool.health(name)
        sync = self.sync_state(name)
        # Nothing called it in this process (a deprecated service says no more than
        # that): what its last call in another process (a CLI run) left is the news.
        unknown = health in (Health.UNCHECKED, Health.DEPRECATED)
        wait_ends = self.pool.wait_ends(name)
        if unknown and sync.last_error:
            # That call failed: the health the app said then (unreachable, not
            # answering, auth failed...) and why, not "not synced yet".
            health, message = kept_health(sync.last_error_health), sync.last_error
            wait_ends = sync.last_error_until
        elif unknown and sync.last_synced is not None:
            # Its last sync went well.
            health = Health.OK
        if health == Health.RATE_LIMITED and wait_ends is not None:
            # The wait it asked for, as the failure said it, until it has passed
            # (`meettui accounts` and the accounts screen said the 429 alone).
            left = (wait_ends - self.clock.now()).total_seconds()
            if left > 0:
                message = f"{end_sentence(message)} {retry_advice(left, self.clock.now())}"
        return AccountInfo(
            config=account,
            display_name=cls.display_name,
            capabilities=cls.capabilities,
            health=health,
            sync=sync,
            read_only=self.is_read_only(name),
            message=_with_deprecation(message, cls.capabilities.deprecation),
        )

    def pick_up_accounts(self) -> bool:
        """Accounts the cache holds now that this service does not list yet (imported
        meetings another process kept: `meettui import`, another app's pasted link),
        added as at start (`restore_imported_account`). True when one was. Raises
        CacheError as the cache's reads do."""
        before = len(self.config.accounts)
        restore_imported_account(self.config, self.cache)
        return len(self.config.accounts) != before

    def is_read_only(self, name: str) -> bool:
        """Whether account `name` refuses changes: set so, or the cache cannot keep
        them (`Cache.read_only`)."""
        return self.pool.is_read_only(name) or self.cache.read_only is not None

    def set_read_only(self, name: str, value: bool) -> None:
        self.pool.set_read_only(name, value)

    def can_write(self, name: str) -> str | None:
        """Why account `name` refuses changes now (read-only), or None when it takes them."""
        return self.writes.can_write(name)

    def no_new_meetings(self, name: str) -> str | None:
        """Why account `name` makes no new meetings at all, a few words to follow its
        name ("it is read-only"), or None when it may (a cache held for now is not
        such a reason: `can_write` says that one at the change)."""
        if self.pool.is_read_only(name):
            return "it is read-only"
        if not self.capabilities(name).create:
            if self.pool.provider_class(name).kind == IMPORTED_KIND:
                return "it holds links pasted in from other services"
            return "its provider makes none here"
        return None

    def action_refusal(self, name: str, spec: ActionSpec) -> str | None:
        """Why action `spec` cannot run in account `name` now (`Writes.action_refusal`:
        a changing one on a read-only account), or None when it can."""
        return self.writes.action_refusal(name, spec)

    def capabilities(self, name: str) -> Capabilities:
        """What account `name`'s provider can do in general."""
        return self.pool.provider_class(name).capabilities

    def form_defaults(self, name: str) -> dict[str, Any]:
        """What account `name`'s create form starts from where its settings decide it
        (`Provider.form_defaults`); empty when its client cannot be made (no
        credentials: saving says so)."""
        try:
            return self.pool.get(name).form_defaults()
        except MeettuiError:
            return {}

    def field_label(self, name: str) -> str | None:
        """The label of the form field that gives option `name` (`FieldSpec.label`), from
        the first account whose provider has such a field; None when none has."""
        for account in self.config.accounts:
            field = self.capabilities(account.name).field(name)
            if field is not None:
                return field.label
        return None

    def capabilities_for(self, meeting: Meeting) -> Capabilities:
        """What can be done with this one meeting (`Provider.capabilities_for`)."""
        return self.pool.provider_class(meeting.account).capabilities_for(meeting)

    def display_name(self, name: str) -> str:
        return self.pool.provider_class(name).display_name

    def provider(self, name: str) -> Provider:
        """The client of account `name`. Raises ConfigError when its secrets are missing."""
        return self.pool.get(name)

    def sync_state(self, name: str) -> SyncState:
        """Where account `name`'s walk stands. An account whose meetings live on this
        machine only (no list to fetch) is complete: every one of them is in the cache
        (it said `complete: false` in `meettui accounts --json`)."""
        state = self.cache.sync_state(name)
        if not self.capabilities(name).remote_list:
            return replace(state, complete=True, cursor=None)
        return state

    def activity(self, name: str) -> str | None:
        """What a call of account `name` waits for right now (a rate limit, a retry)."""
        return self.pool.activity(name)

    def skipped(self, name: str) -> list[str]:
        """Why meetings of `name`'s latest walk could not be read and were left out."""
        return self.sync.skipped(name)


def _with_deprecation(message: str, deprecation: str | None) -> str:
    """An account's message with its provider's deprecation notice after it: a failure
    or missing credentials must not hide that the service is gone, nor the notice them."""
    if not deprecation or deprecation in message:
        return message
    return f"{end_sentence(message)} {deprecation}" if message else deprecation
