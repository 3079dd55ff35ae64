"""Fixtures for provider clients against their simulators over real loopback sockets."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest
from provider_harness import FAST_POLICY, HARNESSES, Harness

from meettui.core.cache import Cache
from meettui.core.config import Config
from meettui.core.http import RetryPolicy
from meettui.core.provider import Provider
from meettui.core.service import MeetingService


@pytest.fixture(params=sorted(HARNESSES), ids=lambda kind: kind)
def harness(request) -> Harness:
    return HARNESSES[request.param]


class Sleeps(list):
    """Records every wait a client asks for; yields to the loop instead of sleeping."""

    async def __call__(self, seconds: float) -> None:
        self.append(seconds)
        await asyncio.sleep(0)


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


@pytest.fixture
async def make_provider(sleeps: Sleeps, sim_clock) -> AsyncIterator[Callable[..., Provider]]:
    """`make_provider(harness, server, policy=FAST_POLICY, secrets=None,
    transport=None)`; closed after."""
    made: list[Provider] = []

    def make(harness: Harness, server: Any, *, policy: RetryPolicy = FAST_POLICY,
             secrets: dict[str, str] | None = None,
             transport: httpx.AsyncBaseTransport | None = None) -> Provider:
        provider = harness.provider(server, sim_clock, policy=policy, sleep=sleeps,
                                    secrets=secrets, transport=transport)
        made.append(provider)
        return provider

    yield make
    for provider in made:
        await provider.aclose()


@pytest.fixture
async def make_service(tmp_path, sim_clock, sleeps) -> AsyncIterator[Callable[..., Any]]:
    """`make_service(harness, server, env=None, transport=None) -> (service,
    account_name)` on a fresh cache file; `env` replaces the environment the secrets are
    read from (default: the harness's secrets, as they are); `transport` carries the
    account's requests."""
    made: list[MeetingService] = []

    def make(harness: Harness, server: Any, *, policy: RetryPolicy = FAST_POLICY,
             env: dict[str, str] | None = None,
             transport: httpx.AsyncBaseTransport | None = None):
        account = harness.account(server)
        cache = Cache(tmp_path / f"cache-{len(made)}.sqlite3")
        service = MeetingService(
            config=Config(accounts=[account]), cache=cache, clock=sim_clock,
            env=harness.env() if env is None else env,
            transports={account.name: transport} if transport is not None else {},
        )
        harness.configure(service.provider(account.name), policy, sleeps)
        made.append(service)
        return service, account.name

    yield make
    for service in made:
        await service.aclose()
        service.cache.close()
