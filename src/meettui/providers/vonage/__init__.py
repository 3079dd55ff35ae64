"""Vonage Meetings (switched off in June 2025): instant and long-term rooms."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from meettui.providers.vonage.client import VonageProvider

__all__ = ["VonageProvider"]


def __getattr__(name: str) -> Any:
    # The client is loaded on first use: the CLI's parser reads the package's verbs
    # (`verbs.py`) without loading the client, pydantic and httpx.
    if name == "VonageProvider":
        from meettui.providers.vonage.client import VonageProvider

        return VonageProvider
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
