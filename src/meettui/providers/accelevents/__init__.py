"""Accelevents: the sessions of one event, and "Join Session" (Chime join data)."""

from meettui.providers.accelevents.client import AcceleventsProvider

__all__ = ["AcceleventsProvider"]
