"""Whereby Embedded: transient rooms through the REST API v1."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from meettui.providers.whereby.client import WherebyProvider

__all__ = ["WherebyProvider"]


def __getattr__(name: str) -> Any:
    # The client is loaded on first use: the CLI's parser reads the package's verbs
    # (`verbs.py`) without loading the client, pydantic and httpx.
    if name == "WherebyProvider":
        from meettui.providers.whereby.client import WherebyProvider

        return WherebyProvider
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
