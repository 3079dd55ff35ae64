"""The demo: built-in accounts backed by in-process simulators, used when the user has
configured no account. Everything here is labelled demo data wherever it shows.
"""

from __future__ import annotations

import importlib.util
import random
import secrets

import httpx

from meettui.core.clock import Clock
from meettui.core.config import AccountConfig

DEMO_SEED = 7
# provider kind -> (account name, meetings to seed)
DEMO_PROVIDERS: dict[str, tuple[str, int]] = {
    "whereby": ("whereby-demo", 300),
    "eyeson": ("eyeson-demo", 60),
}
# The API prefix a demo account's base URL needs (eyeson's API has no version prefix).
DEMO_BASE_PATHS: dict[str, str] = {"eyeson": ""}
DEMO_API_KEY = "demo"
# Provider-specific simulator options for the demo. Whereby's points budget (100 a
# minute on the Build plan) would throttle someone scrolling and creating in the demo.
DEMO_SIM_OPTIONS: dict[str, dict] = {
    "whereby": {"rate_limit": 1_000_000},
}


def _available(kind: str) -> bool:
    # Each demo account needs both halves: the client and the simulator it talks to.
    return all(
        importlib.util.find_spec(f"meettui.{layer}.{kind}") is not None
        for layer in ("providers", "simulators")
    )


def demo_accounts() -> list[AccountConfig]:
    return [
        AccountConfig(
            name=name,
            provider=kind,
            base_url=f"http://{kind}.demo.invalid{DEMO_BASE_PATHS.get(kind, '/v1')}",
            demo=True,
        )
        for kind, (name, _) in DEMO_PROVIDERS.items()
        if _available(kind)
    ]


def demo_secrets(account: AccountConfig) -> dict[str, str]:
    from meettui.providers.registry import provider_class

    return {name: DEMO_API_KEY for name in provider_class(account.provider).secrets}


def demo_transport(account: AccountConfig, clock: Clock) -> httpx.AsyncBaseTransport:
    """Serve the account's simulator in this process: no socket, no network."""
    from meettui.simulators.registry import SIMULATORS

    _, meetings = DEMO_PROVIDERS[account.provider]
    simulator = SIMULATORS[account.provider](
        seed=DEMO_SEED,
        meetings=meetings,
        api_key=DEMO_API_KEY,
        clock=clock,
        **DEMO_SIM_OPTIONS.get(account.provider, {}),
    )
    # The seeded meetings are the same every run (so the cache keeps matching them), but
    # what is created at run time must not be: the cache outlives this in-process
    # simulator, and a second run handing out the first run's ids again would overwrite
    # those rows (and an edit, which deletes the old id, would delete the new meeting).
    # The simulators draw run-time ids from `_rng`; no public option for this yet.
    runtime = getattr(simulator, "_rng", None)
    if isinstance(runtime, random.Random):
        runtime.seed(secrets.token_bytes(16))
    return httpx.ASGITransport(app=simulator.app)
