"""Simulator of the Accelevents REST API (`/rest`): one event's sessions for staff and
attendees, and Join Session with Chime join data. The routes are in `app.py` (imported
when built), the rules in `rules.py`, the state in `state.py`, the seeded event in
`seed.py`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from meettui.simulators.spec import DemoSpec, SimOption

if TYPE_CHECKING:
    from meettui.simulators.accelevents.app import AcceleventsSimulator

DEMO_KEY = "demo"
DEMO_EVENT = "meettui-summit"
# The demo account names the event but not its id, so the client reads the id from the
# event's details, as a new account would.
DEMO = DemoSpec(account="accelevents-demo", meetings=42, base_path="/rest",
                secrets={"api_key": DEMO_KEY}, options={"event": DEMO_EVENT},
                settings={"eventurl": DEMO_EVENT, "time_zone": "UTC"})

OPTIONS = (
    SimOption("--api-key", "api_key", help="the API key the simulator accepts (default: demo)",
              metavar="KEY", default=DEMO_KEY),
    SimOption("--event", "event", metavar="EVENTURL",
              help=f"the seeded event's eventurl (default: {DEMO_EVENT})"),
    SimOption("--time-zone", "time_zone", metavar="ZONE",
              help="the event's time zone, an IANA name (default: UTC); session times "
                   "are sent in it"),
)


def build(**options: Any) -> AcceleventsSimulator:
    """An Accelevents simulator; see `app.build` for the options."""
    from meettui.simulators.accelevents.app import build as build_app

    return build_app(**options)
