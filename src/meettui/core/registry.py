"""Provider kinds by name: kind -> "module:Class", imported on first use.

Adding a provider is one line here (plus its folders `providers/<kind>/` and
`simulators/<kind>/`, its tests and its README section). Nothing is imported until
`provider_class` is asked, so start-up and config loading stay lean, and this module
imports nothing of meettui: core may use it without depending on any provider.
"""

from __future__ import annotations

import importlib
import importlib.util
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from meettui.core.provider import Provider
    from meettui.core.verbs import Verbs

_PROVIDERS: dict[str, str] = {
    "jitsi": "meettui.providers.jitsi:JitsiProvider",
    "whereby": "meettui.providers.whereby:WherebyProvider",
    "eyeson": "meettui.providers.eyeson:EyesonProvider",
    "24sessions": "meettui.providers._24sessions:TwentyFourSessionsProvider",
    "accelevents": "meettui.providers.accelevents:AcceleventsProvider",
    "vonage": "meettui.providers.vonage:VonageProvider",
    "imported": "meettui.providers.imported:ImportedProvider",
}

# The kinds whose `Settings` take an account without `[accounts.settings]`, as plain
# data: only what reads the config without pydantic asks (`core/quickconfig.py`), and
# sends an account of any other kind to the full reader. `tests/core/test_quick_list.py`
# checks it against every registered client's model.
_SETTINGS_OPTIONAL = frozenset({"jitsi", "whereby", "eyeson", "imported"})


def settings_optional(kind: str) -> bool:
    """Whether an account of `kind` may leave out `[accounts.settings]` (False for a kind
    not known to need none, a registered plugin's say)."""
    return kind in _SETTINGS_OPTIONAL


def provider_kinds() -> tuple[str, ...]:
    """Every registered kind, in registration order."""
    return tuple(_PROVIDERS)


def provider_class(kind: str) -> type[Provider]:
    """The client class of `kind`. Raises KeyError naming the known kinds."""
    try:
        target = _PROVIDERS[kind]
    except KeyError:
        raise KeyError(f"unknown provider {kind!r}; known: {', '.join(_PROVIDERS)}") from None
    module, _, name = target.partition(":")
    cls: type[Provider] = getattr(importlib.import_module(module), name)
    return cls


def searched_details(kind: str) -> tuple[str, ...]:
    """The labels of `kind`'s meeting details the list's filter searches: its
    `Capabilities.searchable_details` (the provider's say, `core/capabilities.py`); () for a
    kind not registered (its rows are searched by title, ids and shareable links
    only). Imports the client, as `provider_class` does: the service hands this to the
    cache (`Cache.search_details`), which asks once per kind."""
    try:
        return tuple(provider_class(kind).capabilities.searchable_details)
    except KeyError:
        return ()


def open_only_details(kind: str) -> tuple[str, ...]:
    """The labels of `kind`'s meeting details that mean something only while a meeting
    can be opened (`Capabilities.open_only_details`); () for a kind not registered.
    Imports the client, as `provider_class` does."""
    try:
        return tuple(provider_class(kind).capabilities.open_only_details)
    except (KeyError, ImportError):
        return ()


def kept_only_here(kind: str) -> str | None:
    """`kind`'s display name when its meetings live only in meettui's cache (its
    `Capabilities.remote_list` is False: nothing upstream to fetch them from again);
    None for any other kind, or one not registered. Imports the client, as
    `provider_class` does: asked only when a damaged cache is read for what to carry
    over (`cache_salvage.py`)."""
    try:
        cls = provider_class(kind)
    except (KeyError, ImportError):
        return None
    return None if cls.capabilities.remote_list else cls.display_name


def kinds_kept_only_here() -> list[str]:
    """The display names of every registered kind whose meetings live only in the cache
    (`kept_only_here`), in registration order."""
    return [name for name in map(kept_only_here, _PROVIDERS) if name is not None]


def provider_verbs(kind: str) -> tuple[Verbs, ...]:
    """The command-line verbs `kind` offers for its actions: `VERBS` of the module `verbs`
    beside its client (`core/verbs.py`), () when it has none. Loads neither the client
    nor pydantic, so the CLI's parser (and `meettui --help`) stays quick. Raises KeyError
    naming the known kinds."""
    try:
        target = _PROVIDERS[kind]
    except KeyError:
        raise KeyError(f"unknown provider {kind!r}; known: {', '.join(_PROVIDERS)}") from None
    module = target.partition(":")[0]
    spec = importlib.util.find_spec(module)
    # The client's package: the target itself (a package's __init__) or its parent.
    package = module if spec and spec.submodule_search_locations else module.rpartition(".")[0]
    if not package or importlib.util.find_spec(f"{package}.verbs") is None:
        return ()
    verbs: tuple[Verbs, ...] = importlib.import_module(f"{package}.verbs").VERBS
    return verbs


def register(kind: str, target: str) -> None:
    """Add a provider (tests and plugins); `target` is "module:Class"."""
    _PROVIDERS[kind] = target
