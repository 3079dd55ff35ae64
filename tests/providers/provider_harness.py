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

The simulator conformance suite (tests/simulators/test_sim_conformance.py) talks to each
simulator directly over HTTP, without the provider client, through the optional `sim_*`
entries: an authenticated list request (`sim_list`), the ids in its answer (`sim_ids`),
and, where the API has them, a create and a delete (`sim_create`, `sim_delete`) that the
suite uses to change state before `/_sim/reset`. How a 429 announces its wait and where
an error answer keeps its message have defaults (`retry_after_header`, `error_field`)
that a provider with other shapes overrides.
"""

from __future__ import annotations

import importlib.util
import ssl
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx

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


# httpx loads the CA bundle (~60 ms) for every client unless given a context; the
# simulators speak plain HTTP, but each client would still pay for it.
_SIM_TLS = ssl.create_default_context()


def sim_request(method: str, url: str, **kwargs: Any) -> httpx.Response:
    """One request to a simulator on a fresh connection (so a connection the simulator
    dropped never lingers in a pool); for the harnesses' `sim_*` callables."""
    with httpx.Client(verify=_SIM_TLS, timeout=10) as client:
        return client.request(method, url, **kwargs)


def retry_after_header(response: httpx.Response) -> float | None:
    """The wait a 429 announces, in seconds, from `Retry-After` (delta-seconds form);
    None without one. The default `Harness.sim_retry_after`."""
    value = response.headers.get("retry-after")
    if value is None:
        return None
    try:
        return float(value)
    except ValueError:
        return None


def error_field(response: httpx.Response) -> str:
    """The message of a JSON error answer `{"error": "..."}`; the default
    `Harness.sim_error`. Raises (JSONDecodeError, KeyError, TypeError) for other shapes."""
    message: str = response.json()["error"]
    return message


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

    # -- talking to the simulator directly (tests/simulators/test_sim_conformance.py) --
    # Every harness should set `sim_list` and `sim_ids`; the suite fails for one that
    # does not. `server` is the RunningSim that `start` returned (tests/conftest.py).
    #
    # sim_list(server, secrets) -> the answer to one list request (the first page, large
    # enough for a few dozen seeded meetings) sent with `secrets` (by the provider's
    # secret names, like `secrets`/`wrong_secrets`) as the provider expects them. With
    # `secrets=None` it sends no credential at all. An OAuth-style provider first gets a
    # token with the secrets (and, when that is refused, returns the refusal). It must
    # return whatever the simulator answers, errors included, and let transport errors
    # (a dropped connection) propagate.
    sim_list: Callable[[Any, dict[str, str] | None], httpx.Response] | None = None
    # sim_ids(list answer) -> the meeting ids in it, in the order listed.
    sim_ids: Callable[[httpx.Response], list[str]] | None = None
    # sim_create(server, secrets) -> the id of a meeting it just created through the API
    # (raising if the simulator refused). Optional: without it the reset case checks
    # only the clock, the faults and the seeded list.
    sim_create: Callable[[Any, dict[str, str]], str] | None = None
    # sim_delete(server, secrets, id) -> the answer to deleting that meeting. Optional.
    sim_delete: Callable[[Any, dict[str, str], str], httpx.Response] | None = None
    # The wait, in seconds, that a 429 from the simulator announces (None: none found).
    sim_retry_after: Callable[[httpx.Response], float | None] = retry_after_header
    # The message of an error answer (401, 500, ...) in the provider's documented shape.
    sim_error: Callable[[httpx.Response], str] = error_field

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
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> Provider:
        cls = provider_class(self.kind)
        provider = cls(self.account(server), secrets=secrets or self.secrets, clock=clock,
                       transport=transport)
        self.configure(provider, policy, sleep)
        return provider

    def start_with(self, sim_server: Any, clock: Clock, meetings: int,
                   **build_options: Any) -> Any:
        """`start`, with `build_options` (e.g. `seed=7`) added to the ones it passes to
        the simulator's `build()`; they win over the harness's own. Works for every
        `start` that builds through `sim_server(kind, **options)`; one that passes a
        built Simulator gets the fixture's TypeError."""

        def with_options(sim: Any, **options: Any) -> Any:
            return sim_server(sim, **{**options, **build_options})

        return self.start(with_options, clock, meetings)


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
