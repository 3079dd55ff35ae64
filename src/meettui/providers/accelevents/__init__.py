"""Accelevents: the sessions of one event, and "Join Session" (Chime join data)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from meettui.providers.accelevents.client import AcceleventsProvider

__all__ = ["AcceleventsProvider"]


def __getattr__(name: str) -> Any:
    # The client is loaded on first use: the CLI's parser reads the package's verbs
    # (`verbs.py`) without loading the client, pydantic and httpx.
    if name == "AcceleventsProvider":
        from meettui.providers.accelevents.client import AcceleventsProvider

        return AcceleventsProvider
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
