"""eyeson: permalinks, their hosts, and running rooms."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from meettui.providers.eyeson.client import EyesonProvider

__all__ = ["EyesonProvider"]


def __getattr__(name: str) -> Any:
    # The client is loaded on first use: the CLI's parser reads the package's verbs
    # (`verbs.py`) without loading the client, pydantic and httpx.
    if name == "EyesonProvider":
        from meettui.providers.eyeson.client import EyesonProvider

        return EyesonProvider
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
