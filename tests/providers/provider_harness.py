"""How the conformance suite drives each provider: one `Harness` entry per provider.

A provider joins the suite (tests/providers/test_conformance.py) with a file
`tests/providers/<kind>/harness.py` that defines `HARNESS`; it is found by name, so no
central list names a provider. An entry says:

- how to start its simulator on a real loopback socket with N seeded meetings and no
  throttling of its own (`start`);
- which secrets the client needs for that simulator, and a set that the simulator
  refuses (`secrets`, `wrong_secrets`); they go to the provider under the secret names
  its class declares;
- a valid MeetingSpec (`spec`), given the simulator's "now";
- an id that does not exist (`unknown_id`);
- how to make the client fast to test (`configure`): the default sets the `policy`
  (a core.http.RetryPolicy) and `sleep` attributes, which a provider built on
  core.http.ApiClient should read when it builds its client on first use.

Faults are injected through the simulator's shared `Faults` object (every simulator
has one): `sim.faults.queue("503", 2)`, `sim.faults.update(latency=...)`, and
`retry_after_ms`, which each simulator's 429 must announce (Retry-After or its own body
field) so that the client's wait can be checked.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from meettui.core.clock import Clock
from meettui.core.config import AccountConfig
from meettui.core.http import RetryPolicy
from meettui.core.models import MeetingSpec
from meettui.core.provider import Provider
from meettui.core.registry import provider_class

Sleep = Callable[[float], Awaitable[None]]

# Fast but real: timeouts short enough for a latency fault to trip them in well under
# a second, retries few enough that "persistent" failures are quick to queue.
FAST_POLICY = RetryPolicy(
    max_attempts=3, backoff_base=0.01, backoff_max=0.05, max_total_wait=5.0,
    connect_timeout=2.0, read_timeout=2.0,
)


def set_policy_attributes(provider: Provider, policy: RetryPolicy, sleep: Sleep) -> None:
    provider.policy = policy  # type: ignore[attr-defined]
    provider.sleep = sleep  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Harness:
    kind: str
    # Secrets by the provider class's secret names, as the simulator expects them.
    secrets: dict[str, str]
    wrong_secrets: dict[str, str]
    # start(sim_server, clock, meetings) -> RunningSim (see tests/conftest.py)
    start: Callable[[Any, Clock, int], Any]
    spec: Callable[[datetime], MeetingSpec]
    unknown_id: str
    configure: Callable[[Provider, RetryPolicy, Sleep], None] = set_policy_attributes
    # The account's base_url for a running simulator.
    base_url: Callable[[Any], str] = lambda server: server.base_url
    # Provider-specific AccountConfig fields (settings = {...}, ...).
    account_extra: dict[str, Any] = field(default_factory=dict)

    def env(self, name: str = "conf") -> dict[str, str]:
        """Environment holding the secrets, matching `account()`'s secret_envs."""
        return {self._var(name, key): value for key, value in self.secrets.items()}

    def _var(self, name: str, secret: str) -> str:
        return f"MEETTUI_TEST_{self.kind.upper()}_{name.upper()}_{secret.upper()}"

    def account(self, server: Any, name: str = "conf") -> AccountConfig:
        return AccountConfig(
            name=f"{self.kind}-{name}",
            provider=self.kind,
            base_url=self.base_url(server),
            secret_envs={key: self._var(name, key) for key in self.secrets},
            **self.account_extra,
        )

    def provider(
        self,
        server: Any,
        clock: Clock,
        *,
        policy: RetryPolicy,
        sleep: Sleep,
        secrets: dict[str, str] | None = None,
    ) -> Provider:
        cls = provider_class(self.kind)
        provider = cls(self.account(server), secrets=secrets or self.secrets, clock=clock)
        self.configure(provider, policy, sleep)
        return provider


def _discover() -> dict[str, Harness]:
    """Every `tests/providers/<kind>/harness.py`'s `HARNESS`, by kind."""
    found: dict[str, Harness] = {}
    for path in sorted(Path(__file__).parent.glob("*/harness.py")):
        spec = importlib.util.spec_from_file_location(f"harness_{path.parent.name}", path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        harness: Harness = module.HARNESS
        found[harness.kind] = harness
    return found


# One entry per provider with an API; the conformance suite runs every case for each.
HARNESSES: dict[str, Harness] = _discover()
