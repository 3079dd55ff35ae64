"""Whereby Embedded: transient rooms through the REST API v1."""

from meettui.providers.whereby.client import WherebyProvider

__all__ = ["WherebyProvider"]
