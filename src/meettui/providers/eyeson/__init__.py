"""eyeson: permalinks, their hosts, and running rooms."""

from meettui.providers.eyeson.client import EyesonProvider

__all__ = ["EyesonProvider"]
