"""Imported links: meetings of any service, kept only in meettui's cache."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from meettui.providers.imported.client import ImportedProvider

__all__ = ["ImportedProvider"]


def __getattr__(name: str) -> Any:
    # Loaded on first use, as every provider package is: the CLI's parser walks the
    # packages for their verbs and must not pay for pydantic on `meettui --help`.
    if name == "ImportedProvider":
        from meettui.providers.imported.client import ImportedProvider

        return ImportedProvider
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
