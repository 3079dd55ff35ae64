"""Simulator of the Vonage Meetings API v1 (`/v1/meetings`): a real HTTP server with
state, RS256 JWT verification, HAL paging, both error shapes, instant-room expiry and
themes. The app is in `app.py` (imported when built), its state in `state.py`, its
routes in `rooms.py` and `themes.py` (their error answers in `answers.py`), request
rules in `rules.py`, seeded rooms and themes in `seed.py`, the application keypair in
`keys.py`, the JWT check in `gateway.py`.

`DEMO` is computed on first use (PEP 562 `__getattr__`): the demo account needs the
private key of a keypair the simulator verifies with, and a DemoSpec is plain data, so
the keypair is generated once per process (`keys.generated`) when the demo first asks,
and handed to both sides: the private key as the account's secret, the public key as a
`build()` option. Importing this package costs nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from meettui.simulators.spec import DemoSpec, SimOption

if TYPE_CHECKING:
    from meettui.simulators.vonage.app import VonageSimulator

DEMO_APPLICATION_ID = "6f1d9d7e-3b0a-4c52-9a51-2e1c7c0d5a10"
DEMO_ROOMS = 120


def _nonempty(text: str) -> str:
    if not text.strip():
        raise ValueError("must not be empty")
    return text.strip()


OPTIONS = (
    SimOption("--application-id", "application_id", _nonempty, metavar="ID",
              help="the application id JWTs must carry (default: a fixed demo id)"),
    SimOption("--public-key", "public_key_file", metavar="PEM_FILE",
              help="the application's public key (PEM) to verify JWTs with; without it a "
                   "keypair is generated and the private key's path is printed"),
)


def _demo() -> DemoSpec:
    from meettui.simulators.vonage.keys import generated

    pair = generated()
    return DemoSpec(
        account="vonage-demo",
        meetings=DEMO_ROOMS,
        base_path="/v1/meetings",
        secrets={"private_key": pair.private},
        options={"application_id": DEMO_APPLICATION_ID, "public_key": pair.public},
        settings={"application_id": DEMO_APPLICATION_ID},
    )


_demo_spec: DemoSpec | None = None


def __getattr__(name: str) -> Any:
    global _demo_spec
    if name == "DEMO":
        if _demo_spec is None:
            _demo_spec = _demo()
        return _demo_spec
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def build(**options: Any) -> VonageSimulator:
    """A Vonage Meetings simulator; see `app.build` for the options."""
    from meettui.simulators.vonage.app import build as build_app

    return build_app(**options)
