"""Simulator of the Vonage Meetings API v1 (`/v1/meetings`).

Contract: `research/providers-whereby-vonage.md` §2–3, `contracts/vonage/meetings-openapi-v1.yml`
and the recorded answers in `contracts/vonage/fixtures/`. Where no source settles a
detail the choice is marked "unconfirmed".

- Auth: `Authorization: Bearer <JWT>`, RS256, verified against the application's public
  key; `application_id` (this application's), `iat`, `jti` and `exp` required, `exp` and
  `nbf` checked on the simulator's clock. Refusals are the gateway's 401 bodies.
- Rooms keep an integer serial (what `start_id`/`end_id` page by, with gaps, as real
  serials are shared by every Vonage customer) apart from their UUID. Instant rooms
  expire 10 minutes after creation; an expired room stays listed with `is_available:
  false`. There is no room DELETE (the router answers 405).
- Themes: `{}` when there are none; a theme's `short_company_url` is a path segment of
  its rooms' links; a theme in use (or the default) is deleted only with `force=true`.

This module holds the simulator as a whole: its gateway (the JWT check), how it
describes itself, its 429, and the routes it mounts. The state and its JSON objects are
in `state.py`; the routes, by resource, in `rooms.py` and `themes.py`.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Mount, Router

from meettui.core.clock import Clock
from meettui.simulators.account import SimAccount, SimSecret
from meettui.simulators.faults import Faults
from meettui.simulators.vonage import gateway
from meettui.simulators.vonage.keys import (
    generated,
    load_public_key,
    remove_private_key,
    write_private_key,
)
from meettui.simulators.vonage.rooms import RoomRoutes
from meettui.simulators.vonage.state import DEFAULT_APPLICATION_ID, DEFAULT_ROOMS, VonageState
from meettui.simulators.vonage.themes import ThemeRoutes


class VonageSimulator(VonageState):
    """The simulated Meetings API of one application, served under `/v1/meetings`
    behind its gateway."""

    kind = "vonage"
    base_path = "/v1/meetings"

    # --- auth ----------------------------------------------------------------------

    def refusal(self, header: str | None) -> JSONResponse | None:
        """The gateway's 401 for a request that carries no valid application JWT, or None
        (`gateway.refusal`, on the simulator's clock)."""
        return gateway.refusal(header, public_key=self.public_key,
                               application_id=self.application_id,
                               now=self.clock.now().timestamp())

    # --- describing itself ---------------------------------------------------------

    def private_key_path(self) -> str | None:
        """Where the generated private key was written (written on first call); None
        when the simulator was given a public key."""
        if not self.generated:
            return None
        if self._private_key_path is None:
            self._private_key_path = str(write_private_key(generated().private))
        return self._private_key_path

    def close(self) -> None:
        """Delete the generated private key and its folder: a private key left in /tmp
        after the run outlives the simulator it is for."""
        if self._private_key_path is not None:
            remove_private_key(Path(self._private_key_path))
            self._private_key_path = None

    def describe_credentials(self) -> str:
        """The application id, and where the private key is."""
        path = self.private_key_path()
        key = (f"{path}  (generated for this run)" if path
               else "the one matching the public key given (--public-key)")
        return (f"application id: {self.application_id}  (RS256 application JWTs)\n"
                f"  private key: {key}")

    def account(self) -> SimAccount:
        """The application, and its private key: the generated key's file, or (given a
        public key) the matching private key's PEM text in a variable."""
        settings: dict[str, Any] = {"application_id": self.application_id}
        path = self.private_key_path()
        if path:
            return SimAccount(settings={**settings, "private_key_path": path})
        return SimAccount(
            secrets=(SimSecret("private_key", "VONAGE_PRIVATE_KEY", None,
                               missing="KEY_FILE: the private key (PEM) that matches the "
                                       "public key given (--public-key)"),),
            settings=settings)

    def throttled_response(self) -> Response:
        # No Meetings rate limit is documented (unconfirmed): a gateway-shaped 429.
        wait = math.ceil((self.faults.retry_after_ms or 1000) / 1000)
        return JSONResponse({"title": "Too Many Requests",
                             "detail": "Rate limit exceeded, try again later"},
                            status_code=429, headers={"Retry-After": str(max(1, wait))})

    def info(self) -> dict[str, Any]:
        return {**super().info(), "meetings": len(self.rooms), "themes": len(self.themes),
                "application_id": self.application_id}

    # --- HTTP ----------------------------------------------------------------------

    def routes(self) -> list[BaseRoute]:
        api = Router(routes=[*RoomRoutes(self).routes(), *ThemeRoutes(self).routes()])
        return [Mount(self.base_path, app=gateway.Gate(self, api))]


def build(
    *,
    seed: int = 1,
    meetings: int | None = None,
    application_id: str | None = None,
    public_key: str | None = None,
    public_key_file: str | None = None,
    clock: Clock | None = None,
    faults: Faults | None = None,
    api_key: str = "",
) -> VonageSimulator:
    """The registry's factory. `public_key` is PEM text, `public_key_file` a path to one
    (`--public-key`); with neither, the process's generated keypair is used. Raises
    ValueError for an unreadable public key. `None` means the provider's default."""
    if public_key is None and public_key_file is not None:
        public_key = load_public_key(public_key_file)
    return VonageSimulator(
        seed=seed,
        meetings=DEFAULT_ROOMS if meetings is None else meetings,
        application_id=application_id or DEFAULT_APPLICATION_ID,
        public_key=public_key,
        clock=clock,
        faults=faults,
        api_key=api_key,
    )

