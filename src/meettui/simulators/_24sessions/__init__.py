"""Simulator of one 24sessions instance's API: OAuth2 client-credentials tokens, Hydra
collections, meetings with a host, a guest and a meeting type, reschedule, cancel and
delete. The routes are in `app.py` (imported when built), request rules and error bodies
in `rules.py`, the objects in `state.py`, the seed in `seed.py`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from meettui.simulators.spec import DemoSpec, SimOption

if TYPE_CHECKING:
    from meettui.simulators._24sessions.app import TwentyFourSessionsSimulator

DEMO_CLIENT_ID = "demo-client"
DEMO_CLIENT_SECRET = "demo-secret"
DEMO = DemoSpec(
    account="24sessions-demo", meetings=80, base_path="",
    secrets={"client_id": DEMO_CLIENT_ID, "client_secret": DEMO_CLIENT_SECRET},
    # The first seeded advisor and meeting type, so a meeting made in the demo needs
    # only a guest and a start.
    settings={"instance": "demo", "user": "11", "meeting_type": "1"},
)


def _yes_no(text: str) -> bool:
    if text.lower() in ("1", "true", "yes", "on"):
        return True
    if text.lower() in ("0", "false", "no", "off"):
        return False
    raise ValueError(f"{text!r} is not yes or no")


OPTIONS = (
    SimOption("--instance", "instance", metavar="NAME", default="demo",
              help="the instance name (default: demo); clients build the links from it"),
    SimOption("--client-id", "client_id", metavar="ID", default=DEMO_CLIENT_ID,
              help=f"the OAuth client id it accepts (default: {DEMO_CLIENT_ID})"),
    SimOption("--client-secret", "client_secret", metavar="SECRET",
              default=DEMO_CLIENT_SECRET,
              help=f"the OAuth client secret it accepts (default: {DEMO_CLIENT_SECRET})"),
    SimOption("--embed", "embed", type=_yes_no, metavar="yes|no", default=None,
              help="show a meeting's user and type as objects instead of IRIs"),
    SimOption("--hydra-view", "hydra_view", type=_yes_no, metavar="yes|no", default=None,
              help="send hydra:view (first/last/next) in collections (default: yes)"),
    SimOption("--token-lifetime", "token_lifetime", type=float, metavar="S", default=None,
              help="seconds an access token lasts (default: 3600)"),
)


def build(**options: Any) -> TwentyFourSessionsSimulator:
    """A 24sessions simulator; see `app.build` for the options."""
    from meettui.simulators._24sessions.app import build as build_app

    return build_app(**options)
