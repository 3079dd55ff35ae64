"""Which simulators exist, how to build one, and `meettui simulate` minus the argument parsing.

A simulator is found by name: every package `meettui.simulators.<kind>` is one (a kind
that is no Python identifier, one starting with a digit, lives in `_<kind>`), and it
exposes `build(**options)`, `DEMO` and `OPTIONS` (see `spec.py`). Nothing here imports a
simulator until it is asked for, and nothing imports any other part of meettui: the
simulators stand apart from the clients they test.
"""

from __future__ import annotations

import importlib
import os
import signal
import sys
from types import ModuleType
from typing import TYPE_CHECKING, Any, TextIO

import meettui.simulators as package

if TYPE_CHECKING:
    from meettui.simulators.base import Simulator
    from meettui.simulators.spec import DemoSpec, SimOption

LOOPBACK = "127.0.0.1"


def package_name(kind: str) -> str:
    """The package of `kind` under `providers/` and `simulators/`: the kind itself, or
    `_<kind>` for a kind that is no Python identifier (one starting with a digit)."""
    return kind if kind.isidentifier() else f"_{kind}"


def _kind_of(name: str) -> str | None:
    if name.startswith("_"):
        return name[1:] if name[1:2].isdigit() else None
    return name


def simulator_kinds() -> list[str]:
    """Every simulator package, by kind, without importing any: the folders beside this
    module that hold an `__init__.py` (read directly: `pkgutil.iter_modules` imports
    `inspect`, a tenth of what `meettui --help`, which lists the kinds, costs)."""
    kinds = (_kind_of(entry.name) for folder in package.__path__
             for entry in os.scandir(folder)
             if entry.is_dir() and os.path.isfile(os.path.join(entry.path, "__init__.py")))
    return sorted(k for k in kinds if k)


def _module(kind: str) -> ModuleType:
    if kind not in simulator_kinds():
        known = ", ".join(simulator_kinds())
        raise ValueError(f"no simulator for {kind!r}; available: {known}")
    return importlib.import_module(f"meettui.simulators.{package_name(kind)}")


def demo_spec(kind: str) -> DemoSpec | None:
    """The demo account `kind`'s simulator backs, or None (no simulator, or no demo)."""
    if kind not in simulator_kinds():
        return None
    spec: DemoSpec | None = getattr(_module(kind), "DEMO", None)
    return spec


def options(kind: str) -> tuple[SimOption, ...]:
    """The provider-specific flags of `meettui simulate <kind>`. Raises ValueError for an
    unknown kind, naming the available ones."""
    found: tuple[SimOption, ...] = getattr(_module(kind), "OPTIONS", ())
    return found


def build(kind: str, **kwargs: Any) -> Simulator:
    """The simulator of `kind`, built with `kwargs`; ValueError names the available
    kinds for an unknown one."""
    sim: Simulator = _module(kind).build(**kwargs)
    return sim


def facts(lines: list[str]) -> list[str]:
    """The banner's `label: value` lines, indented, every value in one column after the
    longest label: "API key: demo" stood two cells left of the base URL and the control
    URL above and below it."""
    split = [line.strip().partition(": ") for line in lines]
    width = max((len(label) for label, sep, _ in split if sep), default=0) + 1
    return [f"  {label + ':':<{width}}  {value.strip()}" if sep else f"  {label}"
            for label, sep, value in split]


def run_cli(
    kind: str,
    *,
    host: str = LOOPBACK,
    port: int = 0,
    seed: int = 1,
    meetings: int | None = None,
    latency: float = 0.0,
    error_rate: float = 0.0,
    rate_limit_rate: float = 0.0,
    malformed_rate: float = 0.0,
    drop_rate: float = 0.0,
    fault_seed: int | None = None,
    options: dict[str, Any] | None = None,
    out: TextIO | None = None,
) -> int:
    """Build the simulator, print the base URL, the credentials and the account to paste
    into config.toml (the real base URL in it, once the port is known), serve until
    interrupted.

    `options` go to the provider's `build()` (its `OPTIONS`; None values are left out,
    so the provider's defaults apply). Raises ValueError for a bad kind or fault setting,
    before anything is bound. Returns the exit status.
    """
    from meettui.simulators.account import snippet
    from meettui.simulators.faults import Faults
    from meettui.simulators.server import serve

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
    sim = build(kind, seed=seed, meetings=meetings, faults=faults, **kwargs)

    def announce(root_url: str) -> None:
        base_url = f"{root_url}{sim.base_path}"
        lines = [
            f"meettui {kind} simulator (seed {seed})",
            *facts([f"base URL: {base_url}", *sim.describe_credentials().splitlines(),
                    f"control: {root_url}/_sim  (/_sim/faults, /_sim/clock, /_sim/reset)"]),
            "",
            "To try meettui against it, add this account to config.toml "
            "(`meettui locate` prints where that is):",
            "",
            *snippet(kind, base_url, sim.account()),
            "",
            "Press Ctrl+C to stop.",
        ]
        print("\n".join(lines), file=out, flush=True)

    previous = _close_on_signals(sim)
    try:
        serve(sim.app, host, port, ready=announce)
    except KeyboardInterrupt:
        # uvicorn shuts down on Ctrl+C, then re-raises the signal; stopping is the normal
        # way out of a foreground server, not an error worth a traceback.
        print("simulator stopped", file=out, flush=True)
    finally:
        sim.close()
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    return 0


ENDING_SIGNALS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP")
                       if hasattr(signal, name))
"""The signals that end a simulator without Ctrl+C: `kill` (SIGTERM), and its terminal
closing (SIGHUP; not on Windows)."""


def _close_on_signals(sim: Simulator) -> dict[int, Any]:
    """Make each of ENDING_SIGNALS close `sim` (its files: a generated private key)
    before the process ends as that signal ends it. By default it ends the process at
    once, no `finally` run; uvicorn shuts down on SIGTERM, then raises it again with the
    handler it found (this one). Returns the handlers it replaced, by signal; none off the
    main thread, where no handler can be set."""
    import threading

    if threading.current_thread() is not threading.main_thread():
        return {}

    def close_then_end(signum: int, frame: object) -> None:
        sim.close()
        signal.signal(signum, signal.SIG_DFL)
        signal.raise_signal(signum)

    return {signum: signal.signal(signum, close_then_end) for signum in ENDING_SIGNALS}
