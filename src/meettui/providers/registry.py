"""Provider kinds by name. Modules are imported on first use to keep start-up lean."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # config validates provider names against this module: no cycle at import
    from meettui.providers.base import Provider

# kind -> "module:Class"
_PROVIDERS: dict[str, str] = {
    "jitsi": "meettui.providers.jitsi:JitsiProvider",
    "whereby": "meettui.providers.whereby:WherebyProvider",
    "eyeson": "meettui.providers.eyeson:EyesonProvider",
}

PROVIDER_KINDS: tuple[str, ...] = tuple(_PROVIDERS)


def provider_class(kind: str) -> type[Provider]:
    try:
        target = _PROVIDERS[kind]
    except KeyError:
        raise KeyError(f"unknown provider {kind!r}; known: {', '.join(_PROVIDERS)}") from None
    module, _, name = target.partition(":")
    return getattr(importlib.import_module(module), name)


def register(kind: str, target: str) -> None:
    """Add a provider (tests and plugins); `target` is "module:Class"."""
    global PROVIDER_KINDS
    _PROVIDERS[kind] = target
    PROVIDER_KINDS = tuple(_PROVIDERS)
