"""24sessions: scheduled advisor–customer meetings (OAuth client credentials, Hydra)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from meettui.providers._24sessions.client import TwentyFourSessionsProvider

__all__ = ["TwentyFourSessionsProvider"]


def __getattr__(name: str) -> Any:
    # The client is loaded on first use: the CLI's parser reads the package's verbs
    # (`verbs.py`) without loading the client, pydantic and httpx.
    if name == "TwentyFourSessionsProvider":
        from meettui.providers._24sessions.client import TwentyFourSessionsProvider

        return TwentyFourSessionsProvider
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
