"""What a simulator package declares besides its app, readable without importing it (no
Starlette, no uvicorn): the demo account it backs, and its own `meettui simulate` flags.

Every simulator package `meettui.simulators.<kind>` exposes `build(**options)`, `DEMO`
(a `DemoSpec`, or None when the provider has no demo) and `OPTIONS` (its `SimOption`s).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class DemoSpec:
    """The demo account a simulator backs when no account is configured."""

    account: str
    """The demo account's name, e.g. "<kind>-demo"."""
    meetings: int
    """How many meetings the demo seeds."""
    base_path: str
    """The API prefix of the account's base URL ("/v1"; "" for an API without one)."""
    secrets: dict[str, str]
    """What the demo account's client is given, by the client's secret names; the
    simulator accepts exactly these."""
    options: dict[str, Any] = field(default_factory=dict)
    """`build()` keywords for the demo (e.g. a rate budget nobody scrolling exhausts)."""
    settings: dict[str, Any] = field(default_factory=dict)
    """The demo account's `[accounts.settings]`."""


@dataclass(frozen=True)
class SimOption:
    """One provider-specific flag of `meettui simulate <kind>`, fed to `build()`."""

    flag: str
    """E.g. "--rate-limit"."""
    dest: str
    """The `build()` keyword it sets."""
    type: Callable[[str], Any] = str
    help: str = ""
    metavar: str | None = None
    default: Any = None
