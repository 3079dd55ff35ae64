"""Simulator of the Whereby Embedded REST API v1: a real HTTP server with state, the
points rate limit and Whereby's failure modes. The app is in `app.py` (imported when
built), request rules in `rules.py`, seeded rooms in `seed.py`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from meettui.simulators.spec import DemoSpec, SimOption

if TYPE_CHECKING:
    from meettui.simulators.whereby.app import WherebySimulator

DEMO_KEY = "demo"
# The Build plan's 100 points a minute would throttle someone scrolling and creating in
# the demo, so the demo's budget is out of reach.
DEMO = DemoSpec(account="whereby-demo", meetings=300, base_path="/v1",
                secrets={"api_key": DEMO_KEY}, options={"rate_limit": 1_000_000})


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise ValueError("must be at least 1")
    return value


OPTIONS = (
    SimOption("--api-key", "api_key", help="the API key the simulator accepts (default: demo)",
              metavar="KEY", default=DEMO_KEY),
    SimOption("--rate-limit", "rate_limit", _positive_int, metavar="POINTS",
              help="points per minute (Whereby's own budget; default 100, the Build plan)"),
)


def build(**options: Any) -> WherebySimulator:
    """A Whereby simulator; see `app.build` for the options."""
    from meettui.simulators.whereby.app import build as build_app

    return build_app(**options)
