"""Which simulators exist, how to build one, and `meettui simulate` minus the argument parsing."""

from __future__ import annotations

import sys
from typing import Any, Protocol, TextIO

from meettui.core.clock import Clock
from meettui.simulators import eyeson, whereby
from meettui.simulators.base import Simulator
from meettui.simulators.faults import Faults
from meettui.simulators.server import LOOPBACK, serve


class SimulatorFactory(Protocol):
    """The common signature. `meetings=None` means the provider's own default size;
    provider-specific options (e.g. Whereby's `rate_limit`) come as keywords."""

    def __call__(
        self,
        *,
        seed: int = 1,
        meetings: int | None = None,
        api_key: str = "demo",
        clock: Clock | None = None,
        faults: Faults | None = None,
        **options: Any,
    ) -> Simulator: ...


SIMULATORS: dict[str, SimulatorFactory] = {
    "whereby": whereby.build,
    "eyeson": eyeson.build,
}


def build(kind: str, **kwargs: Any) -> Simulator:
    """`SIMULATORS[kind](**kwargs)` with a readable error for an unknown kind."""
    try:
        factory = SIMULATORS[kind]
    except KeyError:
        known = ", ".join(sorted(SIMULATORS))
        raise ValueError(f"no simulator for {kind!r}; available: {known}") from None
    return factory(**kwargs)


def run_cli(
    kind: str,
    *,
    host: str = LOOPBACK,
    port: int = 0,
    seed: int = 1,
    meetings: int | None = None,
    api_key: str = "demo",
    latency: float = 0.0,
    error_rate: float = 0.0,
    rate_limit_rate: float = 0.0,
    malformed_rate: float = 0.0,
    drop_rate: float = 0.0,
    fault_seed: int | None = None,
    options: dict[str, Any] | None = None,
    out: TextIO | None = None,
) -> int:
    """Build the simulator, print the base URL and credentials, serve until interrupted.

    `options` go to the provider's factory only when given (e.g. `{"rate_limit": 10000}`
    for a Whereby demo that should never throttle). Raises ValueError for a bad kind or
    fault setting, before anything is bound. Returns the exit status.
    """
    out = out or sys.stdout
    faults = Faults(
        latency=latency,
        error_rate=error_rate,
        rate_limit_rate=rate_limit_rate,
        malformed_rate=malformed_rate,
        drop_rate=drop_rate,
        seed=seed if fault_seed is None else fault_seed,
    )
    kwargs: dict[str, Any] = {k: v for k, v in (options or {}).items() if v is not None}
    sim = build(kind, seed=seed, meetings=meetings, api_key=api_key, faults=faults, **kwargs)

    def announce(root_url: str) -> None:
        lines = [
            f"meettui {kind} simulator (seed {seed})",
            f"  base URL:  {root_url}{sim.base_path}",
            f"  {sim.describe_credentials()}",
            f"  control:   {root_url}/_sim  (/_sim/faults, /_sim/clock, /_sim/reset)",
            "Press Ctrl+C to stop.",
        ]
        print("\n".join(lines), file=out, flush=True)

    try:
        serve(sim.app, host, port, ready=announce)
    except KeyboardInterrupt:
        # uvicorn shuts down on Ctrl+C, then re-raises the signal; stopping is the normal
        # way out of a foreground server, not an error worth a traceback.
        print("simulator stopped", file=out, flush=True)
    return 0
