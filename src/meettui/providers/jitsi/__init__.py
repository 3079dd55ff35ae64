"""Jitsi Meet: credential-free rooms whose links are built on this machine."""

from meettui.providers.jitsi.client import JitsiProvider

__all__ = ["JitsiProvider"]
