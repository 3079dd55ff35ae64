"""Vonage Meetings (switched off in June 2025): instant and long-term rooms."""

from meettui.providers.vonage.client import VonageProvider

__all__ = ["VonageProvider"]
