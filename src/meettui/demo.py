"""The demo: built-in accounts backed by in-process simulators, used when the user has
configured no account. Everything here is labelled demo data wherever it shows.

Part of the composition root: it knows the providers (through the registry) and the
simulators (through theirs), and wires them into a service; core knows neither. A
provider gets a demo account by declaring `DEMO` in its simulator package.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable

import httpx

from meettui.core.clock import Clock
from meettui.core.config import AccountConfig
from meettui.core.registry import provider_kinds
from meettui.core.service import MeetingService
from meettui.simulators.registry import demo_spec

DEMO_SEED = 7


def demo_accounts(providers: Iterable[str] | None = None) -> list[AccountConfig]:
    """The demo accounts, one per registered provider whose simulator declares `DEMO`,
    in registry order; `providers` limits them to those kinds (tests pin their set)."""
    wanted = None if providers is None else set(providers)
    accounts = []
    for kind in provider_kinds():
        spec = demo_spec(kind)
        if spec is None or (wanted is not None and kind not in wanted):
            continue
        accounts.append(AccountConfig(
            name=spec.account,
            provider=kind,
            base_url=f"http://{kind}.demo.invalid{spec.base_path}",
            settings=spec.settings,
            demo=True,
        ))
    return accounts


class SimulatorTransport(httpx.AsyncBaseTransport):
    """Serves a demo account's simulator in this process: no socket, no network. The
    simulator is built on the first request, so a demo that is never refreshed (the
    CLI reading the cache) does not pay for it."""

    def __init__(self, kind: str, clock: Clock,
                 titles: Callable[[dict[str, str]], None] | None = None) -> None:
        self.kind = kind
        self.clock = clock
        # Told the seeded meetings' titles when the simulator is built (before it answers).
        self._titles = titles
        self._inner: httpx.ASGITransport | None = None

    def _transport(self) -> httpx.ASGITransport:
        if self._inner is None:
            from meettui.simulators.registry import build

            spec = demo_spec(self.kind)
            assert spec is not None  # only demo accounts get this transport
            # The seeded meetings are the same every run (so the cache keeps matching
            # them); what is created at run time gets ids no earlier run handed out
            # (`Simulator.runtime_random`): the cache outlives this simulator.
            simulator = build(self.kind, seed=DEMO_SEED, meetings=spec.meetings,
                              clock=self.clock, **spec.options)
            if self._titles is not None:
                self._titles(simulator.demo_titles())
            self._inner = httpx.ASGITransport(app=simulator.app)
        return self._inner

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        return await self._transport().handle_async_request(request)

    async def aclose(self) -> None:
        if self._inner is not None:
            await self._inner.aclose()


def attach(service: MeetingService) -> None:
    """Give every demo account of the service its secrets and its in-process simulator."""
    for account in service.config.accounts:
        spec = demo_spec(account.provider) if account.demo else None
        if spec is None:
            continue
        service.secrets.setdefault(account.name, dict(spec.secrets))
        service.transports.setdefault(account.name, SimulatorTransport(
            account.provider, service.clock,
            titles=functools.partial(service.suggest_titles, account.name)))


def install(service: MeetingService, providers: Iterable[str] | None = None) -> None:
    """Add the demo accounts to a service whose config has none, and wire them."""
    names = {a.name for a in service.config.accounts}
    service.config.accounts += [a for a in demo_accounts(providers) if a.name not in names]
    attach(service)
