"""Imported links: meetings of any service, kept only in meettui's cache."""

from meettui.providers.imported.client import ImportedProvider

__all__ = ["ImportedProvider"]
