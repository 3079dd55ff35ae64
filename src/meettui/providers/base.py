"""The interface every provider client implements.

A provider turns its own wire format, paging and errors into the neutral model
(`Meeting`, `Page`) and the error taxonomy. It never touches the cache or the UI.
"""

from __future__ import annotations

import asyncio
from abc import ABC, abstractmethod
from collections.abc import Awaitable, Callable
from typing import ClassVar

import httpx

from meettui.core.clock import SYSTEM_CLOCK, Clock
from meettui.core.config import AccountConfig
from meettui.core.errors import NotSupported
from meettui.core.http import RetryPolicy
from meettui.core.models import Capabilities, Meeting, MeetingSpec, Page


class Provider(ABC):
    kind: ClassVar[str]
    display_name: ClassVar[str]
    capabilities: ClassVar[Capabilities]
    # Names of the secrets the account must supply (resolved by config).
    secrets: ClassVar[tuple[str, ...]] = ()
    default_base_url: ClassVar[str | None] = None

    def __init__(
        self,
        account: AccountConfig,
        *,
        secrets: dict[str, str] | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        clock: Clock = SYSTEM_CLOCK,
    ) -> None:
        self.account = account
        self._secrets = secrets or {}
        self.transport = transport
        self.clock = clock
        # HTTP providers build their ApiClient from these on first use; tests and the
        # conformance harness set them first (short timeouts, sleeps that record).
        self.policy = RetryPolicy()
        self.sleep: Callable[[float], Awaitable[None]] = asyncio.sleep

    def __repr__(self) -> str:
        return f"{type(self).__name__}(account={self.account.name!r})"

    @property
    def base_url(self) -> str:
        url = self.account.base_url or self.default_base_url
        if not url:
            raise NotSupported(f"{self.display_name} needs a base_url")
        return url.rstrip("/")

    @abstractmethod
    async def list_page(self, cursor: str | None = None, limit: int | None = None) -> Page:
        """One page of meetings; `cursor` is what the previous page returned."""

    @abstractmethod
    async def get(self, meeting_id: str) -> Meeting: ...

    @abstractmethod
    async def create(self, spec: MeetingSpec) -> Meeting: ...

    async def update(self, meeting_id: str, spec: MeetingSpec) -> Meeting:
        raise NotSupported(f"{self.display_name} cannot edit meetings in place")

    async def delete(self, meeting_id: str) -> None:
        raise NotSupported(f"{self.display_name} cannot delete meetings")

    async def run_action(
        self, meeting_id: str, action: str, params: dict, *, local: dict | None = None
    ) -> Meeting:
        """Run one of `capabilities.actions`; returns the meeting as it is afterwards.

        `local` is what meettui keeps about the meeting (its cached `Meeting.local`), for
        providers with `local_facts`; they answer with the whole updated `local`."""
        raise NotSupported(f"{self.display_name} has no action {action!r}")

    async def aclose(self) -> None:  # noqa: B027 - optional hook; most providers hold a client
        """Release connections; safe to call twice."""
