"""Jitsi Meet: credential-free rooms whose links are built on this machine."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from meettui.providers.jitsi.client import JitsiProvider

__all__ = ["JitsiProvider"]


def __getattr__(name: str) -> Any:
    # The client is loaded on first use: the CLI's parser reads the package's verbs
    # (`verbs.py`) without loading the client, pydantic and httpx.
    if name == "JitsiProvider":
        from meettui.providers.jitsi.client import JitsiProvider

        return JitsiProvider
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
