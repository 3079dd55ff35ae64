"""Simulator of the eyeson REST API: permalinks, hosts with own tokens, running rooms,
guests refused until a host starts the meeting. The routes are in `app.py` (imported
when built), the state in `state.py`, request rules in `rules.py`, seed data in
`seed.py`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from meettui.simulators.spec import DemoSpec, SimOption

if TYPE_CHECKING:
    from meettui.simulators.eyeson.app import EyesonSimulator

DEMO_KEY = "demo"
DEMO = DemoSpec(account="eyeson-demo", meetings=60, base_path="",
                secrets={"api_key": DEMO_KEY})

OPTIONS = (
    SimOption("--api-key", "api_key", help="the API key the simulator accepts (default: demo)",
              metavar="KEY", default=DEMO_KEY),
)


def build(**options: Any) -> EyesonSimulator:
    """An eyeson simulator; see `app.build` for the options."""
    from meettui.simulators.eyeson.app import build as build_app

    return build_app(**options)
